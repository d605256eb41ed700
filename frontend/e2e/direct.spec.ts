import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { expect, freePort, startServer, test as base, type ScoopaServer } from './fixtures'

// A server of its own with direct uploads on (the local store: parts go to
// the server's own signed part URLs, streamed to disk) and 5 MiB parts.
const test = base.extend<object, { server: ScoopaServer }>({
  server: [
    async ({}, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-direct-'))
      const s = await startServer({
        port: await freePort(),
        dataDir,
        adminToken: randomBytes(24).toString('hex'),
        env: { SCOOPA_DIRECT_UPLOADS: 'on', SCOOPA_UPLOAD_PART_BYTES: '5242880' },
      })
      try {
        await use(s)
      } finally {
        await s.stop()
        rmSync(dataDir, { recursive: true, force: true })
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
})

test('a file goes straight to the store in parts, with progress, and resumes after a dropped part', async ({ page, request, server, signIn, shot, consoleErrors }) => {
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = await request.post(`${server.url}/graphql`, { headers: { Authorization: `Bearer ${server.adminToken}` }, data: { query, variables } })
    const body = (await r.json()) as { data?: Record<string, any>; errors?: unknown[] } // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body.errors, query).toBeUndefined()
    return body.data ?? {}
  }
  await gql('mutation { createFolder(input: {name: "Videos"}) { id } }')
  await signIn(page)

  // 12 MiB and a bit: three parts of 5 MiB. The first PUT of part 2 is cut off.
  const content = randomBytes(12 * 1024 * 1024 + 321)
  const puts: string[] = []
  let dropped = false
  await page.route('**/uploads/*/parts/*', async (route) => {
    const part = new URL(route.request().url()).pathname.split('/').pop()!
    puts.push(part)
    if (part === '2' && !dropped) {
      dropped = true
      await route.abort('connectionreset')
      return
    }
    await route.continue()
  })
  const graphqlOps: string[] = []
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && r.method() === 'POST') graphqlOps.push(String((r.postDataJSON() as { query?: string } | null)?.query ?? '').match(/mutation (\w+)/)?.[1] ?? '')
  })

  await page.goto('/folders')
  await page.getByLabel('Folder', { exact: true }).selectOption({ label: 'Videos' })
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'long-take.mp4', mimeType: 'video/mp4', buffer: content })
  await page.getByRole('button', { name: 'Upload' }).click()
  await expect(page.getByText('“long-take.mp4” (12 MiB) was uploaded.', { exact: false })).toBeVisible({ timeout: 60_000 })
  await shot('direct-upload-done')

  // Parts 1 and 3 once, part 2 twice (cut off, then resumed); no uploadFile.
  expect(puts.filter((p) => p === '1')).toHaveLength(1)
  expect(puts.filter((p) => p === '2')).toHaveLength(2)
  expect(puts.filter((p) => p === '3')).toHaveLength(1)
  expect(graphqlOps).toContain('CreateUpload')
  expect(graphqlOps).toContain('UploadParts')
  expect(graphqlOps).toContain('CompleteUpload')
  expect(graphqlOps).not.toContain('UploadFile')

  const files = await gql('{ files(first: 5) { edges { node { name sizeBytes sha256 } } } }')
  const node = files.files.edges[0].node
  expect(node).toEqual({ name: 'long-take.mp4', sizeBytes: content.length, sha256: createHash('sha256').update(content).digest('hex') })

  // The browser logs the part it lost; that one is expected.
  const lost = consoleErrors.filter((e) => /ERR_CONNECTION_RESET .*\/uploads\/\w+\/parts\/2\?/.test(e))
  expect(lost).toHaveLength(1)
  consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !lost.includes(e)))
})
