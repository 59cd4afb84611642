import type { Prisma, PrismaClient } from '~/generated/prisma/client'
import { LISTING_KINDS } from '~/domain/listings/kinds'
import { Industry, Stage, TechField, TransferMode } from '~/generated/prisma/enums'
import { prisma } from '~/infra/db/client.server'
import { type FacetName, PRICE_BUCKETS, type SearchDoc, type SearchEngine, type SearchRequest, type SearchResponse } from './engine'
import { segment } from './text.server'

/**
 * The embedded engine: full-text search inside PostgreSQL/PGlite. Text is segmented in Node
 * (jieba) and stored as a tsvector literal, so PostgreSQL's own parser, whose handling of
 * Chinese depends on the server's locale, never sees it. Works the same on both databases.
 */
type Db = PrismaClient | Prisma.TransactionClient

const MAX_POSITION = 16383
const MAX_POSITIONS_PER_TERM = 64

/** A tsvector literal: title and keywords weigh A, the body B, the organisation C. */
export function tsvectorLiteral(parts: { text: string; weight: 'A' | 'B' | 'C' | 'D' }[]): string {
  const positions = new Map<string, string[]>()
  let position = 0
  for (const part of parts) {
    for (const term of segment(part.text)) {
      position = Math.min(position + 1, MAX_POSITION)
      const list = positions.get(term) ?? []
      if (list.length < MAX_POSITIONS_PER_TERM) list.push(`${position}${part.weight}`)
      positions.set(term, list)
    }
  }
  return [...positions].map(([term, list]) => `${quoteLexeme(term)}:${list.join(',')}`).join(' ')
}

function quoteLexeme(term: string): string {
  return `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`
}

/** A tsquery literal: each concept is its term or any alternative; concepts joined by & or |. */
export function tsqueryLiteral(concepts: SearchRequest['concepts'], mode: SearchRequest['mode']): string | null {
  const groups = concepts
    .map((c) => [c.term, ...c.alternatives].filter(Boolean).map(quoteLexeme))
    .filter((g) => g.length > 0)
    .map((g) => (g.length === 1 ? g[0] : `(${g.join(' | ')})`))
  if (groups.length === 0) return null
  return groups.join(mode === 'all' ? ' & ' : ' | ')
}

const COLUMNS = `id, kind, "listingId", "orgId", "orgName", "regionCode", province, title, body, keywords, terms,
  field, industry, trl, stage, modes, "priceFen", "priceBucket", deadline, "publishedAt", "updatedAt"`
const CASTS = ['', '', '', '', '', '', '', '', '', '::text[]', '::tsvector', '::"TechField"', '::"Industry"', '::int', '::"Stage"', '::"TransferMode"[]', '::bigint', '', '::date', '::timestamp']
/** Rows per INSERT: one statement for many documents (bulk loads, reindexing). */
const ROWS_PER_STATEMENT = 200

/**
 * The counts kept with the documents change in the statement that changes the documents:
 * `changed` is a CTE yielding a document's kind, terms and facet columns with n = +1 for its new
 * version and -1 for its old one. SearchTermStat holds the document frequencies of the terms;
 * SearchFacetStat the documents of each kind per facet value, of all of them and of those with
 * one other facet value (see facetValues). Rows are locked in key order, and writers take turns
 * (see inTurn).
 */
const applyDeltas = (changed: string) => `
  term_deltas AS (
    INSERT INTO "SearchTermStat" (kind, term, df)
    SELECT kind, term, sum(n)::int FROM (SELECT kind, unnest(tsvector_to_array(terms)) AS term, n FROM ${changed}) t
    GROUP BY kind, term HAVING sum(n) <> 0 ORDER BY kind, term
    ON CONFLICT (kind, term) DO UPDATE SET df = "SearchTermStat".df + EXCLUDED.df),
  facet_deltas AS (
    INSERT INTO "SearchFacetStat" (given, kind, facet, value, n)
    SELECT given, kind, facet, value, sum(n)::int FROM (${facetValues(changed)}) t
    GROUP BY given, kind, facet, value HAVING sum(n) <> 0 ORDER BY given, kind, facet, value
    ON CONFLICT (given, kind, facet, value) DO UPDATE SET n = "SearchFacetStat".n + EXCLUDED.n)`

