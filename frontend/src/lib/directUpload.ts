import { stringifyDocument, type TypedDocumentNode } from '@urql/core'
import { graphql } from '../gql'
import { toApiError } from './errors'
import { UploadError, type UploadHandle, type UploadedFile } from './upload'

/**
 * Direct uploads: the file goes from the browser straight to the blob store
 * (S3, or the server's own part URLs on the local store) in parts, a few at
 * once, each by PUT to a presigned URL; the server never holds the bytes.
 * After a network drop the uploader asks the server which parts arrived
 * (uploadParts) and sends the others again with fresh URLs.
 */

export const UploadOptionsQuery = graphql(`
  query UploadOptions {
    uploadOptions {
      direct
      maxDirectUploadBytes
      maxUploadBytes
    }
  }
`)

export const CreateUploadMutation = graphql(`
  mutation CreateUpload($folderID: ID!, $name: String!, $contentType: String, $size: Int!) {
    createUpload(folderID: $folderID, name: $name, contentType: $contentType, size: $size) {
      id
      partCount
      receivedParts {
        number
        sizeBytes
      }
      parts {
        number
        offset
        sizeBytes
        url
      }
    }
  }
`)

export const UploadPartsMutation = graphql(`
  mutation UploadParts($id: ID!) {
    uploadParts(id: $id) {
      id
      partCount
      receivedParts {
        number
        sizeBytes
      }
      parts {
        number
        offset
        sizeBytes
        url
      }
    }
  }
`)

export const CompleteUploadMutation = graphql(`
  mutation CompleteUpload($id: ID!) {
    completeUpload(id: $id) {
      id
      name
      sizeBytes
      createdAt
      callCount
    }
  }
`)

export const AbortUploadMutation = graphql(`
  mutation AbortUpload($id: ID!) {
    abortUpload(id: $id) {
      id
      state
    }
  }
`)

/** PartURL is where to PUT one part. */
export interface PartURL {
  number: number
  offset: number
  sizeBytes: number
  url: string
}

/** UploadPlan is the server's answer to createUpload and uploadParts. */
export interface UploadPlan {
  id: string
  partCount: number
  receivedParts: { number: number; sizeBytes: number }[]
  parts: PartURL[]
}

/** Phase tells the form what the uploader is doing, beyond the progress. */
export type Phase = 'sending' | 'resuming' | 'checking'

/** DirectDeps are the uploader's ways out; tests give fakes. */
export interface DirectDeps {
  createUpload: (v: { folderID: string; name: string; contentType: string; size: number }) => Promise<UploadPlan>
  uploadParts: (id: string) => Promise<UploadPlan>
  completeUpload: (id: string) => Promise<UploadedFile>
  abortUpload: (id: string) => Promise<void>
  /** putPart PUTs body to url, reporting bytes sent; it rejects if the part did not arrive whole. */
  putPart: (url: string, body: Blob, onSent: (bytes: number) => void, signal: AbortSignal) => Promise<void>
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
}

export interface DirectOptions {
  /** Parts sent at once. Default 4. */
  concurrency?: number
  /** Rounds in a row in which no part arrived before giving up. Default 8. */
  maxFutileRounds?: number
  /** Wait before resuming after the n-th futile round (from 1), in ms. */
  backoff?: (n: number) => number
}

const defaultBackoff = (n: number) => Math.min(1000 * 2 ** (n - 1), 15_000)

/**
 * directUpload sends file into a folder through the direct path and
 * reports the fraction sent (0 to 1) and the phase. Abort cancels the parts
 * in flight and abandons the upload on the server.
 */
