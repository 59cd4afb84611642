import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  Meilisearch,
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
  type EnqueuedTaskPromise,
  type Settings,
  type Task,
} from 'meilisearch'
import { LISTING_KINDS } from '~/domain/listings/kinds'
import { Industry, Stage, TechField, TransferMode } from '~/generated/prisma/enums'
import { getEnv } from '~/infra/env.server'
import { FACETS, PRICE_BUCKETS, type FacetName, type SearchDoc, type SearchEngine, type SearchFilters, type SearchRequest, type SearchResponse } from './engine'
import { ensureLocalMeilisearch, MeilisearchStartError } from './meili-process.server'
import { normalizeTerm, SEARCH_DIR, segment, synonymsOf } from './text.server'

/**
 * The Meilisearch engine. Same port, same behaviour as the embedded engine (one contract test
 * suite runs against both, see contract.ts):
 *
 * - Text is segmented by our jieba (text.server.ts) into `segmented.*`, the only searchable
 *   attributes, exactly as the embedded engine segments its tsvector. Meilisearch's own
 *   Chinese segmenter splits differently (it misses 电池 in 锂电池, 铸件 in 压铸件), so
 *   relying on it would make the two engines disagree.
 * - Meilisearch's query language has no OR, and a concept matches when its term OR one of its
 *   alternatives does. So one request becomes one federated multi-search: several queries
 *   whose results Meilisearch merges, deduplicates, counts, facets and sorts as one list.
 *   'all': one query per combination of one matcher per concept; 'any': one query per matcher,
 *   plus one with every term (matchingStrategy 'last') that ranks documents matching more
 *   concepts first.
 * - Filters are built only from validated values and always quoted; a value that fails
 *   validation cannot match anything, so the answer is empty, as with the embedded engine.
 */

const PRIMARY_KEY = 'id'
const DEFAULT_TASK_TIMEOUT_MS = 60_000
const DEFAULT_REQUEST_TIMEOUT_MS = 5_000
/** At most this many queries in one federated search; beyond it alternatives are dropped. */
export const MAX_QUERIES = 32

// --- Settings (search/meilisearch.json + synonyms.json + stopwords.txt) --------------------

export interface IndexConfig {
  index: string
  primaryKey: string
  settings: Settings
}

interface SettingsFile {
  index: string
  primaryKey: string
  synonyms?: string
  stopWords?: string
  settings: Settings
}

export function loadIndexConfig(dir = SEARCH_DIR): IndexConfig {
  const file = JSON.parse(readFileSync(path.join(dir, 'meilisearch.json'), 'utf8')) as SettingsFile
  const settings: Settings = { ...file.settings }
  if (file.synonyms) {
    const { groups } = JSON.parse(readFileSync(path.join(dir, file.synonyms), 'utf8')) as { groups: string[][] }
    settings.synonyms = synonymMap(groups)
  }
  if (file.stopWords) {
    settings.stopWords = [...new Set(readLines(path.join(dir, file.stopWords)).map(normalizeTerm))].sort()
  }
  return { index: file.index, primaryKey: file.primaryKey ?? PRIMARY_KEY, settings }
}

/** Every word of a group a synonym of every other (a word in two groups gets both). */
export function synonymMap(groups: string[][]): Record<string, string[]> {
  const map = new Map<string, Set<string>>()
  for (const group of groups) {
    const words = [...new Set(group.map(normalizeTerm).filter(Boolean))]
    for (const word of words) {
      const set = map.get(word) ?? new Set<string>()
      for (const other of words) if (other !== word) set.add(other)
      map.set(word, set)
    }
  }
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([w, set]) => [w, [...set].sort()]))
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
}

// --- Documents -----------------------------------------------------------------------------

/** What Meilisearch stores: the SearchDoc, a sortable date, and our segmentation of the text. */
export type MeiliDoc = Omit<SearchDoc, 'priceFen'> & {
  /** Absent when null: Meilisearch sorts documents without the field last, both ways. */
  priceFen?: number
  publishedAtTs: number
  segmented: { title: string; keywords: string; body: string; orgName: string }
}

