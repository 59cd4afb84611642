import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import net, { type AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * A server of its own for the specs that pay through the local stand-in for Stripe's hosted
 * checkout page (/dev/checkout/…). The stand-in is refused when NODE_ENV=production (see
 * app/infra/env.server.ts), and the shared e2e server runs in production mode on purpose
 * (secure cookies, production checks), so these specs start the same build with NODE_ENV=test
 * and KZ_STRIPE_STANDIN=on, on a free port, with demo data on a fresh database of their own
 * (a PostgreSQL database of its own when KZ_E2E_DATABASE_URL is set). Only a run that includes
 * such a spec pays for the second server.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const READY_WITHIN_MS = 180_000 // a first start migrates and loads the demo data set

export interface StandinServer {
  baseURL: string
  stop: () => Promise<void>
}

async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

function pgAdmin(action: 'create' | 'drop', server: string, database: string) {
  execFileSync(process.execPath, [path.join(root, 'tests/e2e/support/pg-admin.mjs'), action, server, database], { cwd: root, stdio: 'inherit' })
}

export async function startStandinServer(): Promise<StandinServer> {
  const dir = mkdtempSync(path.join(process.env.KZ_E2E_RUN_DIR ?? os.tmpdir(), 'kz-standin-'))
  const pgServer = process.env.KZ_E2E_DATABASE_URL
  let databaseUrl = ''
  let database: string | null = null
  if (pgServer) {
    database = `kz_e2e_standin_${process.pid}_${randomBytes(3).toString('hex')}`
    pgAdmin('create', pgServer, database)
    const url = new URL(pgServer)
    url.pathname = `/${database}`
    databaseUrl = url.toString()
  }
  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    KZ_STRIPE_STANDIN: 'on',
    // Never the real Stripe, whatever the shell has.
    STRIPE_SECRET_KEY: '',
    SESSION_SECRET: 'e2e-only-session-secret-0123456789abcdef',
    PORT: String(port),
    HOST: '127.0.0.1',
    KZ_DATA_DIR: path.join(dir, 'data'),
    KZ_DEMO_DATA: 'on',
    DATABASE_URL: databaseUrl,
  }
  delete env.STRIPE_WEBHOOK_SECRET
  const child = spawn(process.execPath, ['server.js'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let running = true
  void exited.then(() => (running = false))

  const cleanUp = () => {
    if (pgServer && database) {
      try {
        pgAdmin('drop', pgServer, database)
      } catch {
        // pg-admin.mjs has said why.
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const stop = async () => {
    if (running) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    }
    cleanUp()
  }

  const deadline = Date.now() + READY_WITHIN_MS
  for (;;) {
    if (!running) {
      cleanUp()
      throw new Error(`the stand-in server exited before it was ready:\n${stderr}`)
    }
    const ready = await fetch(`${baseURL}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ready) return { baseURL, stop }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the stand-in server was not ready within ${READY_WITHIN_MS / 1000} s:\n${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}
