import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
/** The Go module root: frontend/.. */
export const repoRoot = resolve(here, '..', '..')

/**
 * globalSetup builds the console and then the real server (which embeds
 * frontend/dist/app) and hands the binary's path to the workers through
 * SCOOPA_E2E_SERVER.
 */
export default function globalSetup() {
  if (process.env.SCOOPA_E2E_SERVER && existsSync(process.env.SCOOPA_E2E_SERVER)) return
  const frontend = resolve(here, '..')
  const t0 = Date.now()
  // The console is rebuilt so the binary serves the sources under test
  // (SCOOPA_E2E_SKIP_BUILD=1 reuses an existing dist/app).
  if (process.env.SCOOPA_E2E_SKIP_BUILD !== '1' || !existsSync(join(frontend, 'dist', 'app', 'index.html'))) {
    execFileSync('npm', ['run', 'build'], { cwd: frontend, stdio: 'inherit' })
  }
  const out = join(mkdtempSync(join(tmpdir(), 'scoopa-e2e-bin-')), 'scoopa-server')
  execFileSync('go', ['build', '-o', out, './cmd/server'], { cwd: repoRoot, stdio: 'inherit' })
  process.env.SCOOPA_E2E_SERVER = out
  console.log(`scoopa-server built in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${out}`)
}
