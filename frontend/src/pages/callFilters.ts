import type { WebhookCallFieldsFragment, WebhookCallKind, WebhookCallOrigin, WebhookCallStatus, WebhookCallWhereInput } from '../gql/graphql'
import { localInputToISO } from '../lib/format'

export type Call = WebhookCallFieldsFragment

/** CallFilters are the call-log filters, kept in the page's URL so a view can be shared. */
export interface CallFilters {
  webhook?: string
  statuses: WebhookCallStatus[]
  kind?: WebhookCallKind
  origin?: WebhookCallOrigin
  /** Test calls (sendTestFile) only, or none of them. */
  test?: 'only' | 'none'
  /** datetime-local values (local time). */
  from?: string
  to?: string
  file?: string
  /** Delivered (SUCCEEDED) at least this long ago and not fetched since: a NOT_FETCHED_FOR key. */
  notFetched?: string
}

/** The waits the "not fetched" filter offers, as notFetchedFor takes them, in milliseconds. */
export const NOT_FETCHED_FOR: Record<string, number> = { '1h': 3_600_000, '6h': 21_600_000, '24h': 86_400_000, '72h': 259_200_000 }

const STATUS_SET = new Set(['PENDING', 'RUNNING', 'RETRYING', 'SUCCEEDED', 'FAILED', 'CANCELED'])

export function filtersFromParams(p: URLSearchParams): CallFilters {
  const kind = p.get('kind')
  const origin = p.get('origin')
  const test = p.get('test')
  return {
    webhook: p.get('webhook') || undefined,
    statuses: (p.get('status') ?? '')
      .split(',')
      .filter((s) => STATUS_SET.has(s)) as WebhookCallStatus[],
    kind: kind === 'DELIVERY' || kind === 'VALIDATION' ? kind : undefined,
    origin: origin === 'FOLDER' || origin === 'PLATFORM' ? origin : undefined,
    test: test === 'only' || test === 'none' ? test : undefined,
    from: p.get('from') || undefined,
    to: p.get('to') || undefined,
    file: p.get('file') || undefined,
    notFetched: (p.get('notFetched') ?? '') in NOT_FETCHED_FOR ? (p.get('notFetched') as string) : undefined,
  }
}

export function filtersToParams(f: CallFilters): URLSearchParams {
  const p = new URLSearchParams()
  if (f.webhook) p.set('webhook', f.webhook)
  if (f.statuses.length > 0) p.set('status', f.statuses.join(','))
  if (f.kind) p.set('kind', f.kind)
  if (f.origin) p.set('origin', f.origin)
  if (f.test) p.set('test', f.test)
  if (f.from) p.set('from', f.from)
  if (f.to) p.set('to', f.to)
  if (f.file) p.set('file', f.file)
  if (f.notFetched) p.set('notFetched', f.notFetched)
  return p
}

export function hasFilters(f: CallFilters): boolean {
  return filtersToParams(f).toString() !== ''
}

/** whereOf is the webhookCalls filter for the server. */
export function whereOf(f: CallFilters): WebhookCallWhereInput {
  const w: WebhookCallWhereInput = {}
  if (f.webhook) w.webhookID = f.webhook
  if (f.statuses.length > 0) w.statusIn = f.statuses
  if (f.kind) w.kind = f.kind
  if (f.origin) w.origin = f.origin
  if (f.test) w.test = f.test === 'only'
  const from = localInputToISO(f.from)
  const to = localInputToISO(f.to)
  if (from) w.createdAtGTE = from
  if (to) w.createdAtLTE = to
  if (f.file) w.fileNameContainsFold = f.file
  if (f.notFetched) w.notFetchedFor = f.notFetched
  return w
}

/** matches tells whether a call (from a live event) belongs in the list as filtered, at now (ms). */
export function matches(c: Call, f: CallFilters, now: number = Date.now()): boolean {
  if (f.webhook && c.webhook?.id !== f.webhook) return false
  if (f.statuses.length > 0 && !f.statuses.includes(c.status)) return false
  if (f.kind && c.kind !== f.kind) return false
  if (f.origin && c.origin !== f.origin) return false
  if (f.test && c.test !== (f.test === 'only')) return false
  const t = new Date(c.createdAt).getTime()
  const from = localInputToISO(f.from)
  const to = localInputToISO(f.to)
  if (from && t < new Date(from).getTime()) return false
  if (to && t > new Date(to).getTime()) return false
  if (f.file && !(c.fileName ?? '').toLowerCase().includes(f.file.toLowerCase())) return false
  if (f.notFetched) {
    const wait = NOT_FETCHED_FOR[f.notFetched] ?? 0
    if (c.kind !== 'DELIVERY' || c.status !== 'SUCCEEDED' || c.fetch || !c.completedAt || new Date(c.completedAt).getTime() > now - wait) return false
  }
  return true
}

export function canRetry(c: Pick<Call, 'kind' | 'status'>): boolean {
  return c.kind === 'DELIVERY' && (c.status === 'FAILED' || c.status === 'CANCELED')
}

/** httpPrefix is "HTTP 500: " before an error that does not already name its status. */
export function httpPrefix(status: number | null | undefined, error: string | null | undefined): string {
  if (!status || !error || error.includes(String(status))) return ''
  return `HTTP ${status}: `
}

/** ExportFormat is a format of the call log export (GET /exports/calls.<format>). */
export type ExportFormat = 'csv' | 'ndjson'

/**
 * exportURL is the download link of the calls that f selects: the server takes the same
 * webhookCalls filter, as JSON in `where`, and authenticates the link by the session cookie.
 */
export function exportURL(format: ExportFormat, f: CallFilters): string {
  const where = whereOf(f)
  const q = Object.keys(where).length > 0 ? `?${new URLSearchParams({ where: JSON.stringify(where) })}` : ''
  return `/exports/calls.${format}${q}`
}
