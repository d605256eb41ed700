import { useEffect, useMemo, useReducer, useRef, useState } from 'react'
import { Link } from 'react-router'
import { useMutation, useQuery } from 'urql'
import { ListIcon } from '../components/icons'
import { originLabel, StatusBadge } from '../components/status'
import { Button } from '../components/buttons'
import { Card, stacked, Td } from '../components/page'
import { EmptyState } from '../components/feedback'
import { QueryState } from '../components/QueryState'
import { RelTime } from '../components/RelTime'
import { cx } from '../components/classes'
import { graphql, useFragment, type FragmentType } from '../gql'
import { WebhookCallUpdatedSubscription } from '../lib/useCallEvents'
import { useLive } from '../lib/client'
import { errorText } from '../lib/errors'
import { useLiveStatus } from '../lib/live'
import { useLiveSubscription } from '../lib/useLiveSubscription'
import { useIsAdmin, useIsPartner } from '../lib/session'
import { canRetry, exportURL, filtersToParams, httpPrefix, matches, whereOf, type Call, type CallFilters } from './callFilters'
import { FileName } from '../components/FileName'
import { waitText } from '../lib/format'
import { FetchState } from './FetchState'

/** What a row of the call log shows of a call; the call detail and the live events spread it too. */
export const WebhookCallFields = graphql(`
  fragment WebhookCallFields on WebhookCall {
    id
    kind
    status
    origin
    filter
    filters
    targetURL
    webhookName
    fileName
    folderName
    attemptCount
    test
    nextAttemptAt
    waitReason
    retryDelays
    responseStatus
    error
    createdAt
    completedAt
    fetch {
      firstAt
      count
    }
    webhook {
      id
    }
  }
`)

/**
 * callOf reads the WebhookCallFields of a call that a query or an event
 * spread (fragment masking hides them from the spreading document's type).
 */
function callOf(ref: FragmentType<typeof WebhookCallFields>): Call {
  return useFragment(WebhookCallFields, ref)
}

export const WebhookCallsQuery = graphql(`
  query WebhookCalls($first: Int, $after: Cursor, $last: Int, $before: Cursor, $where: WebhookCallWhereInput) {
    webhookCalls(
      first: $first
      after: $after
      last: $last
      before: $before
      where: $where
      orderBy: { field: CREATED_AT, direction: DESC }
    ) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        cursor
        node {
          ...WebhookCallFields
        }
      }
    }
  }
`)

export const RetryWebhookCallMutation = graphql(`
  mutation RetryWebhookCall($id: ID!) {
    retryWebhookCall(id: $id) {
      ...WebhookCallFields
    }
  }
`)

export const PAGE_SIZE = 25

/** Live events of calls, newest state per call. */
type LiveState = { byId: Map<string, Call> }
type LiveAction = { type: 'event'; call: Call } | { type: 'reset' } | { type: 'drop'; ids: Set<string> }

function liveReducer(s: LiveState, a: LiveAction): LiveState {
  switch (a.type) {
    case 'event': {
      const byId = new Map(s.byId)
      byId.set(a.call.id, withFetchOf(a.call, s.byId.get(a.call.id)))
      return { byId }
    }
    case 'reset':
      return s.byId.size === 0 ? s : { byId: new Map() }
    case 'drop': {
      let changed = false
      const byId = new Map(s.byId)
      for (const id of a.ids) changed = byId.delete(id) || changed
      return changed ? { byId } : s
    }
  }
}

/**
 * withFetchOf is c with the fetches of prev (an earlier event of the same call) when it has more:
 * fetches only grow. Each event carries the call's fetches as its write found them (the one that
 * ends an attempt too), but events of one call written at nearly the same moment, a fetch's and an
 * attempt's, may arrive in the other order: the older must not take the count back.
 */
function withFetchOf(c: Call, prev: Call | undefined): Call {
  if (!prev?.fetch || (c.fetch && c.fetch.count >= prev.fetch.count)) return c
  return { ...c, fetch: prev.fetch }
}

const byNewest = (a: Call, b: Call) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime() || Number(b.id) - Number(a.id)

/**
 * mergeLive lays live events over a page of calls: calls in the page take
 * their newest state in place, and (on the first page) new calls that match
 * the filters join at their place by date, newest first.
 */
