import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { CONTRACT_DOCS } from './contract'
import { resetEnv } from '~/infra/env.server'
import { createMeilisearchEngine } from './meilisearch.server'
import { ensureLocalMeilisearch, healthy, masterKeyFor, meilisearchBinary, startMeilisearch, stopLocalMeilisearch } from './meili-process.server'

const root = mkdtempSync(path.join(os.tmpdir(), 'kz-meili-proc-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function alive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

let available = true
try {
  meilisearchBinary()
} catch {
  available = !!process.env.CI // in CI a missing binary fails the tests below
}

describe.skipIf(!available)('the bundled Meilisearch process', () => {
  it('keeps a master key per folder, generated once, mode 600', () => {
    const dir = path.join(root, 'keys')
    const key = masterKeyFor(dir)
    expect(key.length).toBeGreaterThanOrEqual(32)
    expect(masterKeyFor(dir)).toBe(key)
    expect(statSync(path.join(dir, 'master-key')).mode & 0o777).toBe(0o600)
  })

  it('listens on loopback only, with its data under the folder and the key off the command line', async () => {
    const dir = path.join(root, 'one')
    const masterKey = 'test-master-key-' + 'x'.repeat(16)
    const meili = await startMeilisearch({ dir, masterKey })
    try {
      expect(meili.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(meili.pid).toBeGreaterThan(0)
      expect(await healthy(meili.url)).toBe(true)
      const args = readFileSync(`/proc/${meili.pid}/cmdline`, 'utf8').split('\0')
      expect(args).toEqual(expect.arrayContaining(['--http-addr', `127.0.0.1:${new URL(meili.url).port}`, '--db-path', path.join(dir, 'data.ms'), '--no-analytics']))
      expect(args.join(' ')).not.toContain(masterKey)
      expect(existsSync(path.join(dir, 'data.ms'))).toBe(true)
      // The key is required.
      expect((await fetch(`${meili.url}/indexes`)).status).toBe(401)
      expect((await fetch(`${meili.url}/indexes`, { headers: { Authorization: `Bearer ${masterKey}` } })).status).toBe(200)
    } finally {
      await meili.stop()
    }
    expect(alive(meili.pid!)).toBe(false)
    expect(await healthy(meili.url)).toBe(false)
  })

  it('dies with its parent, even when the parent is SIGKILLed', async () => {
    const dir = path.join(root, 'orphan')
    const script = `
      const { startMeilisearch } = await import(${JSON.stringify(path.resolve(import.meta.dirname, 'meili-process.server.ts'))})
      const m = await startMeilisearch({ dir: process.env.KZ_MEILI_DIR, masterKey: 'k'.repeat(32) })
      console.log(JSON.stringify({ pid: m.pid, url: m.url }))
      setInterval(() => {}, 1000)`
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.resolve(import.meta.dirname, '../../..'),
      env: { ...process.env, KZ_MEILI_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    parent.stderr.on('data', (chunk) => (stderr += chunk))
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: parent.stdout }).once('line', resolve)
      parent.once('exit', (code) => reject(new Error(`parent exited (${code}): ${stderr}`)))
    })
    const { pid, url } = JSON.parse(line) as { pid: number; url: string }
    expect(await healthy(url)).toBe(true)
    parent.kill('SIGKILL')
    expect(await until(() => !alive(pid), 10_000)).toBe(true)
    expect(await healthy(url)).toBe(false)
  }, 60_000)

  it('is what the engine uses without MEILI_URL: started in <dataDir>/meilisearch, stopped by stopLocalMeilisearch', async () => {
    const saved = { KZ_DATA_DIR: process.env.KZ_DATA_DIR, KZ_SEARCH: process.env.KZ_SEARCH, MEILI_URL: process.env.MEILI_URL }
    Object.assign(process.env, { KZ_DATA_DIR: path.join(root, 'app-data'), KZ_SEARCH: 'meilisearch' })
    delete process.env.MEILI_URL
    resetEnv()
    try {
      const engine = await createMeilisearchEngine({ indexUid: 'local_test' })
      expect(await engine.health()).toMatchObject({ ok: true })
      const local = await ensureLocalMeilisearch()
      expect(local.owned).toBe(true)
      const dir = path.join(root, 'app-data', 'meilisearch')
      expect(local.apiKey).toBe(readFileSync(path.join(dir, 'master-key'), 'utf8').trim())
      expect(JSON.parse(readFileSync(path.join(dir, 'instance.json'), 'utf8'))).toMatchObject({ pid: process.pid, url: local.url })
      await engine.upsert([CONTRACT_DOCS[0]])
      await stopLocalMeilisearch()
      expect(alive(local.pid!)).toBe(false)
      expect(existsSync(path.join(dir, 'instance.json'))).toBe(false)
      // Started again on the next use, with the same data.
      const again = await createMeilisearchEngine({ indexUid: 'local_test' })
      expect((await again.search({ concepts: [], mode: 'all', filters: {}, facets: [], sort: 'relevance', offset: 0, limit: 10 })).total).toBe(1)
      await stopLocalMeilisearch()
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
      resetEnv()
    }
  }, 120_000)
})
