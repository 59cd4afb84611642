import { z } from 'zod'
import type { Prisma } from '~/generated/prisma/client'
import type { OrgKind } from '~/generated/prisma/enums'
import { audit } from '~/domain/audit.server'
import { countableContractWhere } from '~/domain/contracts/contracts.server'
import { AppError } from '~/domain/errors'
import { todayInChina } from '~/domain/listings/schemas'
import { HOME_DISTRICT, regionZone } from '~/domain/orgs/regions'
import type { Actor } from '~/domain/users/accounts.server'
import { can } from '~/domain/users/permissions'
import { prisma } from '~/infra/db/client.server'
import { KIND_BUCKETS, MAX_YEAR, MIN_YEAR, ZONES, type GroupBy } from './api'
import { dayOfYear, daysInYear, planContractCount, planTurnoverFen, progressBp, projectYearEnd, type PastYear } from './plan'

/**
 * The bureau's dashboard (issue 5, item 6). Every figure comes from contracts matched by
 * countableContractWhere() (registered or completed), dated by registeredAt, summed in
 * integer fen (bigint). Numbers leave as JS numbers only in toJsonStats().
 */

type Db = Awaited<ReturnType<typeof prisma>>

export { GROUP_BYS, KIND_BUCKETS, MAX_YEAR, MIN_YEAR, ZONES, type GroupBy } from './api'

export interface Sum {
  count: number
  amountFen: bigint
  techAmountFen: bigint
}
export interface Row extends Sum {
  key: string
}
export interface NamedRow extends Row {
  name: string
}

export const StatsQuerySchema = z.object({
  year: z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR).optional(),
  quarter: z.coerce.number().int().min(1).max(4).optional(),
})

export function currentYear(now = new Date()): number {
  return Number(todayInChina(now).slice(0, 4))
}

export function periodRange(year: number, quarter?: number | null): { gte: Date; lt: Date } {
  if (quarter) return { gte: new Date(Date.UTC(year, (quarter - 1) * 3, 1)), lt: new Date(Date.UTC(year, quarter * 3, 1)) }
  return { gte: new Date(Date.UTC(year, 0, 1)), lt: new Date(Date.UTC(year + 1, 0, 1)) }
}

const empty = (): Sum => ({ count: 0, amountFen: 0n, techAmountFen: 0n })
function add(into: Sum, count: number, amount: bigint | null | undefined, tech: bigint | null | undefined) {
  into.count += count
  into.amountFen += amount ?? 0n
  into.techAmountFen += tech ?? 0n
}
const SUMS = { _count: { _all: true }, _sum: { amountFen: true, registeredTechAmountFen: true } } as const

function kindBucket(kind: OrgKind): (typeof KIND_BUCKETS)[number] {
  return kind === 'ENTERPRISE' || kind === 'UNIVERSITY' || kind === 'INSTITUTE' ? kind : 'OTHER'
}

// ─── Targets ─────────────────────────────────────────────────────────────────────────

/** Seeds the Target table from the plan when it is empty, and adds a missing year from the plan. */
async function ensureTarget(db: Db, year: number) {
  const existing = await db.target.findUnique({ where: { year } })
  if (existing) return existing
  const count = await db.target.count()
  const years = count === 0 ? [...new Set([2021, 2022, 2023, 2024, 2025, 2026, year])] : [year]
  await db.target.createMany({
    data: years.map((y) => ({ year: y, turnoverFen: planTurnoverFen(y), contractCount: planContractCount(y) })),
    skipDuplicates: true,
  })
  return (await db.target.findUnique({ where: { year } }))!
}

export async function getTarget(year: number) {
  const db = await prisma()
  const t = await ensureTarget(db, year)
  return { year: t.year, turnoverFen: t.turnoverFen, contractCount: t.contractCount, updatedAt: t.updatedAt }
}

