import type { OrgKind } from '~/generated/prisma/enums'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import { authorize, newInvitationCode, type Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { regionName } from './regions.server'

const orgListSelect = {
  id: true,
  kind: true,
  name: true,
  creditCode: true,
  regionCode: true,
  verified: true,
  verifiedAt: true,
  createdAt: true,
  _count: { select: { members: true } },
} as const

/** The bureau's verification queue: unverified organisations, oldest first. */
export async function listOrganizations({
  actor,
  verified,
  page = 1,
  pageSize = 50,
}: {
  actor: Actor
  verified: boolean
  page?: number
  pageSize?: number
}) {
  authorize(actor, 'org:list')
  const db = await prisma()
  const where = { verified }
  const [total, rows] = await Promise.all([
    db.organization.count({ where }),
    db.organization.findMany({
      where,
      select: orgListSelect,
      // The id breaks ties, so that pages neither repeat nor skip organisations.
      orderBy: verified ? [{ verifiedAt: 'desc' }, { id: 'asc' }] : [{ createdAt: 'asc' }, { id: 'asc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ])
  return { total, rows: rows.map((r) => ({ ...r, regionName: regionName(r.regionCode) })) }
}

export async function setOrganizationVerified({
  actor,
  orgId,
  verified,
  ip,
}: {
  actor: Actor
  orgId: string
  verified: boolean
  ip?: string | null
}) {
  authorize(actor, 'org:verify')
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const before = await tx.organization.findUnique({ where: { id: orgId }, select: { id: true, verified: true } })
    if (!before) throw new AppError('NOT_FOUND', 'err.notFound')
    if (before.verified === verified) return before
    const after = await tx.organization.update({
      where: { id: orgId },
      data: verified
        ? { verified: true, verifiedAt: new Date(), verifiedById: actor.id }
        : { verified: false, verifiedAt: null, verifiedById: null },
      select: { id: true, verified: true },
    })
    await audit(tx, {
      actorId: actor.id,
      action: verified ? 'org.verify' : 'org.unverify',
      entityType: 'Organization',
      entityId: orgId,
      before,
      after,
      ip,
    })
    return after
  })
}

/** The organisation's own page for its members; the invitation code only for its administrators. */
export async function getOwnOrganization({ actor }: { actor: Actor }) {
  if (!actor.orgId) return null
  const db = await prisma()
  const org = await db.organization.findUnique({
    where: { id: actor.orgId },
    select: {
      ...orgListSelect,
      invitationCode: true,
      members: { select: { id: true, name: true, email: true, role: true, isOrgAdmin: true }, orderBy: { createdAt: 'asc' } },
    },
  })
  if (!org) return null
  return {
    ...org,
    regionName: regionName(org.regionCode),
    invitationCode: actor.isOrgAdmin ? org.invitationCode : null,
  }
}

export async function rotateInvitationCode({ actor, ip }: { actor: Actor; ip?: string | null }) {
  authorize(actor, 'org:invite')
  if (!actor.orgId || !actor.isOrgAdmin) throw new AppError('FORBIDDEN', 'err.forbidden')
  const orgId = actor.orgId
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const org = await tx.organization.update({
      where: { id: orgId },
      data: { invitationCode: newInvitationCode() },
      select: { invitationCode: true },
    })
    await audit(tx, { actorId: actor.id, action: 'org.invitation.rotate', entityType: 'Organization', entityId: orgId, ip })
    return org
  })
}

/** Public figures for the home page. */
export async function organizationCounts() {
  const db = await prisma()
  const groups = await db.organization.groupBy({ by: ['kind'], where: { verified: true }, _count: { _all: true } })
  const byKind = Object.fromEntries(groups.map((g) => [g.kind, g._count._all])) as Partial<Record<OrgKind, number>>
  const members = await db.user.count({ where: { disabledAt: null } })
  return { byKind, verified: groups.reduce((s, g) => s + g._count._all, 0), members }
}
