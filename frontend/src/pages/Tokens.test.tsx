import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { concat, fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import { TokensPage } from './Tokens'

const result = (data: unknown) => concat([fromValue({ data, stale: false, hasNext: false }), never])
const ago = (sec: number) => new Date(Date.now() - sec * 1000).toISOString()
const hook = (id: string, name: string) => ({ __typename: 'Webhook', id, name })

const tokens = {
  apiTokens: [
    { __typename: 'APIToken', id: '1', name: 'CI', role: 'ADMIN', prefix: 'sk_ab', createdAt: ago(60), lastUsedAt: null, expiresAt: null, revokedAt: null, manage: false, webhooks: [] },
    {
      __typename: 'APIToken',
      id: '2',
      name: 'Acme Media',
      role: 'PARTNER',
      prefix: 'sk_cd',
      createdAt: ago(60),
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
      manage: true,
      webhooks: [hook('12', 'Acme delivery'), hook('13', 'Acme archive')],
    },
  ],
}

function setup() {
  const client = {
    executeQuery: vi.fn((op: { query: { definitions: { name?: { value: string } }[] } }) => {
      const name = op.query.definitions.find((d) => d.name)?.name?.value
      if (name === 'ApiTokens') return result(tokens)
      if (name === 'ConsoleSessions') return result({ sessions: [] })
      if (name === 'WebhookChoices')
        return result({ webhooks: { __typename: 'WebhookConnection', totalCount: 2, edges: [{ node: { ...hook('12', 'Acme delivery'), active: true } }, { node: { ...hook('14', 'Bolt delivery'), active: true } }] } })
      return never
    }),
    executeMutation: vi.fn(() => never),
  }
  renderWith(<TokensPage />, { client })
  return client
}

describe('TokensPage', () => {
  it('lists a partner token’s webhooks and its grant', async () => {
    setup()
    const row = (await screen.findByText('Acme Media')).closest('tr') as HTMLElement
    expect(within(row).getAllByText('Partner')[0]).toBeInTheDocument()
    const scope = within(row).getByTestId('partner-scope')
    expect(within(scope).getByRole('link', { name: 'Acme delivery' })).toHaveAttribute('href', '/webhooks/12')
    expect(within(scope).getByRole('link', { name: 'Acme archive' })).toHaveAttribute('href', '/webhooks/13')
    expect(scope).toHaveTextContent('may change delivery settings')
    const admin = screen.getByText('CI').closest('tr') as HTMLElement
    expect(within(admin).queryByTestId('partner-scope')).toBeNull()
  })

  it('creates a PARTNER token for the webhooks chosen, with the manage grant', async () => {
    const client = setup()
    await userEvent.click(await screen.findByRole('button', { name: 'Create token' }))
    const dialog = screen.getByRole('dialog', { name: 'Create API token' })
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Bolt Media')
    expect(within(dialog).queryByRole('group', { name: 'Partner’s webhooks' })).toBeNull()
    await userEvent.selectOptions(within(dialog).getByLabelText('Role'), 'PARTNER')
    expect(within(dialog).getByRole('group', { name: 'Partner’s webhooks' })).toBeInTheDocument()
    // A partner token needs its webhooks.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create token' }))
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Choose the webhooks this partner sees.')
    expect(client.executeMutation).not.toHaveBeenCalled()
    await userEvent.click(await within(dialog).findByRole('checkbox', { name: 'Bolt delivery' }))
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /May change delivery settings/ }))
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create token' }))
    const [op] = client.executeMutation.mock.calls[0] as unknown as [{ variables: unknown }]
    expect(op.variables).toEqual({ input: { name: 'Bolt Media', role: 'PARTNER', expiresAt: undefined, webhookIDs: ['14'], manage: true } })
  })
})
