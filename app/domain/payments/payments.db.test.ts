import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/infra/db/client.server'
import { commissionLedger, markCommissionPaid } from './commissions.server'
import { terminateContract } from '~/domain/contracts/contracts.server'
import { confirmReceipt, paymentsOverview, receiptFile, rejectReceipt, setCommission, uploadReceipt } from './payments.server'
import { MAX_RECEIPT_BYTES } from './receipt'
import { contractIn, FILES, milestonesOf, parties, useTempDataDir, type Parties } from './test-support'

let dataDir: string
beforeAll(() => {
  dataDir = useTempDataDir({ STRIPE_SECRET_KEY: undefined, KZ_STRIPE_STANDIN: 'off' })
})

async function snapshot(contractId: string) {
  const db = await prisma()
  const [milestones, contract, entries, audits] = await Promise.all([
    db.milestone.findMany({ where: { contractId }, orderBy: { seq: 'asc' } }),
    db.contract.findUniqueOrThrow({ where: { id: contractId } }),
    db.commissionEntry.findMany({ where: { contractId } }),
    db.auditLog.count(),
  ])
  return JSON.stringify({ milestones, contract, entries, audits }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
}

/** A refusal with this message that changes nothing at all. */
async function refused(contractId: string, call: () => Promise<unknown>, expected: Record<string, unknown>) {
  const before = await snapshot(contractId)
  await expect(call()).rejects.toMatchObject(expected)
  expect(await snapshot(contractId)).toBe(before)
}

const receiptFiles = (contractId: string) => {
  const dir = path.join(dataDir, 'receipts', contractId)
  return existsSync(dir) ? readdirSync(dir) : []
}

async function pay(p: Parties, contractId: string, milestoneId: string) {
  await uploadReceipt({ actor: p.buyer, contractId, milestoneId, file: { name: '回单.pdf', bytes: FILES.pdf } })
  return confirmReceipt({ actor: p.seller, contractId, milestoneId })
}

describe('bank transfer', () => {
  it('the buyer uploads a receipt, the seller confirms it: PAID by bank transfer, each step audited', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const [m1] = await milestonesOf(id)
    const up = await uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file: { name: 'C:\\扫描\\回单.png', bytes: FILES.png }, ip: '10.0.0.9' })
    expect(up).toMatchObject({ status: 'RECEIPT_UPLOADED', receiptName: '回单.png', receiptMime: 'image/png' })
    expect(up.receiptPath).toMatch(new RegExp(`^receipts/${id}/${m1!.id}-[0-9a-f]{16}\\.png$`))
    expect(readFileSync(path.join(dataDir, up.receiptPath!))).toEqual(Buffer.from(FILES.png))

    const { milestone } = await confirmReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id })
    expect(milestone).toMatchObject({ status: 'PAID', paidVia: 'BANK_TRANSFER', confirmedById: p.seller.id })
    expect(milestone.paidAt).toBeInstanceOf(Date)

    // Both parties, the broker and the bureau may read the receipt; nobody else.
    for (const actor of [p.seller, p.buyer, p.broker, p.bureau]) {
      const r = await receiptFile({ actor, contractId: id, milestoneId: m1!.id })
      expect(r).toMatchObject({ mime: 'image/png', name: '回单.png' })
      expect(readFileSync(r.path)).toEqual(Buffer.from(FILES.png))
    }
    await expect(receiptFile({ actor: p.stranger, contractId: id, milestoneId: m1!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })

    const db = await prisma()
    const actions = (await db.auditLog.findMany({ where: { entityId: m1!.id }, orderBy: { createdAt: 'asc' } })).map((a) => a.action)
    expect(actions).toEqual(['payment.receipt.upload', 'payment.milestone.paid'])
  })

  it('accepts JPEG, WebP and PDF too, and a new upload replaces the receipt until it is confirmed', async () => {
    const p = await parties()
    const id = await contractIn(p, 'REGISTERED')
    const [m1] = await milestonesOf(id)
    for (const [name, bytes, mime] of [
      ['a.jpg', FILES.jpeg, 'image/jpeg'],
      ['b.webp', FILES.webp, 'image/webp'],
      ['c.pdf', FILES.pdf, 'application/pdf'],
    ] as const) {
      const m = await uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file: { name, bytes } })
      expect(m.receiptMime).toBe(mime)
    }
    expect(receiptFiles(id)).toHaveLength(3)
  })

  it('refuses a receipt that is not an image or PDF (an .exe renamed .pdf), an empty one and one over 10 MB; nothing changes', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const [m1] = await milestonesOf(id)
    const upload = (name: string, bytes: Uint8Array | null) =>
      uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file: bytes ? { name, bytes } : null })
    await refused(id, () => upload('invoice.pdf', FILES.exe), { code: 'BAD_INPUT', message: 'err.payment.receiptType' })
    await refused(id, () => upload('x.pdf', new Uint8Array()), { code: 'BAD_INPUT', message: 'err.payment.receiptMissing' })
    await refused(id, () => upload('x.pdf', null), { code: 'BAD_INPUT', message: 'err.payment.receiptMissing' })
    const big = new Uint8Array(MAX_RECEIPT_BYTES + 1)
    big.set(FILES.pdf)
    await refused(id, () => upload('big.pdf', big), { code: 'BAD_INPUT', message: 'err.payment.receiptTooLarge', params: { max: 10 } })
    expect(receiptFiles(id)).toEqual([])
  })

  it('only the buyer’s authorised member uploads, only the seller’s confirms', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const [m1] = await milestonesOf(id)
    const file = { name: 'r.pdf', bytes: FILES.pdf }
    for (const actor of [p.seller, p.buyerMember, p.broker, p.bureau]) {
      await refused(id, () => uploadReceipt({ actor, contractId: id, milestoneId: m1!.id, file }), { code: 'FORBIDDEN', message: 'err.payment.buyerOnly' })
    }
    await refused(id, () => uploadReceipt({ actor: p.stranger, contractId: id, milestoneId: m1!.id, file }), { code: 'NOT_FOUND' })
    await refused(id, () => confirmReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id }), { code: 'CONFLICT', message: 'err.payment.noReceipt' })
    await uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file })
    for (const actor of [p.buyer, p.sellerMember, p.broker, p.bureau]) {
      await refused(id, () => confirmReceipt({ actor, contractId: id, milestoneId: m1!.id }), { code: 'FORBIDDEN', message: 'err.payment.sellerOnly' })
    }
    await confirmReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id })
    await refused(id, () => confirmReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id }), { code: 'CONFLICT', message: 'err.payment.noReceipt' })
    await refused(id, () => uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file }), { code: 'CONFLICT', message: 'err.payment.milestoneNotOpen' })
  })

  it('takes no payment before signing or after termination, nor for another contract’s milestone', async () => {
    const p = await parties()
    const file = { name: 'r.pdf', bytes: FILES.pdf }
    for (const status of ['DRAFT', 'AWAITING_CONFIRMATION', 'TERMINATED'] as const) {
      const id = await contractIn(p, status)
      const [m1] = await milestonesOf(id)
      await refused(id, () => uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file }), { code: 'CONFLICT', message: 'err.payment.contractNotPayable' })
    }
    const a = await contractIn(p, 'SIGNED')
    const b = await contractIn(p, 'SIGNED')
    const [mb] = await milestonesOf(b)
    await refused(a, () => uploadReceipt({ actor: p.buyer, contractId: a, milestoneId: mb!.id, file }), { code: 'NOT_FOUND', message: 'err.payment.milestoneUnknown' })
  })
})

