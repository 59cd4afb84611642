/**
 * Search and matching speed on 100,000 generated listings, for both engines.
 *
 *   npx tsx bench/search.ts                 100,000 documents, both engines
 *   npx tsx bench/search.ts --docs 20000    fewer documents
 *   npx tsx bench/search.ts --engine embedded
 *   npx tsx bench/search.ts --db postgres   on PostgreSQL (DATABASE_URL, default the local
 *                                           server): a scratch database, dropped afterwards
 *
 * Prints index build time and memory, then p50/p99 latency of short queries, long demand-style
 * queries, filtered + faceted queries and browsing without words (the search service as the page
 * calls it: tabs, facets, highlights) and of matching a demand. Never part of `npm test`. Uses
 * PGlite in a temporary data directory (or PostgreSQL, see above) and a bundled Meilisearch
 * started for the run in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createListing, transitionListing } from '~/domain/listings/listings.server'
import { forgetCorpusStats } from '~/domain/matching/corpus.server'
import { matchListing } from '~/domain/matching/match.server'
import { searchListings, SearchQuerySchema } from '~/domain/search/search.server'
import { createUser, newInvitationCode } from '~/domain/users/accounts.server'
import { closeDb } from '~/infra/db/client.server'
import { writeSearchDocuments } from '~/infra/search/embedded.server'
import { createEmbeddedEngine } from '~/infra/search/embedded.server'
import { docId, priceBucketOf, type SearchDoc, type SearchEngine } from '~/infra/search/engine'
import { setSearchEngines } from '~/infra/search/engines.server'
import { masterKeyFor, startMeilisearch } from '~/infra/search/meili-process.server'
import { createMeilisearchEngine } from '~/infra/search/meilisearch.server'
import { openEvalDatabase, reopenPGlite } from './lib/eval-data'
import { loadEvalSet } from './lib/eval-set'

const { values } = parseArgs({
  options: { docs: { type: 'string', default: '100000' }, engine: { type: 'string', default: 'both' }, db: { type: 'string', default: 'pglite' } },
})
const DOCS = Number(values.docs)
if (!Number.isInteger(DOCS) || DOCS < 1000 || DOCS > 1_000_000) throw new Error('--docs takes a whole number from 1000 to 1000000')
if (!['both', 'embedded', 'meilisearch'].includes(values.engine!)) throw new Error('--engine takes both, embedded or meilisearch')
const ENGINES = values.engine === 'both' ? ['embedded', 'meilisearch'] : [values.engine!]
if (!['pglite', 'postgres'].includes(values.db!)) throw new Error('--db takes pglite or postgres')
const POSTGRES_URL = values.db === 'postgres' ? (process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres') : undefined

// A seeded generator, so that every run (and every engine) indexes the same documents.
const SEED = 20261128
let seed = SEED
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!

const set = loadEvalSet()
const FIELDS = ['ELECTRONIC_INFORMATION', 'BIO_MEDICINE', 'NEW_MATERIALS', 'HIGH_TECH_SERVICES', 'NEW_ENERGY', 'RESOURCES_ENVIRONMENT', 'ADVANCED_MANUFACTURING'] as const
const INDUSTRIES = ['INTELLIGENT_EQUIPMENT', 'AUTOMOTIVE', 'ELECTRONIC_INFORMATION', 'LIGHT_INDUSTRY', 'ENERGY_MATERIALS', 'MODERN_AGRICULTURE', 'BIG_DATA_SOFTWARE', 'BIO_MEDICINE'] as const
const MODES = ['TRANSFER', 'LICENSE', 'EQUITY', 'CO_DEVELOPMENT', 'TECH_SERVICE'] as const
const REGIONS = ['500118', '500118', '500118', '500103', '500106', '510107', '510104', '320102', '110108', '440305']

/** A realistic listing: sentences and keywords recombined from the evaluation set's achievements. */
function generate(i: number, orgs: { id: string; name: string }[]): SearchDoc {
  const a = pick(set.achievements).input
  const b = pick(set.achievements).input
  const kind = i % 20 === 0 ? 'scenario' : i % 4 === 0 ? 'demand' : 'achievement'
  const keywords = [...new Set([...a.keywords.slice(0, 3), pick(b.keywords)])]
  const priceFen = random() < 0.2 ? null : Math.round(10 ** (4 + random() * 3)) * 100
  const org = pick(orgs)
  const region = pick(REGIONS)
  const publishedAt = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 1000) * 86_400_000).toISOString()
  return {
    id: docId(kind, `bench${i}`),
    kind,
    listingId: `bench${i}`,
    orgId: org.id,
    orgName: org.name,
    regionCode: region,
    province: region.slice(0, 2),
    title: `${a.title}${random() < 0.3 ? `（${pick(b.keywords)}）` : ''}`,
    body: `${a.summary}${random() < 0.5 ? ` ${b.summary.split('。')[0]}。` : ''}`,
    keywords,
    field: pick(FIELDS),
    industry: pick(INDUSTRIES),
    trl: kind === 'scenario' ? null : 1 + Math.floor(random() * 9),
    stage: null,
    modes: [pick(MODES), pick(MODES)].filter((m, j, all) => all.indexOf(m) === j),
    priceFen,
    priceBucket: priceBucketOf(priceFen),
    deadline: kind === 'achievement' ? null : '2027-12-31',
    publishedAt,
  }
}

