// The webhook list on the console's real cache (makeCache), with a fake API
// behind it: after a save, the list keeps showing its rows (never the empty
// state or the spinner) while it refreshes.

import { act, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Client, type Exchange, type Operation } from '@urql/core'
import { afterEach, describe, expect, it } from 'vitest'
import { filter, fromPromise, mergeMap, pipe } from 'wonka'
import { makeCache } from '../lib/client'
import { renderWith } from '../test/render'
import { Route, Routes } from 'react-router'
import { WebhookEditPage } from './WebhookEdit'
import { WebhooksPage } from './Webhooks'

const stats = { __typename: 'WebhookCallStats', pending: 0, running: 0, retrying: 0, succeeded: 0, failed: 0, canceled: 0 }

function hook(id: string, name: string) {
  return {
    __typename: 'Webhook',
    id,
    name,
    url: `https://partner.example/${id}`,
    active: false,
    activity: 'NO_FOLDERS',
    inactiveReason: 'no folders assigned, and switched off',
    allFolders: false,
    filter: null,
    validationStatus: 'VALID',
    lastValidatedAt: null,
    lastValidationError: null,
    disabledReason: null,
    createdAt: '2026-12-01T10:00:00Z',
    folders: [],
    lastDelivery: null,
    lastValidation: null,
    deliveries24h: stats,
    validations24h: stats,
  }
}

/** detail is w with the fields of its page. */
function detail(w: ReturnType<typeof hook>) {
  return {
    ...w,
    disabledAt: null,
    updatedAt: '2026-12-01T10:00:00Z',
    signingSecret: 'whsec_abc',
    headers: [],
    maxRequestsPerSecond: null,
    maxConcurrent: null,
    timeoutSeconds: null,
    retryDelays: null,
    ordered: false,
    oauth2: null,
    clientCertificate: null,
    caCertificates: [],
  }
}

/**
 * server is a terminating exchange standing in for the API, answering after
 * a network's delay: the webhook list, its sparklines, createWebhook and
 * deleteWebhook. Subscriptions stay silent.
 */
function server(hooks: ReturnType<typeof hook>[]): Exchange {
  const answer = async (op: Operation) => {
    await new Promise((r) => setTimeout(r, 30))
    const name = op.query.definitions.map((d) => ('name' in d ? d.name?.value : undefined)).find(Boolean)
    const v = op.variables as Record<string, unknown>
    let data: unknown = null
    if (name === 'WebhookList') {
      data = {
        webhooks: {
          __typename: 'WebhookConnection',
          totalCount: hooks.length,
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
          edges: hooks.map((node) => ({ __typename: 'WebhookEdge', node })),
        },
      }
    } else if (name === 'WebhookSparklines') {
      data = { nodes: (v.ids as string[]).map((id) => ({ __typename: 'Webhook', id, recentStats: [] })) }
    } else if (name === 'CreateWebhook') {
      const input = v.input as { name: string }
      const w = hook(String(hooks.length + 100), input.name)
      hooks.push(w)
      data = { createWebhook: { __typename: 'Webhook', id: w.id, name: w.name, url: w.url, active: false, validationStatus: 'VALID', lastValidatedAt: null, lastValidationError: null } }
    } else if (name === 'WebhookDetail') {
      data = { node: detail(hooks.find((w) => w.id === v.id)!) }
    } else if (name === 'UpdateWebhook') {
      const w = hooks.find((w) => w.id === v.id)!
      Object.assign(w, v.input as object)
      data = { updateWebhook: detail(w) }
    } else if (name === 'FolderSearch') {
      data = { folders: { __typename: 'FolderConnection', totalCount: 0, pageInfo: { __typename: 'PageInfo', hasNextPage: false }, edges: [] } }
    } else if (name === 'WebhookStats') {
      await new Promise(() => {}) // the charts wait
    } else if (name === 'DeleteWebhook') {
      hooks.splice(
        hooks.findIndex((w) => w.id === v.id),
        1,
      )
      data = { deleteWebhook: v.id }
    }
    return { operation: op, data, stale: false, hasNext: false }
  }
  return () => (ops$) =>
    pipe(
      ops$,
      filter((op) => op.kind === 'query' || op.kind === 'mutation'),
      mergeMap((op) => fromPromise(answer(op))),
    )
}

/** watchRows records every moment the list shows no row once it had shown some. */
function watchRows(): { blanks: string[]; stop: () => void } {
  const blanks: string[] = []
  let seen = false
  const check = () => {
    if (!document.querySelector('[role=search]')) return // another page
    if (document.querySelectorAll('tr[data-webhook-id]').length > 0) {
      seen = true
    } else if (seen) {
      const text = document.body.textContent ?? ''
      blanks.push(text.includes('No webhooks yet') ? 'empty state' : text.includes('Loading webhooks') ? 'spinner' : 'no rows')
    }
  }
  const mo = new MutationObserver(check)
  mo.observe(document.body, { subtree: true, childList: true, characterData: true })
  return { blanks, stop: () => mo.disconnect() }
}

describe('the webhook list with the console cache', () => {
  let stop = () => {}
  afterEach(() => stop())

  it('keeps its rows while a new webhook is saved and the list refreshes', async () => {
    const hooks = [hook('1', 'Partner')]
    const client = new Client({ url: '/graphql', requestPolicy: 'cache-and-network', exchanges: [makeCache(), server(hooks)] })
    renderWith(<WebhooksPage />, { client })
    expect(await screen.findByText('Partner')).toBeInTheDocument()
    const watch = watchRows()
    stop = watch.stop

    await userEvent.click(screen.getAllByRole('button', { name: 'Add webhook' })[0])
    const dialog = await screen.findByRole('dialog', { name: 'Add webhook' })
    await userEvent.type(dialog.querySelector('input:not([type=url])') as HTMLElement, 'Second')
    await userEvent.type(dialog.querySelector('input[type=url]') as HTMLElement, 'https://second.example/hook')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Second', {}, { timeout: 3000 })).toBeInTheDocument()
    await act(() => new Promise((r) => setTimeout(r, 300)))
    expect(document.querySelectorAll('tr[data-webhook-id]')).toHaveLength(2)
    expect(watch.blanks).toEqual([])
  })

  it('keeps its rows when a webhook was saved on its page', async () => {
    const hooks = [hook('1', 'Partner'), hook('2', 'Other')]
    const client = new Client({ url: '/graphql', requestPolicy: 'cache-and-network', exchanges: [makeCache(), server(hooks)] })
    renderWith(
      <Routes>
        <Route path="/webhooks" element={<WebhooksPage />} />
        <Route path="/webhooks/:id" element={<WebhookEditPage />} />
      </Routes>,
      { client, path: '/webhooks' },
    )
    await userEvent.click(await screen.findByRole('link', { name: 'Partner' }))
    const watch = watchRows()
    stop = watch.stop
    const name = await screen.findByRole('textbox', { name: 'Name' })
    await userEvent.clear(name)
    await userEvent.type(name, 'Partner renamed')
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    expect(await screen.findByText('Saved.')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('link', { name: /All webhooks/ }))
    expect(await screen.findByRole('link', { name: 'Partner renamed' })).toBeInTheDocument()
    await act(() => new Promise((r) => setTimeout(r, 300)))
    expect(document.querySelectorAll('tr[data-webhook-id]')).toHaveLength(2)
    expect(watch.blanks).toEqual([])
  })
})