describe('a receipt sent back by the seller', () => {
  it('opens the milestone again with the reason for the buyer, keeps the upload in the history, and takes a new receipt', async () => {
    const p = await parties()
    const id = await contractIn(p, 'REGISTERED')
    const [m1] = await milestonesOf(id)
    const first = await uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file: { name: '回单-1.png', bytes: FILES.png } })

    const back = await rejectReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id, reason: '  款项未到账，请核实收款账号  ', ip: '10.0.0.7' })
    expect(back).toMatchObject({ status: 'PENDING', receiptPath: null, receiptName: null, receiptMime: null, receiptUploadedAt: null, paidAt: null })
    // The rejected file is kept (named in the audit log), not served as the current receipt.
    expect(readFileSync(path.join(dataDir, first.receiptPath!))).toEqual(Buffer.from(FILES.png))
    await expect(receiptFile({ actor: p.buyer, contractId: id, milestoneId: m1!.id })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'err.payment.noReceipt' })

    const db = await prisma()
    const log = await db.auditLog.findFirstOrThrow({ where: { entityId: m1!.id, action: 'payment.receipt.reject' } })
    expect(log).toMatchObject({ actorId: p.seller.id, ip: '10.0.0.7' })
    expect(log.before).toMatchObject({ status: 'RECEIPT_UPLOADED', receiptPath: first.receiptPath, receiptName: '回单-1.png' })
    expect(log.after).toEqual({ status: 'PENDING', reason: '款项未到账，请核实收款账号' })
    // The buyer is told (in the app, and by e-mail through the outbox); the seller is not.
    const told = await db.notification.findMany({ where: { type: 'payment.receiptRejected' }, select: { userId: true, params: true, link: true } })
    const buyerMembers = await db.user.findMany({ where: { orgId: p.buyer.orgId! }, select: { id: true } })
    expect(told.map((n) => n.userId).sort()).toEqual(buyerMembers.map((u) => u.id).sort())
    expect(told.map((n) => n.userId)).toContain(p.buyer.id)
    for (const n of told) {
      expect(n).toMatchObject({ params: expect.objectContaining({ reason: '款项未到账，请核实收款账号', milestone: m1!.seq }), link: `/contracts/${id}/payments` })
    }

    // Both parties read why, in the milestone's receipt history.
    for (const actor of [p.buyer, p.seller]) {
      const o = await paymentsOverview({ actor, id })
      expect(o.receiptHistory.get(m1!.id)).toMatchObject([
        { kind: 'upload', name: '回单-1.png', by: p.buyer.name, reason: null },
        { kind: 'reject', name: '回单-1.png', by: p.seller.name, reason: '款项未到账，请核实收款账号' },
      ])
    }
    // Nothing was paid and no commission accrued.
    expect(await db.commissionEntry.count({ where: { contractId: id } })).toBe(0)
    await expect(confirmReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.payment.noReceipt' })

    // The buyer uploads again; the seller confirms this one.
    await uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file: { name: '回单-2.pdf', bytes: FILES.pdf } })
    const { milestone } = await confirmReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id })
    expect(milestone).toMatchObject({ status: 'PAID', paidVia: 'BANK_TRANSFER', receiptName: '回单-2.pdf' })
    const actions = (await db.auditLog.findMany({ where: { entityId: m1!.id }, orderBy: { id: 'asc' } })).map((a) => a.action)
    expect(actions).toEqual(['payment.receipt.upload', 'payment.receipt.reject', 'payment.receipt.upload', 'payment.milestone.paid'])
    expect(receiptFiles(id)).toHaveLength(2)
  })

  it('needs a reason: empty, blank, one character, too long or control characters are refused on the reason field; nothing changes', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const [m1] = await milestonesOf(id)
    await uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file: { name: 'r.pdf', bytes: FILES.pdf } })
    const reject = (reason: unknown) => () => rejectReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id, reason })
    for (const reason of ['', '   \n ', '无', undefined, null, 42]) {
      await refused(id, reject(reason), { code: 'BAD_INPUT', message: 'err.payment.rejectReasonRequired', fields: { reason: 'err.payment.rejectReasonRequired' } })
    }
    await refused(id, reject('理'.repeat(501)), { code: 'BAD_INPUT', message: 'err.invalidForm', fields: { reason: 'err.tooLong?max=500' } })
    await refused(id, reject('金额\u0000不符'), { code: 'BAD_INPUT', fields: { reason: 'err.invalidText' } })
    expect((await milestonesOf(id))[0]!.status).toBe('RECEIPT_UPLOADED')
  })

  it('is not decided on a receipt the seller has not seen: one replaced since the page was read is refused, for confirming too', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const [m1] = await milestonesOf(id)
    const seen = await uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file: { name: '旧回单.pdf', bytes: FILES.pdf }, now: new Date(Date.UTC(2026, 5, 1, 2)) })
    const shown = seen.receiptUploadedAt!.toISOString()
    await uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file: { name: '新回单.pdf', bytes: FILES.pdf }, now: new Date(Date.UTC(2026, 5, 1, 3)) })
    await refused(id, () => rejectReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id, reason: '金额不符', receiptAt: shown }), { code: 'CONFLICT', message: 'err.payment.receiptChanged' })
    await refused(id, () => confirmReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id, receiptAt: shown }), { code: 'CONFLICT', message: 'err.payment.receiptChanged' })
    const current = (await milestonesOf(id))[0]!.receiptUploadedAt!.toISOString()
    await expect(rejectReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id, reason: '金额不符', receiptAt: current })).resolves.toMatchObject({ status: 'PENDING' })
  })

  it('is for the seller’s authorised member only, of a receipt waiting for confirmation, while the contract takes payments', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const [m1, m2] = await milestonesOf(id)
    const reason = '回单金额与节点金额不符'
    // No receipt yet.
    await refused(id, () => rejectReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id, reason }), { code: 'CONFLICT', message: 'err.payment.noReceiptToReject' })
    await uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m1!.id, file: { name: 'r.pdf', bytes: FILES.pdf } })
    // The buyer, a seller member who is not its administrator, the broker, the bureau: refused.
    for (const actor of [p.buyer, p.sellerMember, p.broker, p.bureau]) {
      await refused(id, () => rejectReceipt({ actor, contractId: id, milestoneId: m1!.id, reason }), { code: 'FORBIDDEN', message: 'err.payment.sellerOnlyReject' })
    }
    // Someone outside the contract does not learn that it exists; another contract's milestone is unknown.
    await refused(id, () => rejectReceipt({ actor: p.stranger, contractId: id, milestoneId: m1!.id, reason }), { code: 'NOT_FOUND', message: 'err.notFound' })
    const other = await contractIn(p, 'SIGNED')
    const [o1] = await milestonesOf(other)
    await refused(id, () => rejectReceipt({ actor: p.seller, contractId: id, milestoneId: o1!.id, reason }), { code: 'NOT_FOUND', message: 'err.payment.milestoneUnknown' })
    // A paid milestone cannot be sent back.
    await uploadReceipt({ actor: p.buyer, contractId: id, milestoneId: m2!.id, file: { name: 'r2.pdf', bytes: FILES.pdf } })
    await confirmReceipt({ actor: p.seller, contractId: id, milestoneId: m2!.id })
    await refused(id, () => rejectReceipt({ actor: p.seller, contractId: id, milestoneId: m2!.id, reason }), { code: 'CONFLICT', message: 'err.payment.noReceiptToReject' })
    // A terminated contract takes no payment step at all.
    await terminateContract({ actor: p.seller, id, reason: '双方协商解除合同' })
    await refused(id, () => rejectReceipt({ actor: p.seller, contractId: id, milestoneId: m1!.id, reason }), { code: 'CONFLICT', message: 'err.payment.contractNotPayable' })
  })
})

