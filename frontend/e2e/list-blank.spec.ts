// The webhook list never goes blank after a save: not when a webhook is
// added from the list, not when one was saved on its page and the list is
// opened again, not while live refreshes run, with a search, on a later
// page, or on a phone. A watcher in the page checks every animation frame
// and every DOM change whether the list shows no rows (or the spinner, or
// the empty state) once it has shown some.

import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, freePort, gql, leave, startServer, test, type ScoopaServer } from './fixtures'

/** ownServer starts a server of the test's own: the worker's server is shared with specs that start from no webhooks. */
async function ownServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-listblank-'))
  const server = await startServer({ port: await freePort(), dataDir, adminToken: randomBytes(24).toString('hex') })
  return {
    server,
    cleanup: async () => {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function createWebhook(server: ScoopaServer, input: Record<string, unknown>): Promise<string> {
  const d = await gql<{ createWebhook: { id: string } }>(server, 'mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }', { in: input })
  return d.createWebhook.id
}

async function createFolder(server: ScoopaServer, name: string): Promise<string> {
  return (await gql<{ createFolder: { id: string } }>(server, 'mutation($n: String!) { createFolder(input: {name: $n}) { id } }', { n: name })).createFolder.id
}

/**
 * seed makes n webhooks: some on a folder and active, some for all folders,
 * some with neither (not active); the first `partners` are named
 * "Partner …", the rest "Other …", so a search for "Partner" matches a few.
 */
async function seed(server: ScoopaServer, url: string, n: number, partners = 5) {
  const folders = [await createFolder(server, 'Inbox'), await createFolder(server, 'Press')]
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const name = `${i < partners ? 'Partner' : 'Other'} ${String(i).padStart(2, '0')}`
    const kind = i % 3
    ids.push(
      await createWebhook(server, {
        name,
        url: `${url}/h${i}`,
        ...(kind === 0 ? { folderIDs: [folders[i % 2]], active: true } : kind === 1 ? { allFolders: true, active: true } : {}),
      }),
    )
  }
  return { folders, ids }
}

declare global {
  interface Window {
    __listWatch?: { armed: boolean; blanks: { at: number; state: string; path: string; shown?: string }[]; frames: number; minRows: number; more: number }
  }
}

/**
 * watchList installs (for every document the page loads) a watcher that, once
 * armed, records each animation frame and DOM change in which the webhook
 * list page shows no rows.
 */
async function watchList(page: Page) {
  await page.addInitScript(() => {
    const w = { armed: false, blanks: [] as { at: number; state: string; path: string; shown?: string }[], frames: 0, minRows: Infinity, more: 0 }
    window.__listWatch = w
    const check = () => {
      if (!w.armed || location.pathname !== '/webhooks') return
      const text = document.body?.textContent ?? ''
      // The list page is mounted when its search box is; before that the
      // router has not rendered it yet (or another page still shows).
      const mounted = !!document.querySelector('[role=search]') || text.includes('Loading webhooks') || text.includes('No webhooks yet')
      if (!mounted) return
      const rows = document.querySelectorAll('tr[data-webhook-id]').length
      w.minRows = Math.min(w.minRows, rows)
      if (rows > 0) return
      const state = text.includes('No webhooks yet')
        ? 'empty state'
        : text.includes('Loading webhooks')
          ? 'spinner'
          : text.includes('could not be loaded')
            ? 'error'
            : !document.querySelector('table')
              ? 'no table'
              : 'no rows'
      if (w.blanks.length >= 5) w.blanks[4] = { at: Math.round(performance.now()), state: `${state} (last of ${++w.more + 5})`, path: location.pathname }
      else
        w.blanks.push({
          at: Math.round(performance.now()),
          state,
          path: location.pathname + location.search,
          ...(w.blanks.length === 0 ? { shown: (document.querySelector('main') ?? document.body).innerText.slice(0, 300) } : {}),
        })
    }
    const frame = () => {
      w.frames++
      check()
      requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
    const start = () => new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true })
    if (document.documentElement) start()
    else document.addEventListener('DOMContentLoaded', start)
  })
}

