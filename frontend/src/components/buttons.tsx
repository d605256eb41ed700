import { useCallback, useEffect, useRef, useState, type ButtonHTMLAttributes } from 'react'
import { copyText } from '../lib/clipboard'
import { cx, focusRing, withOverrides } from './classes'
import { CheckIcon, CopyIcon } from './icons'

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'dangerGhost'

const variants: Record<Variant, string> = {
  primary: 'bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-300 shadow-sm',
  secondary: 'bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400 shadow-sm',
  danger: 'bg-red-600 text-white hover:bg-red-500 disabled:bg-red-300 shadow-sm',
  ghost: 'text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
  dangerGhost: 'text-red-700 hover:bg-red-50 disabled:text-red-300',
}

/** Button is the console's button: a variant, and a spinner while busy. */
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

/** Spinner turns while something loads; with a label it is a status for screen readers. */
export function Spinner({ className = 'size-4', label }: { className?: string; label?: string }) {
  return (
    <svg className={cx('animate-spin', className)} viewBox="0 0 24 24" fill="none" role={label ? 'status' : undefined} aria-label={label} aria-hidden={label ? undefined : true}>
      <circle cx="12" cy="12" r="10" stroke="currentColor" strokeOpacity="0.25" strokeWidth="4" />
      <path d="M22 12a10 10 0 0 0-10-10" stroke="currentColor" strokeWidth="4" strokeLinecap="round" />
    </svg>
  )
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

/** CopyValue shows an ID or secret in monospace with a copy button. */
export function CopyValue({ value, label, className }: { value: string; label: string; className?: string }) {
  return (
    <span className={cx('inline-flex max-w-full items-center gap-1', className)}>
      <code className="truncate rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{value}</code>
      <CopyButton value={value} label={label} />
    </span>
  )
}

