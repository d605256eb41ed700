import { expect, gql, test } from './fixtures'

// The audit log page: admins see the changes made through the API, secrets
// masked, and filter them by action.
test('the audit log lists changes without their secrets', async ({ page, server, signIn, shot }) => {
  const secret = 'Bearer audit-e2e-credential-0123456789'
  const hook = await gql<{ createWebhook: { id: string } }>(server, 'mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }', {
    in: { name: 'Audited partner', url: 'http://127.0.0.1:9/hook?key=audit-e2e-query-secret', headers: [{ name: 'Authorization', value: secret }] },
  })
  await gql(server, 'mutation { createFolder(input: {name: "Audited folder"}) { id } }')

  await signIn(page)
  await page.getByRole('link', { name: 'Audit log' }).click()
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible()
  const table = page.getByRole('table', { name: 'Audit log' })
  const folderRow = table.locator('tr', { hasText: 'folder.create' }).filter({ hasText: 'Audited folder' })
  await expect(folderRow).toBeVisible()
  const row = table.locator('tr', { hasText: 'Audited partner' }).filter({ hasText: 'webhook.create' })
  await expect(row).toContainText('headers.Authorization')
  await expect(row).toContainText('(set)')
  await shot('audit-log')
  const text = (await page.locator('main').textContent()) ?? ''
  expect(text).not.toContain('audit-e2e-credential')
  expect(text).not.toContain('audit-e2e-query-secret')

  await page.getByLabel('Action').selectOption('folder.create')
  await expect(table.getByText('Audited partner')).toHaveCount(0)
  await expect(folderRow).toBeVisible()

  await gql(server, 'mutation($id: ID!) { deleteWebhook(id: $id) }', { id: hook.createWebhook.id })
})
