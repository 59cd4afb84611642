import { z } from 'zod'
import { schemaRegistry } from '~/domain/openapi-schemas'
import { KIND_PATHS, type ListingKind } from '~/domain/listings/kinds'
import type { ReasonCode } from './rerank'

/**
 * `GET /api/v1/{demands|scenarios|achievements}/{id}/matches`: the response (the schemas the
 * tests check real responses against) and the OpenAPI description built from them, which the
 * API's document (app/domain/listings/openapi.ts) includes. The route is app/routes/api/matches.ts.
 */

export const MATCH_LIMIT = { min: 1, max: 50, default: 10 }

const { doc, components: schemaComponents } = schemaRegistry()

// Every reason code, so that the document lists them all (a new code fails to compile here).
const REASON_CODES = Object.keys({
  terms: 1,
  synonyms: 1,
  keywords: 1,
  field: 1,
  industry: 1,
  trl: 1,
  price: 1,
  modes: 1,
  missing: 1,
} satisfies Record<ReasonCode, 1>) as [ReasonCode, ...ReasonCode[]]

const ListingRefSchema = doc(z.strictObject({ id: z.string(), externalId: z.string().nullable(), title: z.string() }), {
  id: 'MatchListing',
  description: 'A listing on either side of a match: its id, the external id it was imported with (or null), its title.',
})

const ReasonSchema = doc(
  z.strictObject({
    code: z.enum(REASON_CODES),
    fit: z.boolean(),
    text: doc(z.string(), { description: 'The reason in words, in the language of Accept-Language (Chinese by default).' }),
  }),
  { id: 'MatchReason', description: 'Why the two fit (fit: true) or where they do not (fit: false).' },
)

const match = <K extends 'achievement' | 'demand'>(other: K) =>
  z.strictObject({
    ...({ [other]: ListingRefSchema } as Record<K, typeof ListingRefSchema>),
    score: doc(z.number().min(0).max(1), { description: 'How well the two fit, from 0 to 1; comparable within one list.' }),
    confidence: z.enum(['strong', 'possible']),
    reasons: z.array(ReasonSchema),
  })

const matches = <S extends ListingKind, K extends 'achievement' | 'demand'>(source: S, other: K, id: string, description: string) =>
  doc(
    z.strictObject({
      ...({ [source]: ListingRefSchema } as Record<S, typeof ListingRefSchema>),
      noGoodMatch: doc(z.boolean(), { description: 'Nothing is good enough to list: matches is empty, and a broker can help.' }),
      matches: z.array(match(other)),
    }),
    { id, description },
  )

export const MatchesResponseSchemas = {
  demand: matches('demand', 'achievement', 'DemandMatches', 'The achievements that answer a demand, best first.'),
  scenario: matches('scenario', 'achievement', 'ScenarioMatches', 'The achievements that answer an application scenario, best first.'),
  achievement: matches('achievement', 'demand', 'AchievementMatches', 'The demands that need an achievement ("who needs this"), best first.'),
} satisfies Record<ListingKind, z.ZodType>

const TITLES: Record<ListingKind, string> = { achievement: 'Achievement', demand: 'Demand', scenario: 'Scenario' }

export function matchesOpenApi({ base, errors }: { base: string; errors: (...statuses: number[]) => Record<string, unknown> }) {
  const components = schemaComponents()
  const paths: Record<string, unknown> = {}
  for (const kind of Object.keys(MatchesResponseSchemas) as ListingKind[]) {
    paths[`${base}/${KIND_PATHS[kind]}/{id}/matches`] = {
      parameters: [{ $ref: '#/components/parameters/id' }],
      get: {
        operationId: `get${TITLES[kind]}Matches`,
        summary: kind === 'achievement' ? 'The demands that need an achievement' : `The achievements that answer a ${kind}`,
        description:
          'Candidates from the search engine, re-ranked and explained; below the bar nothing is listed and noGoodMatch is true. For the listing’s owner organisation, brokers and the bureau.',
        tags: [KIND_PATHS[kind]],
        security: [{ bearerAuth: [] }],
        parameters: [
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: `At most this many matches (${MATCH_LIMIT.min}–${MATCH_LIMIT.max}).`,
            schema: { type: 'integer', minimum: MATCH_LIMIT.min, maximum: MATCH_LIMIT.max, default: MATCH_LIMIT.default },
          },
        ],
        responses: {
          '200': { description: 'The matches', content: { 'application/json': { schema: { $ref: `#/components/schemas/${TITLES[kind]}Matches` } } } },
          ...errors(400, 401, 403, 404, 405),
        },
      },
    }
  }
  return { paths, schemas: components }
}
