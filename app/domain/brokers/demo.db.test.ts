import { describe, expect, it } from 'vitest'
import { seedDemo } from '~/domain/seed/demo.server'
import { prisma } from '~/infra/db/client.server'
import { DEMO_BROKERS, DEMO_MINED_DEMAND, seedDemoBrokers } from './demo.server'
import { profileState } from './rules'

describe('demo brokers', () => {
  it('gives the demo broker a verified senior profile, fills the bureau queue, and leaves the demo enterprise demands unclaimed', { timeout: 240_000 }, async () => {
    await seedDemo()
    const db = await prisma()
    const profiles = await db.brokerProfile.findMany({ select: { userId: true, grade: true, verified: true, verifiedAt: true, listed: true, user: { select: { email: true, role: true, org: { select: { kind: true, verified: true } } } } } })
    expect(profiles).toHaveLength(DEMO_BROKERS.length)
    const byEmail = new Map(profiles.map((p) => [p.user.email, p]))
    expect(byEmail.get('broker@demo.kezhuan.cn')).toMatchObject({ grade: 'SENIOR', verified: true, listed: true })
    for (const p of profiles) expect(p.user, p.user.email).toMatchObject({ role: 'BROKER', org: { kind: 'BROKER_AGENCY', verified: true } })
    const states = profiles.map((p) => profileState(p))
    expect(states.filter((s) => s === 'pending').length).toBeGreaterThanOrEqual(2)
    expect(states).toContain('refused')
    expect(new Set(profiles.map((p) => p.grade))).toEqual(new Set(['JUNIOR', 'INTERMEDIATE', 'SENIOR']))

    const enterprise = await db.organization.findUniqueOrThrow({ where: { source_externalId: { source: 'demo', externalId: 'ent' } } })
    const mined = await db.demand.findFirstOrThrow({ where: { title: DEMO_MINED_DEMAND.title } })
    expect(mined).toMatchObject({ orgId: enterprise.id, status: 'DRAFT', confirmedAt: null, minedById: byEmail.get('broker@demo.kezhuan.cn')!.userId })
    expect(await db.notification.count({ where: { type: 'demand.confirm', user: { email: 'enterprise@demo.kezhuan.cn' } } })).toBe(1)
    // The other demo brokers lead other enterprises' demands, never the demo enterprise's: those are
    // the demo broker's (through the demo deals) or free to claim.
    const leads = await db.demand.findMany({ where: { orgId: enterprise.id, status: 'PUBLISHED' }, select: { leadBrokerId: true } })
    expect(leads.filter((d) => d.leadBrokerId === null).length).toBeGreaterThanOrEqual(1)
    expect(leads.every((d) => d.leadBrokerId === null || d.leadBrokerId === byEmail.get('broker@demo.kezhuan.cn')!.userId)).toBe(true)
    const zhao = byEmail.get('cq-ljtt@contracts.demo.kezhuan.cn')!.userId
    expect(await db.demand.findFirst({ where: { title: { contains: '小批量多品种智能排产' } }, select: { leadBrokerId: true, _count: { select: { assists: true } } } })).toEqual({
      leadBrokerId: zhao,
      _count: { assists: 1 },
    })

    // again: nothing new
    const counts = async () => ({ profiles: await db.brokerProfile.count(), demands: await db.demand.count(), assists: await db.demandAssist.count(), users: await db.user.count() })
    const before = await counts()
    await seedDemoBrokers()
    expect(await counts()).toEqual(before)
  })
})
