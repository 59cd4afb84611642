import { beforeEach, describe, expect, it } from 'vitest'
import { prisma } from '~/infra/db/client.server'
import { CONTRACT_DOCS, conceptsOf } from './contract'
import {
  createEmbeddedEngine,
  recountStats,
  removeSearchDocuments,
  removeSearchDocumentsBefore,
  retrievalConcepts,
  termFrequencies,
  writeSearchDocuments,
} from './embedded.server'
import { Industry, Stage, TechField, TransferMode } from '~/generated/prisma/enums'
import { FACETS, PRICE_BUCKETS, type SearchDoc, type SearchRequest } from './engine'

// What the embedded engine adds to the shared contract: document frequencies kept by every
// write, and long queries that find documents by their rarest concepts. PGlite and PostgreSQL.

/** The frequencies as the documents themselves give them, counted from scratch. */
async function countedFromDocuments() {
  const db = await prisma()
  const rows = await db.$queryRawUnsafe<{ kind: string; word: string; n: number }[]>(
    `SELECT kind, word, count(*)::int AS n FROM (SELECT kind, unnest(tsvector_to_array(terms)) AS word FROM "SearchDocument") t GROUP BY 1, 2`,
  )
  return Object.fromEntries(rows.map((r) => [`${r.kind}:${r.word}`, Number(r.n)]))
}

async function kept() {
  const db = await prisma()
  const rows = await db.$queryRawUnsafe<{ kind: string; term: string; df: number }[]>(`SELECT kind, term, df FROM "SearchTermStat" WHERE df <> 0`)
  return Object.fromEntries(rows.map((r) => [`${r.kind}:${r.term}`, Number(r.df)]))
}

/**
 * The facet counts as the documents themselves give them, counted here from each document's
 * values: `given:kind:facet:value` → documents, given '' (all documents) or 'facet=value'.
 */
async function facetsCountedFromDocuments() {
  const db = await prisma()
  const docs = await db.$queryRawUnsafe<Record<string, string | number | string[] | null>[]>(
    `SELECT kind, field::text, industry::text, trl, stage::text, "priceBucket", province::text, modes::text[] AS modes FROM "SearchDocument"`,
  )
  const counts: Record<string, number> = {}
  for (const d of docs) {
    const values = (['field', 'industry', 'trl', 'stage', 'priceBucket', 'province'] as const)
      .filter((facet) => d[facet] !== null)
      .map((facet) => `${facet}=${d[facet]}`)
    values.push(...(typeof d.modes === 'string' ? d.modes.replace(/[{}]/g, '').split(',').filter(Boolean) : (d.modes as string[])).map((m) => `modes=${m}`))
    for (const given of ['', ...values]) {
      for (const value of [`kind=${d.kind}`, ...values]) {
        const key = `${given}:${d.kind}:${value.replace('=', ':')}`
        counts[key] = (counts[key] ?? 0) + 1
      }
    }
  }
  return counts
}

async function facetsKept() {
  const db = await prisma()
  const rows = await db.$queryRawUnsafe<{ given: string; kind: string; facet: string; value: string; n: number }[]>(
    `SELECT given, kind, facet, value, n FROM "SearchFacetStat" WHERE n <> 0`,
  )
  return Object.fromEntries(rows.map((r) => [`${r.given}:${r.kind}:${r.facet}:${r.value}`, Number(r.n)]))
}