/** The columns `applyDeltas` needs of a document. */
const COUNTED = `kind, terms, field, industry, trl, stage, "priceBucket", modes, province`
/** A document's narrow copy in SearchDocumentFacets (see the migration search_browse). */
const FACET_COLUMNS = `id, kind, field, industry, trl, stage, modes, province, "priceBucket", "priceFen", "publishedAt", "facetCode"`

/**
 * The rows (given, kind, facet, value, n) that count each row of `source`: one per facet value it
 * has (facet 'kind': its kind, which counts the documents), given '' (counted among all documents)
 * and given each other value it has but its kind, 'facet=value' (among the documents with that
 * value: what the page shows once that value is clicked). About a hundred rows per document.
 */
const facetValues = (source: string) => `
  SELECT s.kind, g.given, split_part(v.fv, '=', 1) AS facet, substr(v.fv, strpos(v.fv, '=') + 1) AS value, s.n
  FROM (SELECT kind, n, array_remove(ARRAY['field=' || field, 'industry=' || industry, 'trl=' || trl, 'stage=' || stage,
          'priceBucket=' || "priceBucket", 'province=' || province], NULL) || ARRAY(SELECT 'modes=' || m FROM unnest(modes) m) AS fv
        FROM ${source}) s,
    unnest(array_prepend('kind=' || s.kind, s.fv)) v(fv),
    unnest(array_prepend('', s.fv)) g(given)`

/** The `given` of SearchFacetStat that holds the counts for these filters, if one does. */
function statsGiven(f: SearchRequest['filters']): string | null {
  if (f.excludeIds?.length || f.trlMin !== f.trlMax) return null
  const chosen = Object.entries({ field: f.field, industry: f.industry, trl: f.trlMin, stage: f.stage, priceBucket: f.priceBucket, province: f.province, modes: f.mode })
    .filter(([, value]) => value !== undefined)
    .map(([facet, value]) => `${facet}=${value}`)
  return chosen.length > 1 ? null : (chosen[0] ?? '')
}

/** Takes the advisory lock that writers of search documents hold in turn (see inTurn). */
const TAKE_WRITERS_LOCK = 'SELECT pg_advisory_xact_lock(72190002)'

/**
 * Runs a statement that writes search documents, or recounts their statistics, holding the
 * writers' lock until its transaction ends (its own when `db` is not a transaction). Each
 * statement locks the counts it changes in key order, but a transaction that writes twice
 * (several documents, then their removals) takes them in two rounds: against a writer that
 * took some of the same counts in between, both waited for each other until PostgreSQL broke
 * the deadlock by failing one. Every write touches its kind's total anyway, so writers already
 * waited for each other's commits; now they wait at the start.
 */
async function inTurn<T>(db: Db, statement: Prisma.PrismaPromise<T>): Promise<T> {
  const lock = db.$executeRawUnsafe(TAKE_WRITERS_LOCK)
  // A transaction's client has a $transaction too, but it opens another transaction on another
  // connection: only the client itself (which has $connect) needs one of its own.
  if ('$connect' in db) return (await (db as PrismaClient).$transaction([lock, statement]))[1]
  await lock
  return statement
}

