import { render, screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { formatMs, LatencyChart, niceMax, OutcomeChart, Sparkline, type StatsPoint } from './charts'

// Role queries walk the whole tree: slow on a busy machine.
vi.setConfig({ testTimeout: 30_000 })

const hour = (h: number) => new Date(Date.UTC(2026, 2, 4, h)).toISOString()

const points: StatsPoint[] = [
  { start: hour(5), succeeded: 3, failed: 1, retrying: 1, latencyP50Ms: 200, latencyP95Ms: 2250 },
  { start: hour(6), succeeded: 0, failed: 0, retrying: 2, latencyP50Ms: 45, latencyP95Ms: 60 },
  { start: hour(7), succeeded: 0, failed: 0, retrying: 0, latencyP50Ms: null, latencyP95Ms: null },
  { start: hour(8), succeeded: 1, failed: 0, retrying: 0, latencyP50Ms: 10, latencyP95Ms: 10 },
]

describe('OutcomeChart', () => {
  it('stacks each bucket by outcome, bars as tall as their counts', () => {
    const { container } = render(<OutcomeChart points={points} title="Attempts per hour" />)
    const bars = container.querySelectorAll('[data-bucket]')
    expect(bars).toHaveLength(4)
    // 05:00: three outcomes stacked; 07:00: nothing drawn.
    expect(bars[0].querySelectorAll('rect')).toHaveLength(3)
    expect(bars[2].querySelectorAll('rect')).toHaveLength(0)
    const h = (el: Element | null) => Number(el?.getAttribute('height'))
    const ok = bars[0].querySelector('[data-outcome="succeeded"]')
    const failed = bars[0].querySelector('[data-outcome="failed"]')
    expect(h(ok)).toBeCloseTo(3 * h(failed))
    // Stacked: the failed part sits on top of the retrying part, on top of the successes.
    expect(Number(failed?.getAttribute('y'))).toBeLessThan(Number(ok?.getAttribute('y')))
  })

  it('sums itself up for screen readers and has a table of its numbers', () => {
    render(<OutcomeChart points={points} title="Attempts per hour" />)
    const img = screen.getByRole('img')
    expect(img).toHaveAccessibleName(/Attempts per hour: 4 bars\. 4 succeeded, 3 retrying, 1 failed; busiest .* with 5 attempts\./)
    const table = screen.getByRole('table', { name: 'Attempts per hour' })
    expect(table).toHaveClass('sr-only')
    const rows = within(table).getAllByRole('row')
    expect(rows).toHaveLength(5) // header and 4 buckets
    expect(within(rows[1]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['3', '1', '1'])
  })

  it('says so when there were no attempts', () => {
    render(<OutcomeChart points={[points[2]]} title="Attempts" />)
    expect(screen.getByRole('img')).toHaveAccessibleName('Attempts: 1 bars. 0 succeeded, 0 retrying, 0 failed; no attempts.')
  })
})

describe('LatencyChart', () => {
  it('draws p50 and p95 as lines broken where a bucket had no attempts', () => {
    const { container } = render(<LatencyChart points={points} title="Latency" />)
    const p95 = container.querySelector('[data-series="p95"]')?.getAttribute('d') ?? ''
    // 05:00 and 06:00 joined, 07:00 missing, 08:00 starts anew.
    expect(p95.match(/M/g)).toHaveLength(2)
    expect(p95.match(/L/g)).toHaveLength(1)
    expect(screen.getByRole('img')).toHaveAccessibleName('Latency: 3 of 4 buckets with attempts; 95th percentile up to 2.3 s, median up to 200 ms.')
    const rows = within(screen.getByRole('table', { name: 'Latency' })).getAllByRole('row')
    expect(within(rows[3]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['—', '—'])
  })
})

describe('Sparkline', () => {
  it('shows each hour with attempts as a bar, failures in red, and sums up in its label', () => {
    const { container } = render(<Sparkline points={points} label="hook" />)
    expect(screen.getByRole('img')).toHaveAccessibleName('hook: 8 attempts in the last 4 hours, 4 succeeded, 4 failed.')
    expect(container.querySelectorAll('rect.fill-red-500')).toHaveLength(2)
    expect(container.querySelectorAll('rect.fill-emerald-500')).toHaveLength(3)
  })
})

describe('helpers', () => {
  it('round the axis and format latencies', () => {
    expect([0, 1, 3, 7, 12, 180, 2250].map(niceMax)).toEqual([1, 1, 5, 10, 20, 200, 5000])
    expect([null, 12.4, 999, 1500, 25_000].map(formatMs)).toEqual(['—', '12 ms', '999 ms', '1.5 s', '25 s'])
  })
})

describe('chart axes', () => {
  const empty: StatsPoint[] = [0, 1, 2].map((h) => ({ start: hour(h), succeeded: 0, failed: 0, retrying: 0, latencyP50Ms: null, latencyP95Ms: null }))
  const yLabels = (container: HTMLElement) => [...container.querySelectorAll('svg g text')].map((t) => t.textContent)

  it('labels an empty latency axis with distinct, sensible ticks', () => {
    const { container } = render(<LatencyChart points={empty} title="Latency" />)
    expect(yLabels(container)).toEqual(['0 ms', '5 ms', '10 ms'])
  })

  it('labels a count axis with whole numbers only', () => {
    const { container } = render(<OutcomeChart points={empty} title="Attempts" />)
    expect(yLabels(container)).toEqual(['0', '1'])
    const one = render(<OutcomeChart points={[{ ...empty[0], succeeded: 5 }]} title="Attempts" />)
    expect(yLabels(one.container)).toEqual(['0', '5'])
  })
})
