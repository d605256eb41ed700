import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'

export type Role = 'ADMIN' | 'VIEWER' | 'PARTNER'

export type SessionState =
  | { status: 'loading' }
  | { status: 'signedOut'; reason?: string }
  | { status: 'signedIn'; role: Role; tokenName: string }

/** Session is what the views know about who is signed in. */
export interface Session {
  state: SessionState
  isAdmin: boolean
  /** isPartner is true for a PARTNER token: the console shows only its webhooks and their calls. */
  isPartner: boolean
  /** signIn trades a token for the HttpOnly session cookie; it resolves to an error message or null. */
  signIn: (token: string) => Promise<string | null>
  /**
   * openPortal trades a single-use portal link (spl_…) for the session
   * cookie; it resolves to null, or to 'expired' when the server refused
   * the link (401), or to another error message.
   */
  openPortal: (link: string) => Promise<string | null>
  signOut: () => Promise<void>
  /** expired is called when the server answers UNAUTHENTICATED. */
  expired: () => void
}

const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const s = useContext(SessionContext)
  if (!s) throw new Error('useSession outside SessionProvider')
  return s
}

/** useIsAdmin is true when the signed-in token may change things. */
export function useIsAdmin(): boolean {
  return useSession().isAdmin
}

/** useIsPartner is true when the signed-in token is a partner's (PARTNER role). */
export function useIsPartner(): boolean {
  return useSession().isPartner
}

/** portalExpired is what openPortal resolves to when the link no longer works. */
export const portalExpired = 'expired'

async function readError(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: string }
    if (body.error) return body.error
  } catch {
    // not JSON: fall through
  }
  return `The server answered ${res.status} ${res.statusText}`.trim()
}

async function fetchSession(): Promise<SessionState> {
  const res = await fetch('/api/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
  if (res.status === 401) return { status: 'signedOut' }
  if (!res.ok) throw new Error(await readError(res))
  const body = (await res.json()) as { signedIn: boolean; role: Role; tokenName: string }
  if (!body.signedIn) return { status: 'signedOut' }
  return { status: 'signedIn', role: body.role, tokenName: body.tokenName }
}

/**
 * SessionProvider asks the server who is signed in (GET /api/session), and
 * signs in and out through /api/session. The token itself only lives in the
 * HttpOnly cookie: never in storage.
 */
export function SessionProvider({ children, initial }: { children: ReactNode; initial?: SessionState }) {
  const [state, setState] = useState<SessionState>(initial ?? { status: 'loading' })
  // Each look at the session has a number: an older answer (the page's
  // first look, still under way when a portal link signed in) never
  // overwrites a newer one.
  const seq = useRef(0)
  const settle = useCallback((s: SessionState) => {
    seq.current++
    setState(s)
  }, [])

  useEffect(() => {
    if (initial) return
    let live = true
    const mine = ++seq.current
    fetchSession()
      .then((s) => live && mine === seq.current && setState(s))
      .catch((e: Error) => live && mine === seq.current && setState({ status: 'signedOut', reason: `Could not reach the server: ${e.message}` }))
    return () => {
      live = false
    }
  }, [initial])

  /** start posts body to url; the server answers with the session cookie. It resolves to an error message or null. */
  const start = useCallback(
    async (url: string, body: unknown, refused?: string) => {
      let res: Response
      try {
        res = await fetch(url, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(body),
        })
      } catch {
        return 'The server cannot be reached. Check your connection and try again.'
      }
      if (res.status === 401 && refused) return refused
      if (res.status !== 204 && !res.ok) return readError(res)
      try {
        const s = await fetchSession()
        if (s.status !== 'signedIn') return 'Signed in, but the session was not kept. Are cookies allowed for this site?'
        settle(s)
        return null
      } catch (e) {
        return (e as Error).message
      }
    },
    [settle],
  )
  const signIn = useCallback((token: string) => start('/api/session', { token }), [start])
  const openPortal = useCallback((link: string) => start('/api/session/portal', { link }, portalExpired), [start])

  const signOut = useCallback(async () => {
    try {
      await fetch('/api/session', { method: 'DELETE', credentials: 'same-origin' })
    } finally {
      settle({ status: 'signedOut' })
    }
  }, [settle])

  const expired = useCallback(() => {
    setState((s) => (s.status === 'signedIn' ? { status: 'signedOut', reason: 'Your session has ended. Sign in again.' } : s))
  }, [])

  const value = useMemo<Session>(
    () => ({
      state,
      isAdmin: state.status === 'signedIn' && state.role === 'ADMIN',
      isPartner: state.status === 'signedIn' && state.role === 'PARTNER',
      signIn,
      openPortal,
      signOut,
      expired,
    }),
    [state, signIn, openPortal, signOut, expired],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}