describe('broker commission', () => {
  it('is agreed by the broker or the bureau, not by the parties or another broker, and locked once a milestone is paid', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    await setCommission({ actor: p.broker, contractId: id, input: { basis: 'PERCENT', rateBp: 350 } })
    await setCommission({ actor: p.bureau, contractId: id, input: { basis: 'FIXED', fixedFen: 2_000_000n } })
    for (const actor of [p.seller, p.buyer]) {
      await refused(id, () => setCommission({ actor, contractId: id, input: { basis: 'PERCENT', rateBp: 100 } }), { code: 'FORBIDDEN', message: 'err.commission.forbidden' })
    }
    await refused(id, () => setCommission({ actor: p.otherBroker, contractId: id, input: { basis: 'PERCENT', rateBp: 100 } }), { code: 'NOT_FOUND' })
    await refused(id, () => setCommission({ actor: p.broker, contractId: id, input: { basis: 'PERCENT', rateBp: 0 } }), { code: 'BAD_INPUT', message: 'err.commission.rate' })
    await refused(id, () => setCommission({ actor: p.broker, contractId: id, input: { basis: 'PERCENT', rateBp: 10_001 } }), { code: 'BAD_INPUT' })
    await refused(id, () => setCommission({ actor: p.broker, contractId: id, input: { basis: 'FIXED', fixedFen: -1n } }), { code: 'BAD_INPUT', message: 'err.commission.fixed' })
    await refused(id, () => setCommission({ actor: p.broker, contractId: id, input: { basis: 'FIXED', fixedFen: 100_000_002n } }), { code: 'BAD_INPUT', message: 'err.commission.fixedAboveAmount' })
    const [m1] = await milestonesOf(id)
    await pay(p, id, m1!.id)
    await refused(id, () => setCommission({ actor: p.bureau, contractId: id, input: { basis: 'PERCENT', rateBp: 500 } }), { code: 'CONFLICT', message: 'err.commission.locked' })
    const db = await prisma()
    expect(await db.auditLog.count({ where: { entityId: id, action: 'contract.commission' } })).toBe(2)
  })

  it('accrues per paid milestone in the same transaction; the last one paid takes the remainder; the entries add up exactly', async () => {
    const p = await parties()
    const id = await contractIn(p, 'REGISTERED') // registered 技术交易额 ¥800,000
    await setCommission({ actor: p.broker, contractId: id, input: { basis: 'PERCENT', rateBp: 333 } }) // 3.33% → ¥26,640.00
    const ms = await milestonesOf(id)
    const db = await prisma()
    // Paid out of order: the third, then the first, then the second.
    for (const m of [ms[2]!, ms[0]!, ms[1]!]) await pay(p, id, m.id)
    const entries = await db.commissionEntry.findMany({ where: { contractId: id } })
    expect(entries).toHaveLength(3)
    const by = new Map(entries.map((e) => [e.milestoneId, e.amountFen]))
    // ⌊2,664,000 × 33,333,335 / 100,000,001⌋ and ⌊2,664,000 × 33,333,333 / 100,000,001⌋; the last one paid the rest.
    expect(by.get(ms[2]!.id)).toBe((2_664_000n * 33_333_335n) / 100_000_001n)
    expect(by.get(ms[0]!.id)).toBe((2_664_000n * 33_333_333n) / 100_000_001n)
    expect(entries.reduce((s, e) => s + e.amountFen, 0n)).toBe(2_664_000n)
    expect(entries.every((e) => e.brokerId === p.broker.id && e.status === 'DUE')).toBe(true)
    const o = await paymentsOverview({ actor: p.broker, id })
    expect(o.commission).toMatchObject({ total: 2_664_000n, accrued: 2_664_000n, paid: 0n, editable: false })
  })

  it('a fixed fee accrues the same way; a contract without broker or commission accrues nothing', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    await setCommission({ actor: p.broker, contractId: id, input: { basis: 'FIXED', fixedFen: 1_000_000n } })
    const ms = await milestonesOf(id)
    for (const m of ms) await pay(p, id, m.id)
    const db = await prisma()
    const sum = await db.commissionEntry.aggregate({ where: { contractId: id }, _sum: { amountFen: true } })
    expect(sum._sum.amountFen).toBe(1_000_000n)

    const none = await contractIn(p, 'SIGNED')
    const [n1] = await milestonesOf(none)
    await pay(p, none, n1!.id)
    expect(await db.commissionEntry.count({ where: { contractId: none } })).toBe(0)
    const [m] = await milestonesOf(none)
    expect(m!.status).toBe('PAID')
  })
})

