/**
 * Bureau dashboard benchmark (never part of `npm test`): `npx tsx bench/dashboard.ts [contracts] [runs]`.
 *
 * Inserts 100,000 registered/completed technology contracts over 2021–2026 (plus a share of
 * drafts and refusals that must not count) with createMany in chunks, into an in-memory PGlite,
 * or, when DATABASE_URL is set, into a fresh database on that PostgreSQL server (dropped after).
 * Then times the bureau dashboard's domain call (dashboard({ audience: 'bureau' })) for a year:
 * 3 warm-up calls, then p50/p95/max over 30 runs.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { ContractStatus, ContractSubtype, ContractType, Industry, OrgKind, TechField } from '~/generated/prisma/enums'
import { closeDb, openDatabase, setDb, type Database } from '~/infra/db/client.server'
import { migrate } from '~/infra/db/migrate.server'
import { dashboard } from '~/domain/stats/stats.server'

const CONTRACTS = Number(process.argv[2] ?? 100_000)
const RUNS = Number(process.argv[3] ?? 30)
const CHUNK = 2_000
const YEAR = 2025
const NOW = new Date(Date.UTC(2025, 8, 15, 4))

const TYPES: Array<[ContractType, ContractSubtype]> = [
  ['DEVELOPMENT', 'DEV_COMMISSIONED'],
  ['DEVELOPMENT', 'DEV_COOPERATIVE'],
  ['TRANSFER', 'TRANSFER_PATENT'],
  ['LICENSE', 'LICENSE_PATENT'],
  ['CONSULTING', 'CONSULTING'],
  ['SERVICE', 'SERVICE_GENERAL'],
]
const FIELDS: TechField[] = ['ELECTRONIC_INFORMATION', 'BIO_MEDICINE', 'AEROSPACE', 'NEW_MATERIALS', 'HIGH_TECH_SERVICES', 'NEW_ENERGY', 'RESOURCES_ENVIRONMENT', 'ADVANCED_MANUFACTURING']
const INDUSTRIES: Industry[] = ['INTELLIGENT_EQUIPMENT', 'AUTOMOTIVE', 'ELECTRONIC_INFORMATION', 'LIGHT_INDUSTRY', 'ENERGY_MATERIALS', 'MODERN_AGRICULTURE', 'BIG_DATA_SOFTWARE', 'BIO_MEDICINE']
const KINDS: OrgKind[] = ['ENTERPRISE', 'UNIVERSITY', 'INSTITUTE', 'ENTERPRISE', 'OTHER']
const REGIONS = ['500118', '500118', '500118', '500103', '500106', '510107', '510104', '110108', '440305']

function random(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
const ms = (n: number) => `${n.toFixed(1)} ms`

async function run(label: string, db: Database) {
  setDb(db)
  const rnd = random(7)
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!
  const t0 = performance.now()
  const orgs = Array.from({ length: 300 }, (_, i) => ({
    id: `bench-org-${i}`,
    kind: KINDS[i % KINDS.length]!,
    name: `基准测试机构${i}`,
    regionCode: REGIONS[i % REGIONS.length]!,
    verified: true,
    invitationCode: `BENCH${i}${randomBytes(3).toString('hex')}`,
  }))
  await db.prisma.organization.createMany({ data: orgs })
  const brokers = Array.from({ length: 60 }, (_, i) => ({ id: `bench-broker-${i}`, email: `broker${i}@bench.invalid`, name: `经纪人${i}`, passwordHash: 'x', role: 'BROKER' as const }))
  await db.prisma.user.createMany({ data: brokers })

  let made = 0
  while (made < CONTRACTS) {
    const n = Math.min(CHUNK, CONTRACTS - made)
    const data = Array.from({ length: n }, (_, k) => {
      const i = made + k
      const seller = pick(orgs)
      let buyer = pick(orgs)
      if (buyer.id === seller.id) buyer = orgs[(orgs.indexOf(seller) + 1) % orgs.length]!
      const year = 2021 + Math.floor(rnd() * 6)
      // Back-loaded seasonality: more registrations late in the year.
      const month = Math.min(11, Math.floor(Math.sqrt(rnd()) * 12))
      const day = 1 + Math.floor(rnd() * 28)
      const [type, subtype] = pick(TYPES)
      const amountFen = BigInt(Math.floor(1_000 + rnd() * 500_000)) * 100n
      const tech = (amountFen * BigInt(60 + Math.floor(rnd() * 40))) / 100n
      // 1 in 10 is a draft, a refusal or a termination, which must not count.
      const status: ContractStatus = i % 10 === 0 ? pick(['DRAFT', 'NOT_REGISTERED', 'TERMINATED'] as const) : i % 3 === 0 ? 'COMPLETED' : 'REGISTERED'
      const counted = status === 'REGISTERED' || status === 'COMPLETED'
      return {
        number: `KZ-B-${i}`,
        title: `基准合同 ${i}`,
        type,
        subtype,
        sellerOrgId: seller.id,
        buyerOrgId: buyer.id,
        sellerKind: seller.kind,
        sellerRegion: seller.regionCode,
        buyerKind: buyer.kind,
        buyerRegion: buyer.regionCode,
        brokerId: rnd() < 0.6 ? pick(brokers).id : null,
        field: pick(FIELDS),
        industry: pick(INDUSTRIES),
        amountFen,
        techAmountFen: tech,
        paymentMethod: 'LUMP_SUM' as const,
        status,
        registeredAt: counted ? new Date(Date.UTC(year, month, day)) : null,
        registeredTechAmountFen: counted ? tech : null,
      }
    })
    await db.prisma.contract.createMany({ data })
    made += n
  }
  console.log(`${label}: ${CONTRACTS.toLocaleString('en')} contracts inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  await db.raw.exec('ANALYZE')

  const call = async () => {
    const start = performance.now()
    const d = await dashboard({ year: YEAR, audience: 'bureau', now: NOW })
    return { time: performance.now() - start, count: d.totals.count }
  }
  for (let i = 0; i < 3; i++) await call()
  const times: number[] = []
  let count = 0
  for (let i = 0; i < RUNS; i++) {
    const r = await call()
    times.push(r.time)
    count = r.count
  }
  times.sort((a, b) => a - b)
  console.log(`${label}: dashboard(${YEAR}, bureau) over ${RUNS} runs: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, max ${ms(times.at(-1)!)} (${count} contracts counted in ${YEAR})`)
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
    await closeDb()
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  }
} else {
  const db = await openDatabase({ mode: 'pglite', dataDir: null })
  await migrate(db.raw)
  await run('PGlite (in memory)', db)
  await closeDb()
}
