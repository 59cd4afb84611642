import { Prisma } from '~/generated/prisma/client'
import type { DealStage, Industry, TechField, TransferMode } from '~/generated/prisma/enums'
import { audit } from '~/domain/audit.server'
import { takeLead } from '~/domain/brokers/claims.server'
import { AppError } from '~/domain/errors'
import { toDto } from '~/domain/listings/listings.server'
import { todayInChina } from '~/domain/listings/schemas'
import { reasonText } from '~/domain/matching/match.server'
import type { Reason } from '~/domain/matching/rerank'
import { hiddenNeedTexts, matchesForViewer } from '~/domain/matching/stored.server'
import { keepPublicTerms } from './disclosure.server'
import { notify } from '~/domain/notifications/notify.server'
import { authorize, type Actor } from '~/domain/users/accounts.server'
import { can } from '~/domain/users/permissions'
import { translator, type Locale } from '~/i18n/i18n'
import { prisma } from '~/infra/db/client.server'
import { isBrokerStanding, isPartyStanding, requireDealAccess, standingIn, visibleDealsWhere, type DealStanding } from './access.server'
import { dealEvent, dealParticipantIds, notifyDeal, orgMemberIds } from './events.server'
import { scheduleFollowUps } from './followups.server'
import type { CreateDealInput, DealListQuery, MoveStageInput, NextStepInput } from './schemas'
import { chinaDay, checkTransition, contractState, DEAL_STAGES, isOpenStage, isOverdue, mayDraftContract, nextStages, OPEN_STAGES, type StageFacts } from './stages'

type Tx = Prisma.TransactionClient
type Db = Awaited<ReturnType<typeof prisma>>
const ENTITY = 'Deal'

/**
 * Deals: a broker's pipeline from a demand (or a scenario) to a signed contract. Every deal has
 * an owner (the lead broker), a stage with explicit transitions (stages.ts), a next step with a
 * due date, candidate achievements whose organisations become parties once introduced, and a
 * timeline of events. Access goes through access.server.ts: lead and assisting brokers change
 * the deal (only the lead closes or hands it over), the parties and the bureau read it.
 */

// ─── Helpers ────────────────────────────────────────────────────────────────────────

const day = (d: string) => new Date(`${d}T00:00:00Z`)
const dayText = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null)

function isUniqueViolation(error: unknown, field: string) {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002' && JSON.stringify(error.meta ?? {}).includes(field)
}

/** D-<year>-<6 digits>, the next free number of the year (in China). */
async function nextNumber(tx: Tx, now: Date): Promise<string> {
  const prefix = `D-${todayInChina(now).slice(0, 4)}-`
  const last = await tx.deal.findFirst({ where: { number: { startsWith: prefix } }, orderBy: { number: 'desc' }, select: { number: true } })
  const next = (last ? Number(last.number.slice(prefix.length)) : 0) + 1
  if (next > 999_999) throw new AppError('CONFLICT', 'err.deal.numbersExhausted')
  return `${prefix}${String(next).padStart(6, '0')}`
}

export async function stageFacts(db: Tx | Db, deal: { id: string; contractId: string | null }): Promise<StageFacts> {
  const [candidates, contract] = await Promise.all([
    db.dealCandidate.findMany({ where: { dealId: deal.id, droppedAt: null }, select: { introducedAt: true } }),
    deal.contractId ? db.contract.findUnique({ where: { id: deal.contractId }, select: { status: true, signedAt: true } }) : null,
  ])
  return { activeCandidates: candidates.length, introducedCandidates: candidates.filter((c) => c.introducedAt).length, contract: contractState(contract) }
}

const changeSelect = {
  id: true,
  number: true,
  title: true,
  stage: true,
  ownerId: true,
  buyerOrgId: true,
  demandId: true,
  scenarioId: true,
  contractId: true,
  nextStep: true,
  nextStepDue: true,
} satisfies Prisma.DealSelect

/**
 * The deal as someone about to change it: NOT_FOUND when it is none of their business,
 * FORBIDDEN when they only read it (parties, bureau) or, for `lead`, when they only assist.
 */
async function forChange(tx: Tx, actor: Actor, dealId: string, need: 'broker' | 'lead' = 'broker') {
  const { standing } = await requireDealAccess(tx, actor, dealId)
  if (!isBrokerStanding(standing)) throw new AppError('FORBIDDEN', 'err.deal.brokersOnly')
  if (need === 'lead' && standing !== 'lead') throw new AppError('FORBIDDEN', 'err.deal.leadOnly')
  const deal = await tx.deal.findUniqueOrThrow({ where: { id: dealId }, select: changeSelect })
  return { deal, standing }
}

function requireOpen(deal: { stage: DealStage }) {
  if (!isOpenStage(deal.stage)) throw new AppError('CONFLICT', 'err.deal.closed')
}

async function userName(tx: Tx, id: string) {
  return (await tx.user.findUnique({ where: { id }, select: { name: true } }))?.name ?? ''
}

// ─── Starting a deal ────────────────────────────────────────────────────────────────

/**
 * A broker starts a deal from a published demand or scenario. On a demand the broker must be
 * its lead broker or an assistant, or the demand must be unclaimed: then starting the deal
 * claims it, with a conditional update, so that two brokers cannot both become its lead. One
 * open deal per demand (per broker, for a scenario, which is an open call).
 */
