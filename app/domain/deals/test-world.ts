/**
 * Test fixtures for deals (used by *.db.test.ts only): the people around one demand, and a deal
 * on it with an introduced candidate (seller A) and a shortlisted one (seller B).
 */
import type { DealStage } from '~/generated/prisma/enums'
import { todayInChina } from '~/domain/listings/schemas'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import { addAssistant, addCandidate, createDeal, introduceCandidate } from './deals.server'

export const inDays = (n: number) => todayInChina(new Date(Date.now() + n * 86_400_000))

export async function publishedDemand(orgId: string, over: { title?: string } = {}) {
  const db = await prisma()
  return db.demand.create({
    data: {
      orgId,
      title: over.title ?? '压铸件气孔在线检测',
      description: '铝合金压铸件气孔率偏高，需要在线检测方案。',
      currentSituation: '人工抽检，漏检率约 5%',
      field: 'ADVANCED_MANUFACTURING',
      industry: 'AUTOMOTIVE',
      cooperationModes: ['CO_DEVELOPMENT'],
      confidential: true,
      status: 'PUBLISHED',
      publishedAt: new Date(),
    },
  })
}

export async function publishedAchievement(orgId: string, title = 'X 射线在线检测技术') {
  const db = await prisma()
  return db.achievement.create({
    data: { orgId, title, summary: '基于 X 射线的压铸件气孔在线检测。', field: 'ADVANCED_MANUFACTURING', industry: 'AUTOMOTIVE', trl: 6, stage: 'PILOT', status: 'PUBLISHED', publishedAt: new Date() },
  })
}

/** Everyone a deal's rules are about. */
export async function dealWorld() {
  const buyerOrg = await makeOrg({ kind: 'ENTERPRISE', verified: true })
  const sellerAOrg = await makeOrg({ kind: 'UNIVERSITY', verified: true })
  const sellerBOrg = await makeOrg({ kind: 'INSTITUTE', verified: true })
  const agency = await makeOrg({ kind: 'BROKER_AGENCY', verified: true })
  const people = {
    lead: await makeUser({ role: 'BROKER', orgId: agency.id, isOrgAdmin: true }),
    assist: await makeUser({ role: 'BROKER', orgId: agency.id }),
    otherBroker: await makeUser({ role: 'BROKER' }),
    bureau: await makeUser({ role: 'BUREAU', isOrgAdmin: true }),
    buyer: await makeUser({ role: 'ENTERPRISE', orgId: buyerOrg.id, isOrgAdmin: true }),
    sellerA: await makeUser({ role: 'SUPPLIER', orgId: sellerAOrg.id, isOrgAdmin: true }),
    sellerB: await makeUser({ role: 'SUPPLIER', orgId: sellerBOrg.id, isOrgAdmin: true }),
    stranger: await makeUser({ role: 'ENTERPRISE', isOrgAdmin: true }),
  }
  const achievementA = await publishedAchievement(sellerAOrg.id, 'X 射线在线检测技术')
  const achievementB = await publishedAchievement(sellerBOrg.id, '机器视觉表面缺陷检测')
  return { buyerOrg, sellerAOrg, sellerBOrg, agency, people, achievementA, achievementB }
}
export type DealWorld = Awaited<ReturnType<typeof dealWorld>>
export type Role = keyof DealWorld['people']
export const ROLES: Role[] = ['lead', 'assist', 'otherBroker', 'bureau', 'buyer', 'sellerA', 'sellerB', 'stranger']

/**
 * A fresh deal on a fresh demand of the world's buyer: led by `lead`, assisted by `assist`,
 * candidate A introduced (stage INTRODUCED), candidate B shortlisted; optionally moved on.
 */
export async function dealIn(w: DealWorld, { stage }: { stage?: DealStage } = {}) {
  const { lead, assist } = w.people
  const demand = await publishedDemand(w.buyerOrg.id)
  const deal = await createDeal({ actor: lead, input: { demandId: demand.id, nextStep: '上门调研', nextStepDue: inDays(7) } })
  await addAssistant({ actor: lead, dealId: deal.id, brokerId: assist.id })
  const a = await addCandidate({ actor: lead, dealId: deal.id, input: { achievementId: w.achievementA.id } })
  const b = await addCandidate({ actor: lead, dealId: deal.id, input: { achievementId: w.achievementB.id } })
  await introduceCandidate({ actor: lead, dealId: deal.id, candidateId: a.id })
  if (stage && stage !== 'INTRODUCED') {
    const db = await prisma()
    await db.deal.update({ where: { id: deal.id }, data: { stage } })
  }
  return { deal, demand, candidateA: a, candidateB: b }
}

export const actorOf = (u: Actor): Actor => ({ id: u.id, role: u.role, orgId: u.orgId, isOrgAdmin: u.isOrgAdmin })
