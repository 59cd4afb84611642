import { describe, expect, it } from 'vitest'
import { dayOfYear, daysInYear, planContractCount, planTurnoverFen, progressBp, projectYearEnd } from './plan'

const YI = 10_000_000_000n // 1亿元 in fen

describe('plan targets', () => {
  it('interpolates the turnover linearly between 2022 and 2025', () => {
    expect(planTurnoverFen(2022)).toBe((YI * 35n) / 10n)
    expect(planTurnoverFen(2023)).toBe(YI * 4n)
    expect(planTurnoverFen(2024)).toBe((YI * 45n) / 10n)
    expect(planTurnoverFen(2025)).toBe(YI * 5n)
  })
  it('extrapolates 2021 the same way and keeps 2026 at the 2025 level', () => {
    expect(planTurnoverFen(2021)).toBe(YI * 3n)
    expect(planTurnoverFen(2026)).toBe(YI * 5n)
    expect(planTurnoverFen(1990)).toBe(0n)
  })
  it('spreads 5,000 contracts over 2021–2025', () => {
    expect(planContractCount(2021)).toBe(1000)
    expect([2021, 2022, 2023, 2024, 2025].reduce((s, y) => s + planContractCount(y), 0)).toBe(5000)
  })
  it('computes progress in basis points', () => {
    expect(progressBp(YI, YI * 4n)).toBe(2500)
    expect(progressBp(1n, 0n)).toBeNull()
  })
})

describe('projectYearEnd', () => {
  it('falls back to the linear run rate without history', () => {
    const r = projectYearEnd({ soFarFen: 1_000n, elapsedDays: 73, daysInYear: 365, history: [] })
    expect(r).toEqual({ fen: 5_000n, method: 'linear' })
  })
  it('scales by the share of past years registered by the same date', () => {
    // Past years had registered 20% by this date (back-loaded years), so ×5.
    const history = [
      { toDateFen: 100n, totalFen: 1_000n },
      { toDateFen: 300n, totalFen: 1_000n },
    ]
    const r = projectYearEnd({ soFarFen: 2_000n, elapsedDays: 182, daysInYear: 365, history })
    expect(r).toEqual({ fen: 10_000n, method: 'seasonal' })
  })
  it('ignores empty past years and falls back when nothing was registered by that date', () => {
    const r = projectYearEnd({ soFarFen: 500n, elapsedDays: 100, daysInYear: 400, history: [{ toDateFen: 0n, totalFen: 0n }, { toDateFen: 0n, totalFen: 9n }] })
    expect(r).toEqual({ fen: 2_000n, method: 'linear' })
  })
  it('returns the actual total for a finished year', () => {
    expect(projectYearEnd({ soFarFen: 7n, elapsedDays: 365, daysInYear: 365, history: [{ toDateFen: 1n, totalFen: 2n }] }).fen).toBe(7n)
  })
  it('never projects below what is already registered', () => {
    expect(projectYearEnd({ soFarFen: 10n, elapsedDays: 300, daysInYear: 365, history: [{ toDateFen: 5n, totalFen: 4n }] }).fen).toBe(10n)
  })
  it('counts days in UTC', () => {
    expect(daysInYear(2024)).toBe(366)
    expect(dayOfYear(new Date(Date.UTC(2025, 1, 1)))).toBe(32)
  })
})