const DOC_FIELDS = [
  'id', 'kind', 'listingId', 'orgId', 'orgName', 'regionCode', 'province', 'title', 'body', 'keywords', 'field',
  'industry', 'trl', 'stage', 'modes', 'priceFen', 'priceBucket', 'deadline', 'publishedAt',
] as const satisfies readonly (keyof SearchDoc)[]

export function toMeiliDoc(doc: SearchDoc): MeiliDoc {
  const { priceFen, ...rest } = doc
  const terms = (text: string) => segment(text).join(' ')
  return {
    ...rest,
    ...(priceFen === null ? {} : { priceFen }),
    publishedAtTs: new Date(doc.publishedAt).getTime(),
    segmented: {
      title: terms(doc.title),
      keywords: doc.keywords.map(terms).join(' '),
      body: terms(doc.body),
      orgName: terms(doc.orgName),
    },
  }
}

export function fromMeiliDoc(hit: Record<string, unknown>): SearchDoc {
  const doc = Object.fromEntries(DOC_FIELDS.map((k) => [k, hit[k] ?? null])) as unknown as SearchDoc
  doc.keywords = (hit.keywords as string[] | undefined) ?? []
  doc.modes = (hit.modes as SearchDoc['modes'] | undefined) ?? []
  return doc
}

// --- Filters ---------------------------------------------------------------------------------

/** A filter value in double quotes; `"` and `\` escaped, so that nothing in it is syntax. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

const ALLOWED = {
  kind: new Set<string>(LISTING_KINDS),
  field: new Set<string>(Object.values(TechField)),
  industry: new Set<string>(Object.values(Industry)),
  stage: new Set<string>(Object.values(Stage)),
  mode: new Set<string>(Object.values(TransferMode)),
  priceBucket: new Set<string>(PRICE_BUCKETS),
}

/**
 * The filter expressions (ANDed) for validated values only. null: a value cannot be valid
 * (an unknown kind, a province that is not two digits …), so nothing matches, as in the
 * embedded engine, where the same value is compared as a bound parameter.
 */
export function buildFilter(filters: SearchFilters): string[] | null {
  const out: string[] = []
  /** Adds `attribute = "value"`; false when the value cannot be valid. */
  const equals = (attribute: string, value: unknown, valid: (v: string) => boolean) => {
    if (value === undefined || value === null || value === '') return true // no filter, as in the embedded engine
    if (typeof value !== 'string' || !valid(value)) return false
    out.push(`${attribute} = ${quoteFilterValue(value)}`)
    return true
  }
  const among = (set: Set<string>) => (v: string) => set.has(v)
  const ok =
    equals('kind', filters.kind, among(ALLOWED.kind)) &&
    equals('field', filters.field, among(ALLOWED.field)) &&
    equals('industry', filters.industry, among(ALLOWED.industry)) &&
    equals('stage', filters.stage, among(ALLOWED.stage)) &&
    equals('modes', filters.mode, among(ALLOWED.mode)) &&
    equals('priceBucket', filters.priceBucket, among(ALLOWED.priceBucket)) &&
    equals('province', filters.province, (v) => /^\d{2}$/.test(v))
  if (!ok) return null
  for (const [bound, op] of [[filters.trlMin, '>='], [filters.trlMax, '<=']] as const) {
    if (bound === undefined) continue
    if (!Number.isSafeInteger(bound)) return null
    out.push(`trl ${op} ${bound}`)
  }
  const excluded = (filters.excludeIds ?? []).filter((id): id is string => typeof id === 'string')
  if (excluded.length) out.push(`NOT id IN [${excluded.map(quoteFilterValue).join(', ')}]`)
  return out
}

// --- Queries ---------------------------------------------------------------------------------

export interface PlannedQuery {
  q: string
  matchingStrategy: 'all' | 'last'
  weight: number
}

const MEANINGFUL = /[\p{L}\p{N}]/u
const LONE_LATIN = /^[a-z]$/
let stopwords: Set<string> | undefined

/**
 * Whether a term can occur in an index at all: the embedded engine never indexes stop words,
 * lone Latin letters or terms without a letter or digit (see segment()), so it cannot match
 * them; neither may we.
 */
