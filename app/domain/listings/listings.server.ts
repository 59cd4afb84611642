import type { Prisma } from '~/generated/prisma/client'
import type { ListingStatus } from '~/generated/prisma/enums'
import { audit } from '~/domain/audit.server'
import { grantedListingIds, holdsGrant } from '~/domain/deals/disclosure.server'
import { AppError } from '~/domain/errors'
import { enqueue } from '~/domain/events/outbox.server'
import { syncSearchDocument } from '~/domain/search/documents.server'
import { authorize, type Actor } from '~/domain/users/accounts.server'
import { can } from '~/domain/users/permissions'
import { prisma } from '~/infra/db/client.server'
import { CREATE_PERMISSION, STALE_AFTER_DAYS, type ListingKind } from './kinds'
import type { ListQuery } from './query'
import {
  stageForTrl,
  type AchievementInput,
  type DemandInput,
  type ScenarioInput,
} from './schemas'

type Tx = Prisma.TransactionClient
export type ListingInput = AchievementInput | DemandInput | ScenarioInput
type Row = Record<string, unknown> & { id: string; orgId: string; status: ListingStatus; title: string }

/**
 * The three kinds share one life cycle and one set of rules; their tables differ only in
 * fields. A small facade over the Prisma delegates keeps the rules in one place.
 */
interface Delegate {
  findFirst(args: object): Promise<Row | null>
  findMany(args: object): Promise<Row[]>
  count(args: object): Promise<number>
  create(args: object): Promise<Row>
  update(args: object): Promise<Row>
  updateMany(args: object): Promise<{ count: number }>
}
export function delegate(db: Tx | Awaited<ReturnType<typeof prisma>>, kind: ListingKind): Delegate {
  return db[kind] as unknown as Delegate
}

const ENTITY: Record<ListingKind, string> = { achievement: 'Achievement', demand: 'Demand', scenario: 'Scenario' }

// ─── Who may do what ────────────────────────────────────────────────────────────────

export function isOwner(actor: Actor | null | undefined, row: { orgId: string }) {
  return !!actor?.orgId && actor.orgId === row.orgId
}

export function canReview(actor: Actor | null | undefined) {
  return !!actor && can(actor.role, 'listing:review')
}

/**
 * Confidential details (and contacts): the owner, brokers and the bureau, and an organisation
 * an effective NDA opened the listing to (`granted`: see app/domain/deals/disclosure.server.ts).
 */
export function canSeeConfidential(actor: Actor | null | undefined, row: { orgId: string }, granted = false) {
  return isOwner(actor, row) || (!!actor && can(actor.role, 'listing:confidential')) || (granted && !!actor?.orgId)
}

function requireOwner(actor: Actor, kind: ListingKind, row: { orgId: string }) {
  authorize(actor, CREATE_PERMISSION[kind])
  if (!isOwner(actor, row)) throw new AppError('FORBIDDEN', 'err.forbidden')
}

// ─── Life cycle ─────────────────────────────────────────────────────────────────────

export type ListingAction = 'submit' | 'withdraw' | 'approve' | 'reject' | 'archive' | 'restore' | 'refresh'

/** Allowed transitions: from which states, and who may take them. */
export const TRANSITIONS: Record<ListingAction, { from: ListingStatus[]; to: ListingStatus; by: 'owner' | 'reviewer' | 'either' }> = {
  submit: { from: ['DRAFT', 'REJECTED'], to: 'PENDING_REVIEW', by: 'owner' },
  withdraw: { from: ['PENDING_REVIEW'], to: 'DRAFT', by: 'owner' },
  approve: { from: ['PENDING_REVIEW'], to: 'PUBLISHED', by: 'reviewer' },
  reject: { from: ['PENDING_REVIEW'], to: 'REJECTED', by: 'reviewer' },
  archive: { from: ['DRAFT', 'REJECTED', 'PUBLISHED'], to: 'ARCHIVED', by: 'either' },
  restore: { from: ['ARCHIVED'], to: 'DRAFT', by: 'owner' },
  refresh: { from: ['PUBLISHED'], to: 'PUBLISHED', by: 'owner' },
}