export const TargetInputSchema = z.object({
  year: z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR),
  /** 亿元 with up to 4 decimals as typed, turned into fen exactly. */
  turnoverYi: z
    .string()
    .trim()
    .regex(/^\d{1,4}(\.\d{1,6})?$/, { error: 'stats.err.turnover' }),
  contractCount: z
    .string({ error: 'stats.err.count' })
    .trim()
    .regex(/^\d{1,7}$/, { error: 'stats.err.count' })
    .transform(Number)
    .refine((n) => n <= 1_000_000, { error: 'stats.err.count' }),
})
export type TargetInput = z.output<typeof TargetInputSchema>

/** 亿元 as a decimal string → fen, exactly (1亿元 = 10^10 fen). */
export function yiToFen(text: string): bigint {
  const [whole, frac = ''] = text.split('.') as [string, string?]
  return BigInt(whole) * 10_000_000_000n + BigInt((frac ?? '').padEnd(10, '0').slice(0, 10) || '0')
}

export async function setTarget({ actor, input, ip }: { actor: Actor; input: TargetInput; ip?: string | null }) {
  if (!can(actor.role, 'target:edit')) throw new AppError('FORBIDDEN', 'err.forbidden')
  const db = await prisma()
  await ensureTarget(db, input.year)
  const turnoverFen = yiToFen(input.turnoverYi)
  return db.$transaction(async (tx) => {
    const before = await tx.target.findUnique({ where: { year: input.year } })
    const after = await tx.target.update({ where: { year: input.year }, data: { turnoverFen, contractCount: input.contractCount, updatedById: actor.id } })
    await audit(tx, {
      actorId: actor.id,
      action: 'target.update',
      entityType: 'Target',
      entityId: String(input.year),
      before: before && { turnoverFen: before.turnoverFen.toString(), contractCount: before.contractCount },
      after: { turnoverFen: after.turnoverFen.toString(), contractCount: after.contractCount },
      ip,
    })
    return after
  })
}

// ─── Aggregates ──────────────────────────────────────────────────────────────────────

function where(range: { gte: Date; lt: Date }, extra?: Prisma.ContractWhereInput) {
  return countableContractWhere(extra ? { AND: [{ registeredAt: range }, extra] } : { registeredAt: range })
}

/** Count and sums of the countable contracts registered in a range. */
export async function totalsOf(range: { gte: Date; lt: Date }): Promise<Sum> {
  const db = await prisma()
  const a = await db.contract.aggregate({ where: where(range), ...SUMS })
  return { count: a._count._all, amountFen: a._sum.amountFen ?? 0n, techAmountFen: a._sum.registeredTechAmountFen ?? 0n }
}

type Groupable = 'type' | 'field' | 'industry' | 'sellerKind' | 'buyerKind' | 'registeredAt' | 'sellerRegion' | 'buyerRegion'

async function groupSums<K extends Groupable>(db: Db, by: K, w: Prisma.ContractWhereInput) {
  // Prisma's groupBy typing does not follow a generic key; the rows are read by that key.
  const rows = (await (db.contract.groupBy as (args: unknown) => Promise<unknown>)({ by: [by], where: w, ...SUMS })) as Array<
    Record<K, unknown> & { _count: { _all: number }; _sum: { amountFen: bigint | null; registeredTechAmountFen: bigint | null } }
  >
  return rows.map((r) => ({ value: r[by], count: r._count._all, amountFen: r._sum.amountFen ?? 0n, techAmountFen: r._sum.registeredTechAmountFen ?? 0n }))
}

function bucketRows(rows: Array<{ value: unknown } & Sum>, keys: readonly string[], keyOf: (v: unknown) => string): Row[] {
  const map = new Map<string, Sum>(keys.map((k) => [k, empty()]))
  for (const r of rows) {
    const k = keyOf(r.value)
    if (!map.has(k)) map.set(k, empty())
    add(map.get(k)!, r.count, r.amountFen, r.techAmountFen)
  }
  return [...map].map(([key, s]) => ({ key, ...s }))
}

const byTech = (a: Row, b: Row) => (a.techAmountFen === b.techAmountFen ? 0 : a.techAmountFen > b.techAmountFen ? -1 : 1)

