import { useEffect, useState } from 'react'
import { exactTime, relativeTime } from '../lib/format'
import { useNow } from '../lib/clock'
import { cx } from './classes'

/**
 * RelTime shows "3 minutes ago" (or "in 3 s") with the exact time on hover.
 * It measures against the newest clock: the shared tick, or the time of this
 * render if that is newer, so data that has just arrived is never "in 20
 * seconds". `past` marks an event that has happened (a server clock ahead of
 * the browser's makes it "just now"). A time due within the minute counts
 * down every second.
 */
export function RelTime({ iso, className, past = false }: { iso: string; className?: string; past?: boolean }) {
  const tick = useNow()
  const now = Math.max(tick, Date.now())
  const t = new Date(iso).getTime()
  const soon = !past && t > now && t - now < 60_000
  const [, setSecond] = useState(0)
  useEffect(() => {
    if (!soon) return
    const id = setInterval(() => setSecond((n) => n + 1), 1000)
    return () => clearInterval(id)
  }, [soon])
  const exact = exactTime(iso)
  return (
    <time dateTime={iso} title={exact} className={cx('whitespace-nowrap', className)}>
      {relativeTime(iso, now, { past })}
    </time>
  )
}
