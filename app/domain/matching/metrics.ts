/**
 * Ranking-quality metrics for the matching benchmark (docs/matching-quality.md). Pure functions
 * over a ranked list of ids and graded judgements: 3 solves the problem, 2 relevant and usable
 * with adaptation, 1 related topic that would not solve it, absent 0.
 *
 * A metric that the judgements cannot define (nothing relevant to find) is `null`, not 0 or 1,
 * so that averages are taken over the cases where the metric means something.
 */

export type Grades = Readonly<Record<string, number>>

const gradeOf = (grades: Grades, id: string) => grades[id] ?? 0

/** The grade at which an answer counts as good (solves it, or does with adaptation). */
export const GOOD_GRADE = 2

/**
 * Normalised discounted cumulative gain at k, with exponential gain (2^grade − 1) and a log2
 * discount: DCG = Σ_{i<k} (2^g_i − 1) / log2(i + 2). The ideal ranking is all judged ids
 * sorted by grade, whether the system found them or not. Repeated ids count once (first place).
 */
export function ndcgAt(k: number, rankedIds: readonly string[], grades: Grades): number | null {
  const ideal = Object.values(grades)
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
  const idcg = dcg(ideal.slice(0, k))
  if (idcg === 0) return null
  const seen = new Set<string>()
  const gains: number[] = []
  for (const id of rankedIds) {
    if (gains.length === k) break
    if (seen.has(id)) continue
    seen.add(id)
    gains.push(gradeOf(grades, id))
  }
  return dcg(gains) / idcg
}

function dcg(gradesInOrder: number[]): number {
  return gradesInOrder.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0)
}

/** 1 / rank of the first id graded at least `minGrade`; 0 if none is listed; null if none exists. */
export function reciprocalRank(rankedIds: readonly string[], grades: Grades, minGrade = GOOD_GRADE): number | null {
  if (!Object.values(grades).some((g) => g >= minGrade)) return null
  const rank = rankedIds.findIndex((id) => gradeOf(grades, id) >= minGrade)
  return rank === -1 ? 0 : 1 / (rank + 1)
}

/** Share of the ids graded at least `minGrade` that appear in the first k; null if none exists. */
export function recallAt(k: number, rankedIds: readonly string[], grades: Grades, minGrade = GOOD_GRADE): number | null {
  const relevant = Object.keys(grades).filter((id) => gradeOf(grades, id) >= minGrade)
  if (relevant.length === 0) return null
  const top = new Set(rankedIds.slice(0, k))
  return relevant.filter((id) => top.has(id)).length / relevant.length
}

export interface NoGoodMatchResult {
  /** The system said "no good match". */
  predictedNoGoodMatch: boolean
  /** Nothing in the set is graded good for this query. */
  actuallyNone: boolean
}

/** Share of queries where the system's "no good match" verdict was right; null for no queries. */
export function noGoodMatchAccuracy(results: readonly NoGoodMatchResult[]): number | null {
  if (results.length === 0) return null
  return results.filter((r) => r.predictedNoGoodMatch === r.actuallyNone).length / results.length
}

/**
 * The four counts behind the accuracy: with few "no good match" queries, a system that never
 * says it scores high accuracy, so the benchmark shows these too.
 */
export function noGoodMatchCounts(results: readonly NoGoodMatchResult[]) {
  const count = (predicted: boolean, actual: boolean) =>
    results.filter((r) => r.predictedNoGoodMatch === predicted && r.actuallyNone === actual).length
  return {
    /** Said "no good match", and there was none. */
    caught: count(true, true),
    /** Said "no good match", but there was a good answer. */
    falseAlarms: count(true, false),
    /** Listed matches although none was good. */
    missed: count(false, true),
    /** Listed matches, and there was a good answer. */
    answered: count(false, false),
  }
}

/** The mean of the defined values (null ones are left out); null when none is defined. */
export function meanOf(values: readonly (number | null | undefined)[]): number | null {
  const defined = values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v))
  return defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : null
}
