import { useState, type FormEvent } from 'react'
import { useMutation } from 'urql'
import { FolderPicker } from '../components/FolderPicker'
import { PlusIcon, TrashIcon } from '../components/icons'
import { Button, IconButton, Spinner } from '../components/buttons'
import { ErrorBox, Notice } from '../components/feedback'
import { Field, Switch } from '../components/forms'
import { cx, inputClass } from '../components/classes'
import type { UpdateWebhookInput, WebhookHeaderInput } from '../gql/graphql'
import { graphql } from '../gql'
import { splitErrors } from '../lib/errors'
import { checkURL } from './AddWebhookDialog'
import { useNow } from '../lib/clock'
import { WebhookPreview, contentTypeList, sizeOf } from './WebhookPreview'
import { AuthenticationFields, authAliases, authChanges, authErrors, initialAuth, isAuthField, placeScopeErrors, type AuthState, type StoredAuth } from './webhookAuth'

export const UpdateWebhookMutation = graphql(`
  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) {
      id
      name
      url
      active
      activity
      inactiveReason
      allFolders
      filter
      contentTypes
      nameGlob
      minSizeBytes
      maxSizeBytes
      validationStatus
      lastValidatedAt
      lastValidationError
      disabledReason
      disabledAt
      updatedAt
      headers {
        id
        name
        value
      }
      folders {
        id
        name
      }
      maxRequestsPerSecond
      maxConcurrent
      timeoutSeconds
      retryDelays
      ordered
      oauth2 {
        tokenURL
        clientID
        clientSecret
        scopes
        audience
      }
      clientCertificate {
        subject
        issuer
        notBefore
        notAfter
        fingerprint
      }
      caCertificates {
        subject
        issuer
        notBefore
        notAfter
        fingerprint
      }
    }
  }
`)

/** The webhook as the form needs it (a subset of WebhookDetail's node). */
export interface EditableWebhook extends StoredAuth {
  id: string
  name: string
  url: string
  active: boolean
  allFolders: boolean
  filter?: string | null
  contentTypes?: string[] | null
  nameGlob?: string | null
  minSizeBytes?: number | null
  maxSizeBytes?: number | null
  headers: { id: string; name: string; value: string }[]
  folders?: { id: string; name: string }[] | null
  maxRequestsPerSecond?: number | null
  maxConcurrent?: number | null
  timeoutSeconds?: number | null
  retryDelays?: string[] | null
  ordered?: boolean | null
}

/** HeaderRow is a header being edited; a stored one keeps its value unless changed. */
interface HeaderRow {
  key: string
  name: string
  value: string
  /** The masked value the server showed; set for stored headers. */
  masked?: string
  /** The stored name: a stored value is only kept under the same name. */
  storedName?: string
  /** True once the user chose to type a new value for a stored header. */
  replacing: boolean
}

interface FormState {
  name: string
  url: string
  allFolders: boolean
  folderIDs: string[]
  filter: string
  /** Media filters as typed: content type patterns (commas or spaces between), the name pattern, sizes in bytes. */
  contentTypes: string
  nameGlob: string
  minSize: string
  maxSize: string
  active: boolean
  headers: HeaderRow[]
  headersDirty: boolean
  /** Delivery settings as typed; empty: unset (no limit, or the service's default). */
  maxRequestsPerSecond: string
  maxConcurrent: string
  timeoutSeconds: string
  retryDelays: string
  /** Deliver one call at a time, in file order. */
  ordered: boolean
  /** OAuth2, client certificate and CA certificates. */
  auth: AuthState
}

let rowSeq = 0
const newKey = () => `h${++rowSeq}`

function initial(w: EditableWebhook): FormState {
  return {
    name: w.name,
    url: w.url,
    allFolders: w.allFolders,
    folderIDs: (w.folders ?? []).map((f) => f.id),
    filter: w.filter ?? '',
    contentTypes: (w.contentTypes ?? []).join(', '),
    nameGlob: w.nameGlob ?? '',
    minSize: w.minSizeBytes?.toString() ?? '',
    maxSize: w.maxSizeBytes?.toString() ?? '',
    active: w.active,
    headers: w.headers.map((h) => ({ key: newKey(), name: h.name, value: '', masked: h.value, storedName: h.name, replacing: false })),
    headersDirty: false,
    maxRequestsPerSecond: w.maxRequestsPerSecond?.toString() ?? '',
    maxConcurrent: w.maxConcurrent?.toString() ?? '',
    timeoutSeconds: w.timeoutSeconds?.toString() ?? '',
    retryDelays: w.retryDelays ? (w.retryDelays.length > 0 ? w.retryDelays.join(', ') : 'none') : '',
    ordered: w.ordered ?? false,
    auth: initialAuth(w),
  }
}