export function mergeLive(page: Call[], live: Map<string, Call>, filters: CallFilters, firstPage: boolean, pageFull: boolean): Call[] {
  const inPage = new Set(page.map((c) => c.id))
  const rows = page.map((c) => {
    const l = live.get(c.id)
    return l ? withFetchOf(l, c) : c
  })
  if (!firstPage) return rows
  const oldest = page.length > 0 ? new Date(page[page.length - 1].createdAt).getTime() : -Infinity
  const fresh = [...live.values()].filter(
    (c) => !inPage.has(c.id) && matches(c, filters) && (!pageFull || new Date(c.createdAt).getTime() >= oldest),
  )
  if (fresh.length === 0) return rows
  return [...fresh, ...rows].sort(byNewest)
}

function LiveIndicator({ firstPage }: { firstPage: boolean }) {
  const { status } = useLiveStatus(useLive())
  const map = {
    connected: { dot: 'bg-emerald-500', text: 'Live', title: 'New calls and status changes appear as they happen.' },
    connecting: { dot: 'bg-slate-400 animate-pulse', text: 'Connecting…', title: 'Opening the live connection.' },
    reconnecting: { dot: 'bg-amber-500 animate-pulse', text: 'Reconnecting…', title: 'The live connection was lost; trying again. The list is refreshed once it is back.' },
    idle: { dot: 'bg-slate-300', text: 'Not live', title: 'No live connection yet.' },
  }[status]
  return (
    <span className="inline-flex items-center gap-2 rounded-full bg-white px-3 py-1 text-sm font-medium text-slate-700 ring-1 ring-slate-200" title={map.title} role="status" aria-live="polite" data-live={status}>
      <span className={cx('size-2 rounded-full', map.dot)} aria-hidden />
      {map.text}
      {status === 'connected' && !firstPage ? <span className="font-normal text-slate-500">(new calls on page 1)</span> : null}
    </span>
  )
}

export function RetryButton({ call, className }: { call: Pick<Call, 'id' | 'kind' | 'status'>; className?: string }) {
  const [res, retry] = useMutation(RetryWebhookCallMutation)
  // Admins retry any call; a partner its own webhooks' calls.
  const isAdmin = useIsAdmin()
  const isPartner = useIsPartner()
  const mayRetry = isAdmin || isPartner
  if (!mayRetry || !canRetry(call)) return null
  return (
    <span className={cx('inline-flex flex-col items-start', className)}>
      <Button
        className="px-2 py-1 text-xs"
        busy={res.fetching}
        onClick={(e) => {
          e.stopPropagation()
          void retry({ id: call.id })
        }}
        aria-label={`Retry call ${call.id}`}
      >
        Retry
      </Button>
      {res.error ? (
        <span className="mt-1 text-xs text-red-700" role="alert">
          {errorText(res.error)}
        </span>
      ) : null}
    </span>
  )
}

