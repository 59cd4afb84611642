/**
 * Matching quality on our own evaluation set (docs/matching-quality.md): nDCG@10, MRR, recall@10
 * and no-good-match accuracy for the search engines' matcher and a plain BM25 baseline over the
 * same tokens, side by side in one table.
 *
 *   npx tsx bench/match-quality.ts              the table
 *   npx tsx bench/match-quality.ts --verbose    and each demand's top 5 with grades
 *   npx tsx bench/match-quality.ts --calibrate  and how the BM25 "no good match" threshold was chosen
 *
 * Never part of `npm test`. The fixtures are loaded into a fresh in-memory PGlite database.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Bm25 } from '~/domain/matching/bm25'
import {
  GOOD_GRADE,
  meanOf,
  ndcgAt,
  noGoodMatchAccuracy,
  noGoodMatchCounts,
  reciprocalRank,
  recallAt,
  type Grades,
} from '~/domain/matching/metrics'
import { closeDb } from '~/infra/db/client.server'
import type { SearchEngine } from '~/infra/search/engine'
import { segment } from '~/infra/search/text.server'
import { evalSearchDocs, loadEvalData, openEvalDatabase, type LoadedEval } from './lib/eval-data'
import { hasGoodAnswer, loadEvalSet, type EvalDemand, type EvalSet } from './lib/eval-set'

const K = 10
const args = new Set(process.argv.slice(2))
const VERBOSE = args.has('--verbose') || args.has('-v')
const CALIBRATE = args.has('--calibrate')

/**
 * BM25's "no good match" verdict: its best score below this, or never when null. Never: on this
 * set the best threshold (best score < 22.2) reaches 0.886 when chosen and judged on the same
 * demands, but only 0.800 judged leave-one-out, below the 0.857 of never saying it (see
 * --calibrate). Raw BM25 scores grow with the length of the query, so a fixed threshold does
 * not carry over from one demand to the next.
 */
const BM25_NO_GOOD_MATCH_BELOW: number | null = null

interface Ranked {
  /** Fixture id (A001), or the listing id if the listing is not from the set. */
  id: string
  score: number
}

interface Answer {
  ranked: Ranked[]
  noGoodMatch: boolean
}

interface System {
  name: string
  answer(demand: EvalDemand): Promise<Answer>
  close?(): Promise<void>
}

type Availability = { system: System } | { name: string; unavailable: string }

interface Outcome {
  demand: EvalDemand
  answer: Answer
  ms: number
}

// ─── Systems ────────────────────────────────────────────────────────────────────────

function bm25System(set: EvalSet): System {
  const bm25 = new Bm25({ k1: 1.2, b: 0.75 }).index(
    set.achievements.map((a) => ({ id: a.id, tokens: segment([a.input.title, a.input.keywords.join(' '), a.input.summary].join('\n')) })),
  )
  return {
    name: 'bm25',
    async answer(demand) {
      const ranked = bm25.score(segment(`${demand.input.title}\n${demand.input.description}`), K)
      return { ranked, noGoodMatch: BM25_NO_GOOD_MATCH_BELOW !== null && (ranked[0]?.score ?? 0) < BM25_NO_GOOD_MATCH_BELOW }
    },
  }
}

/** The interface of app/domain/matching/match.server.ts that the benchmark relies on. */
type MatchListing = (options: {
  actor: 'system'
  kind: 'demand' | 'scenario' | 'achievement'
  id: string
  limit?: number
  engine?: SearchEngine
}) => Promise<{
  noGoodMatch: boolean
  matches: { listing: { kind: string; id: string; externalId: string | null }; score: number }[]
}>

