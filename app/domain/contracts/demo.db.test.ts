import { describe, expect, it } from 'vitest'
import { ContractStatus, ContractType } from '~/generated/prisma/enums'
import { isValidCreditCode } from '~/domain/orgs/credit-code'
import { regionZone } from '~/domain/orgs/regions'
import { seedDemo } from '~/domain/seed/demo.server'
import { prisma } from '~/infra/db/client.server'
import { countableContractWhere } from './contracts.server'
import { termsProblems } from './schemas'
import { termsHash, type VersionTerms } from './terms'

describe('demo contracts', () => {
  it('loads at least 80 contracts over 2021–2026 in every state, all types, both directions of flow; once', { timeout: 600_000 }, async () => {
    const started = Date.now()
    await seedDemo()
    const took = Date.now() - started
    const db = await prisma()
    const contracts = await db.contract.findMany({ include: { milestones: true, versions: true, confirmations: true, sellerOrg: true, buyerOrg: true } })
    expect(contracts.length).toBeGreaterThanOrEqual(80)
    expect(new Set(contracts.map((c) => c.status))).toEqual(new Set(Object.values(ContractStatus)))
    expect(new Set(contracts.map((c) => c.type))).toEqual(new Set(Object.values(ContractType)))
    const years = new Set(contracts.map((c) => Number(c.number.slice(3, 7))))
    for (const y of [2021, 2022, 2023, 2024, 2025, 2026]) expect(years.has(y) || years.has(y - 1), String(y)).toBe(true)
    const registeredYears = new Set(contracts.filter((c) => c.registeredAt).map((c) => c.registeredAt!.getUTCFullYear()))
    expect([...registeredYears].sort()).toEqual([2021, 2022, 2023, 2024, 2025, 2026])

    // mostly registered or completed, so that the dashboard has life
    const counted = await db.contract.count({ where: countableContractWhere() })
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

    // safe to run again
    await seedDemo()
    expect(await db.contract.count()).toBe(contracts.length)
    // Loaded on a first start: it has to stay quick.
    expect(took).toBeLessThan(120_000)
  })
})
