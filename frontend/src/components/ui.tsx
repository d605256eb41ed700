import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type ReactNode,
} from 'react'
import { exactTime, relativeTime } from '../lib/format'
import { CheckIcon, CopyIcon, XIcon } from './icons'

/** cx joins class names, skipping empty ones. */
export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(' ')
}

const groups = [/^px-/, /^py-/, /^text-(xs|sm|base|lg)$/, /^justify-/, /^size-/]

/** withOverrides drops the base classes that `extra` replaces (same padding, font size, justification or size). */
export function withOverrides(base: string, extra?: string): string {
  if (!extra) return base
  const over = extra.split(/\s+/).filter(Boolean)
  const kept = base.split(/\s+/).filter((c) => !groups.some((g) => g.test(c) && over.some((o) => g.test(o))))
  return [...kept, ...over].join(' ')
}

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'dangerGhost'

const variants: Record<Variant, string> = {
  primary: 'bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-300 shadow-sm',
  secondary: 'bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400 shadow-sm',
  danger: 'bg-red-600 text-white hover:bg-red-500 disabled:bg-red-300 shadow-sm',
  ghost: 'text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
  dangerGhost: 'text-red-700 hover:bg-red-50 disabled:text-red-300',
}

export const focusRing =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600'

export function Button({
  variant = 'secondary',
  busy = false,
  className,
  children,
  disabled,
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button
      type={type}
      className={withOverrides(
        cx('inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-2 text-sm font-medium transition-colors disabled:cursor-not-allowed', focusRing, variants[variant]),
        className,
      )}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <Spinner /> : null}
      {children}
    </button>
  )
}

/** IconButton is a square button whose label is for screen readers (and the tooltip). */
export function IconButton({
  label,
  children,
  className,
  tone = 'neutral',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { label: string; tone?: 'neutral' | 'danger' }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      className={withOverrides(
        cx(
          'inline-flex size-8 items-center justify-center rounded-md text-slate-500 disabled:cursor-not-allowed disabled:opacity-40',
          tone === 'danger' ? 'hover:bg-red-50 hover:text-red-700' : 'hover:bg-slate-100 hover:text-slate-800',
          focusRing,
        ),
        className,
      )}
      {...rest}
    >
      {children}
    </button>
  )
}

export function Spinner({ className = 'size-4', label }: { className?: string; label?: string }) {
  return (
    <svg className={cx('animate-spin', className)} viewBox="0 0 24 24" fill="none" role={label ? 'status' : undefined} aria-label={label} aria-hidden={label ? undefined : true}>
      <circle cx="12" cy="12" r="10" stroke="currentColor" strokeOpacity="0.25" strokeWidth="4" />
      <path d="M22 12a10 10 0 0 0-10-10" stroke="currentColor" strokeWidth="4" strokeLinecap="round" />
    </svg>
  )
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="flex items-center gap-2 p-6 text-sm text-slate-500" role="status">
      <Spinner /> {label}
    </div>
  )
}

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

export function Card({ children, className }: { children: ReactNode; className?: string }) {
  return <section className={cx('relative rounded-lg border border-slate-200 bg-white shadow-sm', className)}>{children}</section>
}

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

export const inputClass =
  'block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 focus:outline-none disabled:bg-slate-50 disabled:text-slate-500 aria-[invalid=true]:ring-red-500'

/**
 * Field labels a control and shows its hint and error right below it. The
 * render prop receives the id, aria-invalid and aria-describedby to spread.
 */