export function allowedActions(actor: Actor | null | undefined, kind: ListingKind, row: { orgId: string; status: ListingStatus }): ListingAction[] {
  if (!actor) return []
  const owner = isOwner(actor, row) && can(actor.role, CREATE_PERMISSION[kind])
  const reviewer = canReview(actor)
  return (Object.keys(TRANSITIONS) as ListingAction[]).filter((action) => {
    const t = TRANSITIONS[action]
    if (!t.from.includes(row.status)) return false
    return t.by === 'owner' ? owner : t.by === 'reviewer' ? reviewer : owner || reviewer
  })
}

/** A listing's columns from a validated input: what create, update and import store. */
export function listingData(kind: ListingKind, input: ListingInput): Record<string, unknown> {
  const contact = { contactName: input.contactName ?? null, contactPhone: input.contactPhone ?? null, contactEmail: input.contactEmail ?? null }
  const big = (fen: number | null | undefined) => (fen === null || fen === undefined ? null : BigInt(fen))
  const date = (d: string | undefined) => (d ? new Date(`${d}T00:00:00Z`) : null)
  if (kind === 'achievement') {
    const a = input as AchievementInput
    return {
      title: a.title,
      summary: a.summary,
      field: a.field,
      industry: a.industry,
      keywords: a.keywords,
      trl: a.trl,
      stage: a.stage ?? stageForTrl(a.trl),
      ipType: a.ipType ?? null,
      ipNumbers: a.ipNumbers,
      ipStatus: a.ipStatus ?? null,
      transferModes: a.transferModes,
      askingPriceFen: big(a.askingPrice),
      confidentialDetails: a.confidentialDetails ?? null,
      ...contact,
    }
  }
  if (kind === 'demand') {
    const d = input as DemandInput
    return {
      title: d.title,
      description: d.description,
      currentSituation: d.currentSituation ?? null,
      targetIndicators: d.targetIndicators ?? null,
      constraints: d.constraints ?? null,
      field: d.field,
      industry: d.industry,
      keywords: d.keywords,
      trlMin: d.trlMin ?? null,
      budgetFen: big(d.budget),
      deadline: date(d.deadline),
      cooperationModes: d.cooperationModes,
      confidential: d.confidential,
      ...contact,
    }
  }
  const s = input as ScenarioInput
  return {
    title: s.title,
    description: s.description,
    sector: s.sector,
    field: s.field ?? null,
    capability: s.capability ?? null,
    keywords: s.keywords,
    budgetFen: big(s.budget),
    deadline: date(s.deadline),
    ownerDepartment: s.ownerDepartment ?? null,
    batchId: s.batchId ?? null,
    ...contact,
  }
}

async function checkBatch(tx: Tx, actor: Actor, input: ListingInput, kind: ListingKind) {
  const batchId = kind === 'scenario' ? (input as ScenarioInput).batchId : undefined
  if (!batchId) return
  const batch = await tx.scenarioBatch.findFirst({ where: { id: batchId, orgId: actor.orgId ?? '' }, select: { id: true } })
  if (!batch) throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { batchId: 'err.batch' } })
}

/** Creates a draft (or, with `submit`, sends it straight to review). */
export async function createListing({
  actor,
  kind,
  input,
  submit = false,
  ip,
}: {
  actor: Actor
  kind: ListingKind
  input: ListingInput
  submit?: boolean
  ip?: string | null
}) {
  authorize(actor, CREATE_PERMISSION[kind])
  if (!actor.orgId) throw new AppError('FORBIDDEN', 'err.noOrg')
  const orgId = actor.orgId
  const db = await prisma()
  const row = await db.$transaction(async (tx) => {
    await checkBatch(tx, actor, input, kind)
    // Refuse before writing: a create that answers "forbidden" must not leave a draft behind.
    if (submit) await requireVerifiedOrg(tx, orgId)
    const created = await delegate(tx, kind).create({
      data: { ...listingData(kind, input), orgId, createdById: actor.id, status: 'DRAFT' },
    })
    await audit(tx, { actorId: actor.id, action: `${kind}.create`, entityType: ENTITY[kind], entityId: created.id, after: created, ip })
    await syncSearchDocument(tx, kind, created.id)
    return created
  })
  return submit ? transitionListing({ actor, kind, id: row.id, action: 'submit', ip }) : row
}

