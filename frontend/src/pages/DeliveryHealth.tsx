import { useMemo, useState } from 'react'
import { useQuery } from 'urql'
import { Card } from '../components/page'
import { ErrorBox } from '../components/feedback'
import { RelTime } from '../components/RelTime'
import { cx } from '../components/classes'
import { LatencyChart, OutcomeChart, Sparkline, bucketLabel, formatMs, type StatsPoint } from '../components/charts'
import { graphql } from '../gql'
import { errorText } from '../lib/errors'

// A webhook's delivery health (webhookStats): attempts per hour by outcome,
// latency, success rate and errors by kind. Its own query, sent once the page
// has rendered with the webhook's data: the charts never hold the page up.

export const WebhookStatsQuery = graphql(`
  query WebhookStats($id: ID!, $from: Time!, $to: Time!) {
    webhookStats(id: $id, from: $from, to: $to, bucket: "HOUR") {
      from
      to
      successRate
      fetches {
        delivered
        fetched
        rate
      }
      total {
        succeeded
        failed
        retrying
        latencyP50Ms
        latencyP95Ms
      }
      buckets {
        start
        succeeded
        failed
        retrying
        latencyP50Ms
        latencyP95Ms
      }
      errors {
        kind
        count
        lastSeen
        lastFailedAt
      }
    }
  }
`)

export const WebhookSparklinesQuery = graphql(`
  query WebhookSparklines($ids: [ID!]!) {
    nodes(ids: $ids) {
      id
      ... on Webhook {
        recentStats {
          start
          succeeded
          failed
          retrying
        }
      }
    }
  }
`)

const RANGES = [
  { key: '24h', label: '24 hours', hours: 24 },
  { key: '7d', label: '7 days', hours: 7 * 24 },
] as const

type RangeKey = (typeof RANGES)[number]['key']

/** rangeOf is the range of the last `hours` hours, the hour under way included. */
export function rangeOf(hours: number, now = Date.now()) {
  const end = Math.floor(now / 3_600_000) * 3_600_000 + 3_600_000
  return { from: new Date(end - hours * 3_600_000).toISOString(), to: new Date(end).toISOString() }
}

/** successText says the share of finished calls that succeeded. */
export function successText(rate: number | null | undefined): string {
  if (rate == null) return 'no call finished'
  const pct = rate * 100
  return `${pct >= 99.95 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)} %`
}

