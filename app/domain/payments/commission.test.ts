import { describe, expect, it } from 'vitest'
import { commissionBase, milestoneShare, percentToBp, totalCommission, yuanToFen } from './commission'

const base = { commissionRateBp: null, commissionFixedFen: null, techAmountFen: 90_000_000n, registeredTechAmountFen: null }

describe('broker commission', () => {
  it('is a percentage of the registered technical transaction amount when registered, else of the declared one', () => {
    expect(commissionBase(base)).toBe(90_000_000n)
    expect(commissionBase({ ...base, registeredTechAmountFen: 80_000_000n })).toBe(80_000_000n)
    expect(totalCommission({ ...base, commissionBasis: 'PERCENT', commissionRateBp: 350 })).toBe(3_150_000n)
    expect(totalCommission({ ...base, registeredTechAmountFen: 80_000_000n, commissionBasis: 'PERCENT', commissionRateBp: 350 })).toBe(2_800_000n)
  })

  it('rounds a percentage half up to the fen, and a fixed fee is taken as it is', () => {
    expect(totalCommission({ ...base, techAmountFen: 333n, commissionBasis: 'PERCENT', commissionRateBp: 1_500 })).toBe(50n) // 49.95
    expect(totalCommission({ ...base, techAmountFen: 331n, commissionBasis: 'PERCENT', commissionRateBp: 1_500 })).toBe(50n) // 49.65
    expect(totalCommission({ ...base, techAmountFen: 329n, commissionBasis: 'PERCENT', commissionRateBp: 1_500 })).toBe(49n) // 49.35
    expect(totalCommission({ ...base, commissionBasis: 'FIXED', commissionFixedFen: 5_000_000n })).toBe(5_000_000n)
    expect(totalCommission({ ...base, commissionBasis: null })).toBe(0n)
  })

  it('gives each milestone its share and the last one paid the remainder, so the entries add up exactly', () => {
    const total = 1_000n
    const milestones = [333n, 333n, 335n]
    const contractFen = 1_001n
    for (const order of [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0],
    ]) {
      let accrued = 0n
      const shares: bigint[] = []
      order.forEach((i, k) => {
        const s = milestoneShare({ total, milestoneFen: milestones[i]!, contractFen, accrued, last: k === order.length - 1 })
        shares.push(s)
        accrued += s
      })
      expect(accrued).toBe(total)
      expect(shares.every((s) => s >= 0n)).toBe(true)
    }
    expect(milestoneShare({ total, milestoneFen: 333n, contractFen, accrued: 0n, last: false })).toBe(332n)
  })

  it('never accrues more than the total, even when the base shrank after earlier entries', () => {
    expect(milestoneShare({ total: 100n, milestoneFen: 900n, contractFen: 1_000n, accrued: 95n, last: false })).toBe(5n)
    expect(milestoneShare({ total: 100n, milestoneFen: 100n, contractFen: 1_000n, accrued: 120n, last: true })).toBe(0n)
  })

  it('reads percentages and yuan amounts exactly', () => {
    expect(percentToBp('3.5')).toBe(350)
    expect(percentToBp('0.01')).toBe(1)
    expect(percentToBp('100')).toBe(10_000)
    for (const bad of ['0', '100.01', '-1', '1.234', 'abc', '']) expect(percentToBp(bad)).toBeNull()
    expect(yuanToFen('12345.6')).toBe(1_234_560n)
    expect(yuanToFen('1,000')).toBe(100_000n)
    for (const bad of ['0', '-5', '1.001', 'x']) expect(yuanToFen(bad)).toBeNull()
  })
})
