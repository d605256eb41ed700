import { Button } from './buttons'
import { cx, inputClass } from './classes'

/**
 * Pager says which rows of how many a page shows and moves between pages
 * (Previous, Next) by cursor.
 */
export function Pager({
  label,
  page,
  pageSize,
  shown,
  total,
  hasNext,
  onPrev,
  onNext,
}: {
  label: string
  page: number
  pageSize: number
  shown: number
  total: number
  hasNext: boolean
  onPrev: () => void
  onNext: () => void
}) {
  const from = shown === 0 ? 0 : page * pageSize + 1
  return (
    <nav className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm text-slate-600" aria-label={`${label} pages`}>
      <p role="status">
        {shown === 0 ? `No ${label.toLowerCase()}` : `${from}–${from + shown - 1} of ${total}`}
      </p>
      {page > 0 || hasNext ? (
        <span className="flex gap-2">
          <Button onClick={onPrev} disabled={page === 0}>
            Previous
          </Button>
          <Button onClick={onNext} disabled={!hasNext}>
            Next
          </Button>
        </span>
      ) : null}
    </nav>
  )
}

/** SearchBox is a list's search field; the list queries the server with its (debounced) text. */
export function SearchBox({ label, value, onChange, placeholder, className }: { label: string; value: string; onChange: (v: string) => void; placeholder?: string; className?: string }) {
  return (
    <input
      type="search"
      aria-label={label}
      className={cx(inputClass, 'max-w-sm', className)}
      placeholder={placeholder}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      autoComplete="off"
    />
  )
}
