import { describe, expect, it } from 'vitest'
import { Bm25 } from './bm25'

// N = 3, lengths 2, 3, 1: avgdl = 2.
const docs = [
  { id: 'd1', tokens: ['a', 'b'] },
  { id: 'd2', tokens: ['a', 'a', 'c'] },
  { id: 'd3', tokens: ['c'] },
]

describe('Bm25', () => {
  const bm25 = new Bm25().index(docs)

  it('uses k1 = 1.2 and b = 0.75 unless told', () => {
    expect(bm25.k1).toBe(1.2)
    expect(bm25.b).toBe(0.75)
    expect(bm25.size).toBe(3)
  })

  it('weighs a term by ln(1 + (N − n + 0.5) / (n + 0.5))', () => {
    expect(bm25.idf('a')).toBeCloseTo(Math.log(1.6), 12) // n = 2
    expect(bm25.idf('b')).toBeCloseTo(Math.log(1 + 2.5 / 1.5), 12) // n = 1
    expect(bm25.idf('zzz')).toBeCloseTo(Math.log(1 + 3.5 / 0.5), 12) // n = 0
  })

  it('matches hand-computed scores for a one-term query', () => {
    // d1: tf 1, |D| = avgdl → idf·1·2.2/(1 + 1.2) = idf
    // d2: tf 2, |D| = 3 → norm = 0.25 + 0.75·1.5 = 1.375 → idf·2·2.2/(2 + 1.65)
    const hits = bm25.score(['a'])
    expect(hits.map((h) => h.id)).toEqual(['d2', 'd1'])
    expect(hits[0]!.score).toBeCloseTo(0.566579717, 8)
    expect(hits[1]!.score).toBeCloseTo(0.470003629, 8)
  })

  it('sums over the query terms and ranks best first', () => {
    // d1: b → 0.980829; d3: c, |D| = 1 → norm 0.625 → ln 1.6·2.2/1.75 = 0.590862; d2: c, norm 1.375 → 0.390192
    const hits = bm25.score(['b', 'c'])
    expect(hits.map((h) => h.id)).toEqual(['d1', 'd3', 'd2'])
    expect(hits.map((h) => Number(h.score.toFixed(6)))).toEqual([0.980829, 0.590862, 0.390192])
  })

  it('counts a repeated query term once and ignores unknown terms', () => {
    expect(bm25.score(['a', 'a', 'unknown'])).toEqual(bm25.score(['a']))
    expect(bm25.score(['unknown'])).toEqual([])
    expect(bm25.score([])).toEqual([])
  })

  it('breaks ties by id and honours the limit', () => {
    const twins = new Bm25().index([
      { id: 'y', tokens: ['t'] },
      { id: 'x', tokens: ['t'] },
      { id: 'z', tokens: ['u'] },
    ])
    expect(twins.score(['t']).map((h) => h.id)).toEqual(['x', 'y'])
    expect(twins.score(['t'], 1).map((h) => h.id)).toEqual(['x'])
  })

  it('without length normalisation (b = 0), only tf and idf count', () => {
    const flat = new Bm25({ b: 0 }).index(docs)
    // d2: tf 2 → idf·2·2.2/(2 + 1.2); d1: tf 1 → idf·2.2/2.2
    expect(flat.score(['a'])[0]!.score).toBeCloseTo((Math.log(1.6) * 4.4) / 3.2, 12)
    expect(flat.score(['a'])[1]!.score).toBeCloseTo(Math.log(1.6), 12)
  })

  it('refuses a document indexed twice and impossible parameters', () => {
    expect(() => new Bm25().index([docs[0]!, docs[0]!])).toThrow(/already indexed/)
    expect(() => new Bm25({ b: 2 })).toThrow(RangeError)
    expect(() => new Bm25({ k1: -1 })).toThrow(RangeError)
  })

  it('scores an empty index as no hits', () => {
    expect(new Bm25().index([]).score(['a'])).toEqual([])
  })
})
