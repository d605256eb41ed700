import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { XIcon } from './icons'
import { cx, inputClass } from './classes'

export interface FolderOption {
  id: string
  name: string
}

/**
 * FolderPicker is a searchable multi-select: type to filter, arrows and
 * Enter (or a click) to add, the chips' buttons to remove.
 */
export function FolderPicker({
  options,
  selected,
  onChange,
  disabled,
  inputProps,
  loading,
}: {
  options: FolderOption[]
  selected: string[]
  onChange: (ids: string[]) => void
  disabled?: boolean
  inputProps: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }
  loading?: boolean
}) {
  const [query, setQuery] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const listId = useId()
  const inputRef = useRef<HTMLInputElement>(null)
  const byId = useMemo(() => new Map(options.map((o) => [o.id, o])), [options])
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase()
    return options.filter((o) => !selected.includes(o.id) && (!q || o.name.toLowerCase().includes(q))).slice(0, 50)
  }, [options, selected, query])

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
            const name = byId.get(id)?.name ?? `Folder ${id}`
            return (
              <li key={id} className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pr-1 pl-2.5 text-sm text-indigo-800 ring-1 ring-indigo-200 ring-inset">
                {name}
                <button
                  type="button"
                  className="inline-flex size-5 items-center justify-center rounded-full hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-40"
                  aria-label={`Remove folder ${name}`}
                  onClick={() => onChange(selected.filter((x) => x !== id))}
                  disabled={disabled}
                >
                  <XIcon className="size-3.5" />
                </button>
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
        placeholder={loading ? 'Loading folders…' : options.length === 0 ? 'No folders exist yet' : 'Search folders to add…'}
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
              {options.length === 0 ? 'No folders exist yet: create one under “Folders & files”.' : 'No matching folder'}
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
        </ul>
      ) : null}
    </div>
  )
}
