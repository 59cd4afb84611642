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
  if (dropName) await adminQuery(`DROP DATABASE IF EXISTS "${dropName}" WITH (FORCE)`)
})

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

export function testDb(): Database {
  return db
}
