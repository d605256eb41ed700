import { useEffect, useRef } from 'react'
import { createRequest, useClient } from 'urql'
import { pipe, subscribe } from 'wonka'
import { WebhookCallUpdatedSubscription } from '../graphql/documents'
import { useLive } from './client'
import { useLiveStatus } from './live'

/**
 * useCallEvents calls onEvent (at most once per `everyMs`) when any call
 * changes state, and once after the live connection comes back: views that
 * show aggregates (last call, counts) refetch then.
 */
export function useCallEvents(onEvent: () => void, everyMs = 2000) {
  const client = useClient()
  const { reconnects } = useLiveStatus(useLive())
  const fn = useRef(onEvent)
  fn.current = onEvent

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let last = 0
    const fire = () => {
      timer = undefined
      last = Date.now()
      fn.current()
    }
    const { unsubscribe } = pipe(
      client.executeSubscription(createRequest(WebhookCallUpdatedSubscription, {})),
      subscribe(() => {
        if (timer) return
        timer = setTimeout(fire, Math.max(0, last + everyMs - Date.now()))
      }),
    )
    return () => {
      unsubscribe()
      clearTimeout(timer)
    }
  }, [client, everyMs])

  const seen = useRef(reconnects)
  useEffect(() => {
    if (reconnects !== seen.current) {
      seen.current = reconnects
      fn.current()
    }
  }, [reconnects])
}
