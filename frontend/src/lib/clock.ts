// The shared clock of relative times: one interval for every mounted view.
import { useEffect, useState } from 'react'

const listeners = new Set<() => void>()
let ticker: ReturnType<typeof setInterval> | undefined

/** useNow re-renders every 30 seconds so relative times stay true. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const fn = () => setNow(Date.now())
    listeners.add(fn)
    if (!ticker) ticker = setInterval(() => listeners.forEach((l) => l()), 30000)
    return () => {
      listeners.delete(fn)
      if (listeners.size === 0 && ticker) {
        clearInterval(ticker)
        ticker = undefined
      }
    }
  }, [])
  return now
}
