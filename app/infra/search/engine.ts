import type { Industry, Stage, TechField, TransferMode } from '~/generated/prisma/enums'
import type { ListingKind } from '~/domain/listings/kinds'

/** The public, searchable face of a published listing: the same for both engines. */
export interface SearchDoc {
  id: string
  kind: ListingKind
  listingId: string
  orgId: string
  orgName: string
  regionCode: string
  province: string
  title: string
  body: string
  keywords: string[]
  field: TechField | null
  industry: Industry | null
  trl: number | null
  stage: Stage | null
  modes: TransferMode[]
  priceFen: number | null
  priceBucket: PriceBucket
  deadline: string | null
  publishedAt: string
}

export const PRICE_BUCKETS = ['negotiable', 'lt100k', '100k-500k', '500k-1m', '1m-5m', 'gte5m'] as const
export type PriceBucket = (typeof PRICE_BUCKETS)[number]

export const FACETS = ['kind', 'field', 'industry', 'trl', 'stage', 'modes', 'province', 'priceBucket'] as const
export type FacetName = (typeof FACETS)[number]

export const SEARCH_SORTS = ['relevance', 'newest', 'price_asc', 'price_desc'] as const
export type SearchSort = (typeof SEARCH_SORTS)[number]

export interface SearchFilters {
  kind?: ListingKind
  field?: TechField
  industry?: Industry
  trlMin?: number
  trlMax?: number
  stage?: Stage
  mode?: TransferMode
  province?: string
  priceBucket?: PriceBucket
  /** Leave out these listings (a listing's own match list). */
  excludeIds?: string[]
}

export interface SearchRequest {
  /** Terms already chosen by the caller (see app/infra/search/text.server.ts). */
  concepts: { term: string; alternatives: string[] }[]
  /** Whether every concept must match (short queries) or any (long ones, ranked). */
  mode: 'all' | 'any'
  filters: SearchFilters
  facets: FacetName[]
  /** Also count the matches per kind with every filter but the kind (a search page's tabs). */
  kindCounts?: boolean
  sort: SearchSort
  offset: number
  limit: number
}

export interface SearchHit {
  doc: SearchDoc
  /** The engine's own relevance, comparable within one result only. */
  score: number
}

export interface SearchResponse {
  hits: SearchHit[]
  total: number
  facets: Partial<Record<FacetName, Record<string, number>>>
  /** When asked for: kind → matches, ignoring the kind filter. */
  kindCounts?: Record<string, number>
}

export interface SearchEngine {
  readonly name: 'embedded' | 'meilisearch'
  upsert(docs: SearchDoc[]): Promise<void>
  remove(ids: string[]): Promise<void>
  search(request: SearchRequest): Promise<SearchResponse>
  health(): Promise<{ ok: boolean; detail?: string }>
}

export function priceBucketOf(fen: number | null): PriceBucket {
  if (fen === null) return 'negotiable'
  const yuan = fen / 100
  if (yuan < 100_000) return 'lt100k'
  if (yuan < 500_000) return '100k-500k'
  if (yuan < 1_000_000) return '500k-1m'
  if (yuan < 5_000_000) return '1m-5m'
  return 'gte5m'
}

export const docId = (kind: ListingKind, listingId: string) => `${kind}_${listingId}`
