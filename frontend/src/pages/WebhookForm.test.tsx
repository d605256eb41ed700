import { CombinedError } from '@urql/core'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import { searchFolders } from '../test/folders'
import { WebhookForm, type EditableWebhook } from './WebhookForm'

const webhook: EditableWebhook = {
  id: '12',
  name: 'Partner',
  url: 'https://partner.example/hook',
  active: false,
  allFolders: false,
  filter: null,
  headers: [{ id: 'h1', name: 'Authorization', value: '****cret' }],
  folders: [{ id: 'f1', name: 'Inbox' }],
}
const folders = [
  { id: 'f1', name: 'Inbox' },
  { id: 'f2', name: 'Press photos' },
  { id: 'f3', name: 'Videos' },
]

function lastInput(client: { executeMutation: ReturnType<typeof vi.fn> }) {
  const calls = client.executeMutation.mock.calls
  return (calls[calls.length - 1][0] as { variables: { id: string; input: Record<string, unknown> } }).variables
}

const ok = (w: Partial<EditableWebhook> = {}) =>
  fromValue({ data: { updateWebhook: { ...webhook, validationStatus: 'VALID', lastValidatedAt: null, lastValidationError: null, updatedAt: '2026-01-01T00:00:00Z', ...w } }, stale: false, hasNext: false })

