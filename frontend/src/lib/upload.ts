import { stringifyDocument } from '@urql/core'
import { graphql } from '../gql'
import type { UploadFileMutation as UploadFileResult } from '../gql/graphql'
import { toApiError, type ApiError } from './errors'

/** The upload mutation's text, sent by XMLHttpRequest (multipart) for progress events. */
export const UploadFileMutation = graphql(`
  mutation UploadFile($folderID: ID!, $file: Upload!) {
    uploadFile(folderID: $folderID, file: $file) {
      id
      name
      sizeBytes
      createdAt
      callCount
    }
  }
`)

export type UploadedFile = UploadFileResult['uploadFile']

/** UploadHandle lets the caller cancel an upload in flight. */
export interface UploadHandle {
  promise: Promise<UploadedFile>
  abort: () => void
}

/** UploadError carries the server's errors (codes and fields) of a failed upload. */
export class UploadError extends Error {
  errors: ApiError[]
  status: number
  constructor(message: string, errors: ApiError[] = [], status = 0) {
    super(message)
    this.errors = errors
    this.status = status
  }
}

/**
 * uploadFile posts the uploadFile mutation as a GraphQL multipart request
 * (fields operations, map, 0) with XMLHttpRequest, whose upload events give
 * the progress (fetch has none). The session cookie authenticates it.
 */
export function uploadFile(folderID: string, file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest()
  const promise = new Promise<UploadedFile>((resolve, reject) => {
    const form = new FormData()
    form.append(
      'operations',
      JSON.stringify({ query: stringifyDocument(UploadFileMutation), variables: { folderID, file: null } }),
    )
    form.append('map', JSON.stringify({ '0': ['variables.file'] }))
    form.append('0', file, file.name)

    xhr.open('POST', '/graphql')
    xhr.withCredentials = true
    xhr.responseType = 'json'
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      const body = xhr.response as { data?: { uploadFile?: UploadedFile } | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } | null
      const errors = (body?.errors ?? []).map(toApiError)
      if (body?.data?.uploadFile && errors.length === 0) {
        onProgress(1)
        resolve(body.data.uploadFile)
        return
      }
      if (errors.length > 0) {
        reject(new UploadError(errors.map((e) => e.message).join('; '), errors, xhr.status))
        return
      }
      const msg = xhr.status === 413 ? 'The file is too large for this server.' : `Upload failed: the server answered ${xhr.status}.`
      reject(new UploadError(msg, [], xhr.status))
    }
    xhr.onerror = () => reject(new UploadError('Upload failed: the server cannot be reached.'))
    xhr.onabort = () => reject(new UploadError('Upload canceled.'))
    xhr.send(form)
  })
  return { promise, abort: () => xhr.abort() }
}
