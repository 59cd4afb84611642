import { describe, expect, it } from 'vitest'
import { ContractStatus, ContractType } from '~/generated/prisma/enums'
import { isValidCreditCode } from '~/domain/orgs/credit-code'
import { regionZone } from '~/domain/orgs/regions'
import { seedDemo } from '~/domain/seed/demo.server'
import { prisma } from '~/infra/db/client.server'
import { completeContract, confirmContract, countableContractWhere, registerContract } from './contracts.server'
import { termsProblems } from './schemas'
import { termsHash, type VersionTerms } from './terms'

describe('demo contracts', () => {
  it('loads at least 80 contracts over 2021–2026 in every state, all types, both directions of flow; once', { timeout: 600_000 }, async () => {
    const started = Date.now()
    await seedDemo()
    const took = Date.now() - started
    const db = await prisma()
    // The contracts demo's own contracts (other modules' demo data may draft more, through the domain, backdated).
    const demoIds = (await db.auditLog.findMany({ where: { action: 'contract.demo', entityType: 'Contract' }, select: { entityId: true } })).map((a) => a.entityId)
    const contracts = await db.contract.findMany({ where: { id: { in: demoIds } }, include: { milestones: true, versions: true, confirmations: true, sellerOrg: true, buyerOrg: true } })
    const total = await db.contract.count()
    expect(contracts.length).toBeGreaterThanOrEqual(80)
    expect(new Set(contracts.map((c) => c.status))).toEqual(new Set(Object.values(ContractStatus)))
    expect(new Set(contracts.map((c) => c.type))).toEqual(new Set(Object.values(ContractType)))
    const years = new Set(contracts.map((c) => Number(c.number.slice(3, 7))))
    for (const y of [2021, 2022, 2023, 2024, 2025, 2026]) expect(years.has(y) || years.has(y - 1), String(y)).toBe(true)
    const registeredYears = new Set(contracts.filter((c) => c.registeredAt).map((c) => c.registeredAt!.getUTCFullYear()))
    expect([...registeredYears].sort()).toEqual([2021, 2022, 2023, 2024, 2025, 2026])

    // mostly registered or completed, so that the dashboard has life
    const counted = await db.contract.count({ where: countableContractWhere({ id: { in: demoIds } }) })
    expect(counted / contracts.length).toBeGreaterThan(0.6)
    // output (seller in the district) and absorption (buyer in the district), with the other side elsewhere
    const zones = (c: (typeof contracts)[number]) => [regionZone(c.sellerRegion), regionZone(c.buyerRegion)].join('→')
    const flows = new Set(contracts.map(zones))
    for (const zone of ['chongqing', 'sichuan', 'elsewhere']) {
      expect([...flows].some((f) => f.startsWith(`${zone}→district`)), `${zone} → district`).toBe(true)
      expect([...flows].some((f) => f.endsWith(`district→${zone}`)), `district → ${zone}`).toBe(true)
    }
    expect(new Set(contracts.map((c) => c.sellerKind))).toEqual(new Set(['UNIVERSITY', 'INSTITUTE', 'ENTERPRISE', 'BROKER_AGENCY']))
    expect(contracts.filter((c) => c.brokerId).length).toBeGreaterThan(15)
    expect(new Set(contracts.map((c) => c.brokerId).filter(Boolean)).size).toBeGreaterThanOrEqual(3)

    // every contract keeps the rules a drafted one keeps
    for (const c of contracts) {
      const v = c.versions.find((x) => x.version === c.currentVersion)!
      const terms = v.terms as unknown as VersionTerms
      expect(termsHash(terms, v.termsText), c.number).toBe(v.termsHash)
      expect(termsProblems({ ...terms, termsText: v.termsText }), c.number).toEqual([])
      expect(c.techAmountFen <= c.amountFen, c.number).toBe(true)
      expect(c.sellerOrgId).not.toBe(c.buyerOrgId)
      if (c.signedAt) expect(c.confirmations.filter((x) => x.version === c.currentVersion).map((x) => x.party).sort(), c.number).toEqual(['BUYER', 'SELLER'])
      if (c.registeredTechAmountFen !== null) expect(c.registeredTechAmountFen <= c.amountFen, c.number).toBe(true)
      if (c.status === 'COMPLETED' && c.registeredAt) expect(c.milestones.every((m) => m.status === 'PAID'), c.number).toBe(true)
      expect(isValidCreditCode(c.sellerOrg.creditCode!), c.sellerOrg.name).toBe(true)
    }
    expect(new Set(contracts.map((c) => c.number)).size).toBe(contracts.length)

    // the dates tell the story in order, and each state carries what it should
    const day = (d: Date | null) => (d ? new Date(d.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10) : null)
    for (const c of contracts) {
      const steps = [c.createdAt, ...c.confirmations.map((x) => x.confirmedAt), c.signedAt, c.registrationSubmittedAt].filter((d): d is Date => !!d)
      expect([...steps].sort((a, b) => +a - +b), c.number).toEqual(steps.sort((a, b) => +a - +b))
      if (c.signedAt) expect(c.confirmations.every((x) => x.confirmedAt <= c.signedAt!), c.number).toBe(true)
      if (c.registeredAt) expect(c.registeredAt.toISOString().slice(0, 10) >= day(c.registrationSubmittedAt)!, c.number).toBe(true)
      for (const end of [c.completedAt, c.terminatedAt]) if (end) expect(end >= (c.registeredAt ?? c.createdAt) && end <= new Date(), c.number).toBe(true)
      expect(['REGISTERED', 'COMPLETED'].includes(c.status) ? !!c.registrationNumber : true, c.number).toBe(true)
      if (c.status === 'NOT_REGISTERED') expect([c.notRegisteredReason?.length, c.registeredAt]).toEqual([expect.any(Number), null])
      if (c.status === 'TERMINATED') expect(c.terminationReason && c.terminatedAt, c.number).toBeTruthy()
      if (c.status === 'DRAFT') expect(c.confirmations).toEqual([])
      expect(day(c.createdAt)!.slice(0, 4), c.number).toBe(c.number.slice(3, 7))
    }
    // numbers follow the calendar, as real ones do
    const byNumber = [...contracts].sort((a, b) => (a.number < b.number ? -1 : 1))
    expect(byNumber.map((c) => +c.createdAt)).toEqual([...byNumber.map((c) => +c.createdAt)].sort((a, b) => a - b))

    // the domain takes the demo contracts on from where they stand
    const admin = async (orgId: string) => db.user.findFirstOrThrow({ where: { orgId, isOrgAdmin: true }, orderBy: { createdAt: 'asc' } })
    const bureau = await db.user.findUniqueOrThrow({ where: { email: 'bureau@demo.kezhuan.cn' } })
    const awaiting = contracts.find((c) => c.status === 'AWAITING_CONFIRMATION')!
    const v = awaiting.versions[0]!
    const confirmed = awaiting.confirmations.map((x) => x.party)
    let signed = false
    for (const [party, orgId] of [['SELLER', awaiting.sellerOrgId], ['BUYER', awaiting.buyerOrgId]] as const) {
      if (!confirmed.includes(party)) signed = (await confirmContract({ actor: await admin(orgId), id: awaiting.id, version: v.version, termsHash: v.termsHash })).signed
    }
    expect(signed).toBe(true)
    const queued = contracts.find((c) => c.status === 'REGISTRATION_SUBMITTED' && c.sellerOrg.verified && c.buyerOrg.verified)!
    await expect(
      registerContract({
        actor: bureau,
        id: queued.id,
        input: { registrationNumber: '2099500118999999', registeredAt: day(new Date())!, rules: 'RULES_2026', registeredTechAmountFen: Number(queued.techAmountFen), registeredType: queued.type, registeredSubtype: queued.subtype },
      }),
    ).resolves.toMatchObject({ status: 'REGISTERED' })
    const done = contracts.find((c) => c.status === 'REGISTERED' && c.milestones.every((m) => m.status === 'PAID'))!
    await expect(completeContract({ actor: await admin(done.buyerOrgId), id: done.id })).resolves.toMatchObject({ status: 'COMPLETED' })

    // safe to run again
    await seedDemo()
    expect(await db.contract.count()).toBe(total)
    expect(await db.auditLog.count({ where: { action: 'contract.demo' } })).toBe(contracts.length)
    // Loaded on a first start, with the listings: it has to stay quick.
    expect(took).toBeLessThan(90_000)
  })
})
