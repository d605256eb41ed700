import { execFileSync, spawn } from 'node:child_process'
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, freePort, startServer, test as base, type RunningServer } from './fixtures'

/** versitygw finds Versity's S3 gateway as the Go tests do: on PATH or in $(go env GOPATH)/bin (.ci/run installs it). */
function versitygw(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'versitygw'))) return join(dir, 'versitygw')
  const gopath = execFileSync('go', ['env', 'GOPATH']).toString().trim().split(':')[0]
  const bin = join(gopath, 'bin', 'versitygw')
  if (!existsSync(bin)) throw new Error(`versitygw not found: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0`)
  return bin
}

type S3World = { server: RunningServer; root: string; bucket: string; dataDir: string; s3URL: string }

// A real S3 server (versitygw over a temp directory, CORS open to the
// console's origin) and a scoopa server keeping its files there, with
// direct uploads on by default (object storage).
const test = base.extend<object, { world: S3World; server: RunningServer }>({
  world: [
    async ({}, use) => {
      const port = await freePort()
      const s3Port = await freePort()
      const consoleURL = `http://127.0.0.1:${port}`
      const root = mkdtempSync(join(tmpdir(), 'scoopa-e2e-s3-'))
      const bucket = 'scoopa-e2e'
      mkdirSync(join(root, bucket)) // the posix backend's bucket is a directory
      const access = 'e2e' + randomBytes(6).toString('hex')
      const secret = randomBytes(20).toString('hex')
      const gw = spawn(versitygw(), ['--access', access, '--secret', secret, '--port', `127.0.0.1:${s3Port}`, '--cors-allow-origin', consoleURL, '--quiet', 'posix', root], { stdio: 'ignore' })
      const dataDir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-s3data-'))
      let server: RunningServer | undefined
      try {
        for (let i = 0; ; i++) {
          try {
            await fetch(`http://127.0.0.1:${s3Port}/`)
            break
          } catch {
            if (i > 100) throw new Error('versitygw did not start')
            await new Promise((r) => setTimeout(r, 100))
          }
        }
        server = await startServer({
          port,
          dataDir,
          adminToken: randomBytes(24).toString('hex'),
          env: {
            SCOOPA_STORAGE_URL: `s3://${bucket}/files?endpoint=http://127.0.0.1:${s3Port}&region=us-east-1`,
            AWS_ACCESS_KEY_ID: access,
            AWS_SECRET_ACCESS_KEY: secret,
          },
        })
        await use({ server, root, bucket, dataDir, s3URL: `http://127.0.0.1:${s3Port}` })
      } finally {
        await server?.stop()
        gw.kill('SIGTERM')
        rmSync(root, { recursive: true, force: true })
        rmSync(dataDir, { recursive: true, force: true })
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  server: [async ({ world }, use) => use(world.server), { scope: 'worker' }],
})

/** vmKiB reads a memory line (VmRSS, VmHWM) of /proc/PID/status, in KiB. */
function vmKiB(pid: number, name: string): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))
  return m ? Number(m[1]) : NaN
}

test('a 2 GiB file goes from the console straight to S3, not through the server’s memory', async ({ page, request, world, signIn, shot }) => {
  test.setTimeout(600_000)
  const { server } = world
  const size = Number(process.env.SCOOPA_E2E_BIG_BYTES ?? 2 * 1024 ** 3)
  const r = await request.post(`${server.url}/graphql`, {
    headers: { Authorization: `Bearer ${server.adminToken}` },
    data: { query: 'mutation { createFolder(input: {name: "Masters"}) { id } }' },
  })
  expect((await r.json()).errors).toBeUndefined()
  // A sparse file: 2 GiB on the page, no disk or memory for the test.
  const dir = mkdtempSync(join(tmpdir(), 'scoopa-e2e-big-'))
  const path = join(dir, 'master.mxf')
  const fd = openSync(path, 'w')
  ftruncateSync(fd, size)
  closeSync(fd)
  try {
    await signIn(page)
    await page.goto('/folders')
    const idle = vmKiB(server.pid, 'VmRSS')
    // Parts go to the S3 endpoint, never to the server.
    const partPUTs: string[] = []
    page.on('request', (req) => {
      if (req.method() === 'PUT') partPUTs.push(req.url())
    })
    await page.getByLabel('Folder', { exact: true }).selectOption({ label: 'Masters' })
    await page.getByLabel('File', { exact: true }).setInputFiles(path)
    await page.getByRole('button', { name: 'Upload' }).click()
    await expect(page.getByRole('progressbar', { name: 'Upload progress' })).toBeVisible()
    await expect(page.getByText(/“master\.mxf” \(.+\) was uploaded\./)).toBeVisible({ timeout: 540_000 })
    await shot('direct-s3-done')
    const peak = vmKiB(server.pid, 'VmHWM')
    console.log(`direct upload of ${size} bytes to S3: server VmRSS ${idle} KiB before, VmHWM (peak) ${peak} KiB after`)
    expect(peak, 'the server’s peak resident memory, KiB').toBeLessThan(256 * 1024)
    expect(partPUTs.length).toBe(Math.max(1, Math.ceil(size / (16 * 1024 * 1024))))
    expect(partPUTs.every((u) => u.startsWith(`${world.s3URL}/${world.bucket}/files/`) && u.includes('uploadId='))).toBe(true)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  // The bytes are in the bucket, none in the server's data dir.
  const objects = readdirSync(join(world.root, world.bucket, 'files'))
  expect(objects).toHaveLength(1)
  expect(statSync(join(world.root, world.bucket, 'files', objects[0])).size).toBe(size)
  expect(existsSync(join(world.dataDir, 'files'))).toBe(false)
})
