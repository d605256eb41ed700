// The GraphQL playground (/playground): GraphiQL, bundled by this build
// and served by the server itself, so it works offline and under the
// console's Content-Security-Policy (nothing is loaded from elsewhere).
// It is an entry of its own: the console's bundle does not include it.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { GraphiQL } from 'graphiql'
import { createGraphiQLFetcher } from '@graphiql/toolkit'
import 'graphiql/style.css'
import './playground.css'

const wsURL = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`

// The console's session cookie authenticates the requests (and the
// websocket of subscriptions); an API token can be set in Headers instead.
const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  subscriptionUrl: wsURL,
  fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
})

const defaultQuery = `# The scoopa webhooks API. Its documentation is in the
# Docs panel (the book icon on the left).
#
# Requests carry the console's session if you are signed in
# to it; otherwise add an API token in Headers below:
#   {"Authorization": "Bearer <token>"}
# Mutations need an ADMIN token.

{
  viewer {
    role
    tokenName
  }
}
`

createRoot(document.getElementById('playground')!).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} />
  </StrictMode>,
)
