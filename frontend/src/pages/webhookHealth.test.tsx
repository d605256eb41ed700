import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Route, Routes } from 'react-router'
import { describe, expect, it, vi } from 'vitest'
import { concat, fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import type { Role } from '../lib/session'
import { exactTime } from '../lib/format'
import { WebhookEditPage } from './WebhookEdit'
import { WebhooksPage } from './Webhooks'

const none = { pending: 0, running: 0, retrying: 0, succeeded: 0, failed: 0, canceled: 0 }
const ago = (sec: number) => new Date(Date.now() - sec * 1000).toISOString()
const reason = 'every delivery call failed since 2026-11-24T08:31:12Z (72h or more); last error: HTTP 503'
// The reason as shown: its time written like the console's other dates, not raw.
const shown = `every delivery call failed since ${exactTime('2026-11-24T08:31:12Z')} (72h or more); last error: HTTP 503`

function webhook(over: Record<string, unknown> = {}) {
  return {
    __typename: 'Webhook',
    id: '12',
    name: 'Partner',
    url: 'https://partner.example/hook',
    active: false,
    activity: 'DISABLED',
    inactiveReason: `deactivated by the service: ${reason}`,
    allFolders: true,
    filter: null,
    validationStatus: 'VALID',
    lastValidatedAt: ago(3600),
    lastValidationError: null,
    disabledReason: reason,
    disabledAt: ago(120),
    createdAt: ago(7200),
    updatedAt: ago(120),
    signingSecret: 'whsec_abc',
    headers: [],
    folders: [],
    lastDelivery: { id: '41', kind: 'DELIVERY', status: 'FAILED', createdAt: ago(120), error: 'HTTP 503' },
    lastValidation: null,
    deliveries24h: { ...none, failed: 1 },
    validations24h: none,
    ...over,
  }
}

const result = (data: unknown) => concat([fromValue({ data, stale: false, hasNext: false }), never])

function client(node: ReturnType<typeof webhook>) {
  return {
    executeQuery: vi.fn((op: { query: { definitions: { name?: { value: string } }[] } }) => {
      const name = op.query.definitions.find((d) => d.name)?.name?.value
      if (name === 'FolderOptions') return result({ folders: { totalCount: 0, edges: [] } })
      if (name === 'WebhookList') return result({ webhooks: { totalCount: 1, edges: [{ node }] } })
      return result({ node })
    }),
    executeSubscription: vi.fn(() => never),
    executeMutation: vi.fn(() => fromValue({ data: { updateWebhook: { ...node, active: true, activity: 'ACTIVE', inactiveReason: null, disabledReason: null, disabledAt: null } }, stale: false, hasNext: false })),
  }
}

function editPage(node: ReturnType<typeof webhook>, role: Role = 'ADMIN') {
  const c = client(node)
  renderWith(
    <Routes>
      <Route path="/webhooks/:id" element={<WebhookEditPage />} />
    </Routes>,
    { client: c, path: '/webhooks/12', role },
  )
  return c
}

describe('a webhook scoopa deactivated', () => {
  it('has a badge in the list with the reason', async () => {
    renderWith(<WebhooksPage />, { client: client(webhook()) })
    const row = (await screen.findByText('Partner')).closest('tr') as HTMLElement
    const badge = within(row).getByText('Deactivated by scoopa').closest('[data-disabled-reason]') as HTMLElement
    expect(badge).toHaveAttribute('title', `Deactivated by scoopa: ${shown}`)
    expect(badge).toHaveTextContent(shown) // for screen readers
    expect(within(row).getByText('Inactive')).toBeInTheDocument()
  })

  it('has no badge when it was deactivated by hand or is active', async () => {
    renderWith(<WebhooksPage />, { client: client(webhook({ activity: 'INACTIVE', inactiveReason: 'switched off', disabledReason: null, disabledAt: null })) })
    const row = (await screen.findByText('Partner')).closest('tr') as HTMLElement
    expect(within(row).queryByText('Deactivated by scoopa')).not.toBeInTheDocument()
  })

  it('shows a banner with the reason on its page, and activates it again', async () => {
    const c = editPage(webhook())
    const banner = await screen.findByTestId('disabled-banner')
    expect(banner).toHaveTextContent('scoopa deactivated this webhook 2 minutes ago: no calls are sent to it.')
    expect(banner).toHaveTextContent(shown)
    expect(banner).not.toHaveTextContent('2026-11-24T08:31:12Z')
    await userEvent.click(within(banner).getByRole('button', { name: 'Activate again' }))
    expect(c.executeMutation).toHaveBeenCalledTimes(1)
    const [op] = c.executeMutation.mock.calls[0] as unknown as [{ variables: unknown }]
    expect(op.variables).toEqual({ id: '12', input: { active: true } })
  })

  it('shows the banner without the button to viewers', async () => {
    editPage(webhook(), 'VIEWER')
    const banner = await screen.findByTestId('disabled-banner')
    expect(banner).toHaveTextContent(shown)
    expect(within(banner).queryByRole('button')).not.toBeInTheDocument()
  })

  it('has no banner once the reason is cleared', async () => {
    editPage(webhook({ active: true, activity: 'ACTIVE', inactiveReason: null, disabledReason: null, disabledAt: null }))
    await screen.findAllByText('Partner')
    expect(screen.queryByTestId('disabled-banner')).not.toBeInTheDocument()
  })
})
