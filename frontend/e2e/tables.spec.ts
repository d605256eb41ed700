/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

import type { Page } from '@playwright/test'
import { expect, gql, test, uploadFile } from './fixtures'

// Every table fits its card: nothing of a row (a name, a URL, an error, the
// Download, Send again, Retry, Revoke or Delete buttons) sits past the card's
// edge or behind a sideways scroll, on a laptop and on the narrowest phone.

const SIZES = [
  { width: 1280, height: 800 },
  { width: 360, height: 780 },
]

/** tablesFit asserts that each visible table of the page, and all it holds, is inside its card, and the card inside the window. */
async function tablesFit(page: Page, what: string, atLeast = 1) {
  await page.waitForLoadState('networkidle')
  const report = await page.evaluate(() => {
    const bad: string[] = []
    let n = 0
    const tables = [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().width > 1 && !t.closest('.sr-only'))
    for (const t of tables) {
      n++
      const name = t.querySelector('caption')?.textContent ?? t.getAttribute('aria-label') ?? 'table'
      const card = t.closest('[data-card]')
      if (!card) {
        bad.push(`${name}: not in a card`)
        continue
      }
      const c = card.getBoundingClientRect()
      if (c.left < -0.5 || c.right > window.innerWidth + 0.5) bad.push(`${name}: card ${c.left}..${c.right} outside the window (${window.innerWidth})`)
      for (let el = t as HTMLElement | null; el && el !== card; el = el.parentElement) {
        if (el.scrollWidth > el.clientWidth + 1) bad.push(`${name}: <${el.tagName.toLowerCase()} class="${el.className}"> scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`)
      }
      for (const el of [t, ...t.querySelectorAll<HTMLElement>('th, td, a, button, code, span')]) {
        const r = el.getBoundingClientRect()
        if (r.width === 0 || el.closest('.sr-only')) continue
        if (r.left < c.left - 0.5 || r.right > c.right + 0.5) {
          bad.push(`${name}: <${el.tagName.toLowerCase()}> "${(el.textContent ?? '').slice(0, 40)}" at ${Math.round(r.left)}..${Math.round(r.right)}, card ${Math.round(c.left)}..${Math.round(c.right)}`)
        }
      }
    }
    return { n, bad: [...new Set(bad)].slice(0, 20) }
  })
  expect.soft(report.bad, `${what}: tables within their cards`).toEqual([])
  expect(report.n, `${what}: tables checked`).toBeGreaterThanOrEqual(atLeast)
}

// The server is shared with the other specs, which start from no webhooks:
// remove the ones made here.
test.afterEach(async ({ server }) => {
  const r = await gql<{ webhooks: { edges: { node: { id: string } }[] } }>(server, '{ webhooks(first: 100) { edges { node { id } } } }')
  for (const e of r.webhooks.edges) await gql(server, 'mutation($id: ID!) { deleteWebhook(id: $id) }', { id: e.node.id })
})

test('every table fits its card at 1280 and 360 px, with long names, URLs and errors', async ({ page, receiver, server, shot, signIn }) => {
  const ok = await receiver({ kind: 'ok' })
  const failing = await receiver({ kind: 'failDeliveries' })
  const long = 'a-path-segment-without-any-space-that-cannot-wrap-0123456789abcdef0123456789abcdef0123456789abcdef'
  const folder = (
    await gql<{ createFolder: { id: string } }>(server, 'mutation($n: String!) { createFolder(input: {name: $n}) { id } }', {
      n: 'Press-photos-of-the-spring-collection-2026-for-the-partner-agency-in-Zurich',
    })
  ).createFolder.id
  const create = (input: Record<string, unknown>) => gql<{ createWebhook: { id: string } }>(server, 'mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }', { in: input })
  await create({
    name: 'Partner-with-a-rather-long-name-that-has-no-spaces-at-all-0123456789',
    url: `${ok.url}/${long}?token=0123456789abcdef0123456789abcdef`,
    folderIDs: [folder],
    active: true,
    filter: '.mov',
  })
  await create({ name: 'Failing partner', url: `${failing.url}/${long}`, folderIDs: [folder], active: true })
  // No such host: its validation and its calls fail with an error naming it.
  await create({ name: 'Unreachable partner', url: `http://nohostwiththisverylongnamethatdoesnotexistanywhere0123456789abc.invalid/${long}`, folderIDs: [folder], active: true })
  await uploadFile(server, folder, 'a-clip-with-a-very-long-file-name-from-the-spring-shoot-in-the-alps-take-0042-final-final.mov')
  await uploadFile(server, folder, 'IMG_20260315_093012_HDR_SpringCollectionPressPhotoTakeNumberFortyTwoFinalFinal.jpg')
  await gql(server, 'mutation { createApiToken(input: {name: "MonitoringOfThePartnerAgencyInZurichForTheSpringCollection2026", role: VIEWER}) { secret } }')

  await signIn(page)
  for (const size of SIZES) {
    await page.setViewportSize(size)
    const at = `${size.width} px`

    await page.goto('/folders')
    await expect(page.locator('tr[data-file-id]').filter({ hasText: 'a-clip-with-a-very-long' })).toHaveCount(1)
    await expect(page.locator('tr[data-file-id]').filter({ hasText: 'IMG_20260315' })).toHaveCount(1)
    await tablesFit(page, `recent files at ${at}`)
    await shot(`tables-${size.width}-folders`)

    await page.goto('/webhooks')
    await expect(page.locator('tr[data-webhook-id]').filter({ hasText: 'Unreachable partner' }).locator('[data-validation="INVALID"]')).toBeVisible({ timeout: 30_000 })
    await tablesFit(page, `webhooks at ${at}`)
    await shot(`tables-${size.width}-webhooks`)

    await page.goto('/calls')
    await expect(page.locator('tr[data-call-id]').filter({ hasText: 'Failing partner' }).first()).toBeVisible({ timeout: 30_000 })
    await tablesFit(page, `call log at ${at}`)
    await shot(`tables-${size.width}-calls`)

    await page.goto('/tokens')
    await expect(page.locator('tr[data-token-id]').filter({ hasText: 'MonitoringOfThePartner' })).toHaveCount(1)
    await tablesFit(page, `tokens at ${at}`)
    await shot(`tables-${size.width}-tokens`)
  }
})
