import { MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError, MeilisearchTaskTimeOutError } from 'meilisearch'
import { describe, expect, it } from 'vitest'
import { CONTRACT_DOCS } from './contract'
import { MeilisearchStartError } from './meili-process.server'
import { buildFilter, diffSettings, fromMeiliDoc, isMeiliUnavailable, loadIndexConfig, planQueries, quoteFilterValue, synonymMap, toMeiliDoc } from './meilisearch.server'

describe('meilisearch filters', () => {
  it('quotes values with their quotes and backslashes escaped', () => {
    expect(quoteFilterValue('demand')).toBe('"demand"')
    expect(quoteFilterValue('a" OR kind = "b')).toBe('"a\\" OR kind = \\"b"')
    expect(quoteFilterValue('end\\')).toBe('"end\\\\"')
    expect(quoteFilterValue('x\\" OR y')).toBe('"x\\\\\\" OR y"')
  })

  it('builds filters only from valid values', () => {
    expect(buildFilter({})).toEqual([])
    expect(
      buildFilter({ kind: 'demand', field: 'NEW_ENERGY', industry: 'AUTOMOTIVE', stage: 'PILOT', mode: 'LICENSE', province: '50', priceBucket: 'lt100k', trlMin: 3, trlMax: 7, excludeIds: ['demand_a', 'x"y'] }),
    ).toEqual([
      'kind = "demand"',
      'field = "NEW_ENERGY"',
      'industry = "AUTOMOTIVE"',
      'stage = "PILOT"',
      'modes = "LICENSE"',
      'priceBucket = "lt100k"',
      'province = "50"',
      'trl >= 3',
      'trl <= 7',
      'NOT id IN ["demand_a", "x\\"y"]',
    ])
    const invalid: Record<string, unknown>[] = [
      { kind: 'demand" OR kind = "achievement' },
      { field: 'NEW_ENERGY" OR 1' },
      { province: '5' },
      { province: '50" OR province = "11' },
      { priceBucket: 'cheap' },
      { trlMin: 2.5 },
      { trlMax: Number.NaN },
      { trlMin: '3 OR 1' },
      { mode: ['LICENSE'] },
    ]
    for (const filters of invalid) expect(buildFilter(filters as never), JSON.stringify(filters)).toBeNull()
  })
})

describe('meilisearch query plan', () => {
  const synonyms = (t: string) => (({ 数控机床: ['cnc'], cnc: ['数控机床'] }) as Record<string, string[]>)[t] ?? []

  it('browses without concepts', () => {
    expect(planQueries([], 'all')).toEqual([])
    expect(planQueries([{ term: '', alternatives: [] }], 'any')).toEqual([])
  })

  it("'all': one query per combination of a matcher per concept", () => {
    const plan = planQueries(
      [
        { term: '数控机床', alternatives: ['机床'] },
        { term: '热误差', alternatives: [] },
      ],
      'all',
      { synonyms },
    )
    expect(plan).toEqual([
      { q: '数控机床 热误差', matchingStrategy: 'all', weight: 1 },
      { q: '机床 热误差', matchingStrategy: 'all', weight: 0.95 },
    ])
  })

  it("'any': every matcher, plus all terms ranked by matchingStrategy 'last'", () => {
    const plan = planQueries(
      [
        { term: '数控机床', alternatives: ['机床'] },
        { term: '热误差', alternatives: [] },
      ],
      'any',
      { synonyms },
    )
    expect(plan).toEqual([
      { q: '数控机床 热误差', matchingStrategy: 'last', weight: 1 },
      { q: '数控机床', matchingStrategy: 'all', weight: 0.5 },
      { q: '机床', matchingStrategy: 'all', weight: 0.475 },
      { q: '热误差', matchingStrategy: 'all', weight: 0.5 },
    ])
  })

  it('nothing can match a concept without an indexable term (all), which any ignores', () => {
    expect(planQueries([{ term: '🙂', alternatives: ['，'] }], 'all')).toBeNull()
    expect(planQueries([{ term: '技术', alternatives: [] }, { term: '机床', alternatives: [] }], 'all')).toBeNull()
    expect(planQueries([{ term: '🙂', alternatives: [] }, { term: '机床', alternatives: [] }], 'any')).toEqual([{ q: '机床', matchingStrategy: 'all', weight: 1 }])
  })

  it('strips what Meilisearch would read as syntax', () => {
    expect(planQueries([{ term: '"机床"', alternatives: ['-数控'] }], 'all')).toEqual([
      { q: '机床', matchingStrategy: 'all', weight: 1 },
      { q: '数控', matchingStrategy: 'all', weight: 0.95 },
    ])
  })

  it('stays within the query budget: synonyms left to Meilisearch, then parts of the least informative concepts', () => {
    const concept = (term: string) => ({ term, alternatives: [`${term}a`, `${term}b`, `${term}c`] })
    const plan = planQueries([concept('甲'), concept('乙'), concept('丙')], 'all', { maxQueries: 20, synonyms: () => [] })!
    expect(plan.length).toBeLessThanOrEqual(20)
    expect(plan[0]).toEqual({ q: '甲 乙 丙', matchingStrategy: 'all', weight: 1 })
    expect(plan.every((p) => p.q.endsWith(' 丙'))).toBe(true)
    const pruned = planQueries([{ term: '数控机床', alternatives: ['cnc', '机床'] }, concept('乙')], 'all', { maxQueries: 6, synonyms })!
    expect(pruned.map((p) => p.q)).not.toContain('cnc 乙')
    expect(pruned.map((p) => p.q)).toContain('机床 乙')
  })
})