async function importIfPresent(relative: string): Promise<{ module: Record<string, unknown> } | { reason: string }> {
  const url = new URL(relative, import.meta.url)
  const shown = relative.replace(/^\.\.\//, '')
  if (!existsSync(fileURLToPath(url))) return { reason: `${shown} does not exist yet` }
  try {
    return { module: (await import(url.href)) as Record<string, unknown> }
  } catch (error) {
    return { reason: `${shown} failed to load: ${firstLine(error)}` }
  }
}

async function matcherSystem(name: 'embedded' | 'meilisearch', loaded: LoadedEval | null, loadError: string | null): Promise<Availability> {
  if (!loaded) return { name, unavailable: `the fixtures could not be loaded into the database: ${loadError}` }
  const match = await importIfPresent('../app/domain/matching/match.server.ts')
  if ('reason' in match) return { name, unavailable: match.reason }
  const matchListing = match.module.matchListing as MatchListing | undefined
  if (typeof matchListing !== 'function') return { name, unavailable: 'match.server.ts exports no matchListing()' }

  let engine: SearchEngine
  let close: (() => Promise<void>) | undefined
  if (name === 'embedded') {
    const { createEmbeddedEngine } = await import('~/infra/search/embedded.server')
    engine = createEmbeddedEngine()
  } else {
    const meili = await meilisearchEngine(loaded)
    if ('reason' in meili) return { name, unavailable: meili.reason }
    ;({ engine, close } = meili)
  }
  return {
    system: {
      name,
      close,
      async answer(demand) {
        // The benchmark acts as the system (like the command line): it may see every listing's matches.
        const result = await matchListing({ actor: 'system', kind: 'demand', id: loaded.listingIds.get(demand.id)!, limit: K, engine })
        const ranked = result.matches
          .filter((m) => m.listing.kind === 'achievement')
          .map((m) => ({ id: loaded.fixtureIds.get(m.listing.id) ?? m.listing.externalId ?? m.listing.id, score: m.score }))
        return { ranked, noGoodMatch: result.noGoodMatch }
      },
    },
  }
}

/**
 * The embedded matcher with nothing withheld: its candidates in the re-ranker's order, every one
 * listed, never "no good match". How well the re-ranker orders; the matcher itself lists only
 * the candidates that clear its threshold, which costs nDCG and recall (a second, weaker answer
 * is left out) and keeps unrelated achievements off the list.
 */
async function unthresholdedSystem(loaded: LoadedEval | null, loadError: string | null): Promise<Availability> {
  const name = 'nothing withheld'
  if (!loaded) return { name, unavailable: `the fixtures could not be loaded into the database: ${loadError}` }
  const { createEmbeddedEngine } = await import('~/infra/search/embedded.server')
  const { corpusStats } = await import('~/domain/matching/corpus.server')
  const { candidateRequest, findListingRow, needOfForCalibration, rankCandidates } = await import('~/domain/matching/match.server')
  const engine = createEmbeddedEngine()
  return {
    system: {
      name,
      async answer(demand) {
        const row = await findListingRow('demand', loaded.listingIds.get(demand.id)!)
        const stats = await corpusStats('achievement')
        const need = needOfForCalibration('demand', row, stats)
        const hits = await engine.search(candidateRequest(need.concepts, 'achievement'))
        const ranked = rankCandidates('demand', row, hits.hits.map((h) => h.doc), stats, need)
          .slice(0, K)
          .map((r) => ({ id: loaded.fixtureIds.get(r.doc.listingId) ?? r.doc.listingId, score: r.score }))
        return { ranked, noGoodMatch: false }
      },
    },
  }
}

/**
 * The search page with a demand pasted into the box (its title and description, the way an
 * engineer might search), on the achievements tab: how far plain search gets without the
 * matcher. Search always lists what it finds, so it says "no good match" only when it finds
 * nothing.
 */
async function searchBoxSystem(loaded: LoadedEval | null, loadError: string | null): Promise<Availability> {
  const name = 'search box'
  if (!loaded) return { name, unavailable: `the fixtures could not be loaded into the database: ${loadError}` }
  const { createEmbeddedEngine } = await import('~/infra/search/embedded.server')
  const { setSearchEngines } = await import('~/infra/search/engines.server')
  const { searchListings, SearchQuerySchema } = await import('~/domain/search/search.server')
  const embedded = createEmbeddedEngine()
  setSearchEngines({ primary: embedded, fallback: embedded })
  return {
    system: {
      name,
      async answer(demand) {
        const query = SearchQuerySchema.parse({ q: `${demand.input.title}\n${demand.input.description}`, kind: 'achievement', pageSize: K })
        const outcome = await searchListings({ query })
        const ranked = outcome.items.map((item) => ({ id: loaded.fixtureIds.get(item.id) ?? item.id, score: item.score }))
        return { ranked, noGoodMatch: outcome.total === 0 }
      },
    },
  }
}

/**
 * A Meilisearch engine holding the set in an index of its own: with MEILI_URL, a new index on
 * that server (deleted afterwards); otherwise a bundled Meilisearch started for this run in a
 * temporary folder (stopped and removed afterwards). Never the app's index or data directory.
 */
async function meilisearchEngine(loaded: LoadedEval): Promise<{ engine: SearchEngine; close: () => Promise<void> } | { reason: string }> {
  const meili = await importIfPresent('../app/infra/search/meilisearch.server.ts')
  if ('reason' in meili) return meili
  type Create = (options: { url?: string; apiKey?: string; indexUid?: string }) => Promise<SearchEngine & { client?: () => Promise<{ deleteIndex(uid: string): unknown }> }>
  const create = meili.module.createMeilisearchEngine as Create | undefined
  if (typeof create !== 'function') return { reason: 'meilisearch.server.ts exports no createMeilisearchEngine()' }
  const indexUid = `kz_match_eval_${process.pid}_${randomBytes(3).toString('hex')}`
  const cleanups: (() => Promise<unknown>)[] = []
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  }
  try {
    let url = process.env.MEILI_URL
    let apiKey = process.env.MEILI_MASTER_KEY
    if (!url) {
      const proc = await importIfPresent('../app/infra/search/meili-process.server.ts')
      if ('reason' in proc) return proc
      const start = proc.module.startMeilisearch as
        | ((options: { dir: string; masterKey: string }) => Promise<{ url: string; apiKey: string; stop(): Promise<void> }>)
        | undefined
      if (typeof start !== 'function') return { reason: 'meili-process.server.ts exports no startMeilisearch()' }
      const dir = mkdtempSync(path.join(os.tmpdir(), 'kz-match-eval-meili-'))
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
      const instance = await start({ dir, masterKey: randomBytes(24).toString('base64url') })
      cleanups.push(() => instance.stop())
      ;({ url, apiKey } = instance)
    }
    const engine = await create({ url, apiKey, indexUid })
    if (process.env.MEILI_URL && engine.client) {
      const client = engine.client
      cleanups.push(async () => (await client()).deleteIndex(indexUid))
    }
    const health = await engine.health()
    if (!health.ok) {
      await close()
      return { reason: `Meilisearch is not healthy: ${health.detail ?? 'no detail'}` }
    }
    await engine.upsert(await evalSearchDocs(loaded))
    return { engine, close }
  } catch (error) {
    await close()
    return { reason: `Meilisearch: ${firstLine(error)}` }
  }
}