export async function createDeal({ actor, input, ip, now = new Date() }: { actor: Actor; input: CreateDealInput; ip?: string | null; now?: Date }) {
  authorize(actor, 'deal:create')
  const db = await prisma()
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        let buyerOrgId: string
        let title: string
        let demandLead: string | null = null
        if (input.demandId) {
          const demand = await tx.demand.findUnique({
            where: { id: input.demandId },
            select: { id: true, title: true, orgId: true, status: true, leadBrokerId: true, assists: { where: { brokerId: actor.id }, select: { brokerId: true } } },
          })
          if (!demand || demand.status !== 'PUBLISHED') throw new AppError('NOT_FOUND', 'err.deal.sourceUnknown', { fields: { demandId: 'err.deal.sourceUnknown' } })
          if (demand.leadBrokerId === null) {
            await takeLead(tx, { actor, demand, ip, via: 'deal', conflictKey: 'err.deal.claimedMeanwhile' })
          } else if (demand.leadBrokerId !== actor.id && demand.assists.length === 0) {
            throw new AppError('FORBIDDEN', 'err.deal.demandClaimed')
          }
          demandLead = demand.leadBrokerId
          const open = await tx.deal.findFirst({ where: { demandId: demand.id, stage: { in: [...OPEN_STAGES] } }, select: { number: true } })
          if (open) throw new AppError('CONFLICT', 'err.deal.openDealExists', { params: { number: open.number } })
          buyerOrgId = demand.orgId
          title = demand.title
        } else {
          const scenario = await tx.scenario.findUnique({ where: { id: input.scenarioId! }, select: { id: true, title: true, orgId: true, status: true } })
          if (!scenario || scenario.status !== 'PUBLISHED') throw new AppError('NOT_FOUND', 'err.deal.sourceUnknown', { fields: { scenarioId: 'err.deal.sourceUnknown' } })
          const open = await tx.deal.findFirst({ where: { scenarioId: scenario.id, ownerId: actor.id, stage: { in: [...OPEN_STAGES] } }, select: { number: true } })
          if (open) throw new AppError('CONFLICT', 'err.deal.openDealExists', { params: { number: open.number } })
          buyerOrgId = scenario.orgId
          title = scenario.title
        }
        const number = await nextNumber(tx, now)
        const deal = await tx.deal.create({
          data: {
            number,
            title: input.title?.trim() || title,
            demandId: input.demandId ?? null,
            scenarioId: input.scenarioId ?? null,
            buyerOrgId,
            ownerId: actor.id,
            stage: 'LEAD',
            nextStep: input.nextStep,
            nextStepDue: day(input.nextStepDue),
            createdAt: now,
          },
        })
        // An assistant of the demand starts the deal: its lead broker assists the deal.
        if (demandLead && demandLead !== actor.id) {
          await tx.dealMember.create({ data: { dealId: deal.id, userId: demandLead, role: 'ASSIST', joinedAt: now } })
          await notifyDeal(tx, deal, { userIds: [demandLead], type: 'deal.assigned', exceptUserId: actor.id })
        }
        await dealEvent(tx, { dealId: deal.id, actorId: actor.id, type: 'deal.created', params: { number, title: deal.title, demandId: deal.demandId, scenarioId: deal.scenarioId }, at: now })
        await dealEvent(tx, { dealId: deal.id, actorId: actor.id, type: 'deal.nextStep', params: { nextStep: input.nextStep, due: input.nextStepDue }, internal: true, at: now })
        await audit(tx, { actorId: actor.id, action: 'deal.create', entityType: ENTITY, entityId: deal.id, after: { number, demandId: deal.demandId, scenarioId: deal.scenarioId, buyerOrgId }, ip })
        return deal
      })
    } catch (error) {
      // Two deals racing for the same number: the loser takes the next one.
      if (attempt < 5 && isUniqueViolation(error, 'number')) continue
      throw error
    }
  }
}

// ─── Candidates ─────────────────────────────────────────────────────────────────────

const candidateParams = (c: { achievementId: string; sellerOrgId: string }, a: { title: string }, org: { name: string }) => ({
  achievementId: c.achievementId,
  achievementTitle: a.title,
  sellerOrgId: c.sellerOrgId,
  sellerOrgName: org.name,
})

/** Adds a published achievement as a candidate (or brings back a dropped one), shortlisted. */
export async function addCandidate({
  actor,
  dealId,
  input,
  now = new Date(),
}: {
  actor: Actor
  dealId: string
  input: { achievementId: string; note?: string }
  now?: Date
}) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const { deal } = await forChange(tx, actor, dealId)
    requireOpen(deal)
    const achievement = await tx.achievement.findFirst({
      where: { id: input.achievementId, status: 'PUBLISHED' },
      select: { id: true, title: true, orgId: true, org: { select: { name: true } } },
    })
    if (!achievement) throw new AppError('BAD_INPUT', 'err.deal.achievementUnknown', { fields: { achievementId: 'err.deal.achievementUnknown' } })
    if (achievement.orgId === deal.buyerOrgId) throw new AppError('BAD_INPUT', 'err.deal.candidateIsBuyer', { fields: { achievementId: 'err.deal.candidateIsBuyer' } })
    const existing = await tx.dealCandidate.findUnique({ where: { dealId_achievementId: { dealId, achievementId: achievement.id } } })
    if (existing && !existing.droppedAt) throw new AppError('CONFLICT', 'err.deal.candidateExists')
    const candidate = existing
      ? await tx.dealCandidate.update({ where: { id: existing.id }, data: { droppedAt: null, shortlisted: true, note: input.note ?? existing.note } })
      : await tx.dealCandidate.create({
          data: { dealId, achievementId: achievement.id, sellerOrgId: achievement.orgId, shortlisted: true, note: input.note ?? null, createdAt: now },
        })
    await dealEvent(tx, {
      dealId,
      actorId: actor.id,
      type: existing ? 'candidate.restored' : 'candidate.added',
      params: candidateParams(candidate, achievement, achievement.org),
      internal: true,
      at: now,
    })
    await tx.deal.update({ where: { id: dealId }, data: { updatedAt: now } })
    return candidate
  })
}

async function candidateOf(tx: Tx, dealId: string, candidateId: string) {
  const c = await tx.dealCandidate.findFirst({
    where: { id: candidateId, dealId },
    include: { sellerOrg: { select: { name: true } } },
  })
  if (!c) throw new AppError('NOT_FOUND', 'err.deal.candidateUnknown')
  const achievement = await tx.achievement.findUnique({ where: { id: c.achievementId }, select: { title: true } })
  return { candidate: c, params: candidateParams(c, achievement ?? { title: '' }, c.sellerOrg) }
}

type CandidateChange = { deal: Awaited<ReturnType<typeof forChange>>['deal'] } & Awaited<ReturnType<typeof candidateOf>>

/** A broker's change to a candidate still in play, in one transaction: the deal open, the candidate not dropped. */
async function changeCandidate<T>(actor: Actor, dealId: string, candidateId: string, change: (tx: Tx, found: CandidateChange) => Promise<T>) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const { deal } = await forChange(tx, actor, dealId)
    requireOpen(deal)
    const found = await candidateOf(tx, dealId, candidateId)
    if (found.candidate.droppedAt) throw new AppError('CONFLICT', 'err.deal.candidateDropped')
    return change(tx, { deal, ...found })
  })
}

