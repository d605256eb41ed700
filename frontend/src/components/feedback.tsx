import type { ReactNode } from 'react'
import { Button, IconButton, Spinner } from './buttons'
import { cx } from './classes'
import { XIcon } from './icons'

/** Loading says that something is on its way. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="flex items-center gap-2 p-6 text-sm text-slate-500" role="status">
      <Spinner /> {label}
    </div>
  )
}

/** ErrorBox shows what went wrong, with a retry button when given one. */
export function ErrorBox({ title = 'Something went wrong', children, onRetry }: { title?: string; children: ReactNode; onRetry?: () => void }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      <p className="font-medium">{title}</p>
      <div className="mt-1 break-words">{children}</div>
      {onRetry ? (
        <Button className="mt-2" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  )
}

/** Notice is a dismissible message: information, success or a warning. */
export function Notice({ tone = 'info', children, onClose }: { tone?: 'info' | 'success' | 'warning'; children: ReactNode; onClose?: () => void }) {
  const tones = {
    info: 'border-sky-200 bg-sky-50 text-sky-900',
    success: 'border-emerald-200 bg-emerald-50 text-emerald-900',
    warning: 'border-amber-200 bg-amber-50 text-amber-900',
  }
  return (
    <div role="status" className={cx('flex items-start gap-2 rounded-md border p-3 text-sm', tones[tone])}>
      <div className="min-w-0 flex-1">{children}</div>
      {onClose ? (
        <IconButton label="Dismiss" onClick={onClose} className="-m-1 size-7">
          <XIcon />
        </IconButton>
      ) : null}
    </div>
  )
}

/** EmptyState fills a list that has nothing yet, says why it matters and offers the first step. */
export function EmptyState({ icon, title, children, action }: { icon?: ReactNode; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center px-6 py-12 text-center">
      {icon ? <div className="mb-3 rounded-full bg-indigo-50 p-3 text-indigo-600">{icon}</div> : null}
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      {children ? <div className="mt-2 max-w-lg text-sm text-slate-600">{children}</div> : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  )
}

