import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, freePort, gql, leave, startServer, test, type ScoopaServer } from './fixtures'

async function createWebhook(server: ScoopaServer, name: string, url: string, folderIDs: string[]) {
  const d = await gql<{ createWebhook: { id: string } }>(
    server,
    `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`,
    { in: { name, url, folderIDs, active: true } },
  )
  return d.createWebhook.id
}

/** ownServer starts a server of the test's own (the worker's server is shared with webhooks.spec.ts, which starts from nothing). */
async function ownServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-live-'))
  const opts = { port: await freePort(), dataDir, adminToken: randomBytes(24).toString('hex') }
  const server = await startServer(opts)
  return {
    server,
    opts,
    cleanup: async () => {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

test('the call log of one webhook updates live: See its calls, upload, the new call appears', async ({ page, context, receiver, shot }) => {
  const { server, cleanup } = await ownServer()
  try {
    const ok = await receiver({ kind: 'ok' })
    const other = await receiver({ kind: 'ok' })
    const folder = (await gql<{ createFolder: { id: string } }>(server, `mutation { createFolder(input: {name: "Live inbox"}) { id } }`)).createFolder.id
    const id = await createWebhook(server, 'Live partner', ok.url, [folder])
    await createWebhook(server, 'Other partner', other.url, [folder])

    await page.goto(`${server.url}/webhooks/${id}`)
    await page.getByLabel('API token').fill(server.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('link', { name: 'See its calls' }).click()
    await expect(page).toHaveURL(new RegExp(`/calls\\?webhook=${id}$`))
    await expect(page.locator('[data-live="connected"]')).toBeVisible()
    // Only the validation call of this webhook so far.
    await expect(page.locator('tr[data-call-id]')).toHaveCount(1)

    // The upload happens in another tab; this one is never reloaded.
    const uploader = await context.newPage()
    await uploader.goto(`${server.url}/folders`)
    await uploader.getByLabel('Folder', { exact: true }).selectOption({ label: 'Live inbox' })
    await uploader.getByLabel('File', { exact: true }).setInputFiles({ name: 'live-clip.mov', mimeType: 'video/quicktime', buffer: Buffer.from('live') })
    await uploader.getByRole('button', { name: 'Upload' }).click()
    await expect(uploader.getByText('“live-clip.mov”')).toBeVisible()

    const row = page.locator('tr[data-call-id]').filter({ hasText: 'live-clip.mov' })
    await expect(row).toHaveCount(1) // the other webhook's call stays out
    await expect(row).toContainText('Live partner')
    await expect(row).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 30_000 })
    await expect(page.locator('tr[data-call-id]')).toHaveCount(2)
    await expect(page.locator('[data-live="connected"]')).toBeVisible()
    expect(other.deliveriesReceived()).toHaveLength(1)
    await shot('30-calls-of-one-webhook-live')
    await uploader.close()
  } finally {
    await leave(...context.pages())
    await cleanup()
  }
})

/** graphql-ws's browser build (the package exports no path to it). */
const graphqlWsUMD = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'graphql-ws', 'umd', 'graphql-ws.min.js')

/** subscriptions is the server's count of live subscriptions (its metrics). */
async function subscriptions(server: ScoopaServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  return Number(/^scoopa_subscriptions (\S+)$/m.exec(text)?.[1] ?? NaN)
}

test('a graphql-ws client with default settings gets back in after a server restart', async ({ page }) => {
  const own = await ownServer()
  const opts = own.opts
  let server = own.server
  try {
    // A page of the server's origin without the console (and its CSP), with
    // graphql-ws's own browser build.
    await page.goto(`${server.url}/healthz`)
    await page.addScriptTag({ path: graphqlWsUMD })
    await page.evaluate(({ token, url }) => {
      type W = { graphqlWs: { createClient: (o: object) => { subscribe: (p: object, s: object) => void } } } & Record<string, unknown>
      const w = globalThis as unknown as W
      const seen = { connected: 0, closes: [] as number[], events: [] as unknown[], ended: '' }
      w.seen = seen
      const client = w.graphqlWs.createClient({
        url,
        connectionParams: { Authorization: `Bearer ${token}` },
        on: {
          connected: () => seen.connected++,
          closed: (e: { code?: number }) => seen.closes.push(e?.code ?? 0),
        },
      })
      client.subscribe(
        { query: 'subscription { webhookCallUpdated { id status webhook { id name } } }' },
        {
          next: (v: unknown) => seen.events.push(v),
          error: (e: { code?: number; type?: string }) => (seen.ended = `error ${e?.code ?? e?.type ?? String(e)}`),
          complete: () => (seen.ended = 'complete'),
        },
      )
    }, { token: opts.adminToken, url: `${server.url.replace('http', 'ws')}/graphql` })
    const seen = () => page.evaluate(() => (globalThis as unknown as { seen: { connected: number; closes: number[]; events: unknown[]; ended: string } }).seen)
    await expect.poll(async () => (await seen()).connected).toBe(1)
    await expect.poll(() => subscriptions(server)).toBe(1)

    await server.stop()
    server = await startServer(opts)
    await expect.poll(async () => (await seen()).connected, { timeout: 30_000 }).toBe(2)
    expect((await seen()).closes).toEqual([1012])

    // Subscribed again (the server counts it): the validation call of a new
    // webhook arrives, its relations resolved.
    await expect.poll(() => subscriptions(server), { timeout: 10_000 }).toBe(1)
    const id = await createWebhook(server, 'After restart', 'http://127.0.0.1:9/', [])
    await expect.poll(async () => (await seen()).events.length, { timeout: 30_000 }).toBeGreaterThan(0)
    const s = await seen()
    expect(s.ended).toBe('')
    expect(s.events[0]).toMatchObject({ data: { webhookCallUpdated: { webhook: { id, name: 'After restart' } } } })
  } finally {
    await server.stop()
    await own.cleanup()
  }
})