function indexable(term: string): boolean {
  stopwords ??= new Set(readLines(path.join(SEARCH_DIR, 'stopwords.txt')).map(normalizeTerm))
  return term.length > 0 && term.length <= 40 && MEANINGFUL.test(term) && !LONE_LATIN.test(term) && !stopwords.has(term)
}

/** A term as Meilisearch query text: quotes would start a phrase and a leading - negates. */
function queryText(term: string): string {
  return term.replace(/"/g, ' ').replace(/(^|\s)-+/g, '$1').replace(/\s+/g, ' ').trim()
}

/**
 * The federated queries for a request. null: nothing can match (in 'all' mode a concept has
 * no term that can be indexed: emoji, punctuation, a stop word), as in the embedded engine.
 * [] : no concepts: browse everything that passes the filters.
 */
export function planQueries(
  concepts: SearchRequest['concepts'],
  mode: SearchRequest['mode'],
  { maxQueries = MAX_QUERIES, synonyms = synonymsOf }: { maxQueries?: number; synonyms?: (term: string) => string[] } = {},
): PlannedQuery[] | null {
  const given = concepts.filter((c) => [c.term, ...c.alternatives].some((t) => t && t.length > 0))
  if (given.length === 0) return []
  let matchers = given.map((c) => unique([c.term, ...c.alternatives].filter(Boolean).map(normalizeTerm).filter(indexable).map(queryText).filter(Boolean)))
  if (mode === 'all' && matchers.some((m) => m.length === 0)) return null
  matchers = matchers.filter((m) => m.length > 0)
  if (matchers.length === 0) return null

  const count = () => (mode === 'all' ? matchers.reduce((n, m) => n * m.length, 1) : matchers.reduce((n, m) => n + m.length, 0) + 1)
  // Too many queries: first leave synonyms to Meilisearch's synonyms setting (the same
  // synonyms.json), then drop the parts of the least informative concepts (they come last).
  if (count() > maxQueries) matchers = matchers.map((m) => withoutSynonyms(m, synonyms))
  for (let i = matchers.length - 1; i >= 0 && count() > maxQueries; i--) matchers[i] = matchers[i].slice(0, 1)

  const terms = matchers.map((m) => m[0])
  if (mode === 'all') {
    const out: PlannedQuery[] = []
    const walk = (i: number, chosen: string[], alternativesUsed: number) => {
      if (i === matchers.length) {
        out.push({ q: chosen.join(' '), matchingStrategy: 'all', weight: Math.max(0.5, 1 - 0.05 * alternativesUsed) })
        return
      }
      matchers[i].forEach((m, j) => walk(i + 1, [...chosen, m], alternativesUsed + (j === 0 ? 0 : 1)))
    }
    walk(0, [], 0)
    return dedupe(out)
  }
  // 'any': the union of every matcher. The query with all terms and matchingStrategy 'last'
  // ranks a document by how many concepts it has; the caller orders concepts most
  // informative first, so 'last' drops the least informative first. ('frequency' would
  // depend on the index's statistics and differ between a fresh and a full index.)
  const share = 1 / matchers.length
  const out: PlannedQuery[] = matchers.length > 1 ? [{ q: terms.join(' '), matchingStrategy: 'last', weight: 1 }] : []
  matchers.forEach((m) => m.forEach((t, j) => out.push({ q: t, matchingStrategy: 'all', weight: share * (j === 0 ? 1 : 0.95) })))
  return dedupe(out)
}

function withoutSynonyms(matchers: string[], synonyms: (term: string) => string[]): string[] {
  const kept: string[] = []
  for (const m of matchers) if (!kept.some((k) => synonyms(k).includes(m))) kept.push(m)
  return kept
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)]
}

function dedupe(queries: PlannedQuery[]): PlannedQuery[] {
  const seen = new Map<string, PlannedQuery>()
  for (const q of queries) {
    const key = `${q.matchingStrategy}\u0000${q.q}`
    const prior = seen.get(key)
    if (!prior || prior.weight < q.weight) seen.set(key, q)
  }
  return [...seen.values()]
}

