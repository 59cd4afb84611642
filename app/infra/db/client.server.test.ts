import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, ftruncateSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { resetEnv } from '~/infra/env.server'
import { analyzeStale, openDatabase, pgliteBuffersMb } from './client.server'

const MB = 2 ** 20

describe('the embedded database\'s buffer pool', () => {
  it('holds the whole database and a quarter more, in steps of 64 MB, from 128 MB to 1 GB', () => {
    expect(pgliteBuffersMb(0)).toBe(128)
    expect(pgliteBuffersMb(60 * MB)).toBe(128)
    expect(pgliteBuffersMb(103 * MB)).toBe(192)
    // 100,000 generated listings: 235 MB of files.
    expect(pgliteBuffersMb(235 * MB)).toBe(320)
    expect(pgliteBuffersMb(5000 * MB)).toBe(1024)
  })

  describe('when the database opens', () => {
    let dir: string | undefined
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true })
      dir = undefined
      delete process.env.KZ_PGLITE_BUFFERS_MB
      resetEnv()
    })

    const sharedBuffers = async (db: Awaited<ReturnType<typeof openDatabase>>) => {
      try {
        return (await db.raw.query<{ shared_buffers: string }>('SHOW shared_buffers'))[0]!.shared_buffers
      } finally {
        await db.close()
      }
    }

    it('is sized to a small data directory: PostgreSQL\'s default', async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'kz-buffers-'))
      expect(await sharedBuffers(await openDatabase({ mode: 'pglite', dataDir: dir }))).toBe('128MB')
    }, 60_000)

    it('grows with the data directory, counted when it opens', async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'kz-buffers-'))
      await (await openDatabase({ mode: 'pglite', dataDir: dir })).close()
      // 300 MB more of database files (sparse: nothing is written).
      const base = path.join(dir, 'pglite', 'base')
      const fd = openSync(path.join(base, 'kz-test-padding'), 'w')
      ftruncateSync(fd, 300 * MB)
      closeSync(fd)
      const bytes = readdirSync(base, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .reduce((sum, e) => sum + statSync(path.join(e.parentPath, e.name)).size, 0)
      expect(pgliteBuffersMb(bytes)).toBeGreaterThanOrEqual(384)
      expect(await sharedBuffers(await openDatabase({ mode: 'pglite', dataDir: dir }))).toBe(`${pgliteBuffersMb(bytes)}MB`)
    }, 60_000)

    it('takes KZ_PGLITE_BUFFERS_MB, and an explicit size before it', async () => {
      process.env.KZ_PGLITE_BUFFERS_MB = '256'
      resetEnv()
      expect(await sharedBuffers(await openDatabase({ mode: 'pglite', dataDir: null }))).toBe('256MB')
      expect(await sharedBuffers(await openDatabase({ mode: 'pglite', dataDir: null, buffersMb: 192 }))).toBe('192MB')
    }, 60_000)
  })
})

describe('the embedded database\'s planner statistics', () => {
  it('are gathered for tables never analyzed or grown by more than a tenth since, and only those', async () => {
    const db = await openDatabase({ mode: 'pglite', dataDir: null })
    try {
      const rows = async (n: number) => db.raw.query(`INSERT INTO probe (kind) SELECT CASE WHEN i % 20 = 0 THEN 'rare' ELSE 'common' END FROM generate_series(1, $1::int) i`, [n])
      const estimate = async () =>
        (await db.raw.query<{ plan: string }>(`EXPLAIN SELECT * FROM probe WHERE kind = 'rare'`).then((r) => Object.values(r[0]!)[0] as string)).match(/rows=(\d+)/)![1]
      await db.raw.exec(`CREATE TABLE probe (id serial PRIMARY KEY, kind text NOT NULL); CREATE TABLE idle (id int)`)
      await rows(20_000)
      expect(await analyzeStale(db.raw)).toEqual(['probe'])
      // One row in twenty is rare: the planner knows it now.
      expect(Number(await estimate())).toBeGreaterThan(500)
      expect(Number(await estimate())).toBeLessThan(2000)
      expect(await analyzeStale(db.raw)).toEqual([])
      await rows(500)
      expect(await analyzeStale(db.raw)).toEqual([])
      await rows(20_000)
      expect(await analyzeStale(db.raw)).toEqual(['probe'])
    } finally {
      await db.close()
    }
  }, 60_000)
})
