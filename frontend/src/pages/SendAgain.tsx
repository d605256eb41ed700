import { useCallback, useState, type FormEvent, type KeyboardEvent } from 'react'
import { Link } from 'react-router'
import { useMutation, useQuery } from 'urql'
import { Button } from '../components/buttons'
import { Dialog } from '../components/dialogs'
import { ErrorBox, Notice } from '../components/feedback'
import { Field } from '../components/forms'
import { inputClass } from '../components/classes'
import { StatusBadge } from '../components/status'
import { Card } from '../components/page'
import { graphql } from '../gql'
import type { WebhookCallStatus } from '../gql/graphql'
import { errorText } from '../lib/errors'
import { useWebhookEvents } from '../lib/useWebhookEvents'
import { useDebounced } from '../lib/paging'
import { SearchBox } from '../components/Pager'

export const RecoverableCallCountQuery = graphql(`
  query RecoverableCallCount($webhookID: ID!, $since: Time!, $until: Time!, $statuses: [WebhookCallStatus!]) {
    recoverableCallCount(webhookID: $webhookID, since: $since, until: $until, statuses: $statuses)
  }
`)

export const RecoverWebhookCallsMutation = graphql(`
  mutation RecoverWebhookCalls($webhookID: ID!, $since: Time!, $until: Time!, $statuses: [WebhookCallStatus!]) {
    recoverWebhookCalls(webhookID: $webhookID, since: $since, until: $until, statuses: $statuses)
  }
`)

export const TestFileOptionsQuery = graphql(`
  query TestFileOptions($where: FileWhereInput, $first: Int = 20) {
    files(first: $first, orderBy: { field: CREATED_AT, direction: DESC }, where: $where) {
      edges {
        node {
          id
          name
          createdAt
          folder {
            id
            name
          }
        }
      }
    }
  }
`)

export const SendTestFileMutation = graphql(`
  mutation SendTestFile($webhookID: ID!, $fileID: ID!) {
    sendTestFile(webhookID: $webhookID, fileID: $fileID) {
      id
      status
      test
    }
  }
`)

export const TestCallQuery = graphql(`
  query TestCall($id: ID!) {
    node(id: $id) {
      id
      ... on WebhookCall {
        status
        error
        responseStatus
      }
    }
  }
`)

export const SendAgainOptionsQuery = graphql(`
  query SendAgainOptions($fileID: ID!, $where: WebhookWhereInput) {
    webhooks(first: 100, orderBy: { field: NAME, direction: ASC }, where: $where) {
      totalCount
      edges {
        node {
          id
          name
          active
        }
      }
    }
    webhookCalls(first: 100, where: { hasFileWith: [{ id: $fileID }], kind: DELIVERY, test: false }) {
      edges {
        node {
          id
          status
          webhook {
            id
            name
            active
          }
        }
      }
    }
  }
`)

export const RedeliverFileMutation = graphql(`
  mutation RedeliverFile($fileID: ID!, $webhookIDs: [ID!]) {
    redeliverFile(fileID: $fileID, webhookIDs: $webhookIDs) {
      id
      status
    }
  }
`)

/** localInput is a time as a datetime-local input shows it (minutes, local time). */
export function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`
}

function toISO(local: string): string | null {
  const d = new Date(local)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/** noSubmit keeps Enter in a dialog's search box from submitting the dialog's form (sending). */
const noSubmit = (e: KeyboardEvent) => {
  if (e.key === 'Enter') e.preventDefault()
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`

/**
 * RecoverCallsDialog sends a webhook's failed (or canceled) calls of a time
 * range again: a live preview of how many, then the count queued.
 */
