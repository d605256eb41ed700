import { useEffect, useRef } from 'react'
import { createRequest, useClient } from 'urql'
import { pipe, subscribe } from 'wonka'
import { WebhookCallUpdatedSubscription } from './useCallEvents'
import { useLive } from './client'
import { useLiveStatus } from './live'

/**
 * useWebhookEvents calls onChange (at most once per `everyMs`) when a call
 * of one webhook changes state: a delivery, or a validation the worker runs
 * in the background, which changes the webhook's validation status. It also
 * calls it when the live connection comes back (pub/sub missed what
 * happened meanwhile) and when the page becomes visible again. Nothing is
 * subscribed while webhookID is undefined.
 */
export function useWebhookEvents(webhookID: string | undefined, onChange: () => void, everyMs = 1000) {
  const client = useClient()
  const { reconnects } = useLiveStatus(useLive())
  const fn = useRef(onChange)
  fn.current = onChange

  useEffect(() => {
    if (!webhookID) return
    let timer: ReturnType<typeof setTimeout> | undefined
    let last = 0
    const fire = () => {
      timer = undefined
      last = Date.now()
      fn.current()
    }
    const { unsubscribe } = pipe(
      client.executeSubscription(createRequest(WebhookCallUpdatedSubscription, { webhookID })),
      subscribe(() => {
        if (timer) return
        timer = setTimeout(fire, Math.max(0, last + everyMs - Date.now()))
      }),
    )
    const onVisible = () => {
      if (document.visibilityState === 'visible') fn.current()
    }
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      unsubscribe()
      clearTimeout(timer)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [client, webhookID, everyMs])

  const seen = useRef(reconnects)
  useEffect(() => {
    if (reconnects !== seen.current) {
      seen.current = reconnects
      if (webhookID) fn.current()
    }
  }, [reconnects, webhookID])
}
