import { Client, fetchExchange, mapExchange, subscriptionExchange } from '@urql/core'
import { cacheExchange, type Cache, type Data, type Variables } from '@urql/exchange-graphcache'
import { createClient as createWSClient, type Client as WSClient } from 'graphql-ws'
import { createContext, useContext } from 'react'
import { defaultLive, LiveStatus } from './live'

/** invalidateQueryField marks every cached Query.<field> (any arguments) stale, so views refetch it. */
function invalidateQueryField(cache: Cache, field: string) {
  for (const f of cache.inspectFields('Query')) {
    if (f.fieldName === field) cache.invalidate('Query', f.fieldName, f.arguments ?? undefined)
  }
}

/** The normalized cache: entities by id, and which lists a mutation makes stale. */
export function makeCache() {
  const embedded = () => null
  return cacheExchange({
    keys: {
      Viewer: embedded,
      WebhookCallStats: embedded,
      CreatedApiToken: embedded,
      PageInfo: embedded,
      WebhookConnection: embedded,
      WebhookEdge: embedded,
      WebhookCallConnection: embedded,
      WebhookCallEdge: embedded,
      FolderConnection: embedded,
      FolderEdge: embedded,
      FileConnection: embedded,
      FileEdge: embedded,
      RequestHeader: embedded,
    },
    updates: {
      Mutation: {
        createWebhook(_r: Data, _a: Variables, cache: Cache) {
          invalidateQueryField(cache, 'webhooks')
        },
        updateWebhook(_r: Data, _a: Variables, cache: Cache) {
          invalidateQueryField(cache, 'folders')
        },
        deleteWebhook(_r: Data, args: Variables, cache: Cache) {
          cache.invalidate({ __typename: 'Webhook', id: args.id as string })
          invalidateQueryField(cache, 'webhooks')
          invalidateQueryField(cache, 'folders')
        },
        createFolder(_r: Data, _a: Variables, cache: Cache) {
          invalidateQueryField(cache, 'folders')
        },
        uploadFile(_r: Data, _a: Variables, cache: Cache) {
          invalidateQueryField(cache, 'files')
        },
        createApiToken(_r: Data, _a: Variables, cache: Cache) {
          invalidateQueryField(cache, 'apiTokens')
        },
        retryWebhookCall(_r: Data, _a: Variables, cache: Cache) {
          invalidateQueryField(cache, 'webhooks')
        },
      },
    },
  })
}

export interface ClientOptions {
  /** Called when the server says the session is no longer valid. */
  onUnauthenticated: () => void
  /** Base for the websocket URL; defaults to the page's origin. */
  location?: Pick<Location, 'protocol' | 'host'>
}

/** ConsoleClient is the urql client with the websocket and its live status. */
export interface ConsoleClient {
  client: Client
  live: LiveStatus
  dispose: () => void
}

/**
 * makeClient builds the console's GraphQL client: POST to /graphql with the
 * session cookie, subscriptions over graphql-ws on the same path, and a
 * normalized cache so a subscription event updates every view of a call.
 */
export function makeClient(opts: ClientOptions): ConsoleClient {
  const loc = opts.location ?? window.location
  const live = new LiveStatus()
  const ws: WSClient = createWSClient({
    url: `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/graphql`,
    // The session cookie authenticates the upgrade; the payload stays empty.
    connectionParams: {},
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      await new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** retries, 15000) + Math.random() * 500))
    },
    keepAlive: 15000,
    on: {
      connecting: () => live.connecting(),
      connected: () => live.connected(),
      closed: (event) => {
        live.closed()
        if ((event as CloseEvent | undefined)?.code === 4401) opts.onUnauthenticated()
      },
    },
  })
  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: { credentials: 'same-origin', headers: { 'Content-Type': 'application/json' } },
    exchanges: [
      mapExchange({
        onError(error) {
          const status = (error.response as Response | undefined)?.status
          const unauth = error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')
          if (status === 401 || unauth) opts.onUnauthenticated()
        },
      }),
      makeCache(),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' }
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink)
              return { unsubscribe }
            },
          }
        },
      }),
    ],
  })
  return {
    client,
    live,
    dispose: () => {
      void ws.dispose()
    },
  }
}

/** LiveContext hands the websocket's status to the views. */
export const LiveContext = createContext<LiveStatus>(defaultLive)

export function useLive(): LiveStatus {
  return useContext(LiveContext)
}
