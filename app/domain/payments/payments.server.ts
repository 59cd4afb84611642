import { randomBytes } from 'node:crypto'
import { mkdir, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { Prisma } from '~/generated/prisma/client'
import type { CommissionBasis, ContractStatus, MilestoneStatus, PaymentChannel } from '~/generated/prisma/enums'
import { audit } from '~/domain/audit.server'
import { contractScope, partyOf } from '~/domain/contracts/contracts.server'
import { AppError } from '~/domain/errors'
import type { Actor } from '~/domain/users/accounts.server'
import { can } from '~/domain/users/permissions'
import { notify } from '~/domain/notifications/notify.server'
import { msg, requiredText } from '~/domain/validation/fields'
import { prisma } from '~/infra/db/client.server'
import { getEnv } from '~/infra/env.server'
import { MAX_RATE_BP, milestoneShare, totalCommission } from './commission'
import { cleanFileName, MAX_RECEIPT_BYTES, MAX_RECEIPT_MB, sniffReceipt } from './receipt'

/**
 * Payments of a contract's milestones, and the broker's commission they earn.
 *
 * When: from the moment both parties have signed, through registration (whatever the
 * registry decides: a contract judged non-technical is still a contract to be paid) to
 * completion. A terminated contract, or one not signed yet, takes no payments.
 *
 * Who: the buyer's authorised member (the administrator of the buyer organisation) pays,
 * by Stripe Checkout or by bank transfer with an uploaded receipt; the seller's authorised
 * member confirms a bank transfer's receipt. The contract's broker, or bureau staff, agree
 * the commission while no milestone is paid. Every step is audited in its own transaction,
 * and a refusal changes nothing.
 */

type Tx = Prisma.TransactionClient
const MILESTONE = 'Milestone'
const CONTRACT = 'Contract'

export const PAYABLE_STATUSES: ContractStatus[] = ['SIGNED', 'REGISTRATION_SUBMITTED', 'REGISTERED', 'NOT_REGISTERED', 'COMPLETED']
/** A milestone the buyer may pay (again): not started, or its receipt to be replaced. */
const OPEN_FOR_RECEIPT: MilestoneStatus[] = ['PENDING', 'RECEIPT_UPLOADED']

export function isPayable(status: ContractStatus) {
  return PAYABLE_STATUSES.includes(status)
}

const contractSelect = {
  id: true,
  number: true,
  title: true,
  status: true,
  sellerOrgId: true,
  buyerOrgId: true,
  brokerId: true,
  amountFen: true,
  techAmountFen: true,
  registeredTechAmountFen: true,
  commissionBasis: true,
  commissionRateBp: true,
  commissionFixedFen: true,
} as const satisfies Prisma.ContractSelect

type ContractRow = Prisma.ContractGetPayload<{ select: typeof contractSelect }>

/** The contract if the actor may see it; NOT_FOUND otherwise (no hint that it exists). */
async function visibleContract(tx: Tx, actor: Actor, id: string): Promise<ContractRow> {
  const c = await tx.contract.findFirst({ where: { AND: [{ id }, contractScope(actor)] }, select: contractSelect })
  if (!c) throw new AppError('NOT_FOUND', 'err.notFound')
  return c
}

/** Serialises payments of one contract (two milestones paid at once both see the other). */
async function lockContract(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT id FROM "Contract" WHERE id = ${id} FOR UPDATE`
}

function requirePayable(c: { status: ContractStatus }) {
  if (!isPayable(c.status)) throw new AppError('CONFLICT', 'err.payment.contractNotPayable')
}

async function milestoneOf(tx: Tx, contractId: string, milestoneId: string) {
  const m = await tx.milestone.findFirst({ where: { id: milestoneId, contractId } })
  if (!m) throw new AppError('NOT_FOUND', 'err.payment.milestoneUnknown')
  return m
}

export function mayEditCommission(actor: Actor | null | undefined, c: { brokerId: string | null }) {
  return !!actor && !!c.brokerId && (c.brokerId === actor.id || can(actor.role, 'commission:read-all'))
}

// ─── The page ────────────────────────────────────────────────────────────────────────

export async function paymentsOverview({ actor, id }: { actor: Actor; id: string }) {
  const db = await prisma()
  const c = await db.contract.findFirst({
    where: { AND: [{ id }, contractScope(actor)] },
    select: {
      ...contractSelect,
      sellerOrg: { select: { name: true } },
      buyerOrg: { select: { name: true } },
      broker: { select: { name: true } },
      milestones: { orderBy: { seq: 'asc' } },
      commissions: { select: { milestoneId: true, amountFen: true, status: true, paidAt: true } },
    },
  })
  if (!c) throw new AppError('NOT_FOUND', 'err.notFound')
  const party = partyOf(actor, c)
  const anyPaid = c.milestones.some((m) => m.status === 'PAID')
  const total = totalCommission(c)
  return {
    contract: c,
    receiptHistory: await receiptHistory(db, c.milestones.map((m) => m.id)),
    party,
    payable: isPayable(c.status),
    isBroker: !!c.brokerId && c.brokerId === actor.id,
    commission: {
      total,
      accrued: c.commissions.reduce((s, e) => s + e.amountFen, 0n),
      paid: c.commissions.filter((e) => e.status === 'PAID').reduce((s, e) => s + e.amountFen, 0n),
      editable: !anyPaid && c.status !== 'TERMINATED' && mayEditCommission(actor, c),
      byMilestone: new Map(c.commissions.map((e) => [e.milestoneId, e.amountFen])),
    },
  }
}

// ─── Bank transfer ──────────────────────────────────────────────────────────────────

export interface ReceiptUpload {
  name: string
  bytes: Uint8Array
}

/**
 * The buyer's authorised member uploads the receipt of a bank transfer for a milestone: a
 * PNG, JPEG, WebP or PDF (by its bytes) of at most 10 MB, kept under
 * KZ_DATA_DIR/receipts/<contractId>/<milestoneId>-<random>.<ext>. A later upload replaces the
 * receipt until the seller confirms it (the earlier file stays on disk, named in the audit log).
 */
export async function uploadReceipt({
  actor,
  contractId,
  milestoneId,
  file,
  ip,
  now = new Date(),
}: {
  actor: Actor
  contractId: string
  milestoneId: string
  file: ReceiptUpload | null
  ip?: string | null
  now?: Date
}) {
  if (!file || file.bytes.byteLength === 0) throw new AppError('BAD_INPUT', 'err.payment.receiptMissing', { fields: { receipt: 'err.payment.receiptMissing' } })
  if (file.bytes.byteLength > MAX_RECEIPT_BYTES) {
    throw new AppError('BAD_INPUT', 'err.payment.receiptTooLarge', { params: { max: MAX_RECEIPT_MB }, fields: { receipt: 'err.payment.receiptTooLarge' } })
  }
  const kind = sniffReceipt(file.bytes)
  if (!kind) throw new AppError('BAD_INPUT', 'err.payment.receiptType', { fields: { receipt: 'err.payment.receiptType' } })

  const db = await prisma()
  // Checked before writing the file, and again inside the transaction that records it.
  const check = async (tx: Tx) => {
    const c = await visibleContract(tx, actor, contractId)
    if (partyOf(actor, c) !== 'BUYER') throw new AppError('FORBIDDEN', 'err.payment.buyerOnly')
    requirePayable(c)
    const m = await milestoneOf(tx, contractId, milestoneId)
    if (!OPEN_FOR_RECEIPT.includes(m.status)) throw new AppError('CONFLICT', 'err.payment.milestoneNotOpen')
    return m
  }
  await check(db)

  const relative = path.posix.join('receipts', contractId, `${milestoneId}-${randomBytes(8).toString('hex')}.${kind.ext}`)
  const absolute = path.join(getEnv().dataDir, ...relative.split('/'))
  await mkdir(path.dirname(absolute), { recursive: true })
  await writeFile(absolute, file.bytes, { flag: 'wx', mode: 0o600 })
  const name = cleanFileName(file.name)
  try {
    return await db.$transaction(async (tx) => {
      await lockContract(tx, contractId)
      const m = await check(tx)
      const updated = await tx.milestone.update({
        where: { id: m.id },
        data: { status: 'RECEIPT_UPLOADED', receiptPath: relative, receiptName: name, receiptMime: kind.mime, receiptUploadedAt: now },
      })
      await audit(tx, {
        actorId: actor.id,
        action: 'payment.receipt.upload',
        entityType: MILESTONE,
        entityId: m.id,
        before: { status: m.status, receiptPath: m.receiptPath },
        after: { status: updated.status, receiptPath: relative, receiptName: name, receiptMime: kind.mime, bytes: file.bytes.byteLength },
        ip,
      })
      return updated
    })
  } catch (error) {
    await unlink(absolute).catch(() => undefined)
    throw error
  }
}

/**
 * The receipt the seller looked at is still the current one: `receiptAt` (the upload time the
 * page showed, ISO) guards against confirming or refusing a receipt the buyer replaced meanwhile.
 */
function requireSameReceipt(m: { receiptUploadedAt: Date | null }, receiptAt: string | null | undefined) {
  if (receiptAt && m.receiptUploadedAt?.toISOString() !== receiptAt) throw new AppError('CONFLICT', 'err.payment.receiptChanged')
}

/** The seller's authorised member confirms that the transfer arrived: the milestone is paid. */
export async function confirmReceipt({
  actor,
  contractId,
  milestoneId,
  receiptAt,
  ip,
  now = new Date(),
}: {
  actor: Actor
  contractId: string
  milestoneId: string
  receiptAt?: string | null
  ip?: string | null
  now?: Date
}) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    await lockContract(tx, contractId)
    const c = await visibleContract(tx, actor, contractId)
    if (partyOf(actor, c) !== 'SELLER') throw new AppError('FORBIDDEN', 'err.payment.sellerOnly')
    requirePayable(c)
    const m = await milestoneOf(tx, contractId, milestoneId)
    if (m.status !== 'RECEIPT_UPLOADED') throw new AppError('CONFLICT', 'err.payment.noReceipt')
    requireSameReceipt(m, receiptAt)
    return markPaid(tx, { contractId, milestoneId, via: 'BANK_TRANSFER', actorId: actor.id, ip, now, extra: { confirmedById: actor.id } })
  })
}

/** The reason a seller gives for sending a receipt back: required, at most 500 characters. */
export const RejectReasonSchema = z.object({ reason: requiredText(500, 2) })

/**
 * The seller's authorised member sends an uploaded receipt back (the transfer did not arrive,
 * the amount is wrong, the file is unreadable), with a reason the buyer sees. The milestone is
 * open again (PENDING) and has no current receipt; the file stays on disk and the audit log
 * keeps the upload and the rejection with its reason, which the payments page shows as the
 * milestone's receipt history. The buyer may then upload another receipt.
 */
export async function rejectReceipt({
  actor,
  contractId,
  milestoneId,
  reason,
  receiptAt,
  ip,
}: {
  actor: Actor
  contractId: string
  milestoneId: string
  reason: unknown
  receiptAt?: string | null
  ip?: string | null
}) {
  const parsed = RejectReasonSchema.safeParse({ reason: typeof reason === 'string' ? reason : '' })
  if (!parsed.success) {
    const key = parsed.error.issues[0]!.message
    // A blank or one-character reason says "required"; a long one or control characters say so.
    const field = key === msg('err.required') || key.startsWith('err.tooShort') ? 'err.payment.rejectReasonRequired' : key
    throw new AppError('BAD_INPUT', field === key ? 'err.invalidForm' : field, { fields: { reason: field } })
  }
  const why = parsed.data.reason
  const db = await prisma()
  return db.$transaction(async (tx) => {
    await lockContract(tx, contractId)
    const c = await visibleContract(tx, actor, contractId)
    if (partyOf(actor, c) !== 'SELLER') throw new AppError('FORBIDDEN', 'err.payment.sellerOnlyReject')
    requirePayable(c)
    const m = await milestoneOf(tx, contractId, milestoneId)
    if (m.status !== 'RECEIPT_UPLOADED') throw new AppError('CONFLICT', 'err.payment.noReceiptToReject')
    requireSameReceipt(m, receiptAt)
    await tx.milestone.update({
      where: { id: m.id },
      data: { status: 'PENDING', receiptPath: null, receiptName: null, receiptMime: null, receiptUploadedAt: null },
    })
    await audit(tx, {
      actorId: actor.id,
      action: 'payment.receipt.reject',
      entityType: MILESTONE,
      entityId: m.id,
      before: { status: m.status, receiptPath: m.receiptPath, receiptName: m.receiptName, receiptMime: m.receiptMime, receiptUploadedAt: m.receiptUploadedAt },
      after: { status: 'PENDING', reason: why },
      ip,
    })
    const buyers = await tx.user.findMany({ where: { orgId: c.buyerOrgId, disabledAt: null }, select: { id: true } })
    await notify(tx, {
      userIds: buyers.map((u) => u.id),
      type: 'payment.receiptRejected',
      params: { contract: c.id, contractTitle: c.title, milestone: m.seq, reason: why },
      link: `/contracts/${c.id}/payments`,
      exceptUserId: actor.id,
    })
    return tx.milestone.findUniqueOrThrow({ where: { id: m.id } })
  })
}

export interface ReceiptEvent {
  kind: 'upload' | 'reject'
  at: Date
  by: string | null
  name: string | null
  reason: string | null
}

const RECEIPT_ACTIONS = { 'payment.receipt.upload': 'upload', 'payment.receipt.reject': 'reject' } as const

/** Each milestone's receipts as the audit log recorded them: uploads and rejections, oldest first. */
async function receiptHistory(db: Tx, milestoneIds: string[]): Promise<Map<string, ReceiptEvent[]>> {
  const out = new Map<string, ReceiptEvent[]>()
  if (!milestoneIds.length) return out
  const rows = await db.auditLog.findMany({
    where: { entityType: MILESTONE, entityId: { in: milestoneIds }, action: { in: Object.keys(RECEIPT_ACTIONS) } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { action: true, entityId: true, createdAt: true, before: true, after: true, actor: { select: { name: true } } },
  })
  for (const r of rows) {
    const kind = RECEIPT_ACTIONS[r.action as keyof typeof RECEIPT_ACTIONS]
    const before = (r.before ?? {}) as { receiptName?: string | null }
    const after = (r.after ?? {}) as { receiptName?: string | null; reason?: string | null }
    const event: ReceiptEvent = {
      kind,
      at: r.createdAt,
      by: r.actor?.name ?? null,
      name: (kind === 'upload' ? after.receiptName : before.receiptName) ?? null,
      reason: kind === 'reject' ? (after.reason ?? null) : null,
    }
    out.set(r.entityId, [...(out.get(r.entityId) ?? []), event])
  }
  return out
}

/**
 * Marks a milestone paid and accrues the broker's commission, in the caller's transaction
 * (which holds the contract's lock). Already paid: nothing changes (returns the milestone).
 */
export async function markPaid(
  tx: Tx,
  {
    contractId,
    milestoneId,
    via,
    actorId,
    ip,
    now,
    extra = {},
  }: {
    contractId: string
    milestoneId: string
    via: PaymentChannel
    actorId: string | null
    ip?: string | null
    now: Date
    extra?: Prisma.MilestoneUpdateManyMutationInput
  },
) {
  const before = await tx.milestone.findFirstOrThrow({ where: { id: milestoneId, contractId } })
  if (before.status === 'PAID') return { milestone: before, changed: false }
  const milestone = await tx.milestone.update({ where: { id: milestoneId }, data: { ...extra, status: 'PAID', paidAt: now, paidVia: via } })
  await audit(tx, {
    actorId,
    action: 'payment.milestone.paid',
    entityType: MILESTONE,
    entityId: milestoneId,
    before: { status: before.status },
    after: { status: 'PAID', paidVia: via, paidAt: now, amountFen: milestone.amountFen },
    ip,
  })
  await accrueCommission(tx, { contractId, milestoneId, actorId, ip, now })
  return { milestone, changed: true }
}

/** The commission a newly paid milestone earns (idempotent: one entry per milestone). */
async function accrueCommission(tx: Tx, { contractId, milestoneId, actorId, ip, now }: { contractId: string; milestoneId: string; actorId: string | null; ip?: string | null; now: Date }) {
  const c = await tx.contract.findUniqueOrThrow({ where: { id: contractId }, select: contractSelect })
  if (!c.brokerId) return null
  const total = totalCommission(c)
  if (total <= 0n) return null
  const existing = await tx.commissionEntry.findUnique({ where: { contractId_milestoneId: { contractId, milestoneId } } })
  if (existing) return existing
  // One after another: a transaction is one connection, which runs one query at a time.
  const milestone = await tx.milestone.findUniqueOrThrow({ where: { id: milestoneId }, select: { amountFen: true } })
  const unpaid = await tx.milestone.count({ where: { contractId, status: { notIn: ['PAID', 'CANCELLED'] } } })
  const accrued = await tx.commissionEntry.aggregate({ where: { contractId }, _sum: { amountFen: true } })
  const amountFen = milestoneShare({ total, milestoneFen: milestone.amountFen, contractFen: c.amountFen, accrued: accrued._sum.amountFen ?? 0n, last: unpaid === 0 })
  const entry = await tx.commissionEntry.create({ data: { contractId, milestoneId, brokerId: c.brokerId, amountFen, createdAt: now } })
  await audit(tx, { actorId, action: 'commission.accrue', entityType: 'CommissionEntry', entityId: entry.id, after: { contractId, milestoneId, brokerId: c.brokerId, amountFen }, ip })
  return entry
}

// ─── Commission terms ───────────────────────────────────────────────────────────────

export type CommissionInput = { basis: 'PERCENT'; rateBp: number } | { basis: 'FIXED'; fixedFen: bigint } | { basis: 'NONE' }

/** The contract's broker, or bureau staff, agree the commission while no milestone is paid. */
export async function setCommission({ actor, contractId, input, ip }: { actor: Actor; contractId: string; input: CommissionInput; ip?: string | null }) {
  if (input.basis === 'PERCENT' && !(Number.isInteger(input.rateBp) && input.rateBp > 0 && input.rateBp <= MAX_RATE_BP)) {
    throw new AppError('BAD_INPUT', 'err.commission.rate', { fields: { rate: 'err.commission.rate' } })
  }
  if (input.basis === 'FIXED' && !(input.fixedFen > 0n)) throw new AppError('BAD_INPUT', 'err.commission.fixed', { fields: { fixed: 'err.commission.fixed' } })
  const db = await prisma()
  return db.$transaction(async (tx) => {
    await lockContract(tx, contractId)
    const c = await visibleContract(tx, actor, contractId)
    if (!c.brokerId) throw new AppError('CONFLICT', 'err.commission.noBroker')
    if (!mayEditCommission(actor, c)) throw new AppError('FORBIDDEN', 'err.commission.forbidden')
    if (c.status === 'TERMINATED') throw new AppError('CONFLICT', 'err.payment.contractNotPayable')
    if (input.basis === 'FIXED' && input.fixedFen > c.amountFen) throw new AppError('BAD_INPUT', 'err.commission.fixedAboveAmount', { fields: { fixed: 'err.commission.fixedAboveAmount' } })
    const paid = await tx.milestone.count({ where: { contractId, status: 'PAID' } })
    if (paid > 0) throw new AppError('CONFLICT', 'err.commission.locked')
    const data: { commissionBasis: CommissionBasis | null; commissionRateBp: number | null; commissionFixedFen: bigint | null } =
      input.basis === 'PERCENT'
        ? { commissionBasis: 'PERCENT', commissionRateBp: input.rateBp, commissionFixedFen: null }
        : input.basis === 'FIXED'
          ? { commissionBasis: 'FIXED', commissionRateBp: null, commissionFixedFen: input.fixedFen }
          : { commissionBasis: null, commissionRateBp: null, commissionFixedFen: null }
    const updated = await tx.contract.update({ where: { id: contractId }, data, select: contractSelect })
    await audit(tx, {
      actorId: actor.id,
      action: 'contract.commission',
      entityType: CONTRACT,
      entityId: contractId,
      before: { commissionBasis: c.commissionBasis, commissionRateBp: c.commissionRateBp, commissionFixedFen: c.commissionFixedFen },
      after: data,
      ip,
    })
    return updated
  })
}

// ─── Reading a receipt ──────────────────────────────────────────────────────────────

/**
 * A milestone's receipt file, for whoever may see the contract (both parties, its broker,
 * bureau staff): the absolute path, its type (as sniffed on upload) and its original name.
 * For a resource route to stream with Content-Disposition: attachment.
 */
export async function receiptFile({ actor, contractId, milestoneId }: { actor: Actor; contractId: string; milestoneId: string }) {
  const db = await prisma()
  await visibleContract(db, actor, contractId)
  const m = await milestoneOf(db, contractId, milestoneId)
  if (!m.receiptPath || !m.receiptMime) throw new AppError('NOT_FOUND', 'err.payment.noReceipt')
  const root = path.resolve(getEnv().dataDir, 'receipts')
  const absolute = path.resolve(getEnv().dataDir, ...m.receiptPath.split('/'))
  if (!absolute.startsWith(root + path.sep)) throw new AppError('NOT_FOUND', 'err.notFound')
  return { path: absolute, mime: m.receiptMime, name: m.receiptName ?? path.basename(absolute) }
}
