import type { Prisma } from '~/generated/prisma/client'
import type { BrokerGrade, ListingStatus } from '~/generated/prisma/enums'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import { notify } from '~/domain/notifications/notify.server'
import { authorize, type Actor } from '~/domain/users/accounts.server'
import { can } from '~/domain/users/permissions'
import { prisma } from '~/infra/db/client.server'
import { requireVerifiedAgency } from './profiles.server'
import { awaitingConfirmation, isPublicProfile, specialtyWhere } from './rules'
import { regionFilter, type ClaimsQuery } from './schemas'

type Tx = Prisma.TransactionClient

/**
 * Claims (认领): a published demand has at most one lead broker. A broker claims one that has
 * none with a conditional update (`leadBrokerId IS NULL`), so two brokers racing cannot both
 * lead; the lead may release it (unless a deal they own on it is still open). Any other broker
 * may join as an assistant (no consent needed: the lead sees who joined and may remove them);
 * assisting needs a lead, otherwise the broker should claim the demand.
 */

export const CLAIMS_PAGE_SIZE = 20

/** Published demands without a lead broker, by default those fitting the actor's profile. */
export async function listUnclaimed({ actor, query }: { actor: Actor; query: ClaimsQuery }) {
  authorize(actor, 'demand:claim')
  const db = await prisma()
  const profile = await db.brokerProfile.findUnique({ where: { userId: actor.id }, select: { fields: true, industries: true, regionCodes: true } })
  const and: Prisma.DemandWhereInput[] = [{ status: 'PUBLISHED', leadBrokerId: null }]
  const specialties = query.scope === 'mine' && profile ? specialtyWhere(profile) : null
  if (specialties) and.push(specialties)
  if (query.field) and.push({ field: query.field })
  if (query.industry) and.push({ industry: query.industry })
  const region = regionFilter(query)
  if (region) and.push({ org: { regionCode: { startsWith: region } } })
  if (query.q) {
    and.push({
      OR: [
        { title: { contains: query.q, mode: 'insensitive' } },
        { description: { contains: query.q, mode: 'insensitive' } },
        { keywords: { has: query.q } },
        { org: { name: { contains: query.q, mode: 'insensitive' } } },
      ],
    })
  }
  const where = { AND: and }
  const [rows, total] = await Promise.all([
    db.demand.findMany({
      where,
      orderBy: [{ publishedAt: { sort: 'desc', nulls: 'last' } }, { id: 'asc' }],
      skip: (query.page - 1) * CLAIMS_PAGE_SIZE,
      take: CLAIMS_PAGE_SIZE,
      select: {
        id: true,
        title: true,
        field: true,
        industry: true,
        budgetFen: true,
        deadline: true,
        publishedAt: true,
        org: { select: { name: true, regionCode: true } },
      },
    }),
    db.demand.count({ where }),
  ])
  return {
    total,
    profile,
    narrowed: !!specialties,
    items: rows.map((r) => ({ ...r, budgetFen: r.budgetFen === null ? null : Number(r.budgetFen) })),
  }
}

async function loadDemand(tx: Tx, id: string) {
  const row = await tx.demand.findUnique({ where: { id }, select: { id: true, title: true, status: true, orgId: true, leadBrokerId: true } })
  if (!row) throw new AppError('NOT_FOUND', 'err.notFound')
  return row
}

/** The actor becomes the demand's lead broker, if nobody is; the enterprise's members are told. */
export async function claimDemand({ actor, id, ip }: { actor: Actor; id: string; ip?: string | null }) {
  authorize(actor, 'demand:claim')
  const db = await prisma()
  return db.$transaction(async (tx) => {
    await requireVerifiedAgency(tx, actor)
    const row = await loadDemand(tx, id)
    if (row.status !== 'PUBLISHED') throw new AppError('CONFLICT', 'err.claim.notPublished')
    if (row.leadBrokerId === actor.id) throw new AppError('CONFLICT', 'err.claim.alreadyLead')
    await takeLead(tx, { actor, demand: row, ip })
    return { id, title: row.title }
  })
}