export async function writeSearchDocuments(db: Db, docs: SearchDoc[]) {
  // One statement cannot touch a row twice: the last version of a document wins.
  docs = [...new Map(docs.map((d) => [d.id, d])).values()]
  for (let start = 0; start < docs.length; start += ROWS_PER_STATEMENT) {
    const chunk = docs.slice(start, start + ROWS_PER_STATEMENT)
    const params: unknown[] = [chunk.map((d) => d.id)]
    const tuples = chunk.map((doc) => {
      const terms = tsvectorLiteral([
        { text: doc.title, weight: 'A' },
        { text: doc.keywords.join(' '), weight: 'A' },
        { text: doc.body, weight: 'B' },
        { text: doc.orgName, weight: 'C' },
      ])
      const values = [
        doc.id, doc.kind, doc.listingId, doc.orgId, doc.orgName, doc.regionCode, doc.province, doc.title, doc.body, doc.keywords, terms,
        doc.field, doc.industry, doc.trl, doc.stage, doc.modes, doc.priceFen === null ? null : String(doc.priceFen), doc.priceBucket,
        doc.deadline, doc.publishedAt,
      ]
      const placeholders = values.map((v, i) => {
        params.push(v)
        return `$${params.length}${CASTS[i]}`
      })
      return `(${placeholders.join(', ')}, now())`
    })
    // Every sub-statement sees the table as it was: `old` holds the versions being replaced.
    await inTurn(
      db,
      db.$executeRawUnsafe(
        `WITH old AS (SELECT ${COUNTED} FROM "SearchDocument" WHERE id = ANY($1::text[])),
       written AS (
         INSERT INTO "SearchDocument" (${COLUMNS}) VALUES ${tuples.join(', ')}
         ON CONFLICT (id) DO UPDATE SET "orgId" = EXCLUDED."orgId", "orgName" = EXCLUDED."orgName", "regionCode" = EXCLUDED."regionCode",
           province = EXCLUDED.province, title = EXCLUDED.title, body = EXCLUDED.body, keywords = EXCLUDED.keywords, terms = EXCLUDED.terms,
           field = EXCLUDED.field, industry = EXCLUDED.industry, trl = EXCLUDED.trl, stage = EXCLUDED.stage, modes = EXCLUDED.modes,
           "priceFen" = EXCLUDED."priceFen", "priceBucket" = EXCLUDED."priceBucket", deadline = EXCLUDED.deadline,
           "publishedAt" = EXCLUDED."publishedAt", "updatedAt" = now()
         RETURNING ${FACET_COLUMNS}, terms),
       narrow AS (
         INSERT INTO "SearchDocumentFacets" (${FACET_COLUMNS}) SELECT ${FACET_COLUMNS} FROM written
         ON CONFLICT (id) DO UPDATE SET field = EXCLUDED.field, industry = EXCLUDED.industry, trl = EXCLUDED.trl, stage = EXCLUDED.stage,
           modes = EXCLUDED.modes, province = EXCLUDED.province, "priceBucket" = EXCLUDED."priceBucket", "priceFen" = EXCLUDED."priceFen",
           "publishedAt" = EXCLUDED."publishedAt", "facetCode" = EXCLUDED."facetCode"),
       changed AS (SELECT ${COUNTED}, -1 AS n FROM old UNION ALL SELECT ${COUNTED}, 1 FROM written),
       ${applyDeltas('changed')}
       SELECT 1`,
        ...params,
      ),
    )
  }
}

export async function removeSearchDocuments(db: Db, ids: string[]) {
  if (!ids.length) return
  await inTurn(
    db,
    db.$executeRawUnsafe(
      `WITH gone AS (DELETE FROM "SearchDocument" WHERE id = ANY($1::text[]) RETURNING ${COUNTED}, -1 AS n), ${applyDeltas('gone')} SELECT 1`,
      ids,
    ),
  )
}

/** Removes the documents not rewritten since `mark` (a reindex's leftovers); returns how many. */
export async function removeSearchDocumentsBefore(db: Db, mark: string): Promise<number> {
  const [{ n }] = await inTurn(
    db,
    db.$queryRawUnsafe<{ n: number }[]>(
      `WITH gone AS (DELETE FROM "SearchDocument" WHERE "updatedAt" < $1::timestamp RETURNING ${COUNTED}, -1 AS n),
       ${applyDeltas('gone')}
       SELECT count(*)::int AS n FROM gone`,
      mark,
    ),
  )
  return Number(n)
}

/** Counts the document frequencies and facet values afresh from the documents (a reindex repairs any drift). */
export async function recountStats(db: PrismaClient) {
  await db.$transaction([
    db.$executeRawUnsafe(TAKE_WRITERS_LOCK),
    db.$executeRawUnsafe(`DELETE FROM "SearchTermStat"`),
    db.$executeRawUnsafe(
      `INSERT INTO "SearchTermStat" (kind, term, df)
       SELECT kind, term, count(*)::int FROM (SELECT kind, unnest(tsvector_to_array(terms)) AS term FROM "SearchDocument") t GROUP BY kind, term`,
    ),
    db.$executeRawUnsafe(`DELETE FROM "SearchFacetStat"`),
    db.$executeRawUnsafe(
      `INSERT INTO "SearchFacetStat" (given, kind, facet, value, n)
       SELECT given, kind, facet, value, sum(n)::int FROM (${facetValues(`(SELECT *, 1 AS n FROM "SearchDocumentFacets") d`)}) t
       GROUP BY given, kind, facet, value`,
    ),
  ])
}

