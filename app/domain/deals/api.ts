import { z } from 'zod'
import type { DealSummary, DealView } from './deals.server'
import { DealListQuerySchema } from './schemas'
import { DEAL_STAGES } from './stages'

/**
 * Deals in the JSON API: `GET /api/v1/deals` and `GET /api/v1/deals/{id}`, read-only, with a key.
 * A key reads as its organisation: the deals it is the buyer of, an introduced seller in, or (a
 * broker agency's key) whose brokers lead or assist them; a bureau key reads every deal. The
 * parties never see next steps, internal notes, lost reasons or other sellers' candidates.
 */

export const DEALS_PATH = '/api/v1/deals'

const STANDINGS = ['lead', 'assist', 'bureau', 'bureau-member', 'buyer', 'seller'] as const
const day = () => z.iso.date().nullable()

const party = () => z.strictObject({ id: z.string(), name: z.string() })

export const DealSummarySchema = z.strictObject({
  id: z.string(),
  number: z.string().meta({ description: 'D-YYYY-NNNNNN' }),
  title: z.string(),
  stage: z.enum(DEAL_STAGES),
  standing: z.enum(STANDINGS).meta({ description: 'How the key’s organisation stands in the deal.' }),
  buyerOrg: party(),
  owner: party().meta({ description: 'The lead broker.' }),
  nextStep: z.string().nullable().meta({ description: 'Brokers and the bureau only; null for the parties.' }),
  nextStepDue: day(),
  overdue: z.boolean(),
  demandId: z.string().nullable(),
  scenarioId: z.string().nullable(),
  contractId: z.string().nullable(),
  closedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})

export const DealCandidateSchema = z.strictObject({
  id: z.string(),
  achievementId: z.string(),
  achievementTitle: z.string(),
  sellerOrg: party(),
  shortlisted: z.boolean(),
  introducedAt: z.iso.datetime().nullable(),
  droppedAt: z.iso.datetime().nullable(),
  match: z.strictObject({ score: z.number().min(0).max(1), confidence: z.enum(['strong', 'possible']) }).nullable(),
})

export const DealDetailSchema = DealSummarySchema.extend({
  lostReason: z.string().nullable().meta({ description: 'Brokers and the bureau only.' }),
  candidates: z.array(DealCandidateSchema).meta({ description: 'The parties see introduced candidates only; a seller only its own.' }),
  contract: z.strictObject({ id: z.string(), number: z.string(), status: z.string() }).nullable(),
  followUps: z
    .array(z.strictObject({ id: z.string(), dueDate: z.iso.date(), doneAt: z.iso.datetime().nullable(), outcome: z.string().nullable() }))
    .meta({ description: 'Follow-up visits (回访) after signing; brokers and the bureau only.' }),
})

export const DealListResponseSchema = z.strictObject({
  data: z.array(DealSummarySchema),
  page: z.strictObject({ nextCursor: z.string().nullable(), total: z.number().int().min(0) }),
})
export const DealItemResponseSchema = z.strictObject({ data: DealDetailSchema })

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function toApiDealSummary(d: DealSummary): z.infer<typeof DealSummarySchema> {
  return {
    id: d.id,
    number: d.number,
    title: d.title,
    stage: d.stage,
    standing: d.standing,
    buyerOrg: { id: d.buyerOrg.id, name: d.buyerOrg.name },
    owner: { id: d.owner.id, name: d.owner.name },
    nextStep: d.nextStep,
    nextStepDue: d.nextStepDue,
    overdue: d.overdue,
    demandId: d.demandId,
    scenarioId: d.scenarioId,
    contractId: d.contractId,
    closedAt: iso(d.closedAt),
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  }
}