export async function breakdown(groupBy: GroupBy, year: number, quarter?: number | null): Promise<Row[] | { output: Row[]; absorption: Row[] }> {
  const db = await prisma()
  const range = periodRange(year, quarter)
  switch (groupBy) {
    case 'type':
    case 'field':
    case 'industry': {
      const rows = await groupSums(db, groupBy, where(range))
      return bucketRows(rows, [], (v) => (v == null ? 'NONE' : String(v))).sort(byTech)
    }
    case 'sellerKind':
    case 'buyerKind':
      return bucketRows(await groupSums(db, groupBy, where(range)), KIND_BUCKETS, (v) => kindBucket(v as OrgKind))
    case 'month': {
      const year12 = periodRange(year)
      const rows = await groupSums(db, 'registeredAt', where(year12))
      const months = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'))
      return bucketRows(rows, months, (v) => String((v as Date).getUTCMonth() + 1).padStart(2, '0'))
    }
    case 'region': {
      const [out, abs] = await Promise.all([
        groupSums(db, 'buyerRegion', where(range, { sellerRegion: HOME_DISTRICT })),
        groupSums(db, 'sellerRegion', where(range, { buyerRegion: HOME_DISTRICT })),
      ])
      const zone = (v: unknown) => regionZone(String(v))
      return { output: bucketRows(out, ZONES, zone), absorption: bucketRows(abs, ZONES, zone) }
    }
  }
}

async function topSellers(db: Db, range: { gte: Date; lt: Date }): Promise<NamedRow[]> {
  const rows = await db.contract.groupBy({
    by: ['sellerOrgId'],
    where: where(range),
    ...SUMS,
    orderBy: [{ _sum: { registeredTechAmountFen: 'desc' } }, { sellerOrgId: 'asc' }],
    take: 10,
  })
  const orgs = await db.organization.findMany({ where: { id: { in: rows.map((r) => r.sellerOrgId) } }, select: { id: true, name: true } })
  const names = new Map(orgs.map((o) => [o.id, o.name]))
  return rows.map((r) => ({
    key: r.sellerOrgId,
    name: names.get(r.sellerOrgId) ?? '',
    count: r._count._all,
    amountFen: r._sum.amountFen ?? 0n,
    techAmountFen: r._sum.registeredTechAmountFen ?? 0n,
  }))
}

async function topBrokers(db: Db, range: { gte: Date; lt: Date }): Promise<NamedRow[]> {
  const rows = await db.contract.groupBy({
    by: ['brokerId'],
    where: where(range, { brokerId: { not: null } }),
    ...SUMS,
    orderBy: [{ _sum: { registeredTechAmountFen: 'desc' } }, { brokerId: 'asc' }],
    take: 10,
  })
  const ids = rows.map((r) => r.brokerId!).filter(Boolean)
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
  const names = new Map(users.map((u) => [u.id, u.name]))
  return rows.map((r) => ({
    key: r.brokerId!,
    name: names.get(r.brokerId!) ?? '',
    count: r._count._all,
    amountFen: r._sum.amountFen ?? 0n,
    techAmountFen: r._sum.registeredTechAmountFen ?? 0n,
  }))
}

/** The registered amounts of the years before `year`, to the same day and in total. */
async function pastYears(db: Db, year: number, asOf: Date): Promise<PastYear[]> {
  const rows = await groupSums(db, 'registeredAt', countableContractWhere({ registeredAt: { lt: new Date(Date.UTC(year, 0, 1)) } }))
  const md = asOf.getUTCMonth() * 100 + asOf.getUTCDate()
  const byYear = new Map<number, PastYear>()
  for (const r of rows) {
    const d = r.value as Date
    const y = d.getUTCFullYear()
    const entry = byYear.get(y) ?? { toDateFen: 0n, totalFen: 0n }
    entry.totalFen += r.amountFen
    if (d.getUTCMonth() * 100 + d.getUTCDate() <= md) entry.toDateFen += r.amountFen
    byYear.set(y, entry)
  }
  return [...byYear.values()]
}

