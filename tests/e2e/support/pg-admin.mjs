// Creates or drops the run's database on the PostgreSQL server named by a connection URL.
// Usage: node pg-admin.mjs create|drop <postgresql://...> <database>
import pg from 'pg'

const [action, serverUrl, name] = process.argv.slice(2)
if (!['create', 'drop'].includes(action) || !serverUrl || !/^[a-z0-9_]+$/.test(name ?? '')) {
  console.error('usage: pg-admin.mjs create|drop <postgresql-url> <database>')
  process.exit(2)
}

const client = new pg.Client({ connectionString: serverUrl })
try {
  await client.connect()
  await client.query(action === 'create' ? `CREATE DATABASE "${name}"` : `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
} catch (error) {
  console.error(`[e2e] cannot ${action} database ${name} on ${new URL(serverUrl).host}: ${error.message}`)
  process.exitCode = 1
} finally {
  await client.end().catch(() => {})
}
