import { describe, expect, it, vi } from 'vitest'
import { directUpload, type DirectDeps, type PartURL, type UploadPlan } from './directUpload'
import { UploadError } from './upload'

const MiB = 1 << 20

/** A fake store and server: parts as the plan cuts them; putPart may be scripted to fail. */
function fakeServer(size: number, partSize: number, fail: (part: number, attempt: number) => boolean = () => false) {
  const count = Math.max(1, Math.ceil(size / partSize))
  const received = new Map<number, number>()
  const attempts = new Map<number, number>()
  let inFlight = 0
  let maxInFlight = 0
  const plan = (): UploadPlan => {
    const parts: PartURL[] = []
    for (let n = 1; n <= count; n++) {
      if (received.has(n)) continue
      const offset = (n - 1) * partSize
      parts.push({ number: n, offset, sizeBytes: Math.min(partSize, size - offset), url: `https://store.example/u1/${n}` })
    }
    return { id: 'u1', partCount: count, receivedParts: [...received].map(([number, sizeBytes]) => ({ number, sizeBytes })), parts }
  }
  const deps: DirectDeps = {
    createUpload: vi.fn(async () => plan()),
    uploadParts: vi.fn(async () => plan()),
    completeUpload: vi.fn(async () => ({ id: 'f1', name: 'big.mov', sizeBytes: size, createdAt: '2026-01-01T00:00:00Z', callCount: 2 })),
    abortUpload: vi.fn(async () => {}),
    putPart: vi.fn(async (url: string, body: Blob, onSent: (n: number) => void, signal: AbortSignal) => {
      const n = Number(url.split('/').pop())
      const attempt = (attempts.get(n) ?? 0) + 1
      attempts.set(n, attempt)
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      try {
        await new Promise((r) => setTimeout(r, 1))
        if (signal.aborted) throw new Error('canceled.')
        onSent(body.size / 2)
        if (fail(n, attempt)) throw new Error('the connection was lost.')
        onSent(body.size)
        received.set(n, body.size)
      } finally {
        inFlight--
      }
    }),
    sleep: vi.fn(async () => {}),
  }
  return { deps, received, attempts, maxInFlight: () => maxInFlight }
}

function bigFile(size: number) {
  // A Blob of size bytes without allocating them in the test: slices of a small one would not do,
  // so a sparse-looking File made of repeated chunks.
  const chunk = new Uint8Array(MiB)
  const chunks: Uint8Array[] = []
  for (let left = size; left > 0; left -= MiB) chunks.push(left >= MiB ? chunk : chunk.subarray(0, left))
  return new File(chunks as BlobPart[], 'big.mov', { type: 'video/quicktime' })
}

describe('directUpload', () => {
  it('sends every part, a few at once, then completes once', async () => {
    const f = fakeServer(10 * MiB + 5, MiB)
    const progress: number[] = []
    const phases: string[] = []
    const h = directUpload('folder1', bigFile(10 * MiB + 5), (p) => progress.push(p), (p) => phases.push(p), { concurrency: 3 }, f.deps)
    const file = await h.promise
    expect(file.id).toBe('f1')
    expect(f.deps.createUpload).toHaveBeenCalledWith({ folderID: 'folder1', name: 'big.mov', contentType: 'video/quicktime', size: 10 * MiB + 5 })
    expect(f.received.size).toBe(11)
    expect(f.received.get(11)).toBe(5)
    expect(f.maxInFlight()).toBe(3)
    expect(f.deps.completeUpload).toHaveBeenCalledTimes(1)
    expect(f.deps.uploadParts).not.toHaveBeenCalled()
    expect(progress.at(-1)).toBe(1)
    expect(progress.every((p) => p >= 0 && p <= 1)).toBe(true)
    expect(phases).toEqual(['sending', 'checking'])
  })

  it('resumes after a network drop: asks which parts arrived and sends only the others', async () => {
    // Parts 3 and 4 are cut off the first time.
    const f = fakeServer(6 * MiB, MiB, (n, attempt) => (n === 3 || n === 4) && attempt === 1)
    const phases: string[] = []
    const h = directUpload('folder1', bigFile(6 * MiB), () => {}, (p) => phases.push(p), { concurrency: 2 }, f.deps)
    await h.promise
    expect(f.deps.uploadParts).toHaveBeenCalledWith('u1')
    expect(f.received.size).toBe(6)
    // Parts that arrived were never sent again.
    expect(f.attempts.get(1)).toBe(1)
    expect(f.attempts.get(2)).toBe(1)
    expect(f.attempts.get(3)).toBe(2)
    expect(phases).toContain('resuming')
    expect(f.deps.completeUpload).toHaveBeenCalledTimes(1)
  })

  it('gives up after rounds in which nothing arrives, with the reason', async () => {
    const f = fakeServer(2 * MiB, MiB, () => true)
    const h = directUpload('folder1', bigFile(2 * MiB), () => {}, () => {}, { maxFutileRounds: 3 }, f.deps)
    await expect(h.promise).rejects.toThrow(/connection was lost/)
    expect(f.deps.uploadParts).toHaveBeenCalledTimes(3)
    expect(f.deps.completeUpload).not.toHaveBeenCalled()
  })

  it('abandons the upload on the server when canceled', async () => {
    const f = fakeServer(8 * MiB, MiB)
    // Parts that take until they are canceled.
    f.deps.putPart = vi.fn(
      (_url: string, _body: Blob, _onSent: (n: number) => void, signal: AbortSignal) =>
        new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('canceled.'))))
    )
    const h = directUpload('folder1', bigFile(8 * MiB), () => {}, () => {}, { concurrency: 1 }, f.deps)
    await vi.waitFor(() => expect(f.deps.putPart).toHaveBeenCalled())
    h.abort()
    await expect(h.promise).rejects.toThrow('Upload canceled.')
    expect(f.deps.abortUpload).toHaveBeenCalledWith('u1')
    expect(f.deps.completeUpload).not.toHaveBeenCalled()
  })

  it("passes on the server's refusal with its errors", async () => {
    const f = fakeServer(MiB, MiB)
    f.deps.completeUpload = vi.fn(async () => {
      throw new UploadError('sha256: the bytes received have another SHA-256', [{ message: 'sha256: …', code: 'BAD_USER_INPUT', field: 'sha256' }])
    })
    const h = directUpload('folder1', bigFile(MiB), () => {}, () => {}, {}, f.deps)
    const err = (await h.promise.catch((e: unknown) => e)) as UploadError
    expect(err).toBeInstanceOf(UploadError)
    expect(err.errors[0].field).toBe('sha256')
  })
})
