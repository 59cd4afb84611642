import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docId, FACETS, priceBucketOf, type FacetName, type SearchDoc, type SearchEngine, type SearchFilters, type SearchRequest, type SearchResponse } from './engine'
import { queryConcepts } from './text.server'

/**
 * The one contract both search engines pass: the same documents, the same requests, the
 * same answers. Used by embedded.contract.db.test.ts and meilisearch.contract.db.test.ts.
 * Expectations are either explicit ids (text matching) or computed from the documents
 * themselves (filters, facets, sorts), so that neither engine is the other's oracle.
 */

type DocInput = Omit<SearchDoc, 'id' | 'province' | 'priceBucket'>

function makeDoc(input: DocInput): SearchDoc {
  return { ...input, id: docId(input.kind, input.listingId), province: input.regionCode.slice(0, 2), priceBucket: priceBucketOf(input.priceFen) }
}

const common: Pick<SearchDoc, 'keywords' | 'field' | 'industry' | 'trl' | 'stage' | 'modes' | 'priceFen' | 'deadline'> = {
  keywords: [], field: null, industry: null, trl: null, stage: null, modes: [], priceFen: null, deadline: null,
}

export const CONTRACT_DOCS: SearchDoc[] = [
  makeDoc({
    ...common,
    kind: 'achievement', listingId: 'ct01', orgId: 'org1', orgName: '重庆理工大学', regionCode: '500107',
    title: '五轴数控机床热误差补偿技术', keywords: ['数控机床', '热误差', '误差补偿'],
    body: '基于温度场建模的热变形预测与实时补偿，定位精度提升60%。',
    field: 'ADVANCED_MANUFACTURING', industry: 'INTELLIGENT_EQUIPMENT', trl: 6, stage: 'PILOT', modes: ['LICENSE', 'TRANSFER'],
    priceFen: 80_000_000, publishedAt: '2026-03-01T08:00:00.000Z',
  }),
  makeDoc({
    ...common,
    kind: 'achievement', listingId: 'ct02', orgId: 'org2', orgName: '北京精工研究院', regionCode: '110108',
    title: 'CNC加工中心刀具磨损在线监测', keywords: ['刀具磨损', '状态监测'],
    body: '振动与电流信号融合，提前预警刀具寿命。',
    field: 'ADVANCED_MANUFACTURING', industry: 'INTELLIGENT_EQUIPMENT', trl: 5, stage: 'LAB', modes: ['CO_DEVELOPMENT'],
    priceFen: 30_000_000, publishedAt: '2026-02-01T08:00:00.000Z',
  }),
  makeDoc({
    ...common,
    kind: 'achievement', listingId: 'ct03', orgId: 'org3', orgName: '重庆大学', regionCode: '500106',
    title: '压铸件气孔缺陷视觉检测系统', keywords: ['机器视觉', '缺陷检测', '压铸'],
    body: '深度学习识别铝合金压铸件表面气孔与砂眼，检出率99%。',
    field: 'ADVANCED_MANUFACTURING', industry: 'AUTOMOTIVE', trl: 7, stage: 'INDUSTRIAL', modes: ['LICENSE'],
    priceFen: null, publishedAt: '2026-01-15T08:00:00.000Z',
  }),
  makeDoc({
    ...common,
    kind: 'achievement', listingId: 'ct04', orgId: 'org4', orgName: '上海新能源研究所', regionCode: '310115',
    title: '高镍锂电池正极材料制备工艺', keywords: ['正极材料', '动力电池'],
    body: '提高电芯能量密度与循环寿命。',
    field: 'NEW_ENERGY', industry: 'ENERGY_MATERIALS', trl: 4, stage: 'LAB', modes: ['TRANSFER', 'EQUITY'],
    priceFen: 600_000_000, publishedAt: '2025-12-01T08:00:00.000Z',
  }),
  makeDoc({
    ...common,
    kind: 'demand', listingId: 'ct05', orgId: 'org5', orgName: '重庆永川精密机械有限公司', regionCode: '500118',
    title: '机床主轴振动监测需求', keywords: ['振动监测', '故障诊断'],
    body: '寻找主轴振动监测与故障预警方案，可接入现有PLC。',
    field: 'ADVANCED_MANUFACTURING', industry: 'INTELLIGENT_EQUIPMENT', trl: 5, modes: ['CO_DEVELOPMENT', 'TECH_SERVICE'],
    priceFen: 20_000_000, deadline: '2026-12-31', publishedAt: '2026-03-10T08:00:00.000Z',
  }),
  makeDoc({
    ...common,
    kind: 'demand', listingId: 'ct06', orgId: 'org6', orgName: '四川页岩气开发公司', regionCode: '510100',
    title: '页岩气压裂返排液处理技术需求', keywords: ['返排液', '废水处理'],
    body: '处理规模每天500立方米，出水达标回用。',
    field: 'RESOURCES_ENVIRONMENT', industry: 'ENERGY_MATERIALS', modes: ['TRANSFER'],
    priceFen: null, publishedAt: '2026-02-20T08:00:00.000Z',
  }),
  makeDoc({
    ...common,
    kind: 'demand', listingId: 'ct07', orgId: 'org7', orgName: '重庆永川储能科技有限公司', regionCode: '500118',
    title: '锂电池生产线良率提升', keywords: ['良率', '一致性'],
    body: '电芯一致性差，合格率需提高到98%。',
    field: 'NEW_ENERGY', industry: 'ENERGY_MATERIALS', trl: 6, modes: ['TECH_SERVICE'],
    priceFen: 5_000_000, deadline: '2026-09-30', publishedAt: '2026-01-20T08:00:00.000Z',
  }),
  makeDoc({
    ...common,
    kind: 'scenario', listingId: 'ct08', orgId: 'org8', orgName: '永川区农业农村委员会', regionCode: '500118',
    title: '智慧农业病虫害识别应用场景', keywords: ['病虫害防治', '智慧农业'],
    body: '在柑橘园部署图像识别与预警。',
    industry: 'MODERN_AGRICULTURE',
    priceFen: 100_000_000, deadline: '2026-10-01', publishedAt: '2026-03-05T08:00:00.000Z',
  }),
  makeDoc({
    ...common,
    kind: 'scenario', listingId: 'ct09', orgId: 'org9', orgName: '永川区经济和信息化委员会', regionCode: '500118',
    title: '工厂设备预测性维护场景', keywords: ['预测性维护', '物联网'],
    body: '对注塑机与数控机床进行状态监测。',
    field: 'ELECTRONIC_INFORMATION', industry: 'INTELLIGENT_EQUIPMENT',
    priceFen: 150_000_000, publishedAt: '2025-11-11T08:00:00.000Z',
  }),
  makeDoc({
    ...common,
    kind: 'achievement', listingId: 'ct10', orgId: 'org10', orgName: '西南大学', regionCode: '500109',
    title: '温室大棚水肥一体化控制系统', keywords: ['水肥一体化', '设施农业'],
    body: '按作物需水需肥自动灌溉。',
    field: 'ELECTRONIC_INFORMATION', industry: 'MODERN_AGRICULTURE', trl: 8, stage: 'INDUSTRIAL', modes: ['TRANSFER', 'LICENSE'],
    priceFen: 9_000_000, publishedAt: '2026-03-20T08:00:00.000Z',
  }),
]

