import { z } from 'zod'
import { todayInChina } from '~/domain/listings/schemas'
import { msg, optionalText, requiredText } from '~/domain/validation/fields'
import { DEAL_STAGES } from './stages'

/**
 * Inputs of the deal pages, forms and API. Dates are China calendar days (YYYY-MM-DD). A next
 * step's due date may be today but not a past day: a next step overdue from the moment it is
 * written is a mistake in the date, not a plan.
 */

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

/** Route and form ids are cuids; anything longer or stranger is refused. */
export const idSchema = z.string({ error: msg('err.badRequest') }).regex(/^[A-Za-z0-9_-]{1,64}$/, { error: msg('err.badRequest') })

const isoDay = z
  .string({ error: msg('err.deal.dueRequired') })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: msg('err.date') })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: msg('err.date') })
  .refine((s) => s <= '2100-12-31', { error: msg('err.date') })

/** A due date for a next step: today or later. */
export const dueDate = z.preprocess(
  (v) => (blank(v) ? undefined : v),
  isoDay.refine((s) => s >= todayInChina(), { error: msg('err.deal.duePast') }),
)

/** Required text; blank (as a plain form sends it) says "required", not "too short". */
const required = (max: number, min = 1) => z.preprocess((v) => (blank(v) ? undefined : v), requiredText(max, min))

export const NextStepSchema = z.object({
  nextStep: required(500, 2),
  nextStepDue: dueDate,
})
export type NextStepInput = z.output<typeof NextStepSchema>

/** Starting a deal: from a demand or a scenario (exactly one), with its first next step. */
export const CreateDealSchema = z
  .object({
    demandId: z.preprocess((v) => (blank(v) ? undefined : v), idSchema.optional()),
    scenarioId: z.preprocess((v) => (blank(v) ? undefined : v), idSchema.optional()),
    title: z.preprocess((v) => (blank(v) ? undefined : v), optionalText(200)),
    nextStep: required(500, 2),
    nextStepDue: dueDate,
  })
  .refine((v) => !!v.demandId !== !!v.scenarioId, { error: msg('err.deal.sourceRequired'), path: ['demandId'] })
export type CreateDealInput = z.output<typeof CreateDealSchema>

export const AddCandidateSchema = z.object({
  achievementId: idSchema,
  note: z.preprocess((v) => (blank(v) ? undefined : v), optionalText(1000)),
})

export const CandidateSchema = z.object({ candidateId: idSchema })

export const MoveStageSchema = z.object({
  to: z.enum(DEAL_STAGES, { error: msg('err.deal.stageUnknown') }),
  /** The stage the mover saw: a deal moved meanwhile is not moved again from a stale page. */
  from: z.enum(DEAL_STAGES, { error: msg('err.badRequest') }).optional(),
  reason: z.preprocess((v) => (blank(v) ? undefined : v), optionalText(1000)),
})
export type MoveStageInput = z.output<typeof MoveStageSchema>

export const BrokerSchema = z.object({ brokerId: idSchema })

export const FollowUpOutcomeSchema = z.object({
  followUpId: idSchema,
  outcome: required(2000, 2),
})

const PAGE = z.coerce.number({ error: msg('err.page') }).int({ error: msg('err.page') }).min(1, { error: msg('err.page') }).max(10_000, { error: msg('err.page') })

/** Filters of the deal list (the page and the API). `owner` is a user id or `me`. */
export const DealListQuerySchema = z.object({
  stage: z.enum(DEAL_STAGES, { error: msg('err.deal.stageUnknown') }).optional(),
  /** `open` (every open stage) or `closed` (won or lost); `stage` wins when both are given. */
  state: z.enum(['open', 'closed'], { error: msg('err.deal.stateUnknown') }).optional(),
  owner: z.union([z.literal('me'), idSchema], { error: msg('err.badRequest') }).optional(),
  overdue: z.enum(['1', 'true'], { error: msg('api.err.boolean') }).optional(),
  q: z.string().trim().max(100, { error: msg('err.tooLong', { max: 100 }) }).optional(),
  demand: idSchema.optional(),
  cursor: z.string().max(64).optional(),
  page: PAGE.default(1),
  pageSize: z.coerce.number({ error: msg('err.pageSize') }).int({ error: msg('err.pageSize') }).min(1, { error: msg('err.pageSize') }).max(100, { error: msg('err.pageSize') }).default(20),
})
export type DealListQuery = z.output<typeof DealListQuerySchema>

/** For pages: a wrong filter is dropped (and reported) instead of failing the whole page. */
export function parseDealQueryLenient(params: URLSearchParams): { query: DealListQuery; invalid: string[] } {
  const raw = Object.fromEntries([...params].filter(([k, v]) => v.trim() !== '' && k in DealListQuerySchema.shape))
  const first = DealListQuerySchema.safeParse(raw)
  if (first.success) return { query: first.data, invalid: [] }
  const invalid = [...new Set(first.error.issues.map((i) => String(i.path[0])))]
  for (const key of invalid) delete raw[key]
  const second = DealListQuerySchema.safeParse(raw)
  return { query: second.success ? second.data : DealListQuerySchema.parse({}), invalid }
}
