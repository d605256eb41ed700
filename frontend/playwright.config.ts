import { defineConfig } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Go finds its build cache through XDG_CACHE_HOME, which moves below: the
// cache stays where it was, so that building the server for these tests
// (e2e/global-setup.ts) reuses what `go test` built instead of compiling
// everything again (two minutes on two cores).
if (!process.env.GOCACHE) {
  try {
    process.env.GOCACHE = execFileSync('go', ['env', 'GOCACHE'], { encoding: 'utf8' }).trim()
  } catch {
    // No Go: global-setup's build says so.
  }
}

// Chromium comes from Debian (/usr/bin/chromium): Playwright never downloads
// a browser here. Its config and cache go to a temp folder, not the home folder.
const xdg = mkdtempSync(join(tmpdir(), 'scoopa-e2e-xdg-'))
process.env.XDG_CONFIG_HOME ??= join(xdg, 'config')
process.env.XDG_CACHE_HOME ??= join(xdg, 'cache')

export default defineConfig({
  testDir: './e2e',
  // The server binary is built once; each worker starts its own server (see e2e/fixtures.ts).
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  // Two spec files at a time, each worker with its own server: the specs
  // mostly wait (for deliveries, live updates, uploads), so on two cores the
  // suite takes 2.1 min instead of 3.3-4.4 min with one.
  workers: 2,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  outputDir: './test-results/output',
  reporter: [['list']],
  forbidOnly: !!process.env.CI,
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.SCOOPA_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
})
