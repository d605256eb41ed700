import { useEffect, useId, useMemo, useState } from 'react'
import { useQuery } from 'urql'
import { inputClass } from './classes'
import { FolderSearchQuery } from './FolderPicker'
import { searchWhere, useDebounced } from '../lib/paging'
import { errorText } from '../lib/errors'

/** SELECT_PAGE is how many folders the select lists for one search (the server's page limit): beyond, typing narrows. */
export const SELECT_PAGE = 100

/**
 * FolderSelect chooses one folder among all of the server's: a search box
 * (by name, debounced, asked of the server) narrows the select's options.
 * Typing picks the first match unless the folder chosen is among them; with
 * the search cleared, the folder chosen stays listed even when it is not
 * among the first folders by name.
 */
export function FolderSelect({
  value,
  onChange,
  disabled,
  selectProps,
}: {
  value: string
  onChange: (id: string) => void
  disabled?: boolean
  selectProps: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }
}) {
  const searchID = useId()
  const noteID = useId()
  const [text, setText] = useState('')
  const search = useDebounced(text.trim())
  const [res] = useQuery({
    query: FolderSearchQuery,
    variables: { first: SELECT_PAGE, where: searchWhere(search) },
    requestPolicy: 'cache-and-network',
  })
  // Only the answer to the current search counts (the one before may still show).
  const answered = res.data && !res.stale && res.operation?.variables?.where?.search === (search || undefined) ? res.data.folders : null
  const page = res.data?.folders ?? null
  const matches = useMemo(() => (page?.edges ?? []).flatMap((e) => (e?.node ? [{ id: e.node.id, name: e.node.name }] : [])), [page])
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(null)
  useEffect(() => {
    const m = matches.find((f) => f.id === value)
    if (m && m.name !== chosen?.name) setChosen(m)
  }, [matches, value, chosen])
  useEffect(() => {
    if (!answered) return
    const ids = answered.edges?.flatMap((e) => (e?.node ? [e.node.id] : [])) ?? []
    if (ids.includes(value)) return
    if (value === '' || search !== '') onChange(ids[0] ?? '')
  }, [answered, value, search, onChange])
  const options = chosen && chosen.id === value && !matches.some((f) => f.id === value) ? [chosen, ...matches] : matches
  const total = page?.totalCount
  const note = res.error && !page
    ? `The folders could not be loaded: ${errorText(res.error)}`
    : !page
      ? 'Loading folders…'
      : total === 0 && !search
        ? 'No folders exist yet: create one first.'
        : total === 0
          ? `No folder matches “${search}”.`
          : page.pageInfo?.hasNextPage
            ? `The first ${matches.length} of ${total} folders by name: type to find the others.`
            : null
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-col gap-2 sm:flex-row">
        <label htmlFor={searchID} className="sr-only">
          Find a folder
        </label>
        <input
          id={searchID}
          type="search"
          className={inputClass}
          placeholder="Find a folder by name…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          disabled={disabled}
          autoComplete="off"
          maxLength={255}
        />
        <select
          {...selectProps}
          aria-describedby={[selectProps['aria-describedby'], note ? noteID : undefined].filter(Boolean).join(' ') || undefined}
          className={inputClass}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          disabled={disabled || options.length === 0}
        >
          {options.length === 0 ? <option value="">—</option> : null}
          {options.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </div>
      {note ? (
        <p id={noteID} className="text-xs text-slate-500" role="status">
          {note}
        </p>
      ) : null}
    </div>
  )
}
