import { CombinedError } from '@urql/core'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import { AddWebhookDialog } from './AddWebhookDialog'

const badURL = new CombinedError({
  graphQLErrors: [{ message: 'url: resolves to a private address', extensions: { code: 'BAD_USER_INPUT', field: 'url' } }],
})

describe('AddWebhookDialog', () => {
  it('checks name and URL before sending', async () => {
    const client = { executeMutation: vi.fn(() => never) }
    renderWith(<AddWebhookDialog open onClose={() => {}} onCreated={() => {}} />, { client })
    await userEvent.type(screen.getByLabelText('URL'), 'ftp://example.com')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(screen.getByText('Give the webhook a name.')).toBeInTheDocument()
    expect(screen.getByText('must be an absolute http or https URL')).toBeInTheDocument()
    expect(client.executeMutation).not.toHaveBeenCalled()
  })

  it('shows a server field error next to its field', async () => {
    const client = { executeMutation: vi.fn(() => fromValue({ error: badURL, data: undefined, stale: false, hasNext: false })) }
    renderWith(<AddWebhookDialog open onClose={() => {}} onCreated={() => {}} />, { client })
    await userEvent.type(screen.getByLabelText('Name'), 'Partner')
    await userEvent.type(screen.getByLabelText(/^URL/), 'http://10.0.0.1/hook')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    const msg = await screen.findByText('resolves to a private address')
    const url = screen.getByLabelText(/^URL/)
    expect(url).toHaveAttribute('aria-invalid', 'true')
    expect(url.getAttribute('aria-describedby')).toContain(msg.id)
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid')
    expect(client.executeMutation).toHaveBeenCalledTimes(1)
    const [op] = client.executeMutation.mock.calls[0] as unknown as [{ variables: unknown }]
    expect(op.variables).toEqual({ input: { name: 'Partner', url: 'http://10.0.0.1/hook' } })
  })

  it('shows a spinner while the URL is tested, then hands over the webhook', async () => {
    const created = { id: '7', name: 'Partner', url: 'https://p.example/h', active: false, validationStatus: 'VALID', lastValidatedAt: null, lastValidationError: null }
    let resolve: (v: unknown) => void = () => {}
    const { fromPromise } = await import('wonka')
    const client = { executeMutation: vi.fn(() => fromPromise(new Promise((r) => (resolve = r)))) }
    const onCreated = vi.fn()
    renderWith(<AddWebhookDialog open onClose={() => {}} onCreated={onCreated} />, { client })
    await userEvent.type(screen.getByLabelText('Name'), 'Partner')
    await userEvent.type(screen.getByLabelText(/^URL/), 'https://p.example/h')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText(/Testing the URL/)).toBeInTheDocument()
    resolve({ data: { createWebhook: created }, stale: false, hasNext: false })
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created))
  })
})
