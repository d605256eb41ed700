import { act, screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { fromValue, makeSubject, never } from 'wonka'
import { renderWith } from '../test/render'
import { CallDetail } from './CallDetail'
import { CallLog } from './CallLog'
import { filtersFromParams, filtersToParams, matches, whereOf, type Call } from './callFilters'

const t = (min: number) => new Date(Date.UTC(2026, 0, 1, 12, min)).toISOString()

function call(over: Partial<Call>): Call {
  return {
    id: '1',
    kind: 'DELIVERY',
    status: 'SUCCEEDED',
    origin: 'FOLDER',
    filter: null,
    filters: null,
    targetURL: 'https://partner.example/hook',
    webhookName: 'Partner',
    fileName: 'clip.mov',
    folderName: 'Inbox',
    attemptCount: 1,
    test: false,
    nextAttemptAt: null,
    waitReason: null,
    retryDelays: null,
    responseStatus: 200,
    error: null,
    createdAt: t(0),
    completedAt: t(1),
    fetch: null,
    webhook: { id: 'w1' },
    ...over,
  }
}

function setupLog(calls: Call[]) {
  const events = makeSubject<{ data: { webhookCallUpdated: Call } }>()
  const client = {
    executeQuery: vi.fn(() =>
      fromValue({
        data: {
          webhookCalls: {
            totalCount: calls.length,
            pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
            edges: calls.map((c) => ({ cursor: `c${c.id}`, node: c })),
          },
        },
        stale: false,
        hasNext: false,
      }),
    ),
    executeSubscription: vi.fn(() => events.source),
    executeMutation: vi.fn(),
  }
  renderWith(<CallLog filters={{ statuses: [] }} />, { client })
  return (c: Call) => act(() => events.next({ data: { webhookCallUpdated: c } }))
}

const row = (id: string) => document.querySelector(`[data-call-id="${id}"]`) as HTMLElement

describe('fetch state', () => {
  it('says "Not fetched yet" for a delivered file, then "Fetched" when its fetch arrives live', () => {
    const push = setupLog([
      call({ id: '3' }),
      call({ id: '2', status: 'FAILED', completedAt: t(2), error: 'HTTP 500' }),
      call({ id: '1', kind: 'VALIDATION', fileName: 'test.mov' }),
    ])
    expect(within(row('3')).getByText('Not fetched yet')).toBeInTheDocument()
    // Only SUCCEEDED deliveries have a file to fetch.
    expect(row('2').querySelector('[data-fetch]')).toBeNull()
    expect(row('1').querySelector('[data-fetch]')).toBeNull()

    push(call({ id: '3', fetch: { firstAt: t(5), count: 1 } }))
    expect(within(row('3')).queryByText('Not fetched yet')).not.toBeInTheDocument()
    expect(row('3').querySelector('[data-fetch]')).toHaveTextContent(/^Fetched \S/)

    push(call({ id: '3', fetch: { firstAt: t(5), count: 3 } }))
    expect(row('3').querySelector('[data-fetch]')).toHaveTextContent(/^Fetched .+ · 3×$/)
  })

  it('shows the fetches in the call detail', () => {
    const node = {
      __typename: 'WebhookCall',
      ...call({ id: '42', fetch: { __typename: 'WebhookCallFetch', firstAt: t(5), count: 2 } as Call['fetch'] }),
      webhook: { __typename: 'Webhook', id: 'w1' },
      payload: '{}',
      file: null,
      folder: null,
      attempts: [],
    }
    const client = {
      executeQuery: vi.fn(() => fromValue({ data: { node }, stale: false, hasNext: false })),
      executeSubscription: vi.fn(() => never),
      executeMutation: vi.fn(),
    }
    renderWith(<CallDetail id="42" onClose={() => {}} />, { client, role: 'VIEWER' })
    expect(screen.getByText('Fetched by the receiver').nextSibling).toHaveTextContent(/^Fetched 2 times, first /)
  })

  it('filters the delivered files not fetched after a while, live events too', () => {
    const f = filtersFromParams(new URLSearchParams('notFetched=24h'))
    expect(f.notFetched).toBe('24h')
    expect(filtersToParams(f).toString()).toBe('notFetched=24h')
    expect(whereOf(f)).toEqual({ notFetchedFor: '24h' })
    expect(filtersFromParams(new URLSearchParams('notFetched=5s')).notFetched).toBeUndefined()

    const now = new Date(t(0)).getTime() + 25 * 3_600_000
    expect(matches(call({}), f, now)).toBe(true)
    expect(matches(call({ fetch: { firstAt: t(30), count: 1 } }), f, now)).toBe(false)
    expect(matches(call({ completedAt: new Date(now - 3_600_000).toISOString() }), f, now)).toBe(false)
    expect(matches(call({ status: 'FAILED' }), f, now)).toBe(false)
  })
})

describe('fetch state of a receiver that downloads before it answers', () => {
  it('keeps "Fetched" when the event ending the attempt carries the fetches as they were before it', () => {
    const push = setupLog([call({ id: '4', status: 'RUNNING', completedAt: null })])
    push(call({ id: '4', status: 'RUNNING', completedAt: null, fetch: { firstAt: t(2), count: 1 } }))
    push(call({ id: '4', status: 'SUCCEEDED', completedAt: t(3), fetch: null }))
    expect(row('4').querySelector('[data-fetch]')).toHaveTextContent(/^Fetched \S/)
  })
})
