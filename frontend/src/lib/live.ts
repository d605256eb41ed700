import { useSyncExternalStore } from 'react'

/** The state of the subscription websocket, shown by the "Live" indicator. */
export type SocketStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting'

/**
 * LiveStatus is a tiny store the urql client's websocket reports to: its
 * state and how many times it came back after losing the connection (the
 * call logs refetch when that number grows: pub/sub missed what happened
 * in between).
 */
export class LiveStatus {
  private status: SocketStatus = 'idle'
  private reconnects = 0
  private wasConnected = false
  /** Subscriptions the server ended that are not running again yet. */
  private lost = 0
  private listeners = new Set<() => void>()
  private snapshot = { status: this.status, reconnects: this.reconnects }

  subscribe = (fn: () => void) => {
    this.listeners.add(fn)
    return () => {
      this.listeners.delete(fn)
    }
  }

  get = () => this.snapshot

  connecting() {
    this.set(this.wasConnected ? 'reconnecting' : 'connecting')
  }

  connected() {
    if (this.wasConnected) this.reconnects++
    this.wasConnected = true
    this.set('connected')
  }

  closed() {
    this.set(this.wasConnected ? 'reconnecting' : 'connecting')
  }

  /** subscriptionLost: the server ended a subscription while the socket stays open (it is subscribed again shortly). */
  subscriptionLost() {
    this.lost++
    this.set(this.status)
  }

  /**
   * subscriptionBack: a lost subscription runs again (resynced: views
   * refetch, as after a reconnect) or its view went away.
   */
  subscriptionBack(resynced: boolean) {
    this.lost = Math.max(0, this.lost - 1)
    if (resynced) this.reconnects++
    this.set(this.status)
  }

  private set(status: SocketStatus) {
    this.status = status
    // "Live" only while every subscription runs.
    const shown = status === 'connected' && this.lost > 0 ? 'reconnecting' : status
    this.snapshot = { status: shown, reconnects: this.reconnects }
    this.listeners.forEach((fn) => fn())
  }
}

/** defaultLive is used where no client-specific store is given (tests). */
export const defaultLive = new LiveStatus()

export function useLiveStatus(store: LiveStatus) {
  return useSyncExternalStore(store.subscribe, store.get, store.get)
}
