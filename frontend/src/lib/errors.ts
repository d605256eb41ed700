import type { CombinedError } from '@urql/core'

/** The error codes the server puts in extensions.code. */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | string

/** A GraphQL error as the console needs it: message, code and the input field at fault. */
export interface ApiError {
  message: string
  code?: ErrorCode
  field?: string
}

type GraphQLErrorLike = { message: string; extensions?: Record<string, unknown> | null }

/** apiErrors flattens a CombinedError (or errors of a raw response) into ApiErrors. */
export function apiErrors(error: CombinedError | undefined | null): ApiError[] {
  if (!error) return []
  const out: ApiError[] = []
  for (const e of error.graphQLErrors ?? []) out.push(toApiError(e))
  if (error.networkError) {
    const status = (error.response as Response | undefined)?.status
    out.push({
      message: status === 401 ? 'Your session has ended; sign in again.' : networkMessage(error.networkError),
      code: status === 401 ? 'UNAUTHENTICATED' : 'NETWORK',
    })
  }
  return out
}

export function toApiError(e: GraphQLErrorLike): ApiError {
  const ext = e.extensions ?? {}
  const code = typeof ext.code === 'string' ? ext.code : undefined
  const field = typeof ext.field === 'string' ? ext.field : undefined
  return { message: e.message, code, field }
}

function networkMessage(err: Error): string {
  if (/fetch|network/i.test(err.message)) return 'The server cannot be reached. Check your connection and try again.'
  return err.message
}

/** hasCode tells whether any error carries the code. */
export function hasCode(error: CombinedError | undefined | null, code: ErrorCode): boolean {
  return apiErrors(error).some((e) => e.code === code)
}

/**
 * splitErrors sorts errors into messages per form field (by extensions.field,
 * mapped through aliases such as addFolderIDs -> folders) and the rest. The
 * server reports each bad item of a list on its own field ("headers.2.name").
 * The server's message starts with the field name ("url: must be ..."); that
 * prefix is dropped where the message is shown next to the field.
 */
export function splitErrors(
  error: CombinedError | undefined | null,
  aliases: Record<string, string> = {},
): { fields: Record<string, string>; other: string[] } {
  const fields: Record<string, string> = {}
  const other: string[] = []
  for (const e of apiErrors(error)) {
    if (e.code === 'BAD_USER_INPUT' && e.field) {
      const key = aliases[e.field] ?? e.field
      const prefix = e.field + ': '
      const msg = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message
      fields[key] = fields[key] ? `${fields[key]}; ${msg}` : msg
    } else {
      other.push(describe(e))
    }
  }
  return { fields, other }
}

/** describe turns an error into a sentence for an error box. */
export function describe(e: ApiError): string {
  switch (e.code) {
    case 'FORBIDDEN':
      return `Not allowed: ${e.message}.`
    case 'NOT_FOUND':
      return `Not found: ${e.message}`
    case 'RATE_LIMITED':
      return `Too many requests: ${e.message}`
    default:
      return e.message
  }
}

/** errorText is one line for any error, for places without fields. */
export function errorText(error: CombinedError | undefined | null): string {
  return apiErrors(error).map(describe).join(' ')
}
