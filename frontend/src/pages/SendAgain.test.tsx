import { CombinedError } from '@urql/core'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { concat, fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import { RecoverCallsDialog, SendAgainDialog, SendTestFileDialog } from './SendAgain'

type Op = { query: { definitions: { name?: { value: string } }[] }; variables: Record<string, unknown> }
const opName = (op: Op) => op.query.definitions.find((d) => d.name)?.name?.value
const answer = (data: unknown, error?: CombinedError) => concat([fromValue({ data, error, stale: false, hasNext: false }), never])

describe('RecoverCallsDialog', () => {
  it('previews the count for the range and statuses, then says how many were queued', async () => {
    const client = {
      executeQuery: vi.fn((op: Op) => answer({ recoverableCallCount: (op.variables.statuses as string[]).length === 2 ? 7 : 3 })),
      executeMutation: vi.fn(() => fromValue({ data: { recoverWebhookCalls: 3 }, stale: false, hasNext: false })),
      executeSubscription: vi.fn(() => never),
    }
    renderWith(<RecoverCallsDialog webhookID="12" open onClose={() => {}} />, { client })
    expect(await screen.findByText('3 calls to send again.')).toBeInTheDocument()
    const first = client.executeQuery.mock.calls[0][0] as Op
    expect(first.variables).toMatchObject({ webhookID: '12', statuses: ['FAILED'] })
    expect(Date.parse(first.variables.until as string) - Date.parse(first.variables.since as string)).toBeGreaterThan(23 * 3600 * 1000)

    await userEvent.click(screen.getByLabelText('Canceled calls too'))
    expect(await screen.findByText('7 calls to send again.')).toBeInTheDocument()
    await userEvent.click(screen.getByLabelText('Canceled calls too'))
    await userEvent.click(await screen.findByRole('button', { name: 'Recover 3 calls' }))
    expect(await screen.findByText(/3 calls were queued/)).toBeInTheDocument()
    const [op] = client.executeMutation.mock.calls[0] as unknown as [Op]
    expect(op.variables).toMatchObject({ webhookID: '12', statuses: ['FAILED'] })
  })

  it('refuses a range that ends before it starts, without asking the server', async () => {
    const client = { executeQuery: vi.fn(() => answer({ recoverableCallCount: 1 })), executeMutation: vi.fn(() => never), executeSubscription: vi.fn(() => never) }
    renderWith(<RecoverCallsDialog webhookID="12" open onClose={() => {}} />, { client })
    await screen.findByText('1 call to send again.')
    const until = screen.getByLabelText('Until')
    await userEvent.clear(until)
    await userEvent.type(until, '2000-01-01T00:00')
    expect(await screen.findByText('“Until” must be after “since”.')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: /Recover/ })).toBeDisabled()
    expect(client.executeMutation).not.toHaveBeenCalled()
  })

  it('shows the server’s refusal', async () => {
    const tooMany = new CombinedError({ graphQLErrors: [{ message: 'since: 200000 calls match; at most 100000 are recovered in one request: narrow the time range', extensions: { code: 'BAD_USER_INPUT', field: 'since' } }] })
    const client = { executeQuery: vi.fn(() => answer(undefined, tooMany)), executeMutation: vi.fn(() => never), executeSubscription: vi.fn(() => never) }
    renderWith(<RecoverCallsDialog webhookID="12" open onClose={() => {}} />, { client })
    expect(await screen.findByText(/at most 100000 are recovered in one request/)).toBeInTheDocument()
  })
})

describe('SendTestFileDialog', () => {
  it('offers recent files of the webhook’s folders, sends the one picked and shows its call', async () => {
    const files = {
      files: {
        edges: [
          { node: { id: 'f1', name: 'new.mov', createdAt: '2026-01-01T00:00:00Z', folder: { id: 'd1', name: 'Inbox' } } },
          { node: { id: 'f2', name: 'old.mov', createdAt: '2026-01-01T00:00:00Z', folder: { id: 'd1', name: 'Inbox' } } },
        ],
      },
    }
    const client = {
      executeQuery: vi.fn((op: Op) => (opName(op) === 'TestFileOptions' ? answer(files) : answer({ node: { __typename: 'WebhookCall', id: 'c9', status: 'SUCCEEDED', error: null, responseStatus: 200 } }))),
      executeMutation: vi.fn(() => fromValue({ data: { sendTestFile: { id: 'c9', status: 'PENDING', test: true } }, stale: false, hasNext: false })),
      executeSubscription: vi.fn(() => never),
    }
    renderWith(<SendTestFileDialog webhookID="12" folderIDs={['d1']} allFolders={false} open onClose={() => {}} />, { client })
    const picker = await screen.findByLabelText('File')
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['new.mov — Inbox', 'old.mov — Inbox'])
    expect((client.executeQuery.mock.calls[0][0] as Op).variables).toEqual({ where: { hasFolderWith: [{ idIn: ['d1'] }] } })
    await userEvent.selectOptions(picker, 'f2')
    await userEvent.click(screen.getByRole('button', { name: 'Send test file' }))
    const [op] = client.executeMutation.mock.calls[0] as unknown as [Op]
    expect(op.variables).toEqual({ webhookID: '12', fileID: 'f2' })
    const status = await screen.findByTestId('test-call')
    await waitFor(() => expect(within(status).getByText(/succeeded/i)).toBeInTheDocument())
    expect(within(status).getByRole('link', { name: 'Open the call' })).toHaveAttribute('href', '/calls/c9')
  })
})

