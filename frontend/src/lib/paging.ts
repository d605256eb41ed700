import { useEffect, useState } from 'react'

/** PAGE_SIZE is the number of rows a list page (webhooks, folders) shows. */
export const PAGE_SIZE = 50

/** useDebounced returns value once it has not changed for ms milliseconds (the search boxes query the server then). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [v, setV] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return v
}

/**
 * useCursorPages keeps the cursors of the pages a list went through, so
 * that Next follows the server's endCursor and Previous goes back. A new
 * key (a new search) starts again at the first page.
 */
export function useCursorPages(key: string) {
  const [st, setSt] = useState<{ key: string; cursors: string[] }>({ key, cursors: [] })
  const cursors = st.key === key ? st.cursors : []
  return {
    /** after is the cursor of the current page: null on the first. */
    after: cursors.at(-1) ?? null,
    /** page is the current page's index, 0 for the first. */
    page: cursors.length,
    next: (endCursor: string) => setSt({ key, cursors: [...cursors, endCursor] }),
    prev: () => setSt({ key, cursors: cursors.slice(0, -1) }),
  }
}

/** searchWhere is the where input of a search: none when the text is blank. */
export function searchWhere(text: string): { search: string } | null {
  const t = text.trim()
  return t ? { search: t } : null
}
