import type { CommissionBasis } from '~/generated/prisma/enums'

/**
 * Broker commission (中介服务费), agreed per contract: either a percentage of the technical
 * transaction amount (技术交易额: the registered amount once the registry stated it, else the
 * declared one), in basis points, or a fixed fee. It accrues milestone by milestone as the
 * buyer pays: each paid milestone earns its share (milestone amount ÷ contract amount ×
 * total commission, rounded down to the fen); the last milestone to be paid takes whatever
 * remains, so that the entries always add up to the total exactly, whatever the order.
 */

export const MAX_RATE_BP = 10_000

export interface CommissionTerms {
  commissionBasis: CommissionBasis | null
  commissionRateBp: number | null
  commissionFixedFen: bigint | null
  techAmountFen: bigint
  registeredTechAmountFen: bigint | null
}

/** The base of a percentage: the registered 技术交易额 when registered, else the declared one. */
export function commissionBase(c: Pick<CommissionTerms, 'techAmountFen' | 'registeredTechAmountFen'>): bigint {
  return c.registeredTechAmountFen ?? c.techAmountFen
}

/** The whole commission in fen (a percentage rounds half up to the fen); 0 when none is agreed. */
export function totalCommission(c: CommissionTerms): bigint {
  if (c.commissionBasis === 'FIXED') return c.commissionFixedFen ?? 0n
  if (c.commissionBasis === 'PERCENT' && c.commissionRateBp) {
    return (commissionBase(c) * BigInt(c.commissionRateBp) + 5_000n) / 10_000n
  }
  return 0n
}

/**
 * The share a milestone earns. `accrued` is what the contract's earlier entries add up to;
 * `last` says this is the last milestone still unpaid, which takes the remainder.
 */
export function milestoneShare({
  total,
  milestoneFen,
  contractFen,
  accrued,
  last,
}: {
  total: bigint
  milestoneFen: bigint
  contractFen: bigint
  accrued: bigint
  last: boolean
}): bigint {
  const left = total - accrued
  if (left <= 0n) return 0n
  if (last) return left
  if (contractFen <= 0n) return 0n
  const share = (total * milestoneFen) / contractFen
  return share > left ? left : share
}

/** "3.5" / "3.25" (percent, at most two decimals) → basis points; null when not such a number. */
export function percentToBp(text: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*$/.exec(text)
  if (!m) return null
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  return bp > 0 && bp <= MAX_RATE_BP ? bp : null
}

/** "12345.67" yuan → fen; null when not a positive amount with at most two decimals. */
export function yuanToFen(text: string): bigint | null {
  const m = /^\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(text.replace(/[,，]/g, ''))
  if (!m) return null
  const fen = BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'))
  return fen > 0n ? fen : null
}
