import { CombinedError } from '@urql/core'
import { act, screen, waitFor, within } from '@testing-library/react'
import { Route, Routes } from 'react-router'
import { describe, expect, it, vi } from 'vitest'
import { concat, fromValue, makeSubject, never } from 'wonka'
import { renderWith } from '../test/render'
import { WebhookEditPage } from './WebhookEdit'

const none = { pending: 0, running: 0, retrying: 0, succeeded: 0, failed: 0, canceled: 0 }
const ago = (sec: number) => new Date(Date.now() - sec * 1000).toISOString()

function webhook(over: Record<string, unknown> = {}) {
  return {
    __typename: 'Webhook',
    id: '12',
    name: 'Partner',
    url: 'https://partner.example/hook',
    active: true,
    activity: 'NO_FOLDERS',
    inactiveReason: 'no folders assigned',
    allFolders: false,
    filter: null,
    validationStatus: 'VALID',
    lastValidatedAt: ago(3600),
    lastValidationError: null,
    createdAt: ago(7200),
    updatedAt: ago(3600),
    signingSecret: 'whsec_abc',
    headers: [],
    folders: [],
    lastDelivery: null,
    lastValidation: { id: '40', kind: 'VALIDATION', status: 'SUCCEEDED', createdAt: ago(3600), error: null },
    deliveries24h: none,
    validations24h: { ...none, succeeded: 1 },
    ...over,
  }
}

// The answer stays open like a cache-and-network query does (a completed source drops its error).
const result = (data: unknown, error?: CombinedError) => concat([fromValue({ data, error, stale: false, hasNext: false }), never])
const folderOptions = { folders: { totalCount: 0, edges: [] } }

/** setup serves the webhook query from `answers` (the next one on every fetch) and exposes the live call events. */
function setup(answers: { data?: unknown; error?: CombinedError }[], path = '/webhooks/12', role: 'ADMIN' | 'VIEWER' = 'ADMIN') {
  const events = makeSubject<{ data: unknown }>()
  let n = 0
  const client = {
    executeQuery: vi.fn((op: { query: { definitions: { name?: { value: string } }[] } }) => {
      const name = op.query.definitions.find((d) => d.name)?.name?.value
      if (name === 'FolderOptions') return result(folderOptions)
      // The delivery health charts wait: the page shows without them.
      if (name === 'WebhookStats') return never
      const a = answers[Math.min(n++, answers.length - 1)]
      return result(a.data, a.error)
    }),
    executeSubscription: vi.fn(() => events.source),
    executeMutation: vi.fn(),
  }
  renderWith(
    <Routes>
      <Route path="/webhooks/:id" element={<WebhookEditPage />} />
    </Routes>,
    { client, path, role },
  )
  return { client, push: (call: unknown) => act(() => events.next({ data: { webhookCallUpdated: call } })) }
}

describe('WebhookEditPage', () => {
  it('says a webhook switched active without folders is not active, and why', async () => {
    setup([{ data: { node: webhook() } }])
    const badge = await screen.findByText('Not active: no folders assigned')
    expect(badge).toHaveAttribute('data-activity', 'NO_FOLDERS')
    expect(badge).toHaveAttribute('title', 'Not active: no folders assigned')
    expect(screen.queryByText('Active', { exact: true })).toBeNull()
  })

  it('lists the folders to a viewer without the buttons to remove them', async () => {
    setup([{ data: { node: webhook({ folders: [{ id: 'f1', name: 'Inbox' }] }) } }], '/webhooks/12', 'VIEWER')
    const chosen = await screen.findByRole('list', { name: 'Selected folders' })
    expect(chosen).toHaveTextContent('Inbox')
    expect(within(chosen).queryByRole('button')).toBeNull()
  })

  it('offers an admin to remove a folder', async () => {
    setup([{ data: { node: webhook({ folders: [{ id: 'f1', name: 'Inbox' }] }) } }])
    expect(await screen.findByRole('button', { name: 'Remove folder Inbox' })).toBeInTheDocument()
  })

  it('shows a validation the worker ran in the background without a reload', async () => {
    const { client, push } = setup([
      { data: { node: webhook() } },
      {
        data: {
          node: webhook({
            validationStatus: 'INVALID',
            lastValidationError: 'HTTP 503',
            lastValidatedAt: ago(1),
            lastValidation: { id: '41', kind: 'VALIDATION', status: 'FAILED', createdAt: ago(1), error: 'HTTP 503' },
            validations24h: { ...none, succeeded: 1, failed: 1 },
          }),
        },
      },
    ])
    expect(await screen.findByText('Valid')).toBeInTheDocument()
    const [sub] = client.executeSubscription.mock.calls[0] as unknown as [{ variables: unknown }]
    expect(sub.variables).toEqual({ webhookID: '12' })
    push({ id: '41', kind: 'VALIDATION', status: 'FAILED', webhook: { id: '12' } })
    expect(await screen.findAllByText('HTTP 503')).not.toHaveLength(0)
    expect(screen.getByText(/Last tested/)).toHaveTextContent('Last tested just now')
  })

  it('shows deliveries and validations apart, each named', async () => {
    setup([{ data: { node: webhook({ deliveries24h: { ...none, failed: 2 } }) } }])
    await screen.findByText('Partner')
    const cell = (sel: string) => document.querySelector(sel) as HTMLElement
    expect(cell('[data-last-call="DELIVERY"]')).toHaveTextContent('DeliveryNever')
    expect(cell('[data-last-call="VALIDATION"]')).toHaveTextContent(/^ValidationSucceeded/)
    expect(cell('[data-call-stats="DELIVERY"]')).toHaveTextContent('Deliveries2 failed')
    expect(cell('[data-call-stats="VALIDATION"]')).toHaveTextContent('Validations1 succeeded')
  })

  it.each([
    ['an unknown ID', new CombinedError({ graphQLErrors: [{ message: 'input:1:19: node no object has this ID: not found', extensions: { code: 'NOT_FOUND' } }] }), '99999'],
    ['an ID that is no number', new CombinedError({ graphQLErrors: [{ message: 'invalid ID "abc": IDs are numbers', extensions: { code: 'BAD_USER_INPUT' } }] }), 'abc'],
  ])('says that %s names no webhook and links back to the list', async (_name, error, id) => {
    setup([{ data: { node: null }, error }], `/webhooks/${id}`)
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('This webhook does not exist')
    expect(alert).toHaveTextContent(`There is no webhook with the ID “${id}”: it may have been deleted.`)
    expect(alert).not.toHaveTextContent(error.graphQLErrors[0].message)
    expect(within(alert).getByRole('link', { name: 'Back to the list of webhooks' })).toHaveAttribute('href', '/webhooks')
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument()
  })

  it('still offers to try again when the server cannot be reached', async () => {
    setup([{ data: undefined, error: new CombinedError({ networkError: new Error('Failed to fetch') }) }])
    await waitFor(() => expect(document.body).toHaveTextContent('The webhook could not be loaded'))
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument()
  })
})