/**
 * Makes the actor the lead broker of a published demand nobody leads, inside the caller's
 * transaction: a conditional update, so of two brokers racing only one wins (the other gets
 * `conflictKey`); the enterprise's members are told. Claiming and starting a deal both use it.
 */
export async function takeLead(
  tx: Tx,
  { actor, demand, ip, via, conflictKey = 'err.claim.taken' }: { actor: Actor; demand: { id: string; title: string; orgId: string }; ip?: string | null; via?: 'deal'; conflictKey?: string },
) {
  const now = new Date()
  const { count } = await tx.demand.updateMany({
    where: { id: demand.id, status: 'PUBLISHED', leadBrokerId: null },
    data: { leadBrokerId: actor.id, claimedAt: now },
  })
  if (!count) throw new AppError('CONFLICT', conflictKey)
  // A lead is not also an assistant.
  await tx.demandAssist.deleteMany({ where: { demandId: demand.id, brokerId: actor.id } })
  await audit(tx, {
    actorId: actor.id,
    action: 'demand.claim',
    entityType: 'Demand',
    entityId: demand.id,
    before: { leadBrokerId: null },
    after: { leadBrokerId: actor.id, claimedAt: now, ...(via ? { via } : {}) },
    ip,
  })
  const broker = await tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { name: true } })
  const members = await tx.user.findMany({ where: { orgId: demand.orgId, disabledAt: null }, select: { id: true } })
  await notify(tx, {
    userIds: members.map((m) => m.id),
    type: 'demand.claimed',
    params: { demand: demand.id, demandTitle: demand.title, broker: broker.name },
    link: `/demands/${demand.id}`,
    exceptUserId: actor.id,
  })
}

/** The lead gives the demand up; others may claim it again. Refused while a deal they own on it is open. */
export async function releaseDemand({ actor, id, ip }: { actor: Actor; id: string; ip?: string | null }) {
  authorize(actor, 'demand:claim')
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const row = await loadDemand(tx, id)
    if (row.leadBrokerId !== actor.id) throw new AppError('FORBIDDEN', 'err.claim.notLead')
    const open = await tx.deal.count({ where: { demandId: id, ownerId: actor.id, stage: { notIn: ['WON', 'LOST'] } } })
    if (open) throw new AppError('CONFLICT', 'err.claim.openDeal')
    const { count } = await tx.demand.updateMany({ where: { id, leadBrokerId: actor.id }, data: { leadBrokerId: null, claimedAt: null } })
    if (!count) throw new AppError('FORBIDDEN', 'err.claim.notLead')
    await audit(tx, { actorId: actor.id, action: 'demand.release', entityType: 'Demand', entityId: id, before: { leadBrokerId: actor.id }, after: { leadBrokerId: null }, ip })
    return { id, title: row.title }
  })
}

/** Any broker joins a claimed, published demand as an assistant (again is no error). */
export async function assistDemand({ actor, id, ip }: { actor: Actor; id: string; ip?: string | null }) {
  authorize(actor, 'demand:claim')
  const db = await prisma()
  return db.$transaction(async (tx) => {
    await requireVerifiedAgency(tx, actor)
    const row = await loadDemand(tx, id)
    if (row.status !== 'PUBLISHED') throw new AppError('CONFLICT', 'err.claim.notPublished')
    if (!row.leadBrokerId) throw new AppError('CONFLICT', 'err.assist.noLead')
    if (row.leadBrokerId === actor.id) throw new AppError('CONFLICT', 'err.assist.isLead')
    const existing = await tx.demandAssist.findUnique({ where: { demandId_brokerId: { demandId: id, brokerId: actor.id } }, select: { createdAt: true } })
    if (!existing) {
      await tx.demandAssist.create({ data: { demandId: id, brokerId: actor.id } })
      await audit(tx, { actorId: actor.id, action: 'demand.assist', entityType: 'Demand', entityId: id, after: { assistant: actor.id }, ip })
    }
    return { id, title: row.title }
  })
}

