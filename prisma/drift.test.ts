// Needs the PostgreSQL server of MIGRATION_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it, expect } from 'vitest'
import { diffMigrationsAgainstSchema } from '../scripts/migration-engine.ts'

const schema = readFileSync(path.join(import.meta.dirname, 'schema.prisma'), 'utf8')
const migrationsDir = path.join(import.meta.dirname, 'migrations')
const TIMEOUT = 60_000

describe('prisma/migrations', () => {
  it('build exactly the database that schema.prisma describes (else: npm run db:migration -- <name>)', async () => {
    const missing = await diffMigrationsAgainstSchema({ schema, migrationsDir })
    expect(missing.trim()).toBe('')
  }, TIMEOUT)

  it('are reported as behind when schema.prisma gains a model', async () => {
    const changed = `${schema}\nmodel DriftProbe {\n  id Int @id\n}\n`
    const missing = await diffMigrationsAgainstSchema({ schema: changed, migrationsDir })
    expect(missing).toContain('CREATE TABLE "DriftProbe"')
  }, TIMEOUT)
})
