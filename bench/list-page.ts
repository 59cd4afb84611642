/**
 * List page benchmark (never part of `npm test`): `npx tsx bench/list-page.ts [requests]`.
 *
 * Loads 10,000 published achievements (through the importer) into a fresh embedded database
 * (PGlite in a temporary directory) and, when DATABASE_URL is set, into a fresh database on that
 * PostgreSQL server. Then calls the /achievements route module's loader in-process, as React
 * Router does, with real Request objects and an anonymous visitor's context: the server time of
 * the page's data (database queries and mapping), without HTTP or rendering. ~200 requests
 * (after 20 to warm up) spread over a few filter combinations; prints p50/p95/max per
 * combination and overall.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { RouterContextProvider } from 'react-router'
import { readExchangeFile } from '~/domain/listings/exchange-files.server'
import { importListings } from '~/domain/listings/import.server'
import { closeDb, openDatabase, setDb, type Database } from '~/infra/db/client.server'
import { migrate } from '~/infra/db/migrate.server'
import { achievementsCsv } from './achievements-data'

const REQUESTS = Number(process.argv[2] ?? 200)
const LISTINGS = 10_000
const dir = mkdtempSync(path.join(os.tmpdir(), 'kz-bench-list-'))
process.env.KZ_DATA_DIR = dir

const PAGES = [
  '/achievements',
  '/achievements?field=ADVANCED_MANUFACTURING',
  '/achievements?industry=INTELLIGENT_EQUIPMENT&trlMin=5',
  '/achievements?q=热误差',
  '/achievements?sort=price_desc&page=5',
  '/achievements?mode=LICENSE&priceMax=1000000&region=50',
]

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
const ms = (n: number) => `${n.toFixed(1)} ms`

async function run(label: string, db: Database) {
  setDb(db)
  await db.prisma.organization.create({
    data: { kind: 'GOVERNMENT', name: '重庆市永川区科学技术局', regionCode: '500118', verified: true, invitationCode: randomBytes(5).toString('hex') },
  })
  const t0 = performance.now()
  const file = await readExchangeFile('achievement', achievementsCsv(LISTINGS), 'bench.csv')
  const { summary } = await importListings({ actor: 'system', kind: 'achievement', file, source: 'bench' })
  console.log(`${label}: ${summary.created} published achievements loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

  const { loader } = await import('~/routes/listings/list')
  const context = new RouterContextProvider()
  const call = async (page: string) => {
    const request = new Request(`http://localhost${page}`)
    const url = new URL(request.url)
    const start = performance.now()
    const data = (await loader({ request, url, params: {}, context, pattern: '/achievements' } as never)) as { total: number; items: unknown[] }
    return { time: performance.now() - start, total: data.total, items: data.items.length }
  }
  for (let i = 0; i < 20; i++) await call(PAGES[i % PAGES.length]!)
  const times = new Map<string, number[]>(PAGES.map((p) => [p, []]))
  const sizes = new Map<string, string>()
  for (let i = 0; i < REQUESTS; i++) {
    const page = PAGES[i % PAGES.length]!
    const result = await call(page)
    times.get(page)!.push(result.time)
    sizes.set(page, `${result.items}/${result.total}`)
  }
  const all = [...times.values()].flat().sort((a, b) => a - b)
  console.log(`${label}: ${REQUESTS} loader calls — p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))}, max ${ms(all.at(-1)!)}`)
  for (const [page, list] of times) {
    const sorted = [...list].sort((a, b) => a - b)
    console.log(`  ${page.padEnd(58)} items ${sizes.get(page)!.padEnd(11)} p50 ${ms(percentile(sorted, 50)).padStart(9)}  p95 ${ms(percentile(sorted, 95)).padStart(9)}`)
  }
  await closeDb()
}

console.log(`${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
try {
  const db = await openDatabase({ mode: 'pglite', dataDir: path.join(dir, 'db') })
  await migrate(db.raw)
  await run('PGlite', db)
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
    await run('PostgreSQL', db)
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  }
} else {
  console.log('PostgreSQL: skipped (set DATABASE_URL to a server to include it)')
}
process.exit(0)