// ─── Evaluation ─────────────────────────────────────────────────────────────────────

async function evaluate(system: System, demands: EvalDemand[]): Promise<Outcome[]> {
  await system.answer(demands[0]!) // warm-up (dictionaries, query plans), not timed
  const outcomes: Outcome[] = []
  for (const demand of demands) {
    const started = performance.now()
    const answer = await system.answer(demand)
    outcomes.push({ demand, answer, ms: performance.now() - started })
  }
  return outcomes
}

interface Row {
  name: string
  ndcg: number | null
  mrr: number | null
  recall: number | null
  ngmAccuracy: number | null
  ngm: ReturnType<typeof noGoodMatchCounts> | null
  /** Per demand, how many of the (at most K) listed achievements have nothing to do with it. */
  unrelated: number | null
  latencyMs: number | null
  unavailable?: string
}

function summarise(name: string, outcomes: Outcome[], grades: Record<string, Grades>): Row {
  // Ranking metrics over the demands that have a good answer; nDCG too, so that all three
  // describe the same demands. The others are judged by the no-good-match verdict alone.
  const answerable = outcomes.filter((o) => hasGoodAnswer(grades[o.demand.id] ?? {}))
  const ids = (o: Outcome) => o.answer.ranked.map((r) => r.id)
  const verdicts = outcomes.map((o) => ({ predictedNoGoodMatch: o.answer.noGoodMatch, actuallyNone: !hasGoodAnswer(grades[o.demand.id] ?? {}) }))
  return {
    name,
    ndcg: meanOf(answerable.map((o) => ndcgAt(K, ids(o), grades[o.demand.id]!))),
    mrr: meanOf(answerable.map((o) => reciprocalRank(ids(o), grades[o.demand.id]!))),
    recall: meanOf(answerable.map((o) => recallAt(K, ids(o), grades[o.demand.id]!))),
    ngmAccuracy: noGoodMatchAccuracy(verdicts),
    ngm: noGoodMatchCounts(verdicts),
    unrelated: meanOf(outcomes.map((o) => ids(o).slice(0, K).filter((id) => !((grades[o.demand.id] ?? {})[id]! >= 1)).length)),
    latencyMs: meanOf(outcomes.map((o) => o.ms)),
  }
}

// ─── Output ─────────────────────────────────────────────────────────────────────────

const fmt = (v: number | null, digits = 3) => (v === null ? '–' : v.toFixed(digits))

