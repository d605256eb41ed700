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
})
