import { useEffect, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { useMutation, useQuery } from 'urql'
import { KeyIcon, PlusIcon, WarningIcon } from '../components/icons'
import { Button, CopyButton } from '../components/buttons'
import { Card, PageHeader } from '../components/page'
import { ConfirmDialog, Dialog } from '../components/dialogs'
import { EmptyState, ErrorBox } from '../components/feedback'
import { QueryState } from '../components/QueryState'
import { Field } from '../components/forms'
import { RelTime } from '../components/RelTime'
import { cx, inputClass } from '../components/classes'
import type { ApiTokenRole, ApiTokensQuery as ApiTokensResult, ConsoleSessionsQuery as ConsoleSessionsResult } from '../gql/graphql'
import { graphql } from '../gql'
import { errorText, splitErrors } from '../lib/errors'
import { roleName } from '../lib/format'
import { useIsAdmin } from '../lib/session'
import { WebhookChecklist, type WebhookChoice } from '../components/WebhookChecklist'

export const ApiTokensQuery = graphql(`
  query ApiTokens {
    apiTokens {
      id
      name
      role
      prefix
      createdAt
      lastUsedAt
      expiresAt
      revokedAt
      manage
      webhooks {
        id
        name
      }
    }
  }
`)

export const CreateApiTokenMutation = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      secret
      token {
        id
        name
        role
        prefix
        createdAt
        lastUsedAt
        expiresAt
        revokedAt
        manage
        webhooks {
          id
          name
        }
      }
    }
  }
`)

export const RevokeApiTokenMutation = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      id
      revokedAt
    }
  }
`)

export const ConsoleSessionsQuery = graphql(`
  query ConsoleSessions {
    sessions {
      id
      tokenName
      role
      createdAt
      lastSeenAt
      expiresAt
      clientAddress
      userAgent
      current
    }
  }
`)

export const EndSessionMutation = graphql(`
  mutation EndSession($id: ID!) {
    endSession(id: $id) {
      id
      endedAt
    }
  }
`)

type Token = ApiTokensResult['apiTokens'][number]
type ConsoleSession = ConsoleSessionsResult['sessions'][number]