/** delayList splits "1m, 10m 20m" into its delays. */
export function delayList(s: string): string[] {
  return s.split(/[\s,]+/).filter(Boolean)
}

/** numberChange is the update of an optional whole-number setting: a value, a clear flag, or nothing. */
function numberChange(typed: string, stored: number | null | undefined): { set?: number; clear?: true } {
  const t = typed.trim()
  if (t === '') return stored == null ? {} : { clear: true }
  const n = Number(t)
  return n === stored ? {} : { set: n }
}

/** originOf is scheme://host:port of a URL (default ports spelled out), or null when it does not parse. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url.trim())
    const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '')
    return `${u.protocol}//${u.hostname.toLowerCase()}:${port}`
  } catch {
    return null
  }
}

/**
 * hostMoved reports whether the URL now points to another scheme, host or
 * port: the server never sends stored header values (credentials for the old
 * host) there, so they must be typed again or the headers removed.
 */
export function hostMoved(before: string, after: string): boolean {
  const a = originOf(before)
  const b = originOf(after)
  return a !== null && b !== null && a !== b
}

/** keepsStored reports whether a row keeps its stored value (sent as null). */
function keepsStored(r: HeaderRow, moved: boolean): boolean {
  return !moved && r.masked !== undefined && !r.replacing && r.name.trim().toLowerCase() === r.storedName?.toLowerCase()
}

/** headerInputs is the header set to send: unchanged stored values go as null (the server keeps them), unless the host moved. */
export function headerInputs(rows: HeaderRow[], moved = false): WebhookHeaderInput[] {
  return rows.map((r) => ({ name: r.name.trim(), value: keepsStored(r, moved) ? null : r.value }))
}

/** changes is the update input: only what differs from the stored webhook. */
function changes(w: EditableWebhook, s: FormState): UpdateWebhookInput {
  const input: UpdateWebhookInput = {}
  if (s.name.trim() !== w.name) input.name = s.name.trim()
  if (s.url.trim() !== w.url) input.url = s.url.trim()
  if (s.filter !== (w.filter ?? '')) {
    if (s.filter === '') input.clearFilter = true
    else input.filter = s.filter
  }
  const types = contentTypeList(s.contentTypes)
  if (types.join(',') !== (w.contentTypes ?? []).join(',')) {
    if (types.length === 0) input.clearContentTypes = true
    else input.contentTypes = types
  }
  if (s.nameGlob.trim() !== (w.nameGlob ?? '')) {
    if (s.nameGlob.trim() === '') input.clearNameGlob = true
    else input.nameGlob = s.nameGlob.trim()
  }
  const lo = numberChange(s.minSize, w.minSizeBytes)
  if (lo.set !== undefined) input.minSizeBytes = lo.set
  if (lo.clear) input.clearMinSizeBytes = true
  const hi = numberChange(s.maxSize, w.maxSizeBytes)
  if (hi.set !== undefined) input.maxSizeBytes = hi.set
  if (hi.clear) input.clearMaxSizeBytes = true
  if (s.allFolders !== w.allFolders) input.allFolders = s.allFolders
  const before = new Set((w.folders ?? []).map((f) => f.id))
  const after = new Set(s.folderIDs)
  const add = s.folderIDs.filter((id) => !before.has(id))
  const remove = [...before].filter((id) => !after.has(id))
  if (add.length > 0) input.addFolderIDs = add
  if (remove.length > 0) input.removeFolderIDs = remove
  if (s.active !== w.active) input.active = s.active
  const moved = hostMoved(w.url, s.url) && w.headers.length > 0
  if (s.headersDirty || moved) input.headers = headerInputs(s.headers, moved)
  const rate = numberChange(s.maxRequestsPerSecond, w.maxRequestsPerSecond)
  if (rate.set !== undefined) input.maxRequestsPerSecond = rate.set
  if (rate.clear) input.clearMaxRequestsPerSecond = true
  const conc = numberChange(s.maxConcurrent, w.maxConcurrent)
  if (conc.set !== undefined) input.maxConcurrent = conc.set
  if (conc.clear) input.clearMaxConcurrent = true
  const timeout = numberChange(s.timeoutSeconds, w.timeoutSeconds)
  if (timeout.set !== undefined) input.timeoutSeconds = timeout.set
  if (timeout.clear) input.clearTimeoutSeconds = true
  const delays = delayList(s.retryDelays)
  const storedDelays = w.retryDelays ?? null
  if (s.retryDelays.trim() === '') {
    if (storedDelays !== null) input.clearRetryDelays = true
  } else if (s.retryDelays.trim().toLowerCase() === 'none') {
    if (storedDelays === null || storedDelays.length > 0) input.retryDelays = []
  } else if (storedDelays === null || delays.join(',') !== storedDelays.join(',')) {
    input.retryDelays = delays
  }
  if (s.ordered !== (w.ordered ?? false)) input.ordered = s.ordered
  authChanges(w, s.auth, input)
  return input
}

