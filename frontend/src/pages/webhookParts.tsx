import type { WebhookValidationStatus } from '../gql/graphql'
import { CheckCircleIcon, ClockIcon, WarningIcon } from '../components/icons'
import { cx } from '../components/ui'
import { exactTime } from '../lib/format'

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
        {showReason ? <span className="text-sm break-words">{reason}</span> : <span className="text-sm">Not valid</span>}
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

export function ActiveBadge({ active }: { active: boolean }) {
  return (
    <span
      className={cx(
        'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset',
        active ? 'bg-emerald-50 text-emerald-800 ring-emerald-300' : 'bg-slate-100 text-slate-600 ring-slate-300',
      )}
    >
      <span className={cx('size-1.5 rounded-full', active ? 'bg-emerald-500' : 'bg-slate-400')} aria-hidden />
      {active ? 'Active' : 'Inactive'}
    </span>
  )
}

export function scopeText(allFolders: boolean, folders: { name: string }[] | null | undefined): string {
  if (allFolders) return 'All folders'
  const names = (folders ?? []).map((f) => f.name)
  if (names.length === 0) return 'No folders'
  return names.join(', ')
}
