import { useState, type KeyboardEvent } from 'react'
import { useQuery } from 'urql'
import { graphql } from '../gql'
import { errorText } from '../lib/errors'
import { useDebounced } from '../lib/paging'
import { ErrorBox } from './feedback'
import { SearchBox } from './Pager'

export const WebhookChoicesQuery = graphql(`
  query WebhookChoices($where: WebhookWhereInput) {
    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }, where: $where) {
      totalCount
      edges {
        node {
          id
          name
          active
        }
      }
    }
  }
`)

/** A webhook as the checklist names it. */
export interface WebhookChoice {
  id: string
  name: string
}

/** noSubmit keeps Enter in the search box from submitting the form around it. */
const noSubmit = (e: KeyboardEvent) => {
  if (e.key === 'Enter') e.preventDefault()
}

/**
 * WebhookChecklist chooses webhooks: a search box and a checkbox per
 * webhook (the first 100 by name, or those the search finds). The chosen
 * ones stay listed first, whatever the search.
 */
export function WebhookChecklist({
  legend,
  hint,
  selected,
  onChange,
  error,
  known = [],
}: {
  legend: string
  hint?: string
  selected: WebhookChoice[]
  onChange: (next: WebhookChoice[]) => void
  error?: string
  /** known are webhooks to list even before the query answers (the current one). */
  known?: WebhookChoice[]
}) {
  const [text, setText] = useState('')
  const search = useDebounced(text.trim())
  const [res] = useQuery({ query: WebhookChoicesQuery, variables: { where: search ? { search } : null }, requestPolicy: 'cache-and-network' })
  const found = (res.data?.webhooks.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []))
  const chosen = new Set(selected.map((w) => w.id))
  const byID = new Map<string, WebhookChoice & { active?: boolean }>()
  for (const w of [...selected, ...known, ...found]) byID.set(w.id, { ...byID.get(w.id), ...w })
  const rows = [...byID.values()]
    .filter((w) => chosen.has(w.id) || found.some((f) => f.id === w.id) || (!res.data && known.some((k) => k.id === w.id)))
    .sort((a, b) => Number(chosen.has(b.id)) - Number(chosen.has(a.id)) || a.name.localeCompare(b.name))
  const toggle = (w: WebhookChoice) => onChange(chosen.has(w.id) ? selected.filter((x) => x.id !== w.id) : [...selected, { id: w.id, name: w.name }])
  const hintText = `${hint ?? ''}${hint ? ' ' : ''}${selected.length === 1 ? '1 webhook chosen.' : `${selected.length} webhooks chosen.`}`
  return (
    <fieldset aria-describedby={error ? 'webhook-checklist-error' : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <p className="mt-1 text-xs text-slate-500">{hintText}</p>
      <div onKeyDown={noSubmit} className="mt-2">
        <SearchBox label="Find a webhook" value={text} onChange={setText} placeholder="Find a webhook by name, URL or folder…" className="max-w-none" />
      </div>
      {res.error ? (
        <div className="mt-2">
          <ErrorBox title="The webhooks could not be loaded">{errorText(res.error)}</ErrorBox>
        </div>
      ) : null}
      {res.data && rows.length === 0 ? <p className="mt-2 text-sm text-slate-600">{search ? `No webhook matches “${search}”.` : 'There are no webhooks yet.'}</p> : null}
      <ul className="mt-2 flex max-h-56 flex-col gap-1 overflow-y-auto rounded-md border border-slate-200 p-2" aria-label={legend}>
        {rows.map((w) => (
          <li key={w.id}>
            <label className="flex items-center gap-2 text-sm wrap-anywhere text-slate-700">
              <input type="checkbox" className="size-4 accent-indigo-600" checked={chosen.has(w.id)} onChange={() => toggle(w)} />
              {w.name}
              {w.active === false ? <span className="text-xs text-slate-500">(inactive)</span> : null}
            </label>
          </li>
        ))}
      </ul>
      {error ? (
        <p id="webhook-checklist-error" className="mt-1 text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  )
}