/** wholeNumberError checks an optional whole number between lo and hi. */
function wholeNumberError(typed: string, lo: number, hi: number, what: string): string | undefined {
  const t = typed.trim()
  if (t === '') return undefined
  const n = Number(t)
  if (!Number.isInteger(n) || n < lo || n > hi) return `${what} must be a whole number from ${lo} to ${hi}, or empty.`
  return undefined
}

/** headerField is the error key of a header's name or value, as the server reports it ("headers.2.name"). */
const headerField = (i: number, part: 'name' | 'value') => `headers.${i}.${part}`

function localErrors(w: EditableWebhook, s: FormState, moved: boolean): Record<string, string> {
  const e: Record<string, string> = authErrors(w, s.auth, checkURL)
  if (!s.name.trim()) e.name = 'Give the webhook a name.'
  const u = checkURL(s.url)
  if (u) e.url = u
  const names = new Set<string>()
  s.headers.forEach((h, i) => {
    const n = h.name.trim().toLowerCase()
    if (!n) {
      e[headerField(i, 'name')] = 'Every header needs a name.'
      return
    }
    if (names.has(n)) e[headerField(i, 'name')] = `Header “${h.name.trim()}” is given twice.`
    names.add(n)
    const needsValue = !keepsStored(h, moved)
    if (needsValue && h.value === '')
      e[headerField(i, 'value')] =
        moved && h.masked !== undefined && !h.replacing
          ? `The URL points to another host: give the value of “${h.name.trim()}” again, or remove the header.`
          : `Header “${h.name.trim()}” needs a value.`
  })
  const rate = wholeNumberError(s.maxRequestsPerSecond, 1, 10000, 'Requests per second')
  if (rate) e.maxRequestsPerSecond = rate
  const conc = wholeNumberError(s.maxConcurrent, 1, 1000, 'Requests at once')
  if (conc) e.maxConcurrent = conc
  const timeout = wholeNumberError(s.timeoutSeconds, 1, 30, 'The timeout')
  if (timeout) e.timeoutSeconds = timeout
  const lo = wholeNumberError(s.minSize, 0, Number.MAX_SAFE_INTEGER, 'The least size')
  if (lo) e.minSizeBytes = lo
  const hi = wholeNumberError(s.maxSize, 0, Number.MAX_SAFE_INTEGER, 'The greatest size')
  if (hi) e.maxSizeBytes = hi
  if (!lo && !hi && sizeOf(s.minSize) !== undefined && sizeOf(s.maxSize) !== undefined && sizeOf(s.minSize)! > sizeOf(s.maxSize)!)
    e.minSizeBytes = 'The least size must not be above the greatest.'
  return e
}

