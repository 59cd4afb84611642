import type { Prisma, PrismaClient } from '~/generated/prisma/client'
import { notify, type NotifyInput } from '~/domain/notifications/notify.server'

type Db = Prisma.TransactionClient | PrismaClient

/**
 * What happens in a deal, written as DealEvent rows for its timeline. `internal` events are the
 * brokers' own (shortlisting, dropping a candidate never introduced, next steps, assistants,
 * follow-ups) and never reach the parties. Events about one seller's candidate carry its
 * `sellerOrgId` in their parameters, so that a timeline shows another seller nothing of it.
 *
 * Parameters per type:
 * - deal.created       { number, title, demandId?, scenarioId? }
 * - deal.stage         { from, to } (DealStage codes)
 * - deal.won           { from }
 * - deal.lost          { from } (the reason is on the deal, for brokers and the bureau)
 * - deal.nextStep      { nextStep, due } (internal)
 * - deal.owner         { from, to } (user names)
 * - candidate.added    { achievementId, achievementTitle, sellerOrgId, sellerOrgName } (internal)
 * - candidate.restored, candidate.shortlisted, candidate.unshortlisted: the same (internal)
 * - candidate.dropped  the same; internal unless the candidate had been introduced
 * - candidate.introduced the same (public; parties see their own)
 * - member.assist      { name } (internal), member.removed { name } (internal)
 * - member.bureau      { name } (bureau staff joined the conversation)
 * - contract.linked    { contractId, number }
 * - contract.signed    { contractId, number }
 * - followup.scheduled { dates } (internal), followup.done { due, outcome } (internal)
 */
export const DEAL_EVENT_TYPES = [
  'deal.created',
  'deal.stage',
  'deal.won',
  'deal.lost',
  'deal.nextStep',
  'deal.owner',
  'candidate.added',
  'candidate.restored',
  'candidate.shortlisted',
  'candidate.unshortlisted',
  'candidate.dropped',
  'candidate.introduced',
  'member.assist',
  'member.removed',
  'member.bureau',
  'contract.linked',
  'contract.signed',
  'followup.scheduled',
  'followup.done',
] as const
export type DealEventType = (typeof DEAL_EVENT_TYPES)[number]

export async function dealEvent(
  tx: Db,
  e: { dealId: string; actorId: string | null; type: DealEventType; params?: Record<string, unknown>; internal?: boolean; at?: Date },
) {
  await tx.dealEvent.create({
    data: {
      dealId: e.dealId,
      actorId: e.actorId,
      type: e.type,
      params: (e.params ?? {}) as Prisma.InputJsonValue,
      internal: e.internal ?? false,
      ...(e.at ? { createdAt: e.at } : {}),
    },
  })
}

/** The active members of organisations, to notify a party. */
export async function orgMemberIds(tx: Db, orgIds: Iterable<string>) {
  const ids = [...new Set(orgIds)]
  if (!ids.length) return []
  const users = await tx.user.findMany({ where: { orgId: { in: ids }, disabledAt: null }, select: { id: true } })
  return users.map((u) => u.id)
}

/** Everyone with a part in the deal: its brokers, the buyer's members and the introduced sellers' members. */
export async function dealParticipantIds(tx: Db, dealId: string) {
  const deal = await tx.deal.findUniqueOrThrow({
    where: { id: dealId },
    select: {
      ownerId: true,
      buyerOrgId: true,
      members: { where: { role: { in: ['LEAD', 'ASSIST'] } }, select: { userId: true } },
      candidates: { where: { introducedAt: { not: null }, droppedAt: null }, select: { sellerOrgId: true } },
    },
  })
  const parties = await orgMemberIds(tx, [deal.buyerOrgId, ...deal.candidates.map((c) => c.sellerOrgId)])
  return [deal.ownerId, ...deal.members.map((m) => m.userId), ...parties]
}

export async function notifyDeal(tx: Db, deal: { id: string; number: string; title: string }, input: Omit<NotifyInput, 'link'> & { params?: Record<string, string | number> }) {
  await notify(tx, { ...input, params: { deal: deal.number, dealTitle: deal.title, ...input.params }, link: `/deals/${deal.id}` })
}