const SORTS: Record<SearchRequest['sort'], string[] | undefined> = {
  relevance: undefined,
  newest: ['publishedAtTs:desc'],
  price_asc: ['priceFen:asc'],
  price_desc: ['priceFen:desc'],
}

function emptyResponse(facets: FacetName[]): SearchResponse {
  return { hits: [], total: 0, facets: Object.fromEntries(facets.map((f) => [f, {}])) }
}

// --- Connection, tasks, index ------------------------------------------------------------

/** Where the app's Meilisearch is: MEILI_URL, or the bundled one started for this data directory. */
export async function meiliConnection(): Promise<{ url: string; apiKey?: string; local: boolean }> {
  const env = getEnv()
  if (env.MEILI_URL) return { url: env.MEILI_URL, apiKey: env.MEILI_MASTER_KEY, local: false }
  const local = await ensureLocalMeilisearch()
  return { url: local.url, apiKey: local.apiKey, local: true }
}

export function isMeiliError(error: unknown, code: string): boolean {
  return error instanceof MeilisearchApiError && error.cause?.code === code
}

/**
 * Whether `error` says that Meilisearch cannot be used now (unreachable, timing out,
 * overloaded, failing, refusing the key, the bundled binary not starting) rather than that it
 * rejected what was sent: worth waiting for, not worth giving up on.
 */
export function isMeiliUnavailable(error: unknown): boolean {
  if (error instanceof MeilisearchApiError) {
    const status = error.response?.status ?? 0
    return status >= 500 || [401, 403, 408, 429].includes(status)
  }
  return (
    error instanceof MeilisearchRequestError ||
    error instanceof MeilisearchRequestTimeOutError ||
    error instanceof MeilisearchTaskTimeOutError ||
    error instanceof MeilisearchStartError
  )
}

/** Waits for a task and turns a failed one into an error. */
export async function settle(task: EnqueuedTaskPromise, what: string, timeout = DEFAULT_TASK_TIMEOUT_MS): Promise<Task> {
  const done = await task.waitTask({ timeout })
  if (done.status !== 'succeeded') throw new Error(`Meilisearch ${what}: task ${done.uid} ${done.status}${done.error ? `: ${done.error.message}` : ''}`)
  return done
}

/**
 * Creates the index with the settings when it is missing (true), leaves it alone when it
 * exists (false): changing settings of a live index is `kezhuan search setup`'s job.
 */
export async function ensureIndex(client: Meilisearch, uid: string, config = loadIndexConfig()): Promise<boolean> {
  try {
    await client.getRawIndex(uid)
    return false
  } catch (error) {
    if (!isMeiliError(error, 'index_not_found')) throw error
  }
  const created = await client.createIndex(uid, { primaryKey: config.primaryKey }).waitTask({ timeout: DEFAULT_TASK_TIMEOUT_MS })
  if (created.status !== 'succeeded') {
    if (created.error?.code === 'index_already_exists') return false // another process was quicker
    throw new Error(`Meilisearch create index ${uid}: ${created.error?.message ?? created.status}`)
  }
  await settle(client.index(uid).updateSettings(config.settings), `settings of ${uid}`)
  return true
}

export interface SettingChange {
  key: string
  before: unknown
  after: unknown
}

/** What differs between the index's settings and ours (only the keys we set). */
export function diffSettings(current: Settings, wanted: Settings): SettingChange[] {
  const changes: SettingChange[] = []
  for (const [key, after] of Object.entries(wanted)) {
    const before = (current as Record<string, unknown>)[key]
    if (!sameSetting(key, before, after)) changes.push({ key, before, after })
  }
  return changes
}

const SET_LIKE = new Set(['filterableAttributes', 'sortableAttributes', 'stopWords', 'disableOnWords', 'disableOnAttributes'])

