import { beforeAll, describe, expect, it } from 'vitest'
import { confirmContract, draftContract, sendForConfirmation, terminateContract } from '~/domain/contracts/contracts.server'
import type { DraftInput } from '~/domain/contracts/schemas'
import { AppError } from '~/domain/errors'
import { prisma } from '~/infra/db/client.server'
import { makeUser } from '../../../tests/factories'
import { recordFollowUpOutcome } from './followups.server'
import {
  addAssistant,
  addCandidate,
  candidateOptions,
  createDeal,
  dealDraftSource,
  dropCandidate,
  getDeal,
  introduceCandidate,
  joinDeal,
  listDeals,
  moveStage,
  reassignDeal,
  setNextStep,
  setShortlisted,
} from './deals.server'
import { DealListQuerySchema } from './schemas'
import { dealIn, dealWorld, inDays, publishedAchievement, publishedDemand, ROLES, type DealWorld, type Role } from './test-world'

type Outcome = 'ok' | AppError['code']

async function outcome(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    await fn()
    return 'ok'
  } catch (error) {
    if (error instanceof AppError) return error.code
    throw error
  }
}

const READ: Record<Role, Outcome> = { lead: 'ok', assist: 'ok', otherBroker: 'NOT_FOUND', bureau: 'ok', buyer: 'ok', sellerA: 'ok', sellerB: 'NOT_FOUND', stranger: 'NOT_FOUND' }
const BROKERS: Record<Role, Outcome> = {
  lead: 'ok',
  assist: 'ok',
  otherBroker: 'NOT_FOUND',
  bureau: 'FORBIDDEN',
  buyer: 'FORBIDDEN',
  sellerA: 'FORBIDDEN',
  sellerB: 'NOT_FOUND',
  stranger: 'NOT_FOUND',
}
const LEAD: Record<Role, Outcome> = { ...BROKERS, assist: 'FORBIDDEN' }
const JOIN: Record<Role, Outcome> = { ...BROKERS, lead: 'FORBIDDEN', assist: 'FORBIDDEN', bureau: 'ok' }

let w: DealWorld
let spare: Awaited<ReturnType<typeof makeUser>>
let achievementC: Awaited<ReturnType<typeof publishedAchievement>>

beforeAll(async () => {
  w = await dealWorld()
  spare = await makeUser({ role: 'BROKER' })
  achievementC = await publishedAchievement(w.sellerBOrg.id, '第三项候选成果')
})

const contractInput = (w: DealWorld, dealId: string, over: Partial<DraftInput> = {}): DraftInput => ({
  title: '压铸件气孔在线检测技术开发合同',
  type: 'DEVELOPMENT',
  subtype: 'DEV_COOPERATIVE',
  exclusivity: null,
  field: null,
  industry: null,
  ipType: null,
  ipNumbers: [],
  amountFen: 50_000_000,
  techAmountFen: 45_000_000,
  paymentMethod: 'LUMP_SUM',
  royaltyRateBp: null,
  entryFeeFen: null,
  termStart: null,
  termEnd: null,
  milestones: [{ title: '验收后一次付清', dueDate: inDays(60), amountFen: 50_000_000 }],
  termsText: '第一条 开发内容：压铸件气孔在线检测。',
  sellerOrgId: w.sellerAOrg.id,
  buyerOrgId: w.buyerOrg.id,
  dealId,
  ...over,
})

/** A deal at CONTRACT whose contract both parties signed. */
async function signedDeal() {
  const d = await dealIn(w, { stage: 'NEGOTIATING' })
  const contract = await draftContract({ actor: w.people.lead, input: contractInput(w, d.deal.id) })
  await sendForConfirmation({ actor: w.people.lead, id: contract.id })
  const db = await prisma()
  const version = await db.contractVersion.findFirstOrThrow({ where: { contractId: contract.id } })
  await confirmContract({ actor: w.people.sellerA, id: contract.id, version: 1, termsHash: version.termsHash })
  await confirmContract({ actor: w.people.buyer, id: contract.id, version: 1, termsHash: version.termsHash })
  return { ...d, contract }
}