function printTable(rows: Row[]) {
  const header = ['system', `nDCG@${K}`, 'MRR', `recall@${K}`, 'no-good-match acc.', 'caught', 'false alarms', 'unrelated listed', 'latency/demand']
  const cells = rows.map((r) =>
    r.unavailable
      ? [r.name, `not available: ${r.unavailable}`]
      : [
          r.name,
          fmt(r.ndcg),
          fmt(r.mrr),
          fmt(r.recall),
          fmt(r.ngmAccuracy),
          r.ngm ? `${r.ngm.caught}/${r.ngm.caught + r.ngm.missed}` : '–',
          r.ngm ? `${r.ngm.falseAlarms}/${r.ngm.falseAlarms + r.ngm.answered}` : '–',
          fmt(r.unrelated, 1),
          r.latencyMs === null ? '–' : `${r.latencyMs.toFixed(1)} ms`,
        ],
  )
  const widths = header.map((h, i) => Math.max(h.length, ...cells.filter((c) => c.length > 2).map((c) => (c[i] ?? '').length)))
  const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ')
  console.log(line(header))
  console.log(widths.map((w) => '─'.repeat(w)).join('  '))
  for (const c of cells) console.log(c.length === 2 ? `${c[0]!.padEnd(widths[0]!)}  ${c[1]}` : line(c))
}

function printDetails(name: string, outcomes: Outcome[], set: EvalSet) {
  const titles = new Map(set.achievements.map((a) => [a.id, a.input.title]))
  console.log(`\n── ${name}: top 5 per demand (g = grade, * = good answer) ──`)
  for (const o of outcomes) {
    const judged = set.grades[o.demand.id] ?? {}
    const good = Object.entries(judged)
      .filter(([, g]) => g >= GOOD_GRADE)
      .sort((a, b) => b[1] - a[1])
      .map(([id, g]) => `${id}(${g})`)
    const ids = o.answer.ranked.map((r) => r.id)
    const verdict = o.answer.noGoodMatch ? 'says NO GOOD MATCH' : 'lists matches'
    const truth = good.length ? `good: ${good.join(' ')}` : 'nothing good in the set'
    console.log(
      `\n${o.demand.id} ${o.demand.input.title}\n   ${truth}; ${verdict}; nDCG@${K} ${fmt(ndcgAt(K, ids, judged))}, RR ${fmt(reciprocalRank(ids, judged))}, recall@${K} ${fmt(recallAt(K, ids, judged))}`,
    )
    if (o.answer.ranked.length === 0) console.log('   (no results)')
    o.answer.ranked.slice(0, 5).forEach((r, i) => {
      const g = judged[r.id] ?? 0
      console.log(`   ${i + 1}. ${g >= GOOD_GRADE ? '*' : ' '}${r.id} g${g} ${r.score.toFixed(3).padStart(8)}  ${titles.get(r.id) ?? '(not in the set)'}`)
    })
  }
}

interface CalibrationPoint {
  top: number
  none: boolean
}

/** The threshold with the best accuracy on `points` (ties: the lowest, i.e. the fewest "no good match" verdicts). */
function bestThreshold(points: CalibrationPoint[]): { threshold: number; accuracy: number } {
  const tops = [...new Set(points.map((p) => p.top))].sort((a, b) => a - b)
  const candidates = [0, ...tops.map((t, i) => (i + 1 < tops.length ? (t + tops[i + 1]!) / 2 : t + 1))]
  let best = { threshold: 0, accuracy: -1 }
  for (const threshold of candidates) {
    const accuracy = noGoodMatchAccuracy(points.map((p) => ({ predictedNoGoodMatch: p.top < threshold, actuallyNone: p.none }))) ?? 0
    if (accuracy > best.accuracy) best = { threshold, accuracy }
  }
  return best
}

/**
 * Prints the best BM25 score of every demand, the accuracy each threshold reaches on the whole
 * set, and a leave-one-out estimate: each demand judged with the threshold chosen on the others.
 */
