import { useEffect, useRef } from 'react'
import { createRequest, useClient, type AnyVariables, type TypedDocumentNode } from 'urql'
import { onEnd, pipe, subscribe } from 'wonka'
import { useLive } from './client'

/** resubscribeDelay is the wait before subscribing again after the server ended a subscription: 1 s, 2 s, 4 s … at most 15 s. */
export const resubscribeDelay = (attempt: number) => Math.min(1000 * 2 ** attempt, 15000)

/**
 * useLiveSubscription runs a subscription for as long as the view is
 * mounted (and its variables stay the same), calling onData with each event.
 *
 * The websocket client reconnects and subscribes again by itself when the
 * socket closes. When the server ends one subscription on an open socket
 * (an error, or complete), this hook subscribes again after a back-off;
 * meanwhile the live indicator says "Reconnecting…", and once it runs again
 * it counts as a reconnect, so views refetch what they missed.
 */
export function useLiveSubscription<Data, Variables extends AnyVariables>(
  query: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  onData: (data: Data) => void,
) {
  const client = useClient()
  const live = useLive()
  const fn = useRef(onData)
  fn.current = onData

  useEffect(() => {
    let stop: (() => void) | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    let attempt = 0
    let lost = false
    let disposed = false

    const start = () => {
      let ended = false
      const end = () => {
        if (ended || disposed) return
        ended = true
        stop?.()
        if (!lost) {
          lost = true
          live.subscriptionLost()
        }
        timer = setTimeout(() => {
          timer = undefined
          lost = false
          live.subscriptionBack(true)
          start()
        }, resubscribeDelay(attempt++))
      }
      const sub = pipe(
        client.executeSubscription(createRequest(query, variables)),
        onEnd(end),
        subscribe((r) => {
          // An error without data ends the subscription (graphql-ws "error", or the socket gave up);
          // an event whose fields partly failed does not.
          if (r.error && r.data == null) return end()
          attempt = 0
          if (r.data) fn.current(r.data)
        }),
      )
      stop = sub.unsubscribe
      if (ended) stop()
    }

    start()
    return () => {
      disposed = true
      clearTimeout(timer)
      stop?.()
      if (lost) live.subscriptionBack(false)
    }
  }, [client, live, query, variables])
}
