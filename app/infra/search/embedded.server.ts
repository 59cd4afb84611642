import type { Prisma, PrismaClient } from '~/generated/prisma/client'
import { prisma } from '~/infra/db/client.server'
import { type FacetName, type SearchDoc, type SearchEngine, type SearchRequest, type SearchResponse } from './engine'
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

export async function writeSearchDocuments(db: Db, docs: SearchDoc[]) {
  // One statement cannot touch a row twice: the last version of a document wins.
  docs = [...new Map(docs.map((d) => [d.id, d])).values()]
  for (let start = 0; start < docs.length; start += ROWS_PER_STATEMENT) {
    const chunk = docs.slice(start, start + ROWS_PER_STATEMENT)
    const params: unknown[] = []
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
    await db.$executeRawUnsafe(
      `INSERT INTO "SearchDocument" (${COLUMNS}) VALUES ${tuples.join(', ')}
       ON CONFLICT (id) DO UPDATE SET "orgId" = EXCLUDED."orgId", "orgName" = EXCLUDED."orgName", "regionCode" = EXCLUDED."regionCode",
         province = EXCLUDED.province, title = EXCLUDED.title, body = EXCLUDED.body, keywords = EXCLUDED.keywords, terms = EXCLUDED.terms,
         field = EXCLUDED.field, industry = EXCLUDED.industry, trl = EXCLUDED.trl, stage = EXCLUDED.stage, modes = EXCLUDED.modes,
         "priceFen" = EXCLUDED."priceFen", "priceBucket" = EXCLUDED."priceBucket", deadline = EXCLUDED.deadline,
         "publishedAt" = EXCLUDED."publishedAt", "updatedAt" = now()`,
      ...params,
    )
  }
}

export async function removeSearchDocuments(db: Db, ids: string[]) {
  if (ids.length) await db.$executeRawUnsafe(`DELETE FROM "SearchDocument" WHERE id = ANY($1::text[])`, ids)
}

const FACET_COLUMNS: Record<Exclude<FacetName, 'modes'>, string> = {
  kind: 'kind',
  field: 'field::text',
  industry: 'industry::text',
  trl: 'trl::text',
  stage: 'stage::text',
  province: 'province',
  priceBucket: '"priceBucket"',
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
  const query = tsqueryLiteral(request.concepts, request.mode)
  const queryParam = query ? p(query, '::tsquery') : null
  if (queryParam) where.push(`d.terms @@ ${queryParam}`)
  const f = request.filters
  if (f.kind) where.push(`d.kind = ${p(f.kind)}`)
  if (f.field) where.push(`d.field = ${p(f.field, '::"TechField"')}`)
  if (f.industry) where.push(`d.industry = ${p(f.industry, '::"Industry"')}`)
  if (f.trlMin !== undefined) where.push(`d.trl >= ${p(f.trlMin, '::int')}`)
  if (f.trlMax !== undefined) where.push(`d.trl <= ${p(f.trlMax, '::int')}`)
  if (f.stage) where.push(`d.stage = ${p(f.stage, '::"Stage"')}`)
  if (f.mode) where.push(`${p(f.mode, '::"TransferMode"')} = ANY(d.modes)`)
  if (f.province) where.push(`d.province = ${p(f.province)}`)
  if (f.priceBucket) where.push(`d."priceBucket" = ${p(f.priceBucket)}`)
  if (f.excludeIds?.length) where.push(`NOT (d.id = ANY(${p(f.excludeIds, '::text[]')}))`)
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const ranked = queryParam !== null && request.sort === 'relevance' && request.limit > 0
  const score = ranked ? `ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', d.terms, ${queryParam}, 1)` : '0'
  const order = {
    relevance: ranked ? `score DESC, "publishedAt" DESC, id` : `"publishedAt" DESC, id`,
    newest: `"publishedAt" DESC, id`,
    price_asc: `"priceFen" ASC NULLS LAST, id`,
    price_desc: `"priceFen" DESC NULLS LAST, id`,
  }[request.sort]
  // One statement, one pass over the matching documents: the matches are collected once with
  // the few columns that sorting and facets need, then counted, grouped and paged from memory;
  // only the page's documents are read in full.
  const facetSql = request.facets.map((name) =>
    name === 'modes'
      ? `(SELECT json_object_agg(v, n) FROM (SELECT x::text AS v, count(*)::int AS n FROM m, unnest(m.modes) AS x GROUP BY 1) s) AS "f_modes"`
      : `(SELECT json_object_agg(v, n) FROM (SELECT ${FACET_COLUMNS[name]} AS v, count(*)::int AS n FROM m WHERE ${FACET_COLUMNS[name]} IS NOT NULL GROUP BY 1) s) AS "f_${name}"`,
  )
  const pageSql =
    request.limit > 0
      ? `(SELECT coalesce(json_agg(row_to_json(x) ORDER BY x.ord), '[]') FROM (
           SELECT d.id, d.kind, d."listingId", d."orgId", d."orgName", d."regionCode", d.province, d.title, d.body, d.keywords,
             d.field, d.industry, d.trl, d.stage, d.modes::text[] AS modes, d."priceFen"::text AS "priceFen", d."priceBucket",
             d.deadline, to_char(d."publishedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "publishedAt", p.score, p.ord
           FROM (SELECT id, score, row_number() OVER (ORDER BY ${order}) AS ord FROM m ORDER BY ${order}
                 LIMIT ${p(request.limit, '::int')} OFFSET ${p(request.offset, '::int')}) p
           JOIN "SearchDocument" d ON d.id = p.id) x) AS page`
      : `'[]'::json AS page`
  const [result] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `WITH m AS MATERIALIZED (
       SELECT d.id, d.kind, d.field, d.industry, d.trl, d.stage, d.modes, d.province, d."priceBucket", d."priceFen", d."publishedAt",
         ${score}::float8 AS score
       FROM "SearchDocument" d ${whereSql})
     SELECT (SELECT count(*)::int FROM m) AS total, ${[pageSql, ...facetSql].join(', ')}`,
    ...params,
  )
  const row = result!
  const facets: SearchResponse['facets'] = {}
  for (const name of request.facets) {
    const counts = (parseJson(row[`f_${name}`]) ?? {}) as Record<string, number>
    facets[name] = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]))
  }
  const page = (parseJson(row.page) ?? []) as (Row & { ord: number })[]
  return { hits: page.map((r) => ({ doc: rowToDoc(r), score: Number(r.score) })), total: Number(row.total), facets }
}

/** json columns arrive parsed from one driver and as text from another. */
function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value
}
