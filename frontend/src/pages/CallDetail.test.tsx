import { screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import { CallDetail } from './CallDetail'

const t = (min: number) => new Date(Date.UTC(2026, 0, 1, 12, min)).toISOString()

const headers = (timestamp: string, signature: string) => [
  { __typename: 'RequestHeader', name: 'Content-Type', value: 'application/json' },
  { __typename: 'RequestHeader', name: 'User-Agent', value: 'scoopa-webhooks/1.0' },
  { __typename: 'RequestHeader', name: 'webhook-id', value: 'msg_42' },
  { __typename: 'RequestHeader', name: 'webhook-timestamp', value: timestamp },
  { __typename: 'RequestHeader', name: 'webhook-signature', value: signature },
  { __typename: 'RequestHeader', name: 'Authorization', value: '••••••••9XYZ' },
]

const attempt = (number: number, over: object) => ({
  __typename: 'WebhookCallAttempt',
  id: `a${number}`,
  number,
  startedAt: t(number),
  durationMs: 12,
  responseStatus: 200,
  retryAfterSeconds: null,
  error: null,
  responseBody: null,
  requestHeaders: [],
  ...over,
})

function setup(attempts: object[], over: object = {}) {
  const node = {
    __typename: 'WebhookCall',
    id: '42',
    kind: 'DELIVERY',
    status: 'SUCCEEDED',
    origin: 'FOLDER',
    filter: null,
    targetURL: 'https://partner.example/hook',
    webhookName: 'Partner',
    fileName: 'clip.mov',
    folderName: 'Inbox',
    attemptCount: attempts.length,
    test: false,
    nextAttemptAt: null,
    waitReason: null,
    retryDelays: null,
    responseStatus: 200,
    error: null,
    createdAt: t(0),
    completedAt: t(3),
    webhook: { __typename: 'Webhook', id: 'w1' },
    payload: '{"file_name":"clip.mov"}',
    file: null,
    folder: null,
    attempts,
    ...over,
  }
  const client = {
    executeQuery: vi.fn(() => fromValue({ data: { node }, stale: false, hasNext: false })),
    executeSubscription: vi.fn(() => never),
    executeMutation: vi.fn(),
  }
  renderWith(<CallDetail id="42" onClose={() => {}} />, { client, role: 'VIEWER' })
}

const attemptItem = (n: number) => document.querySelector(`[data-attempt="${n}"]`) as HTMLElement

/** rowsOf reads an attempt's request headers table as [name, value] pairs. */
function rowsOf(n: number): string[][] {
  const table = within(attemptItem(n)).getByRole('table', { name: 'Request headers' })
  return within(table)
    .getAllByRole('row')
    .map((r) => [within(r).getByRole('rowheader').textContent ?? '', within(r).getByRole('cell').textContent ?? ''])
}

describe('CallDetail', () => {
  it('shows why a call waits, its retry schedule and the Retry-After an attempt was answered with', () => {
    setup([attempt(1, { responseStatus: 429, error: 'HTTP 429', retryAfterSeconds: 30 })], {
      status: 'RETRYING',
      completedAt: null,
      nextAttemptAt: t(5),
      waitReason: 'rate limit: 20 requests/s',
      retryDelays: ['1m', '10m', '20m'],
    })
    expect(screen.getByText('Waiting for').nextSibling).toHaveTextContent('rate limit: 20 requests/s')
    expect(screen.getByText('Retry schedule').nextSibling).toHaveTextContent('1m, 10m, 20m')
    expect(within(attemptItem(1)).getByText('Retry-After: 30 s')).toBeInTheDocument()
  })

  it('shows the request headers each attempt sent, credentials masked', () => {
    setup([
      attempt(2, { requestHeaders: headers('1767269000', 'v1,second+sig=') }),
      attempt(1, { responseStatus: 500, error: 'HTTP 500', requestHeaders: headers('1767268940', 'v1,first+sig=') }),
    ])
    expect(within(attemptItem(1)).getByText('Request headers (6)')).toBeInTheDocument()
    expect(rowsOf(1)).toEqual([
      ['Content-Type', 'application/json'],
      ['User-Agent', 'scoopa-webhooks/1.0'],
      ['webhook-id', 'msg_42'],
      ['webhook-timestamp', '1767268940'],
      ['webhook-signature', 'v1,first+sig='],
      ['Authorization', '••••••••9XYZ'],
    ])
    // The timestamp and signature are the second attempt's own.
    expect(rowsOf(2)).toContainEqual(['webhook-timestamp', '1767269000'])
    expect(rowsOf(2)).toContainEqual(['webhook-signature', 'v1,second+sig='])
    expect(rowsOf(2)).not.toContainEqual(['webhook-signature', 'v1,first+sig='])
  })

  it('shows no headers section for an attempt recorded without them', () => {
    setup([attempt(1, {})])
    expect(attemptItem(1)).toBeInTheDocument()
    expect(within(attemptItem(1)).queryByRole('table', { name: 'Request headers' })).not.toBeInTheDocument()
    expect(screen.queryByText(/Request headers/)).not.toBeInTheDocument()
  })
})
