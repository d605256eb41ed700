import { useMutation } from 'urql'
import { Button } from '../components/buttons'
import { ErrorBox } from '../components/feedback'
import { WarningIcon } from '../components/icons'
import { RelTime } from '../components/RelTime'
import { errorText } from '../lib/errors'
import { readableTimes } from '../lib/format'
import { UpdateWebhookMutation } from './WebhookForm'

// A webhook scoopa deactivated by itself (its calls all failed for
// SCOOPA_DISABLE_AFTER, or its receiver answered 410 Gone) keeps the reason
// in disabledReason until it is activated again.

/** DisabledBadge marks, in the list, a webhook that scoopa deactivated; the reason shows on hover. */
export function DisabledBadge({ reason }: { reason: string }) {
  return (
    <span
      className="inline-flex items-center gap-1 rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-800 ring-1 ring-red-300 ring-inset"
      title={`Deactivated by scoopa: ${readableTimes(reason)}`}
      data-disabled-reason={reason}
    >
      <WarningIcon className="size-3.5" />
      Deactivated by scoopa
      <span className="sr-only">: {readableTimes(reason)}</span>
    </span>
  )
}

/**
 * DisabledBanner says, on a webhook's page, that scoopa deactivated it, when
 * and why, and lets an admin activate it again (which clears the reason).
 */
export function DisabledBanner({ id, reason, at, isAdmin }: { id: string; reason: string; at?: string | null; isAdmin: boolean }) {
  const [res, update] = useMutation(UpdateWebhookMutation)
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900" data-testid="disabled-banner">
      <div className="flex items-start gap-2">
        <WarningIcon className="mt-0.5 size-5 shrink-0 text-red-600" />
        <div className="min-w-0 flex-1">
          <p className="font-medium">
            scoopa deactivated this webhook{at ? (
              <>
                {' '}
                <RelTime iso={at} past />
              </>
            ) : null}
            : no calls are sent to it.
          </p>
          <p className="mt-1 break-words" data-disabled-reason={reason}>
            <span className="font-medium">Reason:</span> {readableTimes(reason)}
          </p>
          <p className="mt-1 text-red-800">Once the receiver works again, activate the webhook: new files call it again (calls that failed meanwhile can be retried from the call log).</p>
          {isAdmin ? (
            <Button className="mt-3" onClick={() => update({ id, input: { active: true } })} busy={res.fetching}>
              Activate again
            </Button>
          ) : null}
          {res.error ? (
            <div className="mt-3">
              <ErrorBox title="The webhook could not be activated">{errorText(res.error)}</ErrorBox>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  )
}
