import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, freePort, gql, leave, startServer, test, uploadFile } from './fixtures'

// Screenshots of the charts, kept with the docs.
// The charts' screenshots: into docs/screenshots with SCOOPA_E2E_SCREENSHOTS=docs
// (to refresh the documentation's), else beside the test's other output, so
// that a test run leaves the checkout as it found it.
const docsShots =
  process.env.SCOOPA_E2E_SCREENSHOTS === 'docs'
    ? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots')
    : resolve(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots')

/** A receiver that answers 500 to the files whose name contains "bad", 200 to the rest, after a short pause. */
async function flakyReceiver(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const bad = /"file_name":"[^"]*bad/.test(body)
      setTimeout(() => {
        res.writeHead(bad ? 500 : 200, { 'Content-Type': 'application/json' })
        res.end(bad ? '{"error":"scripted failure"}' : '{"ok":true}')
      }, bad ? 5 : 40)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server }
}

// Files sent to a webhook whose receiver fails some of them make real
// attempts; the webhook's page then charts them (outcomes, latency, success
// rate, errors by kind) and the overview shows its sparkline.
test('delivery health charts render from real calls', async ({ page }) => {
  // A server of the test's own: the worker's is shared with specs that start from no webhook.
  const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-stats-'))
  const server = await startServer({ port: await freePort(), dataDir, adminToken: randomBytes(24).toString('hex') })
  const rc = await flakyReceiver()
  try {
    const folder = (await gql<{ createFolder: { id: string } }>(server, `mutation { createFolder(input: {name: "Health inbox"}) { id } }`)).createFolder.id
    const hook = (
      await gql<{ createWebhook: { id: string } }>(server, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, {
        in: { name: 'Flaky partner', url: rc.url, folderIDs: [folder], active: true },
      })
    ).createWebhook.id
    const names = ['ok-1.mov', 'ok-2.mov', 'ok-3.mov', 'ok-4.mov', 'bad-1.mov', 'bad-2.mov']
    for (const n of names) await uploadFile(server, folder, n)
    // Every call ends: the good ones at once, the bad ones after their 3 retries (2 s apart).
    await expect
      .poll(
        async () => {
          const d = await gql<{ webhookStats: { total: { succeeded: number; failed: number } } }>(
            server,
            `query($id: ID!, $from: Time!, $to: Time!) { webhookStats(id: $id, from: $from, to: $to) { total { succeeded failed } } }`,
            { id: hook, from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() },
          )
          return d.webhookStats.total
        },
        { timeout: 60_000 },
      )
      .toEqual({ succeeded: 4, failed: 2 })

    await page.goto(`${server.url}/webhooks`)
    await page.getByLabel('API token').fill(server.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
    await page.goto(`${server.url}/webhooks/${hook}`)
    // The page shows the webhook first; the charts come with their own query.
    await expect(page.getByRole('heading', { name: 'Flaky partner' })).toBeVisible()
    const health = page.getByTestId('delivery-health')
    await expect(health.getByTestId('success-rate')).toHaveText('66.7 %')
    // 4 succeeded, 6 retried (3 per bad file), 2 failed for good.
    await expect(health.getByRole('img', { name: /^Attempts per hour, last 24 hours: 24 bars\. 4 succeeded, 6 retrying, 2 failed/ })).toBeVisible()
    await expect(health.getByRole('img', { name: /^Latency per hour, last 24 hours: [12] of 24 buckets with attempts/ })).toBeVisible()
    await expect(health.getByTestId('error-kinds')).toContainText('HTTP 500 × 8')
    mkdirSync(docsShots, { recursive: true })
    await health.screenshot({ path: join(docsShots, 'delivery-health-24h.png') })

    await health.getByRole('button', { name: '7 days' }).click()
    await expect(health.getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true')
    await expect(health.getByRole('img', { name: /^Attempts per hour, last 7 days: 168 bars\. 4 succeeded, 6 retrying, 2 failed/ })).toBeVisible()
    await health.screenshot({ path: join(docsShots, 'delivery-health-7d.png') })

    // On the narrowest phone the charts' labels keep a readable size.
    await page.setViewportSize({ width: 360, height: 780 })
    await expect(health.getByTestId('latency-chart')).toBeVisible()
    await expect
      .poll(async () => {
        const heights = await health.locator('svg[data-testid$="-chart"] text').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().height))
        return Math.min(...heights)
      })
      .toBeGreaterThanOrEqual(10)
    await page.setViewportSize({ width: 1280, height: 800 })

    await page.goto(`${server.url}/webhooks`)
    const row = page.locator(`tr[data-webhook-id="${hook}"]`)
    await expect(row.getByRole('img', { name: 'Attempts of Flaky partner: 12 attempts in the last 24 hours, 4 succeeded, 8 failed.' })).toBeVisible()
    await page.screenshot({ path: join(docsShots, 'webhooks-sparklines.png'), fullPage: true })
  } finally {
    await leave(page)
    rc.server.closeAllConnections()
    await new Promise<void>((r) => rc.server.close(() => r()))
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
