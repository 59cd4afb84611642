import { createHash, randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { findUp } from '~/infra/paths.server'

/**
 * Applies migrations kept in Prisma's folder format and records them in Prisma's own
 * `_prisma_migrations` table (sha256 checksum of migration.sql), so that a machine with the
 * native engine sees the same state with `prisma migrate status`.
 * It runs on the raw driver: the PGlite Prisma adapter refuses multi-statement SQL.
 */
export interface RawDriver {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** Runs several statements at once, without parameters. */
  exec(sql: string): Promise<void>
  /** Runs `fn` in one transaction on one connection while holding the migration lock. */
  withLock<T>(fn: (tx: Omit<RawDriver, 'withLock'>) => Promise<T>): Promise<T>
}

export interface Migration {
  name: string
  sql: string
  checksum: string
}

export interface MigrationState {
  name: string
  checksum: string
  state: 'applied' | 'pending' | 'modified' | 'failed' | 'unknown'
  finishedAt?: Date
}

/** prisma/migrations of the project, found upwards from here (the sources or the build). */
export const MIGRATIONS_DIR = findUp(import.meta.dirname, 'prisma/migrations')

const TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    })
}

interface Row {
  migration_name: string
  checksum: string
  finished_at: Date | null
  rolled_back_at: Date | null
}

async function appliedRows(db: Pick<RawDriver, 'query'>): Promise<Row[]> {
  return db.query<Row>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  )
}

export async function migrationStatus(db: RawDriver, migrations = readMigrations()): Promise<MigrationState[]> {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`)
  const rows = exists[0]?.t ? await appliedRows(db) : []
  const byName = new Map(rows.filter((r) => !r.rolled_back_at).map((r) => [r.migration_name, r]))
  const states: MigrationState[] = migrations.map((m) => {
    const row = byName.get(m.name)
    if (!row) return { name: m.name, checksum: m.checksum, state: 'pending' }
    if (!row.finished_at) return { name: m.name, checksum: m.checksum, state: 'failed' }
    const state = row.checksum === m.checksum ? 'applied' : 'modified'
    return { name: m.name, checksum: m.checksum, state, finishedAt: row.finished_at }
  })
  const known = new Set(migrations.map((m) => m.name))
  for (const row of byName.values()) {
    if (!known.has(row.migration_name)) {
      states.push({ name: row.migration_name, checksum: row.checksum, state: 'unknown' })
    }
  }
  return states
}

/** Applies every pending migration, each in its own transaction. Returns the names applied. */
export async function migrate(db: RawDriver, migrations = readMigrations()): Promise<string[]> {
  return db.withLock(async (tx) => {
    await tx.exec(TABLE_DDL)
    const done = new Map((await appliedRows(tx)).filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r]))
    const applied: string[] = []
    for (const m of migrations) {
      if (done.has(m.name)) continue
      await tx.exec('BEGIN')
      try {
        await tx.exec(m.sql)
        await tx.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        )
        await tx.exec('COMMIT')
      } catch (error) {
        await tx.exec('ROLLBACK')
        throw new Error(`Migration ${m.name} failed: ${(error as Error).message}`, { cause: error })
      }
      applied.push(m.name)
    }
    return applied
  })
}
