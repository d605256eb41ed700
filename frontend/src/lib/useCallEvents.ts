import { useEffect, useRef } from 'react'
import { graphql } from '../gql'
import { useLive } from './client'
import { useLiveStatus } from './live'
import { useLiveSubscription } from './useLiveSubscription'

/** Every change of a call's state, with the call log's fields; CallLog and useWebhookEvents listen too. */
export const WebhookCallUpdatedSubscription = graphql(`
  subscription WebhookCallUpdated($webhookID: ID, $kinds: [WebhookCallKind!], $statuses: [WebhookCallStatus!]) {
    webhookCallUpdated(webhookID: $webhookID, kinds: $kinds, statuses: $statuses) {
      ...WebhookCallFields
    }
  }
`)

const everyCall = {}

/**
 * useCallEvents calls onEvent (at most once per `everyMs`) when any call
 * changes state, and once after the live connection comes back: views that
 * show aggregates (last call, counts) refetch then.
 */
export function useCallEvents(onEvent: () => void, everyMs = 2000) {
  const { reconnects } = useLiveStatus(useLive())
  const fn = useRef(onEvent)
  fn.current = onEvent
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const last = useRef(0)

  useEffect(() => () => clearTimeout(timer.current), [])
  useLiveSubscription(WebhookCallUpdatedSubscription, everyCall, () => {
    if (timer.current) return
    timer.current = setTimeout(
      () => {
        timer.current = undefined
        last.current = Date.now()
        fn.current()
      },
      Math.max(0, last.current + everyMs - Date.now()),
    )
  })

  const seen = useRef(reconnects)
  useEffect(() => {
    if (reconnects !== seen.current) {
      seen.current = reconnects
      fn.current()
    }
  }, [reconnects])
}