export function directUpload(
  folderID: string,
  file: File,
  onProgress: (fraction: number) => void,
  onPhase: (phase: Phase) => void = () => {},
  opts: DirectOptions = {},
  deps: DirectDeps = browserDeps,
): UploadHandle {
  const ctl = new AbortController()
  const concurrency = Math.max(1, opts.concurrency ?? 4)
  const maxFutile = opts.maxFutileRounds ?? 8
  const backoff = opts.backoff ?? defaultBackoff
  let uploadID: string | null = null
  const total = file.size

  async function run(): Promise<UploadedFile> {
    onPhase('sending')
    let plan = await deps.createUpload({ folderID, name: file.name, contentType: file.type, size: file.size })
    uploadID = plan.id
    let futile = 0
    for (;;) {
      // Bytes the store has, and bytes of the parts in flight so far.
      let done = plan.receivedParts.reduce((n, p) => n + p.sizeBytes, 0)
      const inFlight = new Map<number, number>()
      const report = () => {
        let sent = done
        for (const b of inFlight.values()) sent += b
        onProgress(total === 0 ? 1 : Math.min(sent / total, 1))
      }
      report()
      const queue = [...plan.parts]
      let failed: unknown = null
      let arrived = 0
      const worker = async () => {
        while (queue.length > 0 && failed === null && !ctl.signal.aborted) {
          const p = queue.shift()!
          inFlight.set(p.number, 0)
          try {
            await deps.putPart(p.url, file.slice(p.offset, p.offset + p.sizeBytes), (b) => {
              inFlight.set(p.number, Math.min(b, p.sizeBytes))
              report()
            }, ctl.signal)
            done += p.sizeBytes
            arrived++
          } catch (e) {
            failed ??= e
          } finally {
            inFlight.delete(p.number)
            report()
          }
        }
      }
      await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker))
      if (ctl.signal.aborted) throw new UploadError('Upload canceled.')
      if (failed === null) break
      // A drop: wait, then ask the server what arrived and send the rest.
      futile = arrived > 0 ? 1 : futile + 1
      if (futile > maxFutile) throw new UploadError(`Upload failed: ${describe(failed)} The parts sent so far are kept for a while; try again.`)
      onPhase('resuming')
      for (;;) {
        await deps.sleep(backoff(futile), ctl.signal)
        if (ctl.signal.aborted) throw new UploadError('Upload canceled.')
        try {
          plan = await deps.uploadParts(plan.id)
          break
        } catch (e) {
          if (e instanceof UploadError && e.errors.length > 0) throw e // the server refused: no use retrying
          if (++futile > maxFutile) throw new UploadError(`Upload failed: ${describe(e)}`)
        }
      }
      onPhase('sending')
    }
    onProgress(1)
    onPhase('checking')
    return deps.completeUpload(plan.id)
  }

  const promise = run().catch(async (e: unknown) => {
    if (ctl.signal.aborted && uploadID) {
      await deps.abortUpload(uploadID).catch(() => {})
      throw new UploadError('Upload canceled.')
    }
    throw e instanceof UploadError ? e : new UploadError(describe(e))
  })
  return { promise, abort: () => ctl.abort() }
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}

type GraphQLBody<T> = { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }

/** gql posts an operation to /graphql (the session cookie authenticates it). */
async function gql<T, V>(doc: TypedDocumentNode<T, V>, variables: V): Promise<T> {
  let resp: Response
  try {
    resp = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query: stringifyDocument(doc), variables }),
    })
  } catch {
    throw new UploadError('the server cannot be reached.')
  }
  const body = (await resp.json().catch(() => null)) as GraphQLBody<T> | null
  const errors = (body?.errors ?? []).map(toApiError)
  if (errors.length > 0) throw new UploadError(errors.map((e) => e.message).join('; '), errors, resp.status)
  if (!body?.data) throw new UploadError(`the server answered ${resp.status}.`, [], resp.status)
  return body.data
}

/** putPart PUTs a part with XMLHttpRequest, whose upload events give the progress (fetch has none). */
function putPart(url: string, body: Blob, onSent: (bytes: number) => void, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    const onAbort = () => xhr.abort()
    signal.addEventListener('abort', onAbort, { once: true })
    xhr.open('PUT', url)
    xhr.upload.onprogress = (e) => onSent(e.loaded)
    xhr.onload = () => {
      signal.removeEventListener('abort', onAbort)
      if (xhr.status >= 200 && xhr.status < 300) resolve()
      else reject(new Error(`a part was refused (HTTP ${xhr.status}).`))
    }
    xhr.onerror = () => {
      signal.removeEventListener('abort', onAbort)
      reject(new Error('the connection was lost.'))
    }
    xhr.onabort = () => reject(new Error('canceled.'))
    xhr.send(body)
  })
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => { clearTimeout(t); resolve() }, { once: true })
  })
}

/** browserDeps are the uploader's real ways out: /graphql and XMLHttpRequest. */
export const browserDeps: DirectDeps = {
  createUpload: async (v) => (await gql(CreateUploadMutation, v)).createUpload,
  uploadParts: async (id) => (await gql(UploadPartsMutation, { id })).uploadParts,
  completeUpload: async (id) => (await gql(CompleteUploadMutation, { id })).completeUpload,
  abortUpload: async (id) => {
    await gql(AbortUploadMutation, { id })
  },
  putPart,
  sleep,
}
