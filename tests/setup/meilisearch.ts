import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { MeilisearchStartError, startMeilisearch, type MeilisearchProcess } from '~/infra/search/meili-process.server'

/**
 * Starts one real Meilisearch (the bundled 1.21.0 binary) for the whole test run, on a free
 * loopback port with a temporary data folder and a random master key, and stops it at the
 * end. Tests read `inject('meili')`: { url, apiKey } (null when the binary cannot run here,
 * outside CI: those tests are skipped) and use an index of their own.
 *
 * Both database projects list this file; the server is shared (counted on globalThis, since
 * each project may load this module separately).
 */
interface Shared {
  users: number
  started: Promise<{ instance: MeilisearchProcess | null; dir: string; reason?: string }>
}
const holder = globalThis as unknown as { __kzTestMeili?: Shared }

export default async function setup(project: TestProject) {
  holder.__kzTestMeili ??= { users: 0, started: start() }
  const shared = holder.__kzTestMeili
  shared.users++
  const { instance, reason } = await shared.started
  if (!instance && process.env.CI) throw new Error(`Meilisearch for the tests: ${reason}`)
  project.provide('meili', instance ? { url: instance.url, apiKey: instance.apiKey, startMs: instance.startMs } : null)
  return async () => {
    if (--shared.users > 0) return
    holder.__kzTestMeili = undefined
    const { instance: running, dir } = await shared.started
    await running?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function start(): Promise<{ instance: MeilisearchProcess | null; dir: string; reason?: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kz-meili-'))
  try {
    const instance = await startMeilisearch({ dir: path.join(dir, 'meilisearch'), masterKey: randomBytes(24).toString('base64url') })
    return { instance, dir }
  } catch (error) {
    if (!(error instanceof MeilisearchStartError)) throw error
    return { instance: null, dir, reason: error.message }
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    meili: { url: string; apiKey: string; startMs: number } | null
  }
}