function sameSetting(key: string, actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    if (!Array.isArray(actual)) return false
    if (SET_LIKE.has(key)) return JSON.stringify([...actual].map(canonical).sort()) === JSON.stringify([...wanted].map(canonical).sort())
    return JSON.stringify(actual.map(canonical)) === JSON.stringify(wanted.map(canonical))
  }
  if (wanted && typeof wanted === 'object') {
    if (!actual || typeof actual !== 'object') return false
    if (key === 'synonyms') {
      const a = actual as Record<string, string[]>
      const w = wanted as Record<string, string[]>
      const keys = new Set([...Object.keys(a), ...Object.keys(w)])
      return [...keys].every((k) => JSON.stringify([...(a[k] ?? [])].sort()) === JSON.stringify([...(w[k] ?? [])].sort()))
    }
    return Object.entries(wanted).every(([k, v]) => sameSetting(k, (actual as Record<string, unknown>)[k], v))
  }
  return actual === wanted
}

function canonical(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v])))
  }
  return JSON.stringify(value)
}

/** `kezhuan search setup`: creates the index if needed and applies the settings that differ. */
export async function applyIndexSettings(
  client: Meilisearch,
  uid: string,
  { config = loadIndexConfig(), dryRun = false }: { config?: IndexConfig; dryRun?: boolean } = {},
): Promise<{ created: boolean; changes: SettingChange[] }> {
  if (!dryRun && (await ensureIndex(client, uid, config))) return { created: true, changes: diffSettings({}, config.settings) }
  let current: Settings = {}
  try {
    current = await client.index(uid).getSettings()
  } catch (error) {
    if (!(dryRun && isMeiliError(error, 'index_not_found'))) throw error
    return { created: true, changes: diffSettings({}, config.settings) }
  }
  const changes = diffSettings(current, config.settings)
  if (changes.length && !dryRun) {
    await settle(client.index(uid).updateSettings(Object.fromEntries(changes.map((c) => [c.key, c.after])) as Settings), `settings of ${uid}`)
  }
  return { created: false, changes }
}

// --- The engine ------------------------------------------------------------------------------

export interface MeilisearchEngineOptions {
  /** Default: MEILI_URL, or the bundled Meilisearch started for the data directory. */
  url?: string
  apiKey?: string
  /** Default: the index of search/meilisearch.json (listings). */
  indexUid?: string
  taskTimeoutMs?: number
  requestTimeoutMs?: number
}

export interface MeilisearchEngine extends SearchEngine {
  readonly name: 'meilisearch'
  readonly indexUid: string
  client(): Promise<Meilisearch>
  /** Creates the index with its settings if it is missing; true when it did. */
  ensureIndex(): Promise<boolean>
}

/**
 * A client that asks for responses as they are, not compressed. Meilisearch sends a gzip
 * response in chunks, and on a connection with nothing else to send the later chunks wait for
 * the client's delayed acknowledgement of the first: about one search in two took 40 ms more
 * (loopback, 100,000 listings: 10 ms or 50 ms for the same query). A page of hits is small
 * enough to send whole.
 */
export function meiliClient(config: { host: string; apiKey?: string; timeout?: number }): Meilisearch {
  return new Meilisearch({ ...config, requestInit: { headers: { 'Accept-Encoding': 'identity' } } })
}

