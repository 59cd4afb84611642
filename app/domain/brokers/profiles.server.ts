import type { Prisma, PrismaClient } from '~/generated/prisma/client'
import type { Industry, TechField } from '~/generated/prisma/enums'
import { audit } from '~/domain/audit.server'
import { countableContractWhere } from '~/domain/contracts/contracts.server'
import { AppError } from '~/domain/errors'
import { notify } from '~/domain/notifications/notify.server'
import { isValidRegionCode } from '~/domain/orgs/regions.server'
import { authorize, type Actor } from '~/domain/users/accounts.server'
import { can } from '~/domain/users/permissions'
import { prisma } from '~/infra/db/client.server'
import { isPublicProfile, needsReverification, profileState } from './rules'
import { QUEUE_TABS, regionAncestors, regionFilter, type BrokerProfileInput, type DirectoryQuery, type QueueTab } from './schemas'

type Tx = Prisma.TransactionClient
type Db = Tx | PrismaClient
const ENTITY = 'BrokerProfile'

/**
 * Broker profiles (技术经纪人档案) and the bureau's verification of them.
 *
 * The bureau's decision is kept in three columns: `verified` is its outcome, `verifiedAt` and
 * `verifiedById` say when and by whom it was taken. So a profile is
 * - pending (in the bureau's queue): not verified and no decision (`verifiedAt` null);
 * - verified: `verified`;
 * - refused: not verified, with a decision; the reason is in the audit log.
 * Changing the grade or the certificate number of a verified profile, or saving a refused one,
 * clears the decision: the profile is pending again, and leaves the public directory until the
 * bureau has checked the new credentials. Other changes (specialties, regions, bio, listing)
 * keep the verification, since the bureau vouches for credentials, not for self-description.
 */

/** Brokers act on behalf of their agency, which the bureau must have verified. */
export async function requireVerifiedAgency(tx: Db, actor: Actor) {
  if (!actor.orgId) throw new AppError('FORBIDDEN', 'err.noOrg')
  const org = await tx.organization.findUnique({ where: { id: actor.orgId }, select: { verified: true } })
  if (!org?.verified) throw new AppError('FORBIDDEN', 'err.broker.agencyNotVerified')
}

const profileSelect = {
  userId: true,
  grade: true,
  certificateNo: true,
  fields: true,
  industries: true,
  regionCodes: true,
  bio: true,
  listed: true,
  verified: true,
  verifiedAt: true,
  updatedAt: true,
} satisfies Prisma.BrokerProfileSelect

/** The latest refusal of a profile: its reason and date, from the audit log. */
async function latestRefusal(db: Db, userId: string) {
  const entry = await db.auditLog.findFirst({
    where: { entityType: ENTITY, entityId: userId, action: 'brokerProfile.refuse' },
    orderBy: { id: 'desc' },
    select: { after: true, createdAt: true },
  })
  const reason = (entry?.after as { reason?: unknown } | null | undefined)?.reason
  return entry && typeof reason === 'string' ? { reason, at: entry.createdAt } : null
}

/** The actor's own profile (null before the first save), its state and, when refused, why. */
export async function getOwnProfile({ actor }: { actor: Actor }) {
  authorize(actor, 'broker:profile')
  const db = await prisma()
  const profile = await db.brokerProfile.findUnique({ where: { userId: actor.id }, select: profileSelect })
  const state = profile ? profileState(profile) : null
  return { profile, state, refusal: state === 'refused' ? await latestRefusal(db, actor.id) : null }
}

/** Creates or edits the actor's profile (see the rules above on re-verification). */
export async function saveProfile({ actor, input, ip }: { actor: Actor; input: BrokerProfileInput; ip?: string | null }) {
  authorize(actor, 'broker:profile')
  if (!actor.orgId) throw new AppError('FORBIDDEN', 'err.noOrg')
  if (input.regionCodes.some((code) => !isValidRegionCode(code))) {
    throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { regionCodes: 'err.broker.regions' } })
  }
  const data = {
    grade: input.grade,
    certificateNo: input.certificateNo ?? null,
    fields: input.fields as TechField[],
    industries: input.industries as Industry[],
    regionCodes: input.regionCodes,
    bio: input.bio ?? '',
    listed: input.listed,
  }
  const db = await prisma()
  return db.$transaction(async (tx) => {
    if (data.certificateNo) {
      const holder = await tx.brokerProfile.findFirst({ where: { certificateNo: data.certificateNo, userId: { not: actor.id } }, select: { userId: true } })
      if (holder) throw new AppError('CONFLICT', 'err.invalidForm', { fields: { certificateNo: 'err.broker.certificateTaken' } })
    }
    const before = await tx.brokerProfile.findUnique({ where: { userId: actor.id }, select: profileSelect })
    const requeued = !!before && needsReverification(before, data)
    const after = before
      ? await tx.brokerProfile.update({
          where: { userId: actor.id },
          data: { ...data, ...(requeued ? { verified: false, verifiedAt: null, verifiedById: null } : {}) },
          select: profileSelect,
        })
      : await tx.brokerProfile.create({ data: { userId: actor.id, ...data }, select: profileSelect })
    await audit(tx, {
      actorId: actor.id,
      action: before ? 'brokerProfile.update' : 'brokerProfile.create',
      entityType: ENTITY,
      entityId: actor.id,
      before,
      after,
      ip,
    })
    return { profile: after, created: !before, requeued, state: profileState(after) }
  })
}

