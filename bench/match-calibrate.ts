/**
 * Where the matcher's thresholds come from: every demand of the evaluation set re-ranked
 * without a threshold, and the score and coverage of its candidates set against their grades.
 * Prints, for a grid of thresholds, the ranking quality and the no-good-match accuracy.
 *
 *   npx tsx bench/match-calibrate.ts
 */
import { GOOD_GRADE, ndcgAt } from '~/domain/matching/metrics'
import { corpusStats, forgetCorpusStats } from '~/domain/matching/corpus.server'
import { candidateRequest, findListingRow, needOfForCalibration, rankCandidates } from '~/domain/matching/match.server'
import { closeDb } from '~/infra/db/client.server'
import { createEmbeddedEngine } from '~/infra/search/embedded.server'
import { loadEvalData, openEvalDatabase } from './lib/eval-data'
import { hasGoodAnswer } from './lib/eval-set'

const db = await openEvalDatabase()
const loaded = await loadEvalData(db)
forgetCorpusStats()
const engine = createEmbeddedEngine()
const stats = await corpusStats('achievement')
type Cand = { fixture: string; score: number; coverage: number; grade: number }
const perDemand: { id: string; good: boolean; cands: Cand[]; grades: Record<string, number> }[] = []
for (const demand of loaded.set.demands) {
  const row = await findListingRow('demand', loaded.listingIds.get(demand.id)!)
  const need = needOfForCalibration('demand', row, stats)
  const hits = await engine.search(candidateRequest(need.concepts, 'achievement'))
  const ranked = rankCandidates('demand', row, hits.hits.map((h) => h.doc), stats, need)
  const grades = loaded.set.grades[demand.id] ?? {}
  perDemand.push({
    id: demand.id,
    good: hasGoodAnswer(loaded.set.grades[demand.id] ?? {}),
    grades,
    cands: ranked.map((r) => {
      const fixture = loaded.fixtureIds.get(r.doc.listingId) ?? r.doc.listingId
      return { fixture, score: r.score, coverage: r.coverage, grade: grades[fixture] ?? 0 }
    }),
  })
}
console.log('demand  good  top1(score/cov/grade)  best-good(score/cov)')
for (const d of perDemand) {
  const top = d.cands[0]
  const bestGood = d.cands.find((c) => c.grade >= GOOD_GRADE)
  console.log(`${d.id.padEnd(6)}  ${d.good ? 'yes ' : 'no  '}  ${top ? `${top.score.toFixed(3)}/${top.coverage.toFixed(2)}/${top.grade}` : '-'}        ${bestGood ? `${bestGood.score.toFixed(3)}/${bestGood.coverage.toFixed(2)}` : '-'}`)
}
console.log('\nscore≥  cov≥   nDCG@10  no-good acc.')
for (const minScore of [0.3, 0.35, 0.4, 0.42, 0.45, 0.5, 0.55]) {
  for (const minCov of [0.15, 0.2, 0.25, 0.3, 0.35, 0.4]) {
    let ndcg = 0
    let correct = 0
    for (const d of perDemand) {
      const kept = d.cands.filter((c) => c.score >= minScore && c.coverage >= minCov).slice(0, 10)
      if (d.good) ndcg += ndcgAt(10, kept.map((c) => c.fixture), d.grades) ?? 0
      if ((kept.length === 0) === !d.good) correct++
    }
    const goods = perDemand.filter((d) => d.good).length
    console.log(`${minScore.toFixed(2)}   ${minCov.toFixed(2)}   ${(ndcg / goods).toFixed(3)}    ${(correct / perDemand.length).toFixed(3)}`)
  }
}
await closeDb()
