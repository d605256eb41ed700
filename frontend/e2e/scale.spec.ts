import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, freePort, gql, leave, startServer, test, type ScoopaServer } from './fixtures'

const FOLDERS = 5000
const WEBHOOKS = 1000
const pad = (i: number) => String(i).padStart(4, '0')
const folderName = (i: number) => `Folder-${pad(i)}-${['Paris', 'Lyon', 'Marseille', 'Lille'][i % 4]}`

/**
 * seed creates folders and webhooks through the API: many mutations per
 * request (aliases); the folders (listed by name) with several requests at
 * once, the webhooks (listed by creation) in order.
 */
async function seed(server: ScoopaServer, receiverURL: string) {
  const batches = <T,>(n: number, size: number, f: (from: number, to: number) => Promise<T>) =>
    Array.from({ length: Math.ceil(n / size) }, (_, b) => () => f(b * size, Math.min(n, (b + 1) * size)))
  const run = async (jobs: (() => Promise<unknown>)[], parallel: number) => {
    const queue = [...jobs]
    await Promise.all(Array.from({ length: parallel }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job()
    }))
  }
  await run(
    batches(FOLDERS, 250, (from, to) => {
      const fields = Array.from({ length: to - from }, (_, k) => `f${from + k}: createFolder(input: {name: "${folderName(from + k)}"}) { id }`)
      return gql(server, `mutation { ${fields.join(' ')} }`)
    }),
    4,
  )
  await run(
    batches(WEBHOOKS, 50, (from, to) => {
      const fields = Array.from({ length: to - from }, (_, k) => `w${from + k}: createWebhook(input: {name: "Hook ${pad(from + k)}", url: "${receiverURL}/h${from + k}"}) { id }`)
      return gql(server, `mutation { ${fields.join(' ')} }`)
    }),
    // One batch at a time: the list shows webhooks in the order they were made.
    1,
  )
}

test(`${FOLDERS} folders and ${WEBHOOKS} webhooks: page the list, find a webhook and a folder by search, pick the folder, save, find the webhook by it`, async ({ page, receiver, shot }) => {
  // About 40 s on an idle machine; the margin is for a busy one (2.2 min seen with other work running).
  test.setTimeout(300_000)
  // A server of the test's own: the worker's is shared with specs that start from nothing.
  const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-scale-'))
  const server = await startServer({
    port: await freePort(),
    dataDir,
    adminToken: randomBytes(24).toString('hex'),
    env: { SCOOPA_RATE_LIMIT: '0', SCOOPA_MAX_QUERY_TOKENS: '1000000', SCOOPA_MAX_QUERY_BYTES: '16777216' },
  })
  try {
    const ok = await receiver({ kind: 'ok' })
    const t0 = Date.now()
    await seed(server, ok.url)
    console.log(`seeded ${FOLDERS} folders and ${WEBHOOKS} webhooks in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    await flow(server)
  } finally {
    await leave(page)
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }

  async function flow(server: ScoopaServer) {
    const base = server.url
    await page.goto(`${base}/webhooks`)
    await page.getByLabel('API token').fill(server.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()

    // The list shows a page of 50 of the 1,000 and moves by cursor.
    const pager = page.getByRole('navigation', { name: 'Webhooks pages' })
    const rows = page.locator('tr[data-webhook-id]')
    await expect(pager).toContainText(`1–50 of ${WEBHOOKS}`)
    await expect(rows).toHaveCount(50)
    await expect(rows.first()).toContainText('Hook 0000')
    await pager.getByRole('button', { name: 'Next' }).click()
    await expect(pager).toContainText(`51–100 of ${WEBHOOKS}`)
    await expect(rows.first()).toContainText('Hook 0050')
    await expect(rows.filter({ hasText: 'Hook 0000' })).toHaveCount(0)
    await shot('scale-01-webhooks-page-2')
    await pager.getByRole('button', { name: 'Next' }).click()
    await expect(pager).toContainText(`101–150 of ${WEBHOOKS}`)
    await pager.getByRole('button', { name: 'Previous' }).click()
    await expect(pager).toContainText(`51–100 of ${WEBHOOKS}`)

    // Find a webhook far beyond the first page by a fragment of its name.
    await page.getByRole('searchbox', { name: 'Search webhooks' }).fill('hook 0777')
    await expect(pager).toContainText('1–1 of 1')
    await expect(rows).toHaveCount(1)
    await rows.first().getByRole('link', { name: 'Hook 0777' }).click()
    await expect(page.getByRole('heading', { name: /Hook 0777/ })).toBeVisible()

    // In its form, find folder 4321 of 5,000 by a fragment of its name, in another case.
    const picker = page.getByRole('combobox', { name: /Choose folders/ })
    await picker.click()
    await expect(page.getByRole('option')).toHaveCount(20)
    await picker.fill('4321-LY')
    await expect(page.getByRole('option')).toHaveCount(1)
    await shot('scale-02-folder-picker')
    await page.getByRole('option', { name: folderName(4321) }).click()
    await expect(page.getByRole('button', { name: `Remove folder ${folderName(4321)}` })).toBeVisible()
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByText('Saved.')).toBeVisible()

    // After a reload the chosen folder shows by name, though it is not among the picker's first page.
    await page.reload()
    await expect(page.getByRole('button', { name: `Remove folder ${folderName(4321)}` })).toBeVisible()

    // The list finds the webhook by the name of its new folder.
    await page.goto(`${base}/webhooks`)
    await page.getByRole('searchbox', { name: 'Search webhooks' }).fill('4321-lyon')
    await expect(pager).toContainText('1–1 of 1')
    await expect(rows).toHaveCount(1)
    await expect(rows.first()).toContainText('Hook 0777')
    await expect(rows.first()).toContainText(folderName(4321))
    await shot('scale-03-webhooks-search-by-folder')

    // The folders list searches and pages too.
    await page.goto(`${base}/folders`)
    const folderPager = page.getByRole('navigation', { name: 'Folders pages' })
    await expect(folderPager).toContainText(`1–50 of ${FOLDERS}`)
    await folderPager.getByRole('button', { name: 'Next' }).click()
    await expect(folderPager).toContainText(`51–100 of ${FOLDERS}`)
    await expect(page.locator('li[data-folder-id]').first()).toContainText(folderName(50))
    await page.getByRole('searchbox', { name: 'Search folders' }).fill('4321')
    await expect(folderPager).toContainText('1–1 of 1')
    await expect(page.locator('li[data-folder-id]').filter({ hasText: folderName(4321) })).toContainText('Hook 0777')
    await shot('scale-04-folders-search')
  }
})
