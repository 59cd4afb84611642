import { describe, expect, it } from 'vitest'
import type { ContractStatus } from '~/generated/prisma/enums'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import {
  completeContract,
  confirmContract,
  contractScope,
  countableContractWhere,
  draftContract,
  getContract,
  listContracts,
  refuseRegistration,
  registerContract,
  registeredTotals,
  registrationQueue,
  sendForConfirmation,
  submitForRegistration,
  terminateContract,
  updateTerms,
  type RegisterDecision,
} from './contracts.server'
import { ContractListQuerySchema, type ContractTerms, type DraftInput } from './schemas'

async function parties() {
  const sellerOrg = await makeOrg({ kind: 'UNIVERSITY', verified: true, regionCode: '500118' })
  const buyerOrg = await makeOrg({ kind: 'ENTERPRISE', verified: true, regionCode: '510107' })
  const agency = await makeOrg({ kind: 'BROKER_AGENCY', verified: true })
  const seller = await makeUser({ role: 'SUPPLIER', orgId: sellerOrg.id, isOrgAdmin: true })
  const sellerMember = await makeUser({ role: 'SUPPLIER', orgId: sellerOrg.id, isOrgAdmin: false })
  const buyer = await makeUser({ role: 'ENTERPRISE', orgId: buyerOrg.id, isOrgAdmin: true })
  const broker = await makeUser({ role: 'BROKER', orgId: agency.id, isOrgAdmin: true })
  const bureau = await makeUser({ role: 'BUREAU', isOrgAdmin: true })
  const stranger = await makeUser({ role: 'ENTERPRISE', isOrgAdmin: true })
  return { sellerOrg, buyerOrg, agency, seller, sellerMember, buyer, broker, bureau, stranger }
}
type Parties = Awaited<ReturnType<typeof parties>>

const terms = (over: Partial<ContractTerms> = {}): ContractTerms => ({
  title: '数控机床热误差补偿专利权转让',
  type: 'TRANSFER',
  subtype: 'TRANSFER_PATENT',
  exclusivity: null,
  field: 'ADVANCED_MANUFACTURING',
  industry: 'INTELLIGENT_EQUIPMENT',
  ipType: 'INVENTION_PATENT',
  ipNumbers: ['ZL202210345678.1'],
  amountFen: 120_000_000,
  techAmountFen: 100_000_000,
  paymentMethod: 'INSTALMENTS',
  royaltyRateBp: null,
  entryFeeFen: null,
  termStart: '2026-01-01',
  termEnd: '2027-12-31',
  milestones: [
    { title: '合同生效后首付款', dueDate: '2026-02-01', amountFen: 50_000_000 },
    { title: '专利权变更登记后尾款', dueDate: '2026-06-30', amountFen: 70_000_000 },
  ],
  termsText: '第一条 转让标的：发明专利 ZL202210345678.1。\n第二条 价款及支付方式：分两期支付。',
  ...over,
})

const draftInput = (p: Parties, over: Partial<DraftInput> = {}): DraftInput => ({ ...terms(), sellerOrgId: p.sellerOrg.id, buyerOrgId: p.buyerOrg.id, ...over })