const byListing = Object.fromEntries(CONTRACT_DOCS.map((d) => [d.listingId, d]))
const id = (listingId: string) => byListing[listingId].id
const ids = (...listingIds: string[]) => listingIds.map(id).sort()

export function contractRequest(over: Partial<SearchRequest> = {}): SearchRequest {
  return { concepts: [], mode: 'all', filters: {}, facets: [], sort: 'relevance', offset: 0, limit: 50, ...over }
}

/** Concepts as the app makes them (jieba, parts, synonyms). */
export function conceptsOf(query: string): SearchRequest['concepts'] {
  return queryConcepts(query).concepts.map(({ term, alternatives }) => ({ term, alternatives }))
}

/** What the filters select, computed from the documents. */
function oracle(filters: SearchFilters, docs = CONTRACT_DOCS): SearchDoc[] {
  return docs.filter(
    (d) =>
      (!filters.kind || d.kind === filters.kind) &&
      (!filters.field || d.field === filters.field) &&
      (!filters.industry || d.industry === filters.industry) &&
      (filters.trlMin === undefined || (d.trl !== null && d.trl >= filters.trlMin)) &&
      (filters.trlMax === undefined || (d.trl !== null && d.trl <= filters.trlMax)) &&
      (!filters.stage || d.stage === filters.stage) &&
      (!filters.mode || d.modes.includes(filters.mode)) &&
      (!filters.province || d.province === filters.province) &&
      (!filters.priceBucket || d.priceBucket === filters.priceBucket) &&
      !(filters.excludeIds ?? []).includes(d.id),
  )
}