interface Case {
  action: string
  expect: Record<Role, Outcome>
  setup?: () => Promise<{ deal: { id: string }; candidateB: { id: string }; followUpId?: string }>
  run: (actor: DealWorld['people'][Role], d: { deal: { id: string }; candidateB: { id: string }; followUpId?: string }) => Promise<unknown>
}

const CASES: Case[] = [
  { action: 'read', expect: READ, run: (actor, d) => getDeal({ actor, id: d.deal.id }) },
  { action: 'add a candidate', expect: BROKERS, run: (actor, d) => addCandidate({ actor, dealId: d.deal.id, input: { achievementId: achievementC.id } }) },
  { action: 'take off the shortlist', expect: BROKERS, run: (actor, d) => setShortlisted({ actor, dealId: d.deal.id, candidateId: d.candidateB.id, shortlisted: false }) },
  { action: 'drop a candidate', expect: BROKERS, run: (actor, d) => dropCandidate({ actor, dealId: d.deal.id, candidateId: d.candidateB.id }) },
  { action: 'introduce a candidate', expect: BROKERS, run: (actor, d) => introduceCandidate({ actor, dealId: d.deal.id, candidateId: d.candidateB.id }) },
  { action: 'move the stage', expect: BROKERS, run: (actor, d) => moveStage({ actor, dealId: d.deal.id, input: { to: 'NDA', from: 'INTRODUCED' } }) },
  { action: 'set the next step', expect: BROKERS, run: (actor, d) => setNextStep({ actor, dealId: d.deal.id, input: { nextStep: '安排现场检测', nextStepDue: inDays(3) } }) },
  { action: 'mark lost', expect: LEAD, run: (actor, d) => moveStage({ actor, dealId: d.deal.id, input: { to: 'LOST', reason: '企业暂缓投资' } }) },
  { action: 'mark won', expect: LEAD, setup: signedDeal, run: (actor, d) => moveStage({ actor, dealId: d.deal.id, input: { to: 'WON' } }) },
  { action: 'add an assistant', expect: LEAD, run: (actor, d) => addAssistant({ actor, dealId: d.deal.id, brokerId: spare.id }) },
  { action: 'hand over (reassign)', expect: LEAD, run: (actor, d) => reassignDeal({ actor, dealId: d.deal.id, brokerId: spare.id }) },
  { action: 'join (bureau)', expect: JOIN, run: (actor, d) => joinDeal({ actor, dealId: d.deal.id }) },
  {
    action: 'record a follow-up outcome',
    expect: BROKERS,
    setup: async () => {
      const d = await dealIn(w)
      const db = await prisma()
      const f = await db.followUp.create({ data: { dealId: d.deal.id, dueDate: new Date(`${inDays(0)}T00:00:00Z`), assigneeId: w.people.lead.id } })
      return { ...d, followUpId: f.id }
    },
    run: (actor, d) => recordFollowUpOutcome({ actor, dealId: d.deal.id, followUpId: d.followUpId!, outcome: '已回访，运行良好' }),
  },
  { action: 'list match options', expect: BROKERS, run: (actor, d) => candidateOptions({ actor, dealId: d.deal.id }) },
]

