import { act, screen, within } from '@testing-library/react'
import { CombinedError } from 'urql'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fromValue, makeSubject, type Subject } from 'wonka'
import { LiveContext } from '../lib/client'
import { LiveStatus } from '../lib/live'
import { renderWith } from '../test/render'
import type { Call, CallFilters } from './callFilters'
import { CallLog } from './CallLog'

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
    responseStatus: null,
    error: null,
    createdAt: t(0),
    completedAt: null,
    fetch: null,
    webhook: { id: 'w1' },
    ...over,
  }
}

const page = (calls: Call[]) => ({
  data: {
    webhookCalls: {
      totalCount: calls.length,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: calls.map((c) => ({ cursor: `c${c.id}`, node: c })),
    },
  },
  stale: false,
  hasNext: false,
})

function setup(calls: Call[], filters: CallFilters = { statuses: [] }, role: 'ADMIN' | 'VIEWER' = 'ADMIN') {
  const events = makeSubject<{ data: { webhookCallUpdated: Call } }>()
  const client = {
    executeQuery: vi.fn(() => fromValue(page(calls))),
    executeSubscription: vi.fn(() => events.source),
    executeMutation: vi.fn(),
  }
  renderWith(<CallLog filters={filters} />, { client, role })
  const push = (c: Call) => act(() => events.next({ data: { webhookCallUpdated: c } }))
  return { client, push }
}

const rows = () => screen.getAllByRole('row').slice(1)
const rowIds = () => rows().map((r) => r.getAttribute('data-call-id'))