function facetCounts(docs: SearchDoc[], names: readonly FacetName[] = FACETS): SearchResponse['facets'] {
  const out: SearchResponse['facets'] = {}
  for (const name of names) {
    const counts: Record<string, number> = {}
    for (const d of docs) {
      const raw = d[name as keyof SearchDoc] as unknown
      for (const v of Array.isArray(raw) ? raw : [raw]) if (v !== null && v !== undefined) counts[String(v)] = (counts[String(v)] ?? 0) + 1
    }
    out[name] = counts
  }
  return out
}

const hitIds = (r: SearchResponse) => r.hits.map((h) => h.doc.id)
const hitSet = (r: SearchResponse) => hitIds(r).sort()

/**
 * The shared suite. `setup` returns an engine with an empty index of its own; the suite
 * writes the documents through the engine's `upsert`.
 */
export function runSearchEngineContract(
  name: string,
  setup: () => Promise<{ engine: SearchEngine; dispose?: () => Promise<void> }>,
  { timeout }: { timeout?: number } = {},
) {
  describe(`search engine contract: ${name}`, { timeout }, () => {
    let engine: SearchEngine
    let dispose: (() => Promise<void>) | undefined
    const search = (over: Partial<SearchRequest>) => engine.search(contractRequest(over))
    const text = (query: string, over: Partial<SearchRequest> = {}) => search({ concepts: conceptsOf(query), ...over })

    beforeAll(async () => {
      ;({ engine, dispose } = await setup())
      await engine.upsert(CONTRACT_DOCS)
    })
    afterAll(async () => {
      await dispose?.()
    })

    it('returns the documents as they were written', async () => {
      const r = await search({ limit: 50 })
      expect(r.total).toBe(CONTRACT_DOCS.length)
      const got = Object.fromEntries(r.hits.map((h) => [h.doc.id, h.doc]))
      for (const d of CONTRACT_DOCS) expect(got[d.id]).toEqual(d)
      for (const h of r.hits) expect(typeof h.score).toBe('number')
    })

    it('finds a document by its exact title, first', async () => {
      for (const d of [byListing.ct01, byListing.ct03, byListing.ct06]) {
        for (const mode of ['all', 'any'] as const) {
          const r = await text(d.title, { mode })
          expect(hitIds(r)[0], `${d.title} (${mode})`).toBe(d.id)
        }
      }
    })

    it('finds a compound by its part (机床 in 数控机床) and by a synonym (CNC)', async () => {
      expect(hitSet(await text('机床'))).toEqual(ids('ct01', 'ct05', 'ct09'))
      expect(hitSet(await text('CNC'))).toEqual(ids('ct01', 'ct02', 'ct09'))
      expect(hitSet(await text('cnc'))).toEqual(ids('ct01', 'ct02', 'ct09'))
    })

    it('segments like jieba with the domain dictionary (电池 in 锂电池, 返排液)', async () => {
      expect(hitSet(await text('电池'))).toEqual(ids('ct04', 'ct07'))
      expect(hitSet(await text('锂电池'))).toEqual(ids('ct04', 'ct07'))
      expect(hitSet(await text('压裂返排液'))).toEqual(ids('ct06'))
      expect(hitSet(await text('压铸'))).toEqual(ids('ct03'))
    })

    it("matches a query's word by its alternatives (数控机床 also finds 机床 alone)", async () => {
      expect(hitSet(await text('数控机床'))).toEqual(ids('ct01', 'ct02', 'ct05', 'ct09'))
    })

    it("mode 'all' needs every concept, 'any' ranks those with more first", async () => {
      // ct09 has 数控机床 and 状态监测: 监测 is a part of 振动监测.
      const all = await text('机床 振动监测', { mode: 'all' })
      expect(hitSet(all)).toEqual(ids('ct05', 'ct09'))
      expect(hitIds(all)[0]).toBe(id('ct05'))
      const any = await text('机床 振动监测', { mode: 'any' })
      expect(hitIds(any)[0]).toBe(id('ct05'))
      expect(hitSet(any)).toEqual(ids('ct01', 'ct02', 'ct05', 'ct09'))
      expect(any.total).toBe(4)
      expect(hitSet(await text('机床 返排液', { mode: 'all' }))).toEqual([])
      expect(hitSet(await text('机床 返排液', { mode: 'any' }))).toEqual(ids('ct01', 'ct05', 'ct06', 'ct09'))
    })

    it('applies each filter', async () => {
      const cases: SearchFilters[] = [
        { kind: 'achievement' },
        { kind: 'scenario' },
        { field: 'ADVANCED_MANUFACTURING' },
        { industry: 'INTELLIGENT_EQUIPMENT' },
        { trlMin: 6 },
        { trlMax: 5 },
        { trlMin: 5, trlMax: 5 },
        { stage: 'PILOT' },
        { mode: 'LICENSE' },
        { province: '31' },
        { province: '50' },
        { priceBucket: '1m-5m' },
        { priceBucket: 'negotiable' },
        { excludeIds: [id('ct01'), id('ct08')] },
        { kind: 'demand', province: '50', trlMin: 5 },
      ]
      for (const filters of cases) {
        const r = await search({ filters })
        expect(hitSet(r), JSON.stringify(filters)).toEqual(oracle(filters).map((d) => d.id).sort())
        expect(r.total).toBe(oracle(filters).length)
      }
      const withText = await text('机床', { filters: { kind: 'achievement' } })
      expect(hitSet(withText)).toEqual(ids('ct01'))
      expect(hitSet(await text('数控机床', { filters: { excludeIds: [id('ct01')] } }))).toEqual(ids('ct02', 'ct05', 'ct09'))
    })

    it('counts facets with every filter applied', async () => {
      const everything = await search({ facets: [...FACETS], limit: 0 })
      expect(everything.facets).toEqual(facetCounts(CONTRACT_DOCS))
      const filters: SearchFilters = { industry: 'INTELLIGENT_EQUIPMENT', province: '50' }
      const filtered = await search({ filters, facets: [...FACETS] })
      expect(filtered.facets).toEqual(facetCounts(oracle(filters)))
      const withText = await text('机床', { facets: ['kind', 'modes', 'trl', 'priceBucket'] })
      expect(withText.facets).toEqual(facetCounts(CONTRACT_DOCS.filter((d) => ['ct01', 'ct05', 'ct09'].includes(d.listingId)), ['kind', 'modes', 'trl', 'priceBucket']))
      const nothing = await search({ filters: { province: '99' }, facets: ['kind', 'modes'] })
      expect(nothing).toEqual({ hits: [], total: 0, facets: { kind: {}, modes: {} } })
    })

    it('counts the tabs: matches per kind with every filter but the kind, in the same answer', async () => {
      const filters: SearchFilters = { kind: 'achievement', province: '50' }
      const r = await search({ filters, facets: ['field'], kindCounts: true, limit: 3 })
      expect(r.total).toBe(oracle(filters).length)
      expect(r.hits.every((h) => h.doc.kind === 'achievement')).toBe(true)
      expect(r.facets).toEqual(facetCounts(oracle(filters), ['field']))
      expect(r.kindCounts).toEqual(facetCounts(oracle({ province: '50' }), ['kind']).kind)
      const withText = await text('机床', { kindCounts: true, filters: { kind: 'demand' } })
      expect(withText.kindCounts).toEqual(facetCounts(CONTRACT_DOCS.filter((d) => ['ct01', 'ct05', 'ct09'].includes(d.listingId)), ['kind']).kind)
      expect((await search({ filters })).kindCounts).toBeUndefined()
    })

    it('sorts by price, 面议 (no price) last both ways', async () => {
      const priced = CONTRACT_DOCS.filter((d) => d.priceFen !== null)
      const unpriced = CONTRACT_DOCS.filter((d) => d.priceFen === null).map((d) => d.id).sort()
      const asc = hitIds(await search({ sort: 'price_asc' }))
      expect(asc.slice(0, priced.length)).toEqual([...priced].sort((a, b) => a.priceFen! - b.priceFen!).map((d) => d.id))
      expect(asc.slice(priced.length).sort()).toEqual(unpriced)
      const desc = hitIds(await search({ sort: 'price_desc' }))
      expect(desc.slice(0, priced.length)).toEqual([...priced].sort((a, b) => b.priceFen! - a.priceFen!).map((d) => d.id))
      expect(desc.slice(priced.length).sort()).toEqual(unpriced)
      // With text, the sort still decides the order.
      expect(hitIds(await text('数控机床', { sort: 'price_asc' }))).toEqual([id('ct05'), id('ct02'), id('ct01'), id('ct09')])
    })

    it('sorts by newest; without text, relevance is newest first too', async () => {
      const newest = [...CONTRACT_DOCS].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt)).map((d) => d.id)
      expect(hitIds(await search({ sort: 'newest' }))).toEqual(newest)
      expect(hitIds(await search({ sort: 'relevance' }))).toEqual(newest)
      expect(hitIds(await text('机床', { sort: 'newest' }))).toEqual([id('ct05'), id('ct01'), id('ct09')])
    })

    it('pages with offset and limit, with a stable total', async () => {
      const all = hitIds(await search({ sort: 'newest' }))
      const pages: string[] = []
      for (let offset = 0; offset < 12; offset += 3) {
        const page = await search({ sort: 'newest', offset, limit: 3 })
        expect(page.total).toBe(CONTRACT_DOCS.length)
        pages.push(...hitIds(page))
      }
      expect(pages).toEqual(all)
      const beyond = await search({ sort: 'newest', offset: 40, limit: 5 })
      expect(beyond.hits).toEqual([])
      expect(beyond.total).toBe(CONTRACT_DOCS.length)
      const textPage = await text('数控机床', { sort: 'price_desc', offset: 1, limit: 2 })
      expect(textPage.total).toBe(4)
      expect(hitIds(textPage)).toEqual([id('ct01'), id('ct02')])
    })

    it('limit 0 gives counts only', async () => {
      const r = await text('机床', { limit: 0, facets: ['kind'] })
      expect(r.hits).toEqual([])
      expect(r.total).toBe(3)
      expect(r.facets).toEqual({ kind: { achievement: 1, demand: 1, scenario: 1 } })
    })

    it('leaves out excludeIds', async () => {
      const r = await text('机床', { filters: { excludeIds: [id('ct05'), 'achievement_nonexistent'] } })
      expect(hitSet(r)).toEqual(ids('ct01', 'ct09'))
      expect(r.total).toBe(2)
    })

    it('empty concepts browse everything that passes the filters', async () => {
      for (const concepts of [[], [{ term: '', alternatives: [] }], conceptsOf('🙂'), conceptsOf('')]) {
        const r = await search({ concepts, filters: { kind: 'demand' }, mode: 'any' })
        expect(hitSet(r)).toEqual(ids('ct05', 'ct06', 'ct07'))
      }
    })

    it('emoji, punctuation and stop words are no error and match nothing', async () => {
      for (const term of ['🙂', '，。！', '"', '\\', '()', '技术', '*', '-']) {
        const r = await search({ concepts: [{ term, alternatives: [] }], mode: 'all', facets: ['kind'] })
        expect(r.total, term).toBe(0)
        expect(r.facets).toEqual({ kind: {} })
      }
      // In 'any' mode the meaningless concept is just ignored.
      const r = await search({ concepts: [{ term: '🙂', alternatives: [] }, { term: '机床', alternatives: [] }], mode: 'any' })
      expect(hitSet(r)).toEqual(ids('ct01', 'ct05', 'ct09'))
    })

    it('filter values that look like syntax never widen the result', async () => {
      const injections = ['"achievement" OR kind = "demand"', 'achievement" OR kind = "demand', '(achievement) OR (demand)', 'demand\\', 'demand\\" OR kind != \\"x', "demand' OR '1'='1"]
      for (const value of injections) {
        for (const filters of [{ kind: value }, { province: value }, { priceBucket: value }] as SearchFilters[]) {
          const r = await search({ filters, facets: ['kind'] })
          expect(r.total, JSON.stringify(filters)).toBe(0)
        }
        // Enum filters: the embedded engine may reject an unknown enum value; either way nothing leaks.
        for (const filters of [{ field: value }, { industry: value }, { stage: value }, { mode: value }] as unknown as SearchFilters[]) {
          const total = await search({ filters }).then((r) => r.total, () => 0)
          expect(total, JSON.stringify(filters)).toBe(0)
        }
        // Exclusions only ever take away.
        const excluded = await search({ filters: { excludeIds: [value, `${id('ct01')}" OR id = "${id('ct02')}`] } })
        expect(excluded.total).toBe(CONTRACT_DOCS.length)
      }
      const narrow = await search({ filters: { kind: 'demand', province: '51" OR province = "50' } })
      expect(narrow.total).toBe(0)
      // Syntax in the query text is just text.
      for (const query of ['"a" OR kind = "demand"', 'kind = demand', '-机床', '"机床"']) {
        const r = await text(query)
        expect(r.total, query).toBe(query.includes('机床') ? 3 : 0)
      }
    })

    it('upsert replaces a document (no duplicates); remove removes', async () => {
      const original = byListing.ct01
      const changed: SearchDoc = { ...original, keywords: [...original.keywords, '光栅尺'], priceFen: null, priceBucket: 'negotiable' }
      await engine.upsert([changed])
      expect((await search({ limit: 0 })).total).toBe(CONTRACT_DOCS.length)
      expect(hitIds(await text('光栅尺'))).toEqual([original.id])
      expect((await search({ filters: { priceBucket: 'negotiable' } })).total).toBe(3)
      expect(hitIds(await search({ sort: 'price_asc' })).slice(-3)).toContain(original.id)
      await engine.upsert([original])
      expect((await text('光栅尺')).total).toBe(0)
      expect((await search({ limit: 0 })).total).toBe(CONTRACT_DOCS.length)

      await engine.remove([id('ct09'), 'scenario_nonexistent'])
      expect(hitSet(await text('机床'))).toEqual(ids('ct01', 'ct05'))
      expect((await search({ limit: 0 })).total).toBe(CONTRACT_DOCS.length - 1)
      await engine.remove([])
      await engine.upsert([byListing.ct09])
      expect(hitSet(await text('机床'))).toEqual(ids('ct01', 'ct05', 'ct09'))
    })

    it('reports its health', async () => {
      expect((await engine.health()).ok).toBe(true)
    })
  })
}