/** SessionsCard lists the console's active sign-ins; an admin may end any but their own (that is signing out). */
function SessionsCard({ refreshKey }: { refreshKey: number }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ConsoleSessionsQuery, requestPolicy: 'cache-and-network' })
  // A revoked token's sessions end with it: look again after each revocation.
  useEffect(() => {
    if (refreshKey > 0) refetch({ requestPolicy: 'network-only' })
  }, [refreshKey, refetch])
  const [ending, setEnding] = useState<ConsoleSession | null>(null)
  const [endRes, end] = useMutation(EndSessionMutation)
  const sessions = data?.sessions ?? []
  return (
    <section aria-labelledby="sessions-heading" className="mt-8">
      <h2 id="sessions-heading" className="mb-1 text-base font-semibold text-slate-900">
        Console sessions
      </h2>
      <p className="mb-3 text-sm text-slate-600">Browsers signed in to this console. Ending a session signs that browser out at once; revoking a token ends its sessions.</p>
      <Card className="overflow-hidden">
        <QueryState
          result={{ data, fetching, error }}
          loading="Loading sessions…"
          errorTitle="The sessions could not be loaded"
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
          errorClassName="p-3"
          isEmpty={() => sessions.length === 0}
          empty={<EmptyState title="No console sessions">Nobody is signed in to the console with a browser.</EmptyState>}
        >
          {() => (
            <table className="w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">Console sessions</caption>
              <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
                <tr>
                  <th scope="col" className="px-4 py-2.5">Token</th>
                  <th scope="col" className="hidden px-4 py-2.5 md:table-cell">Browser</th>
                  <th scope="col" className="hidden px-4 py-2.5 sm:table-cell">Signed in</th>
                  <th scope="col" className="px-4 py-2.5">Last used</th>
                  <th scope="col" className="hidden px-4 py-2.5 lg:table-cell">Ends</th>
                  <th scope="col" className="px-4 py-2.5">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {sessions.map((x) => (
                  <tr key={x.id} data-session-id={x.id}>
                    <td className="px-4 py-2.5 font-medium wrap-anywhere text-slate-900">
                      {x.tokenName}
                      <span className="block text-xs font-normal text-slate-500">
                        {roleName(x.role)}
                        {x.current ? ' · this browser' : ''}
                      </span>
                    </td>
                    <td className="hidden max-w-xs px-4 py-2.5 text-slate-700 md:table-cell">
                      <span className="block truncate" title={x.userAgent}>
                        {x.userAgent || 'Unknown'}
                      </span>
                      <span className="block font-mono text-xs text-slate-500">{x.clientAddress}</span>
                    </td>
                    <td className="hidden px-4 py-2.5 text-slate-700 sm:table-cell">
                      <RelTime iso={x.createdAt} past />
                    </td>
                    <td className="px-4 py-2.5 text-slate-700">
                      <RelTime iso={x.lastSeenAt} past />
                    </td>
                    <td className="hidden px-4 py-2.5 text-slate-700 lg:table-cell">
                      <RelTime iso={x.expiresAt} />
                    </td>
                    <td className="px-4 py-2.5 text-right">
                      {!x.current ? (
                        <Button variant="dangerGhost" className="px-2 py-1 text-xs" onClick={() => setEnding(x)} aria-label={`End session of ${x.tokenName}`}>
                          End
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryState>
      </Card>
      <ConfirmDialog
        open={ending !== null}
        title="End session?"
        confirmLabel="End session"
        busy={endRes.fetching}
        error={endRes.error ? errorText(endRes.error) : undefined}
        onCancel={() => setEnding(null)}
        onConfirm={async () => {
          if (!ending) return
          const r = await end({ id: ending.id })
          if (!r.error) {
            setEnding(null)
            refetch({ requestPolicy: 'network-only' })
          }
        }}
      >
        <p>
          The browser signed in with <strong className="font-semibold">{ending?.tokenName}</strong> is signed out at once. The token itself keeps working.
        </p>
      </ConfirmDialog>
    </section>
  )
}

/** PartnerScope lists a PARTNER token's webhooks and says whether it may change their delivery settings. */
function PartnerScope({ token }: { token: Token }) {
  const hooks = token.webhooks ?? []
  return (
    <span className="mt-1 block text-xs font-normal text-slate-600" data-testid="partner-scope">
      <span className="sr-only">Webhooks: </span>
      {hooks.length === 0 ? (
        <span className="text-slate-400">No webhooks</span>
      ) : (
        hooks.map((w, i) => (
          <span key={w.id}>
            {i > 0 ? ', ' : ''}
            <Link to={`/webhooks/${w.id}`} className="text-indigo-700 hover:underline">
              {w.name}
            </Link>
          </span>
        ))
      )}
      {token.manage ? <span className="ml-1 rounded bg-slate-100 px-1 py-0.5 text-slate-600">may change delivery settings</span> : null}
    </span>
  )
}

function tokenState(t: Token, now = Date.now()): { label: string; cls: string } {
  if (t.revokedAt) return { label: 'Revoked', cls: 'bg-red-50 text-red-800 ring-red-300' }
  if (t.expiresAt && new Date(t.expiresAt).getTime() < now) return { label: 'Expired', cls: 'bg-zinc-100 text-zinc-600 ring-zinc-300' }
  return { label: 'Active', cls: 'bg-emerald-50 text-emerald-800 ring-emerald-300' }
}

function CreateTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState('')
  const [role, setRole] = useState<ApiTokenRole>('VIEWER')
  const [expires, setExpires] = useState('')
  const [hooks, setHooks] = useState<WebhookChoice[]>([])
  const [manage, setManage] = useState(false)
  const [local, setLocal] = useState<Record<string, string>>({})
  const [secret, setSecret] = useState<string | null>(null)
  const [res, create] = useMutation(CreateApiTokenMutation)
  const server = splitErrors(res.error, { webhookIDs: 'webhooks' })
  const errors = { ...server.fields, ...local }
  const partner = role === 'PARTNER'

  function close() {
    if (res.fetching) return
    setName('')
    setRole('VIEWER')
    setExpires('')
    setHooks([])
    setManage(false)
    setLocal({})
    setSecret(null)
    onClose()
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    const l: Record<string, string> = {}
    if (!name.trim()) l.name = 'Give the token a name, e.g. who or what uses it.'
    let expiresAt: string | undefined
    if (expires) {
      const d = new Date(`${expires}T23:59:59`)
      if (Number.isNaN(d.getTime()) || d.getTime() < Date.now()) l.expiresAt = 'Choose a date in the future.'
      else expiresAt = d.toISOString()
    }
    if (partner && hooks.length === 0) l.webhooks = 'Choose the webhooks this partner sees.'
    setLocal(l)
    if (Object.keys(l).length > 0) return
    const r = await create({ input: { name: name.trim(), role, expiresAt, ...(partner ? { webhookIDs: hooks.map((w) => w.id), manage } : {}) } })
    if (r.data) setSecret(r.data.createApiToken.secret)
  }

  return (
    <Dialog open={open} onClose={close} busy={res.fetching} title={secret ? 'Token created' : 'Create API token'} size={partner && !secret ? 'lg' : 'md'}>
      {secret ? (
        <div className="flex flex-col gap-4">
          <div className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" role="note">
            <WarningIcon className="mt-0.5 size-5 shrink-0" />
            <p>Copy the token now: it is shown only this once and cannot be read back later.</p>
          </div>
          <div className="flex items-center gap-1">
            <code className="min-w-0 flex-1 rounded bg-slate-100 px-2 py-2 font-mono text-xs break-all" aria-label="New token secret" data-testid="token-secret">
              {secret}
            </code>
            <CopyButton value={secret} label="Copy token" />
          </div>
          <div className="flex justify-end">
            <Button variant="primary" onClick={close}>
              Done
            </Button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
          <Field label="Name" error={errors.name}>
            {(p) => <input {...p} className={inputClass} value={name} onChange={(e) => setName(e.target.value)} data-autofocus maxLength={200} />}
          </Field>
          <Field label="Role" error={errors.role} hint="Admins can change everything; viewers can only look; a partner sees only its webhooks and their calls.">
            {(p) => (
              <select {...p} className={inputClass} value={role} onChange={(e) => setRole(e.target.value as ApiTokenRole)}>
                <option value="VIEWER">Viewer (read-only)</option>
                <option value="ADMIN">Admin</option>
                <option value="PARTNER">Partner (only its webhooks)</option>
              </select>
            )}
          </Field>
          {partner ? (
            <>
              <WebhookChecklist
                legend="Partner’s webhooks"
                hint="What the partner sees: these webhooks, their calls and the files they delivered."
                selected={hooks}
                onChange={setHooks}
                error={errors.webhooks}
              />
              <label className="flex items-start gap-2 text-sm text-slate-700">
                <input type="checkbox" className="mt-0.5 size-4 accent-indigo-600" checked={manage} onChange={(e) => setManage(e.target.checked)} />
                <span>
                  <span className="font-medium text-slate-800">May change delivery settings</span>
                  <span className="block text-xs text-slate-500">URL, headers, OAuth2, client certificate, timeout, retries and limits; never the name, folders, filter or active switch.</span>
                </span>
              </label>
            </>
          ) : null}
          <Field label="Expires on" error={errors.expiresAt} hint="Optional; without a date the token is valid until revoked.">
            {(p) => <input {...p} type="date" className={inputClass} value={expires} onChange={(e) => setExpires(e.target.value)} />}
          </Field>
          {server.other.length > 0 ? <ErrorBox title="The token was not created">{server.other.join(' ')}</ErrorBox> : null}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="primary" busy={res.fetching}>
              Create token
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  )
}

/** TokensPage lets admins list, create and revoke API tokens, and see and end the console's sessions. */
export function TokensPage() {
  const isAdmin = useIsAdmin()
  const [{ data, fetching, error }, refetch] = useQuery({ query: ApiTokensQuery, requestPolicy: 'cache-and-network', pause: !isAdmin })
  const [creating, setCreating] = useState(false)
  const [revoking, setRevoking] = useState<Token | null>(null)
  const [revokeRes, revoke] = useMutation(RevokeApiTokenMutation)
  const [revocations, setRevocations] = useState(0)

  if (!isAdmin) {
    return (
      <>
        <PageHeader title="API tokens" />
        <ErrorBox title="Admins only">API tokens can only be managed with an admin token.</ErrorBox>
      </>
    )
  }
  const tokens = data?.apiTokens ?? []
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens sign in to this console and authenticate calls to the API. A secret is shown once, when the token is created."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            <PlusIcon /> Create token
          </Button>
        }
      />
      <Card className="overflow-hidden">
        <QueryState
          result={{ data, fetching, error }}
          loading="Loading tokens…"
          errorTitle="The tokens could not be loaded"
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
          errorClassName="p-3"
          isEmpty={() => tokens.length === 0}
          empty={
            <EmptyState icon={<KeyIcon className="size-6" />} title="No API tokens yet">
              The bootstrap admin token of the server configuration is not listed here. Create tokens for people and systems, so each can be revoked on its own.
            </EmptyState>
          }
        >
          {() => (
            <div className="relative">
              <table className="w-full divide-y divide-slate-200 text-sm">
                <caption className="sr-only">API tokens</caption>
                <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
                  <tr>
                    <th scope="col" className="px-4 py-2.5">Name</th>
                    <th scope="col" className="hidden px-4 py-2.5 sm:table-cell">Role</th>
                    <th scope="col" className="hidden px-4 py-2.5 sm:table-cell">Prefix</th>
                    <th scope="col" className="px-4 py-2.5">State</th>
                    <th scope="col" className="hidden px-4 py-2.5 md:table-cell">Created</th>
                    <th scope="col" className="hidden px-4 py-2.5 md:table-cell">Last used</th>
                    <th scope="col" className="hidden px-4 py-2.5 lg:table-cell">Expires</th>
                    <th scope="col" className="px-4 py-2.5">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {tokens.map((t) => {
                    const st = tokenState(t)
                    return (
                      <tr key={t.id} data-token-id={t.id}>
                        <td className="px-4 py-2.5 font-medium wrap-anywhere text-slate-900">
                          {t.name}
                          {/* On phones the role sits under the name, so the row fits the screen. */}
                          <span className="block text-xs font-normal text-slate-500 sm:hidden">{roleName(t.role)}</span>
                          {t.role === 'PARTNER' ? <PartnerScope token={t} /> : null}
                        </td>
                        <td className="hidden px-4 py-2.5 text-slate-700 sm:table-cell">{roleName(t.role)}</td>
                        <td className="hidden px-4 py-2.5 sm:table-cell">
                          <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{t.prefix}…</code>
                        </td>
                        <td className="px-4 py-2.5">
                          <span className={cx('rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', st.cls)}>{st.label}</span>
                        </td>
                        <td className="hidden px-4 py-2.5 text-slate-700 md:table-cell">
                          <RelTime iso={t.createdAt} past />
                        </td>
                        <td className="hidden px-4 py-2.5 text-slate-700 md:table-cell">{t.lastUsedAt ? <RelTime iso={t.lastUsedAt} past /> : <span className="text-slate-400">Never</span>}</td>
                        <td className="hidden px-4 py-2.5 text-slate-700 lg:table-cell">{t.expiresAt ? <RelTime iso={t.expiresAt} /> : <span className="text-slate-400">Never</span>}</td>
                        <td className="px-4 py-2.5 text-right">
                          {!t.revokedAt ? (
                            <Button variant="dangerGhost" className="px-2 py-1 text-xs" onClick={() => setRevoking(t)} aria-label={`Revoke token ${t.name}`}>
                              Revoke
                            </Button>
                          ) : null}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      </Card>
      <SessionsCard refreshKey={revocations} />
      <CreateTokenDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke token?"
        confirmLabel="Revoke token"
        busy={revokeRes.fetching}
        error={revokeRes.error ? errorText(revokeRes.error) : undefined}
        onCancel={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return
          const r = await revoke({ id: revoking.id })
          if (!r.error) {
            setRevoking(null)
            setRevocations((n) => n + 1)
          }
        }}
      >
        <p>
          <strong className="font-semibold">{revoking?.name}</strong> stops working at once, for the API and the console. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  )
}
