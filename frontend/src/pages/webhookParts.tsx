import { Link } from 'react-router'
import type { WebhookActivity, WebhookActivityFieldsFragment, WebhookCallKind, WebhookValidationStatus } from '../gql/graphql'
import { CheckCircleIcon, ClockIcon, WarningIcon } from '../components/icons'
import { StatusBadge, statusCountStyle, STATUSES, statusLabel } from '../components/status'
import { RelTime } from '../components/RelTime'
import { cx } from '../components/classes'
import { exactTime } from '../lib/format'
import { graphql, useFragment, type FragmentType } from '../gql'

/** Both kinds of a webhook's calls, each on its own: deliveries of files and validations of the URL. */
export const WebhookActivityFields = graphql(`
  fragment WebhookActivityFields on Webhook {
    lastDelivery: lastCall(kind: DELIVERY) {
      id
      kind
      status
      createdAt
      error
    }
    lastValidation: lastCall(kind: VALIDATION) {
      id
      kind
      status
      createdAt
      error
    }
    deliveries24h: callStats24h(kind: DELIVERY) {
      pending
      running
      retrying
      succeeded
      failed
      canceled
    }
    validations24h: callStats24h(kind: VALIDATION) {
      pending
      running
      retrying
      succeeded
      failed
      canceled
    }
  }
`)

/**
 * ValidationMark is the checkmark of a valid webhook, or a warning whose
 * reason shows on hover and (with `showReason`) next to it.
 */
export function ValidationMark({
  status,
  error,
  validatedAt,
  showReason = true,
}: {
  status: WebhookValidationStatus
  error?: string | null
  validatedAt?: string | null
  showReason?: boolean
}) {
  if (status === 'VALID') {
    const title = validatedAt ? `Valid: the URL answered 200 (tested ${exactTime(validatedAt)})` : 'Valid: the URL answered 200'
    return (
      <span className="inline-flex items-center gap-1 text-emerald-700" title={title} data-validation="VALID">
        <CheckCircleIcon className="size-5" title={title} />
        <span className="text-sm">Valid</span>
      </span>
    )
  }
  if (status === 'INVALID') {
    const reason = error || 'the URL did not answer 200'
    return (
      <span className="inline-flex min-w-0 items-start gap-1 text-amber-700" title={`Not valid: ${reason}`} data-validation="INVALID">
        <WarningIcon className="mt-0.5 size-5 shrink-0" title={`Not valid: ${reason}`} />
        {showReason ? <span className="text-sm wrap-anywhere">{reason}</span> : <span className="text-sm">Not valid</span>}
      </span>
    )
  }
  return (
    <span className="inline-flex items-center gap-1 text-slate-500" title="Not validated yet" data-validation="UNVALIDATED">
      <ClockIcon className="size-5" />
      <span className="text-sm">Not validated</span>
    </span>
  )
}

/** The badge's words for each activity; DISABLED has a badge of its own beside it (DisabledBadge). */
const activityLabels: Record<WebhookActivity, string> = {
  ACTIVE: 'Active',
  NO_FOLDERS: 'Not active: no folders assigned',
  INACTIVE: 'Inactive',
  DISABLED: 'Inactive',
}

/**
 * ActiveBadge says whether new files call the webhook (Webhook.activity):
 * a webhook switched active without folders is not, and says so.
 */
export function ActiveBadge({ activity, reason }: { activity: WebhookActivity; reason?: string | null }) {
  const active = activity === 'ACTIVE'
  return (
    <span
      className={cx(
        'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset',
        active ? 'bg-emerald-50 text-emerald-800 ring-emerald-300' : activity === 'NO_FOLDERS' ? 'bg-amber-50 text-amber-800 ring-amber-300' : 'bg-slate-100 text-slate-600 ring-slate-300',
      )}
      title={active ? 'New files in its folders call it' : `Not active: ${reason ?? 'switched off'}`}
      data-activity={activity}
    >
      <span className={cx('size-1.5 rounded-full', active ? 'bg-emerald-500' : activity === 'NO_FOLDERS' ? 'bg-amber-500' : 'bg-slate-400')} aria-hidden />
      {activityLabels[activity]}
    </span>
  )
}

export function scopeText(allFolders: boolean, folders: { name: string }[] | null | undefined): string {
  if (allFolders) return 'All folders'
  const names = (folders ?? []).map((f) => f.name)
  if (names.length === 0) return 'No folders'
  return names.join(', ')
}

type Activity = WebhookActivityFieldsFragment

/** The two kinds of calls, as the console names them. */
export const callKinds: { kind: WebhookCallKind; one: string; many: string }[] = [
  { kind: 'DELIVERY', one: 'Delivery', many: 'Deliveries' },
  { kind: 'VALIDATION', one: 'Validation', many: 'Validations' },
]

const lastOf = (a: Activity, kind: WebhookCallKind) => (kind === 'DELIVERY' ? a.lastDelivery : a.lastValidation)
const statsOf = (a: Activity, kind: WebhookCallKind) => (kind === 'DELIVERY' ? a.deliveries24h : a.validations24h)

/** LastCalls shows the newest delivery and the newest validation of a webhook, each labelled. */
export function LastCalls(props: { activity: FragmentType<typeof WebhookActivityFields> }) {
  const activity = useFragment(WebhookActivityFields, props.activity)
  return (
    <dl className="flex flex-col gap-1">
      {callKinds.map(({ kind, one }) => {
        const c = lastOf(activity, kind)
        return (
          <div key={kind} className="flex flex-wrap items-center gap-x-2 gap-y-1" data-last-call={kind}>
            <dt className="w-20 text-xs font-medium text-slate-500">{one}</dt>
            <dd className="flex flex-wrap items-center gap-x-2">
              {c ? (
                <>
                  <Link to={`/calls/${c.id}`} className="rounded focus-visible:outline-2 focus-visible:outline-indigo-600" title={`Open this ${one.toLowerCase()}`}>
                    <StatusBadge status={c.status} />
                  </Link>
                  <span className="text-xs text-slate-500">
                    <RelTime iso={c.createdAt} past />
                  </span>
                </>
              ) : (
                <span className="text-xs text-slate-400">Never</span>
              )}
            </dd>
          </div>
        )
      })}
    </dl>
  )
}

/** CallStats24h counts the deliveries and the validations of the last 24 hours by status, each labelled. */
export function CallStats24h(props: { activity: FragmentType<typeof WebhookActivityFields> }) {
  const activity = useFragment(WebhookActivityFields, props.activity)
  return (
    <dl className="flex flex-col gap-1">
      {callKinds.map(({ kind, many }) => {
        const stats = statsOf(activity, kind)
        const items = STATUSES.map((s) => ({ s, n: stats[s.toLowerCase() as keyof typeof stats] as number })).filter((x) => x.n > 0)
        return (
          <div key={kind} className="flex flex-wrap items-center gap-x-2 gap-y-1" data-call-stats={kind}>
            <dt className="w-20 text-xs font-medium text-slate-500">{many}</dt>
            <dd>
              {items.length === 0 ? (
                <span className="text-xs text-slate-400">None</span>
              ) : (
                <ul className="flex flex-wrap gap-1" aria-label={`${many} in the last 24 hours by status`}>
                  {items.map(({ s, n }) => (
                    <li
                      key={s}
                      className={cx('rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset', statusCountStyle(s))}
                      title={`${n} ${many.toLowerCase()} ${statusLabel(s).toLowerCase()} in the last 24 hours`}
                    >
                      {n} {statusLabel(s).toLowerCase()}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        )
      })}
    </dl>
  )
}
