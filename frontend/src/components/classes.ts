// Class-name helpers and the shared style strings of the console's widgets.

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

/** focusRing is the keyboard focus outline of buttons and links. */
export const focusRing =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600'

/** inputClass styles text inputs and selects (red ring when aria-invalid). */
export const inputClass =
  'block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 focus:outline-none disabled:bg-slate-50 disabled:text-slate-500 aria-[invalid=true]:ring-red-500'
