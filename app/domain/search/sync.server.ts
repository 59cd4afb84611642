import { z } from 'zod'
import { ServiceUnavailableError } from '~/domain/events/outbox.server'
import type { PrismaClient } from '~/generated/prisma/client'
import { LISTING_KINDS, type ListingKind } from '~/domain/listings/kinds'
import { prisma } from '~/infra/db/client.server'
import { recountStats, removeSearchDocuments, removeSearchDocumentsBefore, writeSearchDocuments } from '~/infra/search/embedded.server'
import { docId, type SearchDoc } from '~/infra/search/engine'
import { getSearchEngines } from '~/infra/search/engines.server'
import {
  createMeilisearchEngine,
  diffSettings,
  ensureIndex,
  isMeiliError,
  isMeiliUnavailable,
  loadIndexConfig,
  settle,
  toMeiliDoc,
  type MeilisearchEngine,
} from '~/infra/search/meilisearch.server'
import { currentSearchDoc, searchDocFor } from './documents.server'

/**
 * Keeps Meilisearch in line with the database. The embedded index is written in the listing's
 * own transaction (documents.server.ts); Meilisearch gets the same change through the outbox
 * topic `search.sync`, so an outage there loses nothing: however long it lasts, the rows wait
 * for Meilisearch (visible in /healthz as outbox.waitingFor), retried at least every five
 * minutes, and the first that gets through makes the others due at once. A document that
 * Meilisearch rejects is retried with backoff and given up like any failing row. `reindex`
 * rebuilds either index from the database.
 */

const SyncPayload = z.object({ kind: z.enum(LISTING_KINDS), id: z.string().min(1).max(100) })

/** Outbox handler of `search.sync`: the listing's document as it is now, or its removal. */
export async function handleSearchSync(payload: unknown): Promise<void> {
  const { kind, id } = SyncPayload.parse(payload)
  const { primary } = await getSearchEngines()
  // With KZ_SEARCH back on embedded, rows queued earlier have nothing left to do.
  if (primary.name !== 'meilisearch') return
  const doc = await currentSearchDoc(await prisma(), kind, id)
  // Errors go up: the outbox retries with backoff and records the error.
  try {
    if (doc) await primary.upsert([doc])
    else await primary.remove([docId(kind, id)])
  } catch (error) {
    throw isMeiliUnavailable(error) ? new ServiceUnavailableError('meilisearch', error) : error
  }
}

export type ReindexEngine = 'meilisearch' | 'embedded' | 'all'

export interface ReindexProgress {
  engine: 'meilisearch' | 'embedded'
  phase: 'indexing' | 'swapping' | 'catching-up' | 'done'
  done: number
  total: number
}

export interface ReindexResult {
  embedded?: { documents: number; removed: number; ms: number }
  meilisearch?: { index: string; documents: number; ms: number; caughtUp: number; superseded: number }
}

const kindModel = (db: PrismaClient, kind: ListingKind) =>
  db[kind] as unknown as {
    count(args: object): Promise<number>
    findMany(args: object): Promise<Parameters<typeof searchDocFor>[1][]>
  }

/** All published listings as search documents, a batch at a time (by id, so no row is read twice). */
export async function* publishedSearchDocs(batchSize = 500): AsyncGenerator<SearchDoc[]> {
  const db = await prisma()
  for (const kind of LISTING_KINDS) {
    let cursor: string | undefined
    while (true) {
      const rows = await kindModel(db, kind).findMany({
        where: { status: 'PUBLISHED', ...(cursor ? { id: { gt: cursor } } : {}) },
        include: { org: { select: { id: true, name: true, regionCode: true } } },
        orderBy: { id: 'asc' },
        take: batchSize,
      })
      if (!rows.length) break
      yield rows.map((row) => searchDocFor(kind, row))
      cursor = rows[rows.length - 1].id
      if (rows.length < batchSize) break
    }
  }
}

export async function countPublished(): Promise<number> {
  const db = await prisma()
  const counts = await Promise.all(LISTING_KINDS.map((kind) => kindModel(db, kind).count({ where: { status: 'PUBLISHED' } })))
  return counts.reduce((a, b) => a + b, 0)
}

/**
 * Rebuilds the search indexes from the database.
 *
 * Meilisearch: into a new index `<index>_<timestamp>` with the same settings, then swapped
 * with the live index in one atomic task and the old one deleted, so searches never see an
 * empty or half-built index. Changes made while it runs went to the old index: the listings
 * changed since the start are synced again after the swap.
 *
 * Embedded: every published listing's row rewritten in batches, then the rows not rewritten
 * since the start (listings no longer published) deleted.
 */
