import type { TransferMode } from '~/generated/prisma/enums'
import { AppError } from '~/domain/errors'
import { INDUSTRIES, TECH_FIELDS, TRANSFER_MODES } from '~/domain/listings/classifications'
import type { ListingKind } from '~/domain/listings/kinds'
import { delegate, isOwner } from '~/domain/listings/listings.server'
import type { Actor } from '~/domain/users/accounts.server'
import { can } from '~/domain/users/permissions'
import { translator, type Locale } from '~/i18n/i18n'
import { prisma } from '~/infra/db/client.server'
import type { SearchDoc, SearchEngine, SearchRequest } from '~/infra/search/engine'
import { getSearchEngines } from '~/infra/search/engines.server'
import { queryConcepts, segment } from '~/infra/search/text.server'
import { corpusStats, type CorpusStats } from './corpus.server'
import { keepListed, rerank, type Need, type Offer, type Reason } from './rerank'

/**
 * Matching: candidates from the search engine, then the re-ranker, which decides. Below the
 * threshold nothing is listed, and the result says so instead of padding the list.
 *   demand → achievements, scenario → achievements, achievement → demands.
 */
export const MATCH_TARGET: Record<ListingKind, ListingKind> = { demand: 'achievement', scenario: 'achievement', achievement: 'demand' }
const CANDIDATES = 60

export interface MatchItem {
  listing: { kind: ListingKind; id: string; externalId: string | null; title: string; orgName: string }
  score: number
  confidence: 'strong' | 'possible'
  reasons: (Reason & { text: string })[]
}

export interface MatchResult {
  source: { kind: ListingKind; id: string; externalId: string | null; title: string }
  noGoodMatch: boolean
  matches: MatchItem[]
  engine: string
}

/** Who sees a listing's matches: its owner, brokers and the bureau (and the command line). */
export function canSeeMatches(actor: Actor | null | undefined, row: { orgId: string }) {
  return !!actor && (isOwner(actor, row) || can(actor.role, 'listing:confidential'))
}

type Row = Record<string, unknown> & { id: string; orgId: string; title: string; status: string; externalId: string | null; keywords: string[] }

/** Finds a listing by its id or its external id (the id of the file it was imported from). */
export async function findListingRow(kind: ListingKind, idOrExternalId: string): Promise<Row> {
  const db = await prisma()
  const rows = (await delegate(db, kind).findMany({
    where: { OR: [{ id: idOrExternalId }, { externalId: idOrExternalId }] },
    take: 2,
  })) as Row[]
  const exact = rows.find((r) => r.id === idOrExternalId) ?? (rows.length === 1 ? rows[0] : undefined)
  if (!exact) throw new AppError('NOT_FOUND', rows.length > 1 ? 'err.ambiguousId' : 'err.notFound')
  return exact
}

export async function matchListing({
  actor,
  kind,
  id,
  limit = 10,
  engine,
  locale = 'zh-CN',
}: {
  actor: Actor | null | 'system'
  kind: ListingKind
  id: string
  limit?: number
  engine?: SearchEngine
  locale?: Locale
}): Promise<MatchResult> {
  const row = await findListingRow(kind, id)
  if (actor !== 'system') {
    if (!canSeeMatches(actor, row)) throw new AppError(actor ? 'FORBIDDEN' : 'UNAUTHENTICATED', actor ? 'err.forbidden' : 'err.signInRequired')
  }
  const engines = engine ? { primary: engine, fallback: engine } : await getSearchEngines()
  let search = engines.primary
  const target = MATCH_TARGET[kind]
  const stats = await corpusStats(target)
  const need = kind === 'achievement' ? null : needOf(kind, row, stats)
  // A need's concepts are those of its text: the search takes the most informative of them.
  const request = candidateRequest(need ? need.concepts : informativeConcepts(textOfAchievement(row), stats), target)
  let response
  try {
    response = await search.search(request)
  } catch (error) {
    // Meilisearch down: the embedded engine holds the same documents.
    if (engines.fallback === search) throw error
    console.warn(`[match] ${search.name} failed, using the embedded engine: ${(error as Error).message}`)
    search = engines.fallback
    response = await search.search(request)
  }
  const t = translator(locale)
  const scored = keepListed(rankCandidates(kind, row, response.hits.map((h) => h.doc), stats, need)).slice(0, limit)
  const externalIds = await externalIdsOf(target, scored.map((s) => s.doc.listingId))
  return {
    source: { kind, id: row.id, externalId: row.externalId, title: row.title },
    noGoodMatch: scored.length === 0,
    matches: scored.map((s) => ({
      listing: { kind: target, id: s.doc.listingId, externalId: externalIds.get(s.doc.listingId) ?? null, title: s.doc.title, orgName: s.doc.orgName },
      score: s.score,
      confidence: s.confidence === 'strong' ? 'strong' : 'possible',
      reasons: s.reasons.map((r) => ({ ...r, text: reasonText(t, r) })),
    })),
    engine: search.name,
  }
}