/** CallsTable lays out calls: status, source file, target, date, error, origin, filter. */
export function CallsTable({ calls, linkSearch }: { calls: Call[]; linkSearch: string }) {
  return (
    <div className="relative overflow-x-auto">
      <table className={cx(stacked.table, 'text-sm')}>
        <caption className="sr-only">Webhook calls, newest first</caption>
        <thead className={cx(stacked.thead, 'bg-slate-50 text-left text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase')}>
          <tr>
            <th scope="col" className="px-4 py-2.5">Status</th>
            <th scope="col" className="px-4 py-2.5">Source file</th>
            <th scope="col" className="px-4 py-2.5">Webhook / target URL</th>
            <th scope="col" className="px-4 py-2.5">Date</th>
            <th scope="col" className="px-4 py-2.5">Error</th>
            <th scope="col" className="px-4 py-2.5">Origin</th>
            <th scope="col" className="hidden px-4 py-2.5 lg:table-cell">Filter</th>
            <th scope="col" className="px-4 py-2.5">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className={cx(stacked.tbody, 'bg-white')}>
          {calls.map((c) => (
            <tr key={c.id} className={cx(stacked.row, 'hover:bg-slate-50')} data-call-id={c.id} data-status={c.status}>
              <Td className="w-28 md:w-auto">
                <Link to={{ pathname: `/calls/${c.id}`, search: linkSearch }} className="rounded focus-visible:outline-2 focus-visible:outline-indigo-600" aria-label={`Call ${c.id}: ${c.status.toLowerCase()}, open details`}>
                  <StatusBadge status={c.status} />
                </Link>
                {c.test ? <span className="ml-1 rounded bg-violet-100 px-1.5 py-0.5 text-xs font-medium text-violet-800">test</span> : null}
                {(c.status === 'PENDING' || c.status === 'RETRYING') && c.waitReason ? (
                  <div className="mt-1 text-xs text-amber-700" data-wait-reason>
                    {waitText(c.waitReason)}
                    {c.nextAttemptAt ? (
                      <>
                        {' '}
                        (<RelTime iso={c.nextAttemptAt} />)
                      </>
                    ) : null}
                  </div>
                ) : c.status === 'RETRYING' && c.nextAttemptAt ? (
                  <div className="mt-1 text-xs text-slate-500">
                    next try <RelTime iso={c.nextAttemptAt} />
                  </div>
                ) : c.attemptCount > 1 ? (
                  <div className="mt-1 text-xs text-slate-500">{c.attemptCount} attempts</div>
                ) : null}
                <FetchState call={c} className="mt-1 text-xs" />
              </Td>
              <Td className="min-w-0 flex-1 pr-16 md:max-w-48 md:pr-4">
                <Link to={{ pathname: `/calls/${c.id}`, search: linkSearch }} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
                  {c.kind === 'VALIDATION' ? <span className="whitespace-nowrap text-slate-500 italic">Validation test</span> : c.fileName ? <FileName name={c.fileName} /> : '—'}
                </Link>
                {c.folderName && c.kind !== 'VALIDATION' ? (
                  <div className="text-xs text-slate-500">
                    in <FileName name={c.folderName} />
                  </div>
                ) : null}
              </Td>
              <Td label="Webhook / target URL" wide className="md:max-w-64">
                <div className="truncate text-slate-800">{c.webhookName}</div>
                <div className="truncate font-mono text-xs text-slate-500" title={c.targetURL}>
                  {c.targetURL}
                </div>
              </Td>
              <Td label="Date" className="text-slate-700">
                <RelTime iso={c.createdAt} past />
              </Td>
              <Td label={c.error ? 'Error' : undefined} wide={!!c.error} className={cx('md:max-w-64', !c.error && 'hidden md:table-cell')}>
                {c.error ? (
                  <span className="line-clamp-2 wrap-anywhere text-red-700" title={c.error}>
                    {httpPrefix(c.responseStatus, c.error)}
                    {c.error}
                  </span>
                ) : (
                  <span className="text-slate-400">—</span>
                )}
              </Td>
              <Td label="Origin" className="whitespace-nowrap text-slate-700">
                {c.kind === 'VALIDATION' ? <span className="text-slate-400">—</span> : originLabel(c.origin)}
              </Td>
              <Td label="Filter" className={cx('md:hidden lg:table-cell', !c.filter && !c.filters && 'hidden')}>
                {c.filter ? <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{c.filter}</code> : c.filters ? null : <span className="text-slate-400">—</span>}
                {c.filters ? <span className={cx('block text-xs text-slate-600', c.filter && 'mt-1')}>{c.filters}</span> : null}
              </Td>
              <td className="absolute top-3 right-3 md:static md:table-cell md:px-4 md:py-3 md:text-right md:align-top">
                <RetryButton call={c} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/**
 * CallLog is the call table with its data: a page of webhookCalls (newest
 * first, cursor pagination) kept current by the webhookCallUpdated
 * subscription, and refetched whenever the live connection comes back.
 */
export function CallLog({ filters }: { filters: CallFilters }) {
  const liveStore = useLive()
  const { reconnects } = useLiveStatus(liveStore)
  const [afters, setAfters] = useState<string[]>([])
  const after = afters.length > 0 ? afters[afters.length - 1] : null
  const where = useMemo(() => whereOf(filters), [filters])
  const filterKey = filtersToParams(filters).toString()
  const firstPage = afters.length === 0

  useEffect(() => setAfters([]), [filterKey])

  const [{ data, fetching, error }, refetch] = useQuery({
    query: WebhookCallsQuery,
    variables: { first: PAGE_SIZE, after, where },
    requestPolicy: 'cache-and-network',
  })

  const [live, dispatch] = useReducer(liveReducer, { byId: new Map() })
  const subVars = useMemo(() => ({ webhookID: filters.webhook ?? null, kinds: filters.kind ? [filters.kind] : null }), [filters.webhook, filters.kind])
  useEffect(() => dispatch({ type: 'reset' }), [subVars])
  useLiveSubscription(WebhookCallUpdatedSubscription, subVars, (d) => dispatch({ type: 'event', call: callOf(d.webhookCallUpdated) }))

  // After a reconnect, the list is fetched again: events in between were missed.
  const seenReconnects = useRef(reconnects)
  useEffect(() => {
    if (reconnects !== seenReconnects.current) {
      seenReconnects.current = reconnects
      refetch({ requestPolicy: 'network-only' })
    }
  }, [reconnects, refetch])

  const page = useMemo(() => (data?.webhookCalls.edges ?? []).flatMap((e) => (e?.node ? [callOf(e.node)] : [])), [data])
  // A fresh page is the truth for its calls: events seen before it no longer override it.
  useEffect(() => {
    dispatch({ type: 'drop', ids: new Set(page.map((c) => c.id)) })
  }, [page])

  const pageInfo = data?.webhookCalls.pageInfo
  const rows = mergeLive(page, live.byId, filters, firstPage, !!pageInfo?.hasNextPage)
  const total = data?.webhookCalls.totalCount ?? 0
  const linkSearch = filterKey ? `?${filterKey}` : ''

  return (
    <Card className="overflow-hidden">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-2.5">
        <p className="text-sm text-slate-600" aria-live="polite">
          {data ? `${total + Math.max(0, rows.length - page.length)} call${total === 1 ? '' : 's'}` : ' '}
          {fetching && data ? <span className="ml-2 text-slate-400">refreshing…</span> : null}
        </p>
        <div className="flex items-center gap-3">
          <ExportLinks filters={filters} />
          <LiveIndicator firstPage={firstPage} />
        </div>
      </div>
      <QueryState
        result={{ data, fetching, error }}
        loading="Loading calls…"
        errorTitle="The calls could not be loaded"
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
        errorClassName="p-3"
        staleError="above"
        isEmpty={() => rows.length === 0}
        empty={
          <EmptyState icon={<ListIcon className="size-6" />} title={filterKey ? 'No calls match these filters' : 'No webhook calls yet'}>
            {filterKey
              ? 'Change or clear the filters to see more.'
              : 'Calls appear here live as soon as a file arrives in a folder of an active webhook, and when a webhook is validated.'}
          </EmptyState>
        }
      >
        {() => <CallsTable calls={rows} linkSearch={linkSearch} />}
      </QueryState>
      {pageInfo && (pageInfo.hasNextPage || !firstPage) ? (
        <nav className="flex items-center justify-between gap-2 border-t border-slate-200 px-4 py-2.5" aria-label="Pages">
          <Button onClick={() => setAfters((a) => a.slice(0, -1))} disabled={firstPage}>
            ← Newer
          </Button>
          <span className="text-sm text-slate-500">Page {afters.length + 1}</span>
          <Button onClick={() => pageInfo.endCursor && setAfters((a) => [...a, pageInfo.endCursor!])} disabled={!pageInfo.hasNextPage}>
            Older →
          </Button>
        </nav>
      ) : null}
    </Card>
  )
}

/** ExportLinks download the calls as filtered (all pages, up to the server's bound). */
export function ExportLinks({ filters }: { filters: CallFilters }) {
  const link = 'rounded px-1.5 py-0.5 font-medium text-slate-700 underline-offset-2 hover:underline focus-visible:outline-2'
  return (
    <span className="flex items-center gap-1 text-sm text-slate-500" role="group" aria-label="Export the calls shown">
      Export
      <a className={link} href={exportURL('csv', filters)} download title="Download the calls as filtered, as CSV">
        CSV
      </a>
      <a className={link} href={exportURL('ndjson', filters)} download title="Download the calls as filtered, as NDJSON">
        NDJSON
      </a>
    </span>
  )
}