// ─── The bureau's verification ──────────────────────────────────────────────────────

export const QUEUE_PAGE_SIZE = 30

const TAB_WHERE: Record<QueueTab, Prisma.BrokerProfileWhereInput> = {
  pending: { verified: false, verifiedAt: null },
  verified: { verified: true },
  refused: { verified: false, verifiedAt: { not: null } },
}

/** Profiles by state for the bureau; the pending ones oldest first, the others latest first. */
export async function verificationQueue({ actor, tab, page = 1 }: { actor: Actor; tab: QueueTab; page?: number }) {
  authorize(actor, 'broker:verify')
  const db = await prisma()
  const where: Prisma.BrokerProfileWhereInput = { ...TAB_WHERE[tab], user: { disabledAt: null } }
  const [rows, total, counts] = await Promise.all([
    db.brokerProfile.findMany({
      where,
      orderBy: tab === 'pending' ? [{ updatedAt: 'asc' }, { userId: 'asc' }] : [{ verifiedAt: 'desc' }, { userId: 'asc' }],
      skip: (page - 1) * QUEUE_PAGE_SIZE,
      take: QUEUE_PAGE_SIZE,
      select: {
        ...profileSelect,
        user: { select: { name: true, email: true, org: { select: { name: true, verified: true } } } },
        verifiedBy: { select: { name: true } },
      },
    }),
    db.brokerProfile.count({ where }),
    Promise.all(QUEUE_TABS.map((t) => db.brokerProfile.count({ where: { ...TAB_WHERE[t], user: { disabledAt: null } } }))),
  ])
  const refusals = tab === 'refused' ? await Promise.all(rows.map((r) => latestRefusal(db, r.userId))) : []
  return {
    rows: rows.map((r, i) => ({ ...r, refusal: refusals[i] ?? null })),
    total,
    counts: Object.fromEntries(QUEUE_TABS.map((t, i) => [t, counts[i]!])) as Record<QueueTab, number>,
  }
}

async function decide(
  actor: Actor,
  userId: string,
  decision: { verified: boolean; reason?: string },
  ip: string | null | undefined,
) {
  authorize(actor, 'broker:verify')
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const before = await tx.brokerProfile.findUnique({ where: { userId }, select: profileSelect })
    if (!before) throw new AppError('NOT_FOUND', 'err.notFound')
    const now = new Date()
    // Conditional: two staff deciding at once, or a decision on a state that has just changed, do not both apply.
    const { count } = await tx.brokerProfile.updateMany({
      where: decision.verified ? { userId, verified: false } : { userId, NOT: { verified: false, verifiedAt: { not: null } } },
      data: { verified: decision.verified, verifiedAt: now, verifiedById: actor.id },
    })
    if (!count) throw new AppError('CONFLICT', decision.verified ? 'err.broker.alreadyVerified' : 'err.broker.alreadyRefused')
    await audit(tx, {
      actorId: actor.id,
      action: decision.verified ? 'brokerProfile.verify' : 'brokerProfile.refuse',
      entityType: ENTITY,
      entityId: userId,
      before: { verified: before.verified, verifiedAt: before.verifiedAt },
      after: { verified: decision.verified, ...(decision.reason ? { reason: decision.reason } : {}) },
      ip,
    })
    await notify(
      tx,
      decision.verified
        ? { userIds: [userId], type: 'broker.verified', params: {}, link: `/brokers/${userId}`, exceptUserId: actor.id }
        : { userIds: [userId], type: 'broker.refused', params: { reason: decision.reason ?? '' }, link: '/my/broker-profile', exceptUserId: actor.id },
    )
    return { userId }
  })
}

export async function verifyProfile({ actor, userId, ip }: { actor: Actor; userId: string; ip?: string | null }) {
  return decide(actor, userId, { verified: true }, ip)
}

/** Refuses a pending profile, or withdraws a verification; the reason goes to the broker. */
export async function refuseProfile({ actor, userId, reason, ip }: { actor: Actor; userId: string; reason: string; ip?: string | null }) {
  const text = reason.trim()
  if (text.length < 4) throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { reason: 'err.reasonRequired' } })
  return decide(actor, userId, { verified: false, reason: text }, ip)
}

// ─── The public face: directory, profile page, track record ─────────────────────────

/** What the public may see of brokers: verified, listed, active accounts. */
const PUBLIC_WHERE: Prisma.BrokerProfileWhereInput = { verified: true, listed: true, user: { disabledAt: null } }

/**
 * A broker's record from the platform's own data, never self-declared:
 * deals won and open as lead broker, registered contracts brokered (only those that count:
 * countableContractWhere) with their registered technical transaction amount, mined demands
 * the enterprise confirmed, and published demands the broker leads now.
 */
