import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { concat, fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import { searchFolders } from '../test/folders'
import { FoldersPage } from './Folders'

const upload = vi.hoisted(() => ({ uploadFile: vi.fn() }))
vi.mock('../lib/upload', async (orig) => ({ ...(await orig<typeof import('../lib/upload')>()), uploadFile: upload.uploadFile }))
const direct = vi.hoisted(() => ({ directUpload: vi.fn() }))
vi.mock('../lib/directUpload', async (orig) => ({ ...(await orig<typeof import('../lib/directUpload')>()), directUpload: direct.directUpload }))

type Op = { query: { definitions: { name?: { value: string } }[] }; variables?: { first?: number; after?: string | null; where?: { search?: string } | null } }

function setup(directUploads = false, folders = [{ id: 'f1', name: 'Empty' }]) {
  const search = searchFolders(folders)
  const client = {
    executeQuery: vi.fn((op: Op) => {
      const name = op.query.definitions.find((d) => d.name)?.name?.value
      // The folder list and the upload's folder search answer like the server.
      if (name === 'Folders' || name === 'FolderSearch') return search(op)
      const data =
        name === 'UploadOptions'
            ? { uploadOptions: { direct: directUploads, maxDirectUploadBytes: 1 << 30, maxUploadBytes: 1 << 20 } }
            : { files: { totalCount: 0, edges: [] } }
      return concat([fromValue({ data, stale: false, hasNext: false }), never])
    }),
    executeSubscription: vi.fn(() => never),
    executeMutation: vi.fn(() => never),
  }
  renderWith(<FoldersPage />, { client })
  return client
}

describe('FoldersPage upload', () => {
  beforeEach(() => upload.uploadFile.mockReset())

  it.each([
    [0, 'No webhook was called: none of this folder (or of all folders) is active and matches the file name.'],
    [1, '1 webhook was called.'],
    [3, '3 webhooks were called.'],
  ])('says how many webhooks the server called (%i)', async (callCount, want) => {
    upload.uploadFile.mockReturnValue({
      promise: Promise.resolve({ id: '9', name: 'clip.mov', sizeBytes: 1, createdAt: new Date().toISOString(), callCount }),
      abort: () => {},
    })
    setup()
    await userEvent.upload(await screen.findByLabelText('File'), new File(['x'], 'clip.mov', { type: 'video/quicktime' }))
    await userEvent.click(screen.getByRole('button', { name: 'Upload' }))
    const notice = await screen.findByText(/was uploaded/)
    expect(notice).toHaveTextContent(`“clip.mov” (1 B) was uploaded. ${want}`)
    expect(notice).not.toHaveTextContent('are being called')
    expect(upload.uploadFile).toHaveBeenCalledWith('f1', expect.any(File), expect.any(Function))
  })

  it('sends the file straight to the blob store when the server offers direct uploads', async () => {
    direct.directUpload.mockImplementation((_folder: string, _file: File, onProgress: (f: number) => void, onPhase: (p: string) => void) => {
      onProgress(0.5)
      onPhase('resuming')
      return { promise: new Promise(() => {}), abort: () => {} }
    })
    setup(true)
    await userEvent.upload(await screen.findByLabelText('File'), new File(['x'], 'big.mov', { type: 'video/quicktime' }))
    await userEvent.click(screen.getByRole('button', { name: 'Upload' }))
    expect(await screen.findByText('Connection lost; resuming big.mov…')).toBeInTheDocument()
    expect(screen.getByText('50%')).toBeInTheDocument()
    expect(direct.directUpload).toHaveBeenCalledWith('f1', expect.any(File), expect.any(Function), expect.any(Function))
    expect(upload.uploadFile).not.toHaveBeenCalled()
  })
})

describe('FoldersPage upload folder', () => {
  beforeEach(() => upload.uploadFile.mockReset())

  // 302 folders: the list shows 50 a page, the upload must still reach them all.
  const many = Array.from({ length: 302 }, (_, i) => ({ id: `f${i}`, name: `Folder ${String(i).padStart(4, '0')}` }))

  it('offers any folder, not only those of the list’s page or search', { timeout: 30_000 }, async () => {
    upload.uploadFile.mockReturnValue({
      promise: Promise.resolve({ id: '9', name: 'clip.mov', sizeBytes: 1, createdAt: new Date().toISOString(), callCount: 0 }),
      abort: () => {},
    })
    setup(false, many)
    const select = await screen.findByLabelText('Folder')
    await waitFor(() => expect(select).toHaveValue('f0'))
    // The folder list's search matches nothing: the upload form stays.
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search folders' }), 'nothing like it')
    expect(await screen.findByText(/No folder matches “nothing like it”/)).toBeInTheDocument()
    expect(screen.queryByText('Create a folder first.')).toBeNull()
    // A folder far beyond the list's first page, found by the server's search.
    await userEvent.type(screen.getByRole('searchbox', { name: 'Find a folder' }), '0301')
    await waitFor(() => expect(screen.getByLabelText('Folder')).toHaveValue('f301'))
    expect(screen.getByRole('option', { name: 'Folder 0301' })).toBeInTheDocument()
    await userEvent.upload(screen.getByLabelText('File'), new File(['x'], 'clip.mov', { type: 'video/quicktime' }))
    await userEvent.click(screen.getByRole('button', { name: 'Upload' }))
    await screen.findByText(/was uploaded/)
    expect(upload.uploadFile).toHaveBeenCalledWith('f301', expect.any(File), expect.any(Function))
  })

  it('says when no folder exists yet', async () => {
    setup(false, [])
    expect(await screen.findByText('No folders exist yet: create one first.')).toBeInTheDocument()
  })
})
