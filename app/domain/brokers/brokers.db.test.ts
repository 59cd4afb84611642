import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createListing, transitionListing, updateListing } from '~/domain/listings/listings.server'
import { DemandInputSchema } from '~/domain/listings/schemas'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import { contractIn, parties } from '../payments/test-support'
import { assistDemand, claimDemand, demandBrokerPanel, leaveDemand, listUnclaimed, releaseDemand, removeAssistant } from './claims.server'
import {
  confirmMinedDemand,
  countPendingConfirmations,
  declineMinedDemand,
  findEnterprises,
  mineDemand,
  minedByMe,
  pendingConfirmations,
} from './mining.server'
import { getBrokerProfile, getOwnProfile, listDirectory, refuseProfile, saveProfile, trackRecord, verificationQueue, verifyProfile } from './profiles.server'
import { BrokerProfileSchema, ClaimsQuerySchema, DirectoryQuerySchema } from './schemas'

const tag = () => randomBytes(4).toString('hex').toUpperCase()

const profile = (over: Record<string, unknown> = {}) =>
  BrokerProfileSchema.parse({
    grade: 'INTERMEDIATE',
    certificateNo: `CQJJ-${tag()}`,
    fields: ['ADVANCED_MANUFACTURING'],
    industries: ['INTELLIGENT_EQUIPMENT'],
    regionCodes: ['500118'],
    bio: '服务永川装备制造企业。',
    listed: 'on',
    ...over,
  })

const demandInput = (over: Record<string, unknown> = {}) =>
  DemandInputSchema.parse({
    title: `压铸件气孔在线检测 ${tag()}`,
    description: '铝合金压铸件气孔率偏高，需要一套可在线部署的检测方案。',
    currentSituation: '人工抽检，漏检率约 5%',
    field: 'ADVANCED_MANUFACTURING',
    industry: 'AUTOMOTIVE',
    budget: '500000',
    cooperationModes: ['CO_DEVELOPMENT'],
    ...over,
  })

const actor = (u: Actor): Actor => ({ id: u.id, role: u.role, orgId: u.orgId, isOrgAdmin: u.isOrgAdmin })

async function bureauUser() {
  return makeUser({ role: 'BUREAU' })
}

/** A verified broker (a fresh agency), with a verified profile when asked. */
async function broker(over: Record<string, unknown> | null = {}, bureau?: Actor) {
  const user = await makeUser({ role: 'BROKER' })
  if (over) {
    await saveProfile({ actor: user, input: profile(over) })
    if (bureau) await verifyProfile({ actor: bureau, userId: user.id })
  }
  return user
}

/** A published demand of a (new, verified, district) enterprise, with its member. */
async function publishedDemand(bureau: Actor, over: Record<string, unknown> = {}, org?: { regionCode?: string }) {
  const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true, regionCode: org?.regionCode })
  const member = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id })
  const d = await createListing({ actor: member, kind: 'demand', input: demandInput(over), submit: true })
  await transitionListing({ actor: bureau, kind: 'demand', id: d.id, action: 'approve' })
  return { id: d.id, title: d.title, member, enterprise }
}