describe('meilisearch documents and settings', () => {
  it('round-trips a SearchDoc, leaving out a null price and adding our segmentation', () => {
    for (const doc of CONTRACT_DOCS) {
      const stored = toMeiliDoc(doc)
      expect(stored.publishedAtTs).toBe(Date.parse(doc.publishedAt))
      expect('priceFen' in stored).toBe(doc.priceFen !== null)
      expect(fromMeiliDoc(JSON.parse(JSON.stringify(stored)))).toEqual(doc)
    }
    expect(toMeiliDoc(CONTRACT_DOCS[0]).segmented.title.split(' ')).toEqual(expect.arrayContaining(['数控', '机床', '数控机床']))
  })

  it('merges synonyms (each word of a group a synonym of every other) and stop words into the settings', () => {
    expect(synonymMap([['A', 'b'], ['b', 'c']])).toEqual({ a: ['b'], b: ['a', 'c'], c: ['b'] })
    const { index, settings } = loadIndexConfig()
    expect(index).toBe('listings')
    expect(settings.synonyms?.['数控机床']).toEqual(expect.arrayContaining(['cnc', '加工中心']))
    expect(settings.synonyms?.['cnc']).toContain('数控机床')
    expect(settings.stopWords).toContain('的')
    expect(settings.rankingRules?.[0]).toBe('sort')
  })

  it('diffs settings by value (sets in any order)', () => {
    const wanted = { filterableAttributes: ['a', 'b'], rankingRules: ['sort', 'words'], typoTolerance: { minWordSizeForTypos: { oneTypo: 7 } }, synonyms: { x: ['y', 'z'] } }
    const current = { filterableAttributes: ['b', 'a'], rankingRules: ['sort', 'words'], typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 7, twoTypos: 9 } }, synonyms: { x: ['z', 'y'] } }
    expect(diffSettings(current, wanted)).toEqual([])
    expect(diffSettings({ ...current, rankingRules: ['words', 'sort'] }, wanted).map((c) => c.key)).toEqual(['rankingRules'])
    expect(diffSettings({ ...current, synonyms: { x: ['y'] } }, wanted).map((c) => c.key)).toEqual(['synonyms'])
  })
})

describe('isMeiliUnavailable', () => {
  const api = (status: number, code = 'internal') =>
    new MeilisearchApiError(new Response(null, { status }), { message: code, code, type: 'internal', link: '' } as never)

  it('says an outage is one: no connection, timeouts, server errors, overload, a refused key, the binary not starting', () => {
    expect(isMeiliUnavailable(new MeilisearchRequestError('http://127.0.0.1:7700', new Error('fetch failed')))).toBe(true)
    expect(isMeiliUnavailable(new MeilisearchRequestTimeOutError(5000, {}))).toBe(true)
    expect(isMeiliUnavailable(new MeilisearchTaskTimeOutError(12, 60_000))).toBe(true)
    for (const status of [500, 502, 503, 429, 408, 401, 403]) expect(isMeiliUnavailable(api(status)), String(status)).toBe(true)
    expect(isMeiliUnavailable(new MeilisearchStartError('exited with code 1'))).toBe(true)
  })

  it('says a rejected request is not: bad documents, bad filters, anything else', () => {
    expect(isMeiliUnavailable(api(400, 'invalid_document_id'))).toBe(false)
    expect(isMeiliUnavailable(api(404, 'index_not_found'))).toBe(false)
    expect(isMeiliUnavailable(new Error('Meilisearch add documents: task 7 failed: invalid document'))).toBe(false)
    expect(isMeiliUnavailable('nope')).toBe(false)
  })
})