/** Edits a listing; a published one goes back to review, since the public sees what the bureau approved. */
export async function updateListing({
  actor,
  kind,
  id,
  input,
  ip,
}: {
  actor: Actor
  kind: ListingKind
  id: string
  input: ListingInput
  ip?: string | null
}) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const before = await delegate(tx, kind).findFirst({ where: { id, orgId: actor.orgId ?? '' } })
    if (!before) throw new AppError('NOT_FOUND', 'err.notFound')
    requireOwner(actor, kind, before)
    if (before.status === 'ARCHIVED') throw new AppError('CONFLICT', 'err.archivedReadOnly')
    await checkBatch(tx, actor, input, kind)
    const status: ListingStatus = before.status === 'PUBLISHED' ? 'PENDING_REVIEW' : before.status
    const after = await delegate(tx, kind).update({
      where: { id },
      data: { ...listingData(kind, input), status, refreshedAt: new Date(), staleAt: null },
    })
    await audit(tx, { actorId: actor.id, action: `${kind}.update`, entityType: ENTITY[kind], entityId: id, before, after, ip })
    await syncSearchDocument(tx, kind, id)
    return after
  })
}

export async function transitionListing({
  actor,
  kind,
  id,
  action,
  reason,
  ip,
}: {
  actor: Actor
  kind: ListingKind
  id: string
  action: ListingAction
  reason?: string
  ip?: string | null
}) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const reviewer = canReview(actor)
    // Reviewers see every listing; everyone else only their organisation's.
    const before = await delegate(tx, kind).findFirst({ where: reviewer ? { id } : { id, orgId: actor.orgId ?? '' } })
    if (!before) throw new AppError('NOT_FOUND', 'err.notFound')
    if (!allowedActions(actor, kind, before).includes(action)) {
      const t = TRANSITIONS[action]
      const mayAct = t.by === 'reviewer' ? reviewer : isOwner(actor, before) || (t.by === 'either' && reviewer)
      throw mayAct ? new AppError('CONFLICT', 'err.badTransition', { params: { status: before.status } }) : new AppError('FORBIDDEN', 'err.forbidden')
    }
    if (action === 'submit') await requireVerifiedOrg(tx, before.orgId)
    // A demand a broker mined is submitted only once the enterprise confirmed it (app/domain/brokers/mining.server.ts).
    if (action === 'submit' && kind === 'demand' && before.minedById && !before.confirmedAt) throw new AppError('CONFLICT', 'err.demand.unconfirmed')
    if (action === 'reject' && !reason?.trim()) {
      throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { reason: 'err.reasonRequired' } })
    }
    // The bureau's own scenarios need no second pair of eyes: submitting publishes them.
    const to = action === 'submit' && reviewer && kind === 'scenario' ? 'PUBLISHED' : TRANSITIONS[action].to
    const now = new Date()
    const after = await delegate(tx, kind).update({
      where: { id },
      data: {
        status: to,
        rejectReason: action === 'reject' ? reason!.trim() : to === 'PUBLISHED' || to === 'PENDING_REVIEW' ? null : undefined,
        ...(to === 'PUBLISHED' && before.status !== 'PUBLISHED' ? { publishedAt: now, refreshedAt: now, staleAt: null } : {}),
        ...(action === 'refresh' ? { refreshedAt: now, staleAt: null } : {}),
      },
    })
    await audit(tx, {
      actorId: actor.id,
      action: `${kind}.${action}`,
      entityType: ENTITY[kind],
      entityId: id,
      before: { status: before.status },
      after: { status: after.status, ...(reason ? { reason: reason.trim() } : {}) },
      ip,
    })
    await syncSearchDocument(tx, kind, id)
    return after
  })
}

async function requireVerifiedOrg(tx: Tx, orgId: string) {
  const org = await tx.organization.findUnique({ where: { id: orgId }, select: { verified: true } })
  if (!org?.verified) throw new AppError('FORBIDDEN', 'err.orgNotVerified')
}

// ─── Reading ────────────────────────────────────────────────────────────────────────

const orgSelect = { select: { id: true, name: true, kind: true, regionCode: true, verified: true } } as const

