import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '~/infra/db/client.server'
import { migrate } from '~/infra/db/migrate.server'
import { databaseUrl, TEST_PG_ADMIN_URL } from './pg-url'

/**
 * Prepares a migrated template once per run: a PostgreSQL template database, or a PGlite
 * dump on disk. Each test file then starts from its own copy (tests/setup/db.ts).
 */
export default async function setup(project: TestProject) {
  const kind = project.config.env?.KZ_TEST_DB
  if (kind === 'postgres') {
    const name = `kz_tpl_${process.pid}_${Date.now().toString(36)}`
    const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL })
    await admin.connect()
    await admin.query(`CREATE DATABASE "${name}"`)
    const db = await openDatabase({ mode: 'postgres', url: databaseUrl(name), poolSize: 2 })
    await migrate(db.raw)
    await db.close()
    project.provide('pgTemplate', name)
    return async () => {
      await dropTestDatabases(admin, name)
      await admin.end()
    }
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kz-pglite-'))
  const db = await openDatabase({ mode: 'pglite', dataDir: null })
  await migrate(db.raw)
  const dump = await db.dump!()
  await db.close()
  const file = path.join(dir, 'template.tar.gz')
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  project.provide('pgliteTemplate', file)
  return () => rmSync(dir, { recursive: true, force: true })
}

/** Drops the template and any per-file database a crashed worker left behind. */
async function dropTestDatabases(admin: pg.Client, template: string) {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
    [template, `${template.replace('kz_tpl_', 'kz_t_')}%`],
  )
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string
    pgliteTemplate: string
  }
}
