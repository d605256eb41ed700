import { CombinedError } from '@urql/core'
import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { concat, fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import { ShareDialog } from './ShareDialog'

const result = (data: unknown, error?: CombinedError) => concat([fromValue({ data, error, stale: false, hasNext: false }), never])
const hook = (id: string, name: string) => ({ node: { __typename: 'Webhook', id, name, active: true } })
const choices = { webhooks: { __typename: 'WebhookConnection', totalCount: 2, edges: [hook('12', 'Acme delivery'), hook('13', 'Acme archive')] } }
const inAnHour = () => new Date(Date.now() + 3600_000 + 30_000).toISOString()

function setup(mutation: () => ReturnType<typeof result>) {
  const client = {
    executeQuery: vi.fn(() => result(choices)),
    executeMutation: vi.fn(mutation),
  }
  renderWith(<ShareDialog open onClose={() => {}} webhook={{ id: '12', name: 'Acme delivery' }} />, { client })
  return client
}

describe('ShareDialog', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('shares the chosen webhooks and shows the link once, with a copy button and its expiry', async () => {
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const url = 'http://scoopa.example/portal#spl_0123456789abcdef'
    const client = setup(() => result({ createPortalLink: { url, expiresAt: inAnHour(), token: { __typename: 'APIToken', id: '77', name: 'Acme Media' } } }))
    const dialog = screen.getByRole('dialog', { name: 'Share with partner' })
    // The current webhook is chosen already; another is added.
    expect(within(dialog).getByRole('checkbox', { name: 'Acme delivery' })).toBeChecked()
    await userEvent.click(await within(dialog).findByRole('checkbox', { name: 'Acme archive' }))
    await userEvent.type(within(dialog).getByLabelText('Partner name'), 'Acme Media')
    await userEvent.type(within(dialog).getByLabelText('Title of the partner’s view'), 'Acme media webhooks')
    await userEvent.selectOptions(within(dialog).getByLabelText('Link valid for'), '1h')
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /May change delivery settings/ }))
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create link' }))

    const done = await screen.findByRole('dialog', { name: 'Portal link created' })
    expect(client.executeMutation).toHaveBeenCalledTimes(1)
    const [op] = client.executeMutation.mock.calls[0] as unknown as [{ variables: unknown }]
    expect(op.variables).toEqual({ input: { webhookIDs: ['12', '13'], manage: true, validFor: '1h', title: 'Acme media webhooks', name: 'Acme Media' } })
    expect(within(done).getByLabelText('Portal link')).toHaveTextContent(url)
    expect(within(done).getByTestId('portal-link-expiry')).toHaveTextContent(/Expires in 1 hour/)
    expect(within(done).getByTestId('portal-link-expiry')).toHaveTextContent('“Acme Media”')
    await userEvent.click(within(done).getByRole('button', { name: 'Copy link' }))
    expect(writeText).toHaveBeenCalledWith(url)
    expect(await within(done).findByRole('button', { name: 'Copied' })).toBeInTheDocument()
  })

  it('offers at most 24 hours and asks for a webhook before sending', async () => {
    const client = setup(() => never)
    const dialog = screen.getByRole('dialog', { name: 'Share with partner' })
    const validity = within(dialog).getByLabelText('Link valid for')
    expect(validity).toHaveValue('24h')
    expect(within(validity).getAllByRole('option').map((o) => o.getAttribute('value'))).toEqual(['1h', '4h', '12h', '24h'])
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Acme delivery' }))
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create link' }))
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Choose at least one webhook to share.')
    expect(client.executeMutation).not.toHaveBeenCalled()
  })

  it('shows a server error next to its field', async () => {
    const error = new CombinedError({ graphQLErrors: [{ message: 'title: at most 120 characters', extensions: { code: 'BAD_USER_INPUT', field: 'title' } }] })
    setup(() => result(undefined, error))
    const dialog = screen.getByRole('dialog', { name: 'Share with partner' })
    await userEvent.type(within(dialog).getByLabelText('Title of the partner’s view'), 'Acme')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create link' }))
    expect(await within(dialog).findByText('at most 120 characters')).toBeInTheDocument()
    expect(within(dialog).getByLabelText('Title of the partner’s view')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.queryByRole('dialog', { name: 'Portal link created' })).toBeNull()
  })
})
