import { screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { concat, fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import { DeliveryHealthCard } from './DeliveryHealth'

const bucket = { succeeded: 0, failed: 1, retrying: 0, latencyP50Ms: 12, latencyP95Ms: 20 }

function stats(errors: { kind: string; count: number; lastSeen: string; lastFailedAt: string | null }[]) {
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString()
  return {
    webhookStats: {
      from: hour,
      to: hour,
      successRate: 0,
      fetches: { delivered: 4, fetched: 3, rate: 0.75 },
      total: bucket,
      buckets: [{ start: hour, ...bucket }],
      errors,
    },
  }
}

function setup(data: unknown) {
  const client = {
    executeQuery: vi.fn(() => concat([fromValue({ data, stale: false, hasNext: false }), never])),
    executeSubscription: vi.fn(() => never),
    executeMutation: vi.fn(() => never),
  }
  renderWith(<DeliveryHealthCard id="12" />, { client })
}

describe('DeliveryHealthCard errors', () => {
  it('says when the last failure of a kind happened, not the start of its hour', async () => {
    const lastSeen = new Date(Date.now() - 50 * 60_000).toISOString() // its hour began 50 minutes ago
    const lastFailedAt = new Date(Date.now() - 2 * 60_000).toISOString()
    setup(stats([{ kind: 'HTTP 500', count: 3, lastSeen, lastFailedAt }]))
    const chip = (await screen.findByText('HTTP 500')).closest('li') as HTMLElement
    expect(chip).toHaveTextContent('HTTP 500 × 3 (last 2 minutes ago)')
    expect(chip.querySelector('time')).toHaveAttribute('dateTime', lastFailedAt)
  })

  it('names the hour when only the hour is known', async () => {
    const lastSeen = '2026-03-04T05:00:00Z'
    setup(stats([{ kind: 'timeout', count: 1, lastSeen, lastFailedAt: null }]))
    const chip = (await screen.findByText('timeout')).closest('li') as HTMLElement
    expect(chip).toHaveTextContent(/\(last in the hour from 4 Mar \d\d:00\)/)
  })
})

describe('DeliveryHealthCard fetches', () => {
  it('shows the share of the delivered files their receiver fetched', async () => {
    setup(stats([]))
    const rate = await screen.findByTestId('fetch-rate')
    expect(rate).toHaveTextContent('75.0 %')
    expect(rate).toHaveAttribute('title', '3 of 4 delivered files')
  })
})