export function RecoverCallsDialog({ webhookID, open, onClose, now = () => new Date() }: { webhookID: string; open: boolean; onClose: () => void; now?: () => Date }) {
  const [since, setSince] = useState(() => localInput(new Date(now().getTime() - 24 * 3600 * 1000)))
  const [until, setUntil] = useState(() => localInput(new Date(now().getTime() + 60 * 1000)))
  const [canceled, setCanceled] = useState(false)
  const [queued, setQueued] = useState<number | null>(null)
  const statuses: WebhookCallStatus[] = canceled ? ['FAILED', 'CANCELED'] : ['FAILED']
  const sinceISO = toISO(since)
  const untilISO = toISO(until)
  const rangeError = !sinceISO || !untilISO ? 'Give both times.' : sinceISO >= untilISO ? '“Until” must be after “since”.' : undefined
  const vars = { webhookID, since: sinceISO ?? '', until: untilISO ?? '', statuses }
  const [preview] = useQuery({ query: RecoverableCallCountQuery, variables: vars, pause: !open || !!rangeError || queued !== null, requestPolicy: 'network-only' })
  const [res, recover] = useMutation(RecoverWebhookCallsMutation)
  const count = preview.data?.recoverableCallCount
  const close = () => {
    setQueued(null)
    onClose()
  }
  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (rangeError) return
    const r = await recover(vars)
    if (r.data) setQueued(r.data.recoverWebhookCalls)
  }
  return (
    <Dialog open={open} title="Recover failed calls" description="Sends the webhook’s failed calls of a time range again, as new attempts of the same calls (same webhook-id), with a fresh retry schedule." onClose={close} busy={res.fetching}>
      {queued !== null ? (
        <>
          <Notice tone="success">
            {plural(queued, 'call was', 'calls were')} queued.{' '}
            <Link to={`/calls?webhook=${encodeURIComponent(webhookID)}`} className="font-medium underline">
              Watch them in the call log
            </Link>
          </Notice>
          <div className="mt-5 flex justify-end">
            <Button onClick={close} data-autofocus>
              Close
            </Button>
          </div>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            <Field label="Since">{(p) => <input {...p} type="datetime-local" className={inputClass} value={since} onChange={(e) => setSince(e.target.value)} />}</Field>
            <Field label="Until" error={rangeError}>
              {(p) => <input {...p} type="datetime-local" className={inputClass} value={until} onChange={(e) => setUntil(e.target.value)} />}
            </Field>
          </div>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={canceled} onChange={(e) => setCanceled(e.target.checked)} /> Canceled calls too
          </label>
          <p className="text-sm text-slate-700" role="status" aria-live="polite" data-testid="recover-preview">
            {rangeError ? null : preview.fetching && count === undefined ? 'Counting…' : count !== undefined ? `${plural(count, 'call', 'calls')} to send again.` : null}
          </p>
          {preview.error ? <ErrorBox title="The calls could not be counted">{errorText(preview.error)}</ErrorBox> : null}
          {res.error ? <ErrorBox title="The calls were not recovered">{errorText(res.error)}</ErrorBox> : null}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button onClick={close} disabled={res.fetching}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" busy={res.fetching} disabled={!!rangeError || !count}>
              Recover {count ? plural(count, 'call', 'calls') : 'calls'}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  )
}

/**
 * SendTestFileDialog sends a chosen recent file of the webhook's folders to
 * it as a test call, and follows that call live.
 */
export function SendTestFileDialog({
  webhookID,
  folderIDs,
  allFolders,
  open,
  onClose,
}: {
  webhookID: string
  folderIDs: string[]
  allFolders: boolean
  open: boolean
  onClose: () => void
}) {
  const [text, setText] = useState('')
  const search = useDebounced(text.trim())
  const inFolders = allFolders || folderIDs.length === 0 ? undefined : { hasFolderWith: [{ idIn: folderIDs }] }
  const where = search ? { ...inFolders, nameContainsFold: search } : inFolders
  const [files] = useQuery({ query: TestFileOptionsQuery, variables: search ? { where, first: 100 } : { where }, pause: !open, requestPolicy: 'network-only' })
  const [fileID, setFileID] = useState('')
  const [callID, setCallID] = useState<string | null>(null)
  const [res, send] = useMutation(SendTestFileMutation)
  const [call, refetchCall] = useQuery({ query: TestCallQuery, variables: { id: callID ?? '' }, pause: !callID, requestPolicy: 'network-only' })
  const refresh = useCallback(() => refetchCall({ requestPolicy: 'network-only' }), [refetchCall])
  useWebhookEvents(open && callID ? webhookID : undefined, refresh, 300)
  const options = (files.data?.files.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []))
  const chosen = options.some((f) => f.id === fileID) ? fileID : options[0]?.id || ''
  const node = call.data?.node
  const status = node && 'status' in node ? node : null
  const close = () => {
    setCallID(null)
    onClose()
  }
  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!chosen) return
    const r = await send({ webhookID, fileID: chosen })
    if (r.data) setCallID(r.data.sendTestFile.id)
  }
  return (
    <Dialog open={open} title="Send test file" description="Delivers a real file to this webhook (real payload, download link and signature, with the header scoopa-test: true), once, without retries — active or not." onClose={close} busy={res.fetching}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        {files.error ? <ErrorBox title="The files could not be loaded">{errorText(files.error)}</ErrorBox> : null}
        {files.data && options.length === 0 && !search ? (
          <p className="text-sm text-slate-600">{allFolders || folderIDs.length === 0 ? 'No files yet.' : 'No files in this webhook’s folders yet.'} Upload one first.</p>
        ) : (
          <>
            <div onKeyDown={noSubmit}>
              <SearchBox label="Find a file" value={text} onChange={setText} placeholder="Find a file by name…" className="max-w-none" />
            </div>
            <Field label="File" hint={search ? `The files whose name contains “${search}”, newest first.` : 'The 20 most recent files of the webhook’s folders: type above to find any other.'}>
              {(p) =>
                files.data && options.length === 0 ? (
                  <p id={p.id} className="text-sm text-slate-600">
                    No file matches “{search}”.
                  </p>
                ) : (
                  <select {...p} className={inputClass} value={chosen} onChange={(e) => setFileID(e.target.value)} disabled={!files.data}>
                    {options.map((f) => (
                      <option key={f.id} value={f.id}>
                        {f.name} — {f.folder.name}
                      </option>
                    ))}
                  </select>
                )
              }
            </Field>
          </>
        )}
        {res.error ? <ErrorBox title="The test file was not sent">{errorText(res.error)}</ErrorBox> : null}
        {callID ? (
          <div className="flex flex-wrap items-center gap-2 text-sm text-slate-700" role="status" aria-live="polite" data-testid="test-call">
            Test call {status ? <StatusBadge status={status.status} /> : '…'}
            {status?.error ? <span className="text-red-700">{status.error}</span> : null}
            <Link to={`/calls/${callID}`} className="font-medium text-indigo-700 hover:underline">
              Open the call
            </Link>
          </div>
        ) : null}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button onClick={close} disabled={res.fetching}>
            Close
          </Button>
          <Button type="submit" variant="primary" busy={res.fetching} disabled={!chosen}>
            {callID ? 'Send again' : 'Send test file'}
          </Button>
        </div>
      </form>
    </Dialog>
  )
}

