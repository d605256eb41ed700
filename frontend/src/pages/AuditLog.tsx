import { useState } from 'react'
import { useQuery } from 'urql'
import { Card, PageHeader } from '../components/page'
import { EmptyState } from '../components/feedback'
import { QueryState } from '../components/QueryState'
import { Pager, SearchBox } from '../components/Pager'
import { RelTime } from '../components/RelTime'
import { cx, inputClass } from '../components/classes'
import type { AuditLogQuery as AuditLogResult } from '../gql/graphql'
import { graphql } from '../gql'
import { useIsAdmin } from '../lib/session'

export const AuditLogQuery = graphql(`
  query AuditLog($first: Int, $after: Cursor, $where: AuditLogFilter) {
    auditLog(first: $first, after: $after, where: $where) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          at
          actorName
          actorRole
          action
          subjectType
          subjectID
          subjectName
          clientAddress
          changes {
            field
            old
            new
          }
        }
      }
    }
  }
`)

type Entry = AuditLogResult['auditLog']['edges'][number]['node']

/** The actions the audit log records, for the filter. */
const actions = [
  'webhook.create',
  'webhook.update',
  'webhook.assign_folders',
  'webhook.delete',
  'webhook.rotate_secret',
  'webhook.send_test_file',
  'webhook.recover_calls',
  'call.retry',
  'file.redeliver',
  'folder.create',
  'token.create',
  'token.revoke',
  'session.start',
  'session.end',
]

const pageSize = 50

function Changes({ entry }: { entry: Entry }) {
  if (entry.changes.length === 0) return <span className="text-slate-400">—</span>
  return (
    <ul className="space-y-0.5">
      {entry.changes.map((c) => (
        <li key={c.field} className="break-all">
          <span className="font-medium text-slate-700">{c.field}</span>: <span className="text-slate-500">{c.old ?? '∅'}</span> → <span className="text-slate-900">{c.new ?? '∅'}</span>
        </li>
      ))}
    </ul>
  )
}

/** AuditLogPage lists the changes made through the API, newest first, for admins. */
export function AuditLogPage() {
  const isAdmin = useIsAdmin()
  const [action, setAction] = useState('')
  const [actor, setActor] = useState('')
  const [cursors, setCursors] = useState<(string | null)[]>([null])
  const page = cursors.length - 1
  const where = { ...(action ? { action } : {}), ...(actor.trim() ? { actorName: actor.trim() } : {}) }
  const [{ data, fetching, error }, refetch] = useQuery({
    query: AuditLogQuery,
    variables: { first: pageSize, after: cursors[page], where },
    requestPolicy: 'cache-and-network',
    pause: !isAdmin,
  })
  const reset = () => setCursors([null])
  if (!isAdmin) {
    return (
      <>
        <PageHeader title="Audit log" />
        <EmptyState title="Admins only">The audit log is for admin tokens.</EmptyState>
      </>
    )
  }
  const entries = data?.auditLog.edges.map((e) => e.node) ?? []
  return (
    <>
      <PageHeader title="Audit log" description="Every change made through the API: who, when, what, and the fields changed. Secrets never appear, only that they were set or changed." />
      <div className="mb-3 flex flex-wrap gap-2">
        <select
          aria-label="Action"
          className={cx(inputClass, 'max-w-xs')}
          value={action}
          onChange={(e) => {
            setAction(e.target.value)
            reset()
          }}
        >
          <option value="">All actions</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <SearchBox
          label="Token name"
          placeholder="Token name"
          value={actor}
          onChange={(v) => {
            setActor(v)
            reset()
          }}
        />
      </div>
      <Card className="overflow-hidden">
        <QueryState
          result={{ data, fetching, error }}
          loading="Loading the audit log…"
          errorTitle="The audit log could not be loaded"
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
          errorClassName="p-3"
          isEmpty={() => entries.length === 0}
          empty={<EmptyState title="No entries">No change matches these filters.</EmptyState>}
        >
          {(d) => (
            <>
              <table className="w-full divide-y divide-slate-200 text-sm">
                <caption className="sr-only">Audit log</caption>
                <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
                  <tr>
                    <th scope="col" className="px-4 py-2.5">When</th>
                    <th scope="col" className="px-4 py-2.5">Who</th>
                    <th scope="col" className="px-4 py-2.5">Action</th>
                    <th scope="col" className="px-4 py-2.5">Subject</th>
                    <th scope="col" className="hidden px-4 py-2.5 md:table-cell">Changes</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 align-top">
                  {entries.map((e) => (
                    <tr key={e.id}>
                      <td className="px-4 py-2.5 whitespace-nowrap" title={e.at}>
                        <RelTime iso={e.at} past />
                      </td>
                      <td className="px-4 py-2.5">
                        <div className="font-medium text-slate-800">{e.actorName}</div>
                        <div className="text-xs text-slate-500">
                          {e.actorRole || '—'}
                          {e.clientAddress ? ` · ${e.clientAddress}` : ''}
                        </div>
                      </td>
                      <td className="px-4 py-2.5 font-mono text-xs">{e.action}</td>
                      <td className="px-4 py-2.5">
                        <div className="text-slate-800">{e.subjectName || '—'}</div>
                        <div className="text-xs text-slate-500">
                          {e.subjectType} {e.subjectID}
                        </div>
                      </td>
                      <td className="hidden px-4 py-2.5 text-xs md:table-cell">
                        <Changes entry={e} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager
                label="Entries"
                page={page}
                pageSize={pageSize}
                shown={entries.length}
                total={d.auditLog.totalCount}
                hasNext={d.auditLog.pageInfo.hasNextPage}
                onPrev={() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c))}
                onNext={() => setCursors((c) => [...c, d.auditLog.pageInfo.endCursor ?? null])}
              />
            </>
          )}
        </QueryState>
      </Card>
    </>
  )
}