/** arm starts recording (the list shows rows now). */
async function arm(page: Page) {
  await expect(page.locator('tr[data-webhook-id]').first()).toBeVisible()
  await page.evaluate(() => {
    const w = window.__listWatch!
    w.armed = true
    w.blanks = []
    w.more = 0
    w.minRows = Infinity
  })
}

/** noBlankFor watches ~ms milliseconds of frames and asserts that the list never blanked, and had at least `rows` rows throughout. */
async function noBlankFor(page: Page, what: string, rows: number, ms = 3000) {
  const f0 = await page.evaluate(() => window.__listWatch!.frames)
  await page.waitForTimeout(ms)
  const w = await page.evaluate(() => {
    const w = window.__listWatch!
    return { blanks: w.blanks, frames: w.frames, minRows: w.minRows }
  })
  expect(w.frames - f0, `${what}: frames watched`).toBeGreaterThan(10)
  expect(w.blanks, `${what}: moments the list showed no rows`).toEqual([])
  expect(w.minRows, `${what}: fewest rows shown`).toBeGreaterThanOrEqual(rows)
}

async function signIn(page: Page, server: ScoopaServer) {
  await page.goto(`${server.url}/webhooks`)
  await page.getByLabel('API token').fill(server.adminToken)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('button', { name: 'Sign out' }).or(page.getByRole('button', { name: 'Open menu' }))).toBeVisible()
}

async function addFromList(page: Page, name: string, url: string) {
  await page.getByRole('button', { name: 'Add webhook' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'Add webhook' })
  await dialog.getByLabel('Name').fill(name)
  await dialog.getByLabel(/^URL/).fill(url)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden({ timeout: 30_000 })
  await expect(page.getByText(`Webhook “${name}” saved.`)).toBeVisible()
}

/** editAndBack opens a webhook from the list, changes it, saves, and goes back with the page's link. */
async function editAndBack(page: Page, from: string, to: string, change?: (page: Page) => Promise<void>) {
  await page.locator('tr[data-webhook-id]').getByRole('link', { name: from, exact: true }).click()
  const name = page.getByRole('textbox', { name: 'Name', exact: true })
  await expect(name).toHaveValue(from)
  await name.fill(to)
  if (change) await change(page)
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByText('Saved.')).toBeVisible({ timeout: 30_000 })
  await page.getByRole('link', { name: /All webhooks/ }).click()
  await expect(page.locator('tr[data-webhook-id]').getByRole('link', { name: to, exact: true })).toBeVisible()
}