describe('broker profiles', () => {
  it('a broker creates a profile; it waits for the bureau and is not public until verified', async () => {
    const bureau = await bureauUser()
    const b = await broker(null)
    const saved = await saveProfile({ actor: b, input: profile({ certificateNo: 'cq-new-0001', bio: '<5 年？不，12 年经验' }) })
    expect(saved).toMatchObject({ created: true, requeued: false, state: 'pending', profile: { certificateNo: 'CQ-NEW-0001' } })
    await expect(getBrokerProfile({ actor: null, userId: b.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(getBrokerProfile({ actor: await broker(null), userId: b.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await getBrokerProfile({ actor: b, userId: b.id })).toMatchObject({ isPublic: false, own: true, state: 'pending' })
    expect(await getBrokerProfile({ actor: bureau, userId: b.id })).toMatchObject({ isPublic: false, own: false })
    const pending = await verificationQueue({ actor: bureau, tab: 'pending' })
    expect(pending.rows.map((r) => r.userId)).toContain(b.id)

    await verifyProfile({ actor: bureau, userId: b.id })
    expect(await getBrokerProfile({ actor: null, userId: b.id })).toMatchObject({ isPublic: true, state: 'verified', name: '测试BROKER' })
    const db = await prisma()
    expect(await db.notification.findMany({ where: { userId: b.id }, select: { type: true, link: true } })).toEqual([{ type: 'broker.verified', link: `/brokers/${b.id}` }])
    expect(await db.auditLog.count({ where: { entityType: 'BrokerProfile', entityId: b.id, action: 'brokerProfile.verify', actorId: bureau.id } })).toBe(1)
    // a second verification is a conflict, not a second audit entry or notification
    await expect(verifyProfile({ actor: bureau, userId: b.id })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.broker.alreadyVerified' })
    expect(await db.notification.count({ where: { userId: b.id } })).toBe(1)
  })

  it('only brokers keep a profile, and only the bureau and administrators verify or refuse one', async () => {
    const b = await broker()
    for (const role of ['ENTERPRISE', 'SUPPLIER', 'BUREAU', 'ADMIN'] as const) {
      const other = await makeUser({ role })
      await expect(saveProfile({ actor: other, input: profile() }), role).rejects.toMatchObject({ code: 'FORBIDDEN' })
      await expect(getOwnProfile({ actor: other }), role).rejects.toMatchObject({ code: 'FORBIDDEN' })
    }
    for (const role of ['BROKER', 'ENTERPRISE', 'SUPPLIER'] as const) {
      const other = await makeUser({ role })
      await expect(verifyProfile({ actor: other, userId: b.id }), role).rejects.toMatchObject({ code: 'FORBIDDEN' })
      await expect(refuseProfile({ actor: other, userId: b.id, reason: '证书不符合要求' }), role).rejects.toMatchObject({ code: 'FORBIDDEN' })
      await expect(verificationQueue({ actor: other, tab: 'pending' }), role).rejects.toMatchObject({ code: 'FORBIDDEN' })
    }
    // a broker cannot verify their own profile either
    await expect(verifyProfile({ actor: b, userId: b.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const admin = await makeUser({ role: 'ADMIN' })
    await verifyProfile({ actor: admin, userId: b.id })
    expect((await getOwnProfile({ actor: b })).state).toBe('verified')
  })

  it('a refusal carries its reason to the broker; saving again puts the profile back in the queue', async () => {
    const bureau = await bureauUser()
    const b = await broker()
    await expect(refuseProfile({ actor: bureau, userId: b.id, reason: '  ' })).rejects.toMatchObject({ code: 'BAD_INPUT', fields: { reason: 'err.reasonRequired' } })
    await refuseProfile({ actor: bureau, userId: b.id, reason: '证书编号与登记信息不一致' })
    expect(await getOwnProfile({ actor: b })).toMatchObject({ state: 'refused', refusal: { reason: '证书编号与登记信息不一致' } })
    expect((await verificationQueue({ actor: bureau, tab: 'pending' })).rows.map((r) => r.userId)).not.toContain(b.id)
    const refused = await verificationQueue({ actor: bureau, tab: 'refused' })
    expect(refused.rows.find((r) => r.userId === b.id)).toMatchObject({ refusal: { reason: '证书编号与登记信息不一致' } })

    const again = await saveProfile({ actor: b, input: profile({ certificateNo: 'CQJJ-FIXED-1' }) })
    expect(again).toMatchObject({ requeued: true, state: 'pending' })
    expect((await verificationQueue({ actor: bureau, tab: 'pending' })).rows.map((r) => r.userId)).toContain(b.id)

    // the bureau may also withdraw a verification, with a reason
    await verifyProfile({ actor: bureau, userId: b.id })
    await refuseProfile({ actor: bureau, userId: b.id, reason: '证书已过有效期' })
    expect(await getOwnProfile({ actor: b })).toMatchObject({ state: 'refused', refusal: { reason: '证书已过有效期' } })
    await expect(refuseProfile({ actor: bureau, userId: b.id, reason: '再次退回' })).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('changing the grade or certificate of a verified profile sends it back; the bio or regions do not', async () => {
    const bureau = await bureauUser()
    const cert = `CQJJ-${tag()}`
    const b = await broker({ certificateNo: cert, grade: 'INTERMEDIATE' }, bureau)
    const keep = await saveProfile({ actor: b, input: profile({ certificateNo: cert, grade: 'INTERMEDIATE', bio: '新的简介', regionCodes: ['500000'], listed: '' }) })
    expect(keep).toMatchObject({ requeued: false, state: 'verified' })
    const promoted = await saveProfile({ actor: b, input: profile({ certificateNo: cert, grade: 'SENIOR' }) })
    expect(promoted).toMatchObject({ requeued: true, state: 'pending', profile: { grade: 'SENIOR', verifiedAt: null } })
    await expect(getBrokerProfile({ actor: null, userId: b.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await verifyProfile({ actor: bureau, userId: b.id })
    expect(await saveProfile({ actor: b, input: profile({ certificateNo: `${cert}-2`, grade: 'SENIOR' }) })).toMatchObject({ requeued: true, state: 'pending' })
  })

  it('refuses an unknown region and a certificate number another broker holds, writing nothing', async () => {
    const b = await broker(null)
    const db = await prisma()
    await expect(saveProfile({ actor: b, input: profile({ regionCodes: ['999999'] }) })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      fields: { regionCodes: 'err.broker.regions' },
    })
    const holder = await broker({ certificateNo: 'CQJJ-TAKEN-7' })
    await expect(saveProfile({ actor: b, input: profile({ certificateNo: 'cqjj-taken-7' }) })).rejects.toMatchObject({
      code: 'CONFLICT',
      fields: { certificateNo: 'err.broker.certificateTaken' },
    })
    expect(await db.brokerProfile.count({ where: { userId: b.id } })).toBe(0)
    expect(await db.auditLog.count({ where: { entityType: 'BrokerProfile', entityId: b.id } })).toBe(0)
    // the holder may save their own number again
    expect(await saveProfile({ actor: holder, input: profile({ certificateNo: 'CQJJ-TAKEN-7', bio: '改简介' }) })).toMatchObject({ created: false })
  })
})

describe('the broker directory', () => {
  it('lists verified, listed brokers only, filtered by grade, field, industry, region and name or agency', async () => {
    const bureau = await bureauUser()
    const t = tag()
    const agency = await makeOrg({ kind: 'BROKER_AGENCY', verified: true, name: `渝西转移中心${t}` })
    const a = await makeUser({ role: 'BROKER', orgId: agency.id })
    await saveProfile({ actor: a, input: profile({ grade: 'SENIOR', fields: ['NEW_MATERIALS'], industries: ['AUTOMOTIVE'], regionCodes: ['500000'] }) })
    await verifyProfile({ actor: bureau, userId: a.id })
    const b = await broker({ grade: 'JUNIOR', fields: ['ELECTRONIC_INFORMATION'], industries: ['BIG_DATA_SOFTWARE'], regionCodes: ['510107'] }, bureau)
    const unlisted = await broker({ grade: 'SENIOR', fields: ['NEW_MATERIALS'], regionCodes: ['500000'], listed: '' }, bureau)
    const pending = await broker({ grade: 'SENIOR', fields: ['NEW_MATERIALS'], regionCodes: ['500000'] })

    const ids = async (q: Record<string, string>) => (await listDirectory({ query: DirectoryQuerySchema.parse(q) })).items.map((i) => i.userId)
    const all = await ids({})
    expect(all).toEqual(expect.arrayContaining([a.id, b.id]))
    expect(all).not.toContain(unlisted.id)
    expect(all).not.toContain(pending.id)
    expect(await ids({ grade: 'SENIOR' })).toContain(a.id)
    expect(await ids({ grade: 'SENIOR' })).not.toContain(b.id)
    expect(await ids({ field: 'NEW_MATERIALS' })).toContain(a.id)
    expect(await ids({ field: 'NEW_MATERIALS' })).not.toContain(b.id)
    expect(await ids({ industry: 'BIG_DATA_SOFTWARE' })).toContain(b.id)
    expect(await ids({ industry: 'BIG_DATA_SOFTWARE' })).not.toContain(a.id)
    // a province finds those serving any place in it; a district also those serving its city or province
    expect(await ids({ region: '51' })).toContain(b.id)
    expect(await ids({ region: '51' })).not.toContain(a.id)
    expect(await ids({ region: '50' })).toContain(a.id)
    expect(await ids({ region: '50', district: '500118' })).toContain(a.id)
    expect(await ids({ region: '51', district: '510107' })).toContain(b.id)
    expect(await ids({ region: '51', district: '510104' })).not.toContain(b.id)
    expect(await ids({ q: `转移中心${t}` })).toEqual([a.id])
    expect(await ids({ q: `转移中心${t}`, page: '2' })).toEqual([])
    const { items } = await listDirectory({ query: DirectoryQuerySchema.parse({ q: `转移中心${t}` }) })
    expect(items[0]).toMatchObject({ agency: `渝西转移中心${t}`, grade: 'SENIOR', contracts: 0 })
  })
})

describe('track record', () => {
  it('counts only registered (or completed) contracts the broker brokered, deals won and open, and confirmed mined demands', async () => {
    const p = await parties()
    const other = await parties()
    const registered = await contractIn(p, 'REGISTERED')
    await contractIn(p, 'SIGNED')
    await contractIn(p, 'REGISTRATION_SUBMITTED')
    await contractIn(p, 'TERMINATED')
    await contractIn(other, 'REGISTERED')
    const db = await prisma()
    expect(await db.contract.findUniqueOrThrow({ where: { id: registered }, select: { brokerId: true } })).toEqual({ brokerId: p.broker.id })

    const deal = (stage: 'WON' | 'LOST' | 'NEGOTIATING' | 'LEAD', owner = p.broker.id) =>
      db.deal.create({ data: { number: `D-T-${tag()}`, title: '测试项目', buyerOrgId: p.buyerOrg.id, ownerId: owner, stage } })
    await deal('WON')
    await deal('WON')
    await deal('LOST')
    await deal('NEGOTIATING')
    await deal('LEAD')
    await deal('WON', other.broker.id)

    const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true })
    const member = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id })
    const confirmed = await mineDemand({ actor: p.broker, orgId: enterprise.id, input: demandInput() })
    await mineDemand({ actor: p.broker, orgId: enterprise.id, input: demandInput() })
    await confirmMinedDemand({ actor: member, id: confirmed.id })

    expect(await trackRecord(db, p.broker.id)).toEqual({
      dealsWon: 2,
      dealsOpen: 2,
      contracts: 1,
      techAmountFen: 80_000_000,
      demandsMined: 1,
      demandsLed: 0,
    })
  })
})

describe('demand mining', () => {
  it('records a draft in the enterprise, led by the broker, and asks its members to confirm', async () => {
    const b = await broker()
    const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true, name: `永川精工${tag()}` })
    const member = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id, isOrgAdmin: true })
    const colleague = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id })
    const outsider = await makeUser({ role: 'ENTERPRISE' })
    expect((await findEnterprises({ actor: b, q: enterprise.name.slice(0, 6) })).map((o) => o.id)).toContain(enterprise.id)
    const mined = await mineDemand({ actor: b, orgId: enterprise.id, input: demandInput() })
    const db = await prisma()
    expect(await db.demand.findUniqueOrThrow({ where: { id: mined.id } })).toMatchObject({
      orgId: enterprise.id,
      status: 'DRAFT',
      createdById: b.id,
      minedById: b.id,
      minedAt: expect.any(Date),
      leadBrokerId: b.id,
      confirmedAt: null,
    })
    const notified = await db.notification.findMany({ where: { type: 'demand.confirm', params: { path: ['demand'], equals: mined.id } }, select: { userId: true } })
    expect(notified.map((n) => n.userId).sort()).toEqual([member.id, colleague.id].sort())
    expect((await pendingConfirmations({ actor: colleague })).map((d) => d.id)).toEqual([mined.id])
    expect(await pendingConfirmations({ actor: outsider })).toEqual([])
    expect(await countPendingConfirmations(member)).toBe(1)
    expect(await countPendingConfirmations(b)).toBe(0)
    expect((await minedByMe({ actor: b })).rows).toMatchObject([{ id: mined.id, declined: false, confirmedAt: null }])
  })

  it('cannot be submitted by anyone until a member confirms it', async () => {
    const b = await broker()
    const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true })
    const member = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id })
    const bureau = await bureauUser()
    const mined = await mineDemand({ actor: b, orgId: enterprise.id, input: demandInput() })
    await expect(transitionListing({ actor: member, kind: 'demand', id: mined.id, action: 'submit' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'err.demand.unconfirmed',
    })
    // the broker is no member: not theirs to submit
    await expect(transitionListing({ actor: b, kind: 'demand', id: mined.id, action: 'submit' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(transitionListing({ actor: bureau, kind: 'demand', id: mined.id, action: 'approve' })).rejects.toMatchObject({ code: 'CONFLICT' })
    // the member may edit it like any draft, and it stays unconfirmed
    await updateListing({ actor: member, kind: 'demand', id: mined.id, input: demandInput({ title: '改过标题的代录需求' }) })
    const db = await prisma()
    expect(await db.demand.findUniqueOrThrow({ where: { id: mined.id } })).toMatchObject({ status: 'DRAFT', title: '改过标题的代录需求', confirmedAt: null })
  })

  it('a member confirms it: confirmed, submitted for review, the broker told; only once', async () => {
    const b = await broker()
    const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true })
    const member = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id })
    const mined = await mineDemand({ actor: b, orgId: enterprise.id, input: demandInput() })
    const result = await confirmMinedDemand({ actor: member, id: mined.id })
    expect(result).toMatchObject({ submitted: true, status: 'PENDING_REVIEW' })
    const db = await prisma()
    expect(await db.demand.findUniqueOrThrow({ where: { id: mined.id } })).toMatchObject({
      status: 'PENDING_REVIEW',
      confirmedById: member.id,
      confirmedAt: expect.any(Date),
    })
    expect(await db.notification.count({ where: { userId: b.id, type: 'demand.confirmed' } })).toBe(1)
    await expect(confirmMinedDemand({ actor: member, id: mined.id })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.mined.notAwaiting' })
    expect(await countPendingConfirmations(member)).toBe(0)
  })

  it('only a member of that enterprise may confirm or decline it', async () => {
    const b = await broker()
    const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true })
    const mined = await mineDemand({ actor: b, orgId: enterprise.id, input: demandInput() })
    const strangers = [await makeUser({ role: 'ENTERPRISE' }), b, await broker(), await makeUser({ role: 'SUPPLIER' }), await bureauUser(), await makeUser({ role: 'ADMIN' })]
    for (const who of strangers) {
      await expect(confirmMinedDemand({ actor: who, id: mined.id }), who.role).rejects.toMatchObject({ code: 'FORBIDDEN' })
      await expect(declineMinedDemand({ actor: who, id: mined.id }), who.role).rejects.toMatchObject({ code: 'FORBIDDEN' })
    }
    const db = await prisma()
    expect(await db.demand.findUniqueOrThrow({ where: { id: mined.id } })).toMatchObject({ status: 'DRAFT', confirmedAt: null })
    // an ordinary demand is not "mined": nothing to confirm
    const member = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id })
    const own = await createListing({ actor: member, kind: 'demand', input: demandInput() })
    await expect(confirmMinedDemand({ actor: member, id: own.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('a member declines it: archived with the reason kept; restoring brings it back to confirmation', async () => {
    const b = await broker()
    const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true })
    const member = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id })
    const mined = await mineDemand({ actor: b, orgId: enterprise.id, input: demandInput() })
    await declineMinedDemand({ actor: member, id: mined.id, reason: '该问题已自行解决' })
    const db = await prisma()
    expect(await db.demand.findUniqueOrThrow({ where: { id: mined.id } })).toMatchObject({ status: 'ARCHIVED', confirmedAt: null })
    expect((await minedByMe({ actor: b })).rows.find((r) => r.id === mined.id)).toMatchObject({ declined: true, declineReason: '该问题已自行解决' })
    await expect(confirmMinedDemand({ actor: member, id: mined.id })).rejects.toMatchObject({ code: 'CONFLICT' })
    await transitionListing({ actor: member, kind: 'demand', id: mined.id, action: 'restore' })
    expect((await pendingConfirmations({ actor: member })).map((d) => d.id)).toEqual([mined.id])
  })

  it('needs a verified enterprise, a verified agency and the mining permission; a refusal writes nothing', async () => {
    const db = await prisma()
    const before = await db.demand.count()
    const b = await broker()
    const unverified = await makeOrg({ kind: 'ENTERPRISE', verified: false })
    const university = await makeOrg({ kind: 'UNIVERSITY', verified: true })
    const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true })
    await expect(mineDemand({ actor: b, orgId: unverified.id, input: demandInput() })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.broker.enterpriseNotVerified' })
    await expect(mineDemand({ actor: b, orgId: university.id, input: demandInput() })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(mineDemand({ actor: b, orgId: 'no-such-org', input: demandInput() })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const loneAgency = await makeOrg({ kind: 'BROKER_AGENCY', verified: false })
    const lone = await makeUser({ role: 'BROKER', orgId: loneAgency.id })
    await expect(mineDemand({ actor: lone, orgId: enterprise.id, input: demandInput() })).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'err.broker.agencyNotVerified' })
    for (const role of ['ENTERPRISE', 'SUPPLIER', 'BUREAU'] as const) {
      await expect(mineDemand({ actor: await makeUser({ role }), orgId: enterprise.id, input: demandInput() }), role).rejects.toMatchObject({ code: 'FORBIDDEN' })
    }
    expect(await db.demand.count()).toBe(before)
    expect(await db.notification.count({ where: { type: 'demand.confirm', params: { path: ['broker'], equals: '测试BROKER' }, user: { orgId: enterprise.id } } })).toBe(0)
  })
})

