import { Client, gql, type Exchange } from '@urql/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { filter, map, pipe } from 'wonka'
import { makeCache } from './client'

/** answer is a terminating exchange that answers every operation with `data`. */
const answer =
  (data: object): Exchange =>
  () =>
  (ops$) =>
    pipe(
      ops$,
      filter((operation) => operation.kind !== 'teardown'),
      map((operation) => ({ operation, data, stale: false, hasNext: false })),
    )

const NodeQuery = gql`
  query Node($id: ID!) {
    node(id: $id) {
      id
      ... on Webhook {
        name
      }
      ... on WebhookCall {
        status
      }
    }
  }
`

describe('makeCache', () => {
  afterEach(() => vi.restoreAllMocks())

  it('knows the schema: node(id:) fragments match by type, with no heuristic warnings', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const client = new Client({ url: '/graphql', exchanges: [makeCache(), answer({ node: { __typename: 'Webhook', id: '7', name: 'Partner' } })] })
    const first = await client.query(NodeQuery, { id: '7' }).toPromise()
    expect(first.data?.node).toEqual({ id: '7', name: 'Partner' })
    // Read back from the cache alone: the Webhook fragment applies, the WebhookCall one does not.
    const cached = client.readQuery(NodeQuery, { id: '7' })
    expect(cached?.data?.node).toEqual({ id: '7', name: 'Partner' })
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([])
  })
})