const aliases = {
  addFolderIDs: 'folders',
  removeFolderIDs: 'folders',
  folderIDs: 'folders',
  clearFolders: 'folders',
  allFolders: 'folders',
  clearFilter: 'filter',
  clearContentTypes: 'contentTypes',
  clearNameGlob: 'nameGlob',
  clearMinSizeBytes: 'minSizeBytes',
  clearMaxSizeBytes: 'maxSizeBytes',
  clearMaxRequestsPerSecond: 'maxRequestsPerSecond',
  clearMaxConcurrent: 'maxConcurrent',
  clearTimeoutSeconds: 'timeoutSeconds',
  clearRetryDelays: 'retryDelays',
  ...authAliases,
}

/** deliveryFields are the delivery settings' error keys; "retryDelays.2" shows at retryDelays. */
const deliveryFields = ['maxRequestsPerSecond', 'maxConcurrent', 'timeoutSeconds', 'retryDelays', 'ordered']

/** placeDelayErrors moves the errors of single delays ("retryDelays.2") to the schedule's field, naming the delay. */
function placeDelayErrors(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, m] of Object.entries(fields)) {
    const d = /^retryDelays\.(\d+)$/.exec(k)
    if (d) out.retryDelays = out.retryDelays ? `${out.retryDelays} ${m}` : `Delay ${Number(d[1]) + 1}: ${m}`
    else if (/^contentTypes\.\d+$/.test(k)) out.contentTypes = out.contentTypes ? `${out.contentTypes} ${m}` : m
    else out[k] = m
  }
  return out
}

/**
 * WebhookForm edits a webhook: name, URL, folders or all folders, filter,
 * extra headers (stored values stay masked and are kept unless replaced, or
 * unless the URL moves to another host: then they must be typed again)
 * and whether it is active. Errors appear next to their fields.
 */
