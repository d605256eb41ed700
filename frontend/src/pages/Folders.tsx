import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { useMutation, useQuery } from 'urql'
import { DownloadIcon, FolderIcon, PlusIcon, UploadIcon } from '../components/icons'
import { Button, CopyValue } from '../components/buttons'
import { Card, PageHeader } from '../components/page'
import { EmptyState, ErrorBox, Notice } from '../components/feedback'
import { QueryState } from '../components/QueryState'
import { Field } from '../components/forms'
import { FolderSelect } from '../components/FolderSelect'
import { FileName } from '../components/FileName'
import { RelTime } from '../components/RelTime'
import { inputClass } from '../components/classes'
import { graphql } from '../gql'
import { splitErrors } from '../lib/errors'
import { bytes } from '../lib/format'
import { useIsAdmin } from '../lib/session'
import { PAGE_SIZE, searchWhere, useCursorPages, useDebounced } from '../lib/paging'
import { Pager, SearchBox } from '../components/Pager'
import { uploadFile, UploadError, type UploadHandle } from '../lib/upload'
import { SendAgainDialog } from './SendAgain'
import { directUpload, UploadOptionsQuery, type Phase } from '../lib/directUpload'

export const FoldersQuery = graphql(`
  query Folders($first: Int, $after: Cursor, $where: FolderWhereInput) {
    folders(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }, where: $where) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          createdAt
          webhooks {
            id
            name
          }
        }
      }
    }
  }
`)

export const CreateFolderMutation = graphql(`
  mutation CreateFolder($input: CreateFolderInput!) {
    createFolder(input: $input) {
      id
      name
      createdAt
    }
  }
`)

export const RecentFilesQuery = graphql(`
  query RecentFiles($first: Int!) {
    files(first: $first, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      edges {
        node {
          id
          name
          contentType
          sizeBytes
          createdAt
          downloadURL
          folder {
            id
            name
          }
        }
      }
    }
  }
`)

function CreateFolder() {
  const [name, setName] = useState('')
  const [local, setLocal] = useState<string | undefined>()
  const [res, create] = useMutation(CreateFolderMutation)
  const server = splitErrors(res.error)
  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!name.trim()) {
      setLocal('Give the folder a name.')
      return
    }
    setLocal(undefined)
    const r = await create({ input: { name: name.trim() } })
    if (r.data) setName('')
  }
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2 border-b border-slate-200 p-4">
      <Field label="New folder" error={local ?? server.fields.name ?? (server.other.length ? server.other.join(' ') : undefined)}>
        {(p) => (
          <div className="flex gap-2">
            <input {...p} className={inputClass} value={name} onChange={(e) => setName(e.target.value)} placeholder="Folder name" maxLength={200} />
            <Button type="submit" variant="primary" busy={res.fetching} className="shrink-0">
              {res.fetching ? null : <PlusIcon />} Create
            </Button>
          </div>
        )}
      </Field>
    </form>
  )
}

/** calledText says how many webhooks a new file called, as the server counted them. */
function calledText(n: number): string {
  if (n === 0) return 'No webhook was called: none of this folder (or of all folders) is active and matches the file name.'
  return n === 1 ? '1 webhook was called.' : `${n} webhooks were called.`
}