export async function reindex({
  engine = 'all',
  onProgress = () => undefined,
  meili,
  batchSize = 500,
}: {
  engine?: ReindexEngine
  onProgress?: (progress: ReindexProgress) => void
  /** Default: the app's Meilisearch engine (KZ_SEARCH=meilisearch), else one built from MEILI_URL / the bundled binary. */
  meili?: MeilisearchEngine
  batchSize?: number
} = {}): Promise<ReindexResult> {
  const result: ReindexResult = {}
  const total = await countPublished()
  if (engine === 'embedded' || engine === 'all') result.embedded = await reindexEmbedded({ total, batchSize, onProgress })
  if (engine === 'meilisearch' || engine === 'all') {
    const target = meili ?? (await appMeilisearch())
    result.meilisearch = await reindexMeilisearch(target, { total, batchSize, onProgress })
  }
  return result
}

async function appMeilisearch(): Promise<MeilisearchEngine> {
  const { primary } = await getSearchEngines()
  return primary.name === 'meilisearch' ? (primary as MeilisearchEngine) : createMeilisearchEngine()
}

async function reindexEmbedded({ total, batchSize, onProgress }: { total: number; batchSize: number; onProgress: (p: ReindexProgress) => void }) {
  const started = performance.now()
  const db = await prisma()
  // The database's clock, as the column stores it: rows written from here on (by us, or by
  // the app) are current; older ones whose listing we do not rewrite are stale. A row the app
  // wrote in a transaction that began before this mark is put back by the catch-up below.
  const [{ mark }] = await db.$queryRawUnsafe<{ mark: string }[]>(`SELECT now()::timestamp(3)::text AS mark`)
  const since = new Date(Date.now() - 2000)
  let done = 0
  onProgress({ engine: 'embedded', phase: 'indexing', done, total })
  for await (const docs of publishedSearchDocs(batchSize)) {
    // Row by row, no transaction: each write is an idempotent upsert, and on PGlite an open
    // transaction would hold up every other statement of the app meanwhile.
    await writeSearchDocuments(db, docs)
    done += docs.length
    onProgress({ engine: 'embedded', phase: 'indexing', done, total })
  }
  const removed = await removeSearchDocumentsBefore(db, mark)
  onProgress({ engine: 'embedded', phase: 'catching-up', done, total })
  // A listing saved between our read and our write may have been overwritten with its older
  // state: write the listings changed since the start once more.
  const changed = await changedSince(since)
  await writeSearchDocuments(db, changed.docs)
  await removeSearchDocuments(db, changed.removed)
  // The frequencies follow every write; counting them afresh repairs any made outside the app.
  await recountStats(db)
  // The planner's statistics of a table just rewritten (PGlite gathers them only when asked).
  await db.$executeRawUnsafe('ANALYZE "SearchDocument", "SearchTermStat", "SearchFacetStat"')
  onProgress({ engine: 'embedded', phase: 'done', done, total })
  return { documents: done, removed, ms: Math.round(performance.now() - started) }
}

