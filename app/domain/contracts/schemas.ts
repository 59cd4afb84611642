import { z } from 'zod'
import { ContractSubtype, ContractType, LicenseExclusivity, PaymentMethod, RegistrationRules } from '~/generated/prisma/enums'
import type { Industry, IpType, TechField } from '~/generated/prisma/enums'
import { industry, ipType, techField } from '~/domain/listings/schemas'
import { msg, optionalText, requiredText } from '~/domain/validation/fields'
import { CONTRACT_SUBTYPES, CONTRACT_TYPES, exclusivityFits, LICENSE_EXCLUSIVITY, PAYMENT_METHODS, subtypeFits } from './classification'

/**
 * The terms of a contract, as forms send them (yuan, percent, dates as text) and as the
 * domain takes them (integer fen, basis points). One rule set, `termsProblems`, checks both:
 * the form schema reports its findings on the fields, the domain refuses with the same keys.
 */

/** The largest amount a contract may name: 100 亿元, in fen. */
export const MAX_FEN = 10_000_000_000 * 100

export const MAX_MILESTONES = 24

export interface MilestoneTerms {
  title: string
  /** YYYY-MM-DD */
  dueDate: string
  amountFen: number
}

/** What both parties confirm (with the parties themselves, see canonicalTerms). */
export interface ContractTerms {
  title: string
  type: ContractType
  subtype: ContractSubtype
  exclusivity: LicenseExclusivity | null
  field: TechField | null
  industry: Industry | null
  ipType: IpType | null
  ipNumbers: string[]
  amountFen: number
  techAmountFen: number
  paymentMethod: PaymentMethod
  royaltyRateBp: number | null
  entryFeeFen: number | null
  termStart: string | null
  termEnd: string | null
  milestones: MilestoneTerms[]
  termsText: string
}

export interface DraftInput extends ContractTerms {
  sellerOrgId: string
  buyerOrgId: string
  matchId?: string | null
  achievementId?: string | null
  demandId?: string | null
  scenarioId?: string | null
  /** The deal the contract is drafted from (a broker's pipeline): linked in the same transaction. */
  dealId?: string | null
}

export interface TermsProblem {
  /** The form field it belongs to: `amount`, `milestones`, `milestones[1].amount` … */
  path: string
  key: string
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value) && value >= '2000-01-01' && value <= '2100-12-31'
}

const isFen = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v)

function amountProblem(v: unknown): string | null {
  if (!isFen(v)) return 'err.amount'
  if (v <= 0) return 'err.contract.amountPositive'
  if (v > MAX_FEN) return msg('err.amountTooLarge', { max: '100亿' })
  return null
}

/**
 * Every rule the terms must keep, as field problems; empty when the terms are sound.
 *
 * Payment rules (milestones are what the buyer pays, so they add up to the contract amount):
 * - 一次总付: exactly one milestone, for the whole amount;
 * - 分期支付: two or more milestones adding up exactly to the amount;
 * - 提成支付: a royalty rate; the amount is the expected total (entry fee + estimated
 *   royalties) and the royalties themselves are paid per period as the buyer reports sales, so
 *   they are no milestones. An entry fee (入门费) is the one fixed payment: with an entry fee
 *   there is exactly one milestone, for the entry fee; without one, none.
 */
