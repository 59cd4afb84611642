import { z } from 'zod'
import { schemaRegistry } from '~/domain/openapi-schemas'
import { LISTING_KINDS } from '~/domain/listings/kinds'
import { SearchQuerySchema } from './search.server'

/**
 * `GET /api/v1/search`: the response (the schema the tests check real responses against) and the
 * OpenAPI description built from it and from the query schema the route parses with, which the
 * API's document (app/domain/listings/openapi.ts) includes. The route is app/routes/api/search.ts.
 */

export const SEARCH_PATH = '/search'

const { doc, components: schemaComponents } = schemaRegistry()

const SegmentsSchema = doc(z.array(z.strictObject({ text: z.string(), hit: z.boolean() })), {
  id: 'SearchSegments',
  description: 'A text in pieces; hit: true where it matches the query (highlight it). Never HTML.',
})
const count = () => z.number().int().min(0)

const SearchItemSchema = doc(
  z.strictObject({
    kind: z.enum(LISTING_KINDS),
    id: z.string(),
    title: SegmentsSchema,
    // The part of the public text around the first hits.
    snippet: SegmentsSchema,
    orgName: z.string(),
    regionCode: z.string(),
    field: z.string().nullable(),
    industry: z.string().nullable(),
    trl: z.number().int().nullable(),
    stage: z.string().nullable(),
    modes: z.array(z.string()),
    priceFen: doc(z.number().int().nullable(), { description: 'Asking price (achievements) or budget, integer fen; null: 面议.' }),
    deadline: z.string().nullable(),
    publishedAt: z.string(),
    score: doc(z.number(), { description: 'The engine’s relevance, comparable within one answer only.' }),
  }),
  { id: 'SearchItem', description: 'One result: a published listing’s public face.' },
)

export const SearchResponseSchema = doc(
  z.strictObject({
    data: z.array(SearchItemSchema),
    page: z.strictObject({ page: z.number().int().min(1), pageSize: z.number().int().min(1), total: count() }),
    kindCounts: doc(z.strictObject({ achievement: count(), demand: count(), scenario: count() }), {
      description: 'Results of each kind with every filter but kind (the tabs).',
    }),
    facets: doc(z.record(z.string(), z.record(z.string(), count())), { description: 'Per facet, the results per value.' }),
    engine: z.enum(['embedded', 'meilisearch']),
    degraded: doc(z.boolean(), { description: 'Meilisearch failed and the embedded engine answered.' }),
    relaxed: doc(z.boolean(), { description: 'No result had every word: results with any word are shown.' }),
    terms: doc(z.array(z.string()), { description: 'The words the query was searched by.' }),
    suggestions: doc(z.strictObject({ terms: z.array(z.string()), withoutFilters: count().nullable() }), {
      description: 'For an empty answer: other words to try, and how many results there are without the filters.',
    }),
  }),
  { id: 'SearchResponse', description: 'One search across achievements, demands and scenarios.' },
)

const NOTES: Partial<Record<keyof typeof SearchQuerySchema.shape, string>> = {
  q: 'The words; a long text (a whole demand) is searched by its most informative terms.',
  kind: 'One kind only; kindCounts still counts every kind.',
  mode: 'A transfer mode.',
  province: 'The first two digits of the owner’s region code.',
  price: 'A price (achievements) or budget range.',
}

export function searchOpenApi({ base, errors }: { base: string; errors: (...statuses: number[]) => Record<string, unknown> }) {
  const components = schemaComponents()
  const parameters = Object.entries(SearchQuerySchema.shape).map(([name, field]) => {
    const { $schema: _s, ...schema } = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
    return { name, in: 'query', required: !field.safeParse(undefined).success, ...(name in NOTES ? { description: NOTES[name as keyof typeof NOTES] } : {}), schema }
  })
  const paths = {
    [`${base}${SEARCH_PATH}`]: {
      get: {
        operationId: 'search',
        summary: 'Search achievements, demands and scenarios',
        description: 'One search with counts per kind, facets and highlighted segments. No key needed; search results never carry confidential details.',
        tags: ['search'],
        security: [{}, { bearerAuth: [] }],
        parameters,
        responses: {
          '200': { description: 'A page of results', content: { 'application/json': { schema: { $ref: '#/components/schemas/SearchResponse' } } } },
          ...errors(400, 405),
        },
      },
    },
  }
  return { paths, schemas: components, tag: { name: 'search' } }
}
