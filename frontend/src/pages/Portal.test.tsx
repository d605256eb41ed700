import { render, screen, waitFor } from '@testing-library/react'
import { StrictMode } from 'react'
import { MemoryRouter, Route, Routes, useLocation } from 'react-router'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SessionProvider, useSession } from '../lib/session'
import { PortalLanding } from './Portal'

function Probe() {
  const { state } = useSession()
  const { pathname } = useLocation()
  return <p data-testid="state">{`${pathname} ${state.status === 'signedIn' ? `${state.status}:${state.role}:${state.tokenName}` : state.status}`}</p>
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

/** renderPortal opens /portal#<fragment> in strict mode (effects run twice), the session unknown as on a fresh browser. */
function renderPortal(fragment: string) {
  window.history.replaceState(null, '', `/portal#${fragment}`)
  return render(
    <StrictMode>
      <MemoryRouter initialEntries={['/portal']}>
        <SessionProvider>
          <Routes>
            <Route path="/portal" element={<PortalLanding />} />
            <Route path="/webhooks" element={<h1>Partner home</h1>} />
          </Routes>
          <Probe />
        </SessionProvider>
      </MemoryRouter>
    </StrictMode>,
  )
}

describe('PortalLanding', () => {
  let fetchMock: ReturnType<typeof vi.fn>
  let signedIn: boolean
  let portalAnswer: () => Response
  beforeEach(() => {
    signedIn = false
    fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/session' && (init?.method ?? 'GET') === 'GET') {
        return json(200, signedIn ? { signedIn: true, role: 'PARTNER', tokenName: 'Acme portal' } : { signedIn: false })
      }
      if (url === '/api/session/portal' && init?.method === 'POST') return portalAnswer()
      throw new Error(`unexpected ${init?.method ?? 'GET'} ${url}`)
    })
    vi.stubGlobal('fetch', fetchMock)
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    window.history.replaceState(null, '', '/')
  })

  const portalPosts = () => fetchMock.mock.calls.filter(([url]) => url === '/api/session/portal')

  it('trades the link for a session once, drops it from the address and opens the partner’s webhooks', async () => {
    portalAnswer = () => {
      signedIn = true
      return new Response(null, { status: 204 })
    }
    renderPortal('spl_abc123')
    expect(await screen.findByRole('heading', { name: 'Partner home' })).toBeInTheDocument()
    expect(screen.getByTestId('state')).toHaveTextContent('/webhooks signedIn:PARTNER:Acme portal')
    // The single-use link left the address bar and the history entry.
    expect(window.location.hash).toBe('')
    expect(window.location.pathname).toBe('/portal')
    // Sent once, as JSON, though strict mode ran the effect twice.
    expect(portalPosts()).toHaveLength(1)
    const [, init] = portalPosts()[0] as [string, RequestInit]
    expect(JSON.parse(init.body as string)).toEqual({ link: 'spl_abc123' })
    expect(new Headers(init.headers).get('Content-Type')).toBe('application/json')
  })

  it('says so when the link expired or was used already', async () => {
    portalAnswer = () => json(401, { error: 'this portal link is not valid (unknown, used or expired)' })
    renderPortal('spl_used')
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('This link has expired or was already used')
    expect(alert).toHaveTextContent(/Ask .* for a new one/)
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('This link has expired or was already used')
    expect(window.location.hash).toBe('')
    await waitFor(() => expect(screen.getByTestId('state')).toHaveTextContent('/portal signedOut'))
    expect(portalPosts()).toHaveLength(1)
  })

  it('says the link is incomplete when the address has no code, without asking the server', async () => {
    renderPortal('')
    expect(await screen.findByRole('alert')).toHaveTextContent('This link is incomplete')
    expect(portalPosts()).toHaveLength(0)
  })
})
