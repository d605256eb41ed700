import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ConsoleMessage, Page } from '@playwright/test'
import { expect, freePort, gql, leave, startServer, test, uploadFile, type ScoopaServer } from './fixtures'

async function createFolder(server: ScoopaServer, name: string): Promise<string> {
  const d = await gql<{ createFolder: { id: string } }>(server, 'mutation($n: String!) { createFolder(input: {name: $n}) { id } }', { n: name })
  return d.createFolder.id
}

async function createWebhook(server: ScoopaServer, name: string, url: string, folderIDs: string[]): Promise<string> {
  const d = await gql<{ createWebhook: { id: string } }>(server, 'mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }', {
    in: { name, url, folderIDs, active: true },
  })
  return d.createWebhook.id
}

// A partner's portal, end to end: an admin shares webhook A through a
// portal link from the console; the link, opened in another browser, shows
// the partner A's webhook and only its calls, live; the partner rotates its
// secret and moves its URL (validated on save), cannot reach B's webhook,
// and the admin finds the partner's changes in the audit log.
test('a portal link opens a partner’s view of its webhooks only, where it manages them', async ({ page, browser, receiver, consoleErrors, shot }) => {
  // A server of its own: webhooks.spec.ts expects the worker's server to start from nothing.
  const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-portal-'))
  const server = await startServer({ port: await freePort(), dataDir, adminToken: randomBytes(24).toString('hex') })
  const partnerContext = await browser.newContext({ baseURL: server.url })
  const watch = (p: Page) => {
    p.on('console', (msg: ConsoleMessage) => {
      if (msg.type() !== 'error') return
      // A used link is answered 401, which the browser logs itself.
      if (/status of 401/.test(msg.text()) && /\/api\/session\/portal$/.test(msg.location().url)) return
      consoleErrors.push(`partner: ${msg.text()} (${msg.location().url})`)
    })
    p.on('pageerror', (err) => consoleErrors.push(`partner pageerror: ${err.message}`))
  }
  partnerContext.on('page', watch)
  try {
    const receiverA = await receiver({ kind: 'ok' })
    const receiverB = await receiver({ kind: 'ok' })
    const movedA = await receiver({ kind: 'ok' })
    const folderA = await createFolder(server, 'Acme inbox')
    const folderB = await createFolder(server, 'Bolt inbox')
    const hookA = await createWebhook(server, 'Acme delivery', receiverA.url, [folderA])
    const hookB = await createWebhook(server, 'Bolt delivery', receiverB.url, [folderB])

    // The admin mints a link for A, with the manage grant, from A's page.
    await page.goto(`${server.url}/webhooks/${hookA}`)
    await page.getByLabel('API token').fill(server.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('button', { name: 'Share with partner' }).click()
    const share = page.getByRole('dialog', { name: 'Share with partner' })
    await expect(share.getByRole('checkbox', { name: 'Acme delivery' })).toBeChecked()
    await expect(share.getByRole('checkbox', { name: 'Bolt delivery' })).not.toBeChecked()
    await share.getByLabel('Partner name').fill('Acme Media')
    await share.getByLabel('Title of the partner’s view').fill('Acme media webhooks')
    await share.getByLabel('Link valid for').selectOption('1h')
    await share.getByRole('checkbox', { name: /May change delivery settings/ }).check()
    await share.getByRole('button', { name: 'Create link' }).click()
    const created = page.getByRole('dialog', { name: 'Portal link created' })
    const link = (await created.getByTestId('portal-link').textContent())?.trim() ?? ''
    expect(link).toMatch(new RegExp(`^${server.url}/portal#spl_`))
    await expect(created.getByTestId('portal-link-expiry')).toContainText(/Expires in (59 minutes|60 minutes|1 hour)/)
    await expect(created.getByRole('button', { name: 'Copy link' })).toBeVisible()
    await shot('partner-share-link', page)
    await created.getByRole('button', { name: 'Done' }).click()

    // In a browser of its own, the link opens A's view; the link leaves the address.
    const partner = await partnerContext.newPage()
    await partner.goto(link)
    await expect(partner).toHaveURL(`${server.url}/webhooks`)
    await expect(partner.getByRole('banner')).toContainText('Acme media webhooks')
    await expect(partner.locator('tr[data-webhook-id]')).toHaveCount(1)
    await expect(partner.getByRole('link', { name: 'Acme delivery' })).toBeVisible()
    await expect(partner.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['Webhooks', 'Call log'])
    await shot('partner-webhooks', partner)

    // The link works once: opened again, in yet another browser, it says so.
    const again = await browser.newContext({ baseURL: server.url })
    again.on('page', watch)
    try {
      const late = await again.newPage()
      await late.goto(link)
      await expect(late.getByRole('heading', { name: 'This link has expired or was already used' })).toBeVisible()
      await expect(late.getByRole('alert')).toContainText('for a new one')
      expect(new URL(late.url()).hash).toBe('')
      await shot('partner-link-used', late)
      await leave(late)
    } finally {
      await again.close()
    }

    // The call log, live: B's file arrives and is delivered first, then
    // A's; A's call appears without a reload, B's never does.
    await partner.getByRole('link', { name: 'Call log' }).click()
    await expect(partner.locator('[data-live="connected"]')).toBeVisible()
    await expect(partner.locator('tr[data-call-id]')).toHaveCount(1) // A's validation
    await uploadFile(server, folderB, 'bolt-confidential.mov')
    await expect.poll(() => receiverB.deliveriesReceived().length).toBe(1)
    await uploadFile(server, folderA, 'acme-clip-1.mov')
    const rowA = partner.locator('tr[data-call-id]').filter({ hasText: 'acme-clip-1.mov' })
    await expect(rowA).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 30_000 })
    await uploadFile(server, folderB, 'bolt-confidential-2.mov')
    await uploadFile(server, folderA, 'acme-clip-2.mov')
    await expect.poll(() => receiverB.deliveriesReceived().length).toBe(2)
    await expect(partner.locator('tr[data-call-id]').filter({ hasText: 'acme-clip-2.mov' })).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 30_000 })
    await expect(partner.locator('tr[data-call-id]')).toHaveCount(3)
    expect(await partner.locator('main').textContent()).not.toContain('bolt-confidential')
    await shot('partner-calls', partner)

    // A rotates its secret, and sees the new one.
    await partner.getByRole('link', { name: 'Webhooks' }).click()
    await partner.getByRole('link', { name: 'Acme delivery' }).click()
    const form = partner.getByRole('form', { name: 'Delivery settings' })
    await expect(form).toBeVisible()
    await expect(form.getByLabel('Name')).toHaveCount(0)
    await expect(form.getByRole('switch', { name: 'Active' })).toHaveCount(0)
    await expect(partner.getByRole('button', { name: /Delete|Share with partner/ })).toHaveCount(0)
    const before = await partner.getByLabel('Signing secret').textContent()
    await partner.getByRole('button', { name: 'Rotate secret' }).click()
    await partner.getByRole('dialog', { name: 'Rotate the signing secret?' }).getByRole('button', { name: 'Rotate secret' }).click()
    await expect(partner.getByText('New secret in place.')).toBeVisible()
    await expect(partner.getByLabel('Signing secret')).toContainText('whsec_')
    await expect(partner.getByLabel('Signing secret')).not.toHaveText(before ?? '')

    // A moves its URL to another receiver: saved after the validation call reached it.
    await form.getByLabel('URL').fill(movedA.url)
    await form.getByRole('button', { name: 'Save changes' }).click()
    await expect(form.getByText('Saved.')).toBeVisible({ timeout: 30_000 })
    expect(movedA.requests.filter((r) => r.validation)).toHaveLength(1)
    await expect(form.getByLabel('URL')).toHaveValue(movedA.url)
    await shot('partner-webhook', partner)

    // B's webhook is not there for A.
    await partner.goto(`/webhooks/${hookB}`)
    await expect(partner.getByRole('alert')).toContainText('This webhook does not exist')
    await expect(partner.getByText('Bolt delivery')).toHaveCount(0)

    // The admin sees A's changes in the audit log, made with A's token.
    await page.getByRole('link', { name: 'Audit log' }).click()
    const table = page.getByRole('table', { name: 'Audit log' })
    const rotated = table.locator('tr', { hasText: 'webhook.rotate_secret' }).filter({ hasText: 'Acme delivery' })
    await expect(rotated).toContainText('Acme Media')
    const updated = table.locator('tr', { hasText: 'webhook.update' }).filter({ hasText: 'Acme delivery' })
    await expect(updated).toContainText('Acme Media')
    await expect(updated).toContainText('url')
    await expect(updated).toContainText(movedA.url)
    await shot('partner-audit', page)
  } finally {
    await leave(page, ...partnerContext.pages())
    await partnerContext.close()
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
