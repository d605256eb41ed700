import { test as base, expect, type ConsoleMessage, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Receiver, type Script } from './receiver'

const here = dirname(fileURLToPath(import.meta.url))
export const shotsDir = resolve(here, '..', 'test-results', 'screens')

export interface ScoopaServer {
  url: string
  adminToken: string
  logs: string[]
}

export interface ServerOptions {
  port: number
  dataDir: string
  adminToken: string
  /** env adds to (or overrides) the server's environment, e.g. SCOOPA_DISABLE_AFTER or SCOOPA_DIRECT_UPLOADS. */
  env?: Record<string, string>
}

/** RunningServer is a scoopa-server process; stop sends SIGTERM and waits until it exited. */
export interface RunningServer extends ScoopaServer {
  stop: () => Promise<void>
  /** pid is the server process's ID. */
  pid: number
}

/**
 * startServer starts the real server binary in embedded mode (2 s retry
 * delays) and waits until it is healthy. Starting it again with the same
 * options restarts it on the same address and data.
 */
export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const bin = process.env.SCOOPA_E2E_SERVER
  if (!bin) throw new Error('SCOOPA_E2E_SERVER is not set: globalSetup builds the server')
  const url = `http://127.0.0.1:${o.port}`
  const logs: string[] = []
  const proc = spawn(bin, [], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      SCOOPA_HTTP_ADDR: `127.0.0.1:${o.port}`,
      SCOOPA_DATA_DIR: o.dataDir,
      SCOOPA_ADMIN_TOKEN: o.adminToken,
      SCOOPA_RETRY_DELAYS: '2s,2s,2s',
      SCOOPA_ALLOW_PRIVATE_TARGETS: 'true',
      SCOOPA_PUBLIC_URL: url,
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  proc.stdout?.on('data', (d: Buffer) => logs.push(d.toString()))
  proc.stderr?.on('data', (d: Buffer) => logs.push(d.toString()))
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return
    const exited = new Promise<void>((r) => proc.once('exit', () => r()))
    proc.kill('SIGTERM')
    const t = setTimeout(() => proc.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(t)
  }
  try {
    await waitReady(url, proc, logs)
  } catch (e) {
    await stop()
    throw e
  }
  return { url, adminToken: o.adminToken, logs, stop, pid: proc.pid ?? 0 }
}

/**
 * leave takes pages off the console before the test stops a server of its
 * own: a page still open would see the server go away, and a refused
 * request is a console error.
 */
export async function leave(...pages: Page[]): Promise<void> {
  for (const p of pages) await p.goto('about:blank')
}

/** gql runs a GraphQL operation with the server's admin token and returns its data; errors throw. */
export async function gql<T>(server: ScoopaServer, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  })
  const body = (await r.json()) as { data: T; errors?: unknown[] }
  if (body.errors?.length) throw new Error(`${query}: ${JSON.stringify(body.errors)}`)
  return body.data
}

/** uploadFile sends uploadFile as a GraphQL multipart request with the admin token and returns the file's ID. */
export async function uploadFile(server: ScoopaServer, folderID: string, name: string, content = `content of ${name}`): Promise<string> {
  const fd = new FormData()
  fd.set('operations', JSON.stringify({ query: 'mutation($f: ID!, $file: Upload!) { uploadFile(folderID: $f, file: $file) { id } }', variables: { f: folderID, file: null } }))
  fd.set('map', JSON.stringify({ '0': ['variables.file'] }))
  fd.set('0', new Blob([content], { type: 'video/quicktime' }), name)
  const r = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { Authorization: `Bearer ${server.adminToken}` }, body: fd })
  const body = (await r.json()) as { data: { uploadFile: { id: string } }; errors?: unknown[] }
  if (body.errors?.length) throw new Error(`upload of ${name}: ${JSON.stringify(body.errors)}`)
  return body.data.uploadFile.id
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer()
    s.once('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => res(port))
    })
  })
}

// waitReady waits for /readyz: the server answers /healthz as soon as it
// listens, before its backends are open and its schema migrated.
async function waitReady(url: string, proc: ChildProcess, logs: string[], ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`scoopa-server exited with ${proc.exitCode}:\n${logs.join('')}`)
    try {
      const r = await fetch(`${url}/readyz`)
      if (r.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`scoopa-server did not become ready in ${ms} ms:\n${logs.join('')}`)
}

type WorkerFixtures = { server: ScoopaServer }
type TestFixtures = {
  receiver: (script?: Script) => Promise<Receiver>
  consoleErrors: string[]
  shot: (name: string, page?: Page) => Promise<void>
  signIn: (page: Page, token?: string) => Promise<void>
}

/**
 * test starts the real server binary (embedded mode, fresh data folder,
 * random admin token, 2 s retry delays) once per worker, gives each test
 * local receivers, and fails a test whose page logged a console error.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    async ({}, use) => {
      const bin = process.env.SCOOPA_E2E_SERVER
      if (!bin) throw new Error('SCOOPA_E2E_SERVER is not set: globalSetup builds the server')
      const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-data-'))
      const s = await startServer({ port: await freePort(), dataDir, adminToken: randomBytes(24).toString('hex') })
      try {
        await use(s)
      } finally {
        await s.stop()
        rmSync(dataDir, { recursive: true, force: true })
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  baseURL: async ({ server }, use) => use(server.url),

  receiver: async ({}, use) => {
    const started: Receiver[] = []
    await use(async (script) => {
      const r = new Receiver(script)
      await r.start()
      started.push(r)
      return r
    })
    await Promise.all(started.map((r) => r.stop()))
  },

  consoleErrors: async ({}, use) => {
    await use([])
  },

  context: async ({ context, consoleErrors }, use) => {
    const watch = (page: Page) => {
      page.on('console', (msg: ConsoleMessage) => {
        if (msg.type() !== 'error' && !(msg.type() === 'warning' && /urql|graphcache/i.test(msg.text()))) return
        const where = msg.location().url
        // POST /api/session answers 401 for a bad token (the sign-in flow tries one): the browser logs it itself.
        if (/status of 401/.test(msg.text()) && /\/api\/session$/.test(where)) return
        consoleErrors.push(`${msg.type()}: ${msg.text()} (${where})`)
      })
      page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`))
    }
    context.pages().forEach(watch)
    context.on('page', watch)
    await use(context)
    expect(consoleErrors, 'console errors').toEqual([])
  },

  shot: async ({ page }, use) => {
    mkdirSync(shotsDir, { recursive: true })
    await use(async (name, p = page) => {
      await p.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true })
    })
  },

  signIn: async ({ server }, use) => {
    await use(async (page, token = server.adminToken) => {
      await page.goto('/webhooks')
      await page.getByLabel('API token').fill(token)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
    })
  },
})

export { expect }
