import { beforeAll, describe, expect, it } from 'vitest'
import { moveStage } from '~/domain/deals/deals.server'
import { AppError } from '~/domain/errors'
import { prisma } from '~/infra/db/client.server'
import { ensureNdaTemplate, listNdaTemplates, acceptNda, ndaOverview, ndaRecord, publishNdaTemplate, sendNda } from './nda.server'
import { DEFAULT_NDA_TEMPLATE, ndaTextHash } from './nda-template'
import { dealWorld, type DealWorld } from './nda.test-support'

async function refused(promise: Promise<unknown>, code: AppError['code'], message?: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error, 'expected a refusal').toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe(code)
  if (message) expect((error as AppError).message).toBe(message)
}

async function notificationsOf(userId: string, type: string) {
  const db = await prisma()
  return db.notification.findMany({ where: { userId, type } })
}

async function grantsOf(ndaId: string) {
  const db = await prisma()
  return db.confidentialGrant.findMany({ where: { ndaId }, select: { orgId: true, listingKind: true, listingId: true } })
}

let w: DealWorld

beforeAll(async () => {
  w = await dealWorld()
})

describe('the standard NDA template', () => {
  it('has version 1 in Chinese on first use; only the bureau lists and publishes versions, old ones stay', async () => {
    await ensureNdaTemplate()
    await ensureNdaTemplate()
    const versions = await listNdaTemplates({ actor: w.bureau })
    expect(versions.map((v) => v.version)).toEqual([1])
    expect(versions[0]!.body).toBe(DEFAULT_NDA_TEMPLATE.body)
    expect(versions[0]!.body).toContain('保密协议')
    await refused(listNdaTemplates({ actor: w.broker }), 'FORBIDDEN')
    await refused(publishNdaTemplate({ actor: w.buyer, input: { title: '新版', body: DEFAULT_NDA_TEMPLATE.body } }), 'FORBIDDEN')
  })

  it('refuses a new version with unknown variables, without the parties, or unchanged', async () => {
    const bad = async (body: string, key: string) => {
      const error = await publishNdaTemplate({ actor: w.bureau, input: { title: '保密协议第二版', body } }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).fields?.body).toMatch(new RegExp(`^${key.replace(/\./g, '\\.')}`))
    }
    await bad(`${DEFAULT_NDA_TEMPLATE.body}\n附：{{甲方代表}}`, 'err.nda.unknownVariables')
    await bad(DEFAULT_NDA_TEMPLATE.body.replaceAll('{{卖方}}', '乙方'), 'err.nda.missingParties')
    await refused(publishNdaTemplate({ actor: w.bureau, input: { title: DEFAULT_NDA_TEMPLATE.title, body: DEFAULT_NDA_TEMPLATE.body } }), 'CONFLICT', 'err.nda.templateUnchanged')
    expect((await listNdaTemplates({ actor: w.bureau })).length).toBe(1)
  })
})

