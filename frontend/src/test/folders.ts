import { vi } from 'vitest'
import { fromValue } from 'wonka'

/**
 * searchFolders is a mock client's executeQuery answering the FolderSearch
 * query like the server: folders whose name contains where.search
 * (ignoring case), in pages of `first` after the cursor (an index here).
 * Each call is recorded.
 */
export function searchFolders(folders: { id: string; name: string }[]) {
  return vi.fn((op: { variables?: { first?: number; after?: string | null; where?: { search?: string } | null } }) => {
    const v = op.variables ?? {}
    const q = (v.where?.search ?? '').toLowerCase()
    const all = folders.filter((f) => f.name.toLowerCase().includes(q))
    const start = v.after ? Number(v.after) : 0
    const first = v.first ?? 20
    const page = all.slice(start, start + first)
    return fromValue({
      operation: op,
      data: {
        folders: {
          totalCount: all.length,
          pageInfo: { hasNextPage: start + first < all.length, endCursor: String(start + page.length) },
          edges: page.map((node) => ({ node })),
        },
      },
      stale: false,
      hasNext: false,
    })
  })
}