const decision = (over: Partial<RegisterDecision> = {}): RegisterDecision => ({
  registrationNumber: `2026500118${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
  registeredAt: '2026-03-10',
  rules: 'RULES_2026',
  registeredTechAmountFen: 95_000_000,
  registeredType: 'TRANSFER',
  registeredSubtype: 'TRANSFER_PATENT',
  ...over,
})

const at = (d: string) => new Date(`${d}T02:00:00Z`)

async function versionOf(id: string) {
  const db = await prisma()
  const c = await db.contract.findUniqueOrThrow({ where: { id } })
  const v = await db.contractVersion.findUniqueOrThrow({ where: { contractId_version: { contractId: id, version: c.currentVersion } } })
  return { version: v.version, termsHash: v.termsHash }
}

/** Drafts with the broker and takes the contract as far as `to`. */
async function contractIn(p: Parties, to: ContractStatus, over: Partial<DraftInput> = {}) {
  const c = await draftContract({ actor: p.broker, input: draftInput(p, over), now: at('2026-01-05') })
  if (to === 'DRAFT') return c.id
  await sendForConfirmation({ actor: p.broker, id: c.id, now: at('2026-01-06') })
  if (to === 'AWAITING_CONFIRMATION') return c.id
  await confirmContract({ actor: p.seller, id: c.id, ...(await versionOf(c.id)), ip: '10.0.0.1', now: at('2026-01-07') })
  await confirmContract({ actor: p.buyer, id: c.id, ...(await versionOf(c.id)), ip: '10.0.0.2', now: at('2026-01-08') })
  if (to === 'SIGNED') return c.id
  await submitForRegistration({ actor: p.seller, id: c.id, now: at('2026-01-09') })
  if (to === 'REGISTRATION_SUBMITTED') return c.id
  if (to === 'NOT_REGISTERED') {
    await refuseRegistration({ actor: p.bureau, id: c.id, reason: '合同主要内容为设备买卖，不属于技术合同' })
    return c.id
  }
  await registerContract({ actor: p.bureau, id: c.id, input: decision(), now: at('2026-03-20') })
  if (to === 'REGISTERED') return c.id
  if (to === 'COMPLETED') {
    const db = await prisma()
    await db.milestone.updateMany({ where: { contractId: c.id }, data: { status: 'PAID', paidAt: new Date() } })
    await completeContract({ actor: p.buyer, id: c.id })
    return c.id
  }
  await terminateContract({ actor: p.seller, id: c.id, reason: '买方经营困难，双方协商解除' })
  return c.id
}

/** Everything a refused call must leave as it was. */
async function snapshot() {
  const db = await prisma()
  const [contracts, versions, confirmations, milestones, audits] = await Promise.all([
    db.contract.findMany({ orderBy: { id: 'asc' } }),
    db.contractVersion.count(),
    db.contractConfirmation.count(),
    db.milestone.findMany({ orderBy: { id: 'asc' } }),
    db.auditLog.count({ where: { entityType: 'Contract' } }),
  ])
  return { contracts, versions, confirmations, milestones, audits }
}

async function refusedWithoutChange(call: () => Promise<unknown>, expected: Record<string, unknown>) {
  const before = await snapshot()
  await expect(call()).rejects.toMatchObject(expected)
  expect(await snapshot()).toEqual(before)
}

describe('the life of a contract', () => {
  it('broker drafts, both parties confirm, the seller submits, the bureau registers; every step is audited', async () => {
    const p = await parties()
    const draft = await draftContract({ actor: p.broker, input: draftInput(p), ip: '10.0.0.9', now: at('2026-01-05') })
    expect(draft).toMatchObject({ status: 'DRAFT', currentVersion: 1, brokerId: p.broker.id, brokerOrgId: p.agency.id, amountFen: 120_000_000n, techAmountFen: 100_000_000n })
    expect(draft.number).toMatch(/^KZ-2026-\d{6}$/)
    const db = await prisma()
    const milestones = await db.milestone.findMany({ where: { contractId: draft.id }, orderBy: { seq: 'asc' } })
    expect(milestones.map((m) => [m.seq, Number(m.amountFen), m.status])).toEqual([
      [1, 50_000_000, 'PENDING'],
      [2, 70_000_000, 'PENDING'],
    ])

    // not yet sent: nobody confirms a draft
    await expect(confirmContract({ actor: p.seller, id: draft.id, ...(await versionOf(draft.id)) })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.contract.notSent' })
    await sendForConfirmation({ actor: p.broker, id: draft.id })
    const first = await confirmContract({ actor: p.seller, id: draft.id, ...(await versionOf(draft.id)), ip: '10.0.0.1', now: at('2026-01-07') })
    expect(first).toMatchObject({ party: 'SELLER', signed: false })
    await expect(confirmContract({ actor: p.seller, id: draft.id, ...(await versionOf(draft.id)) })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.contract.alreadyConfirmed' })

    // the buyer's organisation moved before signing: the snapshot is taken at signing
    await db.organization.update({ where: { id: p.buyerOrg.id }, data: { regionCode: '500118' } })
    const second = await confirmContract({ actor: p.buyer, id: draft.id, ...(await versionOf(draft.id)), ip: '10.0.0.2', now: at('2026-01-08') })
    expect(second).toMatchObject({ party: 'BUYER', signed: true })
    expect(second.contract).toMatchObject({ status: 'SIGNED', signedAt: at('2026-01-08'), buyerRegion: '500118', sellerKind: 'UNIVERSITY', buyerKind: 'ENTERPRISE' })
    const confirmations = await db.contractConfirmation.findMany({ where: { contractId: draft.id }, orderBy: { confirmedAt: 'asc' } })
    const { termsHash } = await versionOf(draft.id)
    expect(confirmations.map((c) => [c.party, c.userName, c.ip, c.termsHash, c.version])).toEqual([
      ['SELLER', '测试SUPPLIER', '10.0.0.1', termsHash, 1],
      ['BUYER', '测试ENTERPRISE', '10.0.0.2', termsHash, 1],
    ])

    await expect(submitForRegistration({ actor: p.buyer, id: draft.id })).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'err.contract.sellerOnly' })
    await submitForRegistration({ actor: p.seller, id: draft.id, now: at('2026-01-09') })
    const queue = await registrationQueue({ actor: p.bureau })
    const item = queue.items.find((i) => i.contract.id === draft.id)!
    expect(item.checklist.filter((i) => !i.ok).map((i) => i.key)).toEqual([])

    const registered = await registerContract({
      actor: p.bureau,
      id: draft.id,
      input: decision({ registrationNumber: '2026500118000042', registeredTechAmountFen: 90_000_000, registeredType: 'TRANSFER', registeredSubtype: 'TRANSFER_OTHER' }),
      now: at('2026-03-20'),
    })
    expect(registered).toMatchObject({
      status: 'REGISTERED',
      registrationNumber: '2026500118000042',
      registeredAt: new Date('2026-03-10T00:00:00Z'),
      registrationRules: 'RULES_2026',
      registeredTechAmountFen: 90_000_000n,
      registeredSubtype: 'TRANSFER_OTHER',
      registeredById: p.bureau.id,
      // what the parties declared stays beside what the registry stated
      techAmountFen: 100_000_000n,
      subtype: 'TRANSFER_PATENT',
    })
    const actions = (await db.auditLog.findMany({ where: { entityType: 'Contract', entityId: draft.id }, orderBy: { id: 'asc' } })).map((a) => a.action)
    expect(actions).toEqual(['contract.draft', 'contract.send', 'contract.confirm', 'contract.confirm', 'contract.sign', 'contract.submit', 'contract.register'])
    expect(await db.contract.count({ where: countableContractWhere({ id: draft.id }) })).toBe(1)
  })

  it('the seller’s authorised member drafts from a match; the parties and links come from the listings', async () => {
    const p = await parties()
    const db = await prisma()
    const achievement = await db.achievement.create({
      data: { orgId: p.sellerOrg.id, title: '热误差补偿', summary: '……', field: 'ADVANCED_MANUFACTURING', industry: 'INTELLIGENT_EQUIPMENT', trl: 7, stage: 'INDUSTRIAL', status: 'PUBLISHED' },
    })
    const demand = await db.demand.create({ data: { orgId: p.buyerOrg.id, title: '孔系精度', description: '……', field: 'ADVANCED_MANUFACTURING', industry: 'INTELLIGENT_EQUIPMENT', status: 'PUBLISHED' } })
    const match = await db.listingMatch.create({ data: { needKind: 'demand', needId: demand.id, offerId: achievement.id, score: 0.8, confidence: 'strong', reasons: [] } })
    const c = await draftContract({ actor: p.seller, input: draftInput(p, { matchId: match.id }) })
    expect(c).toMatchObject({ matchId: match.id, achievementId: achievement.id, demandId: demand.id, scenarioId: null, brokerId: null, createdById: p.seller.id })
    // a match whose achievement is not the seller's
    await refusedWithoutChange(
      () => draftContract({ actor: p.broker, input: draftInput(p, { matchId: match.id, sellerOrgId: p.buyerOrg.id, buyerOrgId: p.sellerOrg.id }) }),
      { code: 'BAD_INPUT', message: 'err.contract.linkSeller' },
    )
  })

  it('numbers contracts KZ-<year>-<6 digits>, one after another', async () => {
    const p = await parties()
    const a = await draftContract({ actor: p.broker, input: draftInput(p), now: at('2023-05-01') })
    const b = await draftContract({ actor: p.broker, input: draftInput(p), now: at('2023-05-02') })
    expect([a.number, b.number]).toEqual(['KZ-2023-000001', 'KZ-2023-000002'])
  })

  it('a change after a confirmation makes a new version that both confirm again; the old version cannot be confirmed', async () => {
    const p = await parties()
    const id = await contractIn(p, 'AWAITING_CONFIRMATION')
    const v1 = await versionOf(id)
    await confirmContract({ actor: p.seller, id, ...v1 })
    const { changed } = await updateTerms({ actor: p.buyer, id, input: terms({ amountFen: 110_000_000, milestones: [{ title: '首付', dueDate: '2026-02-01', amountFen: 40_000_000 }, { title: '尾款', dueDate: '2026-06-30', amountFen: 70_000_000 }] }) })
    expect(changed).toBe(true)
    const v2 = await versionOf(id)
    expect(v2.version).toBe(2)
    expect(v2.termsHash).not.toBe(v1.termsHash)

    // re-confirming the old version, or the new version with the old hash
    await refusedWithoutChange(() => confirmContract({ actor: p.buyer, id, ...v1 }), { code: 'CONFLICT', message: 'err.contract.staleVersion' })
    await refusedWithoutChange(() => confirmContract({ actor: p.buyer, id, version: 2, termsHash: v1.termsHash }), { code: 'CONFLICT', message: 'err.contract.staleVersion' })

    const buyerSide = await confirmContract({ actor: p.buyer, id, ...v2 })
    expect(buyerSide.signed).toBe(false) // the seller's confirmation was of version 1
    const view = await getContract({ actor: p.seller, id })
    expect(view.confirmedBy).toEqual(['BUYER'])
    expect(view.actions).toContain('confirm')
    const sellerSide = await confirmContract({ actor: p.seller, id, ...v2 })
    expect(sellerSide).toMatchObject({ signed: true, contract: { status: 'SIGNED', amountFen: 110_000_000n, currentVersion: 2 } })
  })

  it('saving the same terms again makes no new version and keeps the confirmations', async () => {
    const p = await parties()
    const id = await contractIn(p, 'AWAITING_CONFIRMATION')
    await confirmContract({ actor: p.seller, id, ...(await versionOf(id)) })
    const again = await updateTerms({ actor: p.broker, id, input: terms({ termsText: `${terms().termsText.replace(/\n/g, '\r\n')}\r\n` }) })
    expect(again.changed).toBe(false)
    expect((await versionOf(id)).version).toBe(1)
  })

  it('a signed contract cannot be edited', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    await refusedWithoutChange(() => updateTerms({ actor: p.seller, id, input: terms({ title: '改过的标题' }) }), { code: 'CONFLICT', message: 'err.contract.notEditable' })
  })
})

describe('bad input is refused with a clear message, and nothing changes', () => {
  it('a technical transaction amount above the contract amount', async () => {
    const p = await parties()
    await refusedWithoutChange(() => draftContract({ actor: p.broker, input: draftInput(p, { techAmountFen: 120_000_001 }) }), {
      code: 'BAD_INPUT',
      message: 'err.contract.techAboveAmount',
      fields: { techAmount: 'err.contract.techAboveAmount' },
    })
  })

  it('milestones that do not add up to the contract amount', async () => {
    const p = await parties()
    const milestones = [
      { title: '首付', dueDate: '2026-02-01', amountFen: 50_000_000 },
      { title: '尾款', dueDate: '2026-06-30', amountFen: 69_999_999 },
    ]
    await refusedWithoutChange(() => draftContract({ actor: p.broker, input: draftInput(p, { milestones }) }), {
      code: 'BAD_INPUT',
      message: 'err.contract.milestonesSum',
      params: { sum: '1,199,999.99', amount: '1,200,000' },
    })
    const id = await contractIn(p, 'DRAFT')
    await refusedWithoutChange(() => updateTerms({ actor: p.broker, id, input: terms({ milestones }) }), { code: 'BAD_INPUT', message: 'err.contract.milestonesSum' })
  })

  it('negative, fractional and absurd amounts', async () => {
    const p = await parties()
    for (const over of [
      { amountFen: -120_000_000 },
      { amountFen: 0 },
      { techAmountFen: 10.5 },
      { amountFen: 10_000_000_000_01, techAmountFen: 1, milestones: [{ title: '全款', dueDate: '2026-01-01', amountFen: 10_000_000_000_01 }], paymentMethod: 'LUMP_SUM' as const },
    ]) {
      await refusedWithoutChange(() => draftContract({ actor: p.broker, input: draftInput(p, over) }), { code: 'BAD_INPUT' })
    }
  })

  it('the buyer being the seller', async () => {
    const p = await parties()
    await refusedWithoutChange(() => draftContract({ actor: p.broker, input: draftInput(p, { buyerOrgId: p.sellerOrg.id }) }), {
      code: 'BAD_INPUT',
      message: 'err.contract.sameParty',
      fields: { buyerOrgId: 'err.contract.sameParty' },
    })
  })

  it('a draft by someone who is neither a broker nor the seller’s authorised member', async () => {
    const p = await parties()
    await refusedWithoutChange(() => draftContract({ actor: p.sellerMember, input: draftInput(p) }), { code: 'FORBIDDEN', message: 'err.contract.draftSellerOnly' })
    await refusedWithoutChange(() => draftContract({ actor: p.buyer, input: draftInput(p) }), { code: 'FORBIDDEN', message: 'err.contract.draftSellerOnly' })
    await refusedWithoutChange(() => draftContract({ actor: p.bureau, input: draftInput(p) }), { code: 'FORBIDDEN', message: 'err.forbidden' })
  })

  it('a confirmation by a member who is not authorised, by the broker, or by another organisation', async () => {
    const p = await parties()
    const id = await contractIn(p, 'AWAITING_CONFIRMATION')
    const v = await versionOf(id)
    await refusedWithoutChange(() => confirmContract({ actor: p.sellerMember, id, ...v }), { code: 'FORBIDDEN', message: 'err.contract.notAuthorised' })
    await refusedWithoutChange(() => confirmContract({ actor: p.broker, id, ...v }), { code: 'FORBIDDEN', message: 'err.contract.notAuthorised' })
    await refusedWithoutChange(() => confirmContract({ actor: p.stranger, id, ...v }), { code: 'NOT_FOUND' })
    // a session that still says "administrator" after the role was taken away
    const db = await prisma()
    await db.user.update({ where: { id: p.buyer.id }, data: { isOrgAdmin: false } })
    await refusedWithoutChange(() => confirmContract({ actor: p.buyer, id, ...v }), { code: 'FORBIDDEN', message: 'err.contract.notAuthorised' })
  })

  it('registering a contract that is not signed, or signed but not submitted', async () => {
    const p = await parties()
    for (const status of ['DRAFT', 'AWAITING_CONFIRMATION'] as const) {
      const id = await contractIn(p, status)
      await refusedWithoutChange(() => registerContract({ actor: p.bureau, id, input: decision() }), { code: 'CONFLICT', message: 'err.contract.registerUnsigned' })
    }
    const signed = await contractIn(p, 'SIGNED')
    await refusedWithoutChange(() => registerContract({ actor: p.bureau, id: signed, input: decision() }), { code: 'CONFLICT', message: 'err.contract.notSubmitted' })
    const draft = await contractIn(p, 'DRAFT')
    await refusedWithoutChange(() => submitForRegistration({ actor: p.seller, id: draft }), { code: 'CONFLICT', message: 'err.contract.notSigned' })
  })

  it('a registration by someone who is not registry staff', async () => {
    const p = await parties()
    const id = await contractIn(p, 'REGISTRATION_SUBMITTED')
    await refusedWithoutChange(() => registerContract({ actor: p.seller, id, input: decision() }), { code: 'FORBIDDEN' })
    await refusedWithoutChange(() => refuseRegistration({ actor: p.broker, id, reason: '不是技术合同' }), { code: 'FORBIDDEN' })
  })

  it('a registered technical transaction amount above the contract amount, a taken number, a wrong date or subtype', async () => {
    const p = await parties()
    const id = await contractIn(p, 'REGISTRATION_SUBMITTED')
    await refusedWithoutChange(() => registerContract({ actor: p.bureau, id, input: decision({ registeredTechAmountFen: 120_000_001 }) }), {
      code: 'BAD_INPUT',
      fields: { registeredTechAmount: 'err.contract.techAboveAmount' },
    })
    await refusedWithoutChange(() => registerContract({ actor: p.bureau, id, input: decision({ registeredSubtype: 'CONSULTING' }) }), {
      fields: { registeredSubtype: 'err.contract.subtypeMismatch' },
    })
    await refusedWithoutChange(() => registerContract({ actor: p.bureau, id, input: decision({ registeredAt: '2025-12-01', rules: 'RULES_2000' }) }), {
      fields: { registeredAt: 'err.contract.registeredBeforeSubmitted?date=2026-01-09' },
    })
    await refusedWithoutChange(() => registerContract({ actor: p.bureau, id, input: decision({ registeredAt: '2026-01-10', rules: 'RULES_2026' }) }), {
      fields: { rules: 'err.contract.rulesNotInForce' },
    })
    const other = await contractIn(p, 'REGISTERED')
    const taken = (await (await prisma()).contract.findUniqueOrThrow({ where: { id: other } })).registrationNumber!
    await refusedWithoutChange(() => registerContract({ actor: p.bureau, id, input: decision({ registrationNumber: taken }) }), {
      code: 'CONFLICT',
      fields: { registrationNumber: 'err.contract.registrationNumberTaken' },
    })
  })

  it('a registration the checklist does not support (an unverified party)', async () => {
    const p = await parties()
    const id = await contractIn(p, 'REGISTRATION_SUBMITTED')
    await (await prisma()).organization.update({ where: { id: p.buyerOrg.id }, data: { verified: false } })
    await refusedWithoutChange(() => registerContract({ actor: p.bureau, id, input: decision() }), {
      code: 'CONFLICT',
      message: 'err.contract.checklistFailed',
      params: { items: 'partiesVerified' },
    })
  })

  it('a refusal without a reason; completing with milestones unpaid; terminating twice', async () => {
    const p = await parties()
    const id = await contractIn(p, 'REGISTRATION_SUBMITTED')
    await refusedWithoutChange(() => refuseRegistration({ actor: p.bureau, id, reason: ' ' }), { fields: { reason: 'err.contract.reasonRequired' } })
    const registered = await contractIn(p, 'REGISTERED')
    await refusedWithoutChange(() => completeContract({ actor: p.seller, id: registered }), { code: 'CONFLICT', message: 'err.contract.milestonesOpen', params: { count: 2 } })
    const terminated = await contractIn(p, 'TERMINATED')
    await refusedWithoutChange(() => terminateContract({ actor: p.buyer, id: terminated, reason: '再次解除' }), { code: 'CONFLICT', message: 'err.contract.badStatus' })
  })
})

describe('scope', () => {
  it('parties and the broker see their contracts; others do not; the bureau sees all', async () => {
    const p = await parties()
    const id = await contractIn(p, 'DRAFT')
    const query = ContractListQuerySchema.parse({})
    for (const actor of [p.seller, p.sellerMember, p.buyer, p.broker, p.bureau] as Actor[]) {
      expect((await listContracts({ actor, query })).items.map((c) => c.id), actor.role).toContain(id)
      await expect(getContract({ actor, id })).resolves.toBeTruthy()
    }
    expect((await listContracts({ actor: p.stranger, query })).items.map((c) => c.id)).not.toContain(id)
    await expect(getContract({ actor: p.stranger, id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(contractScope(p.bureau)).toEqual({})
  })

  it('a non-administrator member reads but may not act', async () => {
    const p = await parties()
    const id = await contractIn(p, 'AWAITING_CONFIRMATION')
    expect((await getContract({ actor: p.sellerMember, id })).actions).toEqual([])
    expect((await getContract({ actor: p.seller, id })).actions).toEqual(['edit', 'confirm', 'terminate'])
  })

  it('terminating cancels the milestones not yet paid', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const db = await prisma()
    await db.milestone.updateMany({ where: { contractId: id, seq: 1 }, data: { status: 'PAID', paidAt: new Date() } })
    await terminateContract({ actor: p.buyer, id, reason: '项目取消' })
    expect((await db.milestone.findMany({ where: { contractId: id }, orderBy: { seq: 'asc' } })).map((m) => m.status)).toEqual(['PAID', 'CANCELLED'])
    // the broker may end a negotiation, not a signed contract
    const signed = await contractIn(p, 'SIGNED')
    await expect(terminateContract({ actor: p.broker, id: signed, reason: '买方放弃' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})

describe('countableContractWhere', () => {
  it('counts registered and completed contracts only: never drafts, awaiting, signed, submitted, refused or terminated ones', async () => {
    const db = await prisma()
    const before = await db.contract.count({ where: countableContractWhere() })
    const p = await parties()
    const ids: Record<string, string> = {}
    for (const status of ['DRAFT', 'AWAITING_CONFIRMATION', 'SIGNED', 'REGISTRATION_SUBMITTED', 'NOT_REGISTERED', 'REGISTERED', 'COMPLETED', 'TERMINATED'] as const) {
      ids[status] = await contractIn(p, status)
    }
    // refused, then performed all the same: completed, yet never registered
    const refusedThenDone = await contractIn(p, 'NOT_REGISTERED')
    await db.milestone.updateMany({ where: { contractId: refusedThenDone }, data: { status: 'PAID', paidAt: new Date() } })
    await completeContract({ actor: p.seller, id: refusedThenDone })

    const statuses = Object.fromEntries((await db.contract.findMany({ where: { id: { in: Object.values(ids) } }, select: { id: true, status: true } })).map((c) => [c.id, c.status]))
    expect(Object.values(ids).map((id) => statuses[id])).toEqual(['DRAFT', 'AWAITING_CONFIRMATION', 'SIGNED', 'REGISTRATION_SUBMITTED', 'NOT_REGISTERED', 'REGISTERED', 'COMPLETED', 'TERMINATED'])
    const counted = await db.contract.findMany({ where: countableContractWhere({ sellerOrgId: p.sellerOrg.id }), select: { id: true } })
    expect(counted.map((c) => c.id).sort()).toEqual([ids.REGISTERED, ids.COMPLETED].sort())
    expect(await db.contract.count({ where: countableContractWhere() })).toBe(before + 2)
    // the terminated one had been registered: it stops counting
    expect(await db.contract.findUniqueOrThrow({ where: { id: ids.TERMINATED! } })).toMatchObject({ registeredAt: expect.any(Date), status: 'TERMINATED' })

    const totals = await registeredTotals({ actor: p.seller, year: 2026 })
    expect(totals).toEqual({ count: 2, amountFen: 240_000_000, techAmountFen: 190_000_000 })
    expect(await registeredTotals({ actor: p.seller, year: 2025 })).toEqual({ count: 0, amountFen: 0, techAmountFen: 0 })
  })
})
