import { z } from 'zod'
import type { Actor } from '~/domain/users/accounts.server'
import { codesOf, INDUSTRIES, STAGES, TECH_FIELDS, TRANSFER_MODES } from '~/domain/listings/classifications'
import { LISTING_KINDS } from '~/domain/listings/kinds'
import { msg } from '~/domain/validation/fields'
import { FACETS, PRICE_BUCKETS, SEARCH_SORTS, type SearchFilters, type SearchRequest, type SearchResponse } from '~/infra/search/engine'
import { prisma } from '~/infra/db/client.server'
import { termFrequencies } from '~/infra/search/embedded.server'
import { getSearchEngines } from '~/infra/search/engines.server'
import { queryConcepts, synonymsOf, type Concept } from '~/infra/search/text.server'
import { highlight, snippet, type Segment } from './highlight'

/** What a person (or an API client) may ask the search for. */
export const SearchQuerySchema = z.object({
  q: z.string().max(10_000, { error: msg('err.tooLong', { max: 10000 }) }).default(''),
  kind: z.enum(LISTING_KINDS, { error: msg('err.kind') }).optional(),
  field: z.enum(codesOf(TECH_FIELDS), { error: msg('err.field') }).optional(),
  industry: z.enum(codesOf(INDUSTRIES), { error: msg('err.industry') }).optional(),
  stage: z.enum(codesOf(STAGES), { error: msg('err.stage') }).optional(),
  mode: z.enum(codesOf(TRANSFER_MODES), { error: msg('err.transferMode') }).optional(),
  trl: z.coerce.number({ error: msg('err.trl') }).int({ error: msg('err.trl') }).min(1, { error: msg('err.trl') }).max(9, { error: msg('err.trl') }).optional(),
  province: z.string().regex(/^\d{2}$/, { error: msg('err.region') }).optional(),
  price: z.enum(PRICE_BUCKETS, { error: msg('err.priceBucket') }).optional(),
  sort: z.enum(SEARCH_SORTS, { error: msg('err.sort') }).default('relevance'),
  page: z.coerce.number({ error: msg('err.page') }).int({ error: msg('err.page') }).min(1, { error: msg('err.page') }).max(1000, { error: msg('err.page') }).default(1),
  pageSize: z.coerce.number({ error: msg('err.pageSize') }).int({ error: msg('err.pageSize') }).min(1, { error: msg('err.pageSize') }).max(50, { error: msg('err.pageSize') }).default(20),
})
export type SearchQuery = z.output<typeof SearchQuerySchema>

export interface SearchResultItem {
  kind: (typeof LISTING_KINDS)[number]
  id: string
  title: Segment[]
  snippet: Segment[]
  orgName: string
  regionCode: string
  field: string | null
  industry: string | null
  trl: number | null
  stage: string | null
  modes: string[]
  priceFen: number | null
  deadline: string | null
  publishedAt: string
  score: number
}

export interface SearchOutcome {
  items: SearchResultItem[]
  total: number
  /** Results per kind with the same query and filters: the tabs. */
  kindCounts: Record<(typeof LISTING_KINDS)[number], number>
  facets: SearchResponse['facets']
  engine: 'embedded' | 'meilisearch'
  /** Meilisearch failed and the embedded engine answered instead. */
  degraded: boolean
  /** Every word had to match and nothing did, so any word may match now. */
  relaxed: boolean
  pruned: boolean
  terms: string[]
  /** For an empty result: other words to try, and how many results without the filters. */
  suggestions: { terms: string[]; withoutFilters: number | null }
}

const ALL_AT_MOST = 3

export function filtersOf(query: SearchQuery): SearchFilters {
  return {
    kind: query.kind,
    field: query.field,
    industry: query.industry,
    stage: query.stage,
    mode: query.mode,
    trlMin: query.trl,
    trlMax: query.trl,
    province: query.province,
    priceBucket: query.price,
  }
}

/**
 * Searches the published listings. Short queries need every concept; when that finds
 * nothing, or the query is long (a whole demand), any concept may match, ranked by relevance.
 * Only public fields are indexed, so nothing confidential can surface here.
 */