describe('SendAgainDialog', () => {
  it('ticks the webhooks that had a call and sends to the ones ticked', async () => {
    const opts = {
      webhooks: {
        edges: [
          { node: { id: 'w1', name: 'Alpha', active: true } },
          { node: { id: 'w2', name: 'Beta', active: true } },
        ],
      },
      webhookCalls: { edges: [{ node: { id: 'c1', status: 'FAILED', webhook: { id: 'w1' } } }] },
    }
    const client = {
      executeQuery: vi.fn(() => answer(opts)),
      executeMutation: vi.fn(() => fromValue({ data: { redeliverFile: [{ id: 'c1', status: 'PENDING' }, { id: 'c2', status: 'PENDING' }] }, stale: false, hasNext: false })),
      executeSubscription: vi.fn(() => never),
    }
    renderWith(<SendAgainDialog file={{ id: 'f1', name: 'clip.mov' }} onClose={() => {}} />, { client })
    const alpha = await screen.findByRole('checkbox', { name: /Alpha/ })
    const beta = screen.getByRole('checkbox', { name: /Beta/ })
    expect(alpha).toBeChecked()
    expect(beta).not.toBeChecked()
    await userEvent.click(beta)
    await userEvent.click(screen.getByRole('button', { name: 'Send again' }))
    const [op] = client.executeMutation.mock.calls[0] as unknown as [Op]
    expect(op.variables).toEqual({ fileID: 'f1', webhookIDs: ['w1', 'w2'] })
    expect(await screen.findByText(/2 calls were queued/)).toBeInTheDocument()
  })
})

describe('searching in the send dialogs', () => {
  it('offers the webhooks that apply to the file, the ones that had a call first, and finds any other', { timeout: 30_000 }, async () => {
    const applying = [
      { id: 'w3', name: 'Alpha', active: false },
      { id: 'w1', name: 'Beta', active: true },
      { id: 'w2', name: 'Delta', active: true },
    ]
    const client = {
      executeQuery: vi.fn((op: Op) => {
        const where = op.variables.where as { search?: string } | null
        const webhooks = where?.search ? [{ id: 'w9', name: 'Gamma elsewhere', active: true }] : applying
        return answer({
          webhooks: { totalCount: webhooks.length, edges: webhooks.map((node) => ({ node })) },
          webhookCalls: { edges: [{ node: { id: 'c1', status: 'FAILED', webhook: { id: 'w2', name: 'Delta', active: true } } }] },
        })
      }),
      executeMutation: vi.fn(() => fromValue({ data: { redeliverFile: [{ id: 'c1', status: 'PENDING' }, { id: 'c2', status: 'PENDING' }] }, stale: false, hasNext: false })),
      executeSubscription: vi.fn(() => never),
    }
    renderWith(<SendAgainDialog file={{ id: 'f1', name: 'clip.mov', folderID: 'd1' }} onClose={() => {}} />, { client })
    await screen.findByRole('checkbox', { name: /Delta/ })
    expect((client.executeQuery.mock.calls[0][0] as Op).variables).toEqual({ fileID: 'f1', where: { or: [{ allFolders: true }, { hasFoldersWith: [{ id: 'd1' }] }] } })
    // The one that had a call, then the active ones, the inactive last.
    expect(screen.getAllByRole('checkbox').map((c) => c.closest('label')?.textContent)).toEqual(['Delta(had a call)', 'Beta', 'Alpha(inactive)'])
    await userEvent.type(screen.getByRole('searchbox', { name: 'Find a webhook' }), 'gamma{Enter}')
    await userEvent.click(await screen.findByRole('checkbox', { name: /Gamma elsewhere/ }))
    expect(client.executeQuery.mock.calls.map((c) => (c[0] as Op).variables.where)).toContainEqual({ search: 'gamma' })
    expect(client.executeMutation).not.toHaveBeenCalled() // Enter searched, it did not send
    await userEvent.click(screen.getByRole('button', { name: 'Send again' }))
    const [op] = client.executeMutation.mock.calls[0] as unknown as [Op]
    expect(op.variables).toEqual({ fileID: 'f1', webhookIDs: ['w2', 'w9'] })
  })

  it('finds any file of the webhook’s folders to send as a test, not only the 20 most recent', { timeout: 30_000 }, async () => {
    const recent = Array.from({ length: 20 }, (_, i) => ({ node: { id: `f${i}`, name: `new-${i}.mov`, createdAt: '2026-01-01T00:00:00Z', folder: { id: 'd1', name: 'Inbox' } } }))
    const client = {
      executeQuery: vi.fn((op: Op) => {
        const where = op.variables.where as { nameContainsFold?: string } | undefined
        const edges = where?.nameContainsFold ? [{ node: { id: 'f99', name: 'ancient.mov', createdAt: '2020-01-01T00:00:00Z', folder: { id: 'd1', name: 'Inbox' } } }] : recent
        return answer({ files: { edges } })
      }),
      executeMutation: vi.fn(() => fromValue({ data: { sendTestFile: { id: 'c9', status: 'PENDING', test: true } }, stale: false, hasNext: false })),
      executeSubscription: vi.fn(() => never),
    }
    renderWith(<SendTestFileDialog webhookID="12" folderIDs={['d1']} allFolders={false} open onClose={() => {}} />, { client })
    await screen.findByRole('option', { name: 'new-0.mov — Inbox' })
    await userEvent.type(screen.getByRole('searchbox', { name: 'Find a file' }), 'ancient')
    await waitFor(() => expect(screen.getByLabelText('File')).toHaveValue('f99'))
    expect(client.executeQuery.mock.calls.map((c) => (c[0] as Op).variables)).toContainEqual({ where: { hasFolderWith: [{ idIn: ['d1'] }], nameContainsFold: 'ancient' }, first: 100 })
    await userEvent.click(screen.getByRole('button', { name: 'Send test file' }))
    const [op] = client.executeMutation.mock.calls[0] as unknown as [Op]
    expect(op.variables).toEqual({ webhookID: '12', fileID: 'f99' })
  })
})
