import type { Prisma } from '~/generated/prisma/client'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import type { Actor } from '~/domain/users/accounts.server'
import { isBrokerStanding, requireDealAccess } from './access.server'
import { dealEvent, dealParticipantIds, notifyDeal } from './events.server'
import { scheduleFollowUps } from './followups.server'
import { contractState, mayDraftContract } from './stages'

type Tx = Prisma.TransactionClient

/**
 * The hand-over from a deal to its contract, called by the contracts module inside its own
 * transactions: a contract drafted from a deal is linked to it (and the deal moves to CONTRACT),
 * and a linked contract's signing is recorded on the deal and schedules its follow-up visits.
 */

/**
 * Links a contract just drafted from the deal. Refused (and the draft with it) unless the
 * drafter is a broker of the deal, the deal may move to CONTRACT, the buyer is the deal's
 * buyer and the seller an introduced candidate's organisation.
 */
export async function linkContractToDeal(
  tx: Tx,
  {
    actor,
    dealId,
    contract,
    ip,
    now = new Date(),
  }: {
    actor: Actor
    dealId: string
    contract: { id: string; number: string; sellerOrgId: string; buyerOrgId: string }
    ip?: string | null
    now?: Date
  },
) {
  const { standing } = await requireDealAccess(tx, actor, dealId)
  if (!isBrokerStanding(standing)) throw new AppError('FORBIDDEN', 'err.deal.brokersOnly')
  const deal = await tx.deal.findUniqueOrThrow({ where: { id: dealId }, select: { id: true, number: true, title: true, stage: true, buyerOrgId: true, contractId: true } })
  const candidates = await tx.dealCandidate.findMany({ where: { dealId, droppedAt: null }, select: { sellerOrgId: true, introducedAt: true } })
  const linked = deal.contractId ? await tx.contract.findUnique({ where: { id: deal.contractId }, select: { status: true, signedAt: true } }) : null
  const facts = {
    activeCandidates: candidates.length,
    introducedCandidates: candidates.filter((c) => c.introducedAt).length,
    contract: contractState(linked),
  }
  if (!mayDraftContract(deal.stage, facts)) {
    throw new AppError('CONFLICT', facts.contract === 'draft' || facts.contract === 'signed' ? 'err.deal.hasContract' : facts.introducedCandidates === 0 ? 'err.deal.needsIntroduction' : 'err.deal.stageNotAllowed')
  }
  if (contract.buyerOrgId !== deal.buyerOrgId) throw new AppError('BAD_INPUT', 'err.deal.contractBuyer', { fields: { buyerOrgId: 'err.deal.contractBuyer' } })
  if (!candidates.some((c) => c.introducedAt && c.sellerOrgId === contract.sellerOrgId)) {
    throw new AppError('BAD_INPUT', 'err.deal.contractSeller', { fields: { sellerOrgId: 'err.deal.contractSeller' } })
  }
  const { count } = await tx.deal.updateMany({ where: { id: dealId, stage: deal.stage }, data: { contractId: contract.id, stage: 'CONTRACT', updatedAt: now } })
  if (!count) throw new AppError('CONFLICT', 'err.deal.movedMeanwhile')
  await dealEvent(tx, { dealId, actorId: actor.id, type: 'contract.linked', params: { contractId: contract.id, number: contract.number }, at: now })
  if (deal.stage !== 'CONTRACT') {
    await dealEvent(tx, { dealId, actorId: actor.id, type: 'deal.stage', params: { from: deal.stage, to: 'CONTRACT' }, at: now })
    await notifyDeal(tx, deal, { userIds: await dealParticipantIds(tx, dealId), type: 'deal.stage', params: { stage: 'CONTRACT' }, exceptUserId: actor.id })
  }
  await audit(tx, { actorId: actor.id, action: 'deal.contract', entityType: 'Deal', entityId: dealId, before: { stage: deal.stage, contractId: deal.contractId }, after: { stage: 'CONTRACT', contractId: contract.id }, ip })
}

/** A linked contract was signed: the deal's timeline says so and its follow-up visits are scheduled. */
export async function onContractSigned(tx: Tx, { contractId, number, signedAt, actorId }: { contractId: string; number: string; signedAt: Date; actorId: string | null }) {
  const deal = await tx.deal.findUnique({ where: { contractId }, select: { id: true, ownerId: true } })
  if (!deal) return
  await dealEvent(tx, { dealId: deal.id, actorId, type: 'contract.signed', params: { contractId, number }, at: signedAt })
  await scheduleFollowUps(tx, { dealId: deal.id, contractId, assigneeId: deal.ownerId, signedAt, actorId, now: signedAt })
}
