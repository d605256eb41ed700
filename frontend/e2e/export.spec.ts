import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, freePort, startServer, test, type ScoopaServer } from './fixtures'

async function gql<T>(server: ScoopaServer, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  })
  const body = (await r.json()) as { data: T; errors?: unknown[] }
  if (body.errors?.length) throw new Error(`${query}: ${JSON.stringify(body.errors)}`)
  return body.data
}

async function upload(server: ScoopaServer, folderID: string, name: string): Promise<void> {
  const fd = new FormData()
  fd.set('operations', JSON.stringify({ query: 'mutation($f: ID!, $file: Upload!) { uploadFile(folderID: $f, file: $file) { id } }', variables: { f: folderID, file: null } }))
  fd.set('map', JSON.stringify({ '0': ['variables.file'] }))
  fd.set('0', new Blob([`content of ${name}`], { type: 'video/quicktime' }), name)
  const r = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { Authorization: `Bearer ${server.adminToken}` }, body: fd })
  const body = (await r.json()) as { errors?: unknown[] }
  if (body.errors?.length) throw new Error(`upload: ${JSON.stringify(body.errors)}`)
}

// The Export link of the call log downloads, with the session cookie, a CSV
// of the calls that the page's filters select.
test('the call log exports the filtered calls as CSV', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-export-'))
  const server = await startServer({ port: await freePort(), dataDir, adminToken: randomBytes(24).toString('hex') })
  try {
    const folder = (await gql<{ createFolder: { id: string } }>(server, `mutation { createFolder(input: {name: "Inbox"}) { id } }`)).createFolder.id
    await gql(server, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, {
      in: { name: 'Partner', url: 'http://127.0.0.1:9/hook', folderIDs: [folder], active: true },
    })
    for (const name of ['keep-1.mov', 'keep-2.mov', 'drop.mov']) await upload(server, folder, name)

    await page.goto(`${server.url}/calls?file=keep`)
    await page.getByLabel('API token').fill(server.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
    await expect(page.getByText('keep-2.mov').first()).toBeVisible()

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()])
    expect(download.suggestedFilename()).toMatch(/^calls-\d{8}T\d{6}Z\.csv$/)
    const csv = readFileSync((await download.path())!, 'utf8')
    const lines = csv.trim().split('\r\n') // RFC 4180: CRLF, every cell quoted
    const header = 'id,createdAt,status,kind,origin,webhookId,webhookName,targetURL,fileName,folderName,filter,attemptCount,responseStatus,error,completedAt,test,filters,fetchFirstAt,fetchCount,fetchBytes,fetchLastComplete'
    expect(lines[0]).toBe(header.split(',').map((c) => `"${c}"`).join(','))
    expect(lines).toHaveLength(3)
    expect(csv).toContain('keep-1.mov')
    expect(csv).toContain('keep-2.mov')
    expect(csv).not.toContain('drop.mov')
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
