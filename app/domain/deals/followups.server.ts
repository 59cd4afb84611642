import type { Prisma } from '~/generated/prisma/client'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { isBrokerStanding, requireDealAccess } from './access.server'
import { dealEvent, notifyDeal } from './events.server'
import { chinaDay, followUpDates, OPEN_STAGES } from './stages'

type Tx = Prisma.TransactionClient

/**
 * Follow-up visits (回访) after a deal's contract is signed, and the daily reminders of overdue
 * next steps and due visits.
 */

const dayText = (d: Date) => d.toISOString().slice(0, 10)

/**
 * Schedules the follow-up visits of a signed contract (30 and 90 days after signing), assigned
 * to the deal's owner. Once per deal and contract: safe to call again.
 */
export async function scheduleFollowUps(
  tx: Tx,
  { dealId, contractId, assigneeId, signedAt, actorId, now = new Date() }: { dealId: string; contractId: string; assigneeId: string; signedAt: Date; actorId: string | null; now?: Date },
) {
  const existing = await tx.followUp.count({ where: { dealId, contractId } })
  if (existing) return []
  const dates = followUpDates(signedAt)
  await tx.followUp.createMany({ data: dates.map((dueDate) => ({ dealId, contractId, dueDate, assigneeId, createdAt: now })) })
  await dealEvent(tx, { dealId, actorId, type: 'followup.scheduled', params: { dates: dates.map(dayText) }, internal: true, at: now })
  return dates
}

/** A broker of the deal records how a follow-up visit went. */
export async function recordFollowUpOutcome({
  actor,
  dealId,
  followUpId,
  outcome,
  ip,
  now = new Date(),
}: {
  actor: Actor
  dealId: string
  followUpId: string
  outcome: string
  ip?: string | null
  now?: Date
}) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const { standing } = await requireDealAccess(tx, actor, dealId)
    if (!isBrokerStanding(standing)) throw new AppError('FORBIDDEN', 'err.deal.brokersOnly')
    const followUp = await tx.followUp.findFirst({ where: { id: followUpId, dealId } })
    if (!followUp) throw new AppError('NOT_FOUND', 'err.deal.followUpUnknown')
    const { count } = await tx.followUp.updateMany({ where: { id: followUp.id, doneAt: null }, data: { doneAt: now, outcome: outcome.trim() } })
    if (!count) throw new AppError('CONFLICT', 'err.deal.followUpDone')
    await dealEvent(tx, { dealId, actorId: actor.id, type: 'followup.done', params: { due: dayText(followUp.dueDate), outcome: outcome.trim() }, internal: true, at: now })
    await audit(tx, { actorId: actor.id, action: 'deal.followup', entityType: 'Deal', entityId: dealId, after: { followUpId, due: dayText(followUp.dueDate) }, ip })
    return { ...followUp, doneAt: now, outcome: outcome.trim() }
  })
}

/**
 * The chore: reminds owners of overdue next steps of open deals ('deal.overdue') and assignees
 * of due follow-up visits ('followup.due'), each at most once a China calendar day. Each
 * reminder claims its row with a conditional update of `remindedAt`, so that two instances
 * running the chore at once remind once. Safe to run at any time.
 */
export async function sendDealReminders({ now = new Date(), batch = 500 }: { now?: Date; batch?: number } = {}) {
  const db = await prisma()
  const today = chinaDay(now)
  // Midnight in China as an instant: a reminder sent before it was sent on an earlier day.
  const dayStart = new Date(today.getTime() - 8 * 3_600_000)
  const notToday = { OR: [{ remindedAt: null }, { remindedAt: { lt: dayStart } }] }
  let deals = 0
  let followUps = 0

  const overdue = await db.deal.findMany({
    where: { stage: { in: [...OPEN_STAGES] }, nextStepDue: { lt: today }, ...notToday },
    select: { id: true, number: true, title: true, ownerId: true, nextStep: true, nextStepDue: true },
    orderBy: { nextStepDue: 'asc' },
    take: batch,
  })
  for (const deal of overdue) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.deal.updateMany({ where: { id: deal.id, stage: { in: [...OPEN_STAGES] }, nextStepDue: { lt: today }, ...notToday }, data: { remindedAt: now } })
      if (!count) return
      await notifyDeal(tx, deal, { userIds: [deal.ownerId], type: 'deal.overdue', params: { nextStep: deal.nextStep ?? '', due: dayText(deal.nextStepDue!) } })
      deals++
    })
  }

  const due = await db.followUp.findMany({
    where: { doneAt: null, dueDate: { lte: today }, ...notToday },
    select: { id: true, dueDate: true, assigneeId: true, deal: { select: { id: true, number: true, title: true } } },
    orderBy: { dueDate: 'asc' },
    take: batch,
  })
  for (const f of due) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.followUp.updateMany({ where: { id: f.id, doneAt: null, ...notToday }, data: { remindedAt: now } })
      if (!count) return
      await notifyDeal(tx, f.deal, { userIds: [f.assigneeId], type: 'followup.due', params: { due: dayText(f.dueDate) } })
      followUps++
    })
  }
  return { deals, followUps }
}
