import { useEffect, useRef, type ReactNode } from 'react'
import { Link } from 'react-router'
import { useQuery } from 'urql'
import { ExternalIcon, XIcon } from '../components/icons'
import { originLabel, StatusBadge } from '../components/status'
import { CopyButton, CopyValue, IconButton } from '../components/buttons'
import { ErrorBox } from '../components/feedback'
import { QueryState } from '../components/QueryState'
import { RelTime } from '../components/RelTime'
import { cx } from '../components/classes'
import { graphql, useFragment } from '../gql'
import { hasCode } from '../lib/errors'
import { exactTime, prettyJSON } from '../lib/format'
import { RetryButton, WebhookCallFields } from './CallLog'
import { httpPrefix } from './callFilters'
import { FetchState } from './FetchState'

export const WebhookCallDetailQuery = graphql(`
  query WebhookCallDetail($id: ID!) {
    node(id: $id) {
      id
      ... on WebhookCall {
        ...WebhookCallFields
        payload
        file {
          id
          name
          downloadURL
        }
        folder {
          id
          name
        }
        attempts {
          id
          number
          startedAt
          durationMs
          responseStatus
          retryAfterSeconds
          error
          responseBody
          requestHeaders {
            name
            value
          }
        }
      }
    }
  }
`)

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm break-words text-slate-900">{children}</dd>
    </div>
  )
}

function excerpt(s: string, n = 2000): string {
  return s.length > n ? `${s.slice(0, n)}…` : s
}

/**
 * RequestHeaders lists the headers one attempt sent, as recorded by the
 * server: the webhook's own header values arrive masked and are shown so.
 */
