import { z } from 'zod'
import { schemaRegistry } from '~/domain/openapi-schemas'
import { ContractType, Industry, TechField } from '~/generated/prisma/enums'

/**
 * `GET /api/v1/stats/contracts`: its query (the schema the route parses with) and its response
 * (the schema the tests check real responses against), and the OpenAPI description built from
 * both, which the API's document (app/domain/listings/openapi.ts) includes.
 */

export const GROUP_BYS = ['type', 'field', 'industry', 'sellerKind', 'buyerKind', 'month', 'region'] as const
export type GroupBy = (typeof GROUP_BYS)[number]
export const KIND_BUCKETS = ['ENTERPRISE', 'UNIVERSITY', 'INSTITUTE', 'OTHER'] as const
export const ZONES = ['district', 'chongqing', 'sichuan', 'elsewhere'] as const
export const MIN_YEAR = 2000
export const MAX_YEAR = 2100

export const STATS_CONTRACTS_PATH = '/stats/contracts'

const yearError = { error: 'stats.err.year' }
const quarterError = { error: 'stats.err.quarter' }

export const ContractStatsQuerySchema = z.object({
  year: z.coerce.number(yearError).int(yearError).min(MIN_YEAR, yearError).max(MAX_YEAR, yearError).optional(),
  quarter: z.coerce.number(quarterError).int(quarterError).min(1, quarterError).max(4, quarterError).optional(),
  groupBy: z.enum(GROUP_BYS, { error: 'stats.err.groupBy' }),
})

// ─── Response ───────────────────────────────────────────────────────────────────────

const { doc, components: schemaComponents } = schemaRegistry()

const count = () => z.number().int().min(0)
const fen = (description: string) => doc(z.number().int().min(0), { description })

const sums = {
  count: doc(count(), { description: 'Registered contracts (认定登记): only registered or completed contracts count.' }),
  amountFen: fen('Contract turnover (成交额), integer fen (1 yuan = 100 fen).'),
  techAmountFen: fen('Technical transaction amount (技术交易额) as registered, integer fen.'),
}

export const ContractStatsTotalsSchema = doc(z.strictObject(sums), { id: 'ContractStatsTotals', description: 'Totals of the period (the year, or the quarter).' })

const ROW_KEYS: Record<GroupBy, string> = {
  type: `Contract type: ${Object.values(ContractType).join(', ')}.`,
  field: `Technical field: ${Object.values(TechField).join(', ')}, or NONE.`,
  industry: `Industry: ${Object.values(Industry).join(', ')}, or NONE.`,
  sellerKind: `Seller kind: ${KIND_BUCKETS.join(', ')} (always all four).`,
  buyerKind: `Buyer kind: ${KIND_BUCKETS.join(', ')} (always all four).`,
  month: 'Month of registration, 01–12 (always all twelve, for the whole year even with quarter).',
  region: `Zone of the other party: ${ZONES.join(', ')} (always all four).`,
}

export const ContractStatsRowSchema = doc(
  z.strictObject({
    key: doc(z.string(), { description: Object.entries(ROW_KEYS).map(([g, text]) => `groupBy=${g}: ${text}`).join(' ') }),
    ...sums,
  }),
  { id: 'ContractStatsRow', description: 'One group: its key and its sums.' },
)

const common = {
  year: z.number().int().min(MIN_YEAR).max(MAX_YEAR),
  quarter: doc(z.number().int().min(1).max(4).nullable(), { description: 'The quarter asked for, or null for the whole year.' }),
  totals: ContractStatsTotalsSchema,
}

/** A fresh instance each time: a description attaches to an instance. */
const rows = () => z.array(ContractStatsRowSchema)
const FLAT = GROUP_BYS.filter((g): g is Exclude<GroupBy, 'region'> => g !== 'region')

export const ContractStatsSchema = doc(
  z.union([
    z.strictObject({
      ...common,
      groupBy: z.enum(FLAT),
      rows: doc(rows(), { description: 'type, field, industry: by technical transaction amount, largest first; the others in their fixed order.' }),
    }),
    z.strictObject({
      ...common,
      groupBy: z.literal('region'),
      output: doc(rows(), { description: '输出: contracts whose seller is in the district, by the buyer’s zone.' }),
      absorption: doc(rows(), { description: '吸纳: contracts whose buyer is in the district, by the seller’s zone.' }),
    }),
  ]),
  { id: 'ContractStats', description: 'Aggregates of the registered technology contracts of a year or quarter.' },
)

export const ContractStatsResponseSchema = doc(z.strictObject({ data: ContractStatsSchema }), { id: 'ContractStatsResponse' })

// ─── OpenAPI ────────────────────────────────────────────────────────────────────────

type Json = Record<string, unknown>

const PARAMETER_NOTES: Record<keyof typeof ContractStatsQuerySchema.shape, string> = {
  year: `Calendar year of registration (China time), ${MIN_YEAR}–${MAX_YEAR}; default: the current year.`,
  quarter: '1–4: only contracts registered in that quarter (the monthly breakdown stays the whole year).',
  groupBy: 'What to break the totals down by; region answers with output (输出) and absorption (吸纳) instead of rows.',
}

const PARAMETER_SCHEMAS: Record<keyof typeof ContractStatsQuerySchema.shape, Json> = {
  year: { type: 'integer', minimum: MIN_YEAR, maximum: MAX_YEAR },
  quarter: { type: 'integer', minimum: 1, maximum: 4 },
  groupBy: { type: 'string', enum: [...GROUP_BYS] },
}

/** The path item and the component schemas of the statistics endpoint, for the API document. */
export function contractStatsOpenApi({ base, errors }: { base: string; errors: (...statuses: number[]) => Json }) {
  const components = schemaComponents()
  const parameters = (Object.keys(ContractStatsQuerySchema.shape) as (keyof typeof ContractStatsQuerySchema.shape)[]).map((name) => ({
    name,
    in: 'query',
    // The schema decides what is required: a field that accepts absence is optional.
    required: !ContractStatsQuerySchema.shape[name].safeParse(undefined).success,
    description: PARAMETER_NOTES[name],
    schema: PARAMETER_SCHEMAS[name],
  }))
  const paths: Record<string, Json> = {
    [`${base}${STATS_CONTRACTS_PATH}`]: {
      get: {
        operationId: 'getContractStats',
        summary: 'Technology contract statistics',
        description:
          'The same aggregates as the public statistics page: registered (认定登记) technology contracts only — drafts, contracts awaiting registration, refused (未予登记) and terminated contracts never count. Dated by registration; amounts in integer fen. No key needed.',
        tags: ['stats'],
        security: [{}],
        parameters,
        responses: {
          '200': { description: 'The totals and the breakdown', content: { 'application/json': { schema: { $ref: '#/components/schemas/ContractStatsResponse' } } } },
          ...errors(400, 405),
        },
      },
    },
  }
  return { paths, schemas: components, tag: { name: 'stats' } }
}
