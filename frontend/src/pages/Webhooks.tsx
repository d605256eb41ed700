import { useMemo, useState } from 'react'
import { Link } from 'react-router'
import { useQuery } from 'urql'
import { PlusIcon, ShareIcon, TrashIcon, WebhookIcon } from '../components/icons'
import { Button, CopyButton, IconButton } from '../components/buttons'
import { Card, PageHeader, stacked, Td } from '../components/page'
import { EmptyState, ErrorBox, Notice } from '../components/feedback'
import { QueryState } from '../components/QueryState'
import { cx } from '../components/classes'
import type { WebhookListQuery as WebhookListResult } from '../gql/graphql'
import { graphql } from '../gql'
import { errorText } from '../lib/errors'
import { useIsAdmin, useIsPartner } from '../lib/session'
import { useCallEvents } from '../lib/useCallEvents'
import { PAGE_SIZE, searchWhere, useCursorPages, useDebounced } from '../lib/paging'
import { Pager, SearchBox } from '../components/Pager'
import { AddWebhookDialog, type CreatedWebhook } from './AddWebhookDialog'
import { DeleteWebhookDialog } from './DeleteWebhookDialog'
import { ShareDialog } from './ShareDialog'
import { DisabledBadge } from './webhookHealth'
import { useSparklines, WebhookSparkline } from './DeliveryHealth'
import type { StatsPoint } from '../components/charts'
import { ActiveBadge, CallStats24h, LastCalls, scopeText, ValidationMark } from './webhookParts'

export const WebhookListQuery = graphql(`
  query WebhookList($first: Int, $after: Cursor, $where: WebhookWhereInput) {
    webhooks(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }, where: $where) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          url
          active
          activity
          inactiveReason
          allFolders
          filter
          validationStatus
          lastValidatedAt
          lastValidationError
          disabledReason
          createdAt
          folders {
            id
            name
          }
          ...WebhookActivityFields
        }
      }
    }
  }
`)

type Row = NonNullable<NonNullable<NonNullable<WebhookListResult['webhooks']['edges']>[number]>['node']>

function CreatedNotice({ created, onClose }: { created: CreatedWebhook; onClose: () => void }) {
  const valid = created.validationStatus === 'VALID'
  return (
    <Notice tone={valid ? 'success' : 'warning'} onClose={onClose}>
      <p className="font-medium">
        Webhook “{created.name}” saved.{' '}
        {valid ? 'The test call was answered with 200: the connection is valid.' : `The test call failed: ${created.lastValidationError ?? 'the URL did not answer 200'}.`}
      </p>
      <p className="mt-1">
        Please note that the webhook is <strong>not active yet</strong>:{' '}
        <Link to={`/webhooks/${created.id}`} className="font-medium underline">
          open it
        </Link>{' '}
        to assign folders (or all folders) and switch it active.
      </p>
    </Notice>
  )
}

function WebhookRow({ w, isAdmin, onDelete, spark }: { w: Row; isAdmin: boolean; onDelete: (w: Row) => void; spark: StatsPoint[] | undefined }) {
  return (
    <tr className={cx(stacked.row, 'hover:bg-slate-50')} data-webhook-id={w.id}>
      <Td wide className="pr-10 md:pr-4">
        <Link to={`/webhooks/${w.id}`} className="font-medium wrap-anywhere text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
          {w.name}
        </Link>
        <div className="mt-0.5 flex max-w-full items-center gap-1 md:max-w-60 xl:max-w-xs">
          <span className="truncate font-mono text-xs text-slate-500" title={w.url}>
            {w.url}
          </span>
          <CopyButton value={w.url} label="Copy URL" className="size-6 shrink-0" />
        </div>
      </Td>
      <Td label="State" wide className="md:max-w-56 md:min-w-40">
        <span className="inline-flex flex-wrap gap-1">
          <ActiveBadge activity={w.activity} reason={w.inactiveReason} />
          {w.disabledReason ? <DisabledBadge reason={w.disabledReason} /> : null}
        </span>
        <div className="mt-1">
          <ValidationMark status={w.validationStatus} error={w.lastValidationError} validatedAt={w.lastValidatedAt} />
        </div>
      </Td>
      <Td label="Scope / filter" className="text-sm text-slate-700 md:max-w-48">
        <span className={cx('wrap-anywhere', !w.allFolders && (w.folders ?? []).length === 0 && 'text-slate-400')}>{scopeText(w.allFolders, w.folders)}</span>
        {w.filter ? (
          <div className="mt-1">
            <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs wrap-anywhere">{w.filter}</code>
          </div>
        ) : null}
      </Td>
      <Td label="Last call" className="text-sm">
        <LastCalls activity={w} />
      </Td>
      <Td label="Calls (24 h)" wide className="md:hidden lg:table-cell">
        <CallStats24h activity={w} />
        <div className="mt-1">
          <WebhookSparkline name={w.name} points={spark} />
        </div>
      </Td>
      <td className="absolute top-2 right-2 md:static md:table-cell md:px-2 md:py-3 md:text-right md:align-top">
        {isAdmin ? (
          <IconButton label={`Delete webhook ${w.name}`} onClick={() => onDelete(w)} tone="danger">
            <TrashIcon />
          </IconButton>
        ) : null}
      </td>
    </tr>
  )
}

/**
 * WebhooksPage is the overview: every webhook, its health and its recent
 * calls, a page at a time, searched on the server by name, URL (admins) or
 * folder name.
 */