export function Field({
  label,
  hint,
  error,
  children,
  className,
}: {
  label: ReactNode
  hint?: ReactNode
  error?: string
  className?: string
  children: (p: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode
}) {
  const id = useId()
  const hintId = `${id}-hint`
  const errId = `${id}-error`
  const describedBy = [hint ? hintId : '', error ? errId : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="mt-1">{children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}</div>
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errId} className="mt-1 text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}

/** Switch is an on/off toggle (a checkbox with role switch). */
export function Switch({
  checked,
  onChange,
  label,
  disabled,
  description,
}: {
  checked: boolean
  onChange: (v: boolean) => void
  label: string
  disabled?: boolean
  description?: ReactNode
}) {
  const id = useId()
  return (
    <div className="flex items-start gap-3">
      <button
        id={id}
        type="button"
        role="switch"
        aria-checked={checked}
        aria-label={label}
        disabled={disabled}
        onClick={() => onChange(!checked)}
        className={cx(
          'relative mt-0.5 inline-flex h-6 w-11 shrink-0 cursor-pointer rounded-full border-2 border-transparent transition-colors disabled:cursor-not-allowed disabled:opacity-50',
          focusRing,
          checked ? 'bg-emerald-600' : 'bg-slate-300',
        )}
      >
        <span
          aria-hidden
          className={cx(
            'pointer-events-none inline-block size-5 rounded-full bg-white shadow ring-0 transition-transform',
            checked ? 'translate-x-5' : 'translate-x-0',
          )}
        />
      </button>
      <div className="text-sm">
        <label htmlFor={id} className="font-medium text-slate-800">
          {label}: {checked ? 'on' : 'off'}
        </label>
        {description ? <p className="text-slate-500">{description}</p> : null}
      </div>
    </div>
  )
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/**
 * Dialog is a modal: it takes focus, keeps Tab inside, closes on Escape
 * (unless busy) and gives focus back to what had it.
 */
export function Dialog({
  open,
  title,
  description,
  onClose,
  children,
  busy = false,
  size = 'md',
}: {
  open: boolean
  title: ReactNode
  description?: ReactNode
  onClose: () => void
  children: ReactNode
  busy?: boolean
  size?: 'md' | 'lg'
}) {
  const ref = useRef<HTMLDivElement>(null)
  const titleId = useId()
  const descId = useId()
  const closeRef = useRef(onClose)
  closeRef.current = onClose
  const busyRef = useRef(busy)
  busyRef.current = busy

  useEffect(() => {
    if (!open) return
    const before = document.activeElement as HTMLElement | null
    const node = ref.current
    const first = node?.querySelector<HTMLElement>('[data-autofocus]') ?? node?.querySelector<HTMLElement>(FOCUSABLE)
    first?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !busyRef.current) {
        e.stopPropagation()
        closeRef.current()
      }
      if (e.key === 'Tab' && node) {
        const items = Array.from(node.querySelectorAll<HTMLElement>(FOCUSABLE))
        if (items.length === 0) return
        const firstEl = items[0]
        const lastEl = items[items.length - 1]
        if (e.shiftKey && document.activeElement === firstEl) {
          e.preventDefault()
          lastEl.focus()
        } else if (!e.shiftKey && document.activeElement === lastEl) {
          e.preventDefault()
          firstEl.focus()
        }
      }
    }
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('keydown', onKey)
      before?.focus?.()
    }
  }, [open])

  if (!open) return null
  return (
    <div className="fixed inset-0 z-50 flex items-end justify-center p-0 sm:items-center sm:p-4">
      <div className="absolute inset-0 bg-slate-900/50" aria-hidden onClick={() => !busy && onClose()} />
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descId : undefined}
        className={cx(
          'relative max-h-[92vh] w-full overflow-y-auto rounded-t-xl bg-white p-5 shadow-xl sm:rounded-xl',
          size === 'lg' ? 'sm:max-w-2xl' : 'sm:max-w-md',
        )}
      >
        <div className="mb-4 flex items-start justify-between gap-4">
          <div>
            <h2 id={titleId} className="text-lg font-semibold text-slate-900">
              {title}
            </h2>
            {description ? (
              <p id={descId} className="mt-1 text-sm text-slate-600">
                {description}
              </p>
            ) : null}
          </div>
          <IconButton label="Close" onClick={onClose} disabled={busy}>
            <XIcon />
          </IconButton>
        </div>
        {children}
      </div>
    </div>
  )
}