export function WebhookForm({
  webhook,
  readOnly,
  partner,
  onSaved,
}: {
  webhook: EditableWebhook
  readOnly?: boolean
  /** partner shows only the delivery settings: the name, folders, filter and active switch are the platform's. */
  partner?: boolean
  onSaved?: () => void
}) {
  const [base, setBase] = useState(webhook)
  const folderNames = base.folders ?? []
  const [s, setS] = useState<FormState>(() => initial(webhook))
  const [local, setLocal] = useState<Record<string, string>>({})
  const [saved, setSaved] = useState(false)
  const now = useNow()
  const [res, update] = useMutation(UpdateWebhookMutation)
  const split = splitErrors(res.error, aliases)
  const server = { ...split, fields: placeScopeErrors(placeDelayErrors(split.fields)) }
  const errors = { ...server.fields, ...local }
  // A field error the form has no place for still shows, in the error box.
  const shown = (k: string) => ['name', 'url', 'folders', 'filter', 'contentTypes', 'nameGlob', 'minSizeBytes', 'maxSizeBytes', 'headers', 'active', ...deliveryFields].includes(k) || /^headers\.\d+\.(name|value)$/.test(k) || isAuthField(k)
  const unplaced = Object.entries(server.fields)
    .filter(([k]) => !shown(k))
    .map(([k, m]) => `${k}: ${m}`)
  const other = [...server.other, ...unplaced]
  const input = changes(base, s)
  const moved = hostMoved(base.url, s.url) && base.headers.length > 0
  const dirty = Object.keys(input).length > 0
  const disabled = readOnly || res.fetching

  function set<K extends keyof FormState>(k: K, v: FormState[K]) {
    setS((prev) => ({ ...prev, [k]: v }))
    setSaved(false)
  }
  function setAuth(patch: Partial<AuthState>) {
    setS((prev) => ({ ...prev, auth: { ...prev.auth, ...patch } }))
    setSaved(false)
  }
  function setHeaders(fn: (rows: HeaderRow[]) => HeaderRow[]) {
    setS((prev) => ({ ...prev, headers: fn(prev.headers), headersDirty: true }))
    setSaved(false)
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    const l = localErrors(base, s, moved)
    setLocal(l)
    if (Object.keys(l).length > 0 || !dirty) return
    const r = await update({ id: base.id, input })
    const w = r.data?.updateWebhook
    if (w) {
      const next: EditableWebhook = { ...base, ...w, headers: w.headers, folders: w.folders }
      setBase(next)
      setS(initial(next))
      setSaved(true)
      onSaved?.()
    }
  }

  const noFolders = !s.allFolders && s.folderIDs.length === 0
  const previewFilters = { allFolders: s.allFolders, folderIDs: s.folderIDs, filter: s.filter, contentTypes: s.contentTypes, nameGlob: s.nameGlob, minSize: s.minSize, maxSize: s.maxSize }
  const retests =
    input.url !== undefined ||
    input.headers !== undefined ||
    input.oauth2 != null ||
    input.clearOAuth2 != null ||
    input.clientCertificate != null ||
    input.clearClientCertificate != null ||
    input.caCertificate != null ||
    input.clearCACertificate != null

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-6" aria-label={partner ? 'Delivery settings' : 'Edit webhook'}>
      <div className={cx('grid gap-4', !partner && 'sm:grid-cols-2')}>
        {!partner ? (
          <Field label="Name" error={errors.name}>
            {(p) => <input {...p} className={inputClass} value={s.name} onChange={(e) => set('name', e.target.value)} disabled={disabled} maxLength={200} />}
          </Field>
        ) : null}
        <Field label="URL" error={errors.url} hint="A changed URL is tested again on save.">
          {(p) => <input {...p} type="url" className={inputClass + ' font-mono'} value={s.url} onChange={(e) => set('url', e.target.value)} disabled={disabled} />}
        </Field>
      </div>

      {!partner ? (
        <>
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">Folders</legend>
            <p className="text-xs text-slate-500">For each new file in these folders the webhook is called.</p>
            <div className="mt-2 flex flex-wrap gap-4 text-sm">
              <label className="inline-flex items-center gap-2">
                <input type="radio" name="scope" className="size-4 accent-indigo-600" checked={!s.allFolders} onChange={() => set('allFolders', false)} disabled={disabled} />
                Selected folders
              </label>
              <label className="inline-flex items-center gap-2">
                <input type="radio" name="scope" className="size-4 accent-indigo-600" checked={s.allFolders} onChange={() => set('allFolders', true)} disabled={disabled} />
                All folders (platform-wide)
              </label>
            </div>
            {!s.allFolders ? (
              <Field label="Choose folders" error={errors.folders} className="mt-3">
                {(p) => <FolderPicker inputProps={p} known={folderNames} selected={s.folderIDs} onChange={(ids) => set('folderIDs', ids)} disabled={disabled} readOnly={readOnly} />}
              </Field>
            ) : errors.folders ? (
              <p className="mt-2 text-sm text-red-700" role="alert">
                {errors.folders}
              </p>
            ) : null}
          </fieldset>

          <Field
            label="Filename filter"
            error={errors.filter}
            hint="Optional. The webhook is only called if the file name contains this text (not case-sensitive). Empty: every file."
          >
            {(p) => <input {...p} className={inputClass + ' sm:max-w-sm'} value={s.filter} onChange={(e) => set('filter', e.target.value)} placeholder="e.g. .mov" disabled={disabled} />}
          </Field>

          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Content types" error={errors.contentTypes} hint="Optional. Only files of these types, e.g. video/*, image/png (commas between). Empty: every type.">
              {(p) => <input {...p} className={inputClass} value={s.contentTypes} onChange={(e) => set('contentTypes', e.target.value)} placeholder="e.g. video/*, image/png" disabled={disabled} />}
            </Field>
            <Field label="Name pattern" error={errors.nameGlob} hint="Optional. The whole name, not case-sensitive: * any text, ? one character, [abc] one of these.">
              {(p) => <input {...p} className={inputClass + ' font-mono'} value={s.nameGlob} onChange={(e) => set('nameGlob', e.target.value)} placeholder="e.g. clip_??.mp4" disabled={disabled} />}
            </Field>
            <Field label="Least size (bytes)" error={errors.minSizeBytes} hint="Optional. Files smaller than this are skipped.">
              {(p) => <input {...p} inputMode="numeric" className={inputClass} value={s.minSize} onChange={(e) => set('minSize', e.target.value)} disabled={disabled} />}
            </Field>
            <Field label="Greatest size (bytes)" error={errors.maxSizeBytes} hint="Optional. Files larger than this are skipped.">
              {(p) => <input {...p} inputMode="numeric" className={inputClass} value={s.maxSize} onChange={(e) => set('maxSize', e.target.value)} disabled={disabled} />}
            </Field>
          </div>

          <WebhookPreview filters={previewFilters} />
        </>
      ) : null}

      <fieldset aria-describedby="headers-help">
        <legend className="text-sm font-medium text-slate-800">Extra headers</legend>
        <p id="headers-help" className="text-xs text-slate-500">
          Headers your provider may need, e.g. credentials for its endpoint. Saved values are masked; leave them as they are to keep them.
        </p>
        {moved && s.headers.some((h) => h.masked !== undefined) ? (
          <p className="mt-2 text-sm text-amber-700" role="status">
            The URL points to another host: type the header values again (or remove the headers). Saved values are never sent to another host.
          </p>
        ) : null}
        <div className="mt-2 flex flex-col gap-2">
          {s.headers.map((h, i) => {
            const stored = h.masked !== undefined && !h.replacing && !moved
            const nameErr = errors[headerField(i, 'name')]
            const valueErr = errors[headerField(i, 'value')]
            const nameErrId = `${h.key}-name-error`
            const valueErrId = `${h.key}-value-error`
            const invalidName = nameErr || errors.headers ? true : undefined
            return (
              <div key={h.key} className="rounded-md bg-slate-50 p-2 sm:bg-transparent sm:p-0" data-header-row>
                <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
                  <input
                    aria-label={`Header ${i + 1} name`}
                    className={cx(inputClass, 'font-mono sm:w-56')}
                    value={h.name}
                    placeholder="Header name, e.g. Authorization"
                    onChange={(e) => setHeaders((rows) => rows.map((r) => (r.key === h.key ? { ...r, name: e.target.value } : r)))}
                    disabled={disabled}
                    aria-invalid={invalidName}
                    aria-describedby={nameErr ? nameErrId : undefined}
                  />
                  {stored ? (
                    <div className="flex flex-1 items-center gap-2">
                      <input
                        aria-label={`Header ${i + 1} value (saved, masked)`}
                        className={cx(inputClass, 'flex-1 font-mono text-slate-500')}
                        value={h.masked}
                        readOnly
                        disabled={disabled}
                        aria-invalid={valueErr ? true : undefined}
                        aria-describedby={valueErr ? valueErrId : undefined}
                      />
                      <Button onClick={() => setHeaders((rows) => rows.map((r) => (r.key === h.key ? { ...r, replacing: true, value: '' } : r)))} disabled={disabled}>
                        Change
                      </Button>
                    </div>
                  ) : (
                    <input
                      aria-label={`Header ${i + 1} value`}
                      className={cx(inputClass, 'flex-1 font-mono')}
                      value={h.value}
                      placeholder={h.masked !== undefined ? (moved ? 'Value for the new host' : 'New value') : 'Value'}
                      onChange={(e) => setHeaders((rows) => rows.map((r) => (r.key === h.key ? { ...r, value: e.target.value, replacing: r.masked !== undefined } : r)))}
                      disabled={disabled}
                      autoComplete="off"
                      spellCheck={false}
                      aria-invalid={valueErr ? true : undefined}
                      aria-describedby={valueErr ? valueErrId : undefined}
                    />
                  )}
                  <IconButton label={`Remove header ${h.name || i + 1}`} onClick={() => setHeaders((rows) => rows.filter((r) => r.key !== h.key))} disabled={disabled} tone="danger" className="self-end sm:self-auto">
                    <TrashIcon />
                  </IconButton>
                </div>
                {nameErr ? (
                  <p id={nameErrId} className="mt-1 text-sm text-red-700" role="alert">
                    {nameErr}
                  </p>
                ) : null}
                {valueErr ? (
                  <p id={valueErrId} className="mt-1 text-sm text-red-700" role="alert">
                    {valueErr}
                  </p>
                ) : null}
              </div>
            )
          })}
          {errors.headers ? (
            <p className="text-sm text-red-700" role="alert">
              {errors.headers}
            </p>
          ) : null}
          {!readOnly ? (
            <div>
              <Button onClick={() => setHeaders((rows) => [...rows, { key: newKey(), name: '', value: '', replacing: false }])} disabled={disabled}>
                <PlusIcon /> Add header
              </Button>
            </div>
          ) : null}
        </div>
      </fieldset>

      <fieldset aria-describedby="delivery-help">
        <legend className="text-sm font-medium text-slate-800">Delivery</legend>
        <p id="delivery-help" className="text-xs text-slate-500">
          Protect the receiver: calls beyond a limit wait (shown as waiting, with the reason, in the log); they do not fail. Empty: no limit, or the
          service's default.
        </p>
        <div className="mt-2 grid gap-4 sm:grid-cols-2">
          <Field label="Max requests per second" error={errors.maxRequestsPerSecond} hint="1 to 10,000, across all workers.">
            {(p) => (
              <input {...p} inputMode="numeric" className={inputClass + ' sm:max-w-40'} value={s.maxRequestsPerSecond} onChange={(e) => set('maxRequestsPerSecond', e.target.value)} placeholder="No limit" disabled={disabled} />
            )}
          </Field>
          <Field label="Max requests at once" error={errors.maxConcurrent} hint="1 to 1,000 in flight.">
            {(p) => <input {...p} inputMode="numeric" className={inputClass + ' sm:max-w-40'} value={s.maxConcurrent} onChange={(e) => set('maxConcurrent', e.target.value)} placeholder="No limit" disabled={disabled} />}
          </Field>
          <Field label="Timeout (seconds)" error={errors.timeoutSeconds} hint="1 to 30 seconds per request.">
            {(p) => <input {...p} inputMode="numeric" className={inputClass + ' sm:max-w-40'} value={s.timeoutSeconds} onChange={(e) => set('timeoutSeconds', e.target.value)} placeholder="Default" disabled={disabled} />}
          </Field>
          <Field label="Retry delays" error={errors.retryDelays} hint="Waits before each retry, e.g. 1m, 10m, 1h (at most 10, 7 days in all); “none”: no retry. New calls only.">
            {(p) => <input {...p} className={inputClass + ' font-mono'} value={s.retryDelays} onChange={(e) => set('retryDelays', e.target.value)} placeholder="Default schedule" disabled={disabled} />}
          </Field>
        </div>
        <div className="mt-4">
          <Switch
            label="Ordered delivery"
            checked={s.ordered}
            onChange={(v) => set('ordered', v)}
            disabled={disabled}
            description="One call at a time, in the order the files arrived: a call waits while an earlier one is pending, running or retrying. New calls only."
          />
          {errors.ordered ? (
            <p className="mt-2 text-sm text-red-700" role="alert">
              {errors.ordered}
            </p>
          ) : null}
        </div>
      </fieldset>

      <AuthenticationFields stored={base} state={s.auth} set={setAuth} errors={errors} disabled={disabled} readOnly={readOnly} now={now} />

      {!partner ? (
        <div>
          <Switch
            label="Active"
            checked={s.active}
            onChange={(v) => set('active', v)}
            disabled={disabled}
            description={s.active ? 'New files fire this webhook.' : 'The webhook is not called until it is switched active.'}
          />
          {s.active && noFolders ? <p className="mt-2 text-sm text-amber-700">No folders are chosen: choose folders or “All folders”, or the webhook never fires.</p> : null}
          {errors.active ? (
            <p className="mt-2 text-sm text-red-700" role="alert">
              {errors.active}
            </p>
          ) : null}
        </div>
      ) : null}

      {other.length > 0 ? <ErrorBox title="The changes were not saved">{other.join(' ')}</ErrorBox> : null}
      {saved && !dirty ? <Notice tone="success">Saved.</Notice> : null}

      {!readOnly ? (
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
          <Button type="submit" variant="primary" busy={res.fetching} disabled={!dirty}>
            Save changes
          </Button>
          <Button
            onClick={() => {
              setS(initial(base))
              setLocal({})
              setSaved(false)
            }}
            disabled={!dirty || res.fetching}
          >
            Discard
          </Button>
          {res.fetching && retests ? (
            <span className="flex items-center gap-2 text-sm text-slate-600" role="status">
              <Spinner /> Testing the URL… this can take a few seconds.
            </span>
          ) : dirty ? (
            <span className="text-sm text-slate-500">Unsaved changes</span>
          ) : null}
        </div>
      ) : null}
    </form>
  )
}