/** Document frequencies of `terms` among the documents of `kind` (of every kind without one). */
export async function termFrequencies(db: Db, terms: string[], kind?: string): Promise<Map<string, number>> {
  if (!terms.length) return new Map()
  const rows = await db.$queryRawUnsafe<{ term: string; df: number }[]>(
    `SELECT term, sum(df)::int AS df FROM "SearchTermStat" WHERE term = ANY($1::text[]) ${kind ? 'AND kind = $2' : ''} GROUP BY term`,
    ...(kind ? [terms, kind] : [terms]),
  )
  return new Map(rows.map((r) => [r.term, Math.max(0, Number(r.df))]))
}

/**
 * How SearchDocument."facetCode" packs a document's facet values (the column is generated by the
 * database: see the migration search_document_scan). Digits, lowest first, each in its radix;
 * for a list, digit i (from 1) is its i-th value and 0 none; transfer modes are one bit each;
 * the province is its number. A new enum value needs a migration that extends the column.
 */
const FACET_DIGITS = [
  { facet: 'kind', radix: 4, values: LISTING_KINDS },
  { facet: 'field', radix: 16, values: Object.values(TechField) },
  { facet: 'industry', radix: 16, values: Object.values(Industry) },
  { facet: 'trl', radix: 16, values: ['1', '2', '3', '4', '5', '6', '7', '8', '9'] },
  { facet: 'stage', radix: 8, values: Object.values(Stage) },
  { facet: 'priceBucket', radix: 8, values: [...PRICE_BUCKETS] },
  { facet: 'modes', radix: 32, bits: Object.values(TransferMode) },
  { facet: 'province', radix: 100 },
] as const satisfies readonly { facet: FacetName; radix: number; values?: readonly string[]; bits?: readonly string[] }[]

/**
 * Counts the facets of the matches from their facet codes, and the kinds (the tabs) whatever
 * `kind` says; the facets, and `matched` (the total), only of the matches of `kind` when it is
 * given.
 */
function countFacets(codes: number[], names: FacetName[], kind: string | undefined) {
  const tallies = FACET_DIGITS.map((part) => new Array<number>(part.radix).fill(0))
  const kinds = new Array<number>(FACET_DIGITS[0].radix).fill(0)
  // The digit of `kind` (-1 for a kind the code does not know: nothing matches), 0 for every kind.
  const onlyKind = kind ? FACET_DIGITS[0].values.indexOf(kind as never) + 1 || -1 : 0
  let matched = 0
  for (const code of codes) {
    let rest = code
    const kindDigit = rest % FACET_DIGITS[0].radix
    kinds[kindDigit]!++
    if (onlyKind && kindDigit !== onlyKind) continue
    matched++
    for (let i = 0; i < FACET_DIGITS.length; i++) {
      const radix = FACET_DIGITS[i]!.radix
      tallies[i]![rest % radix]!++
      rest = Math.floor(rest / radix)
    }
  }
  const facets: SearchResponse['facets'] = {}
  for (const name of names) {
    const i = FACET_DIGITS.findIndex((part) => part.facet === name)
    const part = FACET_DIGITS[i]!
    const counts: Record<string, number> = {}
    if ('bits' in part) {
      // A mode's count is the sum of the tallies of the digits that have its bit.
      part.bits.forEach((mode, bit) => {
        const n = tallies[i]!.reduce((sum, t, digit) => (digit & (1 << bit) ? sum + t : sum), 0)
        if (n > 0) counts[mode] = n
      })
    } else {
      tallies[i]!.forEach((n, digit) => {
        if (n === 0 || digit === 0) return
        const value = 'values' in part ? part.values[digit - 1] : String(digit).padStart(2, '0')
        if (value !== undefined) counts[value] = n
      })
    }
    facets[name] = counts
  }
  const kindCounts = Object.fromEntries(FACET_DIGITS[0].values.map((k, i) => [k, kinds[i + 1]!] as const).filter(([, n]) => n > 0))
  return { facets, kinds: kindCounts, matched }
}