/** ConfirmDialog asks before something that cannot be undone. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  error,
}: {
  open: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  onConfirm: () => void
  onCancel: () => void
  busy?: boolean
  error?: string
}) {
  return (
    <Dialog open={open} title={title} onClose={onCancel} busy={busy}>
      <div className="text-sm text-slate-700">{children}</div>
      {error ? (
        <div className="mt-3">
          <ErrorBox>{error}</ErrorBox>
        </div>
      ) : null}
      <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button onClick={onCancel} disabled={busy} data-autofocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={onConfirm} busy={busy}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  )
}

/** copyText writes to the clipboard, with a fallback for pages without the Clipboard API. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // fall back below
  }
  try {
    const ta = document.createElement('textarea')
    ta.value = text
    ta.setAttribute('readonly', '')
    ta.className = 'fixed -left-[9999px] top-0'
    document.body.appendChild(ta)
    ta.select()
    const ok = document.execCommand('copy')
    ta.remove()
    return ok
  } catch {
    return false
  }
}

/** CopyButton copies a value and says so for two seconds. */
export function CopyButton({ value, label = 'Copy', className }: { value: string; label?: string; className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  useEffect(() => () => clearTimeout(timer.current), [])
  const onClick = useCallback(async () => {
    const ok = await copyText(value)
    setState(ok ? 'copied' : 'failed')
    clearTimeout(timer.current)
    timer.current = setTimeout(() => setState('idle'), 2000)
  }, [value])
  const text = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label
  return (
    <IconButton label={text} onClick={onClick} className={cx('size-7', className)}>
      {state === 'copied' ? <CheckIcon className="size-4 text-emerald-600" /> : <CopyIcon className="size-4" />}
      <span className="sr-only" aria-live="polite">
        {state === 'idle' ? '' : text}
      </span>
    </IconButton>
  )
}

const listeners = new Set<() => void>()
let ticker: ReturnType<typeof setInterval> | undefined

/** useNow re-renders every 30 seconds so relative times stay true. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const fn = () => setNow(Date.now())
    listeners.add(fn)
    if (!ticker) ticker = setInterval(() => listeners.forEach((l) => l()), 30000)
    return () => {
      listeners.delete(fn)
      if (listeners.size === 0 && ticker) {
        clearInterval(ticker)
        ticker = undefined
      }
    }
  }, [])
  return now
}

/**
 * RelTime shows "3 minutes ago" (or "in 3 s") with the exact time on hover.
 * It measures against the newest clock: the shared tick, or the time of this
 * render if that is newer, so data that has just arrived is never "in 20
 * seconds". `past` marks an event that has happened (a server clock ahead of
 * the browser's makes it "just now"). A time due within the minute counts
 * down every second.
 */
export function RelTime({ iso, className, past = false }: { iso: string; className?: string; past?: boolean }) {
  const tick = useNow()
  const now = Math.max(tick, Date.now())
  const t = new Date(iso).getTime()
  const soon = !past && t > now && t - now < 60_000
  const [, setSecond] = useState(0)
  useEffect(() => {
    if (!soon) return
    const id = setInterval(() => setSecond((n) => n + 1), 1000)
    return () => clearInterval(id)
  }, [soon])
  const exact = exactTime(iso)
  return (
    <time dateTime={iso} title={exact} className={cx('whitespace-nowrap', className)}>
      {relativeTime(iso, now, { past })}
    </time>
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

/** Code shows an ID or secret in monospace with a copy button. */
export function CopyValue({ value, label, className }: { value: string; label: string; className?: string }) {
  return (
    <span className={cx('inline-flex max-w-full items-center gap-1', className)}>
      <code className="truncate rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{value}</code>
      <CopyButton value={value} label={label} />
    </span>
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
