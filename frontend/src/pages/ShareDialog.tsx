import { useState, type FormEvent } from 'react'
import { useMutation } from 'urql'
import { Button, CopyButton } from '../components/buttons'
import { Dialog } from '../components/dialogs'
import { ErrorBox } from '../components/feedback'
import { Field } from '../components/forms'
import { WarningIcon } from '../components/icons'
import { RelTime } from '../components/RelTime'
import { WebhookChecklist, type WebhookChoice } from '../components/WebhookChecklist'
import { inputClass } from '../components/classes'
import { graphql } from '../gql'
import { splitErrors } from '../lib/errors'
import { exactTime } from '../lib/format'

export const CreatePortalLinkMutation = graphql(`
  mutation CreatePortalLink($input: CreatePortalLinkInput!) {
    createPortalLink(input: $input) {
      url
      expiresAt
      token {
        id
        name
      }
    }
  }
`)

/** validities are the lifetimes a link may have (the server takes at most 24 hours). */
export const validities = [
  { value: '1h', label: '1 hour' },
  { value: '4h', label: '4 hours' },
  { value: '12h', label: '12 hours' },
  { value: '24h', label: '24 hours' },
]

const aliases = { webhookIDs: 'webhooks' }

/**
 * ShareDialog mints a portal link for a partner: the webhooks it will see
 * (the current one chosen already), whether it may change their delivery
 * settings, the title of its view and how long the link may be opened. The
 * link is shown once, with a copy button and its expiry.
 */
export function ShareDialog({ open, onClose, webhook }: { open: boolean; onClose: () => void; webhook?: WebhookChoice }) {
  const initial = webhook ? [webhook] : []
  const [hooks, setHooks] = useState<WebhookChoice[]>(initial)
  const [name, setName] = useState('')
  const [title, setTitle] = useState('')
  const [validFor, setValidFor] = useState('24h')
  const [manage, setManage] = useState(false)
  const [local, setLocal] = useState<Record<string, string>>({})
  const [link, setLink] = useState<{ url: string; expiresAt: string; tokenName: string } | null>(null)
  const [res, create] = useMutation(CreatePortalLinkMutation)
  const server = splitErrors(res.error, aliases)
  const errors = { ...server.fields, ...local }

  function close() {
    if (res.fetching) return
    setHooks(initial)
    setName('')
    setTitle('')
    setValidFor('24h')
    setManage(false)
    setLocal({})
    setLink(null)
    onClose()
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    const l: Record<string, string> = {}
    if (hooks.length === 0) l.webhooks = 'Choose at least one webhook to share.'
    if (title.trim().length > 120) l.title = 'A title has at most 120 characters.'
    setLocal(l)
    if (Object.keys(l).length > 0) return
    const r = await create({
      input: {
        webhookIDs: hooks.map((w) => w.id),
        manage,
        validFor,
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
      },
    })
    const made = r.data?.createPortalLink
    if (made) setLink({ url: made.url, expiresAt: made.expiresAt, tokenName: made.token.name })
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      busy={res.fetching}
      size="lg"
      title={link ? 'Portal link created' : 'Share with partner'}
      description={link ? undefined : 'A single-use link that opens the partner’s view of these webhooks: their calls, recovery, test files and signing secret. No token changes hands.'}
    >
      {link ? (
        <div className="flex flex-col gap-4">
          <div className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" role="note">
            <WarningIcon className="mt-0.5 size-5 shrink-0" />
            <p>Copy the link now: it is shown only this once. It opens once; send it to the partner over a channel you trust.</p>
          </div>
          <div className="flex items-center gap-1">
            <code className="min-w-0 flex-1 rounded bg-slate-100 px-2 py-2 font-mono text-xs break-all" aria-label="Portal link" data-testid="portal-link">
              {link.url}
            </code>
            <CopyButton value={link.url} label="Copy link" />
          </div>
          <p className="text-sm text-slate-700" data-testid="portal-link-expiry">
            Expires <RelTime iso={link.expiresAt} /> ({exactTime(link.expiresAt)}). Its token, “{link.tokenName}”, is listed under API tokens: revoke it to close the
            partner’s access.
          </p>
          <div className="flex justify-end">
            <Button variant="primary" onClick={close}>
              Done
            </Button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Share with partner">
          <WebhookChecklist legend="Webhooks to share" hint="The partner sees these webhooks, their calls and the files they delivered; nothing else." selected={hooks} onChange={setHooks} error={errors.webhooks} known={initial} />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Partner name" error={errors.name} hint="Optional. Names the link’s token (API tokens, audit log).">
              {(p) => <input {...p} className={inputClass} value={name} onChange={(e) => setName(e.target.value)} maxLength={255} placeholder="Portal link" data-autofocus />}
            </Field>
            <Field label="Title of the partner’s view" error={errors.title} hint="Optional. Heads the partner’s pages.">
              {(p) => <input {...p} className={inputClass} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={120} placeholder="Webhooks" />}
            </Field>
          </div>
          <Field label="Link valid for" error={errors.validFor} hint="How long the link may be opened (once). The session it opens lasts on its own.">
            {(p) => (
              <select {...p} className={inputClass + ' sm:max-w-48'} value={validFor} onChange={(e) => setValidFor(e.target.value)}>
                {validities.map((v) => (
                  <option key={v.value} value={v.value}>
                    {v.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input type="checkbox" className="mt-0.5 size-4 accent-indigo-600" checked={manage} onChange={(e) => setManage(e.target.checked)} />
            <span>
              <span className="font-medium text-slate-800">May change delivery settings</span>
              <span className="block text-xs text-slate-500">URL, headers, OAuth2, client certificate, timeout, retries and limits; never the name, folders, filter or active switch.</span>
            </span>
          </label>
          {errors.manage ? <p className="text-sm text-red-700" role="alert">{errors.manage}</p> : null}
          {server.other.length > 0 ? <ErrorBox title="The link was not created">{server.other.join(' ')}</ErrorBox> : null}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="primary" busy={res.fetching}>
              Create link
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  )
}
