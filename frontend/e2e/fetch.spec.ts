import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, freePort, gql, leave, startServer, test, uploadFile } from './fixtures'

// A server of its own: the worker's server is shared with webhooks.spec.ts, which starts from nothing.
test('the call log shows live which receiver fetched its file and which did not', async ({ page, receiver, shot }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-fetch-'))
  const server = await startServer({ port: await freePort(), dataDir, adminToken: randomBytes(24).toString('hex') })
  try {
    const fetcher = await receiver({ kind: 'fetch' })
    const answerer = await receiver({ kind: 'ok' })
    const folder = (await gql<{ createFolder: { id: string } }>(server, `mutation { createFolder(input: {name: "Fetch inbox"}) { id } }`)).createFolder.id
    for (const [name, url] of [
      ['Downloads it', fetcher.url],
      ['Only answers', answerer.url],
    ]) {
      await gql(server, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, { in: { name, url, folderIDs: [folder], active: true } })
    }

    await page.goto(`${server.url}/calls?kind=DELIVERY`)
    await page.getByLabel('API token').fill(server.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.locator('[data-live="connected"]')).toBeVisible()
    await expect(page.locator('tr[data-call-id]')).toHaveCount(0)

    // Uploaded after the page opened: the page is never reloaded.
    await uploadFile(server, folder, 'fetch-me.mov')
    const fetched = page.locator('tr[data-call-id]').filter({ hasText: 'Downloads it' })
    const ignored = page.locator('tr[data-call-id]').filter({ hasText: 'Only answers' })
    await expect(fetched).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 30_000 })
    await expect(ignored).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 30_000 })
    await expect(fetched.locator('[data-fetch]')).toContainText('Fetched')
    await expect(ignored.locator('[data-fetch]')).toHaveText('Not fetched yet')
    await expect.poll(() => fetcher.downloads).toEqual([Buffer.byteLength('content of fetch-me.mov')])
    await shot('fetch-call-log')

    await ignored.getByRole('link', { name: /open details/ }).click()
    await expect(page.getByText('Fetched by the receiver')).toBeVisible()
    await expect(page.locator('aside [data-fetch]')).toHaveText('Not fetched yet')
  } finally {
    await leave(page)
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