function Upload({ onUploaded }: { onUploaded: () => void }) {
  const [folderID, setFolderID] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const [phase, setPhase] = useState<Phase>('sending')
  const [{ data: options }] = useQuery({ query: UploadOptionsQuery })
  const direct = options?.uploadOptions?.direct ?? false
  const [error, setError] = useState<{ field?: string; message: string } | null>(null)
  const [done, setDone] = useState<{ text: string; calls: number } | null>(null)
  const handle = useRef<UploadHandle | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  useEffect(() => () => handle.current?.abort(), [])
  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    setDone(null)
    if (!folderID) return setError({ field: 'folderID', message: 'Choose a folder.' })
    if (!file) return setError({ field: 'file', message: 'Choose a file.' })
    setError(null)
    setProgress(0)
    setPhase('sending')
    // With direct uploads the bytes go straight to the blob store, in parts,
    // resumed after a drop; otherwise in one request to the server.
    const h = direct ? directUpload(folderID, file, setProgress, setPhase) : uploadFile(folderID, file, setProgress)
    handle.current = h
    try {
      const f = await h.promise
      setDone({ text: `“${f.name}” (${bytes(f.sizeBytes)}) was uploaded. ${calledText(f.callCount)}`, calls: f.callCount })
      setFile(null)
      if (fileInput.current) fileInput.current.value = ''
      onUploaded()
    } catch (err) {
      const ue = err as UploadError
      const fieldErr = ue.errors?.find((x) => x.field)
      setError({ field: fieldErr?.field === 'file' ? 'file' : undefined, message: ue.message })
    } finally {
      handle.current = null
      setProgress(null)
    }
  }

  const busy = progress !== null
  return (
    <Card className="p-4">
      <h2 className="text-base font-semibold text-slate-900">Upload a file</h2>
      <p className="mt-1 text-sm text-slate-600">A new file fires every active webhook of its folder (and the platform-wide ones).</p>
      <form onSubmit={onSubmit} noValidate className="mt-4 flex flex-col gap-4">
        <Field label="Folder" error={error?.field === 'folderID' ? error.message : undefined}>
          {(p) => <FolderSelect selectProps={p} value={folderID} onChange={setFolderID} disabled={busy} />}
        </Field>
        <Field label="File" error={error?.field === 'file' ? error.message : undefined}>
          {(p) => (
            <input
              {...p}
              ref={fileInput}
              type="file"
              className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-2 file:text-sm file:font-medium file:text-indigo-700 hover:file:bg-indigo-100"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              disabled={busy}
            />
          )}
        </Field>
        {busy ? (
          <div>
            <div className="mb-1 flex justify-between text-xs text-slate-600">
              <span role="status">
                {phase === 'resuming'
                  ? `Connection lost; resuming ${file?.name}…`
                  : phase === 'checking'
                    ? `Checking ${file?.name}…`
                    : `Uploading ${file?.name}…`}
              </span>
              <span>{Math.round((progress ?? 0) * 100)}%</span>
            </div>
            <progress max={1} value={progress ?? 0} aria-label="Upload progress" />
          </div>
        ) : null}
        {error && !error.field ? <ErrorBox title="The upload failed">{error.message}</ErrorBox> : null}
        {done ? (
          <Notice tone="success" onClose={() => setDone(null)}>
            {done.text}
            {done.calls > 0 ? (
              <>
                {' '}
                <Link to="/calls" className="font-medium underline">
                  Watch the calls
                </Link>
              </>
            ) : null}
          </Notice>
        ) : null}
        <div className="flex gap-2">
          <Button type="submit" variant="primary" busy={busy}>
            {busy ? null : <UploadIcon />} Upload
          </Button>
          {busy ? <Button onClick={() => handle.current?.abort()}>Cancel</Button> : null}
        </div>
      </form>
    </Card>
  )
}