for (const viewport of [
  { name: 'desktop', size: { width: 1280, height: 800 } },
  { name: 'phone', size: { width: 360, height: 780 } },
]) {
  test(`the webhook list keeps its rows after every save (${viewport.name})`, async ({ page, receiver }) => {
    test.setTimeout(240_000)
    const { server, cleanup } = await ownServer()
    try {
      const ok = await receiver({ kind: 'ok' })
      // More than one page (50 a page).
      const { folders } = await seed(server, ok.url, 55)
      await page.setViewportSize(viewport.size)
      await watchList(page)
      await signIn(page, server)
      await expect(page.locator('tr[data-webhook-id]')).toHaveCount(50)

      // 1. Add a webhook from the list.
      await arm(page)
      await addFromList(page, 'Added from the list', `${ok.url}/added`)
      await noBlankFor(page, 'after adding from the list', 50)

      // 2. Save one on its page (rename), back to the list.
      await editAndBack(page, 'Other 10', 'Other 10 renamed')
      await noBlankFor(page, 'after a rename on its page', 50)

      // 3. Save folders and active on its page: assign a folder, switch on.
      await editAndBack(page, 'Other 11', 'Other 11 with folder', async (p) => {
        await p.getByRole('combobox').fill('Pre')
        await p.getByRole('option', { name: 'Press' }).click()
        await p.getByRole('switch', { name: 'Active' }).click()
      })
      await noBlankFor(page, 'after assigning a folder on its page', 50)

      // 4. Saves while live refreshes run: uploads make calls, whose events refetch the list.
      const uploads = (async () => {
        for (let i = 0; i < 6; i++) {
          const fd = new FormData()
          fd.set('operations', JSON.stringify({ query: 'mutation($f: ID!, $file: Upload!) { uploadFile(folderID: $f, file: $file) { id } }', variables: { f: folders[i % 2], file: null } }))
          fd.set('map', JSON.stringify({ '0': ['variables.file'] }))
          fd.set('0', new Blob([`clip ${i}`], { type: 'video/quicktime' }), `clip-${i}.mov`)
          await fetch(`${server.url}/graphql`, { method: 'POST', headers: { Authorization: `Bearer ${server.adminToken}` }, body: fd })
          await new Promise((r) => setTimeout(r, 700))
        }
      })()
      await addFromList(page, 'Added while live', `${ok.url}/live`)
      await noBlankFor(page, 'after adding while calls happen', 50)
      await editAndBack(page, 'Other 12', 'Other 12 live')
      await noBlankFor(page, 'after a rename while calls happen', 50)
      await uploads

      // 5. With a search.
      await page.getByRole('searchbox', { name: 'Search webhooks' }).fill('Partner')
      await expect(page.locator('tr[data-webhook-id]')).toHaveCount(5)
      await arm(page)
      await addFromList(page, 'Partner added in a search', `${ok.url}/search`)
      await noBlankFor(page, 'after adding with a search', 5)
      await editAndBack(page, 'Partner 01', 'Partner 01 renamed')
      // Back from the page, the search box is empty again: the whole first page.
      await noBlankFor(page, 'after a rename, back from a search', 5)

      // 6. On the second page.
      await page.getByRole('searchbox', { name: 'Search webhooks' }).fill('')
      await page.getByRole('button', { name: 'Next' }).click()
      await expect(page.locator('tr[data-webhook-id]').first()).toContainText('Other 50')
      await arm(page)
      await addFromList(page, 'Added on page two', `${ok.url}/page2`)
      await noBlankFor(page, 'after adding on the second page', 5)

      // 7. Delete one from the list.
      await page.getByRole('button', { name: 'Delete webhook Other 51' }).click()
      await page.getByRole('dialog', { name: 'Delete webhook?' }).getByRole('button', { name: 'Delete webhook' }).click()
      await expect(page.locator('tr[data-webhook-id]').getByRole('link', { name: 'Other 51', exact: true })).toHaveCount(0)
      await noBlankFor(page, 'after deleting from the list', 5)
    } finally {
      await leave(page)
      await cleanup()
    }
  })
}

/**
 * slowList makes the server's answers to the list's query arrive `ms` later,
 * as on a slow connection: a refresh of the list (its live refresh, which
 * the save's own test call starts) is then still under way when the save's
 * answer arrives.
 */
async function slowList(page: Page, ms: number) {
  await page.route('**/graphql', async (route) => {
    const body = route.request().postDataJSON() as { operationName?: string } | null
    if (body?.operationName !== 'WebhookList') return route.fallback()
    const res = await route.fetch()
    await new Promise((r) => setTimeout(r, ms))
    await route.fulfill({ response: res })
  })
}

test('the webhook list keeps its rows when a refresh is under way as a save lands', async ({ page, receiver }) => {
  test.setTimeout(120_000)
  const { server, cleanup } = await ownServer()
  try {
    const ok = await receiver({ kind: 'ok' })
    await seed(server, ok.url, 8)
    await slowList(page, 600)
    await watchList(page)
    await signIn(page, server)
    await expect(page.locator('tr[data-webhook-id]')).toHaveCount(8)
    await arm(page)
    for (const name of ['Added first', 'Added second']) {
      await addFromList(page, name, `${ok.url}/${name.replace(' ', '-')}`)
      await expect(page.locator('tr[data-webhook-id]').getByRole('link', { name, exact: true })).toBeVisible()
      await noBlankFor(page, `after adding ${name}`, 8)
    }
    await page.getByRole('button', { name: 'Delete webhook Other 07' }).click()
    await page.getByRole('dialog', { name: 'Delete webhook?' }).getByRole('button', { name: 'Delete webhook' }).click()
    await expect(page.locator('tr[data-webhook-id]').getByRole('link', { name: 'Other 07', exact: true })).toHaveCount(0)
    await noBlankFor(page, 'after deleting from the list', 8)
  } finally {
    await leave(page)
    await cleanup()
  }
})
