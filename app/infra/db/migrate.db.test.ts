import { describe, expect, it } from 'vitest'
import { getDb } from './client.server'
import { migrate, migrationStatus, readMigrations, type Migration } from './migrate.server'

interface MigrationRow {
  migration_name: string
  checksum: string
  finished_at: Date | null
  rolled_back_at: Date | null
  applied_steps_count: number
}

async function rows(): Promise<MigrationRow[]> {
  const db = await getDb()
  return db.raw.query<MigrationRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
  )
}

async function tableExists(name: string): Promise<boolean> {
  const db = await getDb()
  const [row] = await db.raw.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [`"${name}"`])
  return row?.t != null
}

describe('migrator', () => {
  it('finds the project migrations, in order, with sha256 checksums', () => {
    const migrations = readMigrations()
    expect(migrations.length).toBeGreaterThan(0)
    expect(migrations.map((m) => m.name)).toEqual([...migrations.map((m) => m.name)].sort())
    for (const m of migrations) {
      expect(m.name).toMatch(/^\d{14}_\w+$/)
      expect(m.checksum).toMatch(/^[0-9a-f]{64}$/)
      expect(m.sql.trim()).not.toBe('')
    }
  })

  it('reports every migration applied on the test database', async () => {
    const db = await getDb()
    const states = await migrationStatus(db.raw)
    expect(states.map((s) => s.name)).toEqual(readMigrations().map((m) => m.name))
    for (const s of states) {
      expect(s.state, s.name).toBe('applied')
      expect(s.finishedAt).toBeInstanceOf(Date)
    }
  })

  it('applies nothing when run again', async () => {
    const db = await getDb()
    const before = await rows()
    expect(await migrate(db.raw)).toEqual([])
    expect(await rows()).toEqual(before)
  })

  it('records each migration as Prisma does: sha256 of migration.sql, finished, one step', async () => {
    const recorded = await rows()
    const expected = readMigrations()
    expect(recorded.map((r) => r.migration_name)).toEqual(expected.map((m) => m.name))
    for (const m of expected) {
      const row = recorded.find((r) => r.migration_name === m.name)!
      expect(row.checksum, m.name).toBe(m.checksum)
      expect(row.finished_at, m.name).toBeInstanceOf(Date)
      expect(row.rolled_back_at, m.name).toBeNull()
      expect(Number(row.applied_steps_count), m.name).toBe(1)
    }
  })

  it('reports a migration whose file changed after it was applied as modified', async () => {
    const db = await getDb()
    const migrations = readMigrations()
    const last = migrations.at(-1)!
    const changed: Migration[] = [...migrations.slice(0, -1), { ...last, sql: `${last.sql}\n-- edited`, checksum: 'f'.repeat(64) }]
    const states = await migrationStatus(db.raw, changed)
    expect(states.at(-1)).toMatchObject({ name: last.name, state: 'modified' })
    expect(states.slice(0, -1).every((s) => s.state === 'applied')).toBe(true)
    // A modified migration is not applied again.
    expect(await migrate(db.raw, changed)).toEqual([])
  })

  it('reports a new migration as pending and one the checkout lacks as unknown', async () => {
    const db = await getDb()
    const migrations = readMigrations()
    const extra = { name: '29991231000000_future', sql: 'SELECT 1;', checksum: '0'.repeat(64) }
    const withExtra = await migrationStatus(db.raw, [...migrations, extra])
    expect(withExtra.at(-1)).toMatchObject({ name: extra.name, state: 'pending' })
    const withoutFirst = await migrationStatus(db.raw, migrations.slice(1))
    expect(withoutFirst).toContainEqual(expect.objectContaining({ name: migrations[0]!.name, state: 'unknown' }))
  })

  it('applies a new migration once and records it', async () => {
    const db = await getDb()
    const next: Migration = {
      name: '29991231000001_probe_ok',
      sql: 'CREATE TABLE "MigrationProbeOk" (id integer PRIMARY KEY);\nINSERT INTO "MigrationProbeOk" VALUES (1);',
      checksum: 'a'.repeat(64),
    }
    const all = [...readMigrations(), next]
    expect(await migrate(db.raw, all)).toEqual([next.name])
    expect(await tableExists('MigrationProbeOk')).toBe(true)
    expect(await migrate(db.raw, all)).toEqual([])
    expect((await migrationStatus(db.raw, all)).find((s) => s.name === next.name)).toMatchObject({ state: 'applied' })
  })

  it('rolls a failing migration back completely and names it in the error', async () => {
    const db = await getDb()
    const before = await rows()
    const broken: Migration = {
      name: '29991231000002_probe_broken',
      // The first statements succeed, the last one fails.
      sql: [
        'CREATE TABLE "MigrationProbeBroken" (id integer PRIMARY KEY);',
        'INSERT INTO "MigrationProbeBroken" VALUES (1);',
        'ALTER TABLE "User" ADD COLUMN "probeColumn" integer;',
        'SELECT * FROM "NoSuchTableAnywhere";',
      ].join('\n'),
      checksum: 'b'.repeat(64),
    }
    const all = [...readMigrations(), broken]
    const error = await migrate(db.raw, all).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain(broken.name)
    expect((error as Error).message).toMatch(/NoSuchTableAnywhere/)
    expect(await tableExists('MigrationProbeBroken')).toBe(false)
    const [column] = await db.raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'probeColumn'`,
    )
    expect(column!.n).toBe(0)
    expect(await rows()).toEqual(before)
    expect((await migrationStatus(db.raw, all)).find((s) => s.name === broken.name)).toMatchObject({ state: 'pending' })
    // The connection is usable afterwards, and the migration lock was released.
    expect(await migrate(db.raw)).toEqual([])
    const prisma = db.prisma
    await expect(prisma.user.count()).resolves.toBeTypeOf('number')
  })

  it('stops at the failing migration: those before it stay applied, those after it are not run', async () => {
    const db = await getDb()
    const first: Migration = { name: '29991231000003_probe_first', sql: 'CREATE TABLE "MigrationProbeFirst" (id integer);', checksum: 'c'.repeat(64) }
    const failing: Migration = { name: '29991231000004_probe_fails', sql: 'SELECT 1/0;', checksum: 'd'.repeat(64) }
    const after: Migration = { name: '29991231000005_probe_after', sql: 'CREATE TABLE "MigrationProbeAfter" (id integer);', checksum: 'e'.repeat(64) }
    await expect(migrate(db.raw, [...readMigrations(), first, failing, after])).rejects.toThrow(failing.name)
    expect(await tableExists('MigrationProbeFirst')).toBe(true)
    expect(await tableExists('MigrationProbeAfter')).toBe(false)
    const names = (await rows()).map((r) => r.migration_name)
    expect(names).toContain(first.name)
    expect(names).not.toContain(failing.name)
    expect(names).not.toContain(after.name)
  })
})
