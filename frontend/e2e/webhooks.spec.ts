import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { VALIDATION_ORIGIN } from './receiver'

/** callRow is the call-log row of a file (and webhook). */
function callRow(page: Page, fileName: string, webhookName?: string) {
  let rows = page.locator('tr[data-call-id]').filter({ hasText: fileName })
  if (webhookName) rows = rows.filter({ hasText: webhookName })
  return rows.first()
}

async function addWebhook(page: Page, name: string, url: string) {
  await page.goto('/webhooks')
  await page.getByRole('button', { name: 'Add webhook' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'Add webhook' })
  await dialog.getByLabel('Name').fill(name)
  await dialog.getByLabel(/^URL/).fill(url)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden({ timeout: 30_000 })
  await expect(page.getByText(`Webhook “${name}” saved.`)).toBeVisible()
}

async function upload(page: Page, folder: string, name: string, content: string) {
  await page.goto('/folders')
  await page.getByLabel('Folder', { exact: true }).selectOption({ label: folder })
  await page.getByLabel('File', { exact: true }).setInputFiles({ name, mimeType: 'video/quicktime', buffer: Buffer.from(content) })
  await page.getByRole('button', { name: 'Upload' }).click()
  await expect(page.getByText(`“${name}”`)).toBeVisible()
}