/** The search for a listing's candidates: listings of the target kind with any of its most informative concepts. */
export function candidateRequest(concepts: SearchRequest['concepts'], target: ListingKind): SearchRequest {
  return { concepts: concepts.slice(0, RETRIEVAL_CONCEPTS), mode: 'any', filters: { kind: target }, facets: [], sort: 'relevance', offset: 0, limit: CANDIDATES }
}

/** Every candidate re-ranked, best first, including those below the threshold (calibration). */
export function rankCandidates(kind: ListingKind, row: Row, docs: SearchDoc[], stats: CorpusStats, need: Need | null) {
  return docs
    .map((doc) => {
      const result =
        kind === 'achievement'
          ? rerank(needOfDoc(doc, stats), offerOfRow(row), { avgLength: stats.avgLength })
          : rerank(need!, offerOfDoc(doc), { avgLength: stats.avgLength })
      return { doc, ...result }
    })
    .sort((a, b) => b.score - a.score)
}

async function externalIdsOf(kind: ListingKind, ids: string[]) {
  if (!ids.length) return new Map<string, string | null>()
  const db = await prisma()
  const rows = (await delegate(db, kind).findMany({ where: { id: { in: ids } }, select: { id: true, externalId: true } })) as unknown as {
    id: string
    externalId: string | null
  }[]
  return new Map(rows.map((r) => [r.id, r.externalId]))
}

function textOfNeed(kind: ListingKind, row: Row): string {
  const parts = kind === 'demand'
    ? [row.title, row.title, row.description, row.currentSituation, row.targetIndicators, (row.keywords as string[]).join(' ')]
    : [row.title, row.title, row.description, row.capability, (row.keywords as string[]).join(' ')]
  return parts.filter((p): p is string => typeof p === 'string').join('\n')
}

function textOfAchievement(row: Row): string {
  return [row.title, row.title, row.summary, (row.keywords as string[]).join(' ')].filter((p): p is string => typeof p === 'string').join('\n')
}

/**
 * A need's concepts: the re-ranker weighs up to MAX_CONCEPTS of them, the search for candidates
 * uses the RETRIEVAL_CONCEPTS most informative (each one more is a query more for Meilisearch).
 * A demand's description names its problem in more than ten informative words; weighing twenty
 * raised the evaluation set's nDCG@10 from 0.803 to 0.838 and MRR from 0.883 to 0.917;
 * searching with all twenty gave the same figures (bench/match-quality.ts).
 */
const MAX_CONCEPTS = 20
const RETRIEVAL_CONCEPTS = 10
// 5%, 300, 0.01: figures of a problem, not what it is about.
const NUMERIC = /^[\d.,%‰]+$/

/**
 * The concepts that can tell the candidates apart: those some listing of the target kind
 * uses (a word no achievement uses cannot rank achievements), weighted by how rare they are
 * there, the rarest first.
 */
export function informativeConcepts(text: string, stats: CorpusStats) {
  return queryConcepts(text, { maxConcepts: 40 })
    .concepts.map((c) => {
      const used = [c.term, ...c.alternatives].filter((t) => (stats.df.get(t) ?? 0) > 0)
      const weight = used.length ? Math.max(...used.map((t) => stats.idf(t) * (t === c.term ? 1 : 0.8))) : 0
      return { term: c.term, alternatives: c.alternatives, weight }
    })
    .filter((c) => c.weight > 0 && !NUMERIC.test(c.term))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, MAX_CONCEPTS)
}

