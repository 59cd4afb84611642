import { z } from 'zod'
import { msg } from '~/domain/validation/fields'
import { codesOf, INDUSTRIES, LISTING_STATUSES, STAGES, TECH_FIELDS, TRANSFER_MODES } from './classifications'
import { yuanToFen } from './schemas'

/** Filters, sort and page of a listing list: the same for the pages, the API and exports. */
export const SORTS = ['newest', 'oldest', 'price_asc', 'price_desc', 'trl_desc', 'deadline'] as const

const level = z.coerce.number({ error: msg('err.trl') }).int({ error: msg('err.trl') }).min(1, { error: msg('err.trl') }).max(9, { error: msg('err.trl') })

export const ListQuerySchema = z
  .object({
    q: z.string().trim().max(200, { error: msg('err.tooLong', { max: 200 }) }).optional(),
    field: z.enum(codesOf(TECH_FIELDS), { error: msg('err.field') }).optional(),
    industry: z.enum(codesOf(INDUSTRIES), { error: msg('err.industry') }).optional(),
    stage: z.enum(codesOf(STAGES), { error: msg('err.stage') }).optional(),
    mode: z.enum(codesOf(TRANSFER_MODES), { error: msg('err.transferMode') }).optional(),
    trlMin: level.optional(),
    trlMax: level.optional(),
    priceMin: yuanToFen.optional(),
    priceMax: yuanToFen.optional(),
    region: z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/, { error: msg('err.region') }).optional(),
    status: z.enum(codesOf(LISTING_STATUSES), { error: msg('err.status') }).optional(),
    stale: z.enum(['1', '0']).optional(),
    batch: z.string().max(64).optional(),
    sort: z.enum(SORTS, { error: msg('err.sort') }).default('newest'),
    cursor: z.string().max(64).optional(),
    page: z.coerce.number({ error: msg('err.page') }).int({ error: msg('err.page') }).min(1, { error: msg('err.page') }).max(10_000, { error: msg('err.page') }).default(1),
    pageSize: z.coerce.number({ error: msg('err.pageSize') }).int({ error: msg('err.pageSize') }).min(1, { error: msg('err.pageSize') }).max(100, { error: msg('err.pageSize') }).default(20),
  })
  .refine((v) => v.trlMin === undefined || v.trlMax === undefined || v.trlMin <= v.trlMax, {
    path: ['trlMax'],
    error: msg('err.range'),
  })
  .refine((v) => v.priceMin == null || v.priceMax == null || v.priceMin <= v.priceMax, {
    path: ['priceMax'],
    error: msg('err.range'),
  })

export type ListQuery = z.output<typeof ListQuerySchema>

/** From URL parameters; empty values count as absent. */
export function searchParamsToObject(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...params].filter(([, v]) => v.trim() !== ''))
}

/** For pages: a wrong filter is dropped (and reported) instead of failing the whole page. */
export function parseListQueryLenient(params: URLSearchParams): { query: ListQuery; invalid: string[] } {
  const raw = searchParamsToObject(params)
  const first = ListQuerySchema.safeParse(raw)
  if (first.success) return { query: first.data, invalid: [] }
  const invalid = [...new Set(first.error.issues.map((i) => String(i.path[0])))]
  for (const key of invalid) delete raw[key]
  const second = ListQuerySchema.safeParse(raw)
  return { query: second.success ? second.data : ListQuerySchema.parse({}), invalid }
}