test('sign in, add a webhook, assign a folder, watch deliveries live, retry a failed call, delete', async ({ page, context, receiver, shot, signIn, server }) => {
  const ok = await receiver({ kind: 'ok' })
  const failing = await receiver({ kind: 'failDeliveries' })

  // Sign in: a bad token is refused next to the field, then the admin token works.
  await page.goto('/webhooks')
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  await page.getByLabel('API token').fill('not-a-token')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toContainText('not valid')
  await shot('01-sign-in')
  await signIn(page, server.adminToken)

  // Empty overview explains webhooks.
  await expect(page.getByRole('heading', { name: 'No webhooks yet' })).toBeVisible()
  await shot('02-webhooks-empty')

  // Add a webhook: the URL is tested, the checkmark shows, and the hint that it is not active yet.
  await addWebhook(page, 'Partner', ok.url)
  await expect(page.getByText('not active yet')).toBeVisible()
  const row = page.locator('tr[data-webhook-id]').filter({ hasText: 'Partner' })
  await expect(row.locator('[data-validation="VALID"]')).toBeVisible()
  // No folders yet: not active, and the badge says why.
  await expect(row.getByText('Not active: no folders assigned')).toBeVisible()
  expect(ok.requests.filter((r) => r.validation)).toHaveLength(1)
  await shot('03-webhooks-added')

  // A folder to assign.
  await page.getByRole('link', { name: 'Folders & files' }).click()
  await page.getByLabel('New folder').fill('Inbox')
  await page.getByRole('button', { name: 'Create' }).click()
  await expect(page.locator('li[data-folder-id]').filter({ hasText: 'Inbox' })).toBeVisible()
  await shot('04-folders')

  // Edit: assign the folder, add a header, switch active.
  await page.getByRole('link', { name: 'Webhooks', exact: true }).click()
  await page.getByRole('link', { name: 'Partner' }).click()
  await expect(page.getByRole('heading', { name: /Partner/ })).toBeVisible()
  await page.getByRole('combobox').fill('inb')
  await page.getByRole('option', { name: 'Inbox' }).click()
  await expect(page.getByRole('button', { name: 'Remove folder Inbox' })).toBeVisible()
  await page.getByRole('button', { name: 'Add header' }).click()
  await page.getByLabel('Header 1 name').fill('X-Partner-Key')
  await page.getByLabel('Header 1 value').fill('key-abcdef-1234')
  await page.getByRole('switch', { name: 'Active' }).click()
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByText('Saved.')).toBeVisible({ timeout: 30_000 })
  const masked = page.getByLabel('Header 1 value (saved, masked)')
  await expect(masked).toBeVisible()
  expect(await masked.inputValue()).not.toContain('key-abcdef')
  await expect(page.getByText('Active', { exact: true })).toBeVisible()
  await page.getByRole('button', { name: 'Reveal secret' }).click()
  const secret = page.getByLabel('Signing secret')
  await expect(secret).toContainText('whsec_')
  const before = await secret.textContent()
  await shot('05-webhook-edit')

  // Re-validate: one more validation call reaches the receiver.
  const validations = ok.requests.filter((r) => r.validation).length
  await page.getByRole('button', { name: 'Re-Validate Webhook' }).click()
  await expect.poll(() => ok.requests.filter((r) => r.validation).length).toBe(validations + 1)
  await expect(page.getByRole('button', { name: 'Re-Validate Webhook' })).toBeEnabled()
  await expect(page.locator('[data-validation="VALID"]')).toBeVisible()

  // Rotate the secret, after confirming.
  await page.getByRole('button', { name: 'Rotate secret' }).click()
  await page.getByRole('dialog', { name: 'Rotate the signing secret?' }).getByRole('button', { name: 'Rotate secret' }).click()
  await expect(page.getByText('New secret in place.')).toBeVisible()
  await expect(secret).not.toHaveText(before ?? '')
  await expect(secret).toContainText('whsec_')

  // Call logs open in one tab; the upload happens in another; the call appears live and succeeds.
  await page.goto('/calls')
  await expect(page.locator('[data-live="connected"]')).toBeVisible()
  const uploader = await context.newPage()
  await upload(uploader, 'Inbox', 'clip-one.mov', 'first file')
  await shot('06-upload', uploader)
  const first = callRow(page, 'clip-one.mov')
  await expect(first).toBeVisible()
  await expect(first).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 30_000 })
  await expect(page.locator('tr[data-call-id]').first()).toContainText('clip-one.mov')
  await expect(first).toContainText('Folder')
  const delivered = ok.deliveriesReceived()
  expect(delivered).toHaveLength(1)
  expect(delivered[0].body).toMatchObject({ origin: 'scoopa', file_name: 'clip-one.mov', folder_name: 'Inbox' })
  expect(delivered[0].headers['x-partner-key']).toBe('key-abcdef-1234')
  expect(ok.requests.filter((r) => r.validation).every((r) => r.body?.origin === VALIDATION_ORIGIN)).toBe(true)
  await shot('07-calls-succeeded')

  // The detail panel: payload and attempts.
  await first.getByRole('link', { name: 'clip-one.mov' }).click()
  const panel = page.getByRole('complementary', { name: /^Call / })
  await expect(panel.getByLabel('Payload (JSON)')).toContainText('"file_name": "clip-one.mov"')
  await expect(panel.locator('[data-attempt="1"]')).toContainText('HTTP 200')
  // What the attempt sent: the service's headers as received, the partner key masked.
  await panel.locator('[data-attempt="1"]').getByText('Request headers').click()
  const sent = panel.locator('[data-attempt="1"]').getByRole('table', { name: 'Request headers' })
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    await expect(sent.getByRole('row', { name: new RegExp(`^${name}`) }).getByRole('cell')).toHaveText(delivered[0].headers[name] as string)
  }
  await expect(sent.getByRole('row', { name: /^X-Partner-Key/ }).getByRole('cell')).toHaveText(/^•+234$/)
  await expect(panel).not.toContainText('key-abcdef')
  await shot('08-call-detail')
  await sent.scrollIntoViewIfNeeded()
  await shot('08b-call-detail-request-headers')
  await panel.getByRole('button', { name: 'Close details' }).click()
  await expect(panel).toBeHidden()

  // A partner that answers 500 to deliveries (but 200 to validations), for every folder.
  await addWebhook(uploader, 'Failing partner', failing.url)
  await uploader.getByRole('link', { name: 'Failing partner' }).click()
  await uploader.getByLabel('All folders (platform-wide)').check()
  await uploader.getByRole('switch', { name: 'Active' }).click()
  await uploader.getByRole('button', { name: 'Save changes' }).click()
  await expect(uploader.getByText('Saved.')).toBeVisible({ timeout: 30_000 })
  await upload(uploader, 'Inbox', 'clip-two.mov', 'second file')

  const failed = callRow(page, 'clip-two.mov', 'Failing partner')
  await expect(failed).toBeVisible()
  await expect(failed).toContainText('Platform-wide')
  await expect(failed).toHaveAttribute('data-status', 'RETRYING', { timeout: 30_000 })
  await shot('09-calls-retrying')
  await expect(failed).toHaveAttribute('data-status', 'FAILED', { timeout: 60_000 })
  await expect(callRow(page, 'clip-two.mov', 'Partner')).toBeVisible()
  expect(failing.deliveriesReceived().length).toBeGreaterThanOrEqual(2)
  await shot('10-calls-failed')

  // The partner is back: Retry delivers at once.
  failing.script = { kind: 'ok' }
  await failed.getByRole('button', { name: /^Retry call/ }).click()
  await expect(failed).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 30_000 })
  await shot('11-calls-retried')

  // Delete the failing webhook, after confirming.
  await page.goto('/webhooks')
  await page.getByRole('button', { name: 'Delete webhook Failing partner' }).click()
  const confirm = page.getByRole('dialog', { name: 'Delete webhook?' })
  await expect(confirm).toContainText('Failing partner')
  await shot('12-delete-confirm')
  await confirm.getByRole('button', { name: 'Delete webhook' }).click()
  await expect(confirm).toBeHidden()
  await expect(page.locator('tr[data-webhook-id]').filter({ hasText: 'Failing partner' })).toHaveCount(0)
  await expect(page.locator('tr[data-webhook-id]').filter({ hasText: 'Partner' })).toHaveCount(1)
  await shot('13-webhooks-after-delete')

  // Phone width.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.reload()
  await expect(page.getByRole('button', { name: 'Open menu' })).toBeVisible()
  await shot('14-webhooks-phone')
  await page.goto('/calls')
  await expect(page.locator('tr[data-call-id]').first()).toBeVisible()
  await shot('15-calls-phone')
  await uploader.close()
})

