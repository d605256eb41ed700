import type { APIRequestContext, Page } from '@playwright/test'
import { expect, test } from './fixtures'

/** The narrowest phone the console supports. */
const PHONE = { width: 360, height: 780 }

/** fitsWidth asserts that the document does not scroll sideways at the phone's width. */
async function fitsWidth(page: Page, what: string) {
  await page.waitForLoadState('networkidle')
  const w = (await page.evaluate('document.documentElement.scrollWidth')) as number
  expect(w, `${what}: document.documentElement.scrollWidth`).toBeLessThanOrEqual(PHONE.width)
}

async function gql(request: APIRequestContext, url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const r = await request.post(`${url}/graphql`, { headers: { Authorization: `Bearer ${token}` }, data: { query, variables } })
  const body = (await r.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] }
  expect(body.errors, query).toBeUndefined()
  return body.data ?? {}
}

// The server is shared with the other specs, which start from no webhooks:
// remove the ones made here.
test.afterEach(async ({ request, server }) => {
  const r = await gql(request, server.url, server.adminToken, '{ webhooks(first: 100) { edges { node { id } } } }')
  const edges = (r.webhooks as unknown as { edges: { node: { id: string } }[] }).edges
  for (const e of edges) await gql(request, server.url, server.adminToken, 'mutation($id: ID!) { deleteWebhook(id: $id) }', { id: e.node.id })
})

test('every page fits a 360 px phone', async ({ page, request, receiver, shot, server }) => {
  const ok = await receiver({ kind: 'ok' })
  // Long names and URLs are what push a page wider than the screen.
  const run = (q: string, v?: Record<string, unknown>) => gql(request, server.url, server.adminToken, q, v)
  const folder = (await run('mutation($n: String!) { createFolder(input: {name: $n}) { id } }', { n: 'Press photos of the spring collection 2026' })).createFolder.id
  await run('mutation { createFolder(input: {name: "Empty"}) { id } }')
  const hook = (
    await run('mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }', {
      in: {
        name: 'Partner with a rather long name for a phone',
        url: `${ok.url}/hooks/a-long-path-that-does-not-fit-on-a-phone-screen?token=0123456789abcdef`,
        folderIDs: [folder],
        active: true,
        filter: '.mov',
        headers: [{ name: 'Authorization', value: 'Bearer a-long-credential-0123456789' }],
      },
    })
  ).createWebhook.id

  await page.setViewportSize(PHONE)
  await page.goto('/webhooks')
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  await fitsWidth(page, 'sign in')
  await shot('360-01-sign-in')
  // On a phone the navigation (and Sign out) sits in a drawer behind the menu button.
  await page.getByLabel('API token').fill(server.adminToken)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('button', { name: 'Open menu' })).toBeVisible()

  // Folders: upload into the folder of the webhook, and into one without any.
  await page.goto('/folders')
  await page.getByLabel('Folder', { exact: true }).selectOption({ label: 'Press photos of the spring collection 2026' })
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'a-clip-with-a-long-file-name-from-the-shoot.mov', mimeType: 'video/quicktime', buffer: Buffer.from('x') })
  await page.getByRole('button', { name: 'Upload' }).click()
  await expect(page.getByText('1 webhook was called.')).toBeVisible()
  await page.getByLabel('Folder', { exact: true }).selectOption({ label: 'Empty' })
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'lonely.mov', mimeType: 'video/quicktime', buffer: Buffer.from('y') })
  await page.getByRole('button', { name: 'Upload' }).click()
  await expect(page.getByText('No webhook was called')).toBeVisible()
  await expect(page.locator('tr[data-file-id]')).toHaveCount(2)
  await fitsWidth(page, 'folders')
  await shot('360-02-folders')

  // Webhooks overview, after the delivery: both kinds named.
  await page.goto('/webhooks')
  const row = page.locator('tr[data-webhook-id]').first()
  await expect(row.locator('[data-last-call="DELIVERY"]')).toContainText('Succeeded', { timeout: 30_000 })
  await expect(row.locator('[data-last-call="VALIDATION"]')).toContainText('Succeeded')
  await fitsWidth(page, 'webhooks overview')
  await shot('360-03-webhooks')

  await page.getByRole('button', { name: 'Add webhook' }).first().click()
  await expect(page.getByRole('dialog', { name: 'Add webhook' })).toBeVisible()
  await fitsWidth(page, 'add dialog')
  await shot('360-04-add-dialog')
  await page.keyboard.press('Escape')

  await page.goto(`/webhooks/${hook}`)
  await expect(page.locator('[data-call-stats="DELIVERY"]')).toContainText('1 succeeded')
  await fitsWidth(page, 'webhook edit')
  await shot('360-05-webhook-edit')

  await page.goto('/calls')
  await expect(page.locator('tr[data-call-id]').first()).toBeVisible()
  await fitsWidth(page, 'call logs')
  await shot('360-06-calls')

  await page.locator('tr[data-call-id]').filter({ hasText: 'a-clip-with' }).getByRole('link', { name: /a-clip-with/ }).click()
  await expect(page.getByRole('complementary', { name: /^Call / })).toBeVisible()
  await fitsWidth(page, 'call detail')
  await shot('360-07-call-detail')

  await run('mutation { createApiToken(input: {name: "Monitoring of the partner agency, phone check", role: VIEWER}) { secret } }')
  await page.goto('/tokens')
  await expect(page.locator('tr[data-token-id]')).toHaveCount(1)
  await fitsWidth(page, 'tokens')
  await shot('360-08-tokens')

  // An unknown webhook says so, and leads back to the list.
  await page.goto('/webhooks/999999')
  await expect(page.getByRole('alert')).toContainText('This webhook does not exist')
  await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0)
  await fitsWidth(page, 'unknown webhook')
  await shot('360-09-unknown-webhook')
  await page.getByRole('link', { name: 'Back to the list of webhooks' }).click()
  await expect(page).toHaveURL(/\/webhooks$/)
})

test('the edit page shows a saved validation as just done, and background validations without a reload', async ({ page, request, receiver, signIn, server }) => {
  const ok = await receiver({ kind: 'ok' })
  const down = await receiver({ kind: 'ok' })
  const run = (q: string, v?: Record<string, unknown>) => gql(request, server.url, server.adminToken, q, v)
  const hook = (await run('mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }', { in: { name: 'Partner', url: ok.url } })).createWebhook.id
  // The browser's clock runs 20 s behind the server's: a validation just made
  // is still "just now", never "in 20 seconds".
  await page.clock.install({ time: Date.now() - 20_000 })
  await signIn(page, server.adminToken)
  await page.goto(`/webhooks/${hook}`)
  await expect(page.locator('[data-validation="VALID"]')).toBeVisible()
  await page.getByLabel(/^URL/).fill(`${ok.url}/changed`)
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByText('Saved.')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText(/^Last tested/)).toHaveText('Last tested just now')

  // A validation made elsewhere (as the worker's daily one is) shows up here by itself.
  await down.stop()
  await run('mutation($id: ID!, $u: String!) { updateWebhook(id: $id, input: {url: $u}) { id } }', { id: hook, u: down.url })
  await expect(page.locator('[data-validation="INVALID"]')).toBeVisible({ timeout: 15_000 })
})
