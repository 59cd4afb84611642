import type { Prisma } from '~/generated/prisma/client'
import { audit } from '~/domain/audit.server'
import { AppError, isAppError } from '~/domain/errors'
import { listingData, transitionListing } from '~/domain/listings/listings.server'
import type { DemandInput } from '~/domain/listings/schemas'
import { notify } from '~/domain/notifications/notify.server'
import { syncSearchDocument } from '~/domain/search/documents.server'
import { authorize, type Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { requireVerifiedAgency } from './profiles.server'
import { awaitingConfirmation } from './rules'

type Tx = Prisma.TransactionClient

/**
 * Demand mining (需求挖掘): after an on-site visit a broker records a demand for an enterprise.
 * It is created as a draft in the enterprise's organisation (`minedById`, `minedAt`, and the
 * broker as `createdById`), and nobody may submit it until a member of that enterprise has
 * confirmed it (the guard is in transitionListing). Decisions:
 * - any member of the enterprise may confirm or decline, as any member may already edit and
 *   submit the organisation's demands; confirming submits it for review in the same step;
 * - declining archives the draft (nothing is deleted: the record and the audit trail stay;
 *   restoring it brings it back to "awaiting confirmation");
 * - the broker who mined a demand is its lead broker from the start: the visit is the claim.
 */

const AWAITING_WHERE = { minedById: { not: null }, confirmedAt: null, status: 'DRAFT' } as const satisfies Prisma.DemandWhereInput

/** Verified enterprises by name, for the broker to pick the one visited. */
export async function findEnterprises({ actor, q, take = 20 }: { actor: Actor; q: string; take?: number }) {
  authorize(actor, 'demand:mine')
  const text = q.trim().slice(0, 100)
  const db = await prisma()
  return db.organization.findMany({
    where: { kind: 'ENTERPRISE', verified: true, ...(text ? { name: { contains: text, mode: 'insensitive' } } : {}) },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take,
    select: { id: true, name: true, regionCode: true },
  })
}

/** The enterprise a broker is recording a demand for: it must exist, be an enterprise and be verified. */
export async function getMiningTarget({ actor, orgId }: { actor: Actor; orgId: string }) {
  authorize(actor, 'demand:mine')
  const db = await prisma()
  return requireEnterprise(db, orgId)
}

async function requireEnterprise(db: Tx | Awaited<ReturnType<typeof prisma>>, orgId: string) {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { id: true, name: true, kind: true, verified: true, regionCode: true } })
  if (!org || org.kind !== 'ENTERPRISE') throw new AppError('NOT_FOUND', 'err.broker.enterpriseNotFound')
  if (!org.verified) throw new AppError('CONFLICT', 'err.broker.enterpriseNotVerified')
  return org
}

async function memberIds(tx: Tx, orgId: string) {
  const members = await tx.user.findMany({ where: { orgId, role: 'ENTERPRISE', disabledAt: null }, select: { id: true } })
  return members.map((m) => m.id)
}

/** Records a demand for an enterprise as a draft awaiting its confirmation, and tells its members. */
export async function mineDemand({ actor, orgId, input, ip }: { actor: Actor; orgId: string; input: DemandInput; ip?: string | null }) {
  authorize(actor, 'demand:mine')
  const db = await prisma()
  return db.$transaction(async (tx) => {
    await requireVerifiedAgency(tx, actor)
    const org = await requireEnterprise(tx, orgId)
    const broker = await tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { name: true } })
    const now = new Date()
    const created = await tx.demand.create({
      data: {
        ...(listingData('demand', input) as Omit<Prisma.DemandUncheckedCreateInput, 'orgId'>),
        orgId: org.id,
        createdById: actor.id,
        status: 'DRAFT',
        minedById: actor.id,
        minedAt: now,
        leadBrokerId: actor.id,
        claimedAt: now,
      },
    })
    await audit(tx, { actorId: actor.id, action: 'demand.mine', entityType: 'Demand', entityId: created.id, after: created, ip })
    await syncSearchDocument(tx, 'demand', created.id)
    await notify(tx, {
      userIds: await memberIds(tx, org.id),
      type: 'demand.confirm',
      params: { demand: created.id, demandTitle: created.title, broker: broker.name },
      link: `/demands/${created.id}`,
      exceptUserId: actor.id,
    })
    return { ...created, orgName: org.name }
  })
}

export const MINED_PAGE_SIZE = 20

