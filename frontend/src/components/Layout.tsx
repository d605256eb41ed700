import { useEffect, useState, type ReactNode } from 'react'
import { NavLink, Outlet, useLocation } from 'react-router'
import { useSession } from '../lib/session'
import { FolderIcon, KeyIcon, ListIcon, LogOutIcon, MenuIcon, WebhookIcon, XIcon } from './icons'
import { Button, IconButton } from './buttons'
import { cx, focusRing } from './classes'
import { PartnerLayout } from './PartnerLayout'
import { roleName } from '../lib/format'

function Item({ to, icon, children, onNavigate }: { to: string; icon: ReactNode; children: ReactNode; onNavigate?: () => void }) {
  return (
    <NavLink
      to={to}
      onClick={onNavigate}
      className={({ isActive }) =>
        cx(
          'flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium',
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

function Nav({ onNavigate }: { onNavigate?: () => void }) {
  const { isAdmin } = useSession()
  return (
    <nav aria-label="Main" className="flex flex-col gap-6">
      <div>
        <p className="px-3 text-xs font-semibold tracking-wide text-slate-500 uppercase">Automations</p>
        <div className="mt-2 flex flex-col gap-1">
          <Item to="/webhooks" icon={<WebhookIcon />} onNavigate={onNavigate}>
            Webhooks
          </Item>
          <Item to="/calls" icon={<ListIcon />} onNavigate={onNavigate}>
            Webhook-Call-Logs
          </Item>
        </div>
      </div>
      <div>
        <p className="px-3 text-xs font-semibold tracking-wide text-slate-500 uppercase">Platform</p>
        <div className="mt-2 flex flex-col gap-1">
          <Item to="/folders" icon={<FolderIcon />} onNavigate={onNavigate}>
            Folders &amp; files
          </Item>
          {isAdmin ? (
            <Item to="/tokens" icon={<KeyIcon />} onNavigate={onNavigate}>
              API tokens
            </Item>
          ) : null}
          {isAdmin ? (
            <Item to="/audit" icon={<ListIcon />} onNavigate={onNavigate}>
              Audit log
            </Item>
          ) : null}
        </div>
      </div>
    </nav>
  )
}

function Who() {
  const { state, signOut } = useSession()
  const [busy, setBusy] = useState(false)
  if (state.status !== 'signedIn') return null
  return (
    <div className="flex flex-col gap-2 border-t border-slate-200 pt-4">
      <div className="px-1 text-sm">
        <p className="truncate font-medium text-slate-800" title={state.tokenName}>
          {state.tokenName}
        </p>
        <p className="text-xs text-slate-500">{state.role === 'VIEWER' ? 'Viewer (read-only)' : roleName(state.role)}</p>
      </div>
      <Button
        variant="ghost"
        className="justify-start"
        busy={busy}
        onClick={async () => {
          setBusy(true)
          await signOut()
        }}
      >
        {busy ? null : <LogOutIcon />} Sign out
      </Button>
    </div>
  )
}

function Brand() {
  return (
    <div className="flex items-center gap-2 px-1">
      <img src="/favicon.svg" alt="" className="size-7" />
      <span className="text-base font-semibold tracking-tight text-slate-900">
        scoopa <span className="font-normal text-slate-500">webhooks</span>
      </span>
    </div>
  )
}

/**
 * Layout is the frame of every signed-in screen: navigation at the side (a
 * drawer on phones); a partner gets the frame of its portal instead.
 */
export function Layout() {
  const [open, setOpen] = useState(false)
  const { isAdmin, isPartner } = useSession()
  const location = useLocation()
  useEffect(() => setOpen(false), [location.pathname])
  if (isPartner) return <PartnerLayout />
  return (
    <div className="min-h-screen lg:flex">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <aside className="hidden w-60 shrink-0 flex-col justify-between border-r border-slate-200 bg-white p-4 lg:sticky lg:top-0 lg:flex lg:h-screen">
        <div className="flex flex-col gap-6">
          <Brand />
          <Nav />
        </div>
        <Who />
      </aside>
      <header className="sticky top-0 z-30 flex items-center justify-between border-b border-slate-200 bg-white px-4 py-2 lg:hidden">
        <Brand />
        <IconButton label={open ? 'Close menu' : 'Open menu'} onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {open ? <XIcon className="size-5" /> : <MenuIcon className="size-5" />}
        </IconButton>
      </header>
      {open ? (
        <div className="fixed inset-0 top-[49px] z-20 flex flex-col justify-between overflow-y-auto bg-white p-4 lg:hidden">
          <Nav onNavigate={() => setOpen(false)} />
          <Who />
        </div>
      ) : null}
      <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-8">
        {!isAdmin ? (
          <p className="mb-4 rounded-md bg-slate-100 px-3 py-2 text-xs text-slate-600" role="note">
            You are signed in with a viewer token: everything is read-only.
          </p>
        ) : null}
        <Outlet />
      </main>
    </div>
  )
}
