/**
 * Authors the next migration from prisma/schema.prisma, like `prisma migrate dev --create-only`:
 *   npm run db:migration -- <name>     (or: npx tsx scripts/new-migration.ts <name>)
 * Needs a PostgreSQL server where it may create databases: MIGRATION_DATABASE_URL, default
 * postgresql://postgres@127.0.0.1:5432/postgres. See docs/migrations.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { diffMigrationsAgainstSchema, MIGRATION_LOCK, MIGRATION_LOCK_FILE } from './migration-engine.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const SCHEMA_PATH = path.join(ROOT, 'prisma', 'schema.prisma')
const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations')
const NAME = /^[a-z0-9_]+$/

async function main(args: string[]): Promise<number> {
  const [name] = args
  if (args.length !== 1 || !name || !NAME.test(name)) {
    console.error('Usage: npm run db:migration -- <name>')
    console.error('The name may contain only lowercase letters, digits and underscores, e.g. add_patent_table.')
    return 2
  }

  const sql = await diffMigrationsAgainstSchema({ schema: readFileSync(SCHEMA_PATH, 'utf8'), migrationsDir: MIGRATIONS_DIR })
  if (!sql.trim()) {
    console.log('No changes: the existing migrations already produce prisma/schema.prisma. Nothing written.')
    return 0
  }

  const file = writeMigration(`${timestamp(new Date())}_${name}`, sql)
  ensureLockFile()
  console.log(`Wrote ${path.relative(ROOT, file)}`)
  if (sql.includes('Warnings:')) console.log('It may lose data: read the warnings at its top before applying it.')
  return 0
}

function writeMigration(folder: string, sql: string): string {
  mkdirSync(MIGRATIONS_DIR, { recursive: true })
  const dir = path.join(MIGRATIONS_DIR, folder)
  mkdirSync(dir) // fails rather than overwrite a migration authored in the same second
  const file = path.join(dir, 'migration.sql')
  writeFileSync(file, sql)
  return file
}

function ensureLockFile(): void {
  const lockPath = path.join(MIGRATIONS_DIR, MIGRATION_LOCK_FILE)
  if (!existsSync(lockPath) || readFileSync(lockPath, 'utf8') !== MIGRATION_LOCK) writeFileSync(lockPath, MIGRATION_LOCK)
}

/** YYYYMMDDHHMMSS in UTC, as Prisma names migration folders. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  },
)
