import { CombinedError } from '@urql/core'
import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { concat, fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import { searchFolders } from '../test/folders'
import { WebhookForm, type EditableWebhook } from './WebhookForm'
import { previewInput } from './WebhookPreview'

const webhook: EditableWebhook = {
  id: '12',
  name: 'Media',
  url: 'https://partner.example/hook',
  active: true,
  allFolders: false,
  filter: null,
  contentTypes: ['video/*'],
  nameGlob: null,
  minSizeBytes: null,
  maxSizeBytes: null,
  headers: [],
  folders: [{ id: 'f1', name: 'Inbox' }],
}

const files = ['clip_01.mp4', 'clip_02.mov', 'still.png', 'clip_1.mp4', 'notes.pdf']

type PreviewVars = { input: { folderIDs?: string[]; allFolders?: boolean; contentTypes?: string[]; nameGlob?: string } }

/** client answers webhookPreview from files (a rough stand-in for the server: type by extension, glob by a regexp) and every other query with folders. */
function client() {
  const folders = searchFolders([{ id: 'f1', name: 'Inbox' }])
  const previews: PreviewVars[] = []
  const executeQuery = vi.fn((op: { query: { definitions: { name?: { value: string } }[] }; variables?: unknown }) => {
    if (op.query.definitions[0]?.name?.value !== 'WebhookPreview') return folders(op as never)
    const v = op.variables as PreviewVars
    previews.push(v)
    const glob = v.input.nameGlob ? new RegExp('^' + v.input.nameGlob.replace(/\./g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i') : null
    const video = v.input.contentTypes?.includes('video/*')
    const names = files.filter((n) => (!video || /\.(mp4|mov)$/.test(n)) && (!glob || glob.test(n))).reverse()
    return fromValue({ operation: op, data: { webhookPreview: { matched: names.length, examined: files.length, names } }, stale: false, hasNext: false })
  })
  return { executeQuery, executeMutation: vi.fn(), previews }
}

describe('WebhookPreview in the webhook form', () => {
  it('counts the files the folders and filters being edited would have fired for, live', { timeout: 20_000 }, async () => {
    const c = client()
    renderWith(<WebhookForm webhook={webhook} />, { client: c })
    expect(await screen.findByText('Would have fired for 3 of the last 5 files.')).toBeInTheDocument()
    expect(screen.getByRole('list', { name: 'Matched files' })).toHaveTextContent(/clip_1\.mp4.*clip_02\.mov.*clip_01\.mp4/)
    expect(c.previews[0]).toEqual({ input: { folderIDs: ['f1'], contentTypes: ['video/*'] } })

    // Typing a name pattern asks again once the typing pauses, not per key.
    const asked = c.previews.length
    await userEvent.type(screen.getByLabelText(/Name pattern/), 'clip_??.*')
    expect(await screen.findByText('Would have fired for 2 of the last 5 files.')).toBeInTheDocument()
    expect(screen.getByRole('list', { name: 'Matched files' })).not.toHaveTextContent('clip_1.mp4')
    expect(c.previews.length - asked).toBeLessThan('clip_??.*'.length)
    expect(c.previews[c.previews.length - 1]).toEqual({ input: { folderIDs: ['f1'], contentTypes: ['video/*'], nameGlob: 'clip_??.*' } })

    // Without folders there is nothing to count.
    await userEvent.click(screen.getByRole('button', { name: 'Remove folder Inbox' }))
    expect(await screen.findByText(/Choose folders to see which of their recent files/)).toBeInTheDocument()
  })

  it('shows the server’s refusal of a bad filter instead of a count', async () => {
    const folders = searchFolders([{ id: 'f1', name: 'Inbox' }])
    const refusal = new CombinedError({ graphQLErrors: [{ message: 'nameGlob: "[a" is not a name pattern', extensions: { code: 'BAD_USER_INPUT', field: 'nameGlob' } }] })
    const executeQuery = vi.fn((op: { query: { definitions: { name?: { value: string } }[] } }) =>
      op.query.definitions[0]?.name?.value === 'WebhookPreview' ? concat([fromValue({ operation: op, error: refusal, stale: false, hasNext: false }), never]) : folders(op as never),
    )
    renderWith(<WebhookForm webhook={{ ...webhook, nameGlob: '[a' }} />, { client: { executeQuery, executeMutation: vi.fn() } })
    expect(await screen.findByText(/No preview: .*is not a name pattern/)).toBeInTheDocument()
  })

  it('builds the preview input from the fields as typed', () => {
    expect(previewInput({ allFolders: true, folderIDs: ['f1'], filter: '', contentTypes: ' video/*,image/png ', nameGlob: ' *.mov ', minSize: '10', maxSize: 'x' })).toEqual({
      allFolders: true,
      contentTypes: ['video/*', 'image/png'],
      nameGlob: '*.mov',
      minSizeBytes: 10,
    })
  })
})
