import { describe, expect, it } from 'vitest'
import { hasGoodAnswer, loadEvalSet } from '../../../bench/lib/eval-set'
import { meanOf, ndcgAt, noGoodMatchAccuracy, noGoodMatchCounts, reciprocalRank, recallAt } from './metrics'

const grades = { a: 3, b: 2, c: 1 }

describe('ndcgAt', () => {
  it('matches the hand-computed value for a mixed ranking', () => {
    // DCG  = (2¹−1)/log2 2 + 0 + (2³−1)/log2 4            = 1 + 3.5           = 4.5
    // IDCG = (2³−1)/log2 2 + (2²−1)/log2 3 + (2¹−1)/log2 4 = 7 + 1.8928 + 0.5 = 9.3928
    expect(ndcgAt(3, ['c', 'x', 'a'], grades)).toBeCloseTo(0.479091, 6)
  })

  it('is 1 for the ideal ranking and for a ranking that differs only below k', () => {
    expect(ndcgAt(10, ['a', 'b', 'c'], grades)).toBe(1)
    expect(ndcgAt(2, ['a', 'b', 'x', 'c'], grades)).toBe(1)
  })

  it('cuts both the ranking and the ideal at k', () => {
    // k = 1: DCG = 3 (b), IDCG = 7 (a)
    expect(ndcgAt(1, ['b', 'a'], grades)).toBeCloseTo(3 / 7, 10)
  })

  it('counts the judged answers the system never found in the ideal', () => {
    // Only a is found, at rank 1: DCG = 7; the ideal still holds b and c.
    expect(ndcgAt(10, ['a'], grades)).toBeCloseTo(7 / (7 + 3 / Math.log2(3) + 0.5), 10)
  })

  it('is 0 when nothing relevant is listed, and null when nothing relevant exists', () => {
    expect(ndcgAt(10, ['x', 'y'], grades)).toBe(0)
    expect(ndcgAt(10, [], grades)).toBe(0)
    expect(ndcgAt(10, ['a'], {})).toBeNull()
    expect(ndcgAt(10, ['a'], { a: 0 })).toBeNull()
  })

  it('counts a repeated id once', () => {
    expect(ndcgAt(2, ['a', 'a', 'b'], grades)).toBe(ndcgAt(2, ['a', 'b'], grades))
  })
})

describe('reciprocalRank', () => {
  const ranked = ['x', 'c', 'b', 'a']

  it('is 1 / rank of the first answer at or above the grade', () => {
    expect(reciprocalRank(ranked, grades)).toBeCloseTo(1 / 3, 10)
    expect(reciprocalRank(ranked, grades, 3)).toBe(0.25)
    expect(reciprocalRank(ranked, grades, 1)).toBe(0.5)
    expect(reciprocalRank(['b'], grades)).toBe(1)
  })

  it('is 0 when no good answer is listed and null when none exists', () => {
    expect(reciprocalRank(['x', 'c'], grades)).toBe(0)
    expect(reciprocalRank(ranked, { c: 1 })).toBeNull()
  })
})

describe('recallAt', () => {
  const four = { a: 3, b: 2, c: 1, d: 2 }
  const ranked = ['a', 'x', 'c', 'y', 'd']

  it('is the share of good answers within the first k', () => {
    expect(recallAt(3, ranked, four)).toBeCloseTo(1 / 3, 10)
    expect(recallAt(5, ranked, four)).toBeCloseTo(2 / 3, 10)
    expect(recallAt(5, ranked, four, 3)).toBe(1)
    expect(recallAt(5, ['b', 'd', 'a'], four)).toBe(1)
  })

  it('does not count grade-1 answers as good by default, and is null without good answers', () => {
    expect(recallAt(10, ['c'], four)).toBe(0)
    expect(recallAt(10, ['c'], { c: 1 })).toBeNull()
    expect(recallAt(10, ['c'], { c: 1 }, 1)).toBe(1)
  })
})

describe('noGoodMatchAccuracy', () => {
  const results = [
    { predictedNoGoodMatch: true, actuallyNone: true },
    { predictedNoGoodMatch: false, actuallyNone: false },
    { predictedNoGoodMatch: false, actuallyNone: false },
    { predictedNoGoodMatch: true, actuallyNone: false },
    { predictedNoGoodMatch: false, actuallyNone: true },
  ]

  it('is the share of right verdicts', () => {
    expect(noGoodMatchAccuracy(results)).toBe(3 / 5)
    expect(noGoodMatchAccuracy(results.slice(0, 3))).toBe(1)
    expect(noGoodMatchAccuracy([])).toBeNull()
  })

  it('gives the four counts behind it', () => {
    expect(noGoodMatchCounts(results)).toEqual({ caught: 1, falseAlarms: 1, missed: 1, answered: 2 })
  })
})

describe('meanOf', () => {
  it('averages the defined values only', () => {
    expect(meanOf([1, null, 0, undefined, 0.5])).toBe(0.5)
    expect(meanOf([null])).toBeNull()
    expect(meanOf([])).toBeNull()
  })
})

describe('the evaluation set of bench/match-quality.ts (tests/fixtures/match-eval)', () => {
  it('parses with the listing schemas and keeps the rules of docs/matching-quality.md', () => {
    const set = loadEvalSet() // throws, listing every broken rule
    const good = (id: string) => Object.values(set.grades[id] ?? {}).filter((g) => g >= 2).length
    expect(set.achievements.length).toBeGreaterThanOrEqual(100)
    expect(set.demands.length).toBeGreaterThanOrEqual(25)
    expect(set.demands.filter((d) => !hasGoodAnswer(set.grades[d.id] ?? {})).length).toBeGreaterThanOrEqual(4)
    expect(set.demands.filter((d) => good(d.id) >= 2).length).toBeGreaterThanOrEqual(5)
    expect(new Set(set.achievements.map((a) => a.input.industry)).size).toBe(8)
  })
})