describe('claims', () => {
  it('lists published, unclaimed demands fitting the broker, or all of them', async () => {
    const bureau = await bureauUser()
    const b = await broker({ fields: ['NEW_MATERIALS'], industries: ['ENERGY_MATERIALS'], regionCodes: ['510000'] }, bureau)
    const fits = await publishedDemand(bureau, { field: 'NEW_MATERIALS', industry: 'AUTOMOTIVE' }, { regionCode: '510107' })
    const byIndustry = await publishedDemand(bureau, { field: 'NEW_ENERGY', industry: 'ENERGY_MATERIALS' }, { regionCode: '510703' })
    const elsewhere = await publishedDemand(bureau, { field: 'NEW_MATERIALS' }, { regionCode: '500118' })
    const offTopic = await publishedDemand(bureau, { field: 'BIO_MEDICINE', industry: 'BIO_MEDICINE' }, { regionCode: '510107' })
    const claimed = await publishedDemand(bureau, { field: 'NEW_MATERIALS' }, { regionCode: '510107' })
    await claimDemand({ actor: await broker(), id: claimed.id })
    const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true, regionCode: '510107' })
    const draft = await createListing({ actor: await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id }), kind: 'demand', input: demandInput({ field: 'NEW_MATERIALS' }) })

    const ids = async (q: Record<string, string>) => {
      const r = await listUnclaimed({ actor: b, query: ClaimsQuerySchema.parse(q) })
      return r.items.map((i) => i.id)
    }
    const mine = await ids({})
    expect(mine).toEqual(expect.arrayContaining([fits.id, byIndustry.id]))
    for (const not of [elsewhere.id, offTopic.id, claimed.id, draft.id]) expect(mine).not.toContain(not)
    const all = await ids({ scope: 'all' })
    expect(all).toEqual(expect.arrayContaining([fits.id, byIndustry.id, elsewhere.id, offTopic.id]))
    expect(all).not.toContain(claimed.id)
    expect(all).not.toContain(draft.id)
    expect(await ids({ scope: 'all', region: '50' })).toContain(elsewhere.id)
    expect(await ids({ scope: 'all', region: '50' })).not.toContain(fits.id)
    expect(await ids({ scope: 'all', industry: 'BIO_MEDICINE', region: '51', district: '510107' })).toContain(offTopic.id)
    expect(await ids({ scope: 'all', q: fits.title })).toEqual([fits.id])
    // without a profile nothing narrows the list
    const bare = await broker(null)
    expect((await listUnclaimed({ actor: bare, query: ClaimsQuerySchema.parse({}) })).narrowed).toBe(false)
    await expect(listUnclaimed({ actor: await makeUser({ role: 'ENTERPRISE' }), query: ClaimsQuerySchema.parse({}) })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('two brokers racing for one demand: exactly one leads, and the enterprise hears once', async () => {
    const bureau = await bureauUser()
    const d = await publishedDemand(bureau)
    const [first, second] = [await broker(), await broker()]
    const outcomes = await Promise.allSettled([claimDemand({ actor: first, id: d.id }), claimDemand({ actor: second, id: d.id })])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')
    expect(refused).toHaveLength(1)
    expect(refused[0]!.reason).toMatchObject({ code: 'CONFLICT', message: 'err.claim.taken' })
    const winner = outcomes[0]!.status === 'fulfilled' ? first : second
    const db = await prisma()
    expect(await db.demand.findUniqueOrThrow({ where: { id: d.id }, select: { leadBrokerId: true, claimedAt: true } })).toEqual({ leadBrokerId: winner.id, claimedAt: expect.any(Date) })
    expect(await db.notification.count({ where: { userId: d.member.id, type: 'demand.claimed' } })).toBe(1)
    expect(await db.auditLog.count({ where: { entityType: 'Demand', entityId: d.id, action: 'demand.claim' } })).toBe(1)
    // later attempts, the winner's included, are refused
    await expect(claimDemand({ actor: winner, id: d.id })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.claim.alreadyLead' })
  })

  it('refuses to claim an unpublished demand, and refuses non-brokers, changing nothing', async () => {
    const bureau = await bureauUser()
    const b = await broker()
    const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true })
    const member = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id })
    const draft = await createListing({ actor: member, kind: 'demand', input: demandInput() })
    const pending = await createListing({ actor: member, kind: 'demand', input: demandInput(), submit: true })
    for (const id of [draft.id, pending.id]) await expect(claimDemand({ actor: b, id })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.claim.notPublished' })
    await expect(claimDemand({ actor: b, id: 'no-such-demand' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const published = await publishedDemand(bureau)
    for (const who of [member, bureau, await makeUser({ role: 'SUPPLIER' }), await makeUser({ role: 'ADMIN' })]) {
      await expect(claimDemand({ actor: who, id: published.id }), who.role).rejects.toMatchObject({ code: 'FORBIDDEN' })
    }
    const loneAgency = await makeOrg({ kind: 'BROKER_AGENCY', verified: false })
    await expect(claimDemand({ actor: await makeUser({ role: 'BROKER', orgId: loneAgency.id }), id: published.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'err.broker.agencyNotVerified',
    })
    const db = await prisma()
    expect(await db.demand.count({ where: { id: { in: [draft.id, pending.id, published.id] }, leadBrokerId: { not: null } } })).toBe(0)
    expect(await db.auditLog.count({ where: { entityId: { in: [draft.id, pending.id, published.id] }, action: 'demand.claim' } })).toBe(0)
  })

  it('the lead may release it (not while a deal of theirs on it is open); then another broker claims it', async () => {
    const bureau = await bureauUser()
    const d = await publishedDemand(bureau)
    const [lead, other] = [await broker(), await broker()]
    await claimDemand({ actor: lead, id: d.id })
    await expect(releaseDemand({ actor: other, id: d.id })).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'err.claim.notLead' })
    const db = await prisma()
    const deal = await db.deal.create({ data: { number: `D-T-${tag()}`, title: '进行中', demandId: d.id, buyerOrgId: d.enterprise.id, ownerId: lead.id, stage: 'INTRODUCED' } })
    await expect(releaseDemand({ actor: lead, id: d.id })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.claim.openDeal' })
    await db.deal.update({ where: { id: deal.id }, data: { stage: 'LOST', closedAt: new Date() } })
    await releaseDemand({ actor: lead, id: d.id })
    expect(await db.demand.findUniqueOrThrow({ where: { id: d.id }, select: { leadBrokerId: true, claimedAt: true } })).toEqual({ leadBrokerId: null, claimedAt: null })
    await claimDemand({ actor: other, id: d.id })
    expect((await db.demand.findUniqueOrThrow({ where: { id: d.id } })).leadBrokerId).toBe(other.id)
  })

  it('other brokers assist a claimed demand; they may leave, the lead may remove them', async () => {
    const bureau = await bureauUser()
    const d = await publishedDemand(bureau)
    const [lead, helper, second] = [await broker(), await broker(), await broker()]
    await expect(assistDemand({ actor: helper, id: d.id })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.assist.noLead' })
    await claimDemand({ actor: lead, id: d.id })
    await expect(assistDemand({ actor: lead, id: d.id })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.assist.isLead' })
    await assistDemand({ actor: helper, id: d.id })
    await assistDemand({ actor: helper, id: d.id }) // again: no error, one row
    await assistDemand({ actor: second, id: d.id })
    const db = await prisma()
    expect(await db.demandAssist.count({ where: { demandId: d.id } })).toBe(2)

    const panel = await demandBrokerPanel({ actor: helper, demand: { id: d.id, orgId: d.enterprise.id, status: 'PUBLISHED' } })
    expect(panel).toMatchObject({ lead: { id: lead.id }, assists: [{ id: helper.id }, { id: second.id }], can: { claim: false, assist: false, leave: true, remove: false, release: false } })
    const visitorPanel = await demandBrokerPanel({ actor: null, demand: { id: d.id, orgId: d.enterprise.id, status: 'PUBLISHED' } })
    expect(visitorPanel?.can).toEqual({ claim: false, release: false, assist: false, leave: false, remove: false, confirm: false })
    const leadPanel = await demandBrokerPanel({ actor: lead, demand: { id: d.id, orgId: d.enterprise.id, status: 'PUBLISHED' } })
    expect(leadPanel?.can).toMatchObject({ release: true, remove: true, assist: false })

    await expect(removeAssistant({ actor: helper, id: d.id, brokerId: second.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await removeAssistant({ actor: lead, id: d.id, brokerId: second.id })
    await leaveDemand({ actor: helper, id: d.id })
    await expect(leaveDemand({ actor: helper, id: d.id })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.assist.notAssisting' })
    expect(await db.demandAssist.count({ where: { demandId: d.id } })).toBe(0)

    // an assistant who then claims the released demand is its lead, no longer an assistant
    await assistDemand({ actor: helper, id: d.id })
    await releaseDemand({ actor: lead, id: d.id })
    await claimDemand({ actor: helper, id: d.id })
    expect(await db.demandAssist.count({ where: { demandId: d.id } })).toBe(0)
  })
})