interface FacetStat {
  kind: string
  facet: string
  value: string
  n: number
}

/**
 * What countFacets gives for every document, from the counts kept in SearchFacetStat: the
 * facets (of `kind` when it is given) and the tabs. Values are listed in the same order.
 */
function facetsFromStats(stats: FacetStat[], names: FacetName[], kind: string | undefined) {
  const kinds: Record<string, number> = {}
  const counts = new Map<string, Map<string, number>>()
  for (const { kind: of, facet, value, n } of stats) {
    if (facet === 'kind') kinds[of] = n
    if (kind && of !== kind) continue
    const values = counts.get(facet) ?? new Map<string, number>()
    values.set(value, (values.get(value) ?? 0) + n)
    counts.set(facet, values)
  }
  const facets: SearchResponse['facets'] = {}
  for (const name of names) {
    const part = FACET_DIGITS.find((p) => p.facet === name)!
    const values = counts.get(name) ?? new Map<string, number>()
    const order: readonly string[] = 'values' in part ? part.values : 'bits' in part ? part.bits : [...values.keys()].sort()
    facets[name] = Object.fromEntries(order.filter((v) => values.has(v)).map((v) => [v, values.get(v)!]))
  }
  const matched = [...(counts.get('kind')?.values() ?? [])].reduce((sum, n) => sum + n, 0)
  const kindCounts = Object.fromEntries(FACET_DIGITS[0].values.filter((k) => kinds[k]).map((k) => [k, kinds[k]!]))
  return { facets, kinds: kindCounts, matched }
}

interface Row {
  id: string
  kind: SearchDoc['kind']
  listingId: string
  orgId: string
  orgName: string
  regionCode: string
  province: string
  title: string
  body: string
  keywords: string[]
  field: SearchDoc['field']
  industry: SearchDoc['industry']
  trl: number | null
  stage: SearchDoc['stage']
  modes: SearchDoc['modes'] | string
  priceFen: bigint | number | null
  priceBucket: SearchDoc['priceBucket']
  deadline: Date | string | null
  publishedAt: Date | string
  score: number
}

export function rowToDoc(row: Omit<Row, 'score'>): SearchDoc {
  const day = (d: Date | string | null) => (d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10))
  return {
    id: row.id,
    kind: row.kind,
    listingId: row.listingId,
    orgId: row.orgId,
    orgName: row.orgName,
    regionCode: row.regionCode,
    province: row.province,
    title: row.title,
    body: row.body,
    keywords: row.keywords,
    field: row.field,
    industry: row.industry,
    trl: row.trl,
    stage: row.stage,
    modes: parseEnumArray(row.modes) as SearchDoc['modes'],
    priceFen: row.priceFen === null ? null : Number(row.priceFen),
    priceBucket: row.priceBucket,
    deadline: day(row.deadline),
    publishedAt: typeof row.publishedAt === 'string' ? new Date(row.publishedAt).toISOString() : row.publishedAt.toISOString(),
  }
}

/** Enum arrays come back as arrays from one driver and as '{A,B}' text from another. */
function parseEnumArray(value: string[] | string | null): string[] {
  if (Array.isArray(value)) return value
  if (!value || value === '{}') return []
  return value.replace(/^\{|\}$/g, '').split(',')
}

export function createEmbeddedEngine(): SearchEngine {
  return {
    name: 'embedded',
    async upsert(docs) {
      await writeSearchDocuments(await prisma(), docs)
    },
    async remove(ids) {
      await removeSearchDocuments(await prisma(), ids)
    },
    async health() {
      try {
        await (await prisma()).$queryRawUnsafe('SELECT 1 FROM "SearchDocument" LIMIT 1')
        return { ok: true }
      } catch (error) {
        return { ok: false, detail: (error as Error).message.split('\n')[0] }
      }
    },
    search: searchEmbedded,
  }
}