export function WebhooksPage() {
  const isAdmin = useIsAdmin()
  const isPartner = useIsPartner()
  const [text, setText] = useState('')
  const search = useDebounced(text.trim())
  const pages = useCursorPages(search)
  const [{ data, fetching, error }, refetch] = useQuery({
    query: WebhookListQuery,
    variables: { first: PAGE_SIZE, after: pages.after, where: searchWhere(search) },
    requestPolicy: 'cache-and-network',
  })
  // Last call and 24-hour counts follow the calls as they happen.
  useCallEvents(() => refetch({ requestPolicy: 'network-only' }))
  const [adding, setAdding] = useState(false)
  const [sharing, setSharing] = useState(false)
  const [created, setCreated] = useState<CreatedWebhook | null>(null)
  const [deleting, setDeleting] = useState<Row | null>(null)
  const rows = (data?.webhooks.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []))
  // The sparklines come in a query of their own, once the list shows.
  const idKey = rows.map((w) => w.id).join(',')
  const ids = useMemo(() => (idKey ? idKey.split(',') : []), [idKey])
  const sparks = useSparklines(ids)

  const addButton = isAdmin ? (
    <Button variant="primary" onClick={() => setAdding(true)}>
      <PlusIcon /> Add webhook
    </Button>
  ) : null

  return (
    <>
      <PageHeader
        title={isPartner ? 'Your webhooks' : 'Webhooks'}
        description={
          isPartner
            ? 'Each of these webhooks sends an HTTP POST to your URL whenever a new file arrives for you: its health, its last calls and how the last 24 hours went.'
            : 'Webhooks send an HTTP POST to a third party whenever a new file arrives in the folders you choose.'
        }
        actions={
          rows.length > 0 || search ? (
            <>
              {isAdmin ? (
                <Button onClick={() => setSharing(true)}>
                  <ShareIcon /> Share with partner
                </Button>
              ) : null}
              {addButton}
            </>
          ) : null
        }
      />
      {created ? (
        <div className="mb-4">
          <CreatedNotice created={created} onClose={() => setCreated(null)} />
        </div>
      ) : null}
      <div className="mb-3" role="search">
        <SearchBox label="Search webhooks" value={text} onChange={setText} placeholder={isAdmin ? 'Search by name, URL or folder…' : 'Search by name or folder…'} />
      </div>
      <QueryState
        result={{ data, fetching, error }}
        loading="Loading webhooks…"
        errorTitle="The webhooks could not be loaded"
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
        staleError="children"
        isEmpty={() => rows.length === 0 && !search && pages.page === 0}
        empty={
          <Card>
            <EmptyState icon={<WebhookIcon className="size-6" />} title={isPartner ? 'No webhooks are shared with you' : 'No webhooks yet'} action={addButton}>
              {isPartner ? (
                <p>The platform has not shared a webhook with you, or no longer does. Ask it for a new link.</p>
              ) : (
                <p>
                  A webhook is an automated message that tells an external service about every new file: scoopa sends an HTTP POST with the file's name, size and a
                  download link to the URL your provider gives you, so they can fetch the file straight from our storage.
                </p>
              )}
              {!isAdmin && !isPartner ? <p className="mt-2">An admin can add the first one.</p> : null}
            </EmptyState>
          </Card>
        }
      >
        {() => (
          <Card className="overflow-hidden">
            {error ? (
              <div className="p-3">
                <ErrorBox title="Refreshing failed">{errorText(error)}</ErrorBox>
              </div>
            ) : null}
            <div className="relative overflow-x-auto">
              <table className={stacked.table}>
                <caption className="sr-only">Webhooks</caption>
                <thead className={cx(stacked.thead, 'bg-slate-50 text-left text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase')}>
                  <tr>
                    <th scope="col" className="px-4 py-2.5">Name / URL</th>
                    <th scope="col" className="px-4 py-2.5">State</th>
                    <th scope="col" className="px-4 py-2.5">Scope / filter</th>
                    <th scope="col" className="px-4 py-2.5">Last call</th>
                    <th scope="col" className="hidden px-4 py-2.5 lg:table-cell">Calls (24 h)</th>
                    <th scope="col" className="px-2 py-2.5">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody className={cx(stacked.tbody, 'bg-white')}>
                  {rows.map((w) => (
                    <WebhookRow key={w.id} w={w} isAdmin={isAdmin} onDelete={setDeleting} spark={sparks.get(w.id)} />
                  ))}
                </tbody>
              </table>
            </div>
            {rows.length === 0 && search ? <p className="px-4 py-6 text-sm text-slate-600">No webhook matches “{search}”.</p> : null}
            <Pager
              label="Webhooks"
              page={pages.page}
              pageSize={PAGE_SIZE}
              shown={rows.length}
              total={data?.webhooks.totalCount ?? 0}
              hasNext={data?.webhooks.pageInfo?.hasNextPage ?? false}
              onPrev={pages.prev}
              onNext={() => data?.webhooks.pageInfo?.endCursor && pages.next(data.webhooks.pageInfo.endCursor)}
            />
          </Card>
        )}
      </QueryState>
      <AddWebhookDialog
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={(w) => {
          setAdding(false)
          setCreated(w)
          // The rows stay while the list is fetched again with the new one.
          refetch({ requestPolicy: 'network-only' })
        }}
      />
      {isAdmin ? <ShareDialog open={sharing} onClose={() => setSharing(false)} /> : null}
      <DeleteWebhookDialog
        webhook={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(id) => {
          if (created?.id === id) setCreated(null)
          refetch({ requestPolicy: 'network-only' })
        }}
      />
    </>
  )
}
