import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

/** scripts records the JavaScript files a page requests from /assets/. */
function scripts(page: Page): string[] {
  const seen: string[] = []
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname
    if (r.resourceType() === 'script' && path.startsWith('/assets/')) seen.push(path)
  })
  return seen
}

// The console is split by route: the sign-in page loads its own code and the
// session, not the signed-in screens, their GraphQL client or the webhooks page.
test('the sign-in page does not load the webhooks page; signing in does', async ({ page, server }) => {
  const loaded = scripts(page)
  await page.goto('/signin')
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  await page.waitForLoadState('networkidle')
  expect(loaded.length, 'scripts of the sign-in page').toBeGreaterThan(0)
  expect(loaded.filter((p) => /\/Webhooks-[\w-]+\.js$/.test(p)), 'webhooks page chunk before sign-in').toEqual([])

  await page.getByLabel('API token').fill(server.adminToken)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Webhooks', exact: true })).toBeVisible()
  // The webhooks page arrived as its own chunk, after sign-in.
  expect(loaded.filter((p) => /\/Webhooks-[\w-]+\.js$/.test(p)), 'webhooks page chunk after sign-in').toHaveLength(1)
})
