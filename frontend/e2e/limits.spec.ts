import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, freePort, leave, startServer, test } from './fixtures'

test('delivery limits: set them on a webhook, see them saved, and the schedule of its calls', async ({ page, receiver, shot }) => {
  // A server of the test's own: the worker's is shared with webhooks.spec.ts, which starts from nothing.
  const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-limits-'))
  const server = await startServer({ port: await freePort(), dataDir, adminToken: randomBytes(24).toString('hex') })
  try {
    await flow(server.url, server.adminToken)
  } finally {
    await leave(page)
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }

  async function flow(base: string, token: string) {
    const ok = await receiver({ kind: 'ok' })
    await page.goto(`${base}/webhooks`)
    await page.getByLabel('API token').fill(token)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()

    // A folder and a webhook on it.
    await page.goto(`${base}/folders`)
    await page.getByLabel('New folder').fill('Limits inbox')
    await page.getByRole('button', { name: 'Create' }).click()
    await expect(page.locator('li[data-folder-id]').filter({ hasText: 'Limits inbox' })).toBeVisible()
    await page.goto(`${base}/webhooks`)
    await page.getByRole('button', { name: 'Add webhook' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Add webhook' })
    await dialog.getByLabel('Name').fill('Slow partner')
    await dialog.getByLabel(/^URL/).fill(ok.url)
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog).toBeHidden({ timeout: 30_000 })
    await page.getByRole('link', { name: 'Slow partner' }).click()
    await expect(page.getByRole('heading', { name: /Slow partner/ })).toBeVisible()

    // A timeout out of bounds is refused next to its field; a bad delay by the server, next to the schedule.
    await page.getByLabel(/Timeout \(seconds\)/).fill('31')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByText('The timeout must be a whole number from 1 to 30, or empty.')).toBeVisible()
    await page.getByLabel(/Timeout \(seconds\)/).fill('5')
    await page.getByLabel(/Retry delays/).fill('30s, soon')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByText(/Delay 2: .*"soon" is not a duration/)).toBeVisible({ timeout: 30_000 })
    await expect(page.getByLabel(/Retry delays/)).toHaveAttribute('aria-invalid', 'true')

    // Good values are saved, and still there after a reload.
    await page.getByRole('combobox').fill('limits')
    await page.getByRole('option', { name: 'Limits inbox' }).click()
    await page.getByLabel(/Max requests per second/).fill('20')
    await page.getByLabel(/Max requests at once/).fill('3')
    await page.getByLabel(/Retry delays/).fill('30s, 300s')
    await page.getByRole('switch', { name: 'Active' }).click()
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByText('Saved.')).toBeVisible({ timeout: 30_000 })
    await shot('limits-01-saved')
    await page.reload()
    await expect(page.getByLabel(/Max requests per second/)).toHaveValue('20')
    await expect(page.getByLabel(/Max requests at once/)).toHaveValue('3')
    await expect(page.getByLabel(/Timeout \(seconds\)/)).toHaveValue('5')
    await expect(page.getByLabel(/Retry delays/)).toHaveValue('30s, 5m')

    // A file: its call keeps the webhook's schedule, shown in the call's detail.
    await page.goto(`${base}/folders`)
    await page.getByLabel('Folder', { exact: true }).selectOption({ label: 'Limits inbox' })
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'limited.mov', mimeType: 'video/quicktime', buffer: Buffer.from('x') })
    await page.getByRole('button', { name: 'Upload' }).click()
    await expect(page.getByText('“limited.mov”')).toBeVisible()
    await page.goto(`${base}/calls`)
    const row = page.locator('tr[data-call-id]').filter({ hasText: 'limited.mov' }).first()
    await expect(row).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 30_000 })
    await row.getByRole('link', { name: 'limited.mov' }).click()
    const panel = page.getByRole('complementary', { name: /^Call / })
    await expect(panel.getByText('Retry schedule')).toBeVisible()
    await expect(panel).toContainText('30s, 5m')
    await shot('limits-02-call-schedule')
    expect(ok.deliveriesReceived()).toHaveLength(1)
  }
})
