import { addAssistant, addCandidate, createDeal, introduceCandidate } from '~/domain/deals/deals.server'
import { createListing, transitionListing } from '~/domain/listings/listings.server'
import { AchievementInputSchema, DemandInputSchema, todayInChina } from '~/domain/listings/schemas'
import type { Actor } from '~/domain/users/accounts.server'
import { resetEnv } from '~/infra/env.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import { tempDirForFile } from '../../../tests/temp-dirs'
import { acceptNda, sendNda } from './nda.server'

/**
 * Shared by the NDA, disclosure and conversation tests: a deal from a confidential demand with
 * two introduced sellers (A and B, who may be competitors), the people around it, and a
 * private data directory for uploads. Not used by the app.
 */

export const SECRETS = {
  situation: '现用镁合金半固态触变成形工艺良率只有七成',
  indicators: '废品率降到百分之三以下的内控指标',
  constraints: '产线改造预算不超过两百万元且停线不超过五天',
  details: '补偿模型采用温度场有限元降阶算法代号XQ77',
  phone: '023-49881234',
  email: 'secret-contact@example.cn',
}

export function useTempDataDir() {
  const dir = tempDirForFile('kz-conv-')
  process.env.KZ_DATA_DIR = dir
  resetEnv()
  return dir
}

async function publish(kind: 'achievement' | 'demand', input: unknown, owner: Actor, bureau: Actor) {
  const schema = kind === 'achievement' ? AchievementInputSchema : DemandInputSchema
  const row = await createListing({ actor: owner, kind, input: schema.parse(input), submit: true })
  await transitionListing({ actor: bureau, kind, id: row.id, action: 'approve' })
  return row.id
}

export async function dealWorld() {
  const buyerOrg = await makeOrg({ kind: 'ENTERPRISE', verified: true, name: `永锋精密${Math.random().toString(36).slice(2, 6)}` })
  const sellerOrgA = await makeOrg({ kind: 'UNIVERSITY', verified: true })
  const sellerOrgB = await makeOrg({ kind: 'INSTITUTE', verified: true })
  const thirdOrg = await makeOrg({ kind: 'ENTERPRISE', verified: true })
  const agency = await makeOrg({ kind: 'BROKER_AGENCY', verified: true })
  const people = {
    buyer: await makeUser({ role: 'ENTERPRISE', orgId: buyerOrg.id, isOrgAdmin: true }),
    /** Posted the demand: a signatory though not an administrator. */
    buyerPoster: await makeUser({ role: 'ENTERPRISE', orgId: buyerOrg.id, isOrgAdmin: false }),
    buyerMember: await makeUser({ role: 'ENTERPRISE', orgId: buyerOrg.id, isOrgAdmin: false }),
    sellerA: await makeUser({ role: 'SUPPLIER', orgId: sellerOrgA.id, isOrgAdmin: true }),
    sellerAMember: await makeUser({ role: 'SUPPLIER', orgId: sellerOrgA.id, isOrgAdmin: false }),
    sellerB: await makeUser({ role: 'SUPPLIER', orgId: sellerOrgB.id, isOrgAdmin: true }),
    third: await makeUser({ role: 'ENTERPRISE', orgId: thirdOrg.id, isOrgAdmin: true }),
    broker: await makeUser({ role: 'BROKER', orgId: agency.id, isOrgAdmin: true }),
    assist: await makeUser({ role: 'BROKER', orgId: agency.id, isOrgAdmin: false }),
    otherBroker: await makeUser({ role: 'BROKER', isOrgAdmin: true }),
    bureau: await makeUser({ role: 'BUREAU', isOrgAdmin: true }),
  }
  const tag = Math.random().toString(36).slice(2, 7)
  const demandId = await publish(
    'demand',
    {
      title: `新能源汽车铝合金壳体成形工艺改进${tag}`,
      description: '需要改进新能源汽车铝合金壳体的成形工艺，降低废品率，提高良率和一致性。',
      currentSituation: SECRETS.situation,
      targetIndicators: SECRETS.indicators,
      constraints: SECRETS.constraints,
      field: '新材料',
      industry: '汽车及零部件',
      keywords: '铝合金;壳体;成形工艺',
      cooperationModes: ['合作开发'],
      confidential: 'on',
      contactName: '王经理',
      contactPhone: SECRETS.phone,
      contactEmail: SECRETS.email,
    },
    people.buyerPoster,
    people.bureau,
  )
  const achievementA = await publish(
    'achievement',
    {
      title: `铝合金壳体半固态成形工艺${tag}`,
      summary: '面向新能源汽车铝合金壳体的半固态成形工艺，显著降低废品率，提高良率。',
      field: '新材料',
      industry: '汽车及零部件',
      keywords: '铝合金;壳体;半固态成形',
      trl: 6,
      transferModes: ['许可', '合作开发'],
      askingPrice: 800000,
      confidentialDetails: SECRETS.details,
      contactName: '陈教授',
      contactPhone: '023-12345678',
      contactEmail: 'chen@example.cn',
    },
    people.sellerAMember,
    people.bureau,
  )
  const achievementB = await publish(
    'achievement',
    {
      title: `壳体压铸模具温控技术${tag}`,
      summary: '压铸模具的温度场控制技术，减少铝合金壳体缩孔和变形。',
      field: '新材料',
      industry: '汽车及零部件',
      keywords: '压铸;模具;温控',
      trl: 5,
      transferModes: ['许可'],
      confidentialDetails: '模具冷却流道布置的内部图纸编号MJ-5',
    },
    people.sellerB,
    people.bureau,
  )
  const due = todayInChina(new Date(Date.now() + 7 * 86_400_000))
  const deal = await createDeal({ actor: people.broker, input: { demandId, nextStep: '安排双方首次沟通', nextStepDue: due } })
  await addAssistant({ actor: people.broker, dealId: deal.id, brokerId: people.assist.id })
  const candA = await addCandidate({ actor: people.broker, dealId: deal.id, input: { achievementId: achievementA } })
  const candB = await addCandidate({ actor: people.broker, dealId: deal.id, input: { achievementId: achievementB } })
  await introduceCandidate({ actor: people.broker, dealId: deal.id, candidateId: candA.id })
  await introduceCandidate({ actor: people.broker, dealId: deal.id, candidateId: candB.id })
  return { ...people, buyerOrg, sellerOrgA, sellerOrgB, thirdOrg, dealId: deal.id, dealNumber: deal.number, demandId, achievementA, achievementB }
}
export type DealWorld = Awaited<ReturnType<typeof dealWorld>>

/** Sends seller A's NDA and has both sides accept it. */
export async function ndaInEffect(w: DealWorld) {
  const nda = await sendNda({ actor: w.broker, dealId: w.dealId, sellerOrgId: w.sellerOrgA.id })
  await acceptNda({ actor: w.buyer, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash, ip: '203.0.113.7' })
  await acceptNda({ actor: w.sellerA, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash, ip: '198.51.100.4' })
  return nda
}
