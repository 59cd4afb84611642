/**
 * Import benchmark (never part of `npm test`): `npx tsx bench/import.ts [rows]`.
 *
 * Generates N (default 10,000) realistic achievements as a UTF-8 CSV and imports them into a
 * fresh embedded database (PGlite in a temporary directory, as `npm start` uses it) and, when
 * DATABASE_URL is set, into a fresh database created on that PostgreSQL server (dropped after).
 * Prints the time to read, check and write, and rows per second; then imports the same file
 * again (all updates).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { readExchangeFile } from '~/domain/listings/exchange-files.server'
import { prepareImport, runImport } from '~/domain/listings/import.server'
import { closeDb, openDatabase, setDb, type Database } from '~/infra/db/client.server'
import { migrate } from '~/infra/db/migrate.server'
import { achievementsCsv } from './achievements-data'

const ROWS = Number(process.argv[2] ?? 10_000)
const dir = mkdtempSync(path.join(os.tmpdir(), 'kz-bench-import-'))
// The configuration (read on first use) points at the temporary directory, not ./data.
process.env.KZ_DATA_DIR = dir

async function run(label: string, db: Database, csv: Buffer) {
  setDb(db)
  // A government organisation, as on any real installation.
  await db.prisma.organization.create({
    data: { kind: 'GOVERNMENT', name: '重庆市永川区科学技术局', regionCode: '500118', verified: true, invitationCode: randomBytes(5).toString('hex') },
  })
  for (const round of ['create', 'update'] as const) {
    const t0 = performance.now()
    const file = await readExchangeFile('achievement', csv, 'bench.csv')
    const t1 = performance.now()
    const plan = await prepareImport({ actor: 'system', kind: 'achievement', file, source: 'bench' })
    const t2 = performance.now()
    let lastTenth = -1
    const summary = await runImport({
      actor: 'system',
      plan,
      onProgress: (done, total) => {
        const tenth = Math.floor((done / total) * 10)
        if (tenth > lastTenth && tenth % 2 === 0) process.stderr.write(`  ${label} ${round}: ${tenth * 10}%\r`)
        lastTenth = tenth
      },
    })
    const t3 = performance.now()
    const total = (t3 - t0) / 1000
    console.log(
      `${label.padEnd(10)} ${round}: ${summary.created} created, ${summary.updated} updated, ${plan.newOrgs.length} organisations created — ` +
        `read ${((t1 - t0) / 1000).toFixed(2)} s, check ${((t2 - t1) / 1000).toFixed(2)} s, write ${((t3 - t2) / 1000).toFixed(2)} s, ` +
        `total ${total.toFixed(2)} s = ${Math.round(ROWS / total)} rows/s`,
    )
  }
  await closeDb()
}

const csv = achievementsCsv(ROWS)
console.log(`${ROWS} achievements, CSV ${(csv.length / 1024 / 1024).toFixed(1)} MB; ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)

try {
  const t = performance.now()
  const db = await openDatabase({ mode: 'pglite', dataDir: path.join(dir, 'db') })
  await migrate(db.raw)
  console.log(`PGlite: fresh database in ${((performance.now() - t) / 1000).toFixed(1)} s (${dir})`)
  await run('PGlite', db, csv)
} finally {
  rmSync(dir, { recursive: true, force: true })
}

if (process.env.DATABASE_URL) {
  const server = new URL(process.env.DATABASE_URL)
  const name = `kz_bench_${process.pid}_${randomBytes(3).toString('hex')}`
  const admin = new pg.Client({ connectionString: server.toString() })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  try {
    const url = new URL(server)
    url.pathname = `/${name}`
    const db = await openDatabase({ mode: 'postgres', url: url.toString() })
    await migrate(db.raw)
    await run('PostgreSQL', db, csv)
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  }
} else {
  console.log('PostgreSQL: skipped (set DATABASE_URL to a server to include it)')
}
process.exit(0)
