import ExcelJS from 'exceljs'
import type { Translate } from '~/i18n/i18n'
import { bpText, fenToYuanText, rowLabel, SECTION_KEYS, type Section } from '~/ui/stats/labels'
import type { DashboardJson } from './stats.server'

export const STATS_EXPORT_FORMATS = ['csv', 'xlsx'] as const
export type StatsExportFormat = (typeof STATS_EXPORT_FORMATS)[number]

/** The dashboard as one flat table: section, item, count, 成交额 and 技术交易额 in yuan (exact, from fen). */
export function statsTable(data: DashboardJson, t: Translate): string[][] {
  const header = [t('stats.section'), t('stats.category'), t('stats.count'), `${t('stats.amount')}（元）`, `${t('stats.techAmount')}（元）`]
  const rows: string[][] = [header]
  const period = data.quarter ? `${data.year} ${t('stats.quarter.n', { n: data.quarter })}` : String(data.year)
  rows.push([t('stats.totals'), `${period} ${t('stats.actual')}`, String(data.totals.count), fenToYuanText(data.totals.amountFen), fenToYuanText(data.totals.techAmountFen)])
  rows.push([t('stats.totals'), `${period} ${t('stats.target')}`, String(data.target.contractCount), fenToYuanText(data.target.turnoverFen), ''])
  rows.push([t('stats.totals'), t('stats.progress'), bpText(data.progress.countBp), bpText(data.progress.amountBp), ''])
  if (data.asOf) rows.push([t('stats.totals'), t('stats.projection'), '', fenToYuanText(data.projection.amountFen), ''])
  const push = (section: string, label: string, r: { count: number; amountFen: number; techAmountFen: number }) =>
    rows.push([section, label, String(r.count), fenToYuanText(r.amountFen), fenToYuanText(r.techAmountFen)])
  for (const r of data.monthly) push(t('stats.monthly'), rowLabel(t, 'monthly', r.key), r)
  for (const s of Object.keys(SECTION_KEYS) as Section[]) for (const r of data[s]) push(t(SECTION_KEYS[s]), rowLabel(t, s, r.key), r)
  for (const r of data.region.output) push(t('stats.region.output'), rowLabel(t, 'region', r.key), r)
  for (const r of data.region.absorption) push(t('stats.region.absorption'), rowLabel(t, 'region', r.key), r)
  for (const r of data.topSellers) push(t('stats.topSellers'), r.name, r)
  for (const r of data.topBrokers) push(t('stats.topBrokers'), r.name, r)
  return rows
}

function csvCell(value: string): string {
  // A leading =, +, - or @ would be read as a formula by spreadsheets.
  const safe = /^[=+\-@]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** CSV with a UTF-8 byte-order mark, so that Excel opens the Chinese text correctly. */
export function statsCsv(table: string[][]): string {
  return '\uFEFF' + table.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

export async function statsXlsx(table: string[][], sheetName: string): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet(sheetName.slice(0, 31))
  for (const [i, row] of table.entries()) {
    // Amounts go in as numbers (yuan with two decimals) from the exact text.
    ws.addRow(i === 0 ? row : row.map((v, j) => (j >= 2 && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v)))
  }
  ws.getRow(1).font = { bold: true }
  ws.columns.forEach((c, i) => (c.width = i < 2 ? 28 : 18))
  const buf = new Uint8Array(await wb.xlsx.writeBuffer())
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer
}
