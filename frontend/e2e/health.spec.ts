import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, freePort, gql, leave, startServer, test, uploadFile } from './fixtures'

type Health = { node: { active: boolean; disabledReason: string | null; disabledAt: string | null } }
const healthQuery = `query($id: ID!) { node(id: $id) { ... on Webhook { active disabledReason disabledAt } } }`

test('a webhook whose receiver answers 410 Gone is deactivated with its reason shown; Activate again clears it', async ({ page, receiver, shot }) => {
  // A server of the test's own, which deactivates webhooks (SCOOPA_DISABLE_AFTER is off by default).
  const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-health-'))
  const server = await startServer({ port: await freePort(), dataDir, adminToken: randomBytes(24).toString('hex'), env: { SCOOPA_DISABLE_AFTER: '72h' } })
  try {
    const gone = await receiver({ kind: 'gone' })
    const folder = (await gql<{ createFolder: { id: string } }>(server, `mutation { createFolder(input: {name: "Gone inbox"}) { id } }`)).createFolder.id
    const id = (
      await gql<{ createWebhook: { id: string } }>(server, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, {
        in: { name: 'Gone partner', url: gone.url, folderIDs: [folder], active: true },
      })
    ).createWebhook.id
    await uploadFile(server, folder, 'gone-clip.mov')
    await expect
      .poll(async () => (await gql<Health>(server, healthQuery, { id })).node.disabledReason, { timeout: 30_000 })
      .toMatch(/^receiver answered 410 Gone at /)
    const reason = (await gql<Health>(server, healthQuery, { id })).node.disabledReason ?? ''

    // The list marks it, with the reason on hover.
    await page.goto(`${server.url}/webhooks`)
    await page.getByLabel('API token').fill(server.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    const row = page.locator('tr[data-webhook-id]').filter({ hasText: 'Gone partner' })
    await expect(row.getByText('Inactive')).toBeVisible()
    const badge = row.locator('[data-disabled-reason]')
    await expect(badge).toContainText('Deactivated by scoopa')
    // The reason as the console writes it: its time like the other dates.
    await expect(badge).toHaveAttribute('title', /^Deactivated by scoopa: receiver answered 410 Gone at [A-Z][a-z]{2} \d{1,2}, \d{4}, /)
    expect(reason).toMatch(/^receiver answered 410 Gone at \d{4}-/)
    await shot('40-webhooks-deactivated-badge')

    // Its page says why, and activates it again.
    await row.getByRole('link', { name: 'Gone partner' }).click()
    const banner = page.getByTestId('disabled-banner')
    await expect(banner).toContainText('scoopa deactivated this webhook')
    await expect(banner).toContainText(/receiver answered 410 Gone at [A-Z][a-z]{2} \d{1,2}, \d{4}, /)
    await expect(banner).not.toContainText(reason) // not the raw timestamp
    await expect(page.getByRole('switch', { name: 'Active' })).toHaveAttribute('aria-checked', 'false')
    await shot('41-webhook-deactivated-banner')
    await banner.getByRole('button', { name: 'Activate again' }).click()
    await expect(banner).toBeHidden()
    await expect(page.getByRole('switch', { name: 'Active' })).toHaveAttribute('aria-checked', 'true')
    expect((await gql<Health>(server, healthQuery, { id })).node).toEqual({ active: true, disabledReason: null, disabledAt: null })

    await page.getByRole('link', { name: 'All webhooks' }).click()
    await expect(row.getByText('Active', { exact: true })).toBeVisible()
    await expect(row.locator('[data-disabled-reason]')).toHaveCount(0)
  } finally {
    await leave(page)
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
