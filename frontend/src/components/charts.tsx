// Delivery health charts in plain SVG. Each chart is one role="img" with an
// aria-label that sums it up, and a visually hidden table of its numbers for
// screen readers (and for anyone who copies them). A chart's drawing is as
// wide as it is shown (measured), so its labels keep their size on a phone.

import { useLayoutEffect, useRef, useState } from 'react'

/** StatsPoint is one bucket of a webhook's delivery health (webhookStats). */
export type StatsPoint = {
  start: string
  succeeded: number
  failed: number
  retrying: number
  latencyP50Ms?: number | null
  latencyP95Ms?: number | null
}

/** OUTCOMES are the series of the outcome chart, in stacking order, with their colours. */
export const OUTCOMES = [
  { key: 'succeeded', label: 'Succeeded', fill: 'fill-emerald-500', swatch: 'bg-emerald-500' },
  { key: 'retrying', label: 'Retrying', fill: 'fill-amber-400', swatch: 'bg-amber-400' },
  { key: 'failed', label: 'Failed', fill: 'fill-red-500', swatch: 'bg-red-500' },
] as const

/** W is a chart's width until it is measured (and where it cannot be: jsdom). */
const W = 640
const H = 160
const PAD = { top: 8, right: 8, bottom: 20, left: 40 }

const total = (p: StatsPoint) => p.succeeded + p.failed + p.retrying

/** bucketLabel formats a bucket's start: the hour for hourly buckets within a day, else day and hour. */
export function bucketLabel(iso: string, withDay: boolean): string {
  const d = new Date(iso)
  const hh = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
  return withDay ? `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${hh}` : hh
}

/** formatMs shows a latency: "120 ms", "1.5 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

/** niceMax rounds a chart's top value up to 1, 2 or 5 times a power of ten. */
export function niceMax(v: number): number {
  if (v <= 0) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}

/** yTicks are the values a chart's y axis labels, from 0 to max: the middle one only when it is whole. */
export function yTicks(max: number): number[] {
  return Number.isInteger(max / 2) ? [0, max / 2, max] : [0, max]
}

/** MIN_LATENCY_AXIS is the latency axis's smallest top, in milliseconds, so its labels differ ("0 ms, 5 ms, 10 ms"). */
const MIN_LATENCY_AXIS = 10