describe('sending an NDA', () => {
  it('only a broker of the deal sends it, only to an introduced seller, once', async () => {
    await refused(sendNda({ actor: w.buyer, dealId: w.dealId, sellerOrgId: w.sellerOrgA.id }), 'FORBIDDEN', 'err.nda.brokersOnly')
    await refused(sendNda({ actor: w.bureau, dealId: w.dealId, sellerOrgId: w.sellerOrgA.id }), 'FORBIDDEN', 'err.nda.brokersOnly')
    await refused(sendNda({ actor: w.otherBroker, dealId: w.dealId, sellerOrgId: w.sellerOrgA.id }), 'NOT_FOUND')
    await refused(sendNda({ actor: w.broker, dealId: w.dealId, sellerOrgId: w.thirdOrg.id }), 'BAD_INPUT', 'err.nda.notIntroduced')
    const db = await prisma()
    expect(await db.nda.count({ where: { dealId: w.dealId } })).toBe(0)
  })

  it('renders the current template for the buyer and seller A, stores the hash, tells both sides’ signatories', async () => {
    const nda = await sendNda({ actor: w.assist, dealId: w.dealId, sellerOrgId: w.sellerOrgA.id, ip: '192.0.2.1' })
    expect(nda.textHash).toBe(ndaTextHash(nda.text))
    expect(nda.templateVersion).toBe(1)
    expect(nda.text).toContain(w.buyerOrg.name)
    expect(nda.text).toContain(w.sellerOrgA.name)
    expect(nda.text).toContain(w.dealNumber)
    expect(nda.text).not.toMatch(/\{\{|\}\}/)
    expect(nda.text).not.toContain(w.sellerOrgB.name)
    await refused(sendNda({ actor: w.broker, dealId: w.dealId, sellerOrgId: w.sellerOrgA.id }), 'CONFLICT', 'err.nda.exists')
    // Signatories: the administrators, the demand's poster, the achievement's poster.
    for (const u of [w.buyer, w.buyerPoster, w.sellerA, w.sellerAMember]) expect((await notificationsOf(u.id, 'nda.requested')).length, u.email).toBe(1)
    for (const u of [w.buyerMember, w.sellerB, w.assist]) expect((await notificationsOf(u.id, 'nda.requested')).length, u.email).toBe(0)
    const db = await prisma()
    const event = await db.dealEvent.findFirst({ where: { dealId: w.dealId, type: 'nda.sent' } })
    expect(event).toMatchObject({ internal: false, params: expect.objectContaining({ ndaId: nda.id, sellerOrgId: w.sellerOrgA.id }) })
  })

  it('a new template version applies to NDAs sent after it; the one sent keeps its text', async () => {
    const v2 = await publishNdaTemplate({
      actor: w.bureau,
      input: { title: '技术转移项目保密协议（第二版）', body: `${DEFAULT_NDA_TEMPLATE.body}\n第十一条 本协议一式电子文本，{{买方}}与{{卖方}}各自下载留存。` },
    })
    expect(v2.version).toBe(2)
    const ndaB = await sendNda({ actor: w.broker, dealId: w.dealId, sellerOrgId: w.sellerOrgB.id })
    expect(ndaB.templateVersion).toBe(2)
    expect(ndaB.text).toContain(`${w.buyerOrg.name}与${w.sellerOrgB.name}各自下载留存`)
    const db = await prisma()
    const ndaA = await db.nda.findFirstOrThrow({ where: { dealId: w.dealId, sellerOrgId: w.sellerOrgA.id } })
    expect(ndaA.templateVersion).toBe(1)
    expect(ndaA.text).not.toContain('第十一条')
    expect((await listNdaTemplates({ actor: w.bureau })).map((v) => v.version)).toEqual([2, 1])
  })
})