export async function searchListings({ query }: { actor?: Actor | null; query: SearchQuery }): Promise<SearchOutcome> {
  const { concepts, pruned, long } = await searchConcepts(query.q, query.kind)
  const filters = filtersOf(query)
  const base: Omit<SearchRequest, 'mode'> = {
    concepts,
    filters,
    facets: [...FACETS].filter((f) => f !== 'kind'),
    // The tabs: matches per kind with every other filter, in the same query.
    kindCounts: true,
    sort: query.sort,
    offset: (query.page - 1) * query.pageSize,
    limit: query.pageSize,
  }
  let mode: SearchRequest['mode'] = long ? 'any' : 'all'
  let run = await runSearch({ ...base, mode })
  let relaxed = false
  if (run.response.total === 0 && mode === 'all' && concepts.length > 1) {
    mode = 'any'
    relaxed = true
    run = await runSearch({ ...base, mode })
  }
  const kindCounts = Object.fromEntries(LISTING_KINDS.map((k) => [k, run.response.kindCounts?.[k] ?? 0])) as SearchOutcome['kindCounts']
  const terms = concepts.flatMap((c) => [c.term, ...c.alternatives])
  const suggestions = { terms: [] as string[], withoutFilters: null as number | null }
  if (run.response.total === 0) {
    suggestions.terms = [...new Set(concepts.flatMap((c) => synonymsOf(c.term)))].slice(0, 6)
    const hasFilters = Object.values({ ...filters, kind: undefined }).some((v) => v !== undefined)
    if (hasFilters) {
      const loose = await runSearch({ ...base, mode, filters: { kind: filters.kind }, facets: [], kindCounts: false, offset: 0, limit: 0 }, run.engineName)
      suggestions.withoutFilters = loose.response.total
    }
  }
  return {
    items: run.response.hits.map(({ doc, score }) => ({
      kind: doc.kind,
      id: doc.listingId,
      title: highlight(doc.title, terms),
      snippet: snippet(doc.body, terms),
      orgName: doc.orgName,
      regionCode: doc.regionCode,
      field: doc.field,
      industry: doc.industry,
      trl: doc.trl,
      stage: doc.stage,
      modes: doc.modes,
      priceFen: doc.priceFen,
      deadline: doc.deadline,
      publishedAt: doc.publishedAt,
      score,
    })),
    total: run.response.total,
    kindCounts,
    facets: run.response.facets,
    engine: run.engineName,
    degraded: run.degraded,
    relaxed,
    pruned,
    terms: concepts.map((c) => c.term),
    suggestions,
  }
}

/** A long query (a demand pasted whole) keeps at most this many concepts. */
const MAX_CONCEPTS = 10

/**
 * The concepts of a query. A short one keeps them all: each must match. A long one (more than
 * ALL_AT_MOST, any of which may match) keeps the MAX_CONCEPTS most informative of those some
 * listing uses (SearchTermStat): a word no listing uses (二十几, 每班) can neither find nor rank
 * anything, and would take the place of one that can. On the evaluation set, a demand pasted
 * into the box finds its achievements with nDCG@10 0.830 instead of 0.743 (bench/match-quality).
 */
export async function searchConcepts(q: string, kind?: SearchQuery['kind']): Promise<{ concepts: Concept[]; pruned: boolean; long: boolean }> {
  const { concepts: all } = queryConcepts(q, { maxConcepts: Infinity, generalParts: false })
  if (all.length <= ALL_AT_MOST) return { concepts: all, pruned: false, long: false }
  const df = await termFrequencies(await prisma(), [...new Set(all.flatMap((c) => [c.term, ...c.alternatives]))], kind)
  const used = all.filter((c) => [c.term, ...c.alternatives].some((w) => (df.get(w) ?? 0) > 0))
  const concepts = (used.length ? used : all).slice(0, MAX_CONCEPTS)
  return { concepts, pruned: concepts.length < all.length, long: true }
}

/** Asks the configured engine; when Meilisearch fails, the embedded engine answers. */
async function runSearch(request: SearchRequest, prefer?: 'embedded' | 'meilisearch') {
  const { primary, fallback } = await getSearchEngines()
  const engine = prefer === 'embedded' ? fallback : primary
  try {
    return { response: await engine.search(request), engineName: engine.name, degraded: false }
  } catch (error) {
    if (engine === fallback) throw error
    console.warn(`[search] ${engine.name} failed, answering from the embedded engine: ${(error as Error).message}`)
    return { response: await fallback.search(request), engineName: fallback.name, degraded: true }
  }
}
