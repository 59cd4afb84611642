import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import pg from 'pg'
import { PrismaClient } from '~/generated/prisma/client'
import { getEnv } from '~/infra/env.server'
import { migrate, type RawDriver } from './migrate.server'

export type DbMode = 'postgres' | 'pglite'

export interface Database {
  mode: DbMode
  prisma: PrismaClient
  raw: RawDriver
  /** Where the data lives: the server (without password) or the PGlite directory. */
  location: string
  close(): Promise<void>
  /** PGlite only: the whole data directory as a tarball (test templates, backups). */
  dump?(): Promise<Blob>
}

export class DatabaseInUseError extends Error {}

export type OpenOptions =
  | { mode: 'postgres'; url: string; poolSize?: number }
  /**
   * `dataDir: null` keeps the database in memory (tests); `loadDataDir` starts from a dump.
   * `buffersMb`: PGlite's shared buffers; by default sized to the data directory (below).
   */
  | { mode: 'pglite'; dataDir: string | null; loadDataDir?: Blob | File; buffersMb?: number }

const MIGRATION_LOCK_KEY = 72190001

/**
 * Transactions stay short (PGlite queues every statement behind an open one), but a write that
 * indexes its listing segments text; on a loaded machine Prisma's 5 s default is too tight.
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 }

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.mode === 'postgres' ? openPostgres(options.url, options.poolSize) : openPGlite(options.dataDir, options.loadDataDir, options.buffersMb)
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize })
  // An idle connection the server closes would otherwise crash the process.
  pool.on('error', (error) => console.error('[db] idle connection error:', error.message))
  const clientDriver = (client: pg.PoolClient | pg.Pool): Omit<RawDriver, 'withLock'> => ({
    query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
    exec: async (sql) => {
      await client.query(sql)
    },
  })
  const raw: RawDriver = {
    ...clientDriver(pool),
    withLock: async (fn) => {
      const client = await pool.connect()
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
        return await fn(clientDriver(client))
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
        client.release()
      }
    },
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: TRANSACTION_OPTIONS })
  const u = new URL(url)
  return {
    mode: 'postgres',
    prisma,
    raw,
    location: `${u.hostname}:${u.port || 5432}${u.pathname}`,
    close: async () => {
      await prisma.$disconnect()
      await pool.end()
    },
  }
}

/**
 * PGlite's shared buffers in MB for a database whose files take `dataBytes`: all of it and a
 * quarter more, in steps of 64 MB, from PostgreSQL's default of 128 MB up to 1 GB. PGlite has
 * no operating-system cache behind its buffers: a page that does not fit is read again through
 * the file system emulation each time a search needs it. With 100,000 listings (235 MB of
 * files) and the default 128 MB, a search for 传感器 took 60 ms instead of 42 ms.
 */
export function pgliteBuffersMb(dataBytes: number): number {
  const wanted = Math.ceil((dataBytes * 1.25) / 2 ** 20 / 64) * 64
  return Math.min(1024, Math.max(128, wanted))
}

/** The bytes of the databases' files in a PGlite directory (not the write-ahead log). */
function databaseBytes(pgdata: string): number {
  const base = path.join(pgdata, 'base')
  if (!existsSync(base)) return 0
  let total = 0
  for (const entry of readdirSync(base, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size
  }
  return total
}

async function openPGlite(dataDir: string | null, loadDataDir?: Blob | File, buffersMb?: number): Promise<Database> {
  const release = dataDir ? lockDataDir(dataDir) : () => {}
  let client: PGlite
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true })
    const pgdata = dataDir ? path.join(dataDir, 'pglite') : undefined
    const buffers = buffersMb ?? getEnv().KZ_PGLITE_BUFFERS_MB ?? pgliteBuffersMb(pgdata ? databaseBytes(pgdata) : 0)
    client = await PGlite.create({
      dataDir: pgdata,
      extensions: { pg_trgm },
      loadDataDir,
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${buffers}MB`],
    })
  } catch (error) {
    release()
    throw error
  }
  const driver: Omit<RawDriver, 'withLock'> = {
    query: async <T,>(sql: string, params?: unknown[]) => (await client.query<T>(sql, params)).rows,
    exec: async (sql: string) => {
      await client.exec(sql)
      // PGlite learns the array types once, at start: without a refresh, arrays of the enum types
      // a migration just created are sent as "A,B" and fail ("malformed array literal").
      await client.refreshArrayTypes()
    },
  }
  // One connection: nothing else runs while a migration holds it.
  const raw: RawDriver = { ...driver, withLock: (fn) => fn(driver) }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client), transactionOptions: TRANSACTION_OPTIONS })
  return {
    mode: 'pglite',
    prisma,
    raw,
    location: dataDir ? path.join(dataDir, 'pglite') : 'memory',
    dump: async () => client.dumpDataDir('gzip'),
    close: async () => {
      await prisma.$disconnect()
      await client.close()
      release()
    },
  }
}

/**
 * PGlite takes no lock of its own: two processes on one directory silently lose writes.
 * A pid file refuses the second one with a message a person can act on.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const file = path.join(dataDir, 'pglite.pid')
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim())
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new DatabaseInUseError(
        `The embedded database in ${dataDir} is in use by process ${pid}. Stop that process first ` +
          `(or set KZ_DATA_DIR to another directory, or DATABASE_URL to use a PostgreSQL server).`,
      )
    }
  }
  writeFileSync(file, String(process.pid))
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file)
    } catch {
      // already gone
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The database this process uses, opened from the environment and migrated on first use. */
const holder = globalThis as unknown as { __kzDb?: Promise<Database> }

export function getDb(): Promise<Database> {
  holder.__kzDb ??= openFromEnv().catch((error) => {
    holder.__kzDb = undefined
    throw error
  })
  return holder.__kzDb
}

async function openFromEnv(): Promise<Database> {
  const env = getEnv()
  const db = env.DATABASE_URL
    ? await openDatabase({ mode: 'postgres', url: env.DATABASE_URL })
    : await openDatabase({ mode: 'pglite', dataDir: env.dataDir })
  try {
    await migrate(db.raw)
    if (db.mode === 'pglite') await analyzeStale(db.raw)
  } catch (error) {
    await db.close()
    throw error
  }
  return db
}

/**
 * PGlite runs no autovacuum, so nothing gathers the planner's statistics unless asked: without
 * them it guesses how many rows a condition keeps, and at 100,000 listings it sorted every
 * achievement by price (77 ms) instead of reading the first twenty from the price index (1 ms).
 * This analyzes the tables never analyzed, or grown by more than a tenth since they were, the
 * rule autovacuum follows; run when the database opens. Returns the tables analyzed.
 */
export async function analyzeStale(raw: Pick<RawDriver, 'query'>): Promise<string[]> {
  const stale = await raw.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r' AND pg_relation_size(c.oid) > 0
       AND (c.reltuples < 0 OR pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.1 + 8)
     ORDER BY 1`,
  )
  for (const { name } of stale) await raw.query(`ANALYZE "${name.replace(/"/g, '""')}"`)
  return stale.map((t) => t.name)
}

/** Tests hand the process a database of their own. */
export function setDb(db: Database) {
  holder.__kzDb = Promise.resolve(db)
}

export async function closeDb() {
  const pending = holder.__kzDb
  holder.__kzDb = undefined
  if (pending) await (await pending).close()
}

export async function prisma(): Promise<PrismaClient> {
  return (await getDb()).prisma
}