describe('WebhookForm', () => {
  it('shows stored header values masked and keeps them with value null', async () => {
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok()) }
    renderWith(<WebhookForm webhook={webhook} />, { client })
    const masked = screen.getByLabelText('Header 1 value (saved, masked)')
    expect(masked).toHaveValue('****cret')
    expect(masked).toHaveAttribute('readonly')

    await userEvent.click(screen.getByRole('button', { name: /Add header/ }))
    await userEvent.type(screen.getByLabelText('Header 2 name'), 'X-Team')
    await userEvent.type(screen.getByLabelText('Header 2 value'), 'media')
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
    expect(lastInput(client)).toEqual({
      id: '12',
      input: {
        headers: [
          { name: 'Authorization', value: null },
          { name: 'X-Team', value: 'media' },
        ],
      },
    })
  })

  it('sends a new value for a stored header once it is changed', async () => {
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok()) }
    renderWith(<WebhookForm webhook={webhook} />, { client })
    await userEvent.click(screen.getByRole('button', { name: 'Change' }))
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    expect(screen.getByText('Header “Authorization” needs a value.')).toBeInTheDocument()
    expect(client.executeMutation).not.toHaveBeenCalled()
    await userEvent.type(screen.getByLabelText('Header 1 value'), 'Bearer new')
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
    expect(lastInput(client).input).toEqual({ headers: [{ name: 'Authorization', value: 'Bearer new' }] })
  })

  it('sends only what changed: folders, filter and the active switch', async () => {
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok()) }
    renderWith(<WebhookForm webhook={webhook} />, { client })
    const picker = screen.getByRole('combobox')
    await userEvent.type(picker, 'press')
    await userEvent.click(screen.getByRole('option', { name: 'Press photos' }))
    await userEvent.click(screen.getByRole('button', { name: 'Remove folder Inbox' }))
    await userEvent.type(screen.getByLabelText(/Filename filter/), '.MOV')
    await userEvent.click(screen.getByRole('switch', { name: 'Active' }))
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
    expect(lastInput(client).input).toEqual({ addFolderIDs: ['f2'], removeFolderIDs: ['f1'], filter: '.MOV', active: true })
  })

  it('shows server field errors next to their fields', async () => {
    const error = new CombinedError({
      graphQLErrors: [
        { message: 'url: must be an absolute http or https URL', extensions: { code: 'BAD_USER_INPUT', field: 'url' } },
        { message: 'addFolderIDs: folder 99 does not exist', extensions: { code: 'BAD_USER_INPUT', field: 'addFolderIDs' } },
      ],
    })
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => fromValue({ error, stale: false, hasNext: false })) }
    renderWith(<WebhookForm webhook={{ ...webhook, headers: [] }} />, { client })
    const url = screen.getByLabelText(/^URL/)
    await userEvent.clear(url)
    await userEvent.type(url, 'https://other.example/hook')
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    const urlErr = await screen.findByText('must be an absolute http or https URL')
    expect(url).toHaveAttribute('aria-invalid', 'true')
    expect(url.getAttribute('aria-describedby')).toContain(urlErr.id)
    const folderErr = screen.getByText('folder 99 does not exist')
    expect(screen.getByRole('combobox').getAttribute('aria-describedby')).toContain(folderErr.id)
  })

  it('asks for the header values again when the URL moves to another host', async () => {
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok()) }
    renderWith(<WebhookForm webhook={webhook} />, { client })
    const url = screen.getByLabelText(/^URL/)
    await userEvent.clear(url)
    await userEvent.type(url, 'https://other.example/hook')
    expect(screen.queryByLabelText('Header 1 value (saved, masked)')).not.toBeInTheDocument()
    expect(screen.getByText(/The URL points to another host: type the header values again/)).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    expect(screen.getByText('The URL points to another host: give the value of “Authorization” again, or remove the header.')).toBeInTheDocument()
    expect(client.executeMutation).not.toHaveBeenCalled()

    await userEvent.type(screen.getByLabelText('Header 1 value'), 'Bearer other')
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
    expect(lastInput(client).input).toEqual({ url: 'https://other.example/hook', headers: [{ name: 'Authorization', value: 'Bearer other' }] })
  })

  it('sends the headers removed when the URL moves to another host', async () => {
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok()) }
    renderWith(<WebhookForm webhook={webhook} />, { client })
    const url = screen.getByLabelText(/^URL/)
    await userEvent.clear(url)
    await userEvent.type(url, 'http://partner.example/hook')
    await userEvent.click(screen.getByRole('button', { name: 'Remove header Authorization' }))
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
    expect(lastInput(client).input).toEqual({ url: 'http://partner.example/hook', headers: [] })
  })

  it('keeps stored header values when the URL stays on the same host', async () => {
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok()) }
    renderWith(<WebhookForm webhook={webhook} />, { client })
    const url = screen.getByLabelText(/^URL/)
    await userEvent.clear(url)
    await userEvent.type(url, 'https://partner.example:443/other')
    expect(screen.getByLabelText('Header 1 value (saved, masked)')).toHaveValue('****cret')
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
    expect(lastInput(client).input).toEqual({ url: 'https://partner.example:443/other' })
  })

  it('shows every bad header from the server next to its own field', async () => {
    const error = new CombinedError({
      graphQLErrors: [
        { message: 'headers.0.name: header name "X Bad" is not a valid HTTP token', extensions: { code: 'BAD_USER_INPUT', field: 'headers.0.name' } },
        { message: 'headers.2.name: header "Host" is set by the service and cannot be overridden', extensions: { code: 'BAD_USER_INPUT', field: 'headers.2.name' } },
        { message: 'headers.1.value: value of header "X-Two" must not contain CR, LF or NUL', extensions: { code: 'BAD_USER_INPUT', field: 'headers.1.value' } },
      ],
    })
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => fromValue({ error, stale: false, hasNext: false })) }
    renderWith(<WebhookForm webhook={{ ...webhook, headers: [] }} />, { client })
    for (const [i, name] of ['X Bad', 'X-Two', 'Host'].entries()) {
      await userEvent.click(screen.getByRole('button', { name: /Add header/ }))
      await userEvent.type(screen.getByLabelText(`Header ${i + 1} name`), name)
      await userEvent.type(screen.getByLabelText(`Header ${i + 1} value`), 'v')
    }
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))

    const first = await screen.findByText('header name "X Bad" is not a valid HTTP token')
    const second = screen.getByText('value of header "X-Two" must not contain CR, LF or NUL')
    const third = screen.getByText('header "Host" is set by the service and cannot be overridden')
    const rows = screen.getAllByText((_, el) => el?.hasAttribute('data-header-row') ?? false)
    expect(rows).toHaveLength(3)
    // Each message sits in its header's row, on the input at fault.
    expect(rows[0]).toContainElement(first)
    expect(rows[1]).toContainElement(second)
    expect(rows[2]).toContainElement(third)
    expect(screen.getByLabelText('Header 1 name')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('Header 1 name')).toHaveAccessibleDescription('header name "X Bad" is not a valid HTTP token')
    expect(screen.getByLabelText('Header 2 name')).not.toHaveAttribute('aria-invalid')
    expect(screen.getByLabelText('Header 2 value')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('Header 3 name')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.queryByText(/were not saved/)).toBeNull()
  })

  it('checks every header before saving and marks each bad one', async () => {
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok()) }
    renderWith(<WebhookForm webhook={{ ...webhook, headers: [] }} />, { client })
    for (const [i, [name, value]] of [['X-One', ''], ['', 'v'], ['x-one', 'v']].entries()) {
      await userEvent.click(screen.getByRole('button', { name: /Add header/ }))
      if (name) await userEvent.type(screen.getByLabelText(`Header ${i + 1} name`), name)
      if (value) await userEvent.type(screen.getByLabelText(`Header ${i + 1} value`), value)
    }
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))

    expect(await screen.findByText('Header “X-One” needs a value.')).toBeInTheDocument()
    expect(screen.getByText('Every header needs a name.')).toBeInTheDocument()
    expect(screen.getByText('Header “x-one” is given twice.')).toBeInTheDocument()
    expect(screen.getByLabelText('Header 1 value')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('Header 2 name')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('Header 3 name')).toHaveAttribute('aria-invalid', 'true')
    expect(client.executeMutation).not.toHaveBeenCalled()
  })

  it('sets, changes and clears the delivery limits, timeout and retry schedule', async () => {
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok({ maxRequestsPerSecond: 20, maxConcurrent: 5, timeoutSeconds: 10, retryDelays: ['30s', '5m'] })) }
    renderWith(<WebhookForm webhook={webhook} />, { client })
    await userEvent.type(screen.getByLabelText(/Max requests per second/), '20')
    await userEvent.type(screen.getByLabelText(/Max requests at once/), '5')
    await userEvent.type(screen.getByLabelText(/Timeout \(seconds\)/), '10')
    await userEvent.type(screen.getByLabelText(/Retry delays/), '30s, 5m')
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
    expect(lastInput(client).input).toEqual({ maxRequestsPerSecond: 20, maxConcurrent: 5, timeoutSeconds: 10, retryDelays: ['30s', '5m'] })
    // Saved: the form shows the stored values; emptying a field clears it.
    expect(screen.getByLabelText(/Max requests per second/)).toHaveValue('20')
    await userEvent.clear(screen.getByLabelText(/Max requests per second/))
    await userEvent.clear(screen.getByLabelText(/Retry delays/))
    await userEvent.type(screen.getByLabelText(/Retry delays/), 'none')
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(2))
    expect(lastInput(client).input).toEqual({ clearMaxRequestsPerSecond: true, retryDelays: [] })
  })

  it('checks the limits before saving and shows the server errors on them', async () => {
    const error = new CombinedError({
      graphQLErrors: [
        { message: 'retryDelays.1: "soon" is not a duration such as 30s, 10m or 1h30m', extensions: { code: 'BAD_USER_INPUT', field: 'retryDelays.1' } },
      ],
    })
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => fromValue({ error, stale: false, hasNext: false })) }
    renderWith(<WebhookForm webhook={webhook} />, { client })
    const timeout = screen.getByLabelText(/Timeout \(seconds\)/)
    await userEvent.type(timeout, '31')
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    expect(screen.getByText('The timeout must be a whole number from 1 to 30, or empty.')).toBeInTheDocument()
    expect(timeout).toHaveAttribute('aria-invalid', 'true')
    expect(client.executeMutation).not.toHaveBeenCalled()
    await userEvent.clear(timeout)
    await userEvent.type(screen.getByLabelText(/Retry delays/), '1m, soon')
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    const delays = screen.getByLabelText(/Retry delays/)
    expect(await screen.findByText(/Delay 2: .*"soon" is not a duration/)).toBeInTheDocument()
    expect(delays).toHaveAttribute('aria-invalid', 'true')
  })

  it('switches ordered delivery on and off, explaining it in one line', async () => {
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok({ ordered: true })) }
    renderWith(<WebhookForm webhook={webhook} />, { client })
    const toggle = screen.getByRole('switch', { name: 'Ordered delivery' })
    expect(toggle).toHaveAttribute('aria-checked', 'false')
    expect(screen.getByText(/One call at a time, in the order the files arrived/)).toBeInTheDocument()
    await userEvent.click(toggle)
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
    expect(lastInput(client).input).toEqual({ ordered: true })
  })

  it('sends ordered: false for an ordered webhook switched off, and nothing when left alone', async () => {
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok({ ordered: false })) }
    renderWith(<WebhookForm webhook={{ ...webhook, ordered: true }} />, { client })
    const toggle = screen.getByRole('switch', { name: 'Ordered delivery' })
    expect(toggle).toHaveAttribute('aria-checked', 'true')
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeDisabled()
    await userEvent.click(toggle)
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
    expect(lastInput(client).input).toEqual({ ordered: false })
  })

  it('is read-only for viewers', () => {
    const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => never) }
    renderWith(<WebhookForm webhook={webhook} readOnly />, { client, role: 'VIEWER' })
    expect(screen.getByLabelText('Name')).toBeDisabled()
    expect(screen.getByRole('switch', { name: 'Active' })).toBeDisabled()
    expect(screen.queryByRole('button', { name: 'Save changes' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Add header/ })).not.toBeInTheDocument()
    expect(within(screen.getByRole('form')).getByLabelText('Header 1 value (saved, masked)')).toHaveValue('****cret')
  })
  describe('Authentication', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----'
    const key = '-----BEGIN PRIVATE KEY-----\nMIIBkey\n-----END PRIVATE KEY-----'
    const day = 86_400_000
    const saved = (notAfter: number) => ({
      subject: 'CN=scoopa-client',
      issuer: 'CN=Partner CA',
      notBefore: '2026-01-01T00:00:00Z',
      notAfter: new Date(notAfter).toISOString(),
      fingerprint: 'ab12',
    })
    const withAuth: EditableWebhook = {
      ...webhook,
      oauth2: { tokenURL: 'https://auth.partner.example/token', clientID: 'scoopa', clientSecret: '****cret', scopes: ['hooks.write'], audience: null },
      clientCertificate: saved(Date.now() + 200 * day),
      caCertificates: [saved(Date.now() + 400 * day)],
    }
    const paste = async (el: HTMLElement, text: string) => {
      await userEvent.click(el)
      await userEvent.paste(text)
    }
    const save = () => userEvent.click(screen.getByRole('button', { name: 'Save changes' }))

    it('adds OAuth2 with every field', async () => {
      const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok()) }
      renderWith(<WebhookForm webhook={webhook} />, { client })
      await userEvent.click(screen.getByRole('button', { name: 'Use OAuth2' }))
      await save()
      expect(screen.getByText('Give the client ID.')).toBeInTheDocument()
      expect(screen.getByLabelText('Client secret')).toHaveAttribute('aria-invalid', 'true')
      expect(client.executeMutation).not.toHaveBeenCalled()
      await paste(screen.getByLabelText('Token URL'), 'https://auth.partner.example/token')
      await paste(screen.getByLabelText('Client ID'), 'scoopa')
      await paste(screen.getByLabelText('Client secret'), 's3cret')
      await paste(screen.getByLabelText('Scopes'), 'hooks.write  hooks.read')
      await paste(screen.getByLabelText('Audience'), 'https://api.partner.example')
      await save()
      await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
      expect(lastInput(client).input).toEqual({
        oauth2: {
          tokenURL: 'https://auth.partner.example/token',
          clientID: 'scoopa',
          clientSecret: 's3cret',
          scopes: ['hooks.write', 'hooks.read'],
          audience: 'https://api.partner.example',
        },
      })
    }, 15_000)

    it('keeps the saved client secret when left empty, sends it when typed, and removes OAuth2', async () => {
      const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok()) }
      renderWith(<WebhookForm webhook={withAuth} />, { client })
      const secret = screen.getByLabelText('Client secret')
      expect(secret).toHaveValue('')
      expect(screen.getByText(/Saved: \*\*\*\*cret/)).toBeInTheDocument()
      expect(screen.getByRole('button', { name: 'Save changes' })).toBeDisabled()
      await paste(screen.getByLabelText('Scopes'), ' hooks.read')
      await save()
      await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
      expect(lastInput(client).input).toEqual({
        oauth2: { tokenURL: 'https://auth.partner.example/token', clientID: 'scoopa', scopes: ['hooks.write', 'hooks.read'], audience: null },
      })
      expect(lastInput(client).input.oauth2).not.toHaveProperty('clientSecret')

      await paste(screen.getByLabelText('Client secret'), 'rotated')
      await save()
      await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(2))
      expect(lastInput(client).input.oauth2).toMatchObject({ clientSecret: 'rotated' })

      await userEvent.click(screen.getByRole('button', { name: 'Remove OAuth2' }))
      expect(screen.queryByLabelText('Token URL')).not.toBeInTheDocument()
      await save()
      await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(3))
      expect(lastInput(client).input).toEqual({ clearOAuth2: true })
    })

    it('adds a client certificate and CA certificates', async () => {
      const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok()) }
      renderWith(<WebhookForm webhook={webhook} />, { client })
      await userEvent.click(screen.getByRole('button', { name: 'Add client certificate' }))
      await userEvent.click(screen.getByRole('button', { name: 'Add CA certificates' }))
      await paste(screen.getByLabelText('Certificate (PEM)'), 'not a certificate')
      await save()
      expect(screen.getByText('Paste the private key (PEM).')).toBeInTheDocument()
      expect(screen.getByLabelText('Certificate (PEM)')).toHaveAttribute('aria-invalid', 'true')
      expect(screen.getByLabelText('CA certificates (PEM)')).toHaveAttribute('aria-invalid', 'true')
      expect(client.executeMutation).not.toHaveBeenCalled()
      await userEvent.clear(screen.getByLabelText('Certificate (PEM)'))
      await paste(screen.getByLabelText('Certificate (PEM)'), cert)
      await paste(screen.getByLabelText('Private key (PEM)'), key)
      await paste(screen.getByLabelText('CA certificates (PEM)'), cert)
      await save()
      await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
      expect(lastInput(client).input).toEqual({
        clientCertificate: { certificate: cert + '\n', key: key + '\n' },
        caCertificate: cert + '\n',
      })
    })

    it('shows the saved certificate, never its key; a new certificate alone keeps the key; remove clears both', async () => {
      const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => ok()) }
      renderWith(<WebhookForm webhook={withAuth} />, { client })
      const card = screen.getByRole('group', { name: 'Saved client certificate' })
      expect(within(card).getByText('CN=scoopa-client')).toBeInTheDocument()
      expect(within(card).getByText('CN=Partner CA')).toBeInTheDocument()
      expect(within(card).queryByRole('status')).not.toBeInTheDocument()
      expect(screen.getByLabelText('New private key (PEM)')).toHaveValue('')
      await paste(screen.getByLabelText('New certificate (PEM)'), cert)
      await save()
      await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1))
      expect(lastInput(client).input).toEqual({ clientCertificate: { certificate: cert + '\n' } })

      await userEvent.click(screen.getByRole('button', { name: 'Remove certificate' }))
      await userEvent.click(screen.getByRole('button', { name: 'Remove CA certificates' }))
      expect(screen.getAllByText(/will be removed on save/)).toHaveLength(2)
      await save()
      await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(2))
      expect(lastInput(client).input).toEqual({ clearClientCertificate: true, clearCACertificate: true })
    })

    it('warns when the saved certificate expires within 14 days, and says when it has expired', () => {
      const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => never) }
      const { unmount } = renderWith(<WebhookForm webhook={{ ...withAuth, clientCertificate: saved(Date.now() + 5 * day - 60_000) }} />, { client })
      const card = screen.getByRole('group', { name: 'Saved client certificate' })
      expect(within(card).getByRole('status')).toHaveTextContent(/Expires in 5 days/)
      unmount()
      renderWith(<WebhookForm webhook={{ ...withAuth, clientCertificate: saved(Date.now() + 15 * day) }} />, { client })
      expect(within(screen.getByRole('group', { name: 'Saved client certificate' })).queryByRole('status')).not.toBeInTheDocument()
    })

    it('says an expired certificate has expired', () => {
      const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => never) }
      renderWith(<WebhookForm webhook={{ ...withAuth, clientCertificate: saved(Date.now() - day) }} />, { client })
      expect(within(screen.getByRole('group', { name: 'Saved client certificate' })).getByRole('alert')).toHaveTextContent(/Expired on/)
    })

    it('shows the server errors on their fields', async () => {
      const error = new CombinedError({
        graphQLErrors: [
          { message: 'oauth2.tokenURL: resolves to a private address', extensions: { code: 'BAD_USER_INPUT', field: 'oauth2.tokenURL' } },
          { message: 'oauth2.scopes.0: scope "a b" must be 1 to 200 printable ASCII characters', extensions: { code: 'BAD_USER_INPUT', field: 'oauth2.scopes.0' } },
          { message: 'clientCertificate.key: does not match the certificate (its public key is another one)', extensions: { code: 'BAD_USER_INPUT', field: 'clientCertificate.key' } },
          { message: 'caCertificate: no certificate in the PEM text', extensions: { code: 'BAD_USER_INPUT', field: 'caCertificate' } },
        ],
      })
      const client = { executeQuery: searchFolders(folders), executeMutation: vi.fn(() => fromValue({ error, stale: false, hasNext: false })) }
      renderWith(<WebhookForm webhook={withAuth} />, { client })
      await paste(screen.getByLabelText('Scopes'), ' x')
      await paste(screen.getByLabelText('New certificate (PEM)'), cert)
      await paste(screen.getByLabelText('New private key (PEM)'), key)
      await paste(screen.getByLabelText('New CA certificates (PEM)'), cert)
      await save()
      expect(await screen.findByText('resolves to a private address')).toBeInTheDocument()
      expect(screen.getByLabelText('Token URL')).toHaveAttribute('aria-invalid', 'true')
      expect(screen.getByLabelText('Scopes')).toHaveAttribute('aria-invalid', 'true')
      expect(screen.getByText(/scope "a b" must be/)).toBeInTheDocument()
      const keyField = screen.getByLabelText('New private key (PEM)')
      expect(keyField).toHaveAttribute('aria-invalid', 'true')
      expect(keyField.getAttribute('aria-describedby')).toContain(screen.getByText(/does not match the certificate/).id)
      expect(screen.getByLabelText('New CA certificates (PEM)')).toHaveAttribute('aria-invalid', 'true')
      expect(screen.getByLabelText('Client ID')).not.toHaveAttribute('aria-invalid')
      expect(screen.queryByText('The changes were not saved')).not.toBeInTheDocument()
    })
  })
})
