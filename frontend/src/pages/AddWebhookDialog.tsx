import { useState, type FormEvent } from 'react'
import { useMutation } from 'urql'
import { Button, Spinner } from '../components/buttons'
import { Dialog } from '../components/dialogs'
import { ErrorBox } from '../components/feedback'
import { Field } from '../components/forms'
import { inputClass } from '../components/classes'
import type { CreateWebhookMutation as CreateWebhookResult } from '../gql/graphql'
import { graphql } from '../gql'
import { splitErrors } from '../lib/errors'

export const CreateWebhookMutation = graphql(`
  mutation CreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      id
      name
      url
      active
      validationStatus
      lastValidatedAt
      lastValidationError
    }
  }
`)

export type CreatedWebhook = CreateWebhookResult['createWebhook']

/** checkURL is the console's quick check; the server's is the one that counts. */
export function checkURL(v: string): string | undefined {
  if (!v.trim()) return 'Enter the URL your provider gave you.'
  try {
    const u = new URL(v.trim())
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must be an absolute http or https URL'
  } catch {
    return 'must be an absolute http or https URL'
  }
  return undefined
}

/**
 * AddWebhookDialog asks for a name and URL and creates the webhook; the
 * server tests the URL before it answers, which can take a few seconds.
 */
export function AddWebhookDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (w: CreatedWebhook) => void }) {
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [local, setLocal] = useState<Record<string, string>>({})
  const [result, create] = useMutation(CreateWebhookMutation)
  const server = splitErrors(result.error)
  const errors = { ...server.fields, ...local }

  function close() {
    if (result.fetching) return
    setName('')
    setUrl('')
    setLocal({})
    onClose()
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    const l: Record<string, string> = {}
    if (!name.trim()) l.name = 'Give the webhook a name.'
    const u = checkURL(url)
    if (u) l.url = u
    setLocal(l)
    if (Object.keys(l).length > 0) return
    const res = await create({ input: { name: name.trim(), url: url.trim() } })
    if (res.data?.createWebhook) {
      onCreated(res.data.createWebhook)
      setName('')
      setUrl('')
      setLocal({})
    }
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      busy={result.fetching}
      title="Add webhook"
      description="Name it so you recognise it, and paste the URL from your external provider. On save, scoopa sends a test call to check the URL."
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <Field label="Name" error={errors.name}>
          {(p) => (
            <input
              {...p}
              className={inputClass}
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. Transcoding partner"
              data-autofocus
              disabled={result.fetching}
            />
          )}
        </Field>
        <Field label="URL" error={errors.url} hint="The endpoint that receives an HTTP POST for every new file.">
          {(p) => (
            <input
              {...p}
              className={inputClass + ' font-mono'}
              type="url"
              inputMode="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://partner.example.com/hooks/scoopa"
              disabled={result.fetching}
            />
          )}
        </Field>
        {server.other.length > 0 ? <ErrorBox title="The webhook was not saved">{server.other.join(' ')}</ErrorBox> : null}
        {result.fetching ? (
          <p className="flex items-center gap-2 text-sm text-slate-600" role="status">
            <Spinner /> Testing the URL… this can take a few seconds.
          </p>
        ) : null}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button onClick={close} disabled={result.fetching}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={result.fetching}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