function RecentFiles({ reloadKey, isAdmin }: { reloadKey: number; isAdmin: boolean }) {
  const [again, setAgain] = useState<{ id: string; name: string; folderID: string } | null>(null)
  const [{ data, fetching, error }, refetch] = useQuery({ query: RecentFilesQuery, variables: { first: 25 }, requestPolicy: 'cache-and-network' })
  useEffect(() => {
    if (reloadKey > 0) refetch({ requestPolicy: 'network-only' })
  }, [reloadKey, refetch])
  const files = (data?.files.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []))
  return (
    <Card className="overflow-hidden">
      <div className="border-b border-slate-200 px-4 py-3">
        <h2 className="text-base font-semibold text-slate-900">Recent files</h2>
      </div>
      <QueryState
        result={{ data, fetching, error }}
        loading="Loading files…"
        errorTitle="The files could not be loaded"
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
        errorClassName="p-3"
        isEmpty={() => files.length === 0}
        empty={<p className="p-4 text-sm text-slate-500">No files yet.</p>}
      >
        {() => (
          <div className="relative">
            <table className="w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">Recent files, newest first</caption>
              <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
                <tr>
                  <th scope="col" className="px-4 py-2.5">Name</th>
                  <th scope="col" className="hidden px-4 py-2.5 sm:table-cell">Uploaded</th>
                  <th scope="col" className="px-4 py-2.5">
                    <span className="sr-only">Download</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {files.map((f) => (
                  <tr key={f.id} data-file-id={f.id}>
                    <td className="px-4 py-2.5 align-top">
                      <FileName name={f.name} className="font-medium wrap-anywhere text-slate-900" />
                      <div className="mt-0.5 text-xs text-slate-500">
                        in <FileName name={f.folder.name} /> · <span className="whitespace-nowrap">{bytes(f.sizeBytes)}</span>
                        <span className="hidden md:inline"> · {f.contentType}</span>
                        <span className="sm:hidden">
                          {' · '}
                          <RelTime iso={f.createdAt} past />
                        </span>
                      </div>
                    </td>
                    <td className="hidden px-4 py-2.5 align-top whitespace-nowrap text-slate-700 sm:table-cell">
                      <RelTime iso={f.createdAt} past />
                    </td>
                    <td className="px-2 py-1.5 align-top sm:px-4">
                      <div className="flex flex-col items-end gap-1 whitespace-nowrap">
                        <a
                          href={f.downloadURL}
                          target="_blank"
                          rel="noopener noreferrer"
                          className="inline-flex items-center gap-1 rounded-md px-2 py-1 font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
                          aria-label={`Download ${f.name} (opens a new tab)`}
                        >
                          <DownloadIcon /> <span className="hidden sm:inline">Download</span>
                        </a>
                        {isAdmin ? (
                          <Button variant="ghost" className="px-2 py-1" onClick={() => setAgain({ id: f.id, name: f.name, folderID: f.folder.id })} aria-label={`Send ${f.name} again`}>
                            Send again
                          </Button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <SendAgainDialog file={again} onClose={() => setAgain(null)} />
    </Card>
  )
}

/**
 * FoldersPage lists folders (a page at a time, searched on the server by
 * name) and creates them, uploads files into the listed ones and lists
 * recent files.
 */
export function FoldersPage() {
  const isAdmin = useIsAdmin()
  const [text, setText] = useState('')
  const search = useDebounced(text.trim())
  const pages = useCursorPages(search)
  const [{ data, fetching, error }, refetch] = useQuery({
    query: FoldersQuery,
    variables: { first: PAGE_SIZE, after: pages.after, where: searchWhere(search) },
    requestPolicy: 'cache-and-network',
  })
  const [uploads, setUploads] = useState(0)
  const folders = (data?.folders.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []))
  return (
    <>
      <PageHeader title="Folders & files" description="The folders of the platform and the files that arrive in them. A webhook reacts to new files in the folders assigned to it." />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[22rem_minmax(0,1fr)]">
        <div className="flex flex-col gap-6">
          <Card className="overflow-hidden">
            <div className="border-b border-slate-200 px-4 py-3">
              <h2 className="text-base font-semibold text-slate-900">Folders {data ? <span className="font-normal text-slate-500">({data.folders.totalCount})</span> : null}</h2>
            </div>
            {isAdmin ? <CreateFolder /> : null}
            <div className="border-b border-slate-200 px-4 py-3" role="search">
              <SearchBox label="Search folders" value={text} onChange={setText} placeholder="Search folders by name…" className="max-w-none" />
            </div>
            <QueryState
              result={{ data, fetching, error }}
              loading="Loading folders…"
              errorTitle="The folders could not be loaded"
              onRetry={() => refetch({ requestPolicy: 'network-only' })}
              errorClassName="p-3"
              isEmpty={() => folders.length === 0}
              empty={
                search || pages.page > 0 ? (
                  <p className="px-4 py-6 text-sm text-slate-600">No folder matches “{search}”.</p>
                ) : (
                  <EmptyState icon={<FolderIcon className="size-6" />} title="No folders yet">
                    Create a folder, then assign it to a webhook and upload a file into it.
                  </EmptyState>
                )
              }
            >
              {() => (
                <ul className="divide-y divide-slate-100" aria-label="Folders">
                  {folders.map((f) => (
                    <li key={f.id} className="flex flex-col gap-1 px-4 py-3" data-folder-id={f.id}>
                      <div className="flex items-center justify-between gap-2">
                        <span className="flex min-w-0 items-center gap-2 font-medium break-words text-slate-900">
                          <FolderIcon className="size-4 shrink-0 text-slate-400" /> {f.name}
                        </span>
                        <CopyValue value={f.id} label={`Copy ID of folder ${f.name}`} />
                      </div>
                      <p className="text-xs text-slate-500">
                        {(f.webhooks ?? []).length === 0
                          ? 'No webhook assigned'
                          : (f.webhooks ?? []).map((w, i) => (
                              <span key={w.id}>
                                {i > 0 ? ', ' : 'Webhooks: '}
                                <Link to={`/webhooks/${w.id}`} className="text-indigo-700 hover:underline">
                                  {w.name}
                                </Link>
                              </span>
                            ))}
                      </p>
                    </li>
                  ))}
                </ul>
              )}
            </QueryState>
            {folders.length > 0 ? (
              <Pager
                label="Folders"
                page={pages.page}
                pageSize={PAGE_SIZE}
                shown={folders.length}
                total={data?.folders.totalCount ?? 0}
                hasNext={data?.folders.pageInfo?.hasNextPage ?? false}
                onPrev={pages.prev}
                onNext={() => data?.folders.pageInfo?.endCursor && pages.next(data.folders.pageInfo.endCursor)}
              />
            ) : null}
          </Card>
        </div>
        <div className="flex flex-col gap-6">
          {isAdmin ? <Upload onUploaded={() => setUploads((n) => n + 1)} /> : null}
          <RecentFiles reloadKey={uploads} isAdmin={isAdmin} />
        </div>
      </div>
    </>
  )
}