describe('who may do what in a deal', () => {
  for (const c of CASES) {
    it(`${c.action}: ${ROLES.map((r) => `${r} ${c.expect[r]}`).join(', ')}`, async () => {
      const setup = c.setup ?? (() => dealIn(w))
      // Refusals change nothing, so they share one deal; each allowed actor gets a fresh one.
      const shared = await setup()
      const db = await prisma()
      const before = await db.deal.findUniqueOrThrow({ where: { id: shared.deal.id }, include: { candidates: true, members: true, followUps: true } })
      const got: Partial<Record<Role, Outcome>> = {}
      for (const role of ROLES) {
        const d = c.expect[role] === 'ok' && c.action !== 'read' && c.action !== 'list match options' ? await setup() : shared
        got[role] = await outcome(() => c.run(w.people[role], d))
      }
      expect(got).toEqual(c.expect)
      const after = await db.deal.findUniqueOrThrow({ where: { id: shared.deal.id }, include: { candidates: true, members: true, followUps: true } })
      expect(after).toEqual(before)
    })
  }

  it('bureau staff who joined still only read', async () => {
    const { deal, candidateB } = await dealIn(w)
    await joinDeal({ actor: w.people.bureau, dealId: deal.id })
    expect((await getDeal({ actor: w.people.bureau, id: deal.id })).standing).toBe('bureau-member')
    expect(await outcome(() => introduceCandidate({ actor: w.people.bureau, dealId: deal.id, candidateId: candidateB.id }))).toBe('FORBIDDEN')
    expect(await outcome(() => joinDeal({ actor: w.people.bureau, dealId: deal.id }))).toBe('CONFLICT')
  })
})

describe('what each side sees', () => {
  it('parties see introduced candidates only, a seller only its own; never next steps or internal notes', async () => {
    const { deal, candidateB } = await dealIn(w)
    const broker = await getDeal({ actor: w.people.assist, id: deal.id })
    expect(broker.candidates.map((c) => c.sellerOrg.id).sort()).toEqual([w.sellerAOrg.id, w.sellerBOrg.id].sort())
    expect(broker.deal.nextStep).toBe('上门调研')

    const buyer = await getDeal({ actor: w.people.buyer, id: deal.id })
    expect(buyer.standing).toBe('buyer')
    expect(buyer.candidates.map((c) => c.sellerOrg.id)).toEqual([w.sellerAOrg.id])
    expect(buyer.deal.nextStep).toBeNull()
    expect(buyer.deal.nextStepDue).toBeNull()
    expect(buyer.nextStages).toEqual([])
    expect(buyer.actions).toEqual([])

    // B introduced too: each seller sees its own row only, the buyer both.
    await introduceCandidate({ actor: w.people.lead, dealId: deal.id, candidateId: candidateB.id })
    const a = await getDeal({ actor: w.people.sellerA, id: deal.id })
    const b = await getDeal({ actor: w.people.sellerB, id: deal.id })
    expect(a.candidates.map((c) => c.sellerOrg.id)).toEqual([w.sellerAOrg.id])
    expect(b.candidates.map((c) => c.sellerOrg.id)).toEqual([w.sellerBOrg.id])
    expect((await getDeal({ actor: w.people.buyer, id: deal.id })).candidates).toHaveLength(2)
    expect(a.candidates[0]!.note).toBeNull()

    // Dropped: seller B is no longer a party.
    await dropCandidate({ actor: w.people.lead, dealId: deal.id, candidateId: candidateB.id })
    expect(await outcome(() => getDeal({ actor: w.people.sellerB, id: deal.id }))).toBe('NOT_FOUND')
  })

  it('the need is shown by its public summary only', async () => {
    const { deal } = await dealIn(w)
    const view = await getDeal({ actor: w.people.lead, id: deal.id })
    expect(view.need?.kind).toBe('demand')
    expect(view.need?.listing.detailsHidden).toBe(true)
    // Nothing of the confidential part or the contacts travels with the page.
    const text = JSON.stringify(view.need)
    expect(text).not.toContain('人工抽检')
    expect(view.need!.listing).not.toHaveProperty('currentSituation')
    expect(view.need!.listing).not.toHaveProperty('contactName')
  })

  it('lists each actor the deals they have a part in, with filters and cursor pages', async () => {
    const world = await dealWorld()
    const one = await dealIn(world)
    const two = await dealIn(world)
    const db = await prisma()
    await db.deal.update({ where: { id: two.deal.id }, data: { nextStepDue: new Date(`${inDays(-2)}T00:00:00Z`), title: '逾期的项目' } })
    const q = (over: Record<string, string> = {}) => DealListQuerySchema.parse(over)
    const ids = async (actor: (typeof world.people)[Role], over: Record<string, string> = {}) => (await listDeals({ actor, query: q(over) })).items.map((i) => i.id).sort()
    const both = [one.deal.id, two.deal.id].sort()
    expect(await ids(world.people.lead)).toEqual(both)
    expect(await ids(world.people.assist)).toEqual(both)
    expect(await ids(world.people.buyer)).toEqual(both)
    expect(await ids(world.people.sellerA)).toEqual(both)
    expect(await ids(world.people.sellerB)).toEqual([])
    expect(await ids(world.people.otherBroker)).toEqual([])
    expect(await ids(world.people.stranger)).toEqual([])
    expect(await ids(world.people.lead, { overdue: '1' })).toEqual([two.deal.id])
    expect(await ids(world.people.lead, { q: '逾期' })).toEqual([two.deal.id])
    expect(await ids(world.people.lead, { q: one.deal.number })).toEqual([one.deal.id])
    expect(await ids(world.people.lead, { demand: one.demand.id })).toEqual([one.deal.id])
    expect(await ids(world.people.lead, { stage: 'NDA' })).toEqual([])
    expect(await ids(world.people.lead, { owner: 'me' })).toEqual(both)
    expect(await ids(world.people.assist, { owner: 'me' })).toEqual([])
    // The bureau sees them among all deals.
    const bureau = await ids(world.people.bureau, { pageSize: '100', owner: world.people.lead.id })
    expect(bureau).toEqual(both)
    // The parties never see the next step; the overdue flag is the brokers'.
    const buyerItems = (await listDeals({ actor: world.people.buyer, query: q() })).items
    expect(buyerItems.every((i) => i.nextStep === null && !i.overdue)).toBe(true)
    const leadTwo = (await listDeals({ actor: world.people.lead, query: q() })).items.find((i) => i.id === two.deal.id)!
    expect(leadTwo.overdue).toBe(true)
    // Cursor pages: one at a time, each once.
    const first = await listDeals({ actor: world.people.lead, query: q({ pageSize: '1' }) })
    expect(first.total).toBe(2)
    const second = await listDeals({ actor: world.people.lead, query: q({ pageSize: '1', cursor: first.nextCursor! }) })
    expect([...first.items, ...second.items].map((i) => i.id).sort()).toEqual(both)
    expect(second.nextCursor).toBeNull()
    expect(await outcome(() => listDeals({ actor: world.people.sellerB, query: q({ cursor: one.deal.id }) }))).toBe('BAD_INPUT')
  })
})