async function reindexMeilisearch(
  engine: MeilisearchEngine,
  { total, batchSize, onProgress }: { total: number; batchSize: number; onProgress: (p: ReindexProgress) => void },
) {
  const started = performance.now()
  const since = new Date(Date.now() - 2000)
  // Rows waiting for Meilisearch now were committed before the rebuild reads anything: it
  // includes their changes.
  const waiting = await (await prisma()).outbox.findMany({ where: { topic: 'search.sync', status: 'PENDING', blockedBy: { not: null } }, select: { id: true } })
  const client = await engine.client()
  const config = loadIndexConfig()
  const live = engine.indexUid
  const fresh = `${live}_${new Date().toISOString().replace(/\D/g, '').slice(0, 17)}`
  await ensureIndex(client, fresh, config)
  let done = 0
  try {
    onProgress({ engine: 'meilisearch', phase: 'indexing', done, total })
    // Enqueue a few batches ahead (Meilisearch batches consecutive additions itself).
    const inFlight: { task: ReturnType<typeof settle>; size: number }[] = []
    const drainOne = async () => {
      const { task, size } = inFlight.shift()!
      await task
      done += size
      onProgress({ engine: 'meilisearch', phase: 'indexing', done, total })
    }
    for await (const docs of publishedSearchDocs(batchSize)) {
      const task = settle(client.index(fresh).addDocuments(docs.map(toMeiliDoc), { primaryKey: config.primaryKey }), `add documents to ${fresh}`, 10 * 60_000)
      task.catch(() => undefined) // awaited in order below
      inFlight.push({ task, size: docs.length })
      if (inFlight.length >= 4) await drainOne()
    }
    while (inFlight.length) await drainOne()
    onProgress({ engine: 'meilisearch', phase: 'swapping', done, total })
    await ensureIndex(client, live, config)
    await settle(client.swapIndexes([{ indexes: [live, fresh], rename: false }]), `swap ${live} and ${fresh}`)
  } catch (error) {
    await client.deleteIndex(fresh).waitTask().catch(() => undefined)
    throw error
  }
  // `fresh` now holds the previous documents.
  await settle(client.deleteIndex(fresh), `delete ${fresh}`).catch((error) => {
    if (!isMeiliError(error, 'index_not_found')) throw error
  })
  onProgress({ engine: 'meilisearch', phase: 'catching-up', done, total })
  const changed = await changedSince(since)
  await engine.upsert(changed.docs)
  await engine.remove(changed.removed)
  const caughtUp = changed.docs.length + changed.removed.length
  // The rebuild supersedes the syncs that waited for Meilisearch when it began (they need not
  // run) and those that gave up before it (closed, so that what admins see as failed is what is).
  const { count: superseded } = await (await prisma()).outbox.updateMany({
    where: {
      topic: 'search.sync',
      OR: [{ status: 'PENDING', id: { in: waiting.map((w) => w.id) } }, { status: 'FAILED', createdAt: { lt: since } }],
    },
    data: { status: 'DONE', processedAt: new Date(), blockedBy: null },
  })
  onProgress({ engine: 'meilisearch', phase: 'done', done, total })
  return { index: live, documents: done, ms: Math.round(performance.now() - started), caughtUp, superseded }
}

/** The listings changed since `since`, as they should be indexed now. */
async function changedSince(since: Date): Promise<{ docs: SearchDoc[]; removed: string[] }> {
  const db = await prisma()
  const docs: SearchDoc[] = []
  const removed: string[] = []
  for (const kind of LISTING_KINDS) {
    const rows = (await kindModel(db, kind).findMany({ where: { updatedAt: { gte: since } }, select: { id: true } })) as unknown as { id: string }[]
    for (const { id } of rows) {
      const doc = await currentSearchDoc(db, kind, id)
      if (doc) docs.push(doc)
      else removed.push(docId(kind, id))
    }
  }
  return { docs, removed }
}

/**
 * For the app's start with KZ_SEARCH=meilisearch (call it in the background): connects (and
 * starts the bundled Meilisearch when MEILI_URL is unset), creates the index with its settings
 * if it is missing, says when the live settings differ from search/ (`kezhuan search setup`
 * applies them: that needs a key allowed to change settings, which the app's may not be),
 * and rebuilds the index when it is empty while the database has published listings (a new
 * Meilisearch, a lost data folder), so that search does not say "nothing found" until
 * someone runs reindex.
 */
export async function prepareMeilisearch({ log = console.log }: { log?: (line: string) => void } = {}) {
  const { primary } = await getSearchEngines()
  if (primary.name !== 'meilisearch') return { rebuilt: false, settingsDiffer: [] as string[] }
  const engine = primary as MeilisearchEngine
  const client = await engine.client()
  await engine.ensureIndex()
  const settingsDiffer = diffSettings(await client.index(engine.indexUid).getSettings(), loadIndexConfig().settings).map((c) => c.key)
  if (settingsDiffer.length) log(`[search] Meilisearch settings differ from search/ (${settingsDiffer.join(', ')}): run \`kezhuan search setup\``)
  const stats = await client.index(engine.indexUid).getStats()
  if (stats.numberOfDocuments > 0 || (await countPublished()) === 0) return { rebuilt: false, settingsDiffer }
  log(`[search] Meilisearch index ${engine.indexUid} is empty: rebuilding it from the database`)
  const { meilisearch } = await reindex({ engine: 'meilisearch', meili: engine })
  log(`[search] indexed ${meilisearch?.documents ?? 0} listings in ${meilisearch?.ms ?? 0} ms`)
  return { rebuilt: true, settingsDiffer }
}
