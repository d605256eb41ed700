import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SessionProvider, useSession } from '../lib/session'
import { SignInPage } from './SignIn'

function Probe() {
  const { state } = useSession()
  return <p data-testid="state">{state.status === 'signedIn' ? `${state.status}:${state.role}:${state.tokenName}` : state.status}</p>
}

function renderSignIn() {
  return render(
    <SessionProvider initial={{ status: 'signedOut' }}>
      <SignInPage />
      <Probe />
    </SessionProvider>,
  )
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

describe('SignInPage', () => {
  let fetchMock: ReturnType<typeof vi.fn>
  beforeEach(() => {
    fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    localStorage.clear()
  })

  it('asks for a token before calling the server', async () => {
    renderSignIn()
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(screen.getByRole('alert')).toHaveTextContent('Enter an API token.')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('shows the server error of a bad token next to the field', async () => {
    fetchMock.mockResolvedValueOnce(json(401, { error: 'this token is not valid (unknown, revoked or expired)' }))
    renderSignIn()
    const input = screen.getByLabelText('API token')
    await userEvent.type(input, 'wrong-token')
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('this token is not valid (unknown, revoked or expired)')
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(input.getAttribute('aria-describedby')).toContain(alert.id)
    expect(fetchMock).toHaveBeenCalledWith('/api/session', expect.objectContaining({ method: 'POST', body: JSON.stringify({ token: 'wrong-token' }) }))
    expect(screen.getByTestId('state')).toHaveTextContent('signedOut')
  })

  it('signs in with a good token and never stores it', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 })).mockResolvedValueOnce(json(200, { signedIn: true, role: 'VIEWER', tokenName: 'ci' }))
    renderSignIn()
    await userEvent.type(screen.getByLabelText('API token'), '  good-token  ')
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await waitFor(() => expect(screen.getByTestId('state')).toHaveTextContent('signedIn:VIEWER:ci'))
    expect(fetchMock.mock.calls[0][1].body).toBe(JSON.stringify({ token: 'good-token' }))
    expect(fetchMock.mock.calls[1][0]).toBe('/api/session')
    expect(localStorage.length).toBe(0)
    expect(sessionStorage.length).toBe(0)
  })
})
