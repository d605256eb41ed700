import { lazy, Suspense } from 'react'
import { BrowserRouter, useLocation } from 'react-router'
import { Loading } from './components/feedback'
import { SessionProvider, useSession } from './lib/session'
import { SignInPage } from './pages/SignIn'
import { PortalLanding } from './pages/Portal'

// The signed-in console (GraphQL client, layout, screens) loads after sign-in.
const SignedIn = lazy(() => import('./SignedIn'))

function Gate() {
  const { state } = useSession()
  const { pathname } = useLocation()
  // A portal link signs in whoever opens it, whatever session was there.
  if (pathname === '/portal') return <PortalLanding />
  if (state.status === 'loading') return <Loading label="Loading the console…" />
  if (state.status === 'signedOut') return <SignInPage reason={state.reason} />
  return (
    <Suspense fallback={<Loading label="Loading the console…" />}>
      <SignedIn sessionKey={`${state.tokenName}/${state.role}`} />
    </Suspense>
  )
}

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Gate />
      </SessionProvider>
    </BrowserRouter>
  )
}