/**
 * SendAgainDialog sends a file again to the webhooks chosen: by default the
 * ones that had a call for it.
 */
export function SendAgainDialog({ file, onClose }: { file: { id: string; name: string; folderID?: string } | null; onClose: () => void }) {
  const [text, setText] = useState('')
  const search = useDebounced(text.trim())
  // Without a search: the webhooks that apply to the file's folder (or to
  // all folders); with one, any webhook it finds.
  const where = search ? { search } : file?.folderID ? { or: [{ allFolders: true }, { hasFoldersWith: [{ id: file.folderID }] }] } : null
  const [opts] = useQuery({ query: SendAgainOptionsQuery, variables: { fileID: file?.id ?? '', where }, pause: !file, requestPolicy: 'network-only' })
  const [picked, setPicked] = useState<Set<string> | null>(null)
  const [queued, setQueued] = useState<number | null>(null)
  const [res, redeliver] = useMutation(RedeliverFileMutation)
  const calls = (opts.data?.webhookCalls.edges ?? []).flatMap((e) => (e?.node?.webhook ? [e.node.webhook] : []))
  const had = new Set(calls.map((w) => w.id))
  const found = (opts.data?.webhooks.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []))
  // The webhooks that had a call come first, then the active ones, by name.
  const hooks = [...new Map([...(search ? [] : calls), ...found].map((w) => [w.id, w])).values()].sort(
    (a, b) => Number(had.has(b.id)) - Number(had.has(a.id)) || Number(b.active) - Number(a.active) || a.name.localeCompare(b.name),
  )
  const selected = picked ?? had
  const close = () => {
    setPicked(null)
    setQueued(null)
    setText('')
    onClose()
  }
  const toggle = (id: string) => {
    const next = new Set(selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setPicked(next)
  }
  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!file || selected.size === 0) return
    const r = await redeliver({ fileID: file.id, webhookIDs: [...selected] })
    if (r.data) setQueued(r.data.redeliverFile.length)
  }
  return (
    <Dialog open={file !== null} title={`Send “${file?.name ?? ''}” again`} description="Each webhook’s call for this file goes again (same webhook-id) once it has ended; a webhook without one gets a new call if it applies to the file." onClose={close} busy={res.fetching}>
      {queued !== null ? (
        <>
          <Notice tone="success">
            {plural(queued, 'call was', 'calls were')} queued.{' '}
            <Link to="/calls" className="font-medium underline">
              Watch the calls
            </Link>
          </Notice>
          <div className="mt-5 flex justify-end">
            <Button onClick={close} data-autofocus>
              Close
            </Button>
          </div>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
          {opts.error ? <ErrorBox title="The webhooks could not be loaded">{errorText(opts.error)}</ErrorBox> : null}
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">Webhooks</legend>
            <p className="mt-1 text-xs text-slate-500">
              {search ? `The webhooks that “${search}” finds.` : 'The webhooks of this file’s folder and of all folders: search to find any other.'}
              {selected.size > 0 ? ` ${plural(selected.size, 'webhook', 'webhooks')} chosen.` : ''}
            </p>
            <div onKeyDown={noSubmit} className="mt-2">
              <SearchBox label="Find a webhook" value={text} onChange={setText} placeholder="Find a webhook by name, URL or folder…" className="max-w-none" />
            </div>
            {opts.data && hooks.length === 0 ? <p className="mt-2 text-sm text-slate-600">{search ? `No webhook matches “${search}”.` : 'No webhook applies to this file’s folder.'}</p> : null}
            <ul className="mt-2 flex max-h-64 flex-col gap-1 overflow-y-auto">
              {hooks.map((w) => (
                <li key={w.id}>
                  <label className="flex items-center gap-2 text-sm wrap-anywhere text-slate-700">
                    <input type="checkbox" checked={selected.has(w.id)} onChange={() => toggle(w.id)} />
                    {w.name}
                    {had.has(w.id) ? <span className="text-xs text-slate-500">(had a call)</span> : null}
                    {!w.active ? <span className="text-xs text-slate-500">(inactive)</span> : null}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          {res.error ? <ErrorBox title="The file was not sent again">{errorText(res.error)}</ErrorBox> : null}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button onClick={close} disabled={res.fetching}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" busy={res.fetching} disabled={selected.size === 0}>
              Send again
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  )
}

/** DeliveryToolsCard offers recovery and test files on a webhook's page (admins). */
export function DeliveryToolsCard({ webhookID, folderIDs, allFolders }: { webhookID: string; folderIDs: string[]; allFolders: boolean }) {
  const [dialog, setDialog] = useState<'recover' | 'test' | null>(null)
  return (
    <Card className="p-4">
      <h2 className="text-sm font-semibold text-slate-900">Send again</h2>
      <p className="mt-1 text-xs text-slate-500">Recover calls that failed while the receiver was down, or send a real file to test the receiver.</p>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button onClick={() => setDialog('recover')}>Recover failed calls</Button>
        <Button onClick={() => setDialog('test')}>Send test file</Button>
      </div>
      <RecoverCallsDialog webhookID={webhookID} open={dialog === 'recover'} onClose={() => setDialog(null)} />
      <SendTestFileDialog webhookID={webhookID} folderIDs={folderIDs} allFolders={allFolders} open={dialog === 'test'} onClose={() => setDialog(null)} />
    </Card>
  )
}