/** useChartWidth measures the element a chart is drawn in; W until it is measured. */
function useChartWidth() {
  const ref = useRef<HTMLElement>(null)
  const [width, setWidth] = useState(W)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const ro = new ResizeObserver(([e]) => {
      const w = Math.round(e.contentRect.width)
      if (w > 0) setWidth(w)
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  return { ref, width }
}

function ticksAt(n: number, withDay: boolean, points: StatsPoint[], innerW: number) {
  // As many x labels as fit, six at most.
  const fit = Math.max(2, Math.floor(innerW / (withDay ? 96 : 56)))
  const every = Math.max(1, Math.ceil(n / Math.min(6, fit)))
  return points.flatMap((p, i) => (i % every === 0 ? [{ i, label: bucketLabel(p.start, withDay) }] : []))
}

/** OutcomeChart draws the attempts of each bucket as a bar stacked by outcome. */
export function OutcomeChart({ points, title, withDay = false }: { points: StatsPoint[]; title: string; withDay?: boolean }) {
  const sums = OUTCOMES.map((o) => points.reduce((s, p) => s + p[o.key], 0))
  const max = niceMax(Math.max(0, ...points.map(total)))
  const { ref, width } = useChartWidth()
  const innerW = width - PAD.left - PAD.right
  const innerH = H - PAD.top - PAD.bottom
  const slot = innerW / Math.max(1, points.length)
  const barW = Math.max(1, slot * 0.75)
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH
  const busiest = points.reduce<StatsPoint | null>((b, p) => (total(p) > (b ? total(b) : 0) ? p : b), null)
  const summary =
    `${title}: ${points.length} bars. ` +
    OUTCOMES.map((o, i) => `${sums[i]} ${o.label.toLowerCase()}`).join(', ') +
    (busiest ? `; busiest ${bucketLabel(busiest.start, withDay)} with ${total(busiest)} attempts.` : '; no attempts.')
  return (
    <figure className="m-0" ref={ref}>
      <svg viewBox={`0 0 ${width} ${H}`} role="img" aria-label={summary} className="h-auto w-full" data-testid="outcome-chart">
        <title>{summary}</title>
        {yTicks(max).map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={width - PAD.right} y1={y(v)} y2={y(v)} className="stroke-slate-200" strokeWidth={1} />
            <text x={PAD.left - 4} y={y(v) + 3} textAnchor="end" className="fill-slate-500 text-[11px]">
              {v}
            </text>
          </g>
        ))}
        {points.map((p, i) => {
          let base = 0
          const x = PAD.left + i * slot + (slot - barW) / 2
          return (
            <g key={p.start} data-bucket={p.start}>
              {OUTCOMES.map((o) => {
                const v = p[o.key]
                if (v === 0) return null
                const rect = <rect key={o.key} x={x} width={barW} y={y(base + v)} height={y(base) - y(base + v)} className={o.fill} data-outcome={o.key} />
                base += v
                return rect
              })}
            </g>
          )
        })}
        {ticksAt(points.length, withDay, points, innerW).map((t) => (
          <text key={t.i} x={PAD.left + t.i * slot + slot / 2} y={H - 6} textAnchor="middle" className="fill-slate-500 text-[11px]">
            {t.label}
          </text>
        ))}
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-3 text-xs text-slate-600" aria-hidden="true">
        {OUTCOMES.map((o, i) => (
          <span key={o.key} className="inline-flex items-center gap-1">
            <span className={`inline-block size-2.5 rounded-sm ${o.swatch}`} /> {o.label} ({sums[i]})
          </span>
        ))}
      </figcaption>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {OUTCOMES.map((o) => (
              <th key={o.key} scope="col">
                {o.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.start}>
              <th scope="row">{bucketLabel(p.start, withDay)}</th>
              {OUTCOMES.map((o) => (
                <td key={o.key}>{p[o.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

/** LatencyChart draws the median and 95th percentile latency of each bucket as two lines; buckets without attempts break the lines. */
export function LatencyChart({ points, title, withDay = false }: { points: StatsPoint[]; title: string; withDay?: boolean }) {
  const p95s = points.map((p) => p.latencyP95Ms ?? null)
  const p50s = points.map((p) => p.latencyP50Ms ?? null)
  const known = p95s.filter((v): v is number => v != null)
  const max = niceMax(Math.max(MIN_LATENCY_AXIS, ...known))
  const { ref, width } = useChartWidth()
  const innerW = width - PAD.left - PAD.right
  const innerH = H - PAD.top - PAD.bottom
  const slot = innerW / Math.max(1, points.length)
  const x = (i: number) => PAD.left + i * slot + slot / 2
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH
  const path = (vs: (number | null)[]) => {
    let d = ''
    let open = false
    vs.forEach((v, i) => {
      if (v == null) {
        open = false
        return
      }
      d += `${open ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `
      open = true
    })
    return d.trim()
  }
  const worst = Math.max(0, ...known)
  const summary = known.length
    ? `${title}: ${known.length} of ${points.length} buckets with attempts; 95th percentile up to ${formatMs(worst)}, median up to ${formatMs(Math.max(...p50s.filter((v): v is number => v != null)))}.`
    : `${title}: no attempts.`
  return (
    <figure className="m-0" ref={ref}>
      <svg viewBox={`0 0 ${width} ${H}`} role="img" aria-label={summary} className="h-auto w-full" data-testid="latency-chart">
        <title>{summary}</title>
        {yTicks(max).map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={width - PAD.right} y1={y(v)} y2={y(v)} className="stroke-slate-200" strokeWidth={1} />
            <text x={PAD.left - 4} y={y(v) + 3} textAnchor="end" className="fill-slate-500 text-[11px]">
              {formatMs(v)}
            </text>
          </g>
        ))}
        <path d={path(p95s)} fill="none" className="stroke-indigo-300" strokeWidth={2} data-series="p95" />
        <path d={path(p50s)} fill="none" className="stroke-indigo-700" strokeWidth={2} data-series="p50" />
        {points.map((p, i) =>
          p.latencyP50Ms != null && (i === 0 || points[i - 1].latencyP50Ms == null) && (i === points.length - 1 || points[i + 1].latencyP50Ms == null) ? (
            // A lone bucket between gaps: a dot, since a line needs two.
            <circle key={p.start} cx={x(i)} cy={y(p.latencyP50Ms)} r={2.5} className="fill-indigo-700" />
          ) : null,
        )}
        {ticksAt(points.length, withDay, points, innerW).map((t) => (
          <text key={t.i} x={x(t.i)} y={H - 6} textAnchor="middle" className="fill-slate-500 text-[11px]">
            {t.label}
          </text>
        ))}
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-3 text-xs text-slate-600" aria-hidden="true">
        <span className="inline-flex items-center gap-1">
          <span className="inline-block h-0.5 w-4 bg-indigo-700" /> Median (p50)
        </span>
        <span className="inline-flex items-center gap-1">
          <span className="inline-block h-0.5 w-4 bg-indigo-300" /> 95th percentile (p95)
        </span>
      </figcaption>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Median</th>
            <th scope="col">95th percentile</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.start}>
              <th scope="row">{bucketLabel(p.start, withDay)}</th>
              <td>{formatMs(p.latencyP50Ms)}</td>
              <td>{formatMs(p.latencyP95Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

/** Sparkline is a small bar chart of attempts per hour, failures in red, for the overview. */
export function Sparkline({ points, label }: { points: StatsPoint[]; label: string }) {
  const w = 96
  const h = 24
  const max = Math.max(1, ...points.map(total))
  const slot = w / Math.max(1, points.length)
  const ok = points.reduce((s, p) => s + p.succeeded, 0)
  const bad = points.reduce((s, p) => s + p.failed + p.retrying, 0)
  const summary = `${label}: ${ok + bad} attempts in the last ${points.length} hours, ${ok} succeeded, ${bad} failed.`
  return (
    <span className="inline-block align-middle">
      <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={summary} data-testid="sparkline">
        <title>{summary}</title>
        <line x1={0} x2={w} y1={h - 0.5} y2={h - 0.5} className="stroke-slate-200" strokeWidth={1} />
        {points.map((p, i) => {
          const all = total(p)
          if (all === 0) return null
          const hAll = Math.max(1, (all / max) * h)
          const hBad = ((p.failed + p.retrying) / all) * hAll
          return (
            <g key={p.start}>
              <rect x={i * slot + 0.5} width={Math.max(1, slot - 1)} y={h - hAll} height={hAll - hBad} className="fill-emerald-500" />
              {hBad > 0 ? <rect x={i * slot + 0.5} width={Math.max(1, slot - 1)} y={h - hBad} height={hBad} className="fill-red-500" /> : null}
            </g>
          )
        })}
      </svg>
    </span>
  )
}
