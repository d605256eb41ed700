import { useMemo } from 'react'
import { useQuery } from 'urql'
import { graphql } from '../gql'
import type { WebhookPreviewInput } from '../gql/graphql'
import { errorText } from '../lib/errors'
import { useDebounced } from '../lib/paging'

export const WebhookPreviewQuery = graphql(`
  query WebhookPreview($input: WebhookPreviewInput!) {
    webhookPreview(input: $input) {
      matched
      examined
      names
    }
  }
`)

/** The folders and filters being edited, as the form holds them. */
export interface PreviewFilters {
  allFolders: boolean
  folderIDs: string[]
  filter: string
  /** Content type patterns, separated by commas or spaces. */
  contentTypes: string
  nameGlob: string
  /** Sizes in bytes as typed; empty: unset. */
  minSize: string
  maxSize: string
}

/** contentTypeList splits "video/*, image/png" into its patterns. */
export function contentTypeList(s: string): string[] {
  return s.split(/[\s,]+/).filter(Boolean)
}

/** sizeOf is a typed size in bytes, undefined when empty or not a whole number. */
export function sizeOf(typed: string): number | undefined {
  const t = typed.trim()
  if (t === '') return undefined
  const n = Number(t)
  return Number.isInteger(n) ? n : undefined
}

/** previewInput is the webhookPreview input of the filters being edited. */
export function previewInput(f: PreviewFilters): WebhookPreviewInput {
  const input: WebhookPreviewInput = {}
  if (f.allFolders) input.allFolders = true
  else input.folderIDs = f.folderIDs
  if (f.filter !== '') input.filter = f.filter
  const types = contentTypeList(f.contentTypes)
  if (types.length > 0) input.contentTypes = types
  if (f.nameGlob.trim() !== '') input.nameGlob = f.nameGlob.trim()
  const lo = sizeOf(f.minSize)
  const hi = sizeOf(f.maxSize)
  if (lo !== undefined) input.minSizeBytes = lo
  if (hi !== undefined) input.maxSizeBytes = hi
  return input
}

/**
 * WebhookPreview tells, live, how many of the last 1,000 files of the
 * chosen folders the webhook would have fired for with the folders and
 * filters being edited, and the first names. It asks the server (the same
 * matching as delivery) once the fields have been still for a moment.
 */
export function WebhookPreview({ filters, delayMs = 400 }: { filters: PreviewFilters; delayMs?: number }) {
  const input = useMemo(() => previewInput(filters), [filters])
  const key = JSON.stringify(input)
  const settled = useDebounced(key, delayMs)
  const noFolders = !filters.allFolders && filters.folderIDs.length === 0
  const variables = useMemo(() => ({ input: JSON.parse(settled) as WebhookPreviewInput }), [settled])
  const [{ data, fetching, error }] = useQuery({ query: WebhookPreviewQuery, variables, pause: noFolders, requestPolicy: 'network-only' })
  const p = data?.webhookPreview
  const pending = fetching || settled !== key
  return (
    <section aria-label="Preview" aria-live="polite" className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
      <h3 className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Preview</h3>
      {noFolders ? (
        <p className="mt-1 text-slate-600">Choose folders to see which of their recent files would call the webhook.</p>
      ) : error ? (
        <p className="mt-1 text-red-700" role="alert">
          No preview: {errorText(error)}
        </p>
      ) : p ? (
        <div className={pending ? 'opacity-60' : undefined}>
          <p className="mt-1 text-slate-800" role="status">
            {p.examined === 0
              ? 'These folders hold no files yet.'
              : `Would have fired for ${p.matched.toLocaleString('en-US')} of the last ${p.examined.toLocaleString('en-US')} files.`}
          </p>
          {p.names.length > 0 ? (
            <ul className="mt-2 flex flex-wrap gap-1.5" aria-label="Matched files">
              {p.names.map((n, i) => (
                <li key={`${i}:${n}`} className="max-w-full truncate rounded bg-white px-1.5 py-0.5 font-mono text-xs text-slate-700 ring-1 ring-slate-200">
                  {n}
                </li>
              ))}
            </ul>
          ) : null}
          {p.matched > p.names.length ? <p className="mt-1 text-xs text-slate-500">The first {p.names.length} shown, newest first.</p> : null}
        </div>
      ) : (
        <p className="mt-1 text-slate-500">Counting…</p>
      )}
    </section>
  )
}
