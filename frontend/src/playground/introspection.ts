import { parse, print, visit } from 'graphql'

/**
 * typeRefLevels is how many ofType levels the playground's introspection
 * asks for: enough for any wrapping this API uses ([X!]! takes 3), and
 * shallow enough for the server's depth limit (12; GraphiQL's standard
 * introspection nests 14 levels, with 9 of ofType).
 */
export const typeRefLevels = 6

/**
 * limitTypeRefs rewrites an introspection query so that its ofType fields
 * nest at most levels deep.
 */
export function limitTypeRefs(query: string, levels = typeRefLevels): string {
  let depth = 0
  const doc = visit(parse(query), {
    Field: {
      enter(node) {
        if (node.name.value !== 'ofType') return undefined
        if (depth === levels) return null // dropped, with what it nests
        depth++
        return undefined
      },
      leave(node) {
        if (node.name.value === 'ofType') depth--
      },
    },
  })
  return print(doc)
}