describe('starting a deal', () => {
  it('claims an unclaimed demand for the broker who starts it, numbered D-YYYY-NNNNNN', async () => {
    const demand = await publishedDemand(w.buyerOrg.id)
    const deal = await createDeal({ actor: w.people.lead, input: { demandId: demand.id, nextStep: '上门调研', nextStepDue: inDays(3) } })
    expect(deal.number).toMatch(/^D-\d{4}-\d{6}$/)
    expect(deal.stage).toBe('LEAD')
    expect(deal.buyerOrgId).toBe(w.buyerOrg.id)
    const db = await prisma()
    expect((await db.demand.findUniqueOrThrow({ where: { id: demand.id } })).leadBrokerId).toBe(w.people.lead.id)
    expect(await db.dealEvent.count({ where: { dealId: deal.id, type: 'deal.created', internal: false } })).toBe(1)
    expect(await db.auditLog.count({ where: { entityId: deal.id, action: 'deal.create' } })).toBe(1)
    expect(await db.notification.count({ where: { userId: w.people.buyer.id, type: 'demand.claimed' } })).toBeGreaterThan(0)
    // One open deal per demand.
    expect(await outcome(() => createDeal({ actor: w.people.lead, input: { demandId: demand.id, nextStep: '再来一个', nextStepDue: inDays(3) } }))).toBe('CONFLICT')
    // The next number follows.
    const next = await createDeal({ actor: w.people.lead, input: { demandId: (await publishedDemand(w.buyerOrg.id)).id, nextStep: '上门调研', nextStepDue: inDays(3) } })
    expect(Number(next.number.slice(-6))).toBeGreaterThan(Number(deal.number.slice(-6)))
  })

  it('refuses a demand another broker leads, unless the broker assists it (the lead then assists the deal)', async () => {
    const demand = await publishedDemand(w.buyerOrg.id)
    const db = await prisma()
    await db.demand.update({ where: { id: demand.id }, data: { leadBrokerId: spare.id, claimedAt: new Date() } })
    const input = { demandId: demand.id, nextStep: '联系企业', nextStepDue: inDays(2) }
    expect(await outcome(() => createDeal({ actor: w.people.otherBroker, input }))).toBe('FORBIDDEN')
    await db.demandAssist.create({ data: { demandId: demand.id, brokerId: w.people.otherBroker.id } })
    const deal = await createDeal({ actor: w.people.otherBroker, input })
    expect(deal.ownerId).toBe(w.people.otherBroker.id)
    expect(await db.dealMember.findUnique({ where: { dealId_userId: { dealId: deal.id, userId: spare.id } } })).toMatchObject({ role: 'ASSIST' })
    expect((await db.demand.findUniqueOrThrow({ where: { id: demand.id } })).leadBrokerId).toBe(spare.id)
  })

  it('lets only one of two brokers racing for an unclaimed demand lead it', async () => {
    const demand = await publishedDemand(w.buyerOrg.id)
    const input = { demandId: demand.id, nextStep: '联系企业', nextStepDue: inDays(2) }
    const results = await Promise.allSettled([createDeal({ actor: w.people.otherBroker, input }), createDeal({ actor: spare, input })])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toBeInstanceOf(AppError)
    const db = await prisma()
    expect(await db.deal.count({ where: { demandId: demand.id } })).toBe(1)
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ ownerId: string }>).value.ownerId
    expect((await db.demand.findUniqueOrThrow({ where: { id: demand.id } })).leadBrokerId).toBe(winner)
  })

  it('refuses what is not a published need, and roles without deal:create', async () => {
    const db = await prisma()
    const draft = await db.demand.create({ data: { orgId: w.buyerOrg.id, title: '草稿需求', description: '尚未发布的需求描述', field: 'ADVANCED_MANUFACTURING', industry: 'AUTOMOTIVE' } })
    expect(await outcome(() => createDeal({ actor: w.people.lead, input: { demandId: draft.id, nextStep: '联系', nextStepDue: inDays(1) } }))).toBe('NOT_FOUND')
    expect(await outcome(() => createDeal({ actor: w.people.lead, input: { demandId: 'nope', nextStep: '联系', nextStepDue: inDays(1) } }))).toBe('NOT_FOUND')
    const demand = await publishedDemand(w.buyerOrg.id)
    for (const role of ['bureau', 'buyer', 'sellerA'] as const) {
      expect(await outcome(() => createDeal({ actor: w.people[role], input: { demandId: demand.id, nextStep: '联系', nextStepDue: inDays(1) } })), role).toBe('FORBIDDEN')
    }
    expect((await db.demand.findUniqueOrThrow({ where: { id: demand.id } })).leadBrokerId).toBeNull()
  })

  it('starts from a published scenario, one open deal per broker', async () => {
    const db = await prisma()
    const scenario = await db.scenario.create({
      data: { orgId: w.buyerOrg.id, title: '园区能耗监测', description: '园区企业能耗与碳排放在线监测。', sector: 'BIG_DATA_SOFTWARE', status: 'PUBLISHED', publishedAt: new Date() },
    })
    const input = { scenarioId: scenario.id, nextStep: '对接主管部门', nextStepDue: inDays(5) }
    const deal = await createDeal({ actor: w.people.lead, input })
    expect(deal.scenarioId).toBe(scenario.id)
    expect(await outcome(() => createDeal({ actor: w.people.lead, input }))).toBe('CONFLICT')
    expect(await outcome(() => createDeal({ actor: spare, input }))).toBe('ok')
  })
})