function percentiles(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b)
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1]! }
}

async function timed(n: number, fn: (i: number) => Promise<unknown>) {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await fn(i)
    out.push(performance.now() - t0)
  }
  return percentiles(out)
}

const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024)

// PGlite in a data directory of its own, as the server keeps it (and reopens it after the
// build, as a restart would: the buffer pool is sized to the database when it opens).
const pgliteDir = POSTGRES_URL ? undefined : mkdtempSync(path.join(os.tmpdir(), 'kz-bench-pglite-'))
let db = await openEvalDatabase({ postgresUrl: POSTGRES_URL, dataDir: pgliteDir })
const orgs = await Promise.all(
  Array.from({ length: 40 }, (_, i) =>
    db.prisma.organization.create({
      data: { kind: i % 3 === 0 ? 'ENTERPRISE' : 'UNIVERSITY', name: `基准机构${i}`, regionCode: '500118', verified: true, invitationCode: newInvitationCode() },
      select: { id: true, name: true, kind: true },
    }),
  ),
)
/**
 * The documents in batches, generated as they are indexed, from the same seed for each engine.
 * A server does not hold its listings in memory, and neither does the bench: with all 100,000
 * documents kept in the heap, garbage collection paused queries by 20–80 ms, which became the
 * p99 of the figures measured afterwards.
 */
function* batches(size: number) {
  seed = SEED
  for (let start = 0; start < DOCS; start += size) yield Array.from({ length: Math.min(size, DOCS - start) }, (_, j) => generate(start + j, orgs))
}
const rows: string[][] = []
const report = (engine: string, what: string, value: string) => rows.push([engine, what, value])

// Demands that matching starts from: real listings, through the domain, like any other.
const enterprise = orgs.find((o) => o.kind === 'ENTERPRISE')!
const actor = await createUser({ actor: 'system', input: { email: 'bench-enterprise@example.cn', password: 'bench-password', name: '基准企业', role: 'ENTERPRISE', orgId: enterprise.id } })
const bureau = await createUser({ actor: 'system', input: { email: 'bench-bureau@example.cn', password: 'bench-password', name: '基准科技局', role: 'BUREAU' } })
const demandIds: string[] = []
for (const d of set.demands) {
  const input = { ...d.input, deadline: '2027-12-31', confidential: false }
  const row = await createListing({ actor, kind: 'demand', input, submit: true })
  await transitionListing({ actor: bureau, kind: 'demand', id: row.id, action: 'approve' })
  demandIds.push(row.id)
}

const SHORT = ['压铸件', '数控机床', '锂电池 回收', '茶叶', '页岩气 返排液', '机器视觉 检测', '中药材', '传感器', '大数据 平台', '热管理']
const LONG = set.demands.map((d) => `${d.input.title} ${d.input.description}`)

