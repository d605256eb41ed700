import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { concat, fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import { WebhooksPage } from './Webhooks'

const none = { pending: 0, running: 0, retrying: 0, succeeded: 0, failed: 0, canceled: 0 }
const ago = (sec: number) => new Date(Date.now() - sec * 1000).toISOString()

describe('WebhooksPage', () => {
  it('names the kind of each last call and of each 24-hour count', async () => {
    const w = {
      id: '12',
      name: 'Partner',
      url: 'https://partner.example/hook',
      active: true,
      activity: 'ACTIVE',
      inactiveReason: null,
      allFolders: true,
      filter: null,
      validationStatus: 'VALID',
      lastValidatedAt: ago(60),
      lastValidationError: null,
      createdAt: ago(3600),
      folders: [],
      // Only a validation so far: it must not pass for "the last call" while the counts say "no calls".
      lastDelivery: null,
      lastValidation: { id: '40', kind: 'VALIDATION', status: 'SUCCEEDED', createdAt: ago(60), error: null },
      deliveries24h: none,
      validations24h: { ...none, succeeded: 1 },
    }
    const client = {
      executeQuery: vi.fn(() => concat([fromValue({ data: { webhooks: { totalCount: 1, edges: [{ node: w }] } }, stale: false, hasNext: false }), never])),
      executeSubscription: vi.fn(() => never),
      executeMutation: vi.fn(),
    }
    renderWith(<WebhooksPage />, { client })
    const row = (await screen.findByText('Partner')).closest('tr') as HTMLElement
    expect(within(row).getByText('Last call').closest('td')).toHaveTextContent(/DeliveryNever\s*ValidationSucceeded/)
    expect(row.querySelector('[data-call-stats="DELIVERY"]')).toHaveTextContent('DeliveriesNone')
    expect(row.querySelector('[data-call-stats="VALIDATION"]')).toHaveTextContent('Validations1 succeeded')
    expect(within(row).getByRole('link', { name: /Succeeded/ })).toHaveAttribute('href', '/calls/40')
  })

  it('marks a webhook without folders as not active, whatever its switch says', async () => {
    const row = (active: boolean, id: string, name: string, activity: string, inactiveReason: string | null, allFolders: boolean) => ({
      id,
      name,
      url: `https://partner.example/${id}`,
      active,
      activity,
      inactiveReason,
      allFolders,
      filter: null,
      validationStatus: 'VALID',
      lastValidatedAt: null,
      lastValidationError: null,
      disabledReason: null,
      createdAt: ago(3600),
      folders: [],
      lastDelivery: null,
      lastValidation: null,
      deliveries24h: none,
      validations24h: none,
    })
    const hooks = [
      row(true, '1', 'Switched on, no folders', 'NO_FOLDERS', 'no folders assigned', false),
      row(false, '2', 'New, no folders', 'NO_FOLDERS', 'no folders assigned, and switched off', false),
      row(true, '3', 'On all folders', 'ACTIVE', null, true),
      row(false, '4', 'Off on all folders', 'INACTIVE', 'switched off', true),
    ]
    const client = {
      executeQuery: vi.fn(() => concat([fromValue({ data: { webhooks: { totalCount: hooks.length, edges: hooks.map((node) => ({ node })) } }, stale: false, hasNext: false }), never])),
      executeSubscription: vi.fn(() => never),
      executeMutation: vi.fn(),
    }
    renderWith(<WebhooksPage />, { client })
    const state = async (name: string) => (await screen.findByText(name)).closest('tr')?.querySelector('[data-activity]')
    expect(await state('Switched on, no folders')).toHaveTextContent(/^Not active: no folders assigned$/)
    expect(await state('New, no folders')).toHaveTextContent(/^Not active: no folders assigned$/)
    expect(await state('New, no folders')).toHaveAttribute('title', 'Not active: no folders assigned, and switched off')
    expect(await state('On all folders')).toHaveTextContent(/^Active$/)
    expect(await state('Off on all folders')).toHaveTextContent(/^Inactive$/)
  })

  it('searches on the server and pages with the cursor', { timeout: 60_000 }, async () => {
    const hook = (i: number) => ({
      id: String(i),
      name: `hook-${i}`,
      url: `https://partner.example/${i}`,
      active: false,
      activity: 'NO_FOLDERS',
      inactiveReason: 'no folders assigned, and switched off',
      allFolders: false,
      filter: null,
      validationStatus: 'VALID',
      lastValidatedAt: null,
      lastValidationError: null,
      disabledReason: null,
      createdAt: ago(3600),
      folders: [],
      lastDelivery: null,
      lastValidation: null,
      deliveries24h: none,
      validations24h: none,
    })
    type Vars = { first: number; after: string | null; where: { search: string } | null }
    const executeQuery = vi.fn((op: { variables: Vars }) => {
      if ('ids' in op.variables) {
        // The sparklines' query, after the list has rendered.
        return concat([fromValue({ operation: op, data: { nodes: [] }, stale: false, hasNext: false }), never])
      }
      const all = Array.from({ length: 1000 }, (_, i) => hook(i + 1)).filter((w) => !op.variables.where || w.name.includes(op.variables.where.search))
      const start = op.variables.after ? Number(op.variables.after) : 0
      const page = all.slice(start, start + op.variables.first)
      return concat([
        fromValue({
          operation: op,
          data: { webhooks: { totalCount: all.length, pageInfo: { hasNextPage: start + page.length < all.length, endCursor: String(start + page.length) }, edges: page.map((node) => ({ node })) } },
          stale: false,
          hasNext: false,
        }),
        never,
      ])
    })
    const listVars = () => executeQuery.mock.calls.map((c) => c[0].variables).filter((v) => !('ids' in v))
    const client = { executeQuery, executeSubscription: vi.fn(() => never), executeMutation: vi.fn() }
    renderWith(<WebhooksPage />, { client })
    expect(await screen.findByText('hook-1')).toBeInTheDocument()
    expect(screen.getByRole('navigation', { name: 'Webhooks pages' })).toHaveTextContent('1–50 of 1000')
    await userEvent.click(screen.getByRole('button', { name: 'Next' }))
    expect(await screen.findByText('hook-51')).toBeInTheDocument()
    expect(screen.queryByText('hook-1')).toBeNull()
    expect(screen.getByRole('navigation', { name: 'Webhooks pages' })).toHaveTextContent('51–100 of 1000')
    expect(listVars().at(-1)).toEqual({ first: 50, after: '50', where: null })

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search webhooks' }), 'hook-777')
    expect(await screen.findByText('hook-777', undefined, { timeout: 10_000 })).toBeInTheDocument()
    await waitFor(() => expect(screen.getByRole('navigation', { name: 'Webhooks pages' })).toHaveTextContent('1–1 of 1'))
    // A new search starts at the first page.
    expect(listVars().at(-1)).toEqual({ first: 50, after: null, where: { search: 'hook-777' } })
  })
})
