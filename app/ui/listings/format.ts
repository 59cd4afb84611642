/**
 * Money and dates as listings show them. Money arrives as integer fen (DOMAIN.md: never a
 * float); it is divided only for display.
 */

const YI = 100_000_000 * 100 // 1 亿元 in fen
const WAN = 10_000 * 100 // 1 万元 in fen

function trimmed(value: number, digits: number) {
  return value.toFixed(digits).replace(/\.?0+$/, '')
}

/** ¥120万, ¥1.5亿, ¥8,500 (zh); ¥1.2M, ¥8,500 (en); `negotiable` for null (面议). */
export function formatFen(fen: number | null | undefined, locale: string, negotiable: string): string {
  if (fen === null || fen === undefined) return negotiable
  if (locale.startsWith('zh')) {
    if (fen >= YI) return `¥${trimmed(fen / YI, 2)}亿`
    if (fen >= WAN) return `¥${trimmed(fen / WAN, 2)}万`
    return `¥${grouped(fen)}`
  }
  if (fen >= 1_000_000 * 100) {
    return `¥${new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 2 }).format(fen / 100)}`
  }
  return `¥${grouped(fen)}`
}

/** The exact amount: ¥1,200,000.50 (cents only when there are any). */
export function formatFenExact(fen: number | null | undefined, negotiable: string): string {
  if (fen === null || fen === undefined) return negotiable
  return `¥${grouped(fen)}`
}

function grouped(fen: number) {
  const yuan = Math.floor(fen / 100)
  const cents = fen % 100
  const whole = yuan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return cents ? `${whole}.${cents.toString().padStart(2, '0')}` : whole
}

/** Fen → the yuan text a price input shows (`120000.5`); '' for null. */
export function fenToYuanInput(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return ''
  const cents = fen % 100
  return cents ? `${Math.floor(fen / 100)}.${cents.toString().padStart(2, '0')}`.replace(/0$/, '') : String(fen / 100)
}

// Fixed to the platform's time zone, so that the server's and the browser's renderings agree.
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(locale: string, timeZone: string) {
  const key = `${locale}|${timeZone}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(key, f)
  }
  return f
}

/** A moment (publication, update) as a date in China. */
export function formatDate(value: Date | string | null | undefined, locale: string): string {
  if (!value) return ''
  const date = typeof value === 'string' ? new Date(value) : value
  return Number.isNaN(date.getTime()) ? '' : formatter(locale, 'Asia/Shanghai').format(date)
}

/** A calendar date (a deadline, stored as midnight UTC). */
export function formatDay(value: Date | string | null | undefined, locale: string): string {
  if (!value) return ''
  const date = typeof value === 'string' ? new Date(value) : value
  return Number.isNaN(date.getTime()) ? '' : formatter(locale, 'UTC').format(date)
}

/** A calendar date as an input's value, YYYY-MM-DD. */
export function dayInputValue(value: Date | string | null | undefined): string {
  if (!value) return ''
  const date = typeof value === 'string' ? new Date(value) : value
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10)
}

/** A short enumeration: 转让、许可 (zh) or Transfer, Licence (en). */
export function joinList(items: string[], locale: string): string {
  return items.join(locale.startsWith('zh') ? '、' : ', ')
}
