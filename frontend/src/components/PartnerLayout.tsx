import { useEffect, useState, type ReactNode } from 'react'
import { NavLink, Outlet } from 'react-router'
import { usePartner } from '../lib/partner'
import { useSession } from '../lib/session'
import { Button } from './buttons'
import { cx, focusRing } from './classes'
import { ListIcon, LogOutIcon, WebhookIcon } from './icons'

function Tab({ to, icon, children }: { to: string; icon: ReactNode; children: ReactNode }) {
  return (
    <NavLink
      to={to}
      className={({ isActive }) =>
        cx(
          'inline-flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium',
          focusRing,
          isActive ? 'bg-indigo-50 text-indigo-700' : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900',
        )
      }
    >
      {icon}
      {children}
    </NavLink>
  )
}

/**
 * PartnerLayout is the frame of a partner's console (a PARTNER token, most
 * often from a portal link): the portal's title on top, its webhooks and
 * their call log, and nothing of the platform's administration.
 */
export function PartnerLayout() {
  const { state, signOut } = useSession()
  const partner = usePartner()
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (!partner.loaded) return
    const before = document.title
    document.title = partner.title
    return () => {
      document.title = before
    }
  }, [partner.loaded, partner.title])
  const tokenName = state.status === 'signedIn' ? state.tokenName : ''
  return (
    <div className="min-h-screen bg-slate-50">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-x-6 gap-y-3 px-4 py-3 sm:px-6 lg:px-8">
          <div className="flex min-w-0 items-center gap-3">
            <span className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-indigo-600 text-white" aria-hidden>
              <WebhookIcon className="size-5" />
            </span>
            <div className="min-w-0">
              <p className="truncate text-base font-semibold tracking-tight text-slate-900" data-testid="portal-title">
                {partner.loaded ? partner.title : '\u00a0'}
              </p>
              <p className="text-xs text-slate-500">Webhook portal</p>
            </div>
          </div>
          <nav aria-label="Main" className="order-last flex w-full gap-1 sm:order-none sm:w-auto">
            <Tab to="/webhooks" icon={<WebhookIcon />}>
              Webhooks
            </Tab>
            <Tab to="/calls" icon={<ListIcon />}>
              Call log
            </Tab>
          </nav>
          <div className="flex items-center gap-2">
            <div className="hidden text-right text-sm sm:block">
              <p className="max-w-48 truncate font-medium text-slate-800" title={tokenName}>
                {tokenName}
              </p>
              <p className="text-xs text-slate-500">{partner.manage ? 'Partner: may change delivery settings' : 'Partner'}</p>
            </div>
            <Button
              variant="ghost"
              busy={busy}
              onClick={async () => {
                setBusy(true)
                await signOut()
              }}
            >
              {busy ? null : <LogOutIcon />} Sign out
            </Button>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto min-w-0 max-w-7xl px-4 py-6 sm:px-6 lg:px-8">
        <Outlet />
      </main>
    </div>
  )
}