export function termsProblems(t: ContractTerms): TermsProblem[] {
  const out: TermsProblem[] = []
  const add = (path: string, key: string) => out.push({ path, key })
  if (!(t.type in CONTRACT_TYPES)) add('type', 'err.contract.type')
  if (!(t.subtype in CONTRACT_SUBTYPES)) add('subtype', 'err.contract.subtype')
  else if (t.type in CONTRACT_TYPES && !subtypeFits(t.type, t.subtype)) add('subtype', 'err.contract.subtypeMismatch')
  if (t.exclusivity && !(t.exclusivity in LICENSE_EXCLUSIVITY)) add('exclusivity', 'err.contract.exclusivity')
  else if (t.type in CONTRACT_TYPES && !exclusivityFits(t.type, t.exclusivity)) {
    add('exclusivity', t.type === 'LICENSE' ? 'err.contract.exclusivityRequired' : 'err.contract.exclusivityLicenceOnly')
  }
  if (!(t.paymentMethod in PAYMENT_METHODS)) add('paymentMethod', 'err.contract.paymentMethod')

  const amount = amountProblem(t.amountFen)
  if (amount) add('amount', amount)
  const tech = amountProblem(t.techAmountFen)
  if (tech) add('techAmount', tech)
  else if (!amount && t.techAmountFen > t.amountFen) add('techAmount', 'err.contract.techAboveAmount')

  if (t.termStart !== null && !isIsoDate(t.termStart)) add('termStart', 'err.date')
  if (t.termEnd !== null && !isIsoDate(t.termEnd)) add('termEnd', 'err.date')
  if (isIsoDate(t.termStart) && isIsoDate(t.termEnd) && t.termEnd < t.termStart) add('termEnd', 'err.contract.termEndBeforeStart')

  const milestones = t.milestones
  if (milestones.length > MAX_MILESTONES) add('milestones', msg('err.tooMany', { max: MAX_MILESTONES }))
  let rowsOk = true
  milestones.forEach((m, i) => {
    if (!m.title?.trim()) (add(`milestones[${i}].title`, 'err.required'), (rowsOk = false))
    if (!isIsoDate(m.dueDate)) (add(`milestones[${i}].dueDate`, 'err.date'), (rowsOk = false))
    const p = amountProblem(m.amountFen)
    if (p) (add(`milestones[${i}].amount`, p), (rowsOk = false))
  })
  const sum = milestones.reduce((s, m) => s + (isFen(m.amountFen) ? m.amountFen : 0), 0)

  if (t.paymentMethod === 'ROYALTY') {
    if (t.royaltyRateBp === null) add('royaltyRate', 'err.contract.royaltyRateRequired')
    else if (!Number.isInteger(t.royaltyRateBp) || t.royaltyRateBp < 1 || t.royaltyRateBp > 10_000) add('royaltyRate', 'err.contract.royaltyRate')
    if (t.entryFeeFen !== null) {
      const fee = amountProblem(t.entryFeeFen)
      if (fee) add('entryFee', fee)
      else if (!amount && t.entryFeeFen > t.amountFen) add('entryFee', 'err.contract.entryFeeAboveAmount')
      else if (milestones.length !== 1) add('milestones', 'err.contract.entryFeeMilestone')
      else if (rowsOk && sum !== t.entryFeeFen) add('milestones', 'err.contract.entryFeeMilestone')
    } else if (milestones.length) add('milestones', 'err.contract.royaltyNoMilestones')
  } else if (t.paymentMethod in PAYMENT_METHODS) {
    if (t.royaltyRateBp !== null) add('royaltyRate', 'err.contract.royaltyOnly')
    if (t.entryFeeFen !== null) add('entryFee', 'err.contract.royaltyOnly')
    if (t.paymentMethod === 'LUMP_SUM' && milestones.length !== 1) add('milestones', 'err.contract.lumpSumOneMilestone')
    else if (t.paymentMethod === 'INSTALMENTS' && milestones.length < 2) add('milestones', 'err.contract.instalmentsTwoMilestones')
    else if (rowsOk && !amount && sum !== t.amountFen) {
      add('milestones', msg('err.contract.milestonesSum', { sum: yuanText(sum), amount: yuanText(t.amountFen) }))
    }
  }

  if (t.ipNumbers.length > 20) add('ipNumbers', msg('err.tooMany', { max: 20 }))
  if (t.ipNumbers.some((n) => n.length > 40)) add('ipNumbers', msg('err.tooLong', { max: 40 }))
  if (!t.title?.trim()) add('title', 'err.required')
  if (!t.termsText?.trim()) add('termsText', 'err.required')
  return out
}

/** Fen as plain yuan text for messages: 1234567 → 12,345.67 */
export function yuanText(fen: number): string {
  const yuan = Math.trunc(fen / 100)
  const cents = Math.abs(fen % 100)
  const whole = yuan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return cents ? `${whole}.${cents.toString().padStart(2, '0')}` : whole
}

// ─── Form fields ────────────────────────────────────────────────────────────────────

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

/** A required amount in yuan (up to two decimals, no more than 100 亿) → integer fen. */
const yuan = z.preprocess(
  (v) => (blank(v) ? undefined : typeof v === 'string' ? v.trim().replace(/[,，\s]/g, '').replace(/元$/, '') : v),
  z.union([z.string(), z.number()], { error: msg('err.required') }).transform((v, ctx) => {
    const text = typeof v === 'number' ? String(v) : v
    if (/^-\d/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'err.negativeAmount' })
      return z.NEVER
    }
    if (!/^\d+(\.\d{1,2})?$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'err.amount' })
      return z.NEVER
    }
    const [whole, frac = ''] = text.split('.') as [string, string?]
    if (whole.replace(/^0+/, '').length > 11) {
      ctx.addIssue({ code: 'custom', message: msg('err.amountTooLarge', { max: '100亿' }) })
      return z.NEVER
    }
    return Number(whole) * 100 + Number(frac.padEnd(2, '0'))
  }),
)

