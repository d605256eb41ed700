import { CombinedError } from '@urql/core'
import { screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { concat, fromValue, never } from 'wonka'
import { AppRoutes } from '../SignedIn'
import type { Role } from '../lib/session'
import { renderWith } from '../test/render'

const none = { pending: 0, running: 0, retrying: 0, succeeded: 0, failed: 0, canceled: 0 }
const ago = (sec: number) => new Date(Date.now() - sec * 1000).toISOString()

function webhook(over: Record<string, unknown> = {}) {
  return {
    __typename: 'Webhook',
    id: '12',
    name: 'Acme delivery',
    url: 'https://acme.example/hook',
    active: true,
    activity: 'ACTIVE',
    inactiveReason: null,
    allFolders: false,
    filter: null,
    validationStatus: 'VALID',
    lastValidatedAt: ago(3600),
    lastValidationError: null,
    disabledReason: null,
    disabledAt: null,
    createdAt: ago(7200),
    updatedAt: ago(3600),
    signingSecret: 'whsec_partnersecret',
    headers: [],
    folders: [{ __typename: 'Folder', id: 'f1', name: 'Acme inbox' }],
    maxRequestsPerSecond: null,
    maxConcurrent: null,
    timeoutSeconds: null,
    retryDelays: null,
    ordered: false,
    oauth2: null,
    clientCertificate: null,
    caCertificates: [],
    lastDelivery: null,
    lastValidation: null,
    deliveries24h: none,
    validations24h: none,
    ...over,
  }
}

const result = (data: unknown, error?: CombinedError) => concat([fromValue({ data, error, stale: false, hasNext: false }), never])

/**
 * setup renders the console's routes at path for role, with a server that
 * knows one partner webhook (ID 12) and answers any other ID as not found.
 */
function setup(path: string, { role = 'PARTNER', manage = true, portalTitle = null }: { role?: Role; manage?: boolean; portalTitle?: string | null } = {}) {
  const client = {
    executeQuery: vi.fn((op: { query: { definitions: { name?: { value: string } }[] }; variables: Record<string, unknown> }) => {
      const name = op.query.definitions.find((d) => d.name)?.name?.value
      switch (name) {
        case 'PartnerViewer':
          return result({
            viewer: { __typename: 'Viewer', role, tokenName: 'Acme portal', manage, portalTitle, webhooks: [{ __typename: 'Webhook', id: '12', name: 'Acme delivery' }] },
          })
        case 'WebhookList':
          return result({ webhooks: { __typename: 'WebhookConnection', totalCount: 0, pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null }, edges: [] } })
        case 'WebhookDetail':
          if (op.variables.id === '12') return result({ node: webhook() })
          return result({ node: null }, new CombinedError({ graphQLErrors: [{ message: `no object has the ID ${String(op.variables.id)}: not found`, extensions: { code: 'NOT_FOUND' } }] }))
        default:
          return never
      }
    }),
    executeSubscription: vi.fn(() => never),
    executeMutation: vi.fn(() => never),
  }
  renderWith(<AppRoutes />, { client, role, path })
  return client
}

const nav = () => screen.getByRole('navigation', { name: 'Main' })

describe('partner mode', () => {
  it('frames the console as the partner’s portal: its title, its webhooks and calls, nothing of the platform', async () => {
    setup('/webhooks')
    expect(await screen.findByRole('heading', { name: 'No webhooks are shared with you' })).toBeInTheDocument()
    expect(await screen.findByTestId('portal-title')).toHaveTextContent('Webhooks')
    expect(within(screen.getByRole('banner')).getByText('Webhook portal')).toBeInTheDocument()
    const links = within(nav())
      .getAllByRole('link')
      .map((a) => [a.textContent?.trim(), a.getAttribute('href')])
    expect(links).toEqual([
      ['Webhooks', '/webhooks'],
      ['Call log', '/calls'],
    ])
    expect(screen.queryByRole('link', { name: /Folders|API tokens|Audit log/ })).toBeNull()
    expect(screen.queryByRole('button', { name: /Add webhook/ })).toBeNull()
    expect(screen.queryByText(/viewer token/)).toBeNull()
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument()
  })

  it('heads the portal with the link’s title', async () => {
    setup('/webhooks', { portalTitle: 'Acme media webhooks' })
    expect(await screen.findByTestId('portal-title')).toHaveTextContent('Acme media webhooks')
    expect(document.title).toBe('Acme media webhooks')
  })

  it.each(['/folders', '/tokens', '/audit'])('has no %s: the page does not exist for a partner', async (path) => {
    setup(path)
    expect(await screen.findByRole('heading', { name: 'This page does not exist' })).toBeInTheDocument()
    expect(within(nav()).queryByRole('link', { name: /Folders|API tokens|Audit log/ })).toBeNull()
  })

  it('keeps the platform’s navigation for an admin', async () => {
    setup('/tokens-nowhere', { role: 'ADMIN' })
    await screen.findByRole('heading', { name: 'This page does not exist' })
    const names = within(screen.getAllByRole('navigation', { name: 'Main' })[0])
      .getAllByRole('link')
      .map((a) => a.textContent?.trim())
    expect(names).toEqual(expect.arrayContaining(['Webhooks', 'Folders & files', 'API tokens', 'Audit log']))
    expect(screen.queryByTestId('portal-title')).toBeNull()
  })

  it('shows a partner with the manage grant only the delivery settings of its webhook, and its tools', async () => {
    setup('/webhooks/12')
    const form = await screen.findByRole('form', { name: 'Delivery settings' })
    expect(within(form).getByLabelText('URL')).toBeEnabled()
    expect(within(form).queryByLabelText('Name')).toBeNull()
    expect(within(form).queryByText('Folders')).toBeNull()
    expect(within(form).queryByLabelText('Filename filter')).toBeNull()
    expect(within(form).queryByRole('switch', { name: 'Active' })).toBeNull()
    expect(within(form).getByRole('button', { name: 'Save changes' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Rotate secret' })).toBeInTheDocument()
    expect(screen.getByLabelText('Signing secret')).toHaveTextContent('whsec_')
    expect(screen.getByRole('button', { name: 'Send test file' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Recover failed calls' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: /Re-Validate/ })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull()
    expect(screen.queryByRole('button', { name: /Share with partner/ })).toBeNull()
  })

  it('shows a partner without the grant its settings read-only, but lets it rotate, recover and test', async () => {
    setup('/webhooks/12', { manage: false })
    const form = await screen.findByRole('form', { name: 'Delivery settings' })
    expect(within(form).getByLabelText('URL')).toBeDisabled()
    expect(within(form).queryByRole('button', { name: 'Save changes' })).toBeNull()
    expect(screen.queryByRole('button', { name: /Re-Validate/ })).toBeNull()
    expect(screen.getByRole('button', { name: 'Rotate secret' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Send test file' })).toBeInTheDocument()
  })

  it('answers another partner’s webhook as one that does not exist', async () => {
    setup('/webhooks/13')
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('This webhook does not exist')
    expect(screen.queryByRole('form')).toBeNull()
  })
})
