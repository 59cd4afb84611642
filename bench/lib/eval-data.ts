import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { OrgKind } from '~/generated/prisma/enums'
import type { ListingKind } from '~/domain/listings/kinds'
import { listingData } from '~/domain/listings/listings.server'
import { currentSearchDoc, syncSearchDocument } from '~/domain/search/documents.server'
import { analyzeStale, openDatabase, setDb, type Database } from '~/infra/db/client.server'
import { migrate } from '~/infra/db/migrate.server'
import { resetEnv } from '~/infra/env.server'
import type { SearchDoc } from '~/infra/search/engine'
import { loadEvalSet, type EvalSet } from './eval-set'

/**
 * Puts the evaluation set into a database as published listings, the way an import by the
 * bureau would: owner organisations (verified), listings with source 'eval' and the fixture id
 * as externalId, and each listing's search document written in the transaction that writes it.
 */

export const EVAL_SOURCE = 'eval'
/** 永川区: where the fictional owners sit. */
const REGION = '500118'

export interface LoadedEval {
  set: EvalSet
  db: Database
  /** Fixture id (A001, D01) → listing id. */
  listingIds: Map<string, string>
  /** Listing id → fixture id. */
  fixtureIds: Map<string, string>
}

/**
 * A fresh database, migrated, and made the process's database (domain functions use it): an
 * in-memory PGlite, or with `postgresUrl` a new database on that PostgreSQL server, dropped
 * again by `close()`. Outside tests a missing SESSION_SECRET would make the environment write
 * a development secret into the data directory: a throwaway one is set instead.
 */
export async function openEvalDatabase({ postgresUrl, dataDir }: { postgresUrl?: string; dataDir?: string } = {}): Promise<Database> {
  if (!process.env.SESSION_SECRET) {
    process.env.SESSION_SECRET = randomBytes(32).toString('base64url')
    resetEnv()
  }
  if (postgresUrl) return openScratchPostgres(postgresUrl)
  if (dataDir) return reopenPGlite(dataDir, { migrate: true })
  // PGlite learns the array types (such as "TransferMode"[]) when it starts: in the database
  // that ran the migrations, binding an enum array fails ("malformed array literal"). Reopening
  // a dump of the migrated database, as the test setup does, starts it with the types known.
  const fresh = await openDatabase({ mode: 'pglite', dataDir: null })
  await migrate(fresh.raw)
  const dump = await fresh.dump!()
  await fresh.close()
  const db = await openDatabase({ mode: 'pglite', dataDir: null, loadDataDir: dump })
  setDb(db)
  return db
}

/**
 * PGlite in `dataDir` (`migrate`: migrated first), opened again the way the server opens it at
 * start: with its buffer pool sized to the database as it is now, the array types known, and
 * the planner's statistics of the tables that grew gathered.
 */
export async function reopenPGlite(dataDir: string, { migrate: migrateFirst = false } = {}): Promise<Database> {
  if (migrateFirst) {
    const fresh = await openDatabase({ mode: 'pglite', dataDir })
    await migrate(fresh.raw)
    await fresh.close()
  }
  const db = await openDatabase({ mode: 'pglite', dataDir })
  await analyzeStale(db.raw)
  setDb(db)
  return db
}

async function openScratchPostgres(serverUrl: string): Promise<Database> {
  const name = `kz_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const db = await openDatabase({ mode: 'postgres', url: url.toString() })
  await migrate(db.raw)
  const scratch: Database = {
    ...db,
    close: async () => {
      await db.close()
      const again = new pg.Client({ connectionString: serverUrl })
      await again.connect()
      await again.query(`DROP DATABASE IF EXISTS ${name}`)
      await again.end()
    },
  }
  setDb(scratch)
  return scratch
}

/** Writes the set into `db` (see above); `db` should be empty. */
export async function loadEvalData(db: Database, set: EvalSet = loadEvalSet()): Promise<LoadedEval> {
  const prisma = db.prisma
  const orgIds = new Map<string, string>()
  const names = [
    ...set.achievements.map((a) => ({ name: a.owner, fallback: 'OTHER' as OrgKind })),
    ...set.demands.map((d) => ({ name: d.enterprise, fallback: 'ENTERPRISE' as OrgKind })),
  ]
  for (const { name, fallback } of names) {
    if (orgIds.has(name)) continue
    const org = await prisma.organization.create({
      data: {
        kind: orgKindOf(name, fallback),
        name,
        regionCode: REGION,
        verified: true,
        verifiedAt: new Date(),
        invitationCode: `eval-${randomBytes(8).toString('hex')}`,
        source: EVAL_SOURCE,
        externalId: `org-${orgIds.size + 1}`,
      },
      select: { id: true },
    })
    orgIds.set(name, org.id)
  }

  const listingIds = new Map<string, string>()
  const publishedAt = new Date()
  const write = async (kind: ListingKind, fixtureId: string, data: Record<string, unknown>) => {
    const id = await prisma.$transaction(async (tx) => {
      const row = await (tx[kind] as unknown as { create(args: object): Promise<{ id: string }> }).create({
        data: { ...data, status: 'PUBLISHED', publishedAt, refreshedAt: publishedAt, source: EVAL_SOURCE, externalId: fixtureId },
        select: { id: true },
      })
      await syncSearchDocument(tx, kind, row.id)
      return row.id
    })
    listingIds.set(fixtureId, id)
  }

  for (const { id, owner, input } of set.achievements) {
    await write('achievement', id, { orgId: orgIds.get(owner)!, ...listingData('achievement', input) })
  }
  for (const { id, enterprise, input } of set.demands) {
    await write('demand', id, { orgId: orgIds.get(enterprise)!, ...listingData('demand', input) })
  }
  return { set, db, listingIds, fixtureIds: new Map([...listingIds].map(([fixture, listing]) => [listing, fixture])) }
}

/** The search documents of every loaded listing, to feed an engine that is not the database. */
export async function evalSearchDocs(loaded: LoadedEval): Promise<SearchDoc[]> {
  const docs: SearchDoc[] = []
  for (const [fixtureId, listingId] of loaded.listingIds) {
    const doc = await currentSearchDoc(loaded.db.prisma, fixtureId.startsWith('A') ? 'achievement' : 'demand', listingId)
    if (doc) docs.push(doc)
  }
  return docs
}

function orgKindOf(name: string, fallback: OrgKind): OrgKind {
  if (/大学|学院/.test(name)) return 'UNIVERSITY'
  if (/研究院|研究所|中心/.test(name)) return 'INSTITUTE'
  return fallback
}
