import { describe, expect, it } from 'vitest'
import { getDb } from '~/infra/db/client.server'
import { createEmbeddedEngine } from '~/infra/search/embedded.server'
import { loadEvalData } from '../../../bench/lib/eval-data'
import { hasGoodAnswer } from '../../../bench/lib/eval-set'
import { forgetCorpusStats } from './corpus.server'
import { matchListing } from './match.server'
import { meanOf, ndcgAt, noGoodMatchAccuracy, reciprocalRank, recallAt } from './metrics'

/**
 * Pins the embedded matcher's quality on our evaluation set (bench/match-quality.ts prints the
 * full table), a little under what it measures today, so that a change that makes matches
 * worse fails here instead of going unnoticed. Runs on one database: the figures are the same.
 */
const FLOOR = { ndcg: 0.78, mrr: 0.85, recall: 0.82, noGoodMatch: 0.8 }

describe.runIf(process.env.KZ_TEST_DB === 'pglite')('matching quality on the evaluation set', () => {
  it('stays at or above its measured figures', { timeout: 240_000 }, async () => {
    const loaded = await loadEvalData(await getDb())
    forgetCorpusStats()
    const engine = createEmbeddedEngine()
    const ndcg: (number | null)[] = []
    const mrr: (number | null)[] = []
    const recall: (number | null)[] = []
    const verdicts: { predictedNoGoodMatch: boolean; actuallyNone: boolean }[] = []
    for (const demand of loaded.set.demands) {
      const grades = loaded.set.grades[demand.id] ?? {}
      const result = await matchListing({ actor: 'system', kind: 'demand', id: loaded.listingIds.get(demand.id)!, limit: 10, engine })
      const ranked = result.matches.map((m) => loaded.fixtureIds.get(m.listing.id) ?? m.listing.id)
      if (hasGoodAnswer(grades)) {
        ndcg.push(ndcgAt(10, ranked, grades))
        mrr.push(reciprocalRank(ranked, grades))
        recall.push(recallAt(10, ranked, grades))
      }
      verdicts.push({ predictedNoGoodMatch: result.noGoodMatch, actuallyNone: !hasGoodAnswer(grades) })
    }
    const figures = { ndcg: meanOf(ndcg), mrr: meanOf(mrr), recall: meanOf(recall), noGoodMatch: noGoodMatchAccuracy(verdicts) }
    expect(figures.ndcg).toBeGreaterThanOrEqual(FLOOR.ndcg)
    expect(figures.mrr).toBeGreaterThanOrEqual(FLOOR.mrr)
    expect(figures.recall).toBeGreaterThanOrEqual(FLOOR.recall)
    expect(figures.noGoodMatch).toBeGreaterThanOrEqual(FLOOR.noGoodMatch)
  })
})