/** Rows of SearchDocumentFacets that are not an exact copy of their document's, and the reverse. */
async function narrowCopiesAmiss() {
  const db = await prisma()
  const columns = `id, kind, field, industry, trl, stage, modes, province, "priceBucket", "priceFen", "publishedAt", "facetCode"`
  const [{ n }] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ((SELECT ${columns} FROM "SearchDocument" EXCEPT ALL SELECT ${columns} FROM "SearchDocumentFacets")
       UNION ALL (SELECT ${columns} FROM "SearchDocumentFacets" EXCEPT ALL SELECT ${columns} FROM "SearchDocument")) t`,
  )
  return Number(n)
}

const doc = (i: number, title: string, body = '', kind: SearchDoc['kind'] = 'achievement'): SearchDoc => ({
  ...CONTRACT_DOCS[0]!,
  kind,
  id: `${kind}_emb${i}`,
  listingId: `emb${i}`,
  title,
  body,
  keywords: [],
})

beforeEach(async () => {
  const db = await prisma()
  await db.$executeRawUnsafe('DELETE FROM "SearchDocument"')
  await db.$executeRawUnsafe('DELETE FROM "SearchTermStat"')
  await db.$executeRawUnsafe('DELETE FROM "SearchFacetStat"')
})

describe('document frequencies (SearchTermStat), facet counts (SearchFacetStat) and narrow copies (SearchDocumentFacets)', () => {
  it('follow every write, rewrite and removal exactly', async () => {
    const db = await prisma()
    await writeSearchDocuments(db, [doc(1, '压铸件气孔检测'), doc(2, '压铸模具寿命'), doc(3, '压铸工艺', '', 'demand')])
    expect(await termFrequencies(db, ['压铸', '气孔', '模具'], 'achievement')).toEqual(new Map([['压铸', 2], ['气孔', 1], ['模具', 1]]))
    expect((await termFrequencies(db, ['压铸'])).get('压铸')).toBe(3)

    // A rewrite takes the old terms away and counts the new ones; writing it twice changes nothing.
    await writeSearchDocuments(db, [doc(1, '锂电池回收')])
    await writeSearchDocuments(db, [doc(1, '锂电池回收')])
    expect(await termFrequencies(db, ['压铸', '气孔', '锂电池'], 'achievement')).toEqual(new Map([['压铸', 1], ['气孔', 0], ['锂电池', 1]]))

    await removeSearchDocuments(db, ['achievement_emb2', 'achievement_missing'])
    expect((await termFrequencies(db, ['压铸'], 'achievement')).get('压铸')).toBe(0)
    expect(await kept()).toEqual(await countedFromDocuments())
    expect(await facetsKept()).toEqual(await facetsCountedFromDocuments())
    expect(await facetsKept()).toMatchObject({ ':achievement:kind:achievement': 1, ':demand:kind:demand': 1 })
    expect(await narrowCopiesAmiss()).toBe(0)
  })

  it('agree with the documents after a batch with repeats, and after removing the stale ones', async () => {
    const db = await prisma()
    await writeSearchDocuments(db, CONTRACT_DOCS)
    await writeSearchDocuments(db, [...CONTRACT_DOCS.slice(0, 3), { ...CONTRACT_DOCS[0]!, title: '换一个标题', field: 'AEROSPACE', modes: ['EQUITY'] }])
    expect(await kept()).toEqual(await countedFromDocuments())
    expect(await facetsKept()).toEqual(await facetsCountedFromDocuments())
    expect(await narrowCopiesAmiss()).toBe(0)

    const [{ mark }] = await db.$queryRawUnsafe<{ mark: string }[]>(`SELECT (now() + interval '1 second')::timestamp(3)::text AS mark`)
    expect(await removeSearchDocumentsBefore(db, mark)).toBe(CONTRACT_DOCS.length)
    expect(await kept()).toEqual({})
    expect(await facetsKept()).toEqual({})
    expect(await db.$queryRawUnsafe(`SELECT id FROM "SearchDocumentFacets"`)).toEqual([])
  })

  it('are written in the transaction of the caller, and rolled back with it', async () => {
    const db = await prisma()
    await expect(
      db.$transaction(async (tx) => {
        await writeSearchDocuments(tx, [doc(1, '压铸件气孔检测')])
        await removeSearchDocuments(tx, ['achievement_emb1'])
        await writeSearchDocuments(tx, [doc(2, '压铸模具寿命')])
        throw new Error('the listing could not be saved')
      }),
    ).rejects.toThrow('the listing could not be saved')
    expect(await db.$queryRawUnsafe(`SELECT id FROM "SearchDocument"`)).toEqual([])
    expect(await kept()).toEqual({})
    expect(await facetsKept()).toEqual({})
  })

  it('are counted afresh by a recount (what a reindex does)', async () => {
    const db = await prisma()
    await writeSearchDocuments(db, CONTRACT_DOCS)
    await db.$executeRawUnsafe(`UPDATE "SearchTermStat" SET df = df + 7`)
    await db.$executeRawUnsafe(`UPDATE "SearchFacetStat" SET n = n - 1`)
    await recountStats(db)
    expect(await kept()).toEqual(await countedFromDocuments())
    expect(await facetsKept()).toEqual(await facetsCountedFromDocuments())
  })
})

describe('long queries', () => {
  const common = Array.from({ length: 12 }, (_, i) => doc(100 + i, `智能制造平台${i}号`, '提供检测服务'))
  const rare = [doc(1, '压铸件气孔在线检测', '智能制造'), doc(2, '铝合金压铸件缩松识别')]

  it('find documents by their rarest concepts, and rank them with all of them', async () => {
    const db = await prisma()
    await writeSearchDocuments(db, [...common, ...rare])
    const concepts = conceptsOf('压铸件 气孔 缩松 智能制造 检测 服务')
    expect(concepts.length).toBeGreaterThan(3)

    const chosen = await retrievalConcepts(db, concepts, 'achievement', 10)
    expect(chosen.map((c) => c.term).sort()).toEqual(['压铸件', '气孔', '缩松'].sort())
    // Within a budget that holds them all, every concept finds documents.
    expect(await retrievalConcepts(db, concepts, 'achievement', 10_000)).toBe(concepts)
    // A short query is not pruned: each of its words may be all a document has.
    const short = conceptsOf('压铸件 智能制造')
    expect(await retrievalConcepts(db, short, 'achievement', 1)).toBe(short)
  })

  it('list the documents with rare concepts first, and none that share only common words', async () => {
    const db = await prisma()
    const many = Array.from({ length: 2100 }, (_, i) => doc(1000 + i, `智能制造服务平台${i}`, '检测 服务'))
    await writeSearchDocuments(db, [...many, ...rare])
    const engine = createEmbeddedEngine()
    const result = await engine.search({
      concepts: conceptsOf('压铸件 气孔 缩松 智能制造 检测 服务'),
      mode: 'any',
      filters: { kind: 'achievement' },
      facets: ['field'],
      sort: 'relevance',
      offset: 0,
      limit: 10,
    })
    expect(result.hits.slice(0, 2).map((h) => h.doc.listingId).sort()).toEqual(['emb1', 'emb2'])
    expect(result.total).toBe(2)
    expect(result.facets.field).toEqual({ ADVANCED_MANUFACTURING: 2 })
  })
})

// Counted two ways: with no words and no filter but the kind, from SearchFacetStat; otherwise
// from each match's facetCode, which the database packs and the engine unpacks. Every value the
// schema knows must come back as itself, counted as often as the documents carry it.
describe.each([
  { counted: 'from the counts kept (nothing typed, nothing filtered)', filters: {} },
  { counted: "from each match's facetCode (a filter that leaves every document)", filters: { excludeIds: ['achievement_none'] } },
])('facet counts, $counted', ({ filters: extra }) => {
  const pick = <T,>(values: readonly T[], i: number) => values[i % values.length]!
  const docs: SearchDoc[] = Array.from({ length: 60 }, (_, i) => ({
    ...doc(i, `零件${i}`, '', pick(['achievement', 'demand', 'scenario'] as const, i)),
    field: i % 9 === 8 ? null : pick(Object.values(TechField), i),
    industry: i % 11 === 10 ? null : pick(Object.values(Industry), i),
    trl: i % 10 === 0 ? null : i % 10,
    stage: i % 5 === 4 ? null : pick(Object.values(Stage), i),
    modes: Object.values(TransferMode).filter((_, bit) => i & (1 << bit)),
    priceBucket: pick(PRICE_BUCKETS, i),
    province: pick(['11', '50', '82', '05'], i),
  }))

  function expected(of: SearchDoc[]) {
    const facets: Record<string, Record<string, number>> = Object.fromEntries(FACETS.map((f) => [f, {}]))
    const add = (facet: string, value: string | number | null) => {
      if (value !== null) facets[facet]![String(value)] = (facets[facet]![String(value)] ?? 0) + 1
    }
    for (const d of of) {
      for (const facet of ['kind', 'field', 'industry', 'trl', 'stage', 'province', 'priceBucket'] as const) add(facet, d[facet])
      for (const mode of d.modes) add('modes', mode)
    }
    return facets
  }

  const request = (filters: SearchRequest['filters']): SearchRequest => ({
    concepts: [],
    mode: 'all',
    filters: { ...extra, ...filters },
    facets: [...FACETS],
    kindCounts: true,
    sort: 'newest',
    offset: 0,
    limit: 0,
  })

  it('count every value of every facet, and nothing for documents without one', async () => {
    await writeSearchDocuments(await prisma(), docs)
    const response = await createEmbeddedEngine().search(request({}))
    expect(response.total).toBe(docs.length)
    expect(response.facets).toEqual(expected(docs))
    expect(response.kindCounts).toEqual(expected(docs).kind)
    // In the same order either way (the page lists values of equal counts in that order).
    expect(JSON.stringify(response.facets)).toBe(JSON.stringify((await createEmbeddedEngine().search(request({ excludeIds: ['achievement_none'] }))).facets))
    // The schema's every value appears at least once above: a value added to an enum without
    // a migration extending facetCode would be missing here.
    expect(Object.keys(response.facets.field!).sort()).toEqual(Object.values(TechField).sort())
    expect(Object.keys(response.facets.industry!).sort()).toEqual(Object.values(Industry).sort())
    expect(Object.keys(response.facets.stage!).sort()).toEqual(Object.values(Stage).sort())
    expect(Object.keys(response.facets.modes!).sort()).toEqual(Object.values(TransferMode).sort())
    expect(Object.keys(response.facets.priceBucket!).sort()).toEqual([...PRICE_BUCKETS].sort())
  })

  it('count the facets of the kind filtered on, and the tabs of every kind', async () => {
    await writeSearchDocuments(await prisma(), docs)
    const response = await createEmbeddedEngine().search(request({ kind: 'demand' }))
    const demands = docs.filter((d) => d.kind === 'demand')
    expect(response.total).toBe(demands.length)
    expect(response.facets).toEqual(expected(demands))
    expect(response.kindCounts).toEqual(expected(docs).kind)
  })

  it('follow a rewritten document', async () => {
    await writeSearchDocuments(await prisma(), docs.slice(0, 1))
    await writeSearchDocuments(await prisma(), [{ ...docs[0]!, field: 'AEROSPACE', modes: ['EQUITY'], province: '31' }])
    const response = await createEmbeddedEngine().search(request({}))
    expect(response.facets.field).toEqual({ AEROSPACE: 1 })
    expect(response.facets.modes).toEqual({ EQUITY: 1 })
    expect(response.facets.province).toEqual({ '31': 1 })
  })

  it('count the matches of one facet value clicked, with the tabs and the page', async () => {
    await writeSearchDocuments(await prisma(), docs)
    const clicked: [SearchRequest['filters'], (d: SearchDoc) => boolean][] = [
      [{ field: 'AEROSPACE' }, (d) => d.field === 'AEROSPACE'],
      [{ industry: 'AUTOMOTIVE', kind: 'demand' }, (d) => d.industry === 'AUTOMOTIVE'],
      [{ trlMin: 4, trlMax: 4 }, (d) => d.trl === 4],
      [{ stage: 'PILOT' }, (d) => d.stage === 'PILOT'],
      [{ mode: 'EQUITY', kind: 'scenario' }, (d) => d.modes.includes('EQUITY')],
      [{ province: '05' }, (d) => d.province === '05'],
      [{ priceBucket: 'gte5m' }, (d) => d.priceBucket === 'gte5m'],
      [{ province: '31' }, () => false],
    ]
    for (const [filters, has] of clicked) {
      const matching = docs.filter(has)
      const ofKind = matching.filter((d) => !filters.kind || d.kind === filters.kind)
      const response = await createEmbeddedEngine().search({ ...request(filters), limit: 5 })
      expect(response.total, JSON.stringify(filters)).toBe(ofKind.length)
      expect(response.facets).toEqual(expected(ofKind))
      expect(response.kindCounts).toEqual(expected(matching).kind)
      const newest = [...ofKind].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.id.localeCompare(b.id)).slice(0, 5)
      expect(response.hits.map((h) => h.doc.id)).toEqual(newest.map((d) => d.id))
    }
  })
})

// Two transactions that write search documents at once, on a server with many connections.
describe.runIf(process.env.KZ_TEST_DB === 'postgres')('writers of search documents at the same time', () => {
  it('take turns instead of deadlocking on the counts they share', async () => {
    const db = await prisma()
    const achievement = (i: number, field: SearchDoc['field'], industry: SearchDoc['industry']): SearchDoc => ({
      ...doc(i, `并发写入${i}`),
      field,
      industry,
    })
    let firstWritten!: () => void
    const first = new Promise<void>((resolve) => (firstWritten = resolve))
    const waiting = async () => {
      // Until the second transaction waits for a lock the first one holds.
      for (let i = 0; i < 100; i++) {
        const [{ n }] = await db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
        if (Number(n) > 0) return
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    // The first locks its counts, then, while the second waits for one of them, writes a
    // document with a value the second has already counted: without turns, a deadlock.
    const a = db.$transaction(async (tx) => {
      await writeSearchDocuments(tx, [achievement(1, 'NEW_ENERGY', 'AUTOMOTIVE')])
      firstWritten()
      await waiting()
      await writeSearchDocuments(tx, [achievement(3, 'AEROSPACE', 'AUTOMOTIVE')])
    })
    const b = first.then(() => db.$transaction((tx) => writeSearchDocuments(tx, [achievement(2, 'AEROSPACE', 'BIO_MEDICINE')])))
    const results = await Promise.allSettled([a, b])
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason).split('\n')[0] : 'ok'))).toEqual(['ok', 'ok'])
    expect(await facetsKept()).toEqual(await facetsCountedFromDocuments())
  }, 30_000)
})