describe('CallLog', () => {
  it('says why a call waits without doubling "waiting"', () => {
    setup([
      call({ id: '3', status: 'PENDING', waitReason: 'waiting for call 2 to finish', nextAttemptAt: null }),
      call({ id: '2', status: 'PENDING', waitReason: 'rate limit: 20 requests/s', nextAttemptAt: null }),
    ])
    const [r3, r2] = rows()
    expect(r3.querySelector('[data-wait-reason]')).toHaveTextContent(/^waiting for call 2 to finish$/)
    expect(r2.querySelector('[data-wait-reason]')).toHaveTextContent(/^waiting: rate limit: 20 requests\/s$/)
  })

  it('renders status, source file, target, error, origin and filter', () => {
    setup([
      call({ id: '2', status: 'RETRYING', origin: 'PLATFORM', filter: '.mov', fileName: 'b.mov', createdAt: t(2), error: 'partner unavailable', responseStatus: 500, attemptCount: 2 }),
      call({ id: '1', status: 'SUCCEEDED', fileName: 'a.mov', createdAt: t(1), filters: 'type video/*; size ≤ 5000 bytes' }),
      call({ id: '0', kind: 'VALIDATION', status: 'FAILED', origin: null, fileName: 'test.mov', createdAt: t(0), error: 'connection refused' }),
    ])
    expect(rowIds()).toEqual(['2', '1', '0'])
    const [r2, r1, r0] = rows()
    expect(within(r2).getByText('Retrying')).toBeInTheDocument()
    expect(within(r2).getByText('b.mov')).toBeInTheDocument()
    expect(within(r2).getByText('Platform-wide')).toBeInTheDocument()
    expect(within(r2).getByText('.mov')).toBeInTheDocument()
    expect(within(r2).getByText('HTTP 500: partner unavailable')).toBeInTheDocument()
    expect(within(r2).getByText('https://partner.example/hook')).toBeInTheDocument()
    expect(within(r1).getByText('Succeeded')).toBeInTheDocument()
    expect(within(r1).getByText('Folder')).toBeInTheDocument()
    expect(within(r1).getByText('type video/*; size ≤ 5000 bytes')).toBeInTheDocument()
    expect(within(r0).getByText('Validation test')).toBeInTheDocument()
    expect(within(r0).getByText('connection refused')).toBeInTheDocument()
    // Validation calls cannot be retried; neither can running ones.
    expect(screen.queryByRole('button', { name: /Retry/ })).not.toBeInTheDocument()
    expect(screen.getByText('3 calls')).toBeInTheDocument()
  })

  it('inserts a new call from the subscription at the top', () => {
    const { client, push } = setup([call({ id: '1', createdAt: t(1) })])
    expect(client.executeSubscription).toHaveBeenCalledTimes(1)
    push(call({ id: '5', status: 'PENDING', fileName: 'new.mov', createdAt: t(5) }))
    expect(rowIds()).toEqual(['5', '1'])
    expect(within(rows()[0]).getByText('Pending')).toBeInTheDocument()
    expect(within(rows()[0]).getByText('new.mov')).toBeInTheDocument()
  })

  it('updates a call in place when its status changes', () => {
    const { push } = setup([call({ id: '2', status: 'RUNNING', createdAt: t(2) }), call({ id: '1', createdAt: t(1) })])
    expect(within(rows()[0]).getByText('Running')).toBeInTheDocument()
    push(call({ id: '2', status: 'FAILED', createdAt: t(2), error: 'timeout', responseStatus: null }))
    expect(rowIds()).toEqual(['2', '1'])
    expect(within(rows()[0]).getByText('Failed')).toBeInTheDocument()
    expect(within(rows()[0]).getByText('timeout')).toBeInTheDocument()
    expect(within(rows()[0]).getByRole('button', { name: 'Retry call 2' })).toBeInTheDocument()
  })

  it('leaves out new calls that do not match the filters, and hides Retry from viewers', () => {
    const { push, client } = setup([call({ id: '1', status: 'FAILED', createdAt: t(1) })], { statuses: ['FAILED'], webhook: 'w1' }, 'VIEWER')
    const [op] = client.executeSubscription.mock.calls[0] as unknown as [{ variables: unknown }]
    expect(op.variables).toEqual({ webhookID: 'w1', kinds: null })
    push(call({ id: '6', status: 'SUCCEEDED', createdAt: t(6) }))
    push(call({ id: '7', status: 'FAILED', createdAt: t(7), webhook: { id: 'other' } }))
    expect(rowIds()).toEqual(['1'])
    push(call({ id: '8', status: 'FAILED', createdAt: t(8) }))
    expect(rowIds()).toEqual(['8', '1'])
    expect(screen.queryByRole('button', { name: /Retry/ })).not.toBeInTheDocument()
  })

  it('asks for the newest calls first with the filters as a where input', () => {
    const { client } = setup([], { webhook: 'w9', statuses: ['FAILED', 'CANCELED'], kind: 'DELIVERY', origin: 'PLATFORM', file: 'Clip' })
    const [op] = client.executeQuery.mock.calls[0] as unknown as [{ variables: unknown }]
    expect(op.variables).toEqual({
      first: 25,
      after: null,
      where: { webhookID: 'w9', statusIn: ['FAILED', 'CANCELED'], kind: 'DELIVERY', origin: 'PLATFORM', fileNameContainsFold: 'Clip' },
    })
    expect(screen.getByText('No calls match these filters')).toBeInTheDocument()
  })

  describe('when the server ends the subscription', () => {
    afterEach(() => {
      vi.useRealTimers()
    })

    it.each([
      ['with an error', (s: Subject<unknown>) => s.next({ error: new CombinedError({ graphQLErrors: [{ message: 'internal error' }] }) })],
      ['by completing it', (s: Subject<unknown>) => s.complete()],
    ])('%s, it says so, subscribes again after a back-off and refetches the page', (_, end) => {
      vi.useFakeTimers()
      const live = new LiveStatus()
      live.connecting()
      live.connected()
      const subs: Subject<unknown>[] = []
      const client = {
        executeQuery: vi.fn(() => fromValue(page([call({ id: '1', createdAt: t(1) })]))),
        executeSubscription: vi.fn(() => {
          const s = makeSubject<unknown>()
          subs.push(s)
          return s.source
        }),
        executeMutation: vi.fn(),
      }
      renderWith(
        <LiveContext.Provider value={live}>
          <CallLog filters={{ statuses: [], webhook: 'w1' }} />
        </LiveContext.Provider>,
        { client },
      )
      const indicator = () => document.querySelector('[data-live]')?.getAttribute('data-live')
      expect(indicator()).toBe('connected')
      const fetches = client.executeQuery.mock.calls.length

      act(() => end(subs[0]))
      expect(indicator()).toBe('reconnecting')
      expect(client.executeSubscription).toHaveBeenCalledTimes(1)

      act(() => vi.advanceTimersByTime(1000))
      expect(client.executeSubscription).toHaveBeenCalledTimes(2)
      const [op] = client.executeSubscription.mock.calls[1] as unknown as [{ variables: unknown }]
      expect(op.variables).toEqual({ webhookID: 'w1', kinds: null })
      expect(indicator()).toBe('connected')
      expect(client.executeQuery.mock.calls.length).toBeGreaterThan(fetches)

      act(() => subs[1].next({ data: { webhookCallUpdated: call({ id: '9', status: 'PENDING', createdAt: t(9) }) } }))
      expect(rowIds()).toEqual(['9', '1'])
    })

    it('keeps the subscription when an event comes with errors beside its data', () => {
      const live = new LiveStatus()
      live.connecting()
      live.connected()
      const events = makeSubject<unknown>()
      const client = {
        executeQuery: vi.fn(() => fromValue(page([call({ id: '1', createdAt: t(1) })]))),
        executeSubscription: vi.fn(() => events.source),
        executeMutation: vi.fn(),
      }
      renderWith(
        <LiveContext.Provider value={live}>
          <CallLog filters={{ statuses: [] }} />
        </LiveContext.Provider>,
        { client },
      )
      const error = new CombinedError({ graphQLErrors: [{ message: 'internal error', path: ['webhookCallUpdated', 'file'] }] })
      act(() => events.next({ data: { webhookCallUpdated: call({ id: '4', createdAt: t(4) }) }, error }))
      expect(rowIds()).toEqual(['4', '1'])
      expect(document.querySelector('[data-live]')?.getAttribute('data-live')).toBe('connected')
      expect(client.executeSubscription).toHaveBeenCalledTimes(1)
    })
  })
})
