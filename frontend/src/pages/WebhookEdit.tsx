import { useCallback, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { useMutation, useQuery } from 'urql'
import { ArrowLeftIcon, EyeIcon, EyeOffIcon, RefreshIcon, ShareIcon, TrashIcon } from '../components/icons'
import { Button, CopyButton, CopyValue } from '../components/buttons'
import { Card, PageHeader } from '../components/page'
import { ConfirmDialog } from '../components/dialogs'
import { ErrorBox, Loading, Notice } from '../components/feedback'
import { RelTime } from '../components/RelTime'
import { graphql, type FragmentType } from '../gql'
import { errorText, hasCode } from '../lib/errors'
import { useWebhookEvents } from '../lib/useWebhookEvents'
import { useAbilities } from '../lib/partner'
import { DeleteWebhookDialog } from './DeleteWebhookDialog'
import { DeliveryHealthCard } from './DeliveryHealth'
import { DeliveryToolsCard } from './SendAgain'
import { ShareDialog } from './ShareDialog'
import { WebhookForm } from './WebhookForm'
import { DisabledBanner } from './webhookHealth'
import { ActiveBadge, CallStats24h, LastCalls, ValidationMark, WebhookActivityFields } from './webhookParts'

export const WebhookDetailQuery = graphql(`
  query WebhookDetail($id: ID!) {
    node(id: $id) {
      id
      ... on Webhook {
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
        createdAt
        updatedAt
        signingSecret
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
        ...WebhookActivityFields
      }
    }
  }
`)

export const RevalidateWebhookMutation = graphql(`
  mutation RevalidateWebhook($id: ID!) {
    revalidateWebhook(id: $id) {
      id
      validationStatus
      lastValidatedAt
      lastValidationError
    }
  }
`)

export const RotateWebhookSecretMutation = graphql(`
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) {
      id
      signingSecret
    }
  }
`)

function ValidationCard({ id, status, error, validatedAt, canValidate }: { id: string; status: 'VALID' | 'INVALID' | 'UNVALIDATED'; error?: string | null; validatedAt?: string | null; canValidate: boolean }) {
  const [res, revalidate] = useMutation(RevalidateWebhookMutation)
  return (
    <Card className="p-4">
      <h2 className="text-sm font-semibold text-slate-900">Validation</h2>
      <p className="mt-1 text-xs text-slate-500">scoopa calls the URL with a test payload (origin “scoopa - endpoint validation test”); a 200 answer means the connection is valid.</p>
      <div className="mt-3">
        <ValidationMark status={status} error={error} validatedAt={validatedAt} />
      </div>
      {validatedAt ? (
        <p className="mt-1 text-xs text-slate-500">
          Last tested <RelTime iso={validatedAt} past />
        </p>
      ) : null}
      {canValidate ? (
        <Button className="mt-3" onClick={() => revalidate({ id })} busy={res.fetching}>
          {res.fetching ? null : <RefreshIcon />} Re-Validate Webhook
        </Button>
      ) : null}
      {res.fetching ? (
        <p className="mt-2 text-xs text-slate-500" role="status">
          Testing the URL… this can take a few seconds.
        </p>
      ) : null}
      {res.error ? (
        <div className="mt-3">
          <ErrorBox title="Re-validation failed">{errorText(res.error)}</ErrorBox>
        </div>
      ) : null}
    </Card>
  )
}

function CallsCard({ id, activity }: { id: string; activity: FragmentType<typeof WebhookActivityFields> }) {
  return (
    <Card className="p-4">
      <h2 className="text-sm font-semibold text-slate-900">Calls</h2>
      <p className="mt-1 text-xs text-slate-500">Deliveries tell your provider about new files; validations test the URL (when saved, on demand and every day).</p>
      <h3 className="mt-3 text-xs font-semibold tracking-wide text-slate-600 uppercase">Last call</h3>
      <div className="mt-1">
        <LastCalls activity={activity} />
      </div>
      <h3 className="mt-3 text-xs font-semibold tracking-wide text-slate-600 uppercase">Last 24 hours</h3>
      <div className="mt-1">
        <CallStats24h activity={activity} />
      </div>
      <Link to={`/calls?webhook=${encodeURIComponent(id)}`} className="mt-3 inline-block text-sm font-medium text-indigo-700 hover:underline">
        See all its calls
      </Link>
    </Card>
  )
}

function SecretCard({ id, secret, canRotate }: { id: string; secret: string | null | undefined; canRotate: boolean }) {
  const [shown, setShown] = useState(false)
  const [confirm, setConfirm] = useState(false)
  const [rotated, setRotated] = useState(false)
  const [res, rotate] = useMutation(RotateWebhookSecretMutation)
  return (
    <Card className="p-4">
      <h2 className="text-sm font-semibold text-slate-900">Signing secret</h2>
      <p className="mt-1 text-xs text-slate-500">Every call is signed with this secret, so your provider can check that it comes from scoopa.</p>
      {secret && canRotate ? (
        <>
          <div className="mt-3 flex items-center gap-1">
            <code className="min-w-0 flex-1 truncate rounded bg-slate-100 px-2 py-1.5 font-mono text-xs" aria-label="Signing secret">
              {shown ? secret : `${secret.slice(0, 6)}${'•'.repeat(20)}`}
            </code>
            <Button variant="ghost" className="px-2" onClick={() => setShown((v) => !v)} aria-pressed={shown} aria-label={shown ? 'Hide secret' : 'Reveal secret'} title={shown ? 'Hide secret' : 'Reveal secret'}>
              {shown ? <EyeOffIcon /> : <EyeIcon />}
            </Button>
            <CopyButton value={secret} label="Copy secret" />
          </div>
          <Button className="mt-3" onClick={() => setConfirm(true)}>
            <RefreshIcon /> Rotate secret
          </Button>
          {rotated ? (
            <div className="mt-3">
              <Notice tone="success" onClose={() => setRotated(false)}>
                New secret in place. The old one keeps signing for a grace period, so your provider can switch.
              </Notice>
            </div>
          ) : null}
          <ConfirmDialog
            open={confirm}
            title="Rotate the signing secret?"
            confirmLabel="Rotate secret"
            busy={res.fetching}
            error={res.error ? errorText(res.error) : undefined}
            onCancel={() => setConfirm(false)}
            onConfirm={async () => {
              const r = await rotate({ id })
              if (!r.error) {
                setConfirm(false)
                setRotated(true)
                setShown(true)
              }
            }}
          >
            <p>A new secret replaces this one. The old secret keeps signing for a grace period; give the new one to your provider before it ends.</p>
          </ConfirmDialog>
        </>
      ) : (
        <p className="mt-3 text-sm text-slate-600">Only admins and the webhook's partner can see the signing secret.</p>
      )}
    </Card>
  )
}

/** WebhookEditPage (/webhooks/:id) edits one webhook and offers validation, its secret and deletion. */
export function WebhookEditPage() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const can = useAbilities()
  const isAdmin = can.admin
  const [{ data, fetching, error }, refetch] = useQuery({ query: WebhookDetailQuery, variables: { id }, requestPolicy: 'cache-and-network' })
  const [deleting, setDeleting] = useState(false)
  const [sharing, setSharing] = useState(false)
  const node = data?.node
  const w = node && 'url' in node ? node : null
  // Validations the worker runs in the background, and deliveries, show up
  // without a reload.
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch])
  useWebhookEvents(w?.id, refresh)

  const back = (
    <Link to="/webhooks" className="mb-3 inline-flex items-center gap-1 text-sm text-slate-600 hover:text-slate-900">
      <ArrowLeftIcon /> All webhooks
    </Link>
  )

  // An unknown ID (or one that is no number) names no webhook: trying again cannot help.
  const missing = (error && (hasCode(error, 'NOT_FOUND') || hasCode(error, 'BAD_USER_INPUT'))) || (data && !error && !w)
  if (missing) {
    return (
      <>
        {back}
        <ErrorBox title="This webhook does not exist">
          <p>There is no webhook with the ID “{id}”: it may have been deleted.</p>
          <Link to="/webhooks" className="mt-2 inline-block font-medium underline">
            Back to the list of webhooks
          </Link>
        </ErrorBox>
      </>
    )
  }
  if (error && !data) {
    return (
      <>
        {back}
        <ErrorBox title="The webhook could not be loaded" onRetry={() => refetch({ requestPolicy: 'network-only' })}>
          {errorText(error)}
        </ErrorBox>
      </>
    )
  }
  if (fetching && !data) return <Loading label="Loading webhook…" />
  if (!w) return null

  return (
    <>
      {back}
      <PageHeader
        title={
          <span className="inline-flex flex-wrap items-center gap-3">
            {w.name} <ActiveBadge activity={w.activity} reason={w.inactiveReason} />
          </span>
        }
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            ID <CopyValue value={w.id} label="Copy webhook ID" />
            <Link to={`/calls?webhook=${encodeURIComponent(w.id)}`} className="font-medium text-indigo-700 hover:underline">
              See its calls
            </Link>
          </span>
        }
        actions={
          isAdmin ? (
            <>
              <Button onClick={() => setSharing(true)}>
                <ShareIcon /> Share with partner
              </Button>
              <Button variant="dangerGhost" onClick={() => setDeleting(true)}>
                <TrashIcon /> Delete
              </Button>
            </>
          ) : null
        }
      />
      {w.disabledReason ? (
        <div className="mb-6">
          <DisabledBanner id={w.id} reason={w.disabledReason} at={w.disabledAt} isAdmin={isAdmin} />
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="flex min-w-0 flex-col gap-6">
        <Card className="p-4 sm:p-6">
          {can.partner ? (
            <>
              <h2 className="mb-1 text-base font-semibold text-slate-900">Delivery settings</h2>
              <p className="mb-4 text-sm text-slate-600">
                {can.manage
                  ? 'Where and how the calls reach you. The folders and the name stay the platform’s to choose.'
                  : 'Where and how the calls reach you. Ask the platform to change them.'}
              </p>
            </>
          ) : null}
          <WebhookForm key={`${w.id}:${w.disabledAt ?? ''}:${can.manage}`} webhook={w} readOnly={!can.manage} partner={can.partner} />
        </Card>
        <DeliveryHealthCard id={w.id} />
        </div>
        <div className="flex flex-col gap-6">
          <ValidationCard id={w.id} status={w.validationStatus} error={w.lastValidationError} validatedAt={w.lastValidatedAt} canValidate={can.manage} />
          <CallsCard id={w.id} activity={w} />
          {can.act ? <DeliveryToolsCard webhookID={w.id} folderIDs={(w.folders ?? []).map((f) => f.id)} allFolders={w.allFolders} /> : null}
          <SecretCard id={w.id} secret={w.signingSecret} canRotate={can.act} />
        </div>
      </div>
      {isAdmin ? <ShareDialog open={sharing} onClose={() => setSharing(false)} webhook={{ id: w.id, name: w.name }} /> : null}
      <DeleteWebhookDialog webhook={deleting ? { id: w.id, name: w.name } : null} onClose={() => setDeleting(false)} onDeleted={() => navigate('/webhooks')} />
    </>
  )
}
