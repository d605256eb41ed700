import { useCallback, useEffect, useState } from 'react'
import { useNavigate, useParams, useSearchParams } from 'react-router'
import { useQuery } from 'urql'
import { STATUSES, statusLabel } from '../components/status'
import { Button } from '../components/buttons'
import { PageHeader } from '../components/page'
import { cx, focusRing, inputClass } from '../components/classes'
import type { WebhookCallKind, WebhookCallOrigin, WebhookCallStatus } from '../gql/graphql'
import { graphql } from '../gql'
import { CallDetail } from './CallDetail'
import { CallLog } from './CallLog'
import { filtersFromParams, filtersToParams, hasFilters, type CallFilters } from './callFilters'

export const WebhookOptionsQuery = graphql(`
  query WebhookOptions {
    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`)

const selectClass = inputClass + ' pr-8'

function Filters({ filters, onChange }: { filters: CallFilters; onChange: (f: CallFilters) => void }) {
  const [{ data }] = useQuery({ query: WebhookOptionsQuery, requestPolicy: 'cache-and-network' })
  const webhooks = (data?.webhooks.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []))
  const [file, setFile] = useState(filters.file ?? '')
  useEffect(() => setFile(filters.file ?? ''), [filters.file])
  useEffect(() => {
    if (file === (filters.file ?? '')) return
    const t = setTimeout(() => onChange({ ...filters, file: file || undefined }), 300)
    return () => clearTimeout(t)
  }, [file, filters, onChange])

  const [shown, setShown] = useState(false)
  const active = filtersToParams(filters)
  active.delete('status')
  const count = [...active.keys()].length + filters.statuses.length
  const toggle = (s: WebhookCallStatus) =>
    onChange({ ...filters, statuses: filters.statuses.includes(s) ? filters.statuses.filter((x) => x !== s) : [...filters.statuses, s] })

  return (
    <form className="mb-4 flex flex-col gap-3" role="search" aria-label="Filter calls" onSubmit={(e) => e.preventDefault()}>
      <Button className="self-start sm:hidden" onClick={() => setShown((v) => !v)} aria-expanded={shown} aria-controls="call-filters">
        {shown ? 'Hide filters' : 'Filters'}
        {count > 0 ? ` (${count})` : ''}
      </Button>
      <div id="call-filters" className={cx('grid-cols-1 gap-3 sm:grid sm:grid-cols-2 lg:grid-cols-4', shown ? 'grid' : 'hidden')}>
        <label className="text-xs font-medium text-slate-600">
          Webhook
          <select className={cx(selectClass, 'mt-1')} value={filters.webhook ?? ''} onChange={(e) => onChange({ ...filters, webhook: e.target.value || undefined })}>
            <option value="">All webhooks</option>
            {webhooks.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
            {filters.webhook && !webhooks.some((w) => w.id === filters.webhook) ? <option value={filters.webhook}>Webhook {filters.webhook}</option> : null}
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600">
          Kind
          <select className={cx(selectClass, 'mt-1')} value={filters.kind ?? ''} onChange={(e) => onChange({ ...filters, kind: (e.target.value || undefined) as WebhookCallKind | undefined })}>
            <option value="">All kinds</option>
            <option value="DELIVERY">Deliveries</option>
            <option value="VALIDATION">Validations</option>
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600">
          Origin
          <select className={cx(selectClass, 'mt-1')} value={filters.origin ?? ''} onChange={(e) => onChange({ ...filters, origin: (e.target.value || undefined) as WebhookCallOrigin | undefined })}>
            <option value="">Any origin</option>
            <option value="FOLDER">Folder</option>
            <option value="PLATFORM">Platform-wide</option>
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600">
          Tests
          <select className={cx(selectClass, 'mt-1')} value={filters.test ?? ''} onChange={(e) => onChange({ ...filters, test: (e.target.value || undefined) as CallFilters['test'] })}>
            <option value="">With test calls</option>
            <option value="only">Test calls only</option>
            <option value="none">Without test calls</option>
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600">
          From
          <input type="datetime-local" className={cx(inputClass, 'mt-1')} value={filters.from ?? ''} onChange={(e) => onChange({ ...filters, from: e.target.value || undefined })} />
        </label>
        <label className="text-xs font-medium text-slate-600">
          To
          <input type="datetime-local" className={cx(inputClass, 'mt-1')} value={filters.to ?? ''} onChange={(e) => onChange({ ...filters, to: e.target.value || undefined })} />
        </label>
        <label className="text-xs font-medium text-slate-600">
          Fetched
          <select className={cx(selectClass, 'mt-1')} value={filters.notFetched ?? ''} onChange={(e) => onChange({ ...filters, notFetched: e.target.value || undefined })}>
            <option value="">Fetched or not</option>
            <option value="1h">Not fetched after 1 hour</option>
            <option value="6h">Not fetched after 6 hours</option>
            <option value="24h">Not fetched after 24 hours</option>
            <option value="72h">Not fetched after 3 days</option>
          </select>
        </label>
        <label className="text-xs font-medium text-slate-600">
          File name contains
          <input type="search" className={cx(inputClass, 'mt-1')} value={file} onChange={(e) => setFile(e.target.value)} placeholder="e.g. .mov" />
        </label>
      </div>
      <fieldset className={cx('flex-wrap items-center gap-2 sm:flex', shown ? 'flex' : 'hidden')}>
        <legend className="sr-only">Status</legend>
        <span className="mr-1 text-xs font-medium text-slate-600" aria-hidden>
          Status
        </span>
        {STATUSES.map((s) => {
          const on = filters.statuses.includes(s)
          return (
            <button
              key={s}
              type="button"
              aria-pressed={on}
              onClick={() => toggle(s)}
              className={cx(
                'rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset',
                focusRing,
                on ? 'bg-indigo-600 text-white ring-indigo-600' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50',
              )}
            >
              {statusLabel(s)}
            </button>
          )
        })}
        {hasFilters(filters) ? (
          <Button variant="ghost" className="ml-auto text-xs" onClick={() => onChange({ statuses: [] })}>
            Clear filters
          </Button>
        ) : null}
      </fieldset>
    </form>
  )
}

/** CallsPage (/calls, /calls/:id) is the Webhook-Call-Logs section: filters, the live table and a detail panel. */
export function CallsPage() {
  const { id } = useParams()
  const [params, setParams] = useSearchParams()
  const navigate = useNavigate()
  const filters = filtersFromParams(params)
  const key = params.toString()
  const onChange = useCallback((f: CallFilters) => setParams(filtersToParams(f), { replace: true }), [setParams])
  const close = useCallback(() => navigate({ pathname: '/calls', search: key ? `?${key}` : '' }), [navigate, key])
  // Stable per URL: the log keeps its subscription while the filters stay the same.
  const [stable, setStable] = useState({ key, filters })
  if (stable.key !== key) setStable({ key, filters })

  return (
    <>
      <PageHeader
        title="Webhook-Call-Logs"
        description="Every running and processed webhook call: its status, the source file, the target URL and, if it failed, why. A failed call is tried again after a while before it fails for good."
      />
      <Filters filters={stable.filters} onChange={onChange} />
      <CallLog filters={stable.filters} />
      {id ? <CallDetail id={id} onClose={close} /> : null}
    </>
  )
}