/** What a listing looks like outside the domain: money as numbers of fen, secrets removed. */
export function toDto(kind: ListingKind, row: Row, actor: Actor | null | undefined, granted = false) {
  const out: Record<string, unknown> = { kind, ...row }
  for (const key of ['askingPriceFen', 'budgetFen']) {
    if (key in out) out[key] = out[key] === null ? null : Number(out[key] as bigint)
  }
  const secret = !canSeeConfidential(actor, row, granted)
  if (secret) {
    delete out.confidentialDetails
    if (kind === 'demand' && row.confidential) {
      out.currentSituation = null
      out.targetIndicators = null
      out.constraints = null
    }
    // Contacts and the audit of review are the platform's to share, not the public's: a visitor
    // reaches the owner through a broker or the platform, which keeps every introduction traceable.
    out.contactName = null
    out.contactPhone = null
    out.contactEmail = null
  }
  // A grant opens the details and the contacts, not who created the listing or why it was sent back.
  if (!canSeeConfidential(actor, row)) {
    delete out.createdById
    delete out.minedById
    delete out.confirmedById
    if (!isOwner(actor, row) && !canReview(actor)) delete out.rejectReason
  }
  out.detailsHidden = secret && kind === 'demand' && !!row.confidential
  return out as ListingDto
}

export type ListingDto = {
  kind: ListingKind
  id: string
  orgId: string
  title: string
  status: ListingStatus
  org: { id: string; name: string; kind: string; regionCode: string; verified: boolean }
  detailsHidden: boolean
  [key: string]: unknown
}

/** One listing, if the actor may see it: published ones are public, others only for the owner and reviewers. */
export async function getListing({ actor, kind, id }: { actor: Actor | null | undefined; kind: ListingKind; id: string }) {
  const db = await prisma()
  const row = await delegate(db, kind).findFirst({
    where: { id },
    include: { org: orgSelect, ...(kind === 'scenario' ? { batch: { select: { id: true, number: true, title: true } } } : {}) },
  })
  if (!row) throw new AppError('NOT_FOUND', 'err.notFound')
  if (row.status !== 'PUBLISHED' && !isOwner(actor, row) && !canReview(actor)) throw new AppError('NOT_FOUND', 'err.notFound')
  const granted = await holdsGrant(db, actor, kind, row.id)
  return {
    listing: toDto(kind, row, actor, granted),
    actions: allowedActions(actor, kind, row),
    /** Whether the actor sees the confidential details and contacts. */
    disclosed: canSeeConfidential(actor, row, granted),
  }
}

export type ListScope = 'public' | 'mine' | 'review'

/** The `where` of a list: scope first (what the actor may see), then the filters. */
export function listWhere(kind: ListingKind, query: ListQuery, scope: ListScope, actor: Actor | null | undefined) {
  const and: Record<string, unknown>[] = []
  if (scope === 'mine') {
    if (!actor?.orgId) throw new AppError('FORBIDDEN', 'err.noOrg')
    and.push({ orgId: actor.orgId })
    if (query.status) and.push({ status: query.status })
  } else if (scope === 'review') {
    if (!canReview(actor)) throw new AppError('FORBIDDEN', 'err.forbidden')
    and.push({ status: query.status ?? 'PENDING_REVIEW' })
  } else {
    and.push({ status: 'PUBLISHED' })
  }
  const price = kind === 'achievement' ? 'askingPriceFen' : 'budgetFen'
  if (query.q) {
    const text = kind === 'achievement' ? 'summary' : 'description'
    and.push({
      OR: [
        { title: { contains: query.q, mode: 'insensitive' } },
        { [text]: { contains: query.q, mode: 'insensitive' } },
        { keywords: { has: query.q } },
      ],
    })
  }
  if (query.field) and.push({ field: query.field })
  if (query.industry) and.push(kind === 'scenario' ? { sector: query.industry } : { industry: query.industry })
  if (query.stage && kind === 'achievement') and.push({ stage: query.stage })
  if (query.mode && kind !== 'scenario') and.push({ [kind === 'achievement' ? 'transferModes' : 'cooperationModes']: { has: query.mode } })
  const trlField = kind === 'achievement' ? 'trl' : kind === 'demand' ? 'trlMin' : null
  if (trlField && query.trlMin) and.push({ [trlField]: { gte: query.trlMin } })
  if (trlField && query.trlMax) and.push({ [trlField]: { lte: query.trlMax } })
  if (query.priceMin != null) and.push({ [price]: { gte: BigInt(query.priceMin) } })
  if (query.priceMax != null) and.push({ [price]: { lte: BigInt(query.priceMax) } })
  if (query.region) and.push({ org: { regionCode: { startsWith: query.region } } })
  if (query.stale === '1') and.push({ staleAt: { not: null } })
  if (query.stale === '0') and.push({ staleAt: null })
  if (query.batch && kind === 'scenario') and.push({ batchId: query.batch })
  return { AND: and }
}

