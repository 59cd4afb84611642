import type { ListingKind } from '~/domain/listings/kinds'
import type { PrismaClient } from '~/generated/prisma/client'
import { prisma } from '~/infra/db/client.server'

/**
 * How common each term is among the published listings of a kind: the document frequencies
 * that make a term informative here (a shop-floor word no achievement uses cannot tell
 * achievements apart, however rare it is in general Chinese). Cached for a few minutes.
 */
export interface CorpusStats {
  docs: number
  df: Map<string, number>
  avgLength: number
  idf(term: string): number
}

const TTL_MS = 5 * 60 * 1000
type Cache = Map<ListingKind, { at: number; stats: Promise<CorpusStats> }>
/** Per database: statistics describe the corpus they were counted in. */
let caches = new WeakMap<PrismaClient, Cache>()

export async function corpusStats(kind: ListingKind): Promise<CorpusStats> {
  const db = await prisma()
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  const hit = cache.get(kind)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.stats
  const stats = load(db, kind).catch((error) => {
    cache.delete(kind)
    throw error
  })
  cache.set(kind, { at: Date.now(), stats })
  return stats
}

/** Tests and benchmarks that change the corpus start afresh. */
export function forgetCorpusStats() {
  caches = new WeakMap()
}

async function load(db: PrismaClient, kind: ListingKind): Promise<CorpusStats> {
  // Kept up to date by every write of a search document (see SearchTermStat).
  const rows = await db.$queryRawUnsafe<{ term: string; df: number }[]>(`SELECT term, df FROM "SearchTermStat" WHERE kind = $1 AND df > 0`, kind)
  const [{ docs }] = await db.$queryRawUnsafe<{ docs: number }[]>(`SELECT count(*)::int AS docs FROM "SearchDocument" WHERE kind = $1`, kind)
  const df = new Map(rows.map((r) => [r.term, Number(r.df)]))
  const n = Number(docs)
  // A document's length in distinct terms: all the frequencies added up, over the documents.
  let postings = 0
  for (const d of df.values()) postings += d
  return {
    docs: n,
    df,
    avgLength: n ? postings / n || 1 : 1,
    idf: (term) => {
      const d = df.get(term) ?? 0
      return Math.log(1 + (n - d + 0.5) / (d + 0.5))
    },
  }
}