/** The demands the actor mined, newest first, with how far each got. */
export async function minedByMe({ actor, page = 1 }: { actor: Actor; page?: number }) {
  authorize(actor, 'demand:mine')
  const db = await prisma()
  const where = { minedById: actor.id }
  const [rows, total] = await Promise.all([
    db.demand.findMany({
      where,
      orderBy: [{ minedAt: 'desc' }, { id: 'asc' }],
      skip: (page - 1) * MINED_PAGE_SIZE,
      take: MINED_PAGE_SIZE,
      select: { id: true, title: true, status: true, minedAt: true, confirmedAt: true, leadBrokerId: true, org: { select: { name: true } } },
    }),
    db.demand.count({ where }),
  ])
  // Why the enterprise declined, for the archived ones (the latest decline each).
  const archived = rows.filter((r) => r.status === 'ARCHIVED' && !r.confirmedAt).map((r) => r.id)
  const declines = archived.length
    ? await db.auditLog.findMany({
        where: { entityType: 'Demand', entityId: { in: archived }, action: 'demand.decline' },
        orderBy: { id: 'asc' },
        select: { entityId: true, after: true },
      })
    : []
  const reasons = new Map(declines.map((d) => [d.entityId, ((d.after as { reason?: unknown } | null)?.reason as string | undefined) ?? null]))
  return {
    rows: rows.map((r) => ({ ...r, declined: reasons.has(r.id), declineReason: reasons.get(r.id) ?? null })),
    total,
  }
}

/** The enterprise's mined demands waiting for a member's confirmation. */
export async function pendingConfirmations({ actor }: { actor: Actor }) {
  authorize(actor, 'demand:create')
  if (!actor.orgId) throw new AppError('FORBIDDEN', 'err.noOrg')
  const db = await prisma()
  return db.demand.findMany({
    where: { orgId: actor.orgId, ...AWAITING_WHERE },
    orderBy: [{ minedAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      title: true,
      description: true,
      field: true,
      industry: true,
      budgetFen: true,
      minedAt: true,
      minedBy: { select: { id: true, name: true, org: { select: { name: true } } } },
    },
  })
}

/** How many mined demands wait for the actor's organisation (0 for anyone who cannot confirm). */
export async function countPendingConfirmations(actor: Actor | null | undefined): Promise<number> {
  if (!actor?.orgId || actor.role !== 'ENTERPRISE') return 0
  const db = await prisma()
  return db.demand.count({ where: { orgId: actor.orgId, ...AWAITING_WHERE } })
}

/** Loads a mined demand for a decision by a member of its enterprise. */
async function requireAwaiting(tx: Tx, actor: Actor, id: string) {
  authorize(actor, 'demand:create')
  const row = await tx.demand.findUnique({ where: { id }, select: { id: true, orgId: true, title: true, status: true, minedById: true, confirmedAt: true } })
  if (!row || !row.minedById) throw new AppError('NOT_FOUND', 'err.notFound')
  if (row.orgId !== actor.orgId) throw new AppError('FORBIDDEN', 'err.forbidden')
  if (!awaitingConfirmation(row)) throw new AppError('CONFLICT', 'err.mined.notAwaiting')
  return row as typeof row & { minedById: string }
}

/**
 * A member confirms a mined demand: it becomes the enterprise's own and goes to review.
 * Confirmed first, submitted second: if the submission is refused (say the organisation lost
 * its verification), the confirmation stays and the member submits the draft later as any other.
 */
export async function confirmMinedDemand({ actor, id, ip }: { actor: Actor; id: string; ip?: string | null }) {
  const db = await prisma()
  const row = await db.$transaction(async (tx) => {
    const row = await requireAwaiting(tx, actor, id)
    const now = new Date()
    const { count } = await tx.demand.updateMany({ where: { id, ...AWAITING_WHERE }, data: { confirmedAt: now, confirmedById: actor.id } })
    if (!count) throw new AppError('CONFLICT', 'err.mined.notAwaiting')
    await audit(tx, { actorId: actor.id, action: 'demand.confirm', entityType: 'Demand', entityId: id, after: { confirmedAt: now }, ip })
    await notify(tx, {
      userIds: [row.minedById],
      type: 'demand.confirmed',
      params: { demand: id, demandTitle: row.title },
      link: '/brokers/mining',
      exceptUserId: actor.id,
    })
    return row
  })
  try {
    const after = await transitionListing({ actor, kind: 'demand', id, action: 'submit', ip })
    return { id, title: row.title, submitted: true as const, status: after.status }
  } catch (error) {
    if (!isAppError(error)) throw error
    return { id, title: row.title, submitted: false as const, error }
  }
}

/** A member declines a mined demand: the draft is archived, with the reason in the audit log. */
export async function declineMinedDemand({ actor, id, reason, ip }: { actor: Actor; id: string; reason?: string; ip?: string | null }) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const row = await requireAwaiting(tx, actor, id)
    const { count } = await tx.demand.updateMany({ where: { id, ...AWAITING_WHERE }, data: { status: 'ARCHIVED' } })
    if (!count) throw new AppError('CONFLICT', 'err.mined.notAwaiting')
    const text = reason?.trim() || undefined
    await audit(tx, {
      actorId: actor.id,
      action: 'demand.decline',
      entityType: 'Demand',
      entityId: id,
      before: { status: row.status },
      after: { status: 'ARCHIVED', ...(text ? { reason: text } : {}) },
      ip,
    })
    await syncSearchDocument(tx, 'demand', id)
    await notify(tx, {
      userIds: [row.minedById],
      type: 'demand.declined',
      params: { demand: id, demandTitle: row.title, reason: text ?? '—' },
      link: '/brokers/mining',
      exceptUserId: actor.id,
    })
    return { id, title: row.title }
  })
}