const optionalYuan = z.preprocess((v) => (blank(v) ? undefined : v), yuan.optional()).transform((v) => v ?? null)

/** A percentage with up to two decimals → basis points (5.25 % → 525). */
const percentToBp = z
  .preprocess(
    (v) => (blank(v) ? undefined : typeof v === 'string' ? v.trim().replace(/[%％]$/, '') : v),
    z
      .union([z.string(), z.number()])
      .transform((v, ctx) => {
        const text = String(v)
        if (!/^\d+(\.\d{1,2})?$/.test(text)) {
          ctx.addIssue({ code: 'custom', message: 'err.contract.royaltyRate' })
          return z.NEVER
        }
        const [whole, frac = ''] = text.split('.') as [string, string?]
        return Number(whole) * 100 + Number(frac.padEnd(2, '0'))
      })
      .optional(),
  )
  .transform((v) => v ?? null)

const isoDate = z.string({ error: msg('err.date') }).trim().refine(isIsoDate, { error: msg('err.date') })
const optionalDate = z.preprocess((v) => (blank(v) ? undefined : v), isoDate.optional()).transform((v) => v ?? null)

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (blank(v) ? undefined : v), schema.optional()).transform((v) => (v ?? null) as z.output<T> | null)

function enumOf<T extends Record<string, string>>(values: T, labels: Record<string, string>, errorKey: string) {
  const byLabel = new Map(Object.entries(labels).map(([code, label]) => [label, code]))
  return z.preprocess(
    (v) => (typeof v === 'string' ? (byLabel.get(v.trim()) ?? v.trim()) : v),
    z.enum(Object.values(values) as [T[keyof T], ...T[keyof T][]], { error: msg(errorKey) }),
  )
}

const SUBTYPE_NAMES = Object.fromEntries(Object.entries(CONTRACT_SUBTYPES).map(([k, v]) => [k, v.name]))
export const contractType = enumOf(ContractType, CONTRACT_TYPES, 'err.contract.type')
export const contractSubtype = enumOf(ContractSubtype, SUBTYPE_NAMES, 'err.contract.subtype')
export const exclusivity = enumOf(LicenseExclusivity, LICENSE_EXCLUSIVITY, 'err.contract.exclusivity')
export const paymentMethod = enumOf(PaymentMethod, PAYMENT_METHODS, 'err.contract.paymentMethod')

const ipNumbers = z.preprocess(
  (v) => {
    const raw = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[;；,，\n]/) : []
    return [...new Set(raw.map((x) => (typeof x === 'string' ? x.trim() : x)).filter((x) => typeof x === 'string' && x !== ''))]
  },
  z.array(z.string()),
)

const id = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: msg('err.badRequest') })

/** One row of the milestone table; a row left wholly blank is no milestone. */
const MilestoneRow = z.preprocess(
  (v) => (v && typeof v === 'object' && Object.values(v).some((x) => !blank(x)) ? v : undefined),
  z
    .object({
      title: requiredText(200),
      dueDate: z.preprocess((v) => (blank(v) ? undefined : v), z.string({ error: msg('err.required') })).pipe(isoDate),
      amount: yuan,
    })
    .optional(),
)

const termsFields = {
  title: requiredText(200, 2),
  type: contractType,
  subtype: contractSubtype,
  exclusivity: optional(exclusivity),
  field: optional(techField),
  industry: optional(industry),
  ipType: optional(ipType),
  ipNumbers,
  amount: yuan,
  techAmount: yuan,
  paymentMethod,
  royaltyRate: percentToBp,
  entryFee: optionalYuan,
  termStart: optionalDate,
  termEnd: optionalDate,
  milestones: z.preprocess((v) => (v === undefined || v === null ? [] : v), z.array(MilestoneRow)),
  termsText: requiredText(20_000, 10),
}

type TermsForm = z.output<z.ZodObject<typeof termsFields>>

/** The form's values as the domain's terms. */
export function formToTerms(v: TermsForm): ContractTerms {
  return {
    title: v.title,
    type: v.type,
    subtype: v.subtype,
    exclusivity: v.exclusivity,
    field: v.field as TechField | null,
    industry: v.industry as Industry | null,
    ipType: v.ipType as IpType | null,
    ipNumbers: v.ipNumbers,
    amountFen: v.amount,
    techAmountFen: v.techAmount,
    paymentMethod: v.paymentMethod,
    royaltyRateBp: v.paymentMethod === 'ROYALTY' ? v.royaltyRate : null,
    entryFeeFen: v.paymentMethod === 'ROYALTY' ? v.entryFee : null,
    termStart: v.termStart,
    termEnd: v.termEnd,
    milestones: v.milestones.flatMap((m) => (m ? [{ title: m.title, dueDate: m.dueDate, amountFen: m.amount }] : [])),
    termsText: v.termsText,
  }
}