describe('working a deal', () => {
  it('introducing tells both sides, makes the seller a party and moves the deal on', async () => {
    const demand = await publishedDemand(w.buyerOrg.id)
    const deal = await createDeal({ actor: w.people.lead, input: { demandId: demand.id, nextStep: '筛选成果', nextStepDue: inDays(3) } })
    const c = await addCandidate({ actor: w.people.lead, dealId: deal.id, input: { achievementId: w.achievementA.id, note: '指标吻合' } })
    expect(await outcome(() => addCandidate({ actor: w.people.lead, dealId: deal.id, input: { achievementId: w.achievementA.id } }))).toBe('CONFLICT')
    expect(await outcome(() => getDeal({ actor: w.people.sellerA, id: deal.id }))).toBe('NOT_FOUND')
    const db = await prisma()
    const before = await db.notification.count({ where: { userId: { in: [w.people.buyer.id, w.people.sellerA.id] }, type: 'deal.introduced' } })
    const { stage } = await introduceCandidate({ actor: w.people.lead, dealId: deal.id, candidateId: c.id })
    expect(stage).toBe('INTRODUCED')
    expect(await db.notification.count({ where: { userId: { in: [w.people.buyer.id, w.people.sellerA.id] }, type: 'deal.introduced' } })).toBe(before + 2)
    expect((await getDeal({ actor: w.people.sellerA, id: deal.id })).standing).toBe('seller')
    const events = await db.dealEvent.findMany({ where: { dealId: deal.id }, orderBy: { id: 'asc' } })
    expect(events.map((e) => [e.type, e.internal])).toEqual([
      ['deal.created', false],
      ['deal.nextStep', true],
      ['candidate.added', true],
      ['candidate.introduced', false],
      ['deal.stage', false],
    ])
    expect(events[3]!.params).toMatchObject({ sellerOrgId: w.sellerAOrg.id })
    expect(await outcome(() => introduceCandidate({ actor: w.people.lead, dealId: deal.id, candidateId: c.id }))).toBe('CONFLICT')
  })

  it('a candidate off the shortlist is not introduced; a dropped one comes back when added again', async () => {
    const { deal, candidateB } = await dealIn(w)
    await setShortlisted({ actor: w.people.assist, dealId: deal.id, candidateId: candidateB.id, shortlisted: false })
    expect(await outcome(() => introduceCandidate({ actor: w.people.assist, dealId: deal.id, candidateId: candidateB.id }))).toBe('CONFLICT')
    await dropCandidate({ actor: w.people.assist, dealId: deal.id, candidateId: candidateB.id })
    expect(await outcome(() => dropCandidate({ actor: w.people.assist, dealId: deal.id, candidateId: candidateB.id }))).toBe('CONFLICT')
    const back = await addCandidate({ actor: w.people.assist, dealId: deal.id, input: { achievementId: w.achievementB.id } })
    expect(back.id).toBe(candidateB.id)
    expect(back.droppedAt).toBeNull()
    // The buyer's own achievement is never a candidate.
    const own = await publishedAchievement(w.buyerOrg.id, '企业自有成果')
    expect(await outcome(() => addCandidate({ actor: w.people.lead, dealId: deal.id, input: { achievementId: own.id } }))).toBe('BAD_INPUT')
  })

  it('moves by the stage rules; LOST needs a reason, and a refused move changes nothing', async () => {
    const { deal } = await dealIn(w)
    expect(await outcome(() => moveStage({ actor: w.people.lead, dealId: deal.id, input: { to: 'WON' } }))).toBe('CONFLICT')
    expect(await outcome(() => moveStage({ actor: w.people.lead, dealId: deal.id, input: { to: 'CONTRACT' } }))).toBe('CONFLICT')
    expect(await outcome(() => moveStage({ actor: w.people.lead, dealId: deal.id, input: { to: 'NDA', from: 'LEAD' } }))).toBe('CONFLICT')
    const lost = await moveStage({ actor: w.people.lead, dealId: deal.id, input: { to: 'LOST' } }).catch((e: AppError) => e)
    expect(lost).toBeInstanceOf(AppError)
    expect((lost as AppError).code).toBe('BAD_INPUT')
    expect((lost as AppError).fields).toEqual({ reason: 'err.deal.lostReasonRequired' })
    const db = await prisma()
    expect((await db.deal.findUniqueOrThrow({ where: { id: deal.id } })).stage).toBe('INTRODUCED')
    await moveStage({ actor: w.people.assist, dealId: deal.id, input: { to: 'NDA', from: 'INTRODUCED' } })
    await moveStage({ actor: w.people.lead, dealId: deal.id, input: { to: 'LOST', reason: '企业暂缓投资' } })
    const after = await db.deal.findUniqueOrThrow({ where: { id: deal.id } })
    expect(after).toMatchObject({ stage: 'LOST', lostReason: '企业暂缓投资' })
    expect(after.closedAt).not.toBeNull()
    expect(await db.auditLog.count({ where: { entityId: deal.id, action: 'deal.stage' } })).toBe(2)
    expect(await outcome(() => setNextStep({ actor: w.people.lead, dealId: deal.id, input: { nextStep: '回访', nextStepDue: inDays(1) } }))).toBe('CONFLICT')
    // The parties see that it is lost, not why.
    expect((await getDeal({ actor: w.people.buyer, id: deal.id })).deal.lostReason).toBeNull()
    expect((await getDeal({ actor: w.people.bureau, id: deal.id })).deal.lostReason).toBe('企业暂缓投资')
  })

  it('a new next step clears the overdue reminder mark', async () => {
    const { deal } = await dealIn(w)
    const db = await prisma()
    await db.deal.update({ where: { id: deal.id }, data: { remindedAt: new Date(), nextStepDue: new Date(`${inDays(-3)}T00:00:00Z`) } })
    expect((await getDeal({ actor: w.people.lead, id: deal.id })).flags).toContain('overdue')
    await setNextStep({ actor: w.people.assist, dealId: deal.id, input: { nextStep: '补充检测报告', nextStepDue: inDays(4) } })
    const after = await db.deal.findUniqueOrThrow({ where: { id: deal.id } })
    expect(after).toMatchObject({ nextStep: '补充检测报告', remindedAt: null })
    expect((await getDeal({ actor: w.people.lead, id: deal.id })).flags).not.toContain('overdue')
  })

  it('the lead hands the deal over: the new owner leads the deal and the demand, the old one assists', async () => {
    const { deal, demand } = await dealIn(w)
    const next = await makeUser({ role: 'BROKER' })
    await reassignDeal({ actor: w.people.lead, dealId: deal.id, brokerId: next.id })
    const db = await prisma()
    expect((await db.deal.findUniqueOrThrow({ where: { id: deal.id } })).ownerId).toBe(next.id)
    expect((await db.demand.findUniqueOrThrow({ where: { id: demand.id } })).leadBrokerId).toBe(next.id)
    expect((await getDeal({ actor: w.people.lead, id: deal.id })).standing).toBe('assist')
    expect(await db.notification.count({ where: { userId: next.id, type: 'deal.assigned' } })).toBe(1)
    expect(await outcome(() => reassignDeal({ actor: w.people.lead, dealId: deal.id, brokerId: w.people.lead.id }))).toBe('FORBIDDEN')
    expect(await outcome(() => addAssistant({ actor: next, dealId: deal.id, brokerId: w.people.buyer.id }))).toBe('BAD_INPUT')
  })
})

