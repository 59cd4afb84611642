import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, inject } from 'vitest'
import { closeDb, openDatabase, setDb, type Database } from '~/infra/db/client.server'
import { warmUpText } from '~/infra/search/text.server'
import { databaseUrl, TEST_PG_ADMIN_URL } from './pg-url'

/** Every test file gets a fresh, migrated database of its own, dropped afterwards. */
let db: Database
let dropName: string | undefined

beforeAll(async () => {
  if (process.env.KZ_TEST_DB === 'postgres') {
    const template = inject('pgTemplate')
    dropName = `${template.replace('kz_tpl_', 'kz_t_')}_${randomBytes(4).toString('hex')}`
    await adminQuery(`CREATE DATABASE "${dropName}" TEMPLATE "${template}"`)
    db = await openDatabase({ mode: 'postgres', url: databaseUrl(dropName), poolSize: 4 })
  } else {
    const dump = readFileSync(inject('pgliteTemplate'))
    db = await openDatabase({ mode: 'pglite', dataDir: null, loadDataDir: new Blob([dump]) })
  }
  setDb(db)
  // The segmenter's dictionaries load once per worker, outside any test's transaction.
  warmUpText()
})

afterAll(async () => {
  await closeDb()
  if (dropName) {
    // The pool has ended, but its connections may still be closing. Dropping the database under
    // one makes the server end it with an error, which the pool reports (console.error) while
    // the next test file of this worker runs, and fails that file's test. Wait for them first.
    await waitForNoConnections(dropName)
    await adminQuery(`DROP DATABASE IF EXISTS "${dropName}" WITH (FORCE)`)
  }
})

async function waitForNoConnections(database: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const [{ n }] = await adminQuery<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [database])
    if (n === 0) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL })
  await client.connect()
  try {
    return (await client.query<T>(sql, params)).rows
  } finally {
    await client.end()
  }
}

export function testDb(): Database {
  return db
}
