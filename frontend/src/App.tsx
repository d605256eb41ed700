import { useEffect, useMemo } from 'react'
import { BrowserRouter, Navigate, Route, Routes } from 'react-router'
import { Provider } from 'urql'
import { Layout } from './components/Layout'
import { Loading } from './components/feedback'
import { LiveContext, makeClient } from './lib/client'
import { SessionProvider, useSession } from './lib/session'
import { CallsPage } from './pages/Calls'
import { FoldersPage } from './pages/Folders'
import { NotFoundPage } from './pages/NotFound'
import { SignInPage } from './pages/SignIn'
import { TokensPage } from './pages/Tokens'
import { WebhookEditPage } from './pages/WebhookEdit'
import { WebhooksPage } from './pages/Webhooks'

/** AppRoutes are the screens of a signed-in user. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/webhooks" replace />} />
        <Route path="webhooks" element={<WebhooksPage />} />
        <Route path="webhooks/:id" element={<WebhookEditPage />} />
        <Route path="calls" element={<CallsPage />} />
        <Route path="calls/:id" element={<CallsPage />} />
        <Route path="folders" element={<FoldersPage />} />
        <Route path="tokens" element={<TokensPage />} />
        <Route path="signin" element={<Navigate to="/webhooks" replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  )
}

/** SignedIn owns one GraphQL client per session: signing out drops its cache and websocket. */
function SignedIn({ sessionKey }: { sessionKey: string }) {
  const { expired } = useSession()
  const gql = useMemo(() => makeClient({ onUnauthenticated: expired }), [sessionKey, expired])
  useEffect(() => () => gql.dispose(), [gql])
  return (
    <Provider value={gql.client}>
      <LiveContext.Provider value={gql.live}>
        <AppRoutes />
      </LiveContext.Provider>
    </Provider>
  )
}

function Gate() {
  const { state } = useSession()
  if (state.status === 'loading') return <Loading label="Loading the console…" />
  if (state.status === 'signedOut') return <SignInPage reason={state.reason} />
  return <SignedIn sessionKey={`${state.tokenName}/${state.role}`} />
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
