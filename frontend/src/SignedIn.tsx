import { lazy, Suspense, useEffect, useMemo } from 'react'
import { Navigate, Outlet, Route, Routes } from 'react-router'
import { Provider } from 'urql'
import { Layout } from './components/Layout'
import { Loading } from './components/feedback'
import { LiveContext, makeClient } from './lib/client'
import { useSession } from './lib/session'

// Each screen is its own chunk, fetched when its route is first opened.
const WebhooksPage = lazy(() => import('./pages/Webhooks').then((m) => ({ default: m.WebhooksPage })))
const WebhookEditPage = lazy(() => import('./pages/WebhookEdit').then((m) => ({ default: m.WebhookEditPage })))
const CallsPage = lazy(() => import('./pages/Calls').then((m) => ({ default: m.CallsPage })))
const FoldersPage = lazy(() => import('./pages/Folders').then((m) => ({ default: m.FoldersPage })))
const AuditLogPage = lazy(() => import('./pages/AuditLog').then((m) => ({ default: m.AuditLogPage })))
const TokensPage = lazy(() => import('./pages/Tokens').then((m) => ({ default: m.TokensPage })))
const NotFoundPage = lazy(() => import('./pages/NotFound').then((m) => ({ default: m.NotFoundPage })))

/** Screen waits for a page's chunk inside the layout, so the navigation stays put. */
function Screen() {
  return (
    <Suspense fallback={<Loading />}>
      <Outlet />
    </Suspense>
  )
}

/**
 * AppRoutes are the screens of a signed-in user. A partner's are its
 * webhooks and their calls: the platform's screens (folders, tokens, audit
 * log) do not exist for it.
 */
export function AppRoutes() {
  const { isPartner } = useSession()
  if (isPartner) {
    return (
      <Routes>
        <Route element={<Layout />}>
          <Route element={<Screen />}>
            <Route index element={<Navigate to="/webhooks" replace />} />
            <Route path="webhooks" element={<WebhooksPage />} />
            <Route path="webhooks/:id" element={<WebhookEditPage />} />
            <Route path="calls" element={<CallsPage />} />
            <Route path="calls/:id" element={<CallsPage />} />
            <Route path="signin" element={<Navigate to="/webhooks" replace />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Routes>
    )
  }
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route element={<Screen />}>
          <Route index element={<Navigate to="/webhooks" replace />} />
          <Route path="webhooks" element={<WebhooksPage />} />
          <Route path="webhooks/:id" element={<WebhookEditPage />} />
          <Route path="calls" element={<CallsPage />} />
          <Route path="calls/:id" element={<CallsPage />} />
          <Route path="folders" element={<FoldersPage />} />
          <Route path="tokens" element={<TokensPage />} />
          <Route path="audit" element={<AuditLogPage />} />
          <Route path="signin" element={<Navigate to="/webhooks" replace />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  )
}

/**
 * SignedIn is the console of a signed-in user: one GraphQL client per
 * session (signing out drops its cache and websocket) and the screens. It is
 * a chunk of its own: the sign-in page does not load it.
 */
export default function SignedIn({ sessionKey }: { sessionKey: string }) {
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
