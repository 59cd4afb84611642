import { beforeAll, describe, expect, it } from 'vitest'
import { matchesForViewer } from '~/domain/matching/stored.server'
import { seedDemo } from '~/domain/seed/demo.server'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { getDeal, listDeals } from './deals.server'
import { DEAL_STAGES } from './stages'
import { FREE_DEMO_DEMANDS } from './demo.server'
import { DealListQuerySchema } from './schemas'

let broker: Actor
let enterprise: Actor

beforeAll(async () => {
  await seedDemo()
  const db = await prisma()
  const user = (email: string) => db.user.findUniqueOrThrow({ where: { email }, select: { id: true, role: true, orgId: true, isOrgAdmin: true } })
  broker = await user('broker@demo.kezhuan.cn')
  enterprise = await user('enterprise@demo.kezhuan.cn')
}, 180_000)

describe('demo deals', () => {
  it('give the demo broker a deal at every stage, the demo enterprise the buyer of several', async () => {
    const { items } = await listDeals({ actor: broker, query: DealListQuerySchema.parse({ pageSize: '100' }) })
    expect(items.length).toBeGreaterThanOrEqual(8)
    expect(items.length).toBeLessThanOrEqual(12)
    expect(new Set(items.map((d) => d.stage))).toEqual(new Set(DEAL_STAGES))
    expect(items.every((d) => d.owner.id === broker.id)).toBe(true)
    expect(items.filter((d) => d.overdue).length).toBeGreaterThanOrEqual(2)
    const asBuyer = await listDeals({ actor: enterprise, query: DealListQuerySchema.parse({}) })
    expect(asBuyer.items.length).toBeGreaterThanOrEqual(3)
    expect(asBuyer.items.every((d) => d.standing === 'buyer')).toBe(true)
  })

  it('have a won deal linked to a signed contract with its follow-ups, a lost one with its reason, and a contract-stage draft', async () => {
    const { items } = await listDeals({ actor: broker, query: DealListQuerySchema.parse({ pageSize: '100' }) })
    const won = await getDeal({ actor: broker, id: items.find((d) => d.stage === 'WON')!.id })
    expect(won.contract?.signedAt).toBeTruthy()
    expect(won.contract?.status).toBe('SIGNED')
    expect(won.followUps).toHaveLength(2)
    // Drafted from the deal: the deal's buyer and its introduced candidate's organisation.
    const db = await prisma()
    const c = await db.contract.findUniqueOrThrow({ where: { id: won.contract!.id } })
    expect(c.buyerOrgId).toBe(won.deal.buyerOrg.id)
    expect(c.sellerOrgId).toBe(won.candidates.find((x) => x.introducedAt)!.sellerOrg.id)
    expect(c.demandId).toBe(won.deal.demandId)
    // The first visit done (it is months ago), the second waiting.
    expect(won.followUps.map((f) => !!f.doneAt)).toEqual([true, false])
    const lost = await getDeal({ actor: broker, id: items.find((d) => d.stage === 'LOST')!.id })
    expect(lost.deal.lostReason).toBeTruthy()
    const contract = await getDeal({ actor: broker, id: items.find((d) => d.stage === 'CONTRACT')!.id })
    expect(contract.contract?.status).toBe('DRAFT')
    // Every open deal follows the stage rules: from INTRODUCED on, an introduced candidate.
    for (const d of items.filter((i) => !['LEAD', 'SHORTLISTED', 'LOST'].includes(i.stage))) {
      const view = await getDeal({ actor: broker, id: d.id })
      expect(view.facts.introducedCandidates, d.number).toBeGreaterThan(0)
    }
  })

  it('leave the demo enterprise confidential, unclaimed demands, one with a match list, for a broker to start on', async () => {
    const db = await prisma()
    const free = await db.demand.findMany({ where: { source: 'demo', externalId: { in: [...FREE_DEMO_DEMANDS] } }, orderBy: { externalId: 'asc' } })
    expect(free.map((d) => d.externalId)).toEqual([...FREE_DEMO_DEMANDS])
    for (const d of free) {
      expect(d, d.externalId!).toMatchObject({ status: 'PUBLISHED', leadBrokerId: null, confidential: true, orgId: enterprise.orgId })
      expect(d.currentSituation).toBeTruthy()
      expect(await db.deal.count({ where: { demandId: d.id } })).toBe(0)
    }
    const d002 = free.find((d) => d.externalId === 'DEMO-D002')!
    const matches = await matchesForViewer({ actor: broker, kind: 'demand', id: d002.id })
    expect(matches.matches.length).toBeGreaterThanOrEqual(2)
    const institute = await db.organization.findFirstOrThrow({ where: { source: 'demo', externalId: 'inst' }, select: { name: true } })
    expect(matches.matches.map((m) => m.listing.orgName)).toContain(institute.name)
  })

  it('are loaded once', async () => {
    const db = await prisma()
    const count = await db.deal.count()
    await seedDemo()
    expect(await db.deal.count()).toBe(count)
  }, 180_000)
})
