import type { Prisma } from '~/generated/prisma/client'
import type { ListingKind } from '~/domain/listings/kinds'
import { getEnv } from '~/infra/env.server'
import { removeSearchDocuments, writeSearchDocuments } from '~/infra/search/embedded.server'
import { docId, priceBucketOf, type SearchDoc } from '~/infra/search/engine'

type Tx = Prisma.TransactionClient

interface ListingRow {
  id: string
  status: string
  title: string
  keywords: string[]
  publishedAt: Date | null
  createdAt: Date
  org: { id: string; name: string; regionCode: string }
  [key: string]: unknown
}

const orgSelect = { org: { select: { id: true, name: true, regionCode: true } } } as const

/**
 * The searchable face of a listing: public fields only. A confidential demand's situation,
 * indicators and constraints and an achievement's confidential details never enter an index.
 */
export function searchDocFor(kind: ListingKind, row: ListingRow): SearchDoc {
  const text = (...values: unknown[]) => values.filter((v): v is string => typeof v === 'string' && v.length > 0).join('\n')
  const price = (kind === 'achievement' ? row.askingPriceFen : row.budgetFen) as bigint | null
  const priceFen = price === null || price === undefined ? null : Number(price)
  const date = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : null)
  const common = {
    id: docId(kind, row.id),
    kind,
    listingId: row.id,
    orgId: row.org.id,
    orgName: row.org.name,
    regionCode: row.org.regionCode,
    province: row.org.regionCode.slice(0, 2),
    title: row.title,
    keywords: row.keywords,
    priceFen,
    priceBucket: priceBucketOf(priceFen),
    publishedAt: (row.publishedAt ?? row.createdAt).toISOString(),
  }
  if (kind === 'achievement') {
    return {
      ...common,
      body: text(row.summary, row.ipStatus),
      field: row.field as SearchDoc['field'],
      industry: row.industry as SearchDoc['industry'],
      trl: row.trl as number,
      stage: row.stage as SearchDoc['stage'],
      modes: row.transferModes as SearchDoc['modes'],
      deadline: null,
    }
  }
  if (kind === 'demand') {
    const open = !row.confidential
    return {
      ...common,
      body: open ? text(row.description, row.currentSituation, row.targetIndicators, row.constraints) : text(row.description),
      field: row.field as SearchDoc['field'],
      industry: row.industry as SearchDoc['industry'],
      trl: (row.trlMin as number | null) ?? null,
      stage: null,
      modes: row.cooperationModes as SearchDoc['modes'],
      deadline: date(row.deadline),
    }
  }
  return {
    ...common,
    body: text(row.description, row.capability, row.ownerDepartment),
    field: (row.field as SearchDoc['field']) ?? null,
    industry: row.sector as SearchDoc['industry'],
    trl: null,
    stage: null,
    modes: [],
    deadline: date(row.deadline),
  }
}

/**
 * Brings listings' search documents in line with the listings, inside the caller's
 * transaction: published listings are indexed, all others removed. With Meilisearch, the same
 * change is queued for it through the outbox, so an outage there loses nothing; so is the
 * recomputation of the listings' matches. One read and one outbox insert per batch (imports).
 */
export async function syncSearchDocuments(tx: Tx, kind: ListingKind, ids: string[]) {
  if (ids.length === 0) return
  const rows = (await (tx[kind] as unknown as { findMany(args: object): Promise<ListingRow[]> }).findMany({
    where: { id: { in: ids } },
    include: orgSelect,
  })) as ListingRow[]
  const published = rows.filter((r) => r.status === 'PUBLISHED')
  await writeSearchDocuments(tx, published.map((r) => searchDocFor(kind, r)))
  const shown = new Set(published.map((r) => r.id))
  await removeSearchDocuments(tx, ids.filter((id) => !shown.has(id)).map((id) => docId(kind, id)))
  const meili = getEnv().KZ_SEARCH === 'meilisearch'
  // As enqueue() (domain/events/outbox.server.ts) writes them, in one statement.
  await tx.outbox.createMany({
    data: ids.flatMap((id) => [...(meili ? [{ topic: 'search.sync', payload: { kind, id } }] : []), { topic: 'match.recompute', payload: { kind, id } }]),
  })
}

export function syncSearchDocument(tx: Tx, kind: ListingKind, listingId: string) {
  return syncSearchDocuments(tx, kind, [listingId])
}

/** Reads a listing's document as the indexes should hold it now (null: not published). */
export async function currentSearchDoc(db: Tx, kind: ListingKind, listingId: string): Promise<SearchDoc | null> {
  const row = (await (db[kind] as unknown as { findUnique(args: object): Promise<ListingRow | null> }).findUnique({
    where: { id: listingId },
    include: orgSelect,
  })) as ListingRow | null
  return row?.status === 'PUBLISHED' ? searchDocFor(kind, row) : null
}
