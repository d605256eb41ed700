import { screen, within } from '@testing-library/react'
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
})
