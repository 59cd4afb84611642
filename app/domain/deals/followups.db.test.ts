import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/infra/db/client.server'
import { setNextStep } from './deals.server'
import { sendDealReminders } from './followups.server'
import { dealIn, dealWorld, type DealWorld } from './test-world'

/**
 * The reminder chore: overdue next steps of open deals and due follow-up visits, each reminded at
 * most once per China calendar day, however often and however many instances run it.
 */

let w: DealWorld
beforeAll(async () => {
  w = await dealWorld()
})

const day = (d: string) => new Date(`${d}T00:00:00Z`)
// 10:00 in China on 2030-06-15 (a fixed "now", far from the deals' real dates).
const NOW = new Date('2030-06-15T02:00:00Z')
const later = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000)

async function notes(userId: string, type: string) {
  const db = await prisma()
  return db.notification.findMany({ where: { userId, type }, orderBy: { createdAt: 'asc' } })
}

describe('deal reminders', () => {
  it('reminds the owner of an overdue next step once a day, and not of one due today or of a closed deal', async () => {
    const db = await prisma()
    const overdue = await dealIn(w)
    const dueToday = await dealIn(w)
    const closed = await dealIn(w)
    await db.deal.update({ where: { id: overdue.deal.id }, data: { nextStepDue: day('2030-06-14'), nextStep: '寄送样品' } })
    await db.deal.update({ where: { id: dueToday.deal.id }, data: { nextStepDue: day('2030-06-15') } })
    await db.deal.update({ where: { id: closed.deal.id }, data: { nextStepDue: day('2030-06-01'), stage: 'LOST', lostReason: '暂缓', closedAt: NOW } })
    const before = (await notes(w.people.lead.id, 'deal.overdue')).length

    const first = await sendDealReminders({ now: NOW })
    expect(first.deals).toBeGreaterThanOrEqual(1)
    const sent = (await notes(w.people.lead.id, 'deal.overdue')).slice(before)
    expect(sent.map((n) => n.link)).toEqual([`/deals/${overdue.deal.id}`])
    expect(sent[0]!.params).toMatchObject({ deal: overdue.deal.number, nextStep: '寄送样品', due: '2030-06-14' })
    // The assistant is not the one reminded: the owner is.
    expect(await notes(w.people.assist.id, 'deal.overdue')).toHaveLength(0)

    // Again the same day (another instance, a restart): nothing more.
    await sendDealReminders({ now: later(5) })
    await Promise.all([sendDealReminders({ now: later(6) }), sendDealReminders({ now: later(6) })])
    expect((await notes(w.people.lead.id, 'deal.overdue')).slice(before)).toHaveLength(1)

    // The next day in China (00:30 on the 16th): once more, for both now overdue.
    await sendDealReminders({ now: new Date('2030-06-15T16:30:00Z') })
    const links = (await notes(w.people.lead.id, 'deal.overdue')).slice(before).map((n) => n.link)
    expect(links.sort()).toEqual([`/deals/${overdue.deal.id}`, `/deals/${overdue.deal.id}`, `/deals/${dueToday.deal.id}`].sort())
    expect(links).not.toContain(`/deals/${closed.deal.id}`)
  })

  it('a new next step starts the reminders afresh', async () => {
    const db = await prisma()
    const { deal } = await dealIn(w)
    await db.deal.update({ where: { id: deal.id }, data: { nextStepDue: day('2030-06-10'), remindedAt: later(-1) } })
    const before = (await notes(w.people.lead.id, 'deal.overdue')).filter((n) => n.link === `/deals/${deal.id}`).length
    await sendDealReminders({ now: NOW })
    expect((await notes(w.people.lead.id, 'deal.overdue')).filter((n) => n.link === `/deals/${deal.id}`)).toHaveLength(before)
    // Rescheduled (set through the domain), then overdue again: reminded the same day.
    await setNextStep({ actor: w.people.assist, dealId: deal.id, input: { nextStep: '再次联系', nextStepDue: '2030-06-20' } })
    await db.deal.update({ where: { id: deal.id }, data: { nextStepDue: day('2030-06-12') } })
    await sendDealReminders({ now: later(1) })
    expect((await notes(w.people.lead.id, 'deal.overdue')).filter((n) => n.link === `/deals/${deal.id}`)).toHaveLength(before + 1)
  })

  it('reminds the assignee of a due follow-up visit once a day until its outcome is recorded', async () => {
    const db = await prisma()
    const { deal } = await dealIn(w)
    const due = await db.followUp.create({ data: { dealId: deal.id, dueDate: day('2030-06-15'), assigneeId: w.people.assist.id } })
    await db.followUp.create({ data: { dealId: deal.id, dueDate: day('2030-06-16'), assigneeId: w.people.assist.id } })
    await db.followUp.create({ data: { dealId: deal.id, dueDate: day('2030-06-01'), assigneeId: w.people.assist.id, doneAt: later(-100), outcome: '已回访' } })
    await sendDealReminders({ now: NOW })
    await sendDealReminders({ now: later(3) })
    const sent = await notes(w.people.assist.id, 'followup.due')
    expect(sent).toHaveLength(1)
    expect(sent[0]!.params).toMatchObject({ deal: deal.number, due: '2030-06-15' })
    await db.followUp.update({ where: { id: due.id }, data: { doneAt: later(4), outcome: '运行良好' } })
    await sendDealReminders({ now: new Date('2030-06-16T01:00:00Z') })
    const next = await notes(w.people.assist.id, 'followup.due')
    expect(next.map((n) => (n.params as { due: string }).due)).toEqual(['2030-06-15', '2030-06-16'])
  })
})