describe('from a deal to its contract', () => {
  it('a contract drafted from the deal is linked, moves it to CONTRACT, and its signing schedules follow-ups', async () => {
    const { deal, contract } = await signedDeal()
    const db = await prisma()
    const linked = await db.deal.findUniqueOrThrow({ where: { id: deal.id } })
    expect(linked).toMatchObject({ stage: 'CONTRACT', contractId: contract.id })
    const followUps = await db.followUp.findMany({ where: { dealId: deal.id }, orderBy: { dueDate: 'asc' } })
    expect(followUps).toHaveLength(2)
    expect(followUps.every((f) => f.assigneeId === w.people.lead.id && f.contractId === contract.id)).toBe(true)
    const signedAt = (await db.contract.findUniqueOrThrow({ where: { id: contract.id } })).signedAt!
    const days = followUps.map((f) => Math.round((f.dueDate.getTime() - new Date(signedAt.getTime() + 8 * 3_600_000).setUTCHours(0, 0, 0, 0)) / 86_400_000))
    expect(days).toEqual([30, 90])
    const view = await getDeal({ actor: w.people.lead, id: deal.id })
    expect(view.flags).toContain('contractSigned')
    expect(view.actions).toContain('won')
    expect((await getDeal({ actor: w.people.assist, id: deal.id })).actions).not.toContain('won')
    // Signed: no step back, only won (or lost).
    expect(await outcome(() => moveStage({ actor: w.people.lead, dealId: deal.id, input: { to: 'NEGOTIATING' } }))).toBe('CONFLICT')
    await moveStage({ actor: w.people.lead, dealId: deal.id, input: { to: 'WON', from: 'CONTRACT' } })
    expect(await db.followUp.count({ where: { dealId: deal.id } })).toBe(2)
    expect((await db.deal.findUniqueOrThrow({ where: { id: deal.id } })).stage).toBe('WON')
    const types = (await db.dealEvent.findMany({ where: { dealId: deal.id }, select: { type: true } })).map((e) => e.type)
    expect(types).toEqual(expect.arrayContaining(['contract.linked', 'contract.signed', 'followup.scheduled', 'deal.won']))
    // The outcome of a visit is recorded once.
    await recordFollowUpOutcome({ actor: w.people.assist, dealId: deal.id, followUpId: followUps[0]!.id, outcome: '技术已上线运行' })
    expect(await outcome(() => recordFollowUpOutcome({ actor: w.people.lead, dealId: deal.id, followUpId: followUps[0]!.id, outcome: '再记一次' }))).toBe('CONFLICT')
  })

  it('refuses (and rolls back) a draft whose parties are not the deal’s, and a second live contract', async () => {
    const { deal } = await dealIn(w, { stage: 'NEGOTIATING' })
    const db = await prisma()
    const contracts = await db.contract.count()
    // Seller B was never introduced.
    expect(await outcome(() => draftContract({ actor: w.people.lead, input: contractInput(w, deal.id, { sellerOrgId: w.sellerBOrg.id }) }))).toBe('BAD_INPUT')
    expect(await db.contract.count()).toBe(contracts)
    // Not a broker of the deal.
    expect(await outcome(() => draftContract({ actor: spare, input: contractInput(w, deal.id) }))).toBe('NOT_FOUND')
    expect(await db.contract.count()).toBe(contracts)
    const first = await draftContract({ actor: w.people.assist, input: contractInput(w, deal.id) })
    expect((await db.deal.findUniqueOrThrow({ where: { id: deal.id } })).stage).toBe('CONTRACT')
    expect(await outcome(() => draftContract({ actor: w.people.lead, input: contractInput(w, deal.id) }))).toBe('CONFLICT')
    expect(await outcome(() => dealDraftSource({ actor: w.people.lead, dealId: deal.id }))).toBe('CONFLICT')
    // Terminated: the deal steps back and lets go of it, and a new draft may be made.
    await terminateContract({ actor: w.people.assist, id: first.id, reason: '条款需要重谈' })
    expect((await getDeal({ actor: w.people.lead, id: deal.id })).flags).toContain('contractTerminated')
    await moveStage({ actor: w.people.lead, dealId: deal.id, input: { to: 'NEGOTIATING' } })
    expect((await db.deal.findUniqueOrThrow({ where: { id: deal.id } })).contractId).toBeNull()
    const source = await dealDraftSource({ actor: w.people.lead, dealId: deal.id })
    expect(source).toMatchObject({ demandId: expect.any(String), achievementId: w.achievementA.id })
  })
})
