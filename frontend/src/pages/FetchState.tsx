import { RelTime } from '../components/RelTime'
import { cx } from '../components/classes'
import { exactTime } from '../lib/format'
import type { Call } from './callFilters'

/**
 * FetchState says whether the receiver of a SUCCEEDED delivery has
 * downloaded its file through the call's link: "Fetched" (when first, and
 * how many times) or "Not fetched yet". Other calls show nothing. It follows
 * the call's live events, which a fetch sends.
 */
export function FetchState({ call, detail = false, className }: { call: Pick<Call, 'kind' | 'status' | 'fetch'>; detail?: boolean; className?: string }) {
  if (call.kind !== 'DELIVERY' || call.status !== 'SUCCEEDED') return null
  const f = call.fetch
  if (!f) {
    return (
      <div className={cx('text-slate-500', className)} data-fetch="none">
        Not fetched yet
      </div>
    )
  }
  const times = f.count === 1 ? 'once' : `${f.count} times`
  return (
    <div className={cx('text-emerald-700', className)} data-fetch={f.count} title={`First fetched ${exactTime(f.firstAt)}, ${times}`}>
      {detail ? (
        <>
          Fetched {times}, first {exactTime(f.firstAt)}
        </>
      ) : (
        <>
          Fetched <RelTime iso={f.firstAt} past />
          {f.count > 1 ? ` · ${f.count}×` : ''}
        </>
      )}
    </div>
  )
}
