// Integration tests need the PostgreSQL server; say so plainly when it is not there.
import pg from 'pg'

const url = process.env.KZ_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
try {
  await client.connect()
  await client.query('SELECT 1')
  await client.end()
} catch (error) {
  console.error(`[test] PostgreSQL is not reachable at ${url.replace(/:[^:@/]*@/, ':***@')}: ${error.message}`)
  console.error('[test] start it (see README, "Tests") or set KZ_TEST_PG_URL')
  process.exit(1)
}
