import type { WebhookCallOrigin, WebhookCallStatus } from '../gql/graphql'
import { cx } from './classes'

export const STATUSES: WebhookCallStatus[] = ['PENDING', 'RUNNING', 'RETRYING', 'SUCCEEDED', 'FAILED', 'CANCELED']

const statusStyle: Record<WebhookCallStatus, string> = {
  PENDING: 'bg-slate-100 text-slate-700 ring-slate-300',
  RUNNING: 'bg-sky-50 text-sky-800 ring-sky-300',
  RETRYING: 'bg-amber-50 text-amber-800 ring-amber-300',
  SUCCEEDED: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  FAILED: 'bg-red-50 text-red-800 ring-red-300',
  CANCELED: 'bg-zinc-100 text-zinc-600 ring-zinc-300',
}

const dotStyle: Record<WebhookCallStatus, string> = {
  PENDING: 'bg-slate-400',
  RUNNING: 'bg-sky-500 animate-pulse',
  RETRYING: 'bg-amber-500 animate-pulse',
  SUCCEEDED: 'bg-emerald-500',
  FAILED: 'bg-red-500',
  CANCELED: 'bg-zinc-400',
}

export function statusLabel(s: WebhookCallStatus): string {
  return s.charAt(0) + s.slice(1).toLowerCase()
}

/** StatusBadge shows a call's status as a coloured pill. */
export function StatusBadge({ status }: { status: WebhookCallStatus }) {
  return (
    <span
      className={cx('inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', statusStyle[status])}
      data-status={status}
    >
      <span className={cx('size-1.5 rounded-full', dotStyle[status])} aria-hidden />
      {statusLabel(status)}
    </span>
  )
}

/** originLabel names where a call came from, in the words of the documentation. */
export function originLabel(o: WebhookCallOrigin | null | undefined): string {
  if (o === 'FOLDER') return 'Folder'
  if (o === 'PLATFORM') return 'Platform-wide'
  return '—'
}

export function statusCountStyle(s: WebhookCallStatus): string {
  return statusStyle[s]
}