async function searchEmbedded(request: SearchRequest): Promise<SearchResponse> {
  const db = await prisma()
  const params: unknown[] = []
  const p = (value: unknown, cast = '') => {
    params.push(value)
    return `$${params.length}${cast}`
  }
  const where: string[] = []
  const f = request.filters
  const query = tsqueryLiteral(request.concepts, request.mode)
  const ranked = query !== null && request.sort === 'relevance' && request.limit > 0
  let queryParam: string | null = null
  if (query) {
    // With the tabs counted, every tab must find its documents the same way.
    const retrieval = request.mode === 'any' ? await retrievalConcepts(db, request.concepts, request.kindCounts ? undefined : f.kind) : request.concepts
    if (retrieval === request.concepts) {
      queryParam = p(query, '::tsquery')
      where.push(`d.terms @@ ${queryParam}`)
    } else {
      where.push(`d.terms @@ ${p(tsqueryLiteral(retrieval, 'any'), '::tsquery')}`)
      if (ranked) queryParam = p(query, '::tsquery')
    }
  }
  if (f.field) where.push(`d.field = ${p(f.field, '::"TechField"')}`)
  if (f.industry) where.push(`d.industry = ${p(f.industry, '::"Industry"')}`)
  if (f.trlMin !== undefined) where.push(`d.trl >= ${p(f.trlMin, '::int')}`)
  if (f.trlMax !== undefined) where.push(`d.trl <= ${p(f.trlMax, '::int')}`)
  if (f.stage) where.push(`d.stage = ${p(f.stage, '::"Stage"')}`)
  if (f.mode) where.push(`${p(f.mode, '::"TransferMode"')} = ANY(d.modes)`)
  if (f.province) where.push(`d.province = ${p(f.province)}`)
  if (f.priceBucket) where.push(`d."priceBucket" = ${p(f.priceBucket)}`)
  if (f.excludeIds?.length) where.push(`NOT (d.id = ANY(${p(f.excludeIds, '::text[]')}))`)
  // Nothing typed, and no filter but the kind and at most one facet value (the search page before
  // anything is typed, or once a facet value is clicked): the counts kept in SearchFacetStat are
  // the tabs, the facets and the total; only the page is read.
  const given = query ? null : statsGiven(f)
  // Nothing typed but a filter: the matches are read from the documents' narrow copies, 15 MB
  // for 100,000 listings where the documents take 160 MB (PGlite, a province clicked: 68 → 17 ms
  // for the scan); the page's documents are read in full.
  const source = query || given === '' ? '"SearchDocument"' : '"SearchDocumentFacets"'
  // The tabs count the matches of every kind: then the kind filter applies after them.
  const kindFilter = f.kind ? `kind = ${p(f.kind)}` : null
  if (kindFilter && !request.kindCounts) where.push(`d.${kindFilter}`)
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const score = ranked ? `ts_rank('{0.1, 0.2, 0.4, 1.0}', d.terms, ${queryParam}, 1)` : '0'
  const order = {
    relevance: ranked ? `score DESC, "publishedAt" DESC, id` : `"publishedAt" DESC, id`,
    newest: `"publishedAt" DESC, id`,
    price_asc: `"priceFen" ASC NULLS LAST, id`,
    price_desc: `"priceFen" DESC NULLS LAST, id`,
  }[request.sort]
  // One statement, one pass over the matching documents: the matches are collected once with
  // the few columns that sorting and facets need (\`found\`; \`m\` once the kind filter is
  // applied), then counted and paged from memory; only the page's documents are read in full.
  // Facets and tabs are counted here from each match's facetCode: grouping by each facet in SQL
  // took longer than reading the whole match (PGlite, 传感器 over 100,000 listings: 49 → 36 ms).
  const countInNode = request.facets.length > 0 || !!request.kindCounts
  const counted = given !== null
    ? `(SELECT coalesce(json_agg(s), '[]') FROM (SELECT kind, facet, value, n FROM "SearchFacetStat" WHERE given = ${p(given)} AND n > 0) s) AS stats`
    : countInNode
      ? `(SELECT string_agg("facetCode"::text, ',') FROM found) AS codes`
      : '(SELECT count(*)::int FROM m) AS total'
  const pageSql =
    request.limit > 0
      ? `(SELECT coalesce(json_agg(row_to_json(x) ORDER BY x.ord), '[]') FROM (
           SELECT d.id, d.kind, d."listingId", d."orgId", d."orgName", d."regionCode", d.province, d.title, d.body, d.keywords,
             d.field, d.industry, d.trl, d.stage, d.modes::text[] AS modes, d."priceFen"::text AS "priceFen", d."priceBucket",
             d.deadline, to_char(d."publishedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "publishedAt", p.score, p.ord
           FROM (SELECT *, row_number() OVER (ORDER BY ${order}) AS ord FROM (SELECT id, score, "publishedAt", "priceFen" FROM m ORDER BY ${order}
                 LIMIT ${p(request.limit, '::int')} OFFSET ${p(request.offset, '::int')}) top) p
           JOIN "SearchDocument" d ON d.id = p.id) x) AS page`
      : `'[]'::json AS page`
  const statement = db.$queryRawUnsafe<Record<string, unknown>[]>(
    `WITH found AS ${given !== null ? 'NOT MATERIALIZED' : 'MATERIALIZED'} (
       SELECT d.id, d.kind, d."facetCode", d."priceFen", d."publishedAt", ${score}::float8 AS score
       FROM ${source} d ${whereSql}),
     m AS NOT MATERIALIZED (SELECT * FROM found ${kindFilter && request.kindCounts ? `WHERE ${kindFilter}` : ''})
     SELECT ${counted}, ${pageSql}`,
    ...params,
  )
  // The matches are held in memory, not spilled to a temporary file past PostgreSQL's default
  // 4 MB (PGlite, 53,000 matches of a province among 100,000 listings: 55 → 51 ms). And
  // the planner prices a text match like a comparison, so for a common word or a query of
  // several alternatives it reads the whole table and matches every row instead of asking the
  // GIN index (PostgreSQL: 245 ms instead of 29 ms for 传感器 | 传感 | 感器 over 100,000 rows).
  const settings = db.$executeRawUnsafe(
    `SELECT set_config('work_mem', '32MB', true)${query ? `, set_config('enable_seqscan', 'off', true)` : ''}`,
  )
  const [result] = (await db.$transaction([settings, statement]))[1]
  const row = result!
  const codes = typeof row.codes === 'string' && row.codes ? row.codes.split(',').map(Number) : []
  const { facets, kinds, matched } = given !== null
    ? facetsFromStats((parseJson(row.stats) ?? []) as FacetStat[], request.facets, f.kind)
    : countFacets(codes, request.facets, f.kind)
  const page = (parseJson(row.page) ?? []) as (Row & { ord: number })[]
  const total = given !== null || countInNode ? matched : Number(row.total)
  const response: SearchResponse = { hits: page.map((r) => ({ doc: rowToDoc(r), score: Number(r.score) })), total, facets }
  if (request.kindCounts) response.kindCounts = kinds
  return response
}

