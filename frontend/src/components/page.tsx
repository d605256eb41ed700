import type { ReactNode } from 'react'
import { cx } from './classes'

/** Card is a white panel around a section of a page. */
export function Card({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <section className={cx('relative rounded-lg border border-slate-200 bg-white shadow-sm', className)} data-card>
      {children}
    </section>
  )
}

/** PageHeader is a page's title, its description and its actions. */
export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {description ? <p className="mt-1 max-w-3xl text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  )
}

/**
 * Stacked tables: below the md breakpoint a table's rows become cards
 * (cells stack with their label above), from md on it is a plain table.
 */
export const stacked = {
  table: 'block w-full md:table md:min-w-full md:divide-y md:divide-slate-200',
  thead: 'hidden md:table-header-group',
  tbody: 'block divide-y divide-slate-100 md:table-row-group',
  row: 'relative flex flex-wrap gap-x-6 gap-y-2 px-4 py-3 md:table-row md:p-0',
}

/** Td is a cell of a stacked table; `label` is shown above it on phones. */
export function Td({ label, className, children, wide }: { label?: string; className?: string; children: ReactNode; wide?: boolean }) {
  return (
    <td className={cx('block min-w-0 md:table-cell md:px-4 md:py-3 md:align-top', wide && 'w-full md:w-auto', className)}>
      {label ? <span className="mb-0.5 block text-xs font-medium text-slate-500 md:hidden">{label}</span> : null}
      {children}
    </td>
  )
}
