import { describe, expect, it, vi } from 'vitest'
import { LiveStatus } from './live'

describe('LiveStatus', () => {
  it('says reconnecting after a lost connection and counts the comebacks', () => {
    const s = new LiveStatus()
    const seen = vi.fn()
    s.subscribe(seen)
    s.connecting()
    expect(s.get()).toEqual({ status: 'connecting', reconnects: 0 })
    s.connected()
    expect(s.get()).toEqual({ status: 'connected', reconnects: 0 })
    s.closed()
    expect(s.get().status).toBe('reconnecting')
    s.connecting()
    expect(s.get().status).toBe('reconnecting')
    s.connected()
    expect(s.get()).toEqual({ status: 'connected', reconnects: 1 })
    expect(seen).toHaveBeenCalledTimes(5)
  })

  it('is not live while a subscription the server ended is not running again', () => {
    const s = new LiveStatus()
    s.connecting()
    s.connected()
    s.subscriptionLost()
    expect(s.get()).toEqual({ status: 'reconnecting', reconnects: 0 })
    s.subscriptionBack(true)
    expect(s.get()).toEqual({ status: 'connected', reconnects: 1 })
    s.subscriptionLost()
    s.subscriptionBack(false) // its view went away
    expect(s.get()).toEqual({ status: 'connected', reconnects: 1 })
  })
})
