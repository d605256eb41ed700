import { describe, expect, it } from 'vitest'
import { relativeTime } from './format'

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
