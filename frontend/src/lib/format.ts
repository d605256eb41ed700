/** Formatting helpers shared by the screens. */

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

/**
 * relativeTime says how long ago (or in how long) iso is, e.g. "3 minutes
 * ago" or "in 3 s". With `past`, iso is an event that has happened: a time
 * ahead of `now` (the server's clock runs ahead of the browser's) reads
 * "just now", never "in 20 seconds".
 */
export function relativeTime(iso: string, now: number = Date.now(), { past = false }: { past?: boolean } = {}): string {
  const t = new Date(iso).getTime()
  if (Number.isNaN(t)) return iso
  const diff = past ? Math.min(0, (t - now) / 1000) : (t - now) / 1000
  const abs = Math.abs(diff)
  // Something due soon (a retry) counts down in seconds; "just now" is for the past.
  if (diff > 0 && diff < 60) return `in ${Math.ceil(diff)} s`
  if (abs < 10) return 'just now'
  if (abs < 60) return rtf.format(Math.round(diff), 'second')
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute')
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour')
  if (abs < 86400 * 30) return rtf.format(Math.round(diff / 86400), 'day')
  return new Date(t).toLocaleDateString()
}

/** exactTime is the full local date and time with the zone, for tooltips. */
export function exactTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  })
}

/**
 * bytes formats a size in binary units, named as such: 200,000,000 bytes is
 * "191 MiB" (never "191 MB", which would be 191,000,000 bytes).
 */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`
}

/** prettyJSON indents a JSON text; text that is not JSON is returned as it is. */
export function prettyJSON(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

/** localInputToISO turns a datetime-local value into an RFC 3339 time, or undefined. */
export function localInputToISO(v: string | null | undefined): string | undefined {
  if (!v) return undefined
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

/** RFC3339 matches a time as the server writes it in texts, e.g. 2026-03-04T05:06:07Z. */
const RFC3339 = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g

/** readableTimes writes the times inside a server's text (a reason, a message) as exactTime does. */
export function readableTimes(text: string): string {
  return text.replace(RFC3339, (t) => exactTime(t))
}

/** waitText says why a call waits, without repeating "waiting" when the reason says it. */
export function waitText(reason: string): string {
  return /^waiting\b/i.test(reason) ? reason : `waiting: ${reason}`
}

/** roleName names a token's role for people. */
export function roleName(role: string): string {
  return role === 'ADMIN' ? 'Admin' : role === 'PARTNER' ? 'Partner' : 'Viewer'
}
