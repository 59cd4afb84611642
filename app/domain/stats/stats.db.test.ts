import { describe, expect, it } from 'vitest'
import type { ContractStatus } from '~/generated/prisma/enums'
import { prisma } from '~/infra/db/client.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import { dashboard, getTarget, setTarget, toJson, TargetInputSchema } from './stats.server'

let seq = 0
async function contract(status: ContractStatus, over: { sellerOrgId: string; buyerOrgId: string; brokerId?: string; registeredAt?: Date | null; sellerRegion?: string; buyerRegion?: string }) {
  const db = await prisma()
  seq += 1
  const registered = status === 'REGISTERED' || status === 'COMPLETED'
  return db.contract.create({
    data: {
      number: `KZ-T-${Date.now()}-${seq}`,
      title: `统计测试合同 ${seq}`,
      type: 'DEVELOPMENT',
      subtype: 'DEV_COMMISSIONED',
      sellerOrgId: over.sellerOrgId,
      buyerOrgId: over.buyerOrgId,
      sellerKind: 'UNIVERSITY',
      sellerRegion: over.sellerRegion ?? '500118',
      buyerKind: 'ENTERPRISE',
      buyerRegion: over.buyerRegion ?? '510107',
      brokerId: over.brokerId ?? null,
      field: 'ADVANCED_MANUFACTURING',
      industry: 'INTELLIGENT_EQUIPMENT',
      amountFen: 1_000_000n,
      techAmountFen: 800_000n,
      paymentMethod: 'LUMP_SUM',
      status,
      // Refused and terminated contracts may carry a date and an amount; they still never count.
      registeredAt: over.registeredAt === undefined ? new Date(Date.UTC(2025, 2, 10)) : over.registeredAt,
      registeredTechAmountFen: registered || status === 'NOT_REGISTERED' || status === 'TERMINATED' ? 800_000n : null,
    },
  })
}

const NOW = new Date(Date.UTC(2025, 5, 30, 4))

describe('the dashboard counts only registered and completed contracts', () => {
  it('drafts, refused and terminated contracts change no total', async () => {
    const seller = await makeOrg({ kind: 'UNIVERSITY', regionCode: '500118' })
    const buyer = await makeOrg({ kind: 'ENTERPRISE', regionCode: '510107' })
    const broker = await makeUser({ role: 'BROKER' })
    const parties = { sellerOrgId: seller.id, buyerOrgId: buyer.id, brokerId: broker.id }
    await contract('REGISTERED', parties)
    await contract('COMPLETED', { ...parties, registeredAt: new Date(Date.UTC(2025, 4, 1)) })
    await contract('REGISTERED', { ...parties, registeredAt: new Date(Date.UTC(2024, 2, 1)) })
    const before = toJson(await dashboard({ year: 2025, audience: 'bureau', now: NOW }))
    expect(before.totals).toEqual({ count: 2, amountFen: 2_000_000, techAmountFen: 1_600_000 })

    for (const status of ['DRAFT', 'AWAITING_CONFIRMATION', 'SIGNED', 'REGISTRATION_SUBMITTED', 'NOT_REGISTERED', 'TERMINATED'] as const) {
      await contract(status, parties)
    }
    const after = toJson(await dashboard({ year: 2025, audience: 'bureau', now: NOW }))
    expect(after).toEqual(before)
    expect(after.monthly.find((m) => m.key === '03')).toMatchObject({ count: 1, amountFen: 1_000_000 })
    expect(after.bySellerKind.find((r) => r.key === 'UNIVERSITY')).toMatchObject({ count: 2 })
    expect(after.region.output.find((r) => r.key === 'sichuan')).toMatchObject({ count: 2 })
    expect(after.topSellers[0]).toMatchObject({ name: seller.name, techAmountFen: 1_600_000 })
    expect(after.topBrokers[0]).toMatchObject({ count: 2 })
    // 2024 had registered its whole amount by 30 June, so the projection is what is already in.
    expect(after.projection).toMatchObject({ amountFen: 2_000_000, method: 'seasonal' })

    const pub = toJson(await dashboard({ year: 2025, audience: 'public', now: NOW }))
    expect(pub.totals).toEqual(before.totals)
    expect(pub.topSellers).toEqual([])
    expect(pub.topBrokers).toEqual([])

    const q2 = toJson(await dashboard({ year: 2025, quarter: 2, audience: 'public', now: NOW }))
    expect(q2.totals.count).toBe(1)
  })

  it('seeds the targets from the plan and lets bureau staff change them, with an audit entry', async () => {
    expect((await getTarget(2023)).turnoverFen).toBe(40_000_000_000n)
    expect((await getTarget(2026)).contractCount).toBe(1000)
    const bureau = await makeUser({ role: 'BUREAU' })
    const admin = await makeUser({ role: 'ADMIN' })
    const input = TargetInputSchema.parse({ year: '2026', turnoverYi: '5.25', contractCount: '1200' })
    await expect(setTarget({ actor: admin, input })).rejects.toThrow()
    await setTarget({ actor: bureau, input })
    const t = await getTarget(2026)
    expect(t.turnoverFen).toBe(52_500_000_000n)
    expect(t.contractCount).toBe(1200)
    const db = await prisma()
    expect(await db.auditLog.count({ where: { action: 'target.update', entityId: '2026' } })).toBe(1)
    expect(TargetInputSchema.safeParse({ year: 2026, turnoverYi: '-1', contractCount: '1' }).success).toBe(false)
    expect(TargetInputSchema.safeParse({ year: 2026, turnoverYi: '5', contractCount: '' }).success).toBe(false)
    expect(TargetInputSchema.safeParse({ year: 2026, turnoverYi: '5', contractCount: '2000000' }).success).toBe(false)
  })
})
