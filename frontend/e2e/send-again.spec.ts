import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, freePort, gql, leave, startServer, test, uploadFile, type ScoopaServer } from './fixtures'

// Each test has a server of its own: the worker's server is shared with
// webhooks.spec.ts, which starts from nothing.

async function setup(page: Page, hook: { name: string; url: string; active: boolean }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-again-'))
  const server = await startServer({ port: await freePort(), dataDir, adminToken: randomBytes(24).toString('hex') })
  const folder = (await gql<{ createFolder: { id: string } }>(server, `mutation { createFolder(input: {name: "Inbox"}) { id } }`)).createFolder.id
  const id = (
    await gql<{ createWebhook: { id: string } }>(server, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, {
      in: { name: hook.name, url: hook.url, folderIDs: [folder], active: hook.active },
    })
  ).createWebhook.id
  await page.goto(`${server.url}/webhooks/${id}`)
  await page.getByLabel('API token').fill(server.adminToken)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
  return {
    server,
    folder,
    id,
    cleanup: async () => {
      await leave(page)
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function callStatus(server: ScoopaServer, webhookID: string): Promise<string[]> {
  const d = await gql<{ webhookCalls: { edges: { node: { status: string } }[] } }>(
    server,
    `query($w: ID!) { webhookCalls(where: {hasWebhookWith: [{id: $w}], kind: DELIVERY}) { edges { node { status } } } }`,
    { w: webhookID },
  )
  return d.webhookCalls.edges.map((e) => e.node.status)
}

test('recover failed calls: a time range, a live preview count, then how many were queued; the same webhook-id arrives', async ({ page, receiver, shot }) => {
  const rc = await receiver({ kind: 'failDeliveries' })
  const { server, folder, id, cleanup } = await setup(page, { name: 'Partner', url: rc.url, active: true })
  try {
    await uploadFile(server, folder, 'lost.mov')
    await expect.poll(() => callStatus(server, id), { timeout: 60_000 }).toEqual(['FAILED'])
    const failedID = rc.deliveriesReceived()[0].headers['webhook-id']
    rc.script = { kind: 'ok' }

    await page.getByRole('button', { name: 'Recover failed calls' }).click()
    const dialog = page.getByRole('dialog', { name: 'Recover failed calls' })
    await expect(dialog.getByTestId('recover-preview')).toHaveText('1 call to send again.')
    await shot('again-01-recover-preview')
    await dialog.getByRole('button', { name: 'Recover 1 call' }).click()
    await expect(dialog.getByText('1 call was queued.')).toBeVisible()
    await expect.poll(() => callStatus(server, id), { timeout: 30_000 }).toEqual(['SUCCEEDED'])
    const last = rc.deliveriesReceived().at(-1)
    expect(last?.status).toBe(200)
    expect(last?.headers['webhook-id']).toBe(failedID)
    await dialog.getByRole('link', { name: 'Watch them in the call log' }).click()
    await expect(page.locator('tr[data-call-id]').filter({ hasText: 'lost.mov' })).toHaveAttribute('data-status', 'SUCCEEDED')
  } finally {
    await cleanup()
  }
})

test('send a test file from the webhook page: pick a recent file, follow the call live, marked test in the log', async ({ page, receiver, shot }) => {
  const rc = await receiver({ kind: 'ok' })
  // Inactive: nothing is delivered on upload, and a test still goes.
  const { server, folder, cleanup } = await setup(page, { name: 'Integrator', url: rc.url, active: false })
  try {
    await uploadFile(server, folder, 'older.mov')
    await uploadFile(server, folder, 'sample.mov')
    await page.reload()
    await page.getByRole('button', { name: 'Send test file' }).click()
    const dialog = page.getByRole('dialog', { name: 'Send test file' })
    await dialog.getByLabel('File', { exact: true }).selectOption({ label: 'older.mov — Inbox' })
    await dialog.getByRole('button', { name: 'Send test file' }).click()
    await expect(dialog.getByTestId('test-call')).toContainText('Succeeded')
    await shot('again-02-test-file')
    const ds = rc.deliveriesReceived()
    expect(ds).toHaveLength(1)
    expect(ds[0].headers['scoopa-test']).toBe('true')
    expect(ds[0].body).toMatchObject({ origin: 'scoopa', file_name: 'older.mov', folder_name: 'Inbox' })
    await dialog.getByRole('link', { name: 'Open the call' }).click()
    await expect(page.getByText(/Test delivery/)).toBeVisible()
    await page.goto(`${server.url}/calls`)
    await expect(page.locator('tr[data-call-id]').filter({ hasText: 'older.mov' }).getByText('test', { exact: true })).toBeVisible()
    await page.getByLabel('Tests').selectOption({ label: 'Without test calls' })
    await expect(page).toHaveURL(/test=none/)
    await expect(page.locator('tr[data-call-id]').filter({ hasText: 'older.mov' })).toHaveCount(0)
  } finally {
    await cleanup()
  }
})

test('send a file again from the files list: the webhooks that had a call are ticked; the same call goes again', async ({ page, receiver, shot }) => {
  const rc = await receiver({ kind: 'ok' })
  const { server, folder, id, cleanup } = await setup(page, { name: 'Partner', url: rc.url, active: true })
  try {
    await uploadFile(server, folder, 'clip.mov')
    await expect.poll(() => callStatus(server, id), { timeout: 30_000 }).toEqual(['SUCCEEDED'])
    await page.getByRole('link', { name: 'Folders & files' }).click()
    await page.getByRole('button', { name: 'Send clip.mov again' }).click()
    const dialog = page.getByRole('dialog', { name: 'Send “clip.mov” again' })
    await expect(dialog.getByRole('checkbox', { name: /Partner/ })).toBeChecked()
    await shot('again-03-send-again')
    await dialog.getByRole('button', { name: 'Send again' }).click()
    await expect(dialog.getByText('1 call was queued.')).toBeVisible()
    await expect.poll(() => rc.deliveriesReceived().length, { timeout: 30_000 }).toBe(2)
    const [a, b] = rc.deliveriesReceived()
    expect(b.headers['webhook-id']).toBe(a.headers['webhook-id'])
    await expect.poll(() => callStatus(server, id), { timeout: 30_000 }).toEqual(['SUCCEEDED'])
  } finally {
    await cleanup()
  }
})