export async function trackRecord(db: Db, userId: string) {
  const [dealsWon, dealsOpen, contracts, demandsMined, demandsLed] = await Promise.all([
    db.deal.count({ where: { ownerId: userId, stage: 'WON' } }),
    db.deal.count({ where: { ownerId: userId, stage: { notIn: ['WON', 'LOST'] } } }),
    db.contract.aggregate({ where: countableContractWhere({ brokerId: userId }), _count: { _all: true }, _sum: { registeredTechAmountFen: true } }),
    db.demand.count({ where: { minedById: userId, confirmedAt: { not: null } } }),
    db.demand.count({ where: { leadBrokerId: userId, status: 'PUBLISHED' } }),
  ])
  return {
    dealsWon,
    dealsOpen,
    contracts: contracts._count._all,
    techAmountFen: Number(contracts._sum.registeredTechAmountFen ?? 0n),
    demandsMined,
    demandsLed,
  }
}
export type TrackRecord = Awaited<ReturnType<typeof trackRecord>>

/** A broker's profile page: public when verified and listed; otherwise only for the broker and the bureau. */
export async function getBrokerProfile({ actor, userId }: { actor: Actor | null | undefined; userId: string }) {
  const db = await prisma()
  const row = await db.brokerProfile.findUnique({
    where: { userId },
    select: {
      ...profileSelect,
      user: { select: { name: true, disabledAt: true, org: { select: { name: true, verified: true, regionCode: true } } } },
    },
  })
  const own = !!actor && actor.id === userId
  const staff = !!actor && can(actor.role, 'broker:verify')
  if (!row || (!own && !staff && (!isPublicProfile(row) || row.user.disabledAt))) throw new AppError('NOT_FOUND', 'err.notFound')
  const [record, led] = await Promise.all([
    trackRecord(db, userId),
    db.demand.findMany({
      where: { leadBrokerId: userId, status: 'PUBLISHED' },
      orderBy: [{ claimedAt: 'desc' }, { id: 'asc' }],
      take: 10,
      select: { id: true, title: true, field: true, industry: true, org: { select: { name: true } } },
    }),
  ])
  const { user, ...profile } = row
  return {
    profile,
    name: user.name,
    agency: user.org,
    state: profileState(row),
    isPublic: isPublicProfile(row) && !user.disabledAt,
    own,
    record,
    led,
  }
}

export const DIRECTORY_PAGE_SIZE = 20

/** Brokers serving a region: a province (2 digits) covers every code in it; a district also matches its city and province. */
async function brokersServing(db: Db, region: string): Promise<string[]> {
  const rows =
    region.length === 2
      ? await db.$queryRaw<{ userId: string }[]>`
          SELECT "userId" FROM "BrokerProfile"
          WHERE verified AND listed AND EXISTS (SELECT 1 FROM unnest("regionCodes") AS c WHERE c LIKE ${`${region}%`})`
      : await (() => {
          const [district, city, province] = regionAncestors(region).concat([region, region]) as [string, string, string]
          return db.$queryRaw<{ userId: string }[]>`
            SELECT "userId" FROM "BrokerProfile"
            WHERE verified AND listed AND EXISTS (SELECT 1 FROM unnest("regionCodes") AS c WHERE c IN (${district}, ${city}, ${province}))`
        })()
  return rows.map((r) => r.userId)
}

/** The public directory: verified and listed brokers, filtered as the URL says, senior grades first. */
export async function listDirectory({ query }: { query: DirectoryQuery }) {
  const db = await prisma()
  const and: Prisma.BrokerProfileWhereInput[] = [PUBLIC_WHERE]
  if (query.grade) and.push({ grade: query.grade })
  if (query.field) and.push({ fields: { has: query.field } })
  if (query.industry) and.push({ industries: { has: query.industry } })
  if (query.q) {
    and.push({ OR: [{ user: { name: { contains: query.q, mode: 'insensitive' } } }, { user: { org: { name: { contains: query.q, mode: 'insensitive' } } } }] })
  }
  const region = regionFilter(query)
  if (region) and.push({ userId: { in: await brokersServing(db, region) } })
  const where = { AND: and }
  const [rows, total] = await Promise.all([
    db.brokerProfile.findMany({
      where,
      orderBy: [{ grade: 'desc' }, { verifiedAt: 'asc' }, { userId: 'asc' }],
      skip: (query.page - 1) * DIRECTORY_PAGE_SIZE,
      take: DIRECTORY_PAGE_SIZE,
      select: { ...profileSelect, user: { select: { name: true, org: { select: { name: true } } } } },
    }),
    db.brokerProfile.count({ where }),
  ])
  const ids = rows.map((r) => r.userId)
  const counted = ids.length
    ? await db.contract.groupBy({ by: ['brokerId'], where: countableContractWhere({ brokerId: { in: ids } }), _count: { _all: true } })
    : []
  const contracts = new Map(counted.map((c) => [c.brokerId, c._count._all]))
  return {
    total,
    items: rows.map(({ user, ...p }) => ({ ...p, name: user.name, agency: user.org?.name ?? null, contracts: contracts.get(p.userId) ?? 0 })),
  }
}
