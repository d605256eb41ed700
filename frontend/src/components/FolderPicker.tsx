import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useQuery } from 'urql'
import { XIcon } from './icons'
import { cx, inputClass } from './classes'
import { graphql } from '../gql'
import { searchWhere, useDebounced } from '../lib/paging'
import { errorText } from '../lib/errors'

/** PICKER_PAGE is the number of folders the picker loads at a time. */
export const PICKER_PAGE = 20

/** MAX_PAGE is the most the picker lists for one search (the server's page limit): beyond, typing narrows. */
const MAX_PAGE = 100

export const FolderSearchQuery = graphql(`
  query FolderSearch($first: Int!, $where: FolderWhereInput) {
    folders(first: $first, orderBy: { field: NAME, direction: ASC }, where: $where) {
      totalCount
      pageInfo {
        hasNextPage
      }
      edges {
        node {
          id
          name
        }
      }
    }
  }
`)

export interface FolderOption {
  id: string
  name: string
}

/**
 * FolderPicker is a searchable multi-select: type to search the server's
 * folders (by name, debounced), arrows and Enter (or a click) to add, "More
 * folders" to list more matches (up to 100; beyond, typing narrows), the chips' buttons to remove.
 * known names the folders already chosen (the webhook's): a chosen folder
 * shows by name whether or not it is among the loaded matches.
 */
export function FolderPicker({
  known = [],
  selected,
  onChange,
  disabled,
  readOnly,
  inputProps,
}: {
  known?: FolderOption[]
  selected: string[]
  onChange: (ids: string[]) => void
  disabled?: boolean
  /** readOnly lists the folders chosen without the buttons to remove them (viewers). */
  readOnly?: boolean
  inputProps: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }
}) {
  const [query, setQuery] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const listId = useId()
  const inputRef = useRef<HTMLInputElement>(null)
  const search = useDebounced(query.trim())
  // "More folders" asks for a longer first page, up to the server's page limit.
  const [shownPages, setShownPages] = useState({ search, n: 1 })
  const n = shownPages.search === search ? shownPages.n : 1
  const [res] = useQuery({
    query: FolderSearchQuery,
    variables: { first: Math.min(PICKER_PAGE * n, MAX_PAGE), where: searchWhere(search) },
    pause: disabled || !open,
    requestPolicy: 'cache-and-network',
  })
  const pageFor = res.data?.folders ?? null
  const options = useMemo(() => (pageFor?.edges ?? []).flatMap((e) => (e?.node ? [{ id: e.node.id, name: e.node.name }] : [])), [pageFor])
  const total = pageFor?.totalCount
  const hasMore = (pageFor?.pageInfo?.hasNextPage ?? false) && PICKER_PAGE * n < MAX_PAGE
  // Names of chosen folders: the webhook's, and every folder seen in a page.
  const [names, setNames] = useState<Map<string, string>>(() => new Map(known.map((o) => [o.id, o.name])))
  useEffect(() => {
    setNames((m) => {
      const missing = [...known, ...options].filter((o) => m.get(o.id) !== o.name)
      if (missing.length === 0) return m
      const n = new Map(m)
      missing.forEach((o) => n.set(o.id, o.name))
      return n
    })
  }, [known, options])
  const matches = useMemo(() => options.filter((o) => !selected.includes(o.id)), [options, selected])
  const loading = res.fetching && options.length === 0

  function more() {
    setShownPages({ search, n: n + 1 })
  }

  function add(id: string) {
    onChange([...selected, id])
    setQuery('')
    setActive(0)
    inputRef.current?.focus()
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      setOpen(true)
      setActive((a) => Math.min(a + 1, matches.length - 1))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((a) => Math.max(a - 1, 0))
    } else if (e.key === 'Enter') {
      if (open && matches[active]) {
        e.preventDefault()
        add(matches[active].id)
      }
    } else if (e.key === 'Escape') {
      if (open) {
        e.stopPropagation()
        setOpen(false)
      }
    } else if (e.key === 'Backspace' && query === '' && selected.length > 0) {
      onChange(selected.slice(0, -1))
    }
  }

  const showList = open && !disabled
  return (
    <div className="relative">
      {selected.length > 0 ? (
        <ul className="mb-2 flex flex-wrap gap-1.5" aria-label="Selected folders">
          {selected.map((id) => {
            const name = names.get(id) ?? `Folder ${id}`
            return (
              <li key={id} className={cx('inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pl-2.5 text-sm text-indigo-800 ring-1 ring-indigo-200 ring-inset', readOnly ? 'pr-2.5' : 'pr-1')}>
                {name}
                {readOnly ? null : (
                  <button
                    type="button"
                    className="inline-flex size-5 items-center justify-center rounded-full hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-40"
                    aria-label={`Remove folder ${name}`}
                    onClick={() => onChange(selected.filter((x) => x !== id))}
                    disabled={disabled}
                  >
                    <XIcon className="size-3.5" />
                  </button>
                )}
              </li>
            )
          })}
        </ul>
      ) : null}
      <input
        {...inputProps}
        ref={inputRef}
        type="text"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && matches[active] ? `${listId}-${matches[active].id}` : undefined}
        className={inputClass}
        placeholder="Search folders to add…"
        value={query}
        disabled={disabled}
        onChange={(e) => {
          setQuery(e.target.value)
          setOpen(true)
          setActive(0)
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
        autoComplete="off"
      />
      {showList ? (
        <ul id={listId} role="listbox" aria-label="Folders" className="absolute z-20 mt-1 max-h-60 w-full overflow-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-200">
          {matches.length === 0 ? (
            <li className="px-3 py-2 text-slate-500" role="presentation">
              {res.error && !pageFor ? `The folders could not be loaded: ${errorText(res.error)}` : loading || !pageFor ? 'Loading folders…' : total === 0 && !search ? 'No folders exist yet: create one under “Folders & files”.' : 'No matching folder'}
            </li>
          ) : (
            matches.map((o, i) => (
              <li
                key={o.id}
                id={`${listId}-${o.id}`}
                role="option"
                aria-selected={i === active}
                className={cx('cursor-pointer px-3 py-2', i === active ? 'bg-indigo-600 text-white' : 'text-slate-800 hover:bg-slate-100')}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => add(o.id)}
              >
                {o.name}
              </li>
            ))
          )}
          {hasMore ? (
            <li role="presentation" className="border-t border-slate-100 px-3 py-1.5">
              <button
                type="button"
                className="text-sm font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                onMouseDown={(e) => e.preventDefault()}
                onClick={more}
              >
                More folders{total !== undefined ? ` (${options.length} of ${total} shown)` : ''}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  )
}