/**
 * The domain rules, reported on the form's fields. Row numbers in `milestones[i]` paths are
 * those of the form (blank rows included), so each message lands beside its own row.
 */
function checkTermsForm(v: TermsForm, ctx: z.RefinementCtx) {
  const rows = v.milestones.flatMap((m, i) => (m ? [i] : []))
  for (const p of termsProblems(formToTerms(v))) {
    // Rows of the form where the domain counts only filled ones.
    const path = p.path.replace(/^milestones\[(\d+)\]/, (_m, i: string) => `milestones[${rows[Number(i)]}]`)
    ctx.addIssue({ code: 'custom', message: p.key, path: parsePath(path) })
  }
}

/** Rules across fields run once every field is valid on its own (no second message for a bad field). */
const crossFieldRules = { when: (payload: { issues: unknown[] }) => payload.issues.length === 0 }

function parsePath(path: string): (string | number)[] {
  return path.split(/[.[\]]/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

/** The draft form: terms, the parties, and where the deal came from. */
export const ContractDraftSchema = z
  .object({
    ...termsFields,
    sellerOrgId: id.or(z.undefined()).refine((v) => !!v, { error: msg('err.contract.sellerRequired') }),
    buyerOrgId: id.or(z.undefined()).refine((v) => !!v, { error: msg('err.contract.buyerRequired') }),
    matchId: optional(id),
    achievementId: optional(id),
    demandId: optional(id),
    scenarioId: optional(id),
    dealId: optional(id),
  })
  .superRefine((v, ctx) => {
    if (v.sellerOrgId && v.buyerOrgId && v.sellerOrgId === v.buyerOrgId) {
      ctx.addIssue({ code: 'custom', message: 'err.contract.sameParty', path: ['buyerOrgId'] })
    }
    checkTermsForm(v, ctx)
  }, crossFieldRules)

export function draftFormToInput(v: z.output<typeof ContractDraftSchema>): DraftInput {
  return {
    ...formToTerms(v),
    sellerOrgId: v.sellerOrgId!,
    buyerOrgId: v.buyerOrgId!,
    matchId: v.matchId,
    achievementId: v.achievementId,
    demandId: v.demandId,
    scenarioId: v.scenarioId,
    dealId: v.dealId,
  }
}

/** A new version of the terms: the parties stay. */
export const ContractTermsSchema = z.object(termsFields).superRefine(checkTermsForm, crossFieldRules)

// ─── Confirmation, registration, closing ────────────────────────────────────────────

export const ConfirmSchema = z.object({
  version: z.coerce.number({ error: msg('err.badRequest') }).int().min(1),
  termsHash: z.string().regex(/^[0-9a-f]{64}$/, { error: msg('err.badRequest') }),
  agree: z.preprocess((v) => v === 'on' || v === true || v === 'true', z.literal(true, { error: msg('err.contract.agreeRequired') })),
})

export const RegisterSchema = z.object({
  registrationNumber: z
    .string({ error: msg('err.required') })
    .trim()
    .min(1, { error: msg('err.required') })
    .max(64, { error: msg('err.tooLong', { max: 64 }) })
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{3,63}$/, { error: msg('err.contract.registrationNumber') }),
  registeredAt: z.preprocess((v) => (blank(v) ? undefined : v), z.string({ error: msg('err.required') })).pipe(isoDate),
  rules: z.enum(Object.values(RegistrationRules) as [RegistrationRules, ...RegistrationRules[]], { error: msg('err.contract.rules') }),
  registeredTechAmount: yuan,
  registeredType: contractType,
  registeredSubtype: contractSubtype,
})
export type RegisterInput = z.output<typeof RegisterSchema>

export const ReasonSchema = z.object({ reason: requiredText(1000, 2) })

export const ContractListQuerySchema = z.object({
  status: z
    .enum(['DRAFT', 'AWAITING_CONFIRMATION', 'SIGNED', 'REGISTRATION_SUBMITTED', 'REGISTERED', 'NOT_REGISTERED', 'COMPLETED', 'TERMINATED'])
    .optional()
    .catch(undefined),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  q: optionalText(100).catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})
export type ContractListQuery = z.output<typeof ContractListQuerySchema>