function printCalibration(outcomes: Outcome[], grades: Record<string, Grades>) {
  const points = outcomes
    .map((o) => ({ id: o.demand.id, top: o.answer.ranked[0]?.score ?? 0, none: !hasGoodAnswer(grades[o.demand.id] ?? {}) }))
    .sort((a, b) => a.top - b.top)
  console.log('\n── bm25: best score per demand (lowest first; N = no good answer in the set) ──')
  console.log(points.map((p) => `${p.id}${p.none ? ' N' : ''} ${p.top.toFixed(2)}`).join(' | '))
  console.log('\nthreshold  accuracy  caught  false alarms')
  const tops = points.map((p) => p.top)
  for (const t of [0, ...tops.map((top, i) => (i + 1 < tops.length ? (top + tops[i + 1]!) / 2 : top + 1))]) {
    const verdicts = points.map((p) => ({ predictedNoGoodMatch: p.top < t, actuallyNone: p.none }))
    const c = noGoodMatchCounts(verdicts)
    console.log(`${t.toFixed(2).padStart(9)}  ${fmt(noGoodMatchAccuracy(verdicts)).padStart(8)}  ${String(c.caught).padStart(6)}  ${String(c.falseAlarms).padStart(12)}`)
  }
  const best = bestThreshold(points)
  const loo = points.map((p, i) => {
    const { threshold } = bestThreshold(points.filter((_, j) => j !== i))
    return { predictedNoGoodMatch: p.top < threshold, actuallyNone: p.none }
  })
  const never = noGoodMatchAccuracy(points.map((p) => ({ predictedNoGoodMatch: false, actuallyNone: p.none })))
  console.log(
    `\nbest on the whole set: < ${best.threshold.toFixed(2)} → ${fmt(best.accuracy)}; leave-one-out: ${fmt(noGoodMatchAccuracy(loo))} ` +
      `(${noGoodMatchCounts(loo).caught} caught, ${noGoodMatchCounts(loo).falseAlarms} false alarms); never saying it: ${fmt(never)}.`,
  )
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!
}

// ─── Main ───────────────────────────────────────────────────────────────────────────

async function main() {
  const set = loadEvalSet()
  const none = set.demands.filter((d) => !hasGoodAnswer(set.grades[d.id] ?? {})).length
  const started = performance.now()
  let loaded: LoadedEval | null = null
  let loadError: string | null = null
  try {
    loaded = await loadEvalData(await openEvalDatabase(), set)
  } catch (error) {
    loadError = firstLine(error)
    console.error(error)
  }
  console.log(
    `Evaluation set: ${set.achievements.length} achievements, ${set.demands.length} demands ` +
      `(${set.demands.length - none} with a good answer, ${none} without); ` +
      (loaded ? `loaded into in-memory PGlite in ${((performance.now() - started) / 1000).toFixed(1)} s.` : 'NOT loaded into the database.'),
  )
  console.log(`Ranking metrics over the ${set.demands.length - none} demands with a good answer (grade ≥ ${GOOD_GRADE}); no-good-match accuracy over all ${set.demands.length}.\n`)

  const candidates: Availability[] = [
    { system: bm25System(set) },
    await matcherSystem('embedded', loaded, loadError),
    await matcherSystem('meilisearch', loaded, loadError),
    await unthresholdedSystem(loaded, loadError),
    await searchBoxSystem(loaded, loadError),
  ]
  const rows: Row[] = []
  const details: { name: string; outcomes: Outcome[] }[] = []
  for (const candidate of candidates) {
    if ('unavailable' in candidate) {
      rows.push({ name: candidate.name, ndcg: null, mrr: null, recall: null, ngmAccuracy: null, ngm: null, unrelated: null, latencyMs: null, unavailable: candidate.unavailable })
      continue
    }
    const { system } = candidate
    try {
      const outcomes = await evaluate(system, set.demands)
      rows.push(summarise(system.name, outcomes, set.grades))
      details.push({ name: system.name, outcomes })
    } catch (error) {
      rows.push({ name: system.name, ndcg: null, mrr: null, recall: null, ngmAccuracy: null, ngm: null, unrelated: null, latencyMs: null, unavailable: `failed: ${firstLine(error)}` })
    } finally {
      await system.close?.()
    }
  }

  printTable(rows)
  console.log(
    `\ncaught: said "no good match" / demands with none in the set; false alarms: said it / demands with a good answer; ` +
      `unrelated listed: per demand, listed achievements graded 0 (of at most ${K}); ` +
      `nothing withheld: the matcher's candidates in the re-ranker's order, without its threshold; ` +
      `latency: mean time to match one demand (bm25: segmenting the demand and scoring it in memory). ` +
      (BM25_NO_GOOD_MATCH_BELOW === null ? 'bm25 never says "no good match".' : `bm25 says "no good match" when its best score < ${BM25_NO_GOOD_MATCH_BELOW}.`),
  )
  if (VERBOSE) for (const d of details) printDetails(d.name, d.outcomes, set)
  if (CALIBRATE) {
    const bm25 = details.find((d) => d.name === 'bm25')
    if (bm25) printCalibration(bm25.outcomes, set.grades)
  }
  await closeDb()
}

main().catch(async (error) => {
  console.error(error)
  await closeDb().catch(() => {})
  process.exit(1)
})