describe('accepting an NDA', () => {
  const ndaA = async () => (await prisma()).nda.findFirstOrThrow({ where: { dealId: w.dealId, sellerOrgId: w.sellerOrgA.id } })

  it('refuses a hash that is not the text’s, and people who are not the party’s signatories', async () => {
    const nda = await ndaA()
    const wrong = ndaTextHash(`${nda.text} `)
    await refused(acceptNda({ actor: w.buyer, dealId: w.dealId, ndaId: nda.id, textHash: wrong }), 'CONFLICT', 'err.nda.textChanged')
    // Another seller in the same deal: the NDA is not theirs to see.
    await refused(acceptNda({ actor: w.sellerB, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash }), 'NOT_FOUND')
    await refused(acceptNda({ actor: w.broker, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash }), 'FORBIDDEN', 'err.nda.notParty')
    await refused(acceptNda({ actor: w.bureau, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash }), 'FORBIDDEN', 'err.nda.notParty')
    await refused(acceptNda({ actor: w.buyerMember, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash }), 'FORBIDDEN', 'err.nda.notAuthorised')
    await refused(acceptNda({ actor: w.third, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash }), 'NOT_FOUND')
    const db = await prisma()
    expect(await db.ndaAcceptance.count({ where: { ndaId: nda.id } })).toBe(0)
  })

  it('refuses a text changed behind the hash', async () => {
    const nda = await ndaA()
    const db = await prisma()
    await db.nda.update({ where: { id: nda.id }, data: { text: `${nda.text}\n附加条款：甲方放弃一切权利。` } })
    try {
      await refused(acceptNda({ actor: w.buyer, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash }), 'CONFLICT', 'err.nda.tampered')
    } finally {
      await db.nda.update({ where: { id: nda.id }, data: { text: nda.text } })
    }
  })

  it('records who, when, from where and which text; writes no grant until both sides accepted; twice is refused', async () => {
    const nda = await ndaA()
    // The demand's poster accepts for the buyer though not an administrator.
    const first = await acceptNda({ actor: w.buyerPoster, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash, ip: '203.0.113.7' })
    expect(first.effective).toBe(false)
    expect(first.acceptance).toMatchObject({ party: 'BUYER', orgId: w.buyerOrg.id, userId: w.buyerPoster.id, ip: '203.0.113.7', textHash: nda.textHash })
    expect(first.acceptance.userName).toBe(w.buyerPoster.name)
    await refused(acceptNda({ actor: w.buyer, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash }), 'CONFLICT', 'err.nda.alreadyAccepted')
    expect(await grantsOf(nda.id)).toEqual([])
    expect((await ndaA()).effectiveAt).toBeNull()

    const second = await acceptNda({ actor: w.sellerA, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash, ip: '198.51.100.4' })
    expect(second.effective).toBe(true)
    expect((await ndaA()).effectiveAt).toBeInstanceOf(Date)
    const grants = await grantsOf(nda.id)
    expect(grants).toHaveLength(2)
    expect(grants).toEqual(
      expect.arrayContaining([
        { orgId: w.buyerOrg.id, listingKind: 'achievement', listingId: w.achievementA },
        { orgId: w.sellerOrgA.id, listingKind: 'demand', listingId: w.demandId },
      ]),
    )
    await refused(acceptNda({ actor: w.sellerAMember, dealId: w.dealId, ndaId: nda.id, textHash: nda.textHash }), 'CONFLICT', 'err.nda.alreadyAccepted')
    for (const u of [w.buyer, w.buyerMember, w.sellerAMember, w.broker, w.assist]) expect((await notificationsOf(u.id, 'nda.effective')).length, u.email).toBe(1)
    for (const u of [w.sellerA, w.sellerB, w.third]) expect((await notificationsOf(u.id, 'nda.effective')).length, u.email).toBe(0)
    const db = await prisma()
    const events = await db.dealEvent.findMany({ where: { dealId: w.dealId, type: { startsWith: 'nda.' } }, orderBy: { id: 'asc' }, select: { type: true } })
    expect(events.map((e) => e.type)).toEqual(['nda.sent', 'nda.sent', 'nda.accepted', 'nda.accepted', 'nda.effective'])
  })

  it('shows each party its own NDAs: the buyer both, seller B only its own; the record carries the acceptances', async () => {
    const buyerView = await ndaOverview({ actor: w.buyer, dealId: w.dealId })
    expect(buyerView.ndas.map((n) => n.seller.id).sort()).toEqual([w.sellerOrgA.id, w.sellerOrgB.id].sort())
    expect(buyerView.ndas.find((n) => n.seller.id === w.sellerOrgB.id)).toMatchObject({ myParty: 'BUYER', mayAccept: true })
    expect(buyerView.sendable).toEqual([])
    const sellerBView = await ndaOverview({ actor: w.sellerB, dealId: w.dealId })
    expect(sellerBView.ndas.map((n) => n.seller.id)).toEqual([w.sellerOrgB.id])
    const memberView = await ndaOverview({ actor: w.buyerMember, dealId: w.dealId })
    expect(memberView.ndas.find((n) => n.seller.id === w.sellerOrgB.id)).toMatchObject({ mayAccept: false, awaitsSignatory: true })
    const ndaAId = (await ndaA()).id
    await refused(ndaRecord({ actor: w.sellerB, dealId: w.dealId, ndaId: ndaAId }), 'NOT_FOUND')
    const record = await ndaRecord({ actor: w.sellerA, dealId: w.dealId, ndaId: ndaAId })
    expect(record.acceptances.map((a) => [a.party, a.ip])).toEqual([
      ['BUYER', '203.0.113.7'],
      ['SELLER', '198.51.100.4'],
    ])
    expect(record.effectiveAt).toBeInstanceOf(Date)
  })

  it('takes no acceptance once the deal is closed', async () => {
    const db = await prisma()
    const ndaB = await db.nda.findFirstOrThrow({ where: { dealId: w.dealId, sellerOrgId: w.sellerOrgB.id } })
    await moveStage({ actor: w.broker, dealId: w.dealId, input: { to: 'LOST', reason: '企业预算取消' } })
    await refused(acceptNda({ actor: w.buyer, dealId: w.dealId, ndaId: ndaB.id, textHash: ndaB.textHash }), 'CONFLICT', 'err.nda.closed')
    await refused(sendNda({ actor: w.broker, dealId: w.dealId, sellerOrgId: w.sellerOrgB.id }), 'CONFLICT', 'err.nda.stage')
    expect(await db.ndaAcceptance.count({ where: { ndaId: ndaB.id } })).toBe(0)
  })
})