/** A long query's concepts beyond this many are not all used to find documents (see below). */
const LONG_QUERY = 3
/** Roughly how many documents a long query finds before ranking. */
const RETRIEVAL_BUDGET = 2000

/**
 * The concepts that find the documents of a long query (a whole demand): the rarest in the
 * corpus first, as many as keep the documents found within the budget, and at least one.
 * All concepts still rank what was found. A document that shares only common words with the
 * query (技术, 生产, 检测) is not worth ranking, and ranking tens of thousands of them is what
 * made long queries slow.
 */
export async function retrievalConcepts(db: Db, concepts: SearchRequest['concepts'], kind: string | undefined, budget = RETRIEVAL_BUDGET) {
  if (concepts.length <= LONG_QUERY) return concepts
  const words = concepts.map((c) => [c.term, ...c.alternatives])
  const df = await termFrequencies(db, [...new Set(words.flat())], kind)
  // A concept finds at most the documents of its words together.
  const found = words.map((ws) => ws.reduce((sum, w) => sum + (df.get(w) ?? 0), 0))
  const order = concepts.map((_, i) => i).filter((i) => found[i]! > 0).sort((a, b) => found[a]! - found[b]!)
  if (!order.length) return concepts
  const chosen: number[] = []
  let total = 0
  for (const i of order) {
    if (chosen.length && total + found[i]! > budget) break
    chosen.push(i)
    total += found[i]!
  }
  return chosen.length === concepts.length ? concepts : chosen.map((i) => concepts[i]!)
}

/** json columns arrive parsed from one driver and as text from another. */
function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value
}