for (const name of ENGINES) {
  let engine: SearchEngine
  let stop = async () => {}
  const mem0 = mb()
  const t0 = performance.now()
  if (name === 'embedded') {
    engine = createEmbeddedEngine()
    let done = 0
    for (const batch of batches(500)) {
      await db.prisma.$transaction((tx) => writeSearchDocuments(tx, batch), { timeout: 120_000 })
      if (done % 20_000 === 0) process.stderr.write(`\r[embedded] ${done}/${DOCS}`)
      done += batch.length
    }
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kz-bench-meili-'))
    const meili = await startMeilisearch({ dir, masterKey: masterKeyFor(dir) })
    engine = await createMeilisearchEngine({ url: meili.url, apiKey: meili.apiKey, indexUid: 'bench', taskTimeoutMs: 600_000 })
    let done = 0
    for (const batch of batches(10_000)) {
      await engine.upsert(batch)
      process.stderr.write(`\r[meilisearch] ${done}/${DOCS}`)
      done += batch.length
    }
    // The demands are in the embedded table already; Meilisearch needs them too.
    const { currentSearchDoc } = await import('~/domain/search/documents.server')
    const demandDocs = await Promise.all(demandIds.map((id) => currentSearchDoc(db.prisma, 'demand', id)))
    await engine.upsert(demandDocs.filter((d): d is SearchDoc => !!d))
    stop = async () => {
      await meili.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  process.stderr.write('\n')
  const buildS = (performance.now() - t0) / 1000
  report(name, 'index build', `${buildS.toFixed(1)} s (${Math.round(DOCS / buildS)} docs/s), RSS +${mb() - mem0} MB (now ${mb()} MB)`)
  // PostgreSQL's autovacuum gathers the planner's statistics within a minute of such a load.
  if (name === 'embedded' && !pgliteDir) await db.prisma.$executeRawUnsafe('ANALYZE')
  if (name === 'embedded' && pgliteDir) {
    await closeDb()
    db = await reopenPGlite(pgliteDir)
    const [{ shared_buffers }] = await db.raw.query<{ shared_buffers: string }>('SHOW shared_buffers')
    report(name, 'after a restart', `PGlite shared_buffers ${shared_buffers}, RSS ${mb()} MB`)
  }
  const embedded = createEmbeddedEngine()
  setSearchEngines({ primary: engine, fallback: embedded })
  const search = (q: string, extra: Record<string, string> = {}) => searchListings({ query: SearchQuerySchema.parse({ q, ...extra }) })
  await search('预热') // first query pays for the segmenter and caches
  // The first time each query runs, what it reads may still be on disk, not in the buffers:
  // reported on its own, then every query once more before the steady-state figures.
  const cold = await timed(SHORT.length, (i) => search(SHORT[i]!))
  report(name, 'short query, first time each', `p50 ${cold.p50.toFixed(1)} ms, max ${cold.max.toFixed(1)} ms`)
  for (const q of [...SHORT, ...LONG]) await search(q)
  const short = await timed(200, (i) => search(SHORT[i % SHORT.length]!))
  report(name, 'short query', `p50 ${short.p50.toFixed(1)} ms, p99 ${short.p99.toFixed(1)} ms`)
  const long = await timed(105, (i) => search(LONG[i % LONG.length]!))
  report(name, 'long demand-style query', `p50 ${long.p50.toFixed(1)} ms, p99 ${long.p99.toFixed(1)} ms`)
  const faceted = await timed(200, (i) =>
    search(SHORT[i % SHORT.length]!, { kind: 'achievement', field: FIELDS[i % FIELDS.length]!, price: i % 2 ? 'lt100k' : '1m-5m' }),
  )
  report(name, 'filtered + faceted query', `p50 ${faceted.p50.toFixed(1)} ms, p99 ${faceted.p99.toFixed(1)} ms`)
  // The search page before anything is typed: every listing (or a tab), with all facets,
  // newest first or by price; then the same with one facet clicked.
  const BROWSE: Record<string, string>[] = [{}, { kind: 'achievement' }, { sort: 'price_asc' }, { kind: 'demand', sort: 'price_desc' }]
  const browse = await timed(100, (i) => search('', BROWSE[i % BROWSE.length]))
  report(name, 'browsing, no words', `p50 ${browse.p50.toFixed(1)} ms, p99 ${browse.p99.toFixed(1)} ms`)
  const CLICKED: Record<string, string>[] = [{ field: 'NEW_ENERGY' }, { kind: 'achievement', province: '50' }, { mode: 'LICENSE' }, { kind: 'demand', price: '100k-500k' }]
  const clicked = await timed(100, (i) => search('', CLICKED[i % CLICKED.length]))
  report(name, 'browsing, one facet value, no words', `p50 ${clicked.p50.toFixed(1)} ms, p99 ${clicked.p99.toFixed(1)} ms`)
  forgetCorpusStats()
  const statsT0 = performance.now()
  await matchListing({ actor: 'system', kind: 'demand', id: demandIds[0]!, engine })
  report(name, 'first match (loads corpus statistics)', `${(performance.now() - statsT0).toFixed(0)} ms`)
  const matching = await timed(demandIds.length * 3, (i) => matchListing({ actor: 'system', kind: 'demand', id: demandIds[i % demandIds.length]!, engine }))
  report(name, 'matching a demand', `p50 ${matching.p50.toFixed(1)} ms, p99 ${matching.p99.toFixed(1)} ms`)
  await stop()
}

console.log(`\n${DOCS.toLocaleString('en')} generated listings (70% achievements, 25% demands, 5% scenarios) on ${POSTGRES_URL ? 'PostgreSQL' : 'PGlite'}; 2-core machine\n`)
const width = Math.max(...rows.map((r) => r[1]!.length))
for (const [engine, what, value] of rows) console.log(`${engine!.padEnd(12)} ${what!.padEnd(width)}  ${value}`)
await closeDb()
if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true })
