/**
 * Pure arithmetic of the dashboard: the plan's targets (表2) and the year-end projection.
 * Money is integer fen (bigint) throughout.
 */

const YI_FEN = 100_000_000n * 100n
/** 技术合同成交额: 3.5亿元 in 2022, 5亿元 in 2025 (fen). */
export const PLAN_TURNOVER: ReadonlyArray<readonly [number, bigint]> = [
  [2022, (YI_FEN * 35n) / 10n],
  [2025, YI_FEN * 5n],
]
/** 5,000 contracts over 2021–2025. */
export const PLAN_CONTRACTS_TOTAL = 5000
export const PLAN_FIRST_YEAR = 2021
export const PLAN_LAST_YEAR = 2025

/** The turnover target of a year: linear through the plan's points, flat after the last one, never negative. */
export function planTurnoverFen(year: number): bigint {
  const [[y0, v0], [y1, v1]] = PLAN_TURNOVER as [[number, bigint], [number, bigint]]
  if (year >= y1) return v1
  const value = v0 + ((v1 - v0) * BigInt(year - y0)) / BigInt(y1 - y0)
  return value < 0n ? 0n : value
}

/** The yearly contract-count target: the plan's total spread evenly; later years keep the same pace. */
export function planContractCount(year: number): number {
  const years = PLAN_LAST_YEAR - PLAN_FIRST_YEAR + 1
  void year
  return Math.round(PLAN_CONTRACTS_TOTAL / years)
}

/** Progress in basis points (1/100 of a percent), integer; null without a target. */
export function progressBp(actual: bigint, target: bigint): number | null {
  if (target <= 0n) return null
  return Number((actual * 10_000n) / target)
}

export interface PastYear {
  /** Registered up to (and including) the same day of the year. */
  toDateFen: bigint
  /** The whole year's registered total. */
  totalFen: bigint
}

/**
 * Year-end projection: the amount so far divided by the share of a year's amount that past
 * years had registered by the same day (pooled over those years). Without usable history,
 * the run rate is extrapolated linearly over the days of the year.
 */
export function projectYearEnd(input: { soFarFen: bigint; elapsedDays: number; daysInYear: number; history: PastYear[] }): {
  fen: bigint
  method: 'seasonal' | 'linear'
} {
  const { soFarFen, elapsedDays, daysInYear, history } = input
  if (elapsedDays >= daysInYear) return { fen: soFarFen, method: 'linear' }
  const usable = history.filter((h) => h.totalFen > 0n)
  const toDate = usable.reduce((s, h) => s + h.toDateFen, 0n)
  const total = usable.reduce((s, h) => s + h.totalFen, 0n)
  if (usable.length > 0 && toDate > 0n) {
    const fen = (soFarFen * total) / toDate
    return { fen: fen < soFarFen ? soFarFen : fen, method: 'seasonal' }
  }
  if (elapsedDays <= 0) return { fen: soFarFen, method: 'linear' }
  return { fen: (soFarFen * BigInt(daysInYear)) / BigInt(elapsedDays), method: 'linear' }
}

export function daysInYear(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000
}

/** Day of the year, 1-based, of a UTC date. */
export function dayOfYear(date: Date): number {
  return Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1
}