export async function createMeilisearchEngine(options: MeilisearchEngineOptions = {}): Promise<MeilisearchEngine> {
  const config = loadIndexConfig()
  const indexUid = options.indexUid ?? config.index
  const taskTimeout = options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS
  let clientPromise: Promise<Meilisearch> | undefined
  let indexReady: Promise<boolean> | undefined

  // Connects lazily, so that a Meilisearch that is down (or fails to start) makes single
  // calls fail, and the app answers from the embedded engine meanwhile.
  const client = () => {
    clientPromise ??= (async () => {
      const { url, apiKey } = options.url ? { url: options.url, apiKey: options.apiKey } : await meiliConnection()
      return meiliClient({ host: url, apiKey, timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS })
    })().catch((error) => {
      clientPromise = undefined
      throw error
    })
    return clientPromise
  }
  const ensure = async () => {
    const c = await client()
    indexReady ??= ensureIndex(c, indexUid, config).catch((error) => {
      indexReady = undefined
      throw error
    })
    await indexReady
    return c
  }
  /** A lost connection to a local instance may mean it restarted elsewhere: reconnect next time. */
  const run = async <T>(fn: (c: Meilisearch) => Promise<T>): Promise<T> => {
    try {
      return await fn(await ensure())
    } catch (error) {
      if (error instanceof MeilisearchRequestError && !options.url) {
        clientPromise = undefined
        indexReady = undefined
      }
      if (isMeiliError(error, 'index_not_found')) indexReady = undefined
      throw error
    }
  }

  const engine: MeilisearchEngine = {
    name: 'meilisearch',
    indexUid,
    client,
    ensureIndex: async () => {
      const c = await client()
      indexReady = ensureIndex(c, indexUid, config)
      return indexReady
    },
    async upsert(docs) {
      if (!docs.length) return
      await run(async (c) => {
        for (let i = 0; i < docs.length; i += 1000) {
          const batch = docs.slice(i, i + 1000).map(toMeiliDoc)
          await settle(c.index<MeiliDoc>(indexUid).addDocuments(batch, { primaryKey: config.primaryKey }), 'add documents', taskTimeout)
        }
      })
    },
    async remove(ids) {
      if (!ids.length) return
      await run((c) => settle(c.index(indexUid).deleteDocuments(ids), 'delete documents', taskTimeout))
    },
    async search(request) {
      if (request.kindCounts && request.filters.kind) {
        // The tabs ignore the kind filter: a second search, alongside.
        const [main, tabs] = await Promise.all([
          engine.search({ ...request, kindCounts: false }),
          engine.search({ ...request, kindCounts: false, filters: { ...request.filters, kind: undefined }, facets: ['kind'], offset: 0, limit: 0 }),
        ])
        return { ...main, kindCounts: tabs.facets.kind ?? {} }
      }
      if (request.kindCounts) {
        // Without a kind filter, the tabs are this search's own kind facet.
        const { facets, ...rest } = await engine.search({ ...request, kindCounts: false, facets: [...new Set([...request.facets, 'kind' as const])] })
        const { kind, ...others } = facets
        return { ...rest, facets: request.facets.includes('kind') ? facets : others, kindCounts: kind ?? {} }
      }
      const plan = planQueries(request.concepts, request.mode)
      const filter = buildFilter(request.filters)
      const facets = request.facets.filter((f) => (FACETS as readonly string[]).includes(f))
      if (plan === null || filter === null) return emptyResponse(facets)
      const queries = (plan.length ? plan : [{ q: '', matchingStrategy: 'all' as const, weight: 1 }]).map((p) => ({
        indexUid,
        q: p.q,
        matchingStrategy: p.matchingStrategy,
        filter: filter.length ? filter : undefined,
        sort: SORTS[request.sort],
        locales: ['cmn' as const],
        attributesToRetrieve: [...DOC_FIELDS],
        federationOptions: { weight: p.weight },
      }))
      const response = await run((c) =>
        c.multiSearch({
          federation: { offset: request.offset, limit: request.limit, ...(facets.length ? { facetsByIndex: { [indexUid]: facets } } : {}) },
          queries,
        }),
      )
      const distribution = response.facetsByIndex?.[indexUid]?.distribution ?? {}
      return {
        hits: response.hits.map((hit) => ({
          doc: fromMeiliDoc(hit),
          score: hit._federation?.weightedRankingScore ?? hit._rankingScore ?? 0,
        })),
        total: response.estimatedTotalHits ?? response.totalHits ?? response.hits.length,
        facets: Object.fromEntries(facets.map((f) => [f, { ...(distribution[f] ?? {}) }])),
      }
    },
    async health() {
      try {
        const c = await client()
        await c.health()
        try {
          const stats = await c.index(indexUid).getStats()
          return { ok: true, detail: `${stats.numberOfDocuments} documents in ${indexUid}${stats.isIndexing ? ', indexing' : ''}` }
        } catch (error) {
          if (isMeiliError(error, 'index_not_found')) return { ok: true, detail: `index ${indexUid} missing: run \`kezhuan reindex\`` }
          throw error
        }
      } catch (error) {
        if (error instanceof MeilisearchRequestError && !options.url) clientPromise = undefined
        return { ok: false, detail: (error as Error).message.split('\n')[0] }
      }
    },
  }
  return engine
}