function RequestHeaders({ headers }: { headers: readonly { name: string; value: string }[] }) {
  if (headers.length === 0) return null
  return (
    <details className="mt-2">
      <summary className="cursor-pointer text-xs text-slate-600">Request headers ({headers.length})</summary>
      <table className="mt-1 w-full table-fixed rounded bg-slate-100 font-mono text-xs" aria-label="Request headers">
        <tbody>
          {headers.map((h, i) => (
            <tr key={`${i}-${h.name}`} className="align-top">
              <th scope="row" className="w-2/5 px-2 py-1 text-left font-medium break-words text-slate-600">
                {h.name}
              </th>
              <td className="px-2 py-1 break-all text-slate-900">{h.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-1 text-xs text-slate-500">Values of the webhook&apos;s own headers are masked; the signature is specific to this attempt.</p>
    </details>
  )
}

/** CallDetail shows one call: facts, payload and every attempt; FAILED or CANCELED deliveries can be retried. */
export function CallDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: WebhookCallDetailQuery, variables: { id }, requestPolicy: 'cache-and-network' })
  const node = data?.node
  const detail = node && 'payload' in node ? node : null
  // The page's query spreads the call log's WebhookCallFields; unmask them here.
  const fields = useFragment(WebhookCallFields, detail)
  const call = detail && fields ? { ...detail, ...fields } : null
  const panel = useRef<HTMLDivElement>(null)

  // The list's subscription updates status and attempt count in the cache;
  // the attempts themselves are fetched again when those change.
  const stamp = call ? `${call.status}/${call.attemptCount}` : ''
  const firstStamp = useRef(stamp)
  useEffect(() => {
    if (!stamp) return
    if (firstStamp.current === '') firstStamp.current = stamp
    else if (stamp !== firstStamp.current) {
      firstStamp.current = stamp
      refetch({ requestPolicy: 'network-only' })
    }
  }, [stamp, refetch])

  useEffect(() => {
    panel.current?.focus()
  }, [id])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('[role="dialog"][aria-modal="true"]')) onClose()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [onClose])

  return (
    <aside
      ref={panel}
      tabIndex={-1}
      aria-label={`Call ${id}`}
      className="fixed inset-0 z-40 flex flex-col overflow-y-auto bg-white shadow-2xl outline-none sm:inset-y-0 sm:right-0 sm:left-auto sm:w-[36rem] sm:border-l sm:border-slate-200"
    >
      <div className="sticky top-0 z-10 flex items-center justify-between gap-2 border-b border-slate-200 bg-white px-4 py-3">
        <h2 className="flex min-w-0 items-center gap-2 text-base font-semibold text-slate-900">
          Call <CopyValue value={id} label="Copy call ID" />
        </h2>
        <IconButton label="Close details" onClick={onClose}>
          <XIcon className="size-5" />
        </IconButton>
      </div>
      <div className="flex flex-col gap-6 p-4">
        <QueryState
          result={{ data, fetching, error }}
          loading="Loading call…"
          errorTitle={(e) => (hasCode(e, 'NOT_FOUND') ? 'This call does not exist' : 'The call could not be loaded')}
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
          staleError="children"
          isEmpty={() => !call}
          empty={<ErrorBox title="This call does not exist">It may have been removed by the retention policy.</ErrorBox>}
        >
          {() =>
            call && (
              <>
                <div className="flex flex-wrap items-center gap-3">
                  <StatusBadge status={call.status} />
                  <span className="text-sm text-slate-600">
                    {call.kind === 'VALIDATION' ? 'Validation test' : call.test ? 'Test delivery (sendTestFile: one attempt, no retries)' : 'Delivery'} · <RelTime iso={call.createdAt} />
                  </span>
                  <RetryButton call={call} className="ml-auto" />
                </div>
                {call.error ? (
                  <div role="note" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm break-words text-red-800">
                    {httpPrefix(call.responseStatus, call.error)}
                    {call.error}
                  </div>
                ) : null}
                <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2">
                  <Fact label="Webhook">
                    {call.webhook ? (
                      <Link to={`/webhooks/${call.webhook.id}`} className="font-medium text-indigo-700 hover:underline">
                        {call.webhookName}
                      </Link>
                    ) : (
                      <>{call.webhookName} (deleted)</>
                    )}
                  </Fact>
                  <Fact label="Target URL">
                    <span className="inline-flex max-w-full items-center gap-1">
                      <span className="truncate font-mono text-xs" title={call.targetURL}>
                        {call.targetURL}
                      </span>
                      <CopyButton value={call.targetURL} label="Copy target URL" />
                    </span>
                  </Fact>
                  <Fact label="Source file">
                    {call.file ? (
                      <a href={call.file.downloadURL} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 font-medium text-indigo-700 hover:underline">
                        {call.file.name} <ExternalIcon className="size-3.5" />
                      </a>
                    ) : (
                      (call.fileName ?? '—')
                    )}
                  </Fact>
                  <Fact label="Folder">{call.folder?.name ?? call.folderName ?? '—'}</Fact>
                  <Fact label="Origin">{call.kind === 'VALIDATION' ? '—' : originLabel(call.origin)}</Fact>
                  <Fact label="Filter">{call.filter ? <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{call.filter}</code> : '—'}</Fact>
                  {call.filters ? <Fact label="Other filters">{call.filters}</Fact> : null}
                  <Fact label="Created">{exactTime(call.createdAt)}</Fact>
                  <Fact label="Completed">{call.completedAt ? exactTime(call.completedAt) : '—'}</Fact>
                  {call.kind === 'DELIVERY' && call.status === 'SUCCEEDED' ? (
                    <Fact label="Fetched by the receiver">
                      <FetchState call={call} detail />
                    </Fact>
                  ) : null}
                  {call.nextAttemptAt && (call.status === 'RETRYING' || (call.status === 'PENDING' && call.waitReason)) ? (
                    <Fact label="Next attempt">
                      <RelTime iso={call.nextAttemptAt} />
                    </Fact>
                  ) : null}
                  {call.waitReason && (call.status === 'PENDING' || call.status === 'RETRYING') ? <Fact label="Waiting for">{call.waitReason}</Fact> : null}
                  <Fact label="Attempts">{call.attemptCount}</Fact>
                  {call.kind === 'DELIVERY' && call.retryDelays ? (
                    <Fact label="Retry schedule">{call.retryDelays.length > 0 ? call.retryDelays.join(', ') : 'no retry'}</Fact>
                  ) : null}
                </dl>
                <section>
                  <div className="mb-2 flex items-center justify-between">
                    <h3 className="text-sm font-semibold text-slate-900">Payload</h3>
                    <CopyButton value={call.payload} label="Copy payload" />
                  </div>
                  <pre className="max-h-80 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100" aria-label="Payload (JSON)">
                    {prettyJSON(call.payload)}
                  </pre>
                </section>
                <section>
                  <h3 className="mb-2 text-sm font-semibold text-slate-900">Attempts</h3>
                  {(call.attempts ?? []).length === 0 ? (
                    <p className="text-sm text-slate-500">No attempt yet.</p>
                  ) : (
                    <ol className="flex flex-col gap-3">
                      {[...(call.attempts ?? [])]
                        .sort((a, b) => a.number - b.number)
                        .map((a) => {
                          const ok = !a.error && a.responseStatus !== null && a.responseStatus !== undefined && a.responseStatus >= 200 && a.responseStatus < 300
                          return (
                            <li key={a.id} className={cx('rounded-md border p-3 text-sm', ok ? 'border-emerald-200' : 'border-red-200')} data-attempt={a.number}>
                              <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
                                <span className="font-semibold">#{a.number}</span>
                                <span className={cx('font-medium', ok ? 'text-emerald-700' : 'text-red-700')}>{a.responseStatus ? `HTTP ${a.responseStatus}` : 'No response'}</span>
                                <span className="text-slate-600">{a.durationMs} ms</span>
                                {a.retryAfterSeconds !== null && a.retryAfterSeconds !== undefined ? <span className="text-amber-700">Retry-After: {a.retryAfterSeconds} s</span> : null}
                                <span className="text-slate-600">
                                  <RelTime iso={a.startedAt} />
                                </span>
                              </div>
                              {a.error ? <p className="mt-1 break-words text-red-700">{a.error}</p> : null}
                              <RequestHeaders headers={a.requestHeaders} />
                              {a.responseBody ? (
                                <details className="mt-2">
                                  <summary className="cursor-pointer text-xs text-slate-600">Response body</summary>
                                  <pre className="mt-1 max-h-48 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs whitespace-pre-wrap">{excerpt(a.responseBody)}</pre>
                                </details>
                              ) : null}
                            </li>
                          )
                        })}
                    </ol>
                  )}
                </section>
              </>
            )
          }
        </QueryState>
      </div>
    </aside>
  )
}
