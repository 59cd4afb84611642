import { z } from 'zod'
import type { BrokerGrade } from '~/generated/prisma/enums'
import { codesOf, INDUSTRIES, TECH_FIELDS } from '~/domain/listings/classifications'
import { industry, techField } from '~/domain/listings/schemas'
import { msg, optionalText, requiredText } from '~/domain/validation/fields'

/**
 * Input schemas of the broker workspace: the profile form, the directory and claims filters,
 * the bureau's refusal and the enterprise's decline. Shared by the browser (Conform) and the
 * server; checks that need the region tables (server-only data) are made by the domain.
 */

/** 初级技术经纪人 / 中级技术经纪人 / 高级技术经理人, in this order. */
export const BROKER_GRADES = ['JUNIOR', 'INTERMEDIATE', 'SENIOR'] as const satisfies readonly BrokerGrade[]

/** Certificate numbers as the issuing bodies print them: letters and digits, groups joined by dashes. */
export const CERTIFICATE_PATTERN = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/
export const CERTIFICATE_MAX = 64
export const BIO_MAX = 2000
export const MAX_REGIONS = 30

/** Something that looks like markup: a bio is plain text, shown as text. */
const MARKUP = /<\s*\/?\s*[A-Za-z!?][^>]*>/

/** A GB/T 2260 code in the shape of a province (XX0000) or a district; whether it exists, the domain checks. */
export const REGION_CODE = /^\d{6}$/

/** A list sent as repeated values of one name (checkboxes), or absent. */
function repeated<T extends z.ZodType>(item: T, max: number) {
  return z.preprocess(
    (v) => {
      const raw = Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]
      return [...new Set(raw.map((x) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== ''))]
    },
    z.array(item).max(max, { error: msg('err.tooMany', { max }) }),
  )
}

const bool = z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === '1', z.boolean())

export const BrokerProfileSchema = z.object({
  grade: z.enum(BROKER_GRADES, { error: msg('err.broker.grade') }),
  certificateNo: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() || undefined : v === null ? undefined : v),
    z
      .string()
      .max(CERTIFICATE_MAX, { error: msg('err.tooLong', { max: CERTIFICATE_MAX }) })
      .regex(CERTIFICATE_PATTERN, { error: msg('err.broker.certificate') })
      .optional(),
  ),
  fields: repeated(techField, Object.keys(TECH_FIELDS).length),
  industries: repeated(industry, Object.keys(INDUSTRIES).length),
  regionCodes: repeated(z.string().regex(REGION_CODE, { error: msg('err.broker.regions') }), MAX_REGIONS),
  bio: optionalText(BIO_MAX).refine((v) => !v || !MARKUP.test(v), { error: msg('err.broker.bioMarkup') }),
  listed: bool.default(false),
})
export type BrokerProfileInput = z.output<typeof BrokerProfileSchema>

/** The bureau's verification queue, by profile state. */
export const QUEUE_TABS = ['pending', 'verified', 'refused'] as const
export type QueueTab = (typeof QUEUE_TABS)[number]

export const RefuseSchema = z.object({
  reason: requiredText(1000, 4),
})

export const DeclineSchema = z.object({
  reason: optionalText(1000),
})

const page = z.coerce.number().int().min(1).max(10_000).catch(1)

/** The directory's filters, from the URL: a wrong value is dropped, never an error page. */
export const DirectoryQuerySchema = z.object({
  grade: z.enum(BROKER_GRADES).optional().catch(undefined),
  field: z.enum(codesOf(TECH_FIELDS)).optional().catch(undefined),
  industry: z.enum(codesOf(INDUSTRIES)).optional().catch(undefined),
  /** A province (2 digits). */
  region: z.string().regex(/^\d{2}$/).optional().catch(undefined),
  /** A district (6 digits) inside `region`. */
  district: z.string().regex(REGION_CODE).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  page,
})
export type DirectoryQuery = z.output<typeof DirectoryQuerySchema>

/** Unclaimed demands: by default those fitting the broker's profile (`scope=mine`), or all. */
export const ClaimsQuerySchema = z.object({
  scope: z.enum(['mine', 'all']).catch('mine'),
  field: z.enum(codesOf(TECH_FIELDS)).optional().catch(undefined),
  industry: z.enum(codesOf(INDUSTRIES)).optional().catch(undefined),
  region: z.string().regex(/^\d{2}$/).optional().catch(undefined),
  district: z.string().regex(REGION_CODE).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  page,
})
export type ClaimsQuery = z.output<typeof ClaimsQuerySchema>

/** The region filter a pair of province/district selects means: the district when it lies in the province. */
export function regionFilter(q: { region?: string; district?: string }): string | undefined {
  if (q.district && (!q.region || q.district.startsWith(q.region))) return q.district
  return q.region
}

/**
 * A region code as a prefix of the codes it contains: 500000 (重庆市) → 50, 510100 (成都市) →
 * 5101, 500118 (永川区) → 500118. District codes never end in 00.
 */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2)
  if (code.endsWith('00')) return code.slice(0, 4)
  return code
}

/** The codes that contain a 6-digit region: itself, its city and its province. */
export function regionAncestors(code: string): string[] {
  return [...new Set([code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`])]
}