/** Puts a candidate on the shortlist or takes it off (broker-only; the parties never see it). */
export async function setShortlisted({ actor, dealId, candidateId, shortlisted, now = new Date() }: { actor: Actor; dealId: string; candidateId: string; shortlisted: boolean; now?: Date }) {
  return changeCandidate(actor, dealId, candidateId, async (tx, { candidate, params }) => {
    if (candidate.introducedAt && !shortlisted) throw new AppError('CONFLICT', 'err.deal.alreadyIntroduced')
    if (candidate.shortlisted === shortlisted) return candidate
    const updated = await tx.dealCandidate.update({ where: { id: candidate.id }, data: { shortlisted } })
    await dealEvent(tx, { dealId, actorId: actor.id, type: shortlisted ? 'candidate.shortlisted' : 'candidate.unshortlisted', params, internal: true, at: now })
    return updated
  })
}

/**
 * Drops a candidate; it stays in the history. An introduced candidate's organisation stops
 * being a party (it no longer sees the deal).
 */
export async function dropCandidate({ actor, dealId, candidateId, ip, now = new Date() }: { actor: Actor; dealId: string; candidateId: string; ip?: string | null; now?: Date }) {
  return changeCandidate(actor, dealId, candidateId, async (tx, { candidate, params }) => {
    const { count } = await tx.dealCandidate.updateMany({ where: { id: candidate.id, droppedAt: null }, data: { droppedAt: now, shortlisted: false } })
    if (!count) throw new AppError('CONFLICT', 'err.deal.changedMeanwhile')
    await dealEvent(tx, { dealId, actorId: actor.id, type: 'candidate.dropped', params, internal: !candidate.introducedAt, at: now })
    if (candidate.introducedAt) {
      await audit(tx, { actorId: actor.id, action: 'deal.candidate.drop', entityType: ENTITY, entityId: dealId, after: { candidateId, sellerOrgId: candidate.sellerOrgId }, ip })
    }
    await tx.deal.update({ where: { id: dealId }, data: { updatedAt: now } })
    return candidate
  })
}

/**
 * Introduces a shortlisted candidate: its organisation becomes a party, both sides are told.
 * A deal still at LEAD or SHORTLISTED moves to INTRODUCED.
 */
export async function introduceCandidate({ actor, dealId, candidateId, ip, now = new Date() }: { actor: Actor; dealId: string; candidateId: string; ip?: string | null; now?: Date }) {
  return changeCandidate(actor, dealId, candidateId, async (tx, { deal, candidate, params }) => {
    if (candidate.introducedAt) throw new AppError('CONFLICT', 'err.deal.alreadyIntroduced')
    if (!candidate.shortlisted) throw new AppError('CONFLICT', 'err.deal.notShortlisted')
    const { count } = await tx.dealCandidate.updateMany({ where: { id: candidate.id, introducedAt: null, droppedAt: null }, data: { introducedAt: now } })
    if (!count) throw new AppError('CONFLICT', 'err.deal.changedMeanwhile')
    await dealEvent(tx, { dealId, actorId: actor.id, type: 'candidate.introduced', params, at: now })
    let stage = deal.stage
    if (deal.stage === 'LEAD' || deal.stage === 'SHORTLISTED') {
      const moved = await tx.deal.updateMany({ where: { id: dealId, stage: deal.stage }, data: { stage: 'INTRODUCED', updatedAt: now } })
      if (!moved.count) throw new AppError('CONFLICT', 'err.deal.changedMeanwhile')
      stage = 'INTRODUCED'
      await dealEvent(tx, { dealId, actorId: actor.id, type: 'deal.stage', params: { from: deal.stage, to: 'INTRODUCED' }, at: now })
    } else {
      await tx.deal.update({ where: { id: dealId }, data: { updatedAt: now } })
    }
    await audit(tx, {
      actorId: actor.id,
      action: 'deal.introduce',
      entityType: ENTITY,
      entityId: dealId,
      before: { stage: deal.stage },
      after: { stage, candidateId, achievementId: candidate.achievementId, sellerOrgId: candidate.sellerOrgId },
      ip,
    })
    await notifyDeal(tx, deal, {
      userIds: await orgMemberIds(tx, [candidate.sellerOrgId, deal.buyerOrgId]),
      type: 'deal.introduced',
      params: { broker: await userName(tx, actor.id) },
      exceptUserId: actor.id,
    })
    return { candidate: { ...candidate, introducedAt: now }, stage }
  })
}

// ─── Stages ─────────────────────────────────────────────────────────────────────────

/**
 * Moves the deal to another stage by the rules of stages.ts. WON and LOST are the lead's; LOST
 * needs a reason; WON needs the linked contract signed (its follow-up visits are scheduled if
 * they were not yet). Moving back from CONTRACT releases a terminated contract.
 */
export async function moveStage({ actor, dealId, input, ip, now = new Date() }: { actor: Actor; dealId: string; input: MoveStageInput; ip?: string | null; now?: Date }) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const closing = input.to === 'WON' || input.to === 'LOST'
    const { deal } = await forChange(tx, actor, dealId, closing ? 'lead' : 'broker')
    if (input.from && input.from !== deal.stage) throw new AppError('CONFLICT', 'err.deal.movedMeanwhile')
    const facts = await stageFacts(tx, deal)
    const refusal = checkTransition(deal.stage, input.to, facts, input.reason)
    if (refusal === 'err.deal.lostReasonRequired') throw new AppError('BAD_INPUT', refusal, { fields: { reason: refusal } })
    if (refusal) throw new AppError('CONFLICT', refusal)
    const releaseContract = deal.stage === 'CONTRACT' && input.to !== 'WON' && input.to !== 'LOST' && facts.contract === 'terminated'
    const { count } = await tx.deal.updateMany({
      where: { id: dealId, stage: deal.stage },
      data: {
        stage: input.to,
        updatedAt: now,
        ...(closing ? { closedAt: now } : {}),
        ...(input.to === 'LOST' ? { lostReason: input.reason!.trim() } : {}),
        ...(releaseContract ? { contractId: null } : {}),
      },
    })
    if (!count) throw new AppError('CONFLICT', 'err.deal.movedMeanwhile')
    const type = input.to === 'WON' ? 'deal.won' : input.to === 'LOST' ? 'deal.lost' : 'deal.stage'
    await dealEvent(tx, { dealId, actorId: actor.id, type, params: closing ? { from: deal.stage } : { from: deal.stage, to: input.to }, at: now })
    if (input.to === 'WON' && deal.contractId) {
      const contract = await tx.contract.findUniqueOrThrow({ where: { id: deal.contractId }, select: { id: true, signedAt: true } })
      await scheduleFollowUps(tx, { dealId, contractId: contract.id, assigneeId: deal.ownerId, signedAt: contract.signedAt ?? now, actorId: actor.id, now })
    }
    await audit(tx, {
      actorId: actor.id,
      action: 'deal.stage',
      entityType: ENTITY,
      entityId: dealId,
      before: { stage: deal.stage },
      after: { stage: input.to, ...(input.to === 'LOST' ? { reason: input.reason!.trim() } : {}), ...(releaseContract ? { releasedContractId: deal.contractId } : {}) },
      ip,
    })
    await notifyDeal(tx, deal, { userIds: await dealParticipantIds(tx, dealId), type: 'deal.stage', params: { stage: input.to }, exceptUserId: actor.id })
    return { ...deal, stage: input.to }
  })
}

