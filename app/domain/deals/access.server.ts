import type { Prisma, PrismaClient } from '~/generated/prisma/client'
import { AppError } from '~/domain/errors'
import type { Actor } from '~/domain/users/accounts.server'
import { can } from '~/domain/users/permissions'

type Db = Prisma.TransactionClient | PrismaClient

/**
 * How the actor stands in a deal:
 * - `lead`: the deal's owner (the lead broker);
 * - `assist`: a broker assisting it;
 * - `bureau`: bureau staff (read-only on the conversation until they join);
 * - `bureau-member`: bureau staff who joined the conversation;
 * - `buyer`: a member of the organisation with the need;
 * - `seller`: a member of an organisation whose achievement was introduced (and not dropped).
 */
export type DealStanding = 'lead' | 'assist' | 'bureau' | 'bureau-member' | 'buyer' | 'seller'

export const BROKER_STANDINGS: readonly DealStanding[] = ['lead', 'assist']
export const PARTY_STANDINGS: readonly DealStanding[] = ['buyer', 'seller']

export function isBrokerStanding(s: DealStanding | null): s is 'lead' | 'assist' {
  return s === 'lead' || s === 'assist'
}
export function isPartyStanding(s: DealStanding | null): s is 'buyer' | 'seller' {
  return s === 'buyer' || s === 'seller'
}
/** Who may write in the conversation: brokers of the deal, the parties, bureau staff who joined. */
export function canPost(s: DealStanding | null) {
  return s !== null && s !== 'bureau'
}

const accessSelect = {
  id: true,
  ownerId: true,
  buyerOrgId: true,
  stage: true,
  members: { select: { userId: true, role: true } },
  candidates: { select: { sellerOrgId: true, introducedAt: true, droppedAt: true } },
} satisfies Prisma.DealSelect

export type DealAccessRow = Prisma.DealGetPayload<{ select: typeof accessSelect }>

/** The actor's standing in a loaded deal, or null when the deal is none of their business. */
export function standingIn(actor: Actor | null | undefined, deal: DealAccessRow): DealStanding | null {
  if (!actor) return null
  if (deal.ownerId === actor.id) return 'lead'
  const member = deal.members.find((m) => m.userId === actor.id)
  if (member?.role === 'ASSIST' || member?.role === 'LEAD') return 'assist'
  if (can(actor.role, 'deal:read-all')) return member?.role === 'BUREAU' ? 'bureau-member' : 'bureau'
  if (actor.orgId && actor.orgId === deal.buyerOrgId) return 'buyer'
  if (actor.orgId && deal.candidates.some((c) => c.sellerOrgId === actor.orgId && c.introducedAt && !c.droppedAt)) return 'seller'
  return null
}

/**
 * Loads the deal the actor may see and their standing in it. A deal the actor has no part in
 * is reported as not found, so its existence does not leak.
 */
export async function requireDealAccess(db: Db, actor: Actor | null | undefined, dealId: string) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'err.signInRequired')
  const deal = await db.deal.findUnique({ where: { id: dealId }, select: accessSelect })
  const standing = deal ? standingIn(actor, deal) : null
  if (!deal || !standing) throw new AppError('NOT_FOUND', 'err.notFound')
  return { deal, standing }
}

/** The deals an actor may list: a where-clause with the same rules as standingIn. */
export function visibleDealsWhere(actor: Actor): Prisma.DealWhereInput {
  if (can(actor.role, 'deal:read-all')) return {}
  const or: Prisma.DealWhereInput[] = [{ ownerId: actor.id }, { members: { some: { userId: actor.id } } }]
  if (actor.orgId) {
    or.push({ buyerOrgId: actor.orgId })
    or.push({ candidates: { some: { sellerOrgId: actor.orgId, introducedAt: { not: null }, droppedAt: null } } })
  }
  return { OR: or }
}
