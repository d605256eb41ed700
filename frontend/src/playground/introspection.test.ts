// @vitest-environment node
/// <reference types="node" />
import { readFileSync, readdirSync } from 'node:fs'
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  graphqlSync,
  parse,
  type IntrospectionQuery,
  type SelectionSetNode,
} from 'graphql'
import { limitTypeRefs, typeRefLevels } from './introspection'

/** depth counts nested fields with selections, as the server's depth limit (graph/limits.go) does. */
function depth(set: SelectionSetNode | undefined, frags: Map<string, SelectionSetNode>): number {
  let deepest = 0
  for (const sel of set?.selections ?? []) {
    let d = 0
    if (sel.kind === 'Field' && sel.selectionSet) d = 1 + depth(sel.selectionSet, frags)
    if (sel.kind === 'InlineFragment') d = depth(sel.selectionSet, frags)
    if (sel.kind === 'FragmentSpread') d = depth(frags.get(sel.name.value), frags)
    deepest = Math.max(deepest, d)
  }
  return deepest
}

function queryDepth(query: string): number {
  const doc = parse(query)
  const frags = new Map<string, SelectionSetNode>()
  for (const d of doc.definitions) if (d.kind === 'FragmentDefinition') frags.set(d.name.value, d.selectionSet)
  const op = doc.definitions.find((d) => d.kind === 'OperationDefinition')
  return op && op.kind === 'OperationDefinition' ? depth(op.selectionSet, frags) : 0
}

/** The API's schema, from the files gqlgen reads (graph/*.graphqls). */
function apiSchema() {
  const dir = new URL('../../../graph/', import.meta.url)
  const files = readdirSync(dir).filter((f) => f.endsWith('.graphqls'))
  expect(files.length).toBeGreaterThan(1)
  return buildSchema(files.map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n'))
}

describe('the playground introspection', () => {
  const standard = getIntrospectionQuery({ inputValueDeprecation: false, schemaDescription: false })

  it('fits the server depth limit, which GraphiQL standard query exceeds', () => {
    expect(queryDepth(standard)).toBeGreaterThan(12)
    expect(queryDepth(limitTypeRefs(standard))).toBeLessThanOrEqual(12)
  })

  it('keeps typeRefLevels levels of ofType', () => {
    const limited = limitTypeRefs(standard)
    expect(limited.match(/ofType/g)).toHaveLength(typeRefLevels)
  })

  it('reads the whole API schema, with its descriptions', () => {
    const schema = apiSchema()
    const res = graphqlSync({ schema, source: limitTypeRefs(standard) })
    expect(res.errors).toBeUndefined()
    const client = buildClientSchema(res.data as unknown as IntrospectionQuery)
    expect(client.getQueryType()?.getFields().webhooks.description).toMatch(/^Webhooks, oldest first/)
    expect(client.getType('WebhookCallStatus')?.toString()).toBe('WebhookCallStatus')
    // Every type of the API made it, wrappers and all.
    expect(Object.keys(client.getTypeMap()).sort()).toEqual(Object.keys(schema.getTypeMap()).sort())
  })
})
