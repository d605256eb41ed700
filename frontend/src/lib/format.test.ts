import { describe, expect, it } from 'vitest'
import { bytes, exactTime, readableTimes, relativeTime, waitText } from './format'

const now = Date.UTC(2026, 0, 1, 12, 0, 0)
const at = (sec: number) => new Date(now + sec * 1000).toISOString()

describe('relativeTime', () => {
  it.each([
    ['a retry due in 3 s', 3, 'in 3 s'],
    ['due in less than a second', 0.4, 'in 1 s'],
    ['due in 45 s', 45, 'in 45 s'],
    ['due in 2 minutes', 120, 'in 2 minutes'],
    ['just happened', 0, 'just now'],
    ['3 s ago', -3, 'just now'],
    ['30 s ago', -30, '30 seconds ago'],
    ['5 minutes ago', -300, '5 minutes ago'],
  ])('%s', (_name, sec, want) => {
    expect(relativeTime(at(sec), now)).toBe(want)
  })

  it('never puts a past event in the future when the server clock is ahead', () => {
    expect(relativeTime(at(20), now, { past: true })).toBe('just now')
    expect(relativeTime(at(-120), now, { past: true })).toBe('2 minutes ago')
  })
})

describe('bytes', () => {
  it('says binary units by their names', () => {
    expect(bytes(200_000_000)).toBe('191 MiB')
    expect(bytes(1536)).toBe('1.5 KiB')
    expect(bytes(512)).toBe('512 B')
  })
})

describe('readableTimes', () => {
  it('formats the times of a text like the other dates', () => {
    const iso = '2026-03-04T05:06:07Z'
    expect(readableTimes(`every delivery call failed since ${iso} (1 h or more)`)).toBe(`every delivery call failed since ${exactTime(iso)} (1 h or more)`)
    expect(readableTimes('no time here')).toBe('no time here')
  })
})

describe('waitText', () => {
  it('does not double "waiting"', () => {
    expect(waitText('waiting for call 12 to finish')).toBe('waiting for call 12 to finish')
    expect(waitText('rate limit: 1 request/s')).toBe('waiting: rate limit: 1 request/s')
  })
})
