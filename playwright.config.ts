import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, devices } from '@playwright/test'

/**
 * End-to-end tests against the built app (`npm run build` first), served by `node server.js`
 * with demo data on a fresh embedded database in a temporary directory. With
 * KZ_E2E_DATABASE_URL set, the server uses PostgreSQL instead: a fresh database is created
 * on that server for the run and dropped afterwards, so every run starts from the same state.
 *
 * Playwright loads this file in the runner and again in every worker; the run's resources are
 * created once, in the runner, and handed to the workers through the environment.
 */
const root = path.dirname(fileURLToPath(import.meta.url))
const port = Number(process.env.KZ_E2E_PORT ?? 3917)
const baseURL = `http://127.0.0.1:${port}`

if (!process.env.KZ_E2E_RUN_DIR) prepareRun()

function prepareRun() {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'kz-e2e-'))
  process.env.KZ_E2E_RUN_DIR = runDir
  const pgServer = process.env.KZ_E2E_DATABASE_URL
  const database = `kz_e2e_${process.pid}_${randomBytes(3).toString('hex')}`
  if (pgServer) process.env.KZ_E2E_PG_DATABASE = database
  const pgAdmin = (action: 'create' | 'drop') =>
    execFileSync(process.execPath, [path.join(root, 'tests/e2e/support/pg-admin.mjs'), action, pgServer!, database], { cwd: root, stdio: 'inherit' })
  // On exit, after the web server has stopped: a global teardown would run while it is still up.
  process.on('exit', () => {
    rmSync(runDir, { recursive: true, force: true })
    if (pgServer) {
      try {
        pgAdmin('drop')
      } catch {
        // pg-admin.mjs has said why.
      }
    }
  })
  if (pgServer) pgAdmin('create')
}

function databaseUrl(): string | undefined {
  const server = process.env.KZ_E2E_DATABASE_URL
  if (!server) return undefined
  const url = new URL(server)
  url.pathname = `/${process.env.KZ_E2E_PG_DATABASE}`
  return url.toString()
}

const serverEnv: Record<string, string> = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'e2e-only-session-secret-0123456789abcdef',
  PORT: String(port),
  HOST: '127.0.0.1',
  KZ_DATA_DIR: path.join(process.env.KZ_E2E_RUN_DIR!, 'data'),
  KZ_DEMO_DATA: 'on',
  DATABASE_URL: databaseUrl() ?? '',
}

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'node server.js',
    cwd: root,
    url: `${baseURL}/healthz`,
    env: serverEnv,
    reuseExistingServer: false,
    timeout: 180_000, // a first start migrates and loads the demo data set
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    stdout: 'ignore',
    stderr: 'pipe',
  },
})
