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
  const score = queryParam ? `ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', d.terms, ${queryParam}, 1)` : '0'
  const order = {
    relevance: queryParam ? `score DESC, d."publishedAt" DESC, d.id` : `d."publishedAt" DESC, d.id`,
    newest: `d."publishedAt" DESC, d.id`,
    price_asc: `d."priceFen" ASC NULLS LAST, d.id`,
    price_desc: `d."priceFen" DESC NULLS LAST, d.id`,
  }[request.sort]
  const columns = `d.id, d.kind, d."listingId", d."orgId", d."orgName", d."regionCode", d.province, d.title, d.body, d.keywords,
    d.field, d.industry, d.trl, d.stage, d.modes::text[] AS modes, d."priceFen", d."priceBucket", d.deadline, d."publishedAt"`
  const limit = p(request.limit, '::int')
  const offset = p(request.offset, '::int')
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT ${columns}, ${score}::float8 AS score FROM "SearchDocument" d ${whereSql} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
    ...params,
  )
  const baseParams = params.slice(0, params.length - 2)
  const [{ total }] = await db.$queryRawUnsafe<{ total: number }[]>(
    `SELECT count(*)::int AS total FROM "SearchDocument" d ${whereSql}`,
    ...baseParams,
  )
  const facets: SearchResponse['facets'] = {}
  const grouped = request.facets.filter((n): n is Exclude<FacetName, 'modes'> => n !== 'modes')
  if (grouped.length) {
    const sets = grouped.map((n) => `(${FACET_COLUMNS[n]})`).join(', ')
    const selects = grouped.map((n, i) => `${FACET_COLUMNS[n]} AS f${i}, GROUPING(${FACET_COLUMNS[n]}) AS g${i}`).join(', ')
    const facetRows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT ${selects}, count(*)::int AS n FROM "SearchDocument" d ${whereSql} GROUP BY GROUPING SETS (${sets})`,
      ...baseParams,
    )
    grouped.forEach((name, i) => {
      const counts: Record<string, number> = {}
      for (const r of facetRows) if (Number(r[`g${i}`]) === 0 && r[`f${i}`] !== null) counts[String(r[`f${i}`])] = Number(r.n)
      facets[name] = counts
    })
  }
  if (request.facets.includes('modes')) {
    const modeRows = await db.$queryRawUnsafe<{ v: string; n: number }[]>(
      `SELECT m::text AS v, count(*)::int AS n FROM "SearchDocument" d, unnest(d.modes) AS m ${whereSql} GROUP BY 1`,
      ...baseParams,
    )
    facets.modes = Object.fromEntries(modeRows.map((r) => [r.v, Number(r.n)]))
  }
  return { hits: rows.map((r) => ({ doc: rowToDoc(r), score: Number(r.score) })), total: Number(total), facets }
}