describe('commission ledger', () => {
  it('shows a broker their own (earned, due, paid); the bureau sees all and marks an entry paid, audited, once', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    await setCommission({ actor: p.broker, contractId: id, input: { basis: 'FIXED', fixedFen: 900_000n } })
    const ms = await milestonesOf(id)
    await pay(p, id, ms[0]!.id)
    await pay(p, id, ms[1]!.id)

    const mine = await commissionLedger({ actor: p.broker })
    expect(mine.all).toBe(false)
    expect(mine.entries).toHaveLength(2)
    expect(mine.totals.earned).toBe(mine.totals.due)
    expect((await commissionLedger({ actor: p.otherBroker })).entries).toHaveLength(0)
    await expect(commissionLedger({ actor: p.buyer })).rejects.toMatchObject({ code: 'FORBIDDEN' })

    const all = await commissionLedger({ actor: p.bureau })
    expect(all.all).toBe(true)
    const entry = all.entries.find((e) => e.contractId === id)!
    await expect(markCommissionPaid({ actor: p.broker, entryId: entry.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await markCommissionPaid({ actor: p.bureau, entryId: entry.id, ip: '10.1.1.1' })
    await expect(markCommissionPaid({ actor: p.bureau, entryId: entry.id })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.commission.alreadyPaid' })
    const after = await commissionLedger({ actor: p.broker })
    expect(after.totals.paid).toBe(entry.amountFen)
    expect(after.totals.earned).toBe(after.totals.due + after.totals.paid)
    const db = await prisma()
    expect(await db.auditLog.count({ where: { entityId: entry.id, action: 'commission.paid', actorId: p.bureau.id } })).toBe(1)
  })
})