test('API tokens: create a viewer token, use it read-only, revoke it', async ({ page, signIn, shot, server }) => {
  await signIn(page, server.adminToken)
  await page.getByRole('link', { name: 'API tokens' }).click()
  await page.getByRole('button', { name: 'Create token' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create API token' })
  await dialog.getByLabel('Name').fill('Read-only dashboard')
  await dialog.getByLabel('Role').selectOption('VIEWER')
  await dialog.getByRole('button', { name: 'Create token' }).click()
  const created = page.getByRole('dialog', { name: 'Token created' })
  const secret = (await created.getByTestId('token-secret').textContent())?.trim() ?? ''
  expect(secret.length).toBeGreaterThan(16)
  await shot('20-token-created')
  await created.getByRole('button', { name: 'Done' }).click()
  const tokenRow = page.locator('tr[data-token-id]').filter({ hasText: 'Read-only dashboard' })
  await expect(tokenRow).toContainText('Viewer')
  await shot('21-tokens')

  // The viewer sees everything, changes nothing.
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  await signIn(page, secret)
  await expect(page.getByText('viewer token')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Add webhook' })).toHaveCount(0)
  await expect(page.getByRole('link', { name: 'API tokens' })).toHaveCount(0)
  await page.goto('/folders')
  await expect(page.getByLabel('New folder')).toHaveCount(0)
  await shot('22-viewer')
  await page.getByRole('button', { name: 'Sign out' }).click()

  // Revoke it; it no longer signs in.
  await signIn(page, server.adminToken)
  await page.goto('/tokens')
  // This browser's console session is listed, without an End button (that is signing out).
  const ownSession = page.locator('tr[data-session-id]').filter({ hasText: 'this browser' })
  await expect(ownSession).toHaveCount(1)
  await expect(ownSession).toContainText('bootstrap')
  await expect(ownSession.getByRole('button', { name: /End session/ })).toHaveCount(0)
  await tokenRow.getByRole('button', { name: 'Revoke token Read-only dashboard' }).click()
  await page.getByRole('dialog', { name: 'Revoke token?' }).getByRole('button', { name: 'Revoke token' }).click()
  await expect(tokenRow).toContainText('Revoked')
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByLabel('API token').fill(secret)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toContainText('not valid')
})
