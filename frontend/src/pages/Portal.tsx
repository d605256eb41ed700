import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useNavigate } from 'react-router'
import { Spinner } from '../components/buttons'
import { WarningIcon } from '../components/icons'
import { portalExpired, useSession } from '../lib/session'

/** partnerHome is where a partner lands once a portal link signed it in. */
export const partnerHome = '/webhooks'

/**
 * takeLink reads the portal link from the address's fragment (/portal#spl_…)
 * and drops the fragment from the browser's history at once, so the
 * single-use link is neither kept in the history nor sent anywhere as a
 * referrer.
 */
export function takeLink(): string {
  const link = decodeURIComponent(window.location.hash.replace(/^#/, '')).trim()
  if (window.location.hash) {
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search)
  }
  return link
}

type Outcome = { status: 'opening' } | { status: 'expired' } | { status: 'missing' } | { status: 'failed'; message: string }

function Frame({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-indigo-50 via-slate-50 to-white px-4">
      <div className="w-full max-w-md">
        <div className="mb-6 flex items-center justify-center gap-2">
          <img src="/favicon.svg" alt="" className="size-9" />
          <span className="text-xl font-semibold tracking-tight">
            scoopa <span className="font-normal text-slate-500">webhooks</span>
          </span>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
      </div>
    </main>
  )
}

/**
 * PortalLanding (/portal#spl_…) opens a partner's portal link: it takes the
 * link out of the address, trades it for a console session
 * (POST /api/session/portal) and goes to the partner's webhooks. A link
 * that expired or was used already gets a page that says so.
 */
export function PortalLanding() {
  const { openPortal } = useSession()
  const navigate = useNavigate()
  const [outcome, setOutcome] = useState<Outcome>({ status: 'opening' })
  // The link works once: it is read and sent once, even when an effect
  // runs twice (React's strict mode in development).
  const started = useRef<Promise<string | null> | null>(null)
  const link = useRef<string | null>(null)

  useEffect(() => {
    if (link.current === null) link.current = takeLink()
    if (!link.current) {
      setOutcome({ status: 'missing' })
      return
    }
    started.current ??= openPortal(link.current)
    let live = true
    started.current.then((err) => {
      if (!live) return
      if (err === null) navigate(partnerHome, { replace: true })
      else if (err === portalExpired) setOutcome({ status: 'expired' })
      else setOutcome({ status: 'failed', message: err })
    })
    return () => {
      live = false
    }
  }, [openPortal, navigate])

  if (outcome.status === 'opening') {
    return (
      <Frame>
        <p className="flex items-center gap-2 text-sm text-slate-700" role="status">
          <Spinner /> Opening your webhooks…
        </p>
      </Frame>
    )
  }
  const [title, text] =
    outcome.status === 'expired'
      ? ['This link has expired or was already used', 'Ask the platform that shared it with you for a new one. A link works once, for a limited time.']
      : outcome.status === 'missing'
        ? ['This link is incomplete', 'The address has no link code after “#”. Open the whole link you were sent, or ask the platform that shared it with you for a new one.']
        : ['The link could not be opened', outcome.message]
  return (
    <Frame>
      <div role="alert" className="flex items-start gap-3">
        <WarningIcon className="mt-0.5 size-6 shrink-0 text-amber-600" />
        <div>
          <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
          <p className="mt-2 text-sm text-slate-700">{text}</p>
        </div>
      </div>
    </Frame>
  )
}