/** DeliveryHealthCard shows a webhook's delivery health over the last 24 hours or 7 days. */
export function DeliveryHealthCard({ id }: { id: string }) {
  const [rangeKey, setRangeKey] = useState<RangeKey>('24h')
  const range = RANGES.find((r) => r.key === rangeKey) ?? RANGES[0]
  // The range is fixed when it is chosen (a refetch does not move it).
  const variables = useMemo(() => ({ id, ...rangeOf(range.hours) }), [id, range.hours])
  const [{ data, fetching, error }, refetch] = useQuery({ query: WebhookStatsQuery, variables, requestPolicy: 'cache-and-network' })
  const st = data?.webhookStats
  const withDay = range.hours > 24
  return (
    <Card className="p-4 sm:p-6">
      <div aria-labelledby="delivery-health-title" role="region" data-testid="delivery-health">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="delivery-health-title" className="text-sm font-semibold text-slate-900">
            Delivery health
          </h2>
          <div role="group" aria-label="Time range" className="inline-flex rounded-md shadow-xs ring-1 ring-slate-300 ring-inset">
            {RANGES.map((r, i) => (
              <button
                key={r.key}
                type="button"
                aria-pressed={r.key === rangeKey}
                onClick={() => setRangeKey(r.key)}
                className={cx(
                  'px-3 py-1 text-xs font-medium focus-visible:outline-2 focus-visible:outline-indigo-600',
                  i === 0 ? 'rounded-l-md' : 'rounded-r-md',
                  r.key === rangeKey ? 'bg-indigo-600 text-white' : 'bg-white text-slate-700 hover:bg-slate-50',
                )}
              >
                {r.label}
              </button>
            ))}
          </div>
        </div>
        {error && !st ? (
          <div className="mt-3">
            <ErrorBox title="The delivery health could not be loaded" onRetry={() => refetch({ requestPolicy: 'network-only' })}>
              {errorText(error)}
            </ErrorBox>
          </div>
        ) : !st ? (
          <p className="mt-3 text-sm text-slate-500" role="status">
            {fetching ? 'Loading delivery health…' : null}
          </p>
        ) : (
          <div className="mt-3 space-y-4">
            <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-5">
              <div>
                <dt className="text-xs text-slate-500">Success rate</dt>
                <dd className="font-semibold text-slate-900" data-testid="success-rate">
                  {successText(st.successRate)}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Fetched by the receiver</dt>
                <dd className="font-semibold text-slate-900" data-testid="fetch-rate" title={st.fetches ? `${st.fetches.fetched} of ${st.fetches.delivered} delivered files` : undefined}>
                  {st.fetches?.rate == null ? 'nothing delivered' : successText(st.fetches.rate)}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Attempts</dt>
                <dd className="font-semibold text-slate-900">{st.total.succeeded + st.total.failed + st.total.retrying}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Latency p50</dt>
                <dd className="font-semibold text-slate-900">{formatMs(st.total.latencyP50Ms)}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Latency p95</dt>
                <dd className="font-semibold text-slate-900">{formatMs(st.total.latencyP95Ms)}</dd>
              </div>
            </dl>
            <div>
              <h3 className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Attempts per hour</h3>
              <OutcomeChart points={st.buckets as StatsPoint[]} title={`Attempts per hour, last ${range.label}`} withDay={withDay} />
            </div>
            <div>
              <h3 className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Latency</h3>
              <LatencyChart points={st.buckets as StatsPoint[]} title={`Latency per hour, last ${range.label}`} withDay={withDay} />
            </div>
            <div>
              <h3 className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Errors</h3>
              {st.errors.length === 0 ? (
                <p className="mt-1 text-sm text-slate-500">No failed attempt in the last {range.label}.</p>
              ) : (
                <ul className="mt-1 flex flex-wrap gap-2" data-testid="error-kinds">
                  {st.errors.map((e) => (
                    <li key={e.kind} className="rounded-full bg-red-50 px-2.5 py-0.5 text-xs text-red-800 ring-1 ring-red-200 ring-inset">
                      <span className="font-medium">{e.kind}</span> × {e.count}{' '}
                      <span className="text-red-700/80">
                        {e.lastFailedAt ? (
                          <>
                            (last <RelTime iso={e.lastFailedAt} past />)
                          </>
                        ) : (
                          // Only the hour is known: say so rather than pass its start for the time.
                          <>(last in the hour from {bucketLabel(e.lastSeen, true)})</>
                        )}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        )}
      </div>
    </Card>
  )
}

/**
 * useSparklines loads the last 24 hours of the webhooks listed, in one
 * query sent after the list has rendered; it answers their points by ID.
 */
export function useSparklines(ids: string[]): Map<string, StatsPoint[]> {
  const [{ data }] = useQuery({ query: WebhookSparklinesQuery, variables: { ids }, pause: ids.length === 0, requestPolicy: 'cache-and-network' })
  return useMemo(() => {
    const m = new Map<string, StatsPoint[]>()
    for (const n of data?.nodes ?? []) {
      if (n && 'recentStats' in n && n.recentStats) m.set(n.id, n.recentStats)
    }
    return m
  }, [data])
}

/** WebhookSparkline is a webhook's sparkline in the overview, or a placeholder while it loads. */
export function WebhookSparkline({ name, points }: { name: string; points: StatsPoint[] | undefined }) {
  if (!points) return <span className="inline-block h-6 w-24 rounded bg-slate-100" aria-hidden="true" />
  return <Sparkline points={points} label={`Attempts of ${name}`} />
}