// ─── Next step ──────────────────────────────────────────────────────────────────────

export async function setNextStep({ actor, dealId, input, now = new Date() }: { actor: Actor; dealId: string; input: NextStepInput; now?: Date }) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const { deal } = await forChange(tx, actor, dealId)
    requireOpen(deal)
    const updated = await tx.deal.update({
      where: { id: dealId },
      // A new next step is a new promise: the overdue reminder starts afresh.
      data: { nextStep: input.nextStep, nextStepDue: day(input.nextStepDue), remindedAt: null, updatedAt: now },
    })
    await dealEvent(tx, { dealId, actorId: actor.id, type: 'deal.nextStep', params: { nextStep: input.nextStep, due: input.nextStepDue }, internal: true, at: now })
    return updated
  })
}

// ─── People ─────────────────────────────────────────────────────────────────────────

async function activeBroker(tx: Tx, brokerId: string) {
  const broker = await tx.user.findFirst({ where: { id: brokerId, role: 'BROKER', disabledAt: null }, select: { id: true, name: true } })
  if (!broker) throw new AppError('BAD_INPUT', 'err.deal.brokerUnknown', { fields: { brokerId: 'err.deal.brokerUnknown' } })
  return broker
}

/** The lead adds a broker to assist the deal. */
export async function addAssistant({ actor, dealId, brokerId, ip, now = new Date() }: { actor: Actor; dealId: string; brokerId: string; ip?: string | null; now?: Date }) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const { deal } = await forChange(tx, actor, dealId, 'lead')
    requireOpen(deal)
    const broker = await activeBroker(tx, brokerId)
    if (broker.id === deal.ownerId) throw new AppError('BAD_INPUT', 'err.deal.alreadyMember', { fields: { brokerId: 'err.deal.alreadyMember' } })
    const existing = await tx.dealMember.findUnique({ where: { dealId_userId: { dealId, userId: broker.id } } })
    if (existing) throw new AppError('CONFLICT', 'err.deal.alreadyMember', { fields: { brokerId: 'err.deal.alreadyMember' } })
    await tx.dealMember.create({ data: { dealId, userId: broker.id, role: 'ASSIST', joinedAt: now } })
    await dealEvent(tx, { dealId, actorId: actor.id, type: 'member.assist', params: { name: broker.name }, internal: true, at: now })
    await audit(tx, { actorId: actor.id, action: 'deal.assist', entityType: ENTITY, entityId: dealId, after: { brokerId: broker.id }, ip })
    await notifyDeal(tx, deal, { userIds: [broker.id], type: 'deal.assigned', exceptUserId: actor.id })
    return broker
  })
}

export async function removeAssistant({ actor, dealId, brokerId, ip, now = new Date() }: { actor: Actor; dealId: string; brokerId: string; ip?: string | null; now?: Date }) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    await forChange(tx, actor, dealId, 'lead')
    const member = await tx.dealMember.findUnique({ where: { dealId_userId: { dealId, userId: brokerId } }, include: { user: { select: { name: true } } } })
    if (!member || member.role !== 'ASSIST') throw new AppError('NOT_FOUND', 'err.deal.memberUnknown')
    await tx.dealMember.delete({ where: { dealId_userId: { dealId, userId: brokerId } } })
    await dealEvent(tx, { dealId, actorId: actor.id, type: 'member.removed', params: { name: member.user.name }, internal: true, at: now })
    await audit(tx, { actorId: actor.id, action: 'deal.unassist', entityType: ENTITY, entityId: dealId, before: { brokerId }, ip })
  })
}

/**
 * The lead hands the deal to another broker, who becomes its owner (and the demand's lead
 * broker, if the old owner was); the old owner stays on as an assistant.
 */
export async function reassignDeal({ actor, dealId, brokerId, ip, now = new Date() }: { actor: Actor; dealId: string; brokerId: string; ip?: string | null; now?: Date }) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const { deal } = await forChange(tx, actor, dealId, 'lead')
    requireOpen(deal)
    const broker = await activeBroker(tx, brokerId)
    if (broker.id === deal.ownerId) throw new AppError('BAD_INPUT', 'err.deal.alreadyOwner', { fields: { brokerId: 'err.deal.alreadyOwner' } })
    const { count } = await tx.deal.updateMany({ where: { id: dealId, ownerId: deal.ownerId }, data: { ownerId: broker.id, remindedAt: null, updatedAt: now } })
    if (!count) throw new AppError('CONFLICT', 'err.deal.changedMeanwhile')
    await tx.dealMember.deleteMany({ where: { dealId, userId: broker.id } })
    await tx.dealMember.upsert({
      where: { dealId_userId: { dealId, userId: deal.ownerId } },
      create: { dealId, userId: deal.ownerId, role: 'ASSIST', joinedAt: now },
      update: { role: 'ASSIST' },
    })
    if (deal.demandId) await tx.demand.updateMany({ where: { id: deal.demandId, leadBrokerId: deal.ownerId }, data: { leadBrokerId: broker.id, claimedAt: now } })
    // Open follow-up visits go with the deal.
    await tx.followUp.updateMany({ where: { dealId, assigneeId: deal.ownerId, doneAt: null }, data: { assigneeId: broker.id } })
    const from = await userName(tx, deal.ownerId)
    await dealEvent(tx, { dealId, actorId: actor.id, type: 'deal.owner', params: { from, to: broker.name }, at: now })
    await audit(tx, { actorId: actor.id, action: 'deal.reassign', entityType: ENTITY, entityId: dealId, before: { ownerId: deal.ownerId }, after: { ownerId: broker.id }, ip })
    await notifyDeal(tx, deal, { userIds: [broker.id], type: 'deal.assigned', exceptUserId: actor.id })
    return broker
  })
}