export function listOrderBy(kind: ListingKind, sort: ListQuery['sort']) {
  const price = kind === 'achievement' ? 'askingPriceFen' : 'budgetFen'
  const by: Record<string, unknown>[] = {
    newest: [{ publishedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
    oldest: [{ publishedAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
    price_asc: [{ [price]: { sort: 'asc', nulls: 'last' } }],
    price_desc: [{ [price]: { sort: 'desc', nulls: 'last' } }],
    trl_desc: kind === 'achievement' ? [{ trl: 'desc' }] : kind === 'demand' ? [{ trlMin: { sort: 'desc', nulls: 'last' } }] : [],
    deadline: kind === 'achievement' ? [] : [{ deadline: { sort: 'asc', nulls: 'last' } }],
  }[sort]
  // The id makes the order total, which cursor pagination needs.
  return [...by, { id: 'asc' }]
}

/** A page of listings: by `cursor` (the API) or by page number (the pages). */
export async function listListings({
  actor,
  kind,
  query,
  scope = 'public',
}: {
  actor: Actor | null | undefined
  kind: ListingKind
  query: ListQuery
  scope?: ListScope
}) {
  const db = await prisma()
  const where = listWhere(kind, query, scope, actor)
  const orderBy = listOrderBy(kind, query.sort)
  const take = query.pageSize
  const include = { org: orgSelect }
  let rows: Row[]
  if (query.cursor) {
    const exists = await delegate(db, kind).count({ where: { AND: [where, { id: query.cursor }] } })
    if (!exists) throw new AppError('BAD_INPUT', 'err.cursor')
    rows = await delegate(db, kind).findMany({ where, orderBy, take: take + 1, cursor: { id: query.cursor }, skip: 1, include })
  } else {
    rows = await delegate(db, kind).findMany({ where, orderBy, take: take + 1, skip: (query.page - 1) * take, include })
  }
  const more = rows.length > take
  const granted = await grantedListingIds(db, actor, kind, rows.map((r) => r.id))
  const items = rows.slice(0, take).map((r) => toDto(kind, r, actor, granted.has(r.id)))
  const total = await delegate(db, kind).count({ where })
  return { items, total, nextCursor: more ? items[items.length - 1]!.id : null }
}

/** Counts for the bureau's review queue. */
export async function reviewCounts({ actor }: { actor: Actor }) {
  if (!canReview(actor)) throw new AppError('FORBIDDEN', 'err.forbidden')
  const db = await prisma()
  const where = { status: 'PENDING_REVIEW' as const }
  const [achievement, demand, scenario] = await Promise.all([
    db.achievement.count({ where }),
    db.demand.count({ where }),
    db.scenario.count({ where }),
  ])
  return { achievement, demand, scenario }
}

// ─── Staleness ──────────────────────────────────────────────────────────────────────

/**
 * Marks published listings stale when their deadline has passed or nobody refreshed them for
 * 180 days, and reminds their owners by e-mail through the outbox. Safe to run at any time.
 */
export async function markStaleListings({ now = new Date() }: { now?: Date } = {}) {
  const db = await prisma()
  const cutoff = new Date(now.getTime() - STALE_AFTER_DAYS * 24 * 3600 * 1000)
  const today = new Date(`${new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10)}T00:00:00Z`)
  const marked: Record<ListingKind, number> = { achievement: 0, demand: 0, scenario: 0 }
  for (const kind of ['achievement', 'demand', 'scenario'] as const) {
    const overdue = kind === 'achievement' ? [] : [{ deadline: { lt: today } }]
    const rows = await delegate(db, kind).findMany({
      where: { status: 'PUBLISHED', staleAt: null, OR: [{ refreshedAt: { lt: cutoff } }, ...overdue] },
      select: { id: true, title: true, orgId: true, createdById: true },
      take: 1000,
    })
    for (const row of rows) {
      await db.$transaction(async (tx) => {
        const { count } = await delegate(tx, kind).updateMany({ where: { id: row.id, staleAt: null }, data: { staleAt: now } })
        if (count === 0) return
        await enqueue(tx, 'listing.stale', { kind, id: row.id })
        marked[kind]++
      })
    }
  }
  return marked
}
