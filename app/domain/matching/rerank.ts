import type { TransferMode } from '~/generated/prisma/enums'

/**
 * The re-ranker: how well an offer (an achievement) answers a need (a demand or a scenario),
 * as a score in [0, 1] with reasons a person can read. Pure: the caller segments the text.
 */
export interface Need {
  /** The need's concepts, most informative first, with their weights and alternatives. */
  concepts: { term: string; alternatives: string[]; weight: number }[]
  keywords: string[]
  field: string | null
  industry: string | null
  trlMin: number | null
  budgetFen: number | null
  modes: TransferMode[] | null
}

export interface Offer {
  /** Terms of the offer's title and keywords, and how often each term occurs in all its text. */
  titleTerms: Set<string>
  tf: Map<string, number>
  /** Number of terms in all its text. */
  length: number
  keywords: string[]
  field: string | null
  industry: string | null
  trl: number | null
  priceFen: number | null
  modes: TransferMode[] | null
}

export type ReasonCode =
  | 'terms'
  | 'synonyms'
  | 'keywords'
  | 'field'
  | 'industry'
  | 'trl'
  | 'price'
  | 'modes'
  | 'missing'

export interface Reason {
  code: ReasonCode
  fit: boolean
  params: Record<string, string | number>
}

export interface Scored {
  score: number
  /** 'none': not good enough to list on its own (see keepListed). */
  confidence: 'strong' | 'possible' | 'none'
  /** Share of the need's (weighted) concepts the offer covers: the heart of relevance. */
  coverage: number
  reasons: Reason[]
}

/** Calibrated on the evaluation set (bench/match-calibrate.ts, docs/matching-quality.md). */
export const THRESHOLDS = { strong: 0.55, possible: 0.4, minCoverage: 0.12, companion: 0.25, companionRatio: 0.55 }

/**
 * Which re-ranked candidates to list: none unless the best clears the bar (then the result
 * says "no good match"); with it, those close to the best, which are often a second good answer.
 */
export function keepListed<T extends Scored>(ranked: T[]): T[] {
  const best = ranked[0]
  if (!best || best.confidence === 'none') return []
  const floor = Math.max(THRESHOLDS.companion, best.score * THRESHOLDS.companionRatio)
  return ranked.filter((c) => c.coverage >= THRESHOLDS.minCoverage && c.score >= floor)
}

const WEIGHTS = { text: 0.6, keywords: 0.1, field: 0.08, industry: 0.08, trl: 0.06, price: 0.04, modes: 0.04 }

// BM25's term-frequency saturation: the second mention of a term says less than the first.
const K1 = 1.2
const B = 0.75

export function rerank(need: Need, offer: Offer, { avgLength = offer.length }: { avgLength?: number } = {}): Scored {
  const reasons: Reason[] = []
  let covered = 0
  let total = 0
  const matched: string[] = []
  const viaSynonym: string[] = []
  const missing: string[] = []
  const norm = K1 * (1 - B + (B * offer.length) / Math.max(avgLength, 1))
  for (const concept of need.concepts) {
    total += concept.weight
    const inTitle = offer.titleTerms.has(concept.term) || concept.alternatives.some((a) => offer.titleTerms.has(a))
    let tf = offer.tf.get(concept.term) ?? 0
    let evidence = 1
    if (tf === 0) {
      // A part of a compound (机床 for 数控机床) or a synonym (CNC) is good evidence, not as good.
      const alt = concept.alternatives.find((a) => (offer.tf.get(a) ?? 0) > 0)
      if (!alt) {
        missing.push(concept.term)
        continue
      }
      tf = offer.tf.get(alt)!
      evidence = 0.7
      viaSynonym.push(`${alt}≈${concept.term}`)
    } else {
      matched.push(concept.term)
    }
    const saturation = (tf * (K1 + 1)) / (tf + norm) / (K1 + 1)
    covered += concept.weight * evidence * (0.6 + 0.4 * saturation) * (inTitle ? 1 : 0.85)
  }
  const coverage = total > 0 ? covered / total : 0
  if (matched.length) reasons.push({ code: 'terms', fit: true, params: { terms: matched.slice(0, 6).join('、') } })
  if (viaSynonym.length) reasons.push({ code: 'synonyms', fit: true, params: { terms: viaSynonym.slice(0, 4).join('、') } })
  if (missing.length && coverage < 0.8) reasons.push({ code: 'missing', fit: false, params: { terms: missing.slice(0, 4).join('、') } })

  const needKeywords = new Set(need.keywords.map((k) => k.toLowerCase()))
  const shared = offer.keywords.filter((k) => needKeywords.has(k.toLowerCase()))
  const keywordScore = needKeywords.size ? Math.min(1, shared.length / Math.min(3, needKeywords.size)) : coverage
  if (shared.length) reasons.push({ code: 'keywords', fit: true, params: { keywords: shared.join('、') } })

  const fieldFit = need.field && offer.field ? need.field === offer.field : null
  if (fieldFit !== null) reasons.push({ code: 'field', fit: fieldFit, params: { need: need.field!, offer: offer.field! } })
  const industryFit = need.industry && offer.industry ? need.industry === offer.industry : null
  if (industryFit !== null) reasons.push({ code: 'industry', fit: industryFit, params: { need: need.industry!, offer: offer.industry! } })

  let trlScore = 0.5
  if (need.trlMin !== null && offer.trl !== null) {
    const gap = need.trlMin - offer.trl
    trlScore = gap <= 0 ? 1 : Math.max(0, 1 - gap / 3)
    reasons.push({ code: 'trl', fit: gap <= 0, params: { offer: offer.trl, need: need.trlMin } })
  } else if (offer.trl !== null) {
    trlScore = 0.4 + offer.trl / 15
  }

  let priceScore = 0.5
  if (need.budgetFen !== null && offer.priceFen !== null) {
    const ratio = offer.priceFen / Math.max(need.budgetFen, 1)
    priceScore = ratio <= 1 ? 1 : Math.max(0, 1 - (ratio - 1))
    reasons.push({ code: 'price', fit: ratio <= 1, params: { offer: offer.priceFen, need: need.budgetFen } })
  }

  let modeScore = 0.5
  if (need.modes?.length && offer.modes?.length) {
    const common = offer.modes.filter((m) => need.modes!.includes(m))
    modeScore = common.length ? 1 : 0
    reasons.push({ code: 'modes', fit: common.length > 0, params: { modes: (common.length ? common : offer.modes).join(',') } })
  }

  const score =
    WEIGHTS.text * coverage +
    WEIGHTS.keywords * keywordScore +
    WEIGHTS.field * (fieldFit === null ? 0.5 : fieldFit ? 1 : 0) +
    WEIGHTS.industry * (industryFit === null ? 0.5 : industryFit ? 1 : 0) +
    WEIGHTS.trl * trlScore +
    WEIGHTS.price * priceScore +
    WEIGHTS.modes * modeScore
  const rounded = Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000
  const confidence =
    coverage < THRESHOLDS.minCoverage ? 'none' : rounded >= THRESHOLDS.strong ? 'strong' : rounded >= THRESHOLDS.possible ? 'possible' : 'none'
  // Listed beside a better match, a candidate under the bar is still a possibility.
  return { score: rounded, confidence, coverage, reasons }
}
