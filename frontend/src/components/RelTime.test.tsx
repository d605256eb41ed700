import { act, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RelTime } from './RelTime'

describe('RelTime', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(Date.UTC(2026, 0, 1, 12, 0, 0))
  })
  afterEach(() => vi.useRealTimers())

  it('measures new data against a clock at least as new as the data', () => {
    const { rerender } = render(<RelTime iso={new Date().toISOString()} past />)
    expect(screen.getByRole('time')).toHaveTextContent('just now')
    // 25 s pass between two ticks of the shared clock; then the page shows a
    // validation that has just happened (the answer of a save).
    vi.setSystemTime(Date.now() + 25_000)
    rerender(<RelTime iso={new Date(Date.now() - 1000).toISOString()} past />)
    expect(screen.getByRole('time')).toHaveTextContent('just now')
  })

  it('never shows a past event in the future when the server clock is ahead', () => {
    render(<RelTime iso={new Date(Date.now() + 20_000).toISOString()} past />)
    expect(screen.getByRole('time')).toHaveTextContent('just now')
  })

  it('counts down a time due within the minute every second', () => {
    render(<RelTime iso={new Date(Date.now() + 5_000).toISOString()} />)
    expect(screen.getByRole('time')).toHaveTextContent('in 5 s')
    act(() => vi.advanceTimersByTime(2_000))
    expect(screen.getByRole('time')).toHaveTextContent('in 3 s')
  })
})
