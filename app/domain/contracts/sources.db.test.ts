import { describe, expect, it } from 'vitest'
import type { TransferMode } from '~/generated/prisma/enums'
import { prisma } from '~/infra/db/client.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import { draftContract } from './contracts.server'
import { draftDefaults, draftSources, sourceOptions } from './sources.server'

async function world() {
  const db = await prisma()
  const sellerOrg = await makeOrg({ kind: 'UNIVERSITY', verified: true })
  const otherSellerOrg = await makeOrg({ kind: 'INSTITUTE', verified: true })
  const buyerOrg = await makeOrg({ kind: 'ENTERPRISE', verified: true })
  const seller = await makeUser({ role: 'SUPPLIER', orgId: sellerOrg.id, isOrgAdmin: true })
  const member = await makeUser({ role: 'SUPPLIER', orgId: sellerOrg.id, isOrgAdmin: false })
  const broker = await makeUser({ role: 'BROKER', isOrgAdmin: true })
  const achievement = (orgId: string, modes: TransferMode[], status: 'PUBLISHED' | 'DRAFT' = 'PUBLISHED') =>
    db.achievement.create({
      data: {
        orgId,
        title: `热误差补偿 ${Math.random()}`,
        summary: '……',
        field: 'ADVANCED_MANUFACTURING',
        industry: 'INTELLIGENT_EQUIPMENT',
        trl: 7,
        stage: 'INDUSTRIAL',
        ipType: 'INVENTION_PATENT',
        ipNumbers: ['ZL202210345678.1'],
        transferModes: modes,
        askingPriceFen: 180_000_000n,
        status,
      },
    })
  const demand = (modes: TransferMode[], status: 'PUBLISHED' | 'DRAFT' = 'PUBLISHED') =>
    db.demand.create({
      data: { orgId: buyerOrg.id, title: `孔系精度 ${Math.random()}`, description: '……', field: 'ADVANCED_MANUFACTURING', industry: 'AUTOMOTIVE', cooperationModes: modes, budgetFen: 50_000_000n, status },
    })
  const a = await achievement(sellerOrg.id, ['LICENSE', 'TRANSFER'])
  const d = await demand(['CO_DEVELOPMENT', 'TRANSFER'])
  const match = await db.listingMatch.create({ data: { needKind: 'demand', needId: d.id, offerId: a.id, score: 0.91, confidence: 'strong', reasons: [] } })
  const foreign = await achievement(otherSellerOrg.id, ['TECH_SERVICE'])
  const foreignMatch = await db.listingMatch.create({ data: { needKind: 'demand', needId: d.id, offerId: foreign.id, score: 0.9, confidence: 'strong', reasons: [] } })
  return { db, sellerOrg, buyerOrg, seller, member, broker, a, d, match, foreign, foreignMatch, achievement, demand }
}

describe('where a draft starts', () => {
  it('from a match: the parties, links, classification, IP and asking price; the type both sides name', async () => {
    const w = await world()
    const { values, links, source } = await draftDefaults({ actor: w.broker, source: { matchId: w.match.id } })
    expect(links).toEqual({ matchId: w.match.id, achievementId: w.a.id, demandId: w.d.id, scenarioId: null })
    expect(source.need).toMatchObject({ kind: 'demand', id: w.d.id })
    expect(values).toMatchObject({
      sellerOrgId: w.sellerOrg.id,
      buyerOrgId: w.buyerOrg.id,
      type: 'TRANSFER',
      subtype: 'TRANSFER_PATENT',
      exclusivity: null,
      field: 'ADVANCED_MANUFACTURING',
      industry: 'INTELLIGENT_EQUIPMENT',
      ipType: 'INVENTION_PATENT',
      ipNumbers: ['ZL202210345678.1'],
      amountFen: 180_000_000,
    })
  })

  it('from a demand and an achievement naming no common mode: what the seller offers first', async () => {
    const w = await world()
    const d = await w.demand(['TECH_SERVICE'])
    const { values } = await draftDefaults({ actor: w.seller, source: { demandId: d.id, achievementId: w.a.id } })
    expect(values).toMatchObject({ type: 'LICENSE', subtype: 'LICENSE_PATENT', exclusivity: 'ORDINARY', sellerOrgId: w.sellerOrg.id })
  })

  it('from a bare need id, as a match list links: a demand or a scenario, whichever it is', async () => {
    const w = await world()
    const { links } = await draftDefaults({ actor: w.broker, source: { needId: w.d.id, achievementId: w.a.id } })
    expect(links).toMatchObject({ demandId: w.d.id, scenarioId: null, achievementId: w.a.id })
  })

  it('refuses what the drafter may not use: another seller’s achievement, an unpublished demand', async () => {
    const w = await world()
    await expect(draftDefaults({ actor: w.seller, source: { achievementId: w.foreign.id } })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const hidden = await w.demand(['LICENSE'], 'DRAFT')
    await expect(draftDefaults({ actor: w.broker, source: { demandId: hidden.id, achievementId: w.a.id } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(draftDefaults({ actor: w.broker, source: { matchId: 'nope' } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('lists matches as leads: all for a broker, a seller’s own, none for a member who may not draft; a pair with a contract drops out', async () => {
    const w = await world()
    const ids = async (actor: typeof w.broker) => (await draftSources({ actor, limit: 100 })).map((s) => s.matchId)
    expect(await ids(w.broker)).toEqual(expect.arrayContaining([w.match.id, w.foreignMatch.id]))
    const mine = await ids(w.seller)
    expect(mine).toContain(w.match.id)
    expect(mine).not.toContain(w.foreignMatch.id)
    expect(await ids(w.member)).toEqual([])

    const { values } = await draftDefaults({ actor: w.broker, source: { matchId: w.match.id } })
    await draftContract({
      actor: w.broker,
      input: {
        title: '热误差补偿专利权转让',
        type: 'TRANSFER',
        subtype: 'TRANSFER_PATENT',
        exclusivity: null,
        field: values.field,
        industry: values.industry,
        ipType: values.ipType,
        ipNumbers: values.ipNumbers,
        amountFen: 180_000_000,
        techAmountFen: 180_000_000,
        paymentMethod: 'LUMP_SUM',
        royaltyRateBp: null,
        entryFeeFen: null,
        termStart: null,
        termEnd: null,
        milestones: [{ title: '一次付清', dueDate: '2027-01-01', amountFen: 180_000_000 }],
        termsText: '第一条 转让标的：发明专利。',
        sellerOrgId: values.sellerOrgId!,
        buyerOrgId: values.buyerOrgId!,
        matchId: w.match.id,
      },
    })
    expect(await ids(w.broker)).not.toContain(w.match.id)
  })

  it('offers demands and achievements to pick by hand: a seller picks among its own achievements', async () => {
    const w = await world()
    const draft = await w.achievement(w.sellerOrg.id, ['LICENSE'], 'DRAFT')
    const forSeller = await sourceOptions({ actor: w.seller })
    expect(forSeller.achievements.map((a) => a.id).sort()).toEqual([w.a.id, draft.id].sort())
    expect(forSeller.demands.map((d) => d.id)).toContain(w.d.id)
    const forBroker = await sourceOptions({ actor: w.broker })
    expect(forBroker.achievements.map((a) => a.id)).toEqual(expect.arrayContaining([w.a.id, w.foreign.id]))
    expect(forBroker.achievements.map((a) => a.id)).not.toContain(draft.id)
  })
})