/** An assistant leaves the demand. */
export async function leaveDemand({ actor, id, ip }: { actor: Actor; id: string; ip?: string | null }) {
  authorize(actor, 'demand:claim')
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const row = await loadDemand(tx, id)
    const { count } = await tx.demandAssist.deleteMany({ where: { demandId: id, brokerId: actor.id } })
    if (!count) throw new AppError('CONFLICT', 'err.assist.notAssisting')
    await audit(tx, { actorId: actor.id, action: 'demand.unassist', entityType: 'Demand', entityId: id, before: { assistant: actor.id }, ip })
    return { id, title: row.title }
  })
}

/** The lead removes an assistant. */
export async function removeAssistant({ actor, id, brokerId, ip }: { actor: Actor; id: string; brokerId: string; ip?: string | null }) {
  authorize(actor, 'demand:claim')
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const row = await loadDemand(tx, id)
    if (row.leadBrokerId !== actor.id) throw new AppError('FORBIDDEN', 'err.claim.notLead')
    const { count } = await tx.demandAssist.deleteMany({ where: { demandId: id, brokerId } })
    if (!count) throw new AppError('NOT_FOUND', 'err.assist.notAssisting')
    await audit(tx, { actorId: actor.id, action: 'demand.unassist', entityType: 'Demand', entityId: id, before: { assistant: brokerId }, ip })
    return { id, title: row.title }
  })
}

// ─── The brokers of one demand, for its page ────────────────────────────────────────

const brokerSelect = {
  id: true,
  name: true,
  org: { select: { name: true } },
  brokerProfile: { select: { grade: true, verified: true, listed: true } },
} satisfies Prisma.UserSelect

type BrokerRow = Prisma.UserGetPayload<{ select: typeof brokerSelect }>

export interface BrokerRef {
  id: string
  name: string
  agency: string | null
  grade: BrokerGrade | null
  /** Has a public profile page. */
  linked: boolean
}

function brokerRef(u: BrokerRow): BrokerRef {
  const p = u.brokerProfile
  return { id: u.id, name: u.name, agency: u.org?.name ?? null, grade: p?.grade ?? null, linked: !!p && isPublicProfile(p) }
}

/**
 * Who brokers a demand (the lead and the assistants, shown to everyone who may see the demand),
 * the mining record while the enterprise has not confirmed it, and what the actor may do here.
 */
export async function demandBrokerPanel({ actor, demand }: { actor: Actor | null | undefined; demand: { id: string; orgId: string; status: ListingStatus } }) {
  const db = await prisma()
  const row = await db.demand.findUnique({
    where: { id: demand.id },
    select: {
      claimedAt: true,
      minedAt: true,
      minedById: true,
      confirmedAt: true,
      status: true,
      leadBroker: { select: brokerSelect },
      minedBy: { select: brokerSelect },
      assists: { orderBy: [{ createdAt: 'asc' }, { brokerId: 'asc' }], select: { createdAt: true, broker: { select: brokerSelect } } },
    },
  })
  if (!row) return null
  const broker = !!actor && can(actor.role, 'demand:claim')
  const published = row.status === 'PUBLISHED'
  const lead = row.leadBroker ? brokerRef(row.leadBroker) : null
  const assists = row.assists.map((a) => ({ ...brokerRef(a.broker), since: a.createdAt }))
  const isLead = !!actor && lead?.id === actor.id
  const assisting = !!actor && assists.some((a) => a.id === actor.id)
  const awaiting = awaitingConfirmation(row)
  const member = !!actor?.orgId && actor.orgId === demand.orgId && can(actor.role, 'demand:create')
  return {
    lead,
    claimedAt: row.claimedAt,
    assists,
    mined: awaiting && row.minedBy ? { by: brokerRef(row.minedBy), at: row.minedAt } : null,
    can: {
      claim: broker && published && !lead,
      release: broker && isLead,
      assist: broker && published && !!lead && !isLead && !assisting,
      leave: broker && assisting,
      remove: broker && isLead && published,
      confirm: member && awaiting,
    },
  }
}
export type DemandBrokerPanel = NonNullable<Awaited<ReturnType<typeof demandBrokerPanel>>>