/** Bureau staff join a deal (to write in its conversation) or leave it again. */
export async function joinDeal({ actor, dealId, now = new Date() }: { actor: Actor; dealId: string; now?: Date }) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const { standing } = await requireDealAccess(tx, actor, dealId)
    if (standing === 'bureau-member') throw new AppError('CONFLICT', 'err.deal.alreadyMember')
    if (standing !== 'bureau') throw new AppError('FORBIDDEN', 'err.deal.bureauOnly')
    await tx.dealMember.create({ data: { dealId, userId: actor.id, role: 'BUREAU', joinedAt: now } })
    await dealEvent(tx, { dealId, actorId: actor.id, type: 'member.bureau', params: { name: await userName(tx, actor.id) }, at: now })
  })
}

export async function leaveDeal({ actor, dealId }: { actor: Actor; dealId: string }) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const { standing } = await requireDealAccess(tx, actor, dealId)
    if (standing !== 'bureau-member') throw new AppError('FORBIDDEN', 'err.deal.bureauOnly')
    await tx.dealMember.delete({ where: { dealId_userId: { dealId, userId: actor.id } } })
  })
}

/** Brokers who may assist or take over a deal. */
export async function brokerOptions({ actor }: { actor: Actor }) {
  if (actor.role !== 'BROKER' && !can(actor.role, 'deal:read-all')) throw new AppError('FORBIDDEN', 'err.forbidden')
  const db = await prisma()
  const rows = await db.user.findMany({
    where: { role: 'BROKER', disabledAt: null },
    select: { id: true, name: true, org: { select: { name: true } } },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: 500,
  })
  return rows.map((u) => ({ id: u.id, name: u.name, agency: u.org?.name ?? null }))
}

// ─── Reading ────────────────────────────────────────────────────────────────────────

const listSelect = {
  id: true,
  number: true,
  title: true,
  stage: true,
  nextStep: true,
  nextStepDue: true,
  demandId: true,
  scenarioId: true,
  contractId: true,
  closedAt: true,
  createdAt: true,
  updatedAt: true,
  ownerId: true,
  buyerOrgId: true,
  buyerOrg: { select: { id: true, name: true } },
  owner: { select: { id: true, name: true } },
  members: { select: { userId: true, role: true } },
  candidates: { select: { sellerOrgId: true, introducedAt: true, droppedAt: true } },
} satisfies Prisma.DealSelect
type ListRow = Prisma.DealGetPayload<{ select: typeof listSelect }>

/**
 * The deals an API key's organisation may read: as the buyer, as an introduced seller, as the
 * agency of the deal's brokers; the bureau's keys read every deal.
 */
function orgVisibleWhere(actor: Actor): Prisma.DealWhereInput {
  if (can(actor.role, 'deal:read-all')) return {}
  if (!actor.orgId) return { id: '' }
  const or: Prisma.DealWhereInput[] = [
    { buyerOrgId: actor.orgId },
    { candidates: { some: { sellerOrgId: actor.orgId, introducedAt: { not: null }, droppedAt: null } } },
  ]
  if (actor.role === 'BROKER') {
    or.push({ owner: { orgId: actor.orgId } }, { members: { some: { role: { in: ['LEAD', 'ASSIST'] }, user: { orgId: actor.orgId } } } })
  }
  return { OR: or }
}

/** An organisation's standing in a deal (for API keys), by the same rules as standingIn. */
async function orgStandingIn(db: Db, actor: Actor, deal: ListRow): Promise<DealStanding | null> {
  if (can(actor.role, 'deal:read-all')) return 'bureau'
  if (!actor.orgId) return null
  if (actor.role === 'BROKER') {
    const brokers = [deal.ownerId, ...deal.members.filter((m) => m.role !== 'BUREAU').map((m) => m.userId)]
    const ours = await db.user.count({ where: { id: { in: brokers }, orgId: actor.orgId } })
    if (ours) return 'assist'
  }
  if (deal.buyerOrgId === actor.orgId) return 'buyer'
  if (deal.candidates.some((c) => c.sellerOrgId === actor.orgId && c.introducedAt && !c.droppedAt)) return 'seller'
  return null
}

function listWhere(actor: Actor, query: DealListQuery, asOrg: boolean, now: Date): Prisma.DealWhereInput {
  const and: Prisma.DealWhereInput[] = [asOrg ? orgVisibleWhere(actor) : visibleDealsWhere(actor)]
  if (query.stage) and.push({ stage: query.stage })
  else if (query.state === 'open') and.push({ stage: { in: [...OPEN_STAGES] } })
  else if (query.state === 'closed') and.push({ stage: { in: ['WON', 'LOST'] } })
  if (query.owner) and.push({ ownerId: query.owner === 'me' ? actor.id : query.owner })
  if (query.overdue) and.push({ stage: { in: [...OPEN_STAGES] }, nextStepDue: { lt: chinaDay(now) } })
  if (query.q) and.push({ OR: [{ title: { contains: query.q, mode: 'insensitive' } }, { number: { contains: query.q, mode: 'insensitive' } }] })
  if (query.demand) and.push({ demandId: query.demand })
  return { AND: and }
}