export function toApiDeal(v: DealView): z.infer<typeof DealDetailSchema> {
  const d = v.deal
  return {
    ...toApiDealSummary({
      id: d.id,
      number: d.number,
      title: d.title,
      stage: d.stage,
      standing: v.standing,
      buyerOrg: d.buyerOrg,
      owner: d.owner,
      nextStep: d.nextStep,
      nextStepDue: d.nextStepDue,
      overdue: d.overdue,
      demandId: d.demandId,
      scenarioId: d.scenarioId,
      contractId: v.contract?.id ?? null,
      closedAt: d.closedAt,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    }),
    lostReason: d.lostReason,
    candidates: v.candidates.map((c) => ({
      id: c.id,
      achievementId: c.achievement.id,
      achievementTitle: c.achievement.title,
      sellerOrg: { id: c.sellerOrg.id, name: c.sellerOrg.name },
      shortlisted: c.shortlisted,
      introducedAt: iso(c.introducedAt),
      droppedAt: iso(c.droppedAt),
      match: c.match ? { score: c.match.score, confidence: c.match.confidence } : null,
    })),
    contract: v.contract ? { id: v.contract.id, number: v.contract.number, status: v.contract.status } : null,
    followUps: v.followUps.map((f) => ({ id: f.id, dueDate: f.dueDate, doneAt: iso(f.doneAt), outcome: f.outcome })),
  }
}

// ─── OpenAPI ────────────────────────────────────────────────────────────────────────

type Json = Record<string, unknown>

function schemaOf(schema: z.ZodType): Json {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Json
  return rest
}

const QUERY_NOTES: Record<string, string> = {
  stage: 'One stage.',
  state: 'open: every open stage; closed: won or lost.',
  owner: 'The lead broker’s user id.',
  overdue: '1: only open deals whose next step is past due.',
  q: 'Words in the title or number.',
  demand: 'Deals on one demand (its id).',
  cursor: 'The nextCursor of the previous page.',
  page: 'Page number, when not walking with cursor.',
  pageSize: 'At most 100.',
}

/** The paths and schemas merged into the API's OpenAPI document (its error responses are shared). */
export function dealsOpenApi() {
  const errors = (...statuses: [number, string][]) => Object.fromEntries(statuses.map(([s, name]) => [String(s), { $ref: `#/components/responses/${name}` }]))
  const json = (name: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } })
  const query = z.toJSONSchema(DealListQuerySchema, { io: 'input', unrepresentable: 'any' }) as Json
  const parameters = Object.entries(query.properties as Record<string, Json>).map(([name, schema]) => ({ name, in: 'query', required: false, ...(QUERY_NOTES[name] ? { description: QUERY_NOTES[name] } : {}), schema }))
  return {
    schemas: {
      DealSummary: schemaOf(DealSummarySchema),
      DealDetail: schemaOf(DealDetailSchema),
      DealList: schemaOf(DealListResponseSchema),
      DealItem: schemaOf(DealItemResponseSchema),
    } as Record<string, Json>,
    paths: {
      [DEALS_PATH]: {
        get: {
          operationId: 'listDeals',
          summary: 'List deals',
          description:
            'The deals the key’s organisation takes part in (as buyer, introduced seller, or the agency of their brokers); every deal for a bureau key. Newest first; walk pages with cursor = page.nextCursor.',
          tags: ['deals'],
          security: [{ bearerAuth: [] }],
          parameters,
          responses: { '200': { description: 'A page of deals', content: json('DealList') }, ...errors([400, 'BadInput'], [401, 'Unauthenticated'], [405, 'MethodNotAllowed']) },
        },
      },
      [`${DEALS_PATH}/{id}`]: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          operationId: 'getDeal',
          summary: 'One deal',
          description: 'With its candidates as the key’s organisation may see them. A deal the organisation has no part in is 404.',
          tags: ['deals'],
          security: [{ bearerAuth: [] }],
          responses: { '200': { description: 'The deal', content: json('DealItem') }, ...errors([401, 'Unauthenticated'], [404, 'NotFound'], [405, 'MethodNotAllowed']) },
        },
      },
    } as Record<string, Json>,
  }
}