export interface DashboardOptions {
  year: number
  quarter?: number | null
  /** Public page: aggregates only, no organisation or broker names. */
  audience: 'public' | 'bureau'
  now?: Date
}

export async function dashboard({ year, quarter = null, audience, now = new Date() }: DashboardOptions) {
  const db = await prisma()
  const range = periodRange(year, quarter)
  const today = new Date(`${todayInChina(now)}T00:00:00Z`)
  const thisYear = today.getUTCFullYear()
  const yearEnd = new Date(Date.UTC(year, 11, 31))
  const asOf = year < thisYear ? yearEnd : year > thisYear ? null : today
  const [target, period, yearSum, types, fields, industries, sellerKinds, buyerKinds, months, regions, sellers, brokers, history] = await Promise.all([
    getTarget(year),
    totalsOf(range),
    quarter ? totalsOf(periodRange(year)) : null,
    breakdown('type', year, quarter) as Promise<Row[]>,
    breakdown('field', year, quarter) as Promise<Row[]>,
    breakdown('industry', year, quarter) as Promise<Row[]>,
    breakdown('sellerKind', year, quarter) as Promise<Row[]>,
    breakdown('buyerKind', year, quarter) as Promise<Row[]>,
    breakdown('month', year) as Promise<Row[]>,
    breakdown('region', year, quarter) as Promise<{ output: Row[]; absorption: Row[] }>,
    audience === 'bureau' ? topSellers(db, range) : Promise.resolve([] as NamedRow[]),
    audience === 'bureau' ? topBrokers(db, range) : Promise.resolve([] as NamedRow[]),
    asOf ? pastYears(db, year, asOf) : Promise.resolve([] as PastYear[]),
  ])
  const full = yearSum ?? period
  // The target of a quarter is a quarter of the year's.
  const targetFen = quarter ? target.turnoverFen / 4n : target.turnoverFen
  const targetCount = quarter ? Math.round(target.contractCount / 4) : target.contractCount
  const projection = asOf
    ? projectYearEnd({ soFarFen: full.amountFen, elapsedDays: dayOfYear(asOf), daysInYear: daysInYear(year), history })
    : { fen: 0n, method: 'linear' as const }
  return {
    year,
    quarter,
    audience,
    asOf: asOf ? asOf.toISOString().slice(0, 10) : null,
    totals: period,
    target: { year: target.year, turnoverFen: targetFen, contractCount: targetCount, yearTurnoverFen: target.turnoverFen, yearContractCount: target.contractCount },
    progress: { amountBp: progressBp(period.amountFen, targetFen), countBp: progressBp(BigInt(period.count), BigInt(targetCount)) },
    projection: { amountFen: projection.fen, method: projection.method, bp: progressBp(projection.fen, target.turnoverFen) },
    monthly: months,
    byType: types,
    byField: fields,
    byIndustry: industries,
    bySellerKind: sellerKinds,
    byBuyerKind: buyerKinds,
    region: regions,
    topSellers: sellers,
    topBrokers: brokers,
  }
}
export type Dashboard = Awaited<ReturnType<typeof dashboard>>

/** Years with countable contracts, plus the current one, newest first. */
export async function statsYears(now = new Date()): Promise<number[]> {
  const db = await prisma()
  const first = await db.contract.aggregate({ where: countableContractWhere(), _min: { registeredAt: true } })
  const last = currentYear(now)
  const from = Math.min(first._min.registeredAt?.getUTCFullYear() ?? last, last)
  return Array.from({ length: last - from + 1 }, (_, i) => last - i)
}

// ─── JSON edge: bigint → number (integer fen) ────────────────────────────────────────

export type Jsonified<T> = T extends bigint ? number : T extends Date ? string : T extends Array<infer U> ? Jsonified<U>[] : T extends object ? { [K in keyof T]: Jsonified<T[K]> } : T

export function toJson<T>(value: T): Jsonified<T> {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))) as Jsonified<T>
}
export type DashboardJson = Jsonified<Dashboard>