export { needOf as needOfForCalibration }

function needOf(kind: ListingKind, row: Row, stats: CorpusStats): Need {
  return {
    concepts: informativeConcepts(textOfNeed(kind, row), stats),
    keywords: row.keywords,
    field: (row.field as string | null) ?? null,
    industry: ((kind === 'scenario' ? row.sector : row.industry) as string | null) ?? null,
    trlMin: (row.trlMin as number | null) ?? null,
    budgetFen: row.budgetFen === null || row.budgetFen === undefined ? null : Number(row.budgetFen as bigint),
    modes: kind === 'demand' ? (row.cooperationModes as TransferMode[]) : null,
  }
}

/** A demand seen through its search document: public text only, as any viewer may see it. */
function needOfDoc(doc: SearchDoc, stats: CorpusStats): Need {
  return {
    concepts: informativeConcepts(`${doc.title}\n${doc.title}\n${doc.body}\n${doc.keywords.join(' ')}`, stats),
    keywords: doc.keywords,
    field: doc.field,
    industry: doc.industry,
    trlMin: doc.trl,
    budgetFen: doc.priceFen,
    modes: doc.modes.length ? doc.modes : null,
  }
}

function termCounts(text: string) {
  const terms = segment(text)
  const tf = new Map<string, number>()
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1)
  return { tf, length: terms.length }
}

function offerOfDoc(doc: SearchDoc): Offer {
  const head = `${doc.title} ${doc.keywords.join(' ')}`
  return {
    titleTerms: new Set(segment(head)),
    ...termCounts(`${head}\n${doc.body}`),
    keywords: doc.keywords,
    field: doc.field,
    industry: doc.industry,
    trl: doc.trl,
    priceFen: doc.priceFen,
    modes: doc.modes,
  }
}

function offerOfRow(row: Row): Offer {
  const head = `${row.title} ${(row.keywords as string[]).join(' ')}`
  return {
    titleTerms: new Set(segment(head)),
    ...termCounts(`${head}\n${String(row.summary ?? '')}`),
    keywords: row.keywords,
    field: (row.field as string) ?? null,
    industry: (row.industry as string) ?? null,
    trl: (row.trl as number) ?? null,
    priceFen: row.askingPriceFen === null || row.askingPriceFen === undefined ? null : Number(row.askingPriceFen as bigint),
    modes: (row.transferModes as TransferMode[]) ?? null,
  }
}

const yuan = (fen: number) => {
  const y = fen / 100
  return y >= 100_000_000 ? `${+(y / 100_000_000).toFixed(2)}亿` : y >= 10_000 ? `${+(y / 10_000).toFixed(1)}万` : `${y}`
}

export function reasonText(t: ReturnType<typeof translator>, r: Reason): string {
  const p = r.params
  const names = (table: Record<string, string>, v: string | number) => table[String(v)] ?? String(v)
  switch (r.code) {
    case 'field':
      return t(r.fit ? 'match.reason.field.fit' : 'match.reason.field.misfit', { offer: names(TECH_FIELDS, p.offer!), need: names(TECH_FIELDS, p.need!) })
    case 'industry':
      return t(r.fit ? 'match.reason.industry.fit' : 'match.reason.industry.misfit', { offer: names(INDUSTRIES, p.offer!), need: names(INDUSTRIES, p.need!) })
    case 'price':
      return t(r.fit ? 'match.reason.price.fit' : 'match.reason.price.misfit', { offer: yuan(Number(p.offer)), need: yuan(Number(p.need)) })
    case 'modes':
      return t(r.fit ? 'match.reason.modes.fit' : 'match.reason.modes.misfit', {
        modes: String(p.modes).split(',').map((m) => names(TRANSFER_MODES, m)).join('、'),
      })
    case 'trl':
      return t(r.fit ? 'match.reason.trl.fit' : 'match.reason.trl.misfit', p)
    default:
      return t(`match.reason.${r.code}`, p)
  }
}