const LIST_ORDER = [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.DealOrderByWithRelationInput[]

export interface DealSummary {
  id: string
  number: string
  title: string
  stage: DealStage
  standing: DealStanding
  buyerOrg: { id: string; name: string }
  owner: { id: string; name: string }
  /** Brokers and the bureau only; null for the parties. */
  nextStep: string | null
  nextStepDue: string | null
  overdue: boolean
  demandId: string | null
  scenarioId: string | null
  contractId: string | null
  closedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

function summaryOf(row: ListRow, standing: DealStanding, now: Date): DealSummary {
  const party = isPartyStanding(standing)
  const open = isOpenStage(row.stage)
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    stage: row.stage,
    standing,
    buyerOrg: row.buyerOrg,
    owner: row.owner,
    nextStep: party ? null : row.nextStep,
    nextStepDue: party ? null : dayText(row.nextStepDue),
    overdue: !party && open && isOverdue(row.nextStepDue, now),
    demandId: row.demandId,
    scenarioId: row.scenarioId,
    contractId: row.contractId,
    closedAt: row.closedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

/**
 * A page of the deals the actor may see: by `cursor` (the API) or by page number (the pages).
 * `asOrg`: the actor is an API key, which reads as its organisation.
 */
export async function listDeals({ actor, query, asOrg = false, now = new Date() }: { actor: Actor; query: DealListQuery; asOrg?: boolean; now?: Date }) {
  const db = await prisma()
  const where = listWhere(actor, query, asOrg, now)
  const take = query.pageSize
  let rows: ListRow[]
  if (query.cursor) {
    const exists = await db.deal.count({ where: { AND: [where, { id: query.cursor }] } })
    if (!exists) throw new AppError('BAD_INPUT', 'err.cursor', { fields: { cursor: 'err.cursor' } })
    rows = await db.deal.findMany({ where, orderBy: LIST_ORDER, take: take + 1, cursor: { id: query.cursor }, skip: 1, select: listSelect })
  } else {
    rows = await db.deal.findMany({ where, orderBy: LIST_ORDER, take: take + 1, skip: (query.page - 1) * take, select: listSelect })
  }
  const more = rows.length > take
  const page = rows.slice(0, take)
  const items: DealSummary[] = []
  for (const row of page) {
    const standing = asOrg ? await orgStandingIn(db, actor, row) : standingIn(actor, row)
    if (standing) items.push(summaryOf(row, standing, now))
  }
  const total = await db.deal.count({ where })
  return { items, total, nextCursor: more ? page[page.length - 1]!.id : null }
}

/** Owners to filter by: the brokers who own deals the actor sees. */
export async function ownerOptions({ actor }: { actor: Actor }) {
  const db = await prisma()
  const owners = await db.deal.findMany({ where: visibleDealsWhere(actor), distinct: ['ownerId'], select: { owner: { select: { id: true, name: true } } }, take: 500 })
  return owners.map((o) => o.owner).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
}

export interface BoardCard extends DealSummary {
  /** Stages the card may be moved to by hand (LOST and WON are on the deal's page). */
  moves: DealStage[]
}

/** How long a closed deal stays on the board. */
const BOARD_CLOSED_DAYS = 90
const BOARD_PER_COLUMN = 100

/**
 * The kanban board: a column per stage. A broker sees the deals they lead or assist; the bureau
 * sees every deal and may filter by owner. Closed deals stay for 90 days.
 */
export async function boardDeals({ actor, owner, now = new Date() }: { actor: Actor; owner?: string | null; now?: Date }) {
  const bureau = can(actor.role, 'deal:read-all')
  if (actor.role !== 'BROKER' && !bureau) throw new AppError('FORBIDDEN', 'err.deal.boardBrokersOnly')
  const db = await prisma()
  const mine: Prisma.DealWhereInput = bureau ? {} : { OR: [{ ownerId: actor.id }, { members: { some: { userId: actor.id, role: { in: ['LEAD', 'ASSIST'] } } } }] }
  const recent = new Date(now.getTime() - BOARD_CLOSED_DAYS * 86_400_000)
  const where: Prisma.DealWhereInput = {
    AND: [mine, owner ? { ownerId: owner === 'me' ? actor.id : owner } : {}, { OR: [{ stage: { in: [...OPEN_STAGES] } }, { closedAt: { gte: recent } }] }],
  }
  const rows = await db.deal.findMany({
    where,
    orderBy: [{ nextStepDue: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    select: { ...listSelect, candidates: { select: { sellerOrgId: true, introducedAt: true, droppedAt: true } } },
    take: BOARD_PER_COLUMN * DEAL_STAGES.length,
  })
  const contractIds = rows.flatMap((r) => (r.contractId ? [r.contractId] : []))
  const contracts = new Map(
    (await db.contract.findMany({ where: { id: { in: contractIds } }, select: { id: true, status: true, signedAt: true } })).map((c) => [c.id, c]),
  )
  const columns = DEAL_STAGES.map((stage) => ({ stage, cards: [] as BoardCard[] }))
  for (const row of rows) {
    const standing = standingIn(actor, row)
    if (!standing) continue
    const active = row.candidates.filter((c) => !c.droppedAt)
    const facts: StageFacts = {
      activeCandidates: active.length,
      introducedCandidates: active.filter((c) => c.introducedAt).length,
      contract: contractState(row.contractId ? contracts.get(row.contractId) : null),
    }
    const moves = isBrokerStanding(standing) ? nextStages(row.stage, facts).filter((s) => s !== 'LOST' && s !== 'WON') : []
    const column = columns.find((c) => c.stage === row.stage)!
    if (column.cards.length < BOARD_PER_COLUMN) column.cards.push({ ...summaryOf(row, standing, now), moves })
  }
  return { columns, bureau }
}

// ─── One deal ───────────────────────────────────────────────────────────────────────

export type DealAction =
  | 'edit'
  | 'close'
  | 'won'
  | 'assign'
  | 'join'
  | 'leave'
  | 'draftContract'

/**
 * One deal as the actor may see it. Parties see the deal's stage, the public summary of the
 * need and the introduced candidates (a seller only its own); never the next step, internal
 * events, follow-ups or the lost reason. Brokers and the bureau see everything.
 */
export async function getDeal({ actor, id, locale = 'zh-CN', asOrg = false, now = new Date() }: { actor: Actor; id: string; locale?: Locale; asOrg?: boolean; now?: Date }) {
  const db = await prisma()
  let standing: DealStanding
  if (asOrg) {
    const row = await db.deal.findUnique({ where: { id }, select: listSelect })
    const found = row ? await orgStandingIn(db, actor, row) : null
    if (!found) throw new AppError('NOT_FOUND', 'err.notFound')
    standing = found
  } else {
    standing = (await requireDealAccess(db, actor, id)).standing
  }
  const deal = await db.deal.findUniqueOrThrow({
    where: { id },
    include: {
      buyerOrg: { select: { id: true, name: true, kind: true, regionCode: true, verified: true } },
      owner: { select: { id: true, name: true, org: { select: { name: true } } } },
      members: { include: { user: { select: { id: true, name: true, role: true, org: { select: { name: true } } } } }, orderBy: { joinedAt: 'asc' } },
      candidates: { include: { sellerOrg: { select: { id: true, name: true, kind: true } } }, orderBy: { createdAt: 'asc' } },
      followUps: { orderBy: { dueDate: 'asc' }, include: { assignee: { select: { name: true } } } },
    },
  })
  const broker = isBrokerStanding(standing)
  const party = isPartyStanding(standing)

  // Candidates the actor may see: brokers and the bureau all; the buyer the introduced ones; a
  // seller only its own introduced rows.
  const visible = deal.candidates.filter((c) => {
    if (!party) return true
    if (!c.introducedAt || c.droppedAt) return false
    return standing === 'buyer' || c.sellerOrgId === actor.orgId
  })
  const achievements = new Map(
    (
      await db.achievement.findMany({
        where: { id: { in: visible.map((c) => c.achievementId) } },
        select: { id: true, title: true, trl: true, askingPriceFen: true, status: true, field: true, industry: true },
      })
    ).map((a) => [a.id, a]),
  )
  const needKind = deal.demandId ? 'demand' : deal.scenarioId ? 'scenario' : null
  const needId = deal.demandId ?? deal.scenarioId
  const matches = new Map(
    needKind && needId
      ? (await db.listingMatch.findMany({ where: { needKind, needId, offerId: { in: visible.map((c) => c.achievementId) } } })).map((m) => [m.offerId, m])
      : [],
  )
  const t = translator(locale)
  // Stored reasons come from the demand's full text: a seller without an NDA reads its public words only.
  const hiddenNeed = needKind === 'demand' && needId ? (await hiddenNeedTexts(actor, [needId])).get(needId) : undefined
  const candidates = visible.map((c) => {
    const a = achievements.get(c.achievementId)
    const m = matches.get(c.achievementId)
    return {
      id: c.id,
      achievement: a
        ? { id: a.id, title: a.title, trl: a.trl, askingPriceFen: a.askingPriceFen === null ? null : Number(a.askingPriceFen), published: a.status === 'PUBLISHED', field: a.field, industry: a.industry }
        : { id: c.achievementId, title: '', trl: null, askingPriceFen: null, published: false, field: null, industry: null },
      sellerOrg: c.sellerOrg,
      shortlisted: c.shortlisted,
      note: party ? null : c.note,
      introducedAt: c.introducedAt,
      droppedAt: c.droppedAt,
      createdAt: c.createdAt,
      match: m
        ? {
            score: m.score,
            confidence: m.confidence as 'strong' | 'possible',
            reasons: (hiddenNeed === undefined ? (m.reasons as unknown as Reason[]) : keepPublicTerms(m.reasons as unknown as Reason[], hiddenNeed)).map((r) => ({ ...r, text: reasonText(t, r) })),
          }
        : null,
    }
  })

  // The need's public summary only: confidential details are the NDA's business.
  let need: { kind: 'demand' | 'scenario'; listing: NeedSummary } | null = null
  if (deal.demandId) {
    const row = await db.demand.findUnique({ where: { id: deal.demandId }, include: { org: { select: { id: true, name: true, kind: true, regionCode: true, verified: true } } } })
    if (row) need = { kind: 'demand', listing: needSummary(toDto('demand', row as never, null)) }
  } else if (deal.scenarioId) {
    const row = await db.scenario.findUnique({ where: { id: deal.scenarioId }, include: { org: { select: { id: true, name: true, kind: true, regionCode: true, verified: true } } } })
    if (row) need = { kind: 'scenario', listing: needSummary(toDto('scenario', row as never, null)) }
  }

  const contractRow = deal.contractId
    ? await db.contract.findUnique({ where: { id: deal.contractId }, select: { id: true, number: true, status: true, signedAt: true, title: true } })
    : null
  const active = deal.candidates.filter((c) => !c.droppedAt)
  const facts: StageFacts = { activeCandidates: active.length, introducedCandidates: active.filter((c) => c.introducedAt).length, contract: contractState(contractRow) }
  const open = isOpenStage(deal.stage)

  const actions: DealAction[] = []
  if (broker && open) actions.push('edit')
  if (standing === 'lead' && open) actions.push('close', 'assign')
  if (standing === 'lead' && deal.stage === 'CONTRACT' && facts.contract === 'signed') actions.push('won')
  if (standing === 'bureau') actions.push('join')
  if (standing === 'bureau-member') actions.push('leave')
  if (broker && mayDraftContract(deal.stage, facts)) actions.push('draftContract')

  const overdue = !party && open && isOverdue(deal.nextStepDue, now)
  const today = chinaDay(now)
  const followUps = party
    ? []
    : deal.followUps.map((f) => ({
        id: f.id,
        dueDate: dayText(f.dueDate)!,
        assignee: f.assignee.name,
        doneAt: f.doneAt,
        outcome: f.outcome,
        due: !f.doneAt && f.dueDate.getTime() <= today.getTime(),
      }))
  const flags: string[] = []
  if (overdue) flags.push('overdue')
  if (!party && open && !deal.nextStep) flags.push('noNextStep')
  if (!party && open && facts.introducedCandidates === 0 && !['LEAD', 'SHORTLISTED'].includes(deal.stage)) flags.push('noIntroduced')
  if (!party && deal.stage === 'CONTRACT' && facts.contract === 'signed') flags.push('contractSigned')
  if (!party && deal.stage === 'CONTRACT' && facts.contract === 'terminated') flags.push('contractTerminated')
  if (followUps.some((f) => f.due)) flags.push('followUpDue')

  return {
    standing,
    deal: {
      id: deal.id,
      number: deal.number,
      title: deal.title,
      stage: deal.stage,
      buyerOrg: deal.buyerOrg,
      owner: { id: deal.owner.id, name: deal.owner.name, agency: deal.owner.org?.name ?? null },
      nextStep: party ? null : deal.nextStep,
      nextStepDue: party ? null : dayText(deal.nextStepDue),
      overdue,
      lostReason: party ? null : deal.lostReason,
      closedAt: deal.closedAt,
      createdAt: deal.createdAt,
      updatedAt: deal.updatedAt,
      demandId: deal.demandId,
      scenarioId: deal.scenarioId,
    },
    need,
    contract: contractRow,
    members: deal.members.map((m) => ({ userId: m.userId, name: m.user.name, agency: m.user.org?.name ?? null, role: m.role })),
    candidates,
    followUps,
    facts,
    nextStages: broker ? nextStages(deal.stage, facts).filter((s) => standing === 'lead' || (s !== 'LOST' && s !== 'WON')) : [],
    actions,
    flags,
  }
}

export type DealView = Awaited<ReturnType<typeof getDeal>>

/** The public summary of a need, as its public DTO has it (confidential details already removed). */
function needSummary(dto: ReturnType<typeof toDto>) {
  const pick = <T>(key: string) => (key in dto ? (dto[key] as T) : null)
  return {
    id: dto.id,
    title: dto.title,
    org: { id: dto.org.id, name: dto.org.name },
    description: pick<string>('description') ?? '',
    field: pick<TechField>('field'),
    industry: pick<Industry>('industry') ?? pick<Industry>('sector'),
    budgetFen: pick<number>('budgetFen'),
    deadline: pick<Date>('deadline'),
    cooperationModes: pick<TransferMode[]>('cooperationModes') ?? [],
    confidential: pick<boolean>('confidential') ?? false,
    detailsHidden: dto.detailsHidden,
  }
}
export type NeedSummary = ReturnType<typeof needSummary>

/**
 * Achievements a broker may add to the deal: the need's match list (stored, else computed now),
 * without those already candidates.
 */
export async function candidateOptions({ actor, dealId, locale = 'zh-CN', limit = 10 }: { actor: Actor; dealId: string; locale?: Locale; limit?: number }) {
  const db = await prisma()
  const { standing } = await requireDealAccess(db, actor, dealId)
  if (!isBrokerStanding(standing)) throw new AppError('FORBIDDEN', 'err.deal.brokersOnly')
  const deal = await db.deal.findUniqueOrThrow({ where: { id: dealId }, select: { demandId: true, scenarioId: true, buyerOrgId: true, candidates: { where: { droppedAt: null }, select: { achievementId: true } } } })
  const kind = deal.demandId ? 'demand' : deal.scenarioId ? 'scenario' : null
  if (!kind) return { matches: [], noGoodMatch: true }
  let result
  try {
    result = await matchesForViewer({ actor, kind, id: (deal.demandId ?? deal.scenarioId)!, locale, limit: limit + deal.candidates.length })
  } catch (error) {
    // The need was withdrawn or archived: no match list to pick from, the id field still works.
    if (error instanceof AppError && error.code === 'NOT_FOUND') return { matches: [], noGoodMatch: true }
    throw error
  }
  const taken = new Set(deal.candidates.map((c) => c.achievementId))
  const matches = result.matches.filter((m) => !taken.has(m.listing.id)).slice(0, limit)
  return { matches, noGoodMatch: result.noGoodMatch }
}

/**
 * Where a contract drafted from the deal starts: the deal's need and the chosen (introduced)
 * candidate's achievement. Refused unless the deal may move to CONTRACT.
 */
export async function dealDraftSource({ actor, dealId, achievementId }: { actor: Actor; dealId: string; achievementId?: string | null }) {
  const db = await prisma()
  const { standing } = await requireDealAccess(db, actor, dealId)
  if (!isBrokerStanding(standing)) throw new AppError('FORBIDDEN', 'err.deal.brokersOnly')
  const deal = await db.deal.findUniqueOrThrow({ where: { id: dealId }, select: { id: true, number: true, title: true, stage: true, contractId: true, demandId: true, scenarioId: true } })
  const facts = await stageFacts(db, deal)
  if (!mayDraftContract(deal.stage, facts)) {
    throw new AppError('CONFLICT', facts.contract === 'draft' || facts.contract === 'signed' ? 'err.deal.hasContract' : facts.introducedCandidates === 0 ? 'err.deal.needsIntroduction' : 'err.deal.stageNotAllowed')
  }
  const introduced = await db.dealCandidate.findMany({ where: { dealId, introducedAt: { not: null }, droppedAt: null }, select: { achievementId: true } })
  const chosen = achievementId ? introduced.find((c) => c.achievementId === achievementId) : introduced.length === 1 ? introduced[0] : null
  if (achievementId && !chosen) throw new AppError('BAD_INPUT', 'err.deal.candidateNotIntroduced')
  return { deal: { id: deal.id, number: deal.number, title: deal.title }, demandId: deal.demandId, scenarioId: deal.scenarioId, achievementId: chosen?.achievementId ?? null }
}

/**
 * What a need's detail page offers a broker: the open deal on it they work on, or whether they
 * may start one (a demand claimed by another broker is theirs to lead).
 */
export async function dealEntry({ actor, kind, id }: { actor: Actor | null | undefined; kind: 'achievement' | 'demand' | 'scenario'; id: string }) {
  if (!actor || !can(actor.role, 'deal:create') || kind === 'achievement') return null
  const db = await prisma()
  const mine: Prisma.DealWhereInput = { OR: [{ ownerId: actor.id }, { members: { some: { userId: actor.id, role: { in: ['LEAD', 'ASSIST'] } } } }] }
  if (kind === 'demand') {
    const demand = await db.demand.findUnique({
      where: { id },
      select: { status: true, leadBrokerId: true, leadBroker: { select: { name: true } }, assists: { where: { brokerId: actor.id }, select: { brokerId: true } } },
    })
    if (!demand || demand.status !== 'PUBLISHED') return null
    const open = await db.deal.findFirst({
      where: { demandId: id, stage: { in: [...OPEN_STAGES] } },
      select: { id: true, number: true, ownerId: true, members: { select: { userId: true, role: true } }, candidates: { where: { droppedAt: null }, select: { achievementId: true } } },
    })
    const ours = !!open && (open.ownerId === actor.id || open.members.some((m) => m.userId === actor.id && m.role !== 'BUREAU'))
    const lead = demand.leadBrokerId === null || demand.leadBrokerId === actor.id || demand.assists.length > 0
    return {
      openDeal: open && ours ? { id: open.id, number: open.number, candidateIds: open.candidates.map((c) => c.achievementId) } : null,
      mayStart: !open && lead,
      claimedBy: !lead ? (demand.leadBroker?.name ?? null) : null,
      unclaimed: demand.leadBrokerId === null,
      otherDeal: !!open && !ours,
    }
  }
  const scenario = await db.scenario.findUnique({ where: { id }, select: { status: true } })
  if (!scenario || scenario.status !== 'PUBLISHED') return null
  const open = await db.deal.findFirst({
    where: { AND: [{ scenarioId: id, stage: { in: [...OPEN_STAGES] } }, mine] },
    select: { id: true, number: true, ownerId: true, candidates: { where: { droppedAt: null }, select: { achievementId: true } } },
    orderBy: { createdAt: 'desc' },
  })
  // A scenario is an open call: every broker may work on it, one open deal each.
  const owned = open?.ownerId === actor.id
  return {
    openDeal: open ? { id: open.id, number: open.number, candidateIds: open.candidates.map((c) => c.achievementId) } : null,
    mayStart: !owned,
    claimedBy: null,
    unclaimed: false,
    otherDeal: false,
  }
}

/** A published demand's title, to name a list filter. */
export async function publishedDemandTitle(id: string) {
  const db = await prisma()
  return (await db.demand.findFirst({ where: { id, status: 'PUBLISHED' }, select: { title: true } }))?.title ?? null
}
