import { z } from 'zod'
import { email, msg, optionalText, requiredText } from '~/domain/validation/fields'
import { codesOf, INDUSTRIES, IP_TYPES, parseClassification, STAGES, TECH_FIELDS, TRANSFER_MODES } from './classifications'

/**
 * Input schemas for listings, shared by the forms, the JSON API and import files: they accept
 * a form's strings, JSON's numbers and arrays, and a spreadsheet's Chinese names alike.
 */

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v)

function classification<T extends Record<string, string>>(table: T, errorKey: string) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? (parseClassification(table, v) ?? v) : v),
    z.enum(codesOf(table), { error: msg(errorKey) }),
  )
}

export const techField = classification(TECH_FIELDS, 'err.field')
export const industry = classification(INDUSTRIES, 'err.industry')
export const stage = classification(STAGES, 'err.stage')
export const ipType = classification(IP_TYPES, 'err.ipType')
export const transferMode = classification(TRANSFER_MODES, 'err.transferMode')

/** A list given as an array, or as text separated by ; ； , ， or new lines. */
function list<T extends z.ZodType>(item: T, { max, min = 0, minKey = 'err.required' }: { max: number; min?: number; minKey?: string }) {
  return z.preprocess(
    (v) => {
      const raw = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[;；,，\n]/) : v === undefined || v === null ? [] : [v]
      return [...new Set(raw.map((x) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '' && x !== undefined && x !== null))]
    },
    z
      .array(item)
      .max(max, { error: msg('err.tooMany', { max }) })
      .min(min, { error: msg(minKey) }),
  )
}

const keyword = z.string().max(30, { error: msg('err.keywordTooLong', { max: 30 }) })
export const keywords = list(keyword, { max: 12 })

export const trl = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v),
  z.number({ error: msg('err.trl') }).int({ error: msg('err.trl') }).min(1, { error: msg('err.trl') }).max(9, { error: msg('err.trl') }),
)

/** The largest amount a listing may name: 100 亿元. */
export const MAX_YUAN = 10_000_000_000

/** An amount in yuan (up to two decimals) → integer fen; blank or null → null (面议). */
export const yuanToFen = z.preprocess(
  (v) => {
    if (v === undefined || v === null) return null
    if (typeof v === 'string') {
      const s = v.trim().replace(/[,，\s]/g, '').replace(/元$/, '')
      return s === '' || s === '面议' ? null : s
    }
    return v
  },
  // One branch and .nullable(), not a union with z.null(): zod 4 reports a failed union as
  // "Invalid input" and drops the messages below, which forms must show.
  z
    .union([z.string(), z.number()], { error: msg('err.amount') })
    .transform((v, ctx) => {
      const text = typeof v === 'number' ? String(v) : v
      if (!/^\d+(\.\d{1,2})?$/.test(text) || !Number.isFinite(Number(text))) {
        ctx.addIssue({ code: 'custom', message: msg(Number(text) < 0 ? 'err.negativeAmount' : 'err.amount') })
        return z.NEVER
      }
      if (Number(text) > MAX_YUAN) {
        ctx.addIssue({ code: 'custom', message: msg('err.amountTooLarge', { max: '100亿' }) })
        return z.NEVER
      }
      const [whole, frac = ''] = text.split('.')
      return Number(whole) * 100 + Number(frac.padEnd(2, '0'))
    })
    .nullable(),
)

/** Today in China (UTC+8), as YYYY-MM-DD. */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** An ISO date (YYYY-MM-DD) that is today or later. */
export const futureDate = z.preprocess(
  (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : blankToUndefined(typeof v === 'string' ? v.trim() : v)),
  z
    .string({ error: msg('err.date') })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: msg('err.date') })
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
      error: msg('err.date'),
    })
    .refine((s) => s >= todayInChina(), { error: msg('err.deadlinePast') })
    .refine((s) => s <= '2100-12-31', { error: msg('err.date') })
    .optional(),
)

const bool = z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === '1' || v === '是', z.boolean())

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional())

const contact = {
  contactName: optionalText(100),
  contactPhone: optional(z.string().trim().regex(/^\+?[0-9][0-9 \-]{4,29}$/, { error: msg('err.phone') })),
  contactEmail: optional(email),
}

export const AchievementInputSchema = z.object({
  title: requiredText(200, 2),
  summary: requiredText(5000, 10),
  field: techField,
  industry,
  keywords,
  trl,
  stage: optional(stage),
  ipType: optional(ipType),
  ipNumbers: list(z.string().max(40, { error: msg('err.tooLong', { max: 40 }) }), { max: 20 }),
  ipStatus: optionalText(100),
  transferModes: list(transferMode, { max: 5, min: 1, minKey: 'err.transferModesRequired' }),
  askingPrice: yuanToFen,
  confidentialDetails: optionalText(5000),
  ...contact,
})
export type AchievementInput = z.output<typeof AchievementInputSchema>

export const DemandInputSchema = z.object({
  title: requiredText(200, 2),
  description: requiredText(5000, 10),
  currentSituation: optionalText(5000),
  targetIndicators: optionalText(5000),
  constraints: optionalText(5000),
  field: techField,
  industry,
  keywords,
  trlMin: optional(trl),
  budget: yuanToFen,
  deadline: futureDate,
  cooperationModes: list(transferMode, { max: 5, min: 1, minKey: 'err.transferModesRequired' }),
  confidential: bool.default(false),
  ...contact,
})
export type DemandInput = z.output<typeof DemandInputSchema>

export const ScenarioInputSchema = z.object({
  title: requiredText(200, 2),
  description: requiredText(5000, 10),
  sector: industry,
  field: optional(techField),
  capability: optionalText(5000),
  keywords,
  budget: yuanToFen,
  deadline: futureDate,
  ownerDepartment: optionalText(200),
  batchId: optional(z.string().max(64)),
  ...contact,
})
export type ScenarioInput = z.output<typeof ScenarioInputSchema>

export const RejectSchema = z.object({
  reason: requiredText(1000, 4),
})

/** The stage a TRL implies, when the owner did not say. */
export function stageForTrl(level: number): keyof typeof STAGES {
  if (level <= 3) return 'CONCEPT'
  if (level <= 5) return 'LAB'
  if (level <= 7) return 'PILOT'
  return 'INDUSTRIAL'
}
