import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { concat, fromValue, never } from 'wonka'
import { renderWith } from '../test/render'
import { FoldersPage } from './Folders'

const upload = vi.hoisted(() => ({ uploadFile: vi.fn() }))
vi.mock('../lib/upload', async (orig) => ({ ...(await orig<typeof import('../lib/upload')>()), uploadFile: upload.uploadFile }))
const direct = vi.hoisted(() => ({ directUpload: vi.fn() }))
vi.mock('../lib/directUpload', async (orig) => ({ ...(await orig<typeof import('../lib/directUpload')>()), directUpload: direct.directUpload }))

function setup(directUploads = false) {
  const client = {
    executeQuery: vi.fn((op: { query: { definitions: { name?: { value: string } }[] } }) => {
      const name = op.query.definitions.find((d) => d.name)?.name?.value
      const data =
        name === 'Folders'
          ? { folders: { totalCount: 1, edges: [{ node: { id: 'f1', name: 'Empty', createdAt: new Date().toISOString(), webhooks: [] } }] } }
          : name === 'UploadOptions'
            ? { uploadOptions: { direct: directUploads, maxDirectUploadBytes: 1 << 30, maxUploadBytes: 1 << 20 } }
            : { files: { totalCount: 0, edges: [] } }
      return concat([fromValue({ data, stale: false, hasNext: false }), never])
    }),
    executeSubscription: vi.fn(() => never),
    executeMutation: vi.fn(() => never),
  }
  renderWith(<FoldersPage />, { client })
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
