import { PassThrough, Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import Papa from 'papaparse'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { EXCHANGE_COLUMNS, exportColumns, toCell, toExchangeRow, type ExchangeValue, type ExportableRow } from './exchange'
import type { ListingKind } from './kinds'
import { delegate, listOrderBy, listWhere, type ListScope } from './listings.server'
import type { ListQuery } from './query'

/**
 * Exports listings in the exchange format, so that an export imports again: CSV (UTF-8 with a
 * BOM, which Excel needs to read Chinese), XLSX or JSON. Rows are read page by page and streamed;
 * confidential details never leave (see toExchangeRow).
 */

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
}

const KIND_NAMES: Record<ListingKind, string> = { achievement: '科技成果', demand: '技术需求', scenario: '应用场景' }
const KIND_SLUGS: Record<ListingKind, string> = { achievement: 'achievements', demand: 'demands', scenario: 'scenarios' }
const PAGE = 500

/** 科技成果-2026-11-28.csv, with an ASCII fallback for old clients (RFC 6266 / RFC 5987). */
export function exportFileName(kind: ListingKind, format: ExportFormat, now = new Date()) {
  const day = new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10)
  return { name: `${KIND_NAMES[kind]}-${day}.${format}`, ascii: `kezhuan-${KIND_SLUGS[kind]}-${day}.${format}` }
}

export function contentDisposition(kind: ListingKind, format: ExportFormat, now = new Date()) {
  const { name, ascii } = exportFileName(kind, format, now)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** The listings an export holds, page by page, in the list's order. */
export async function* exportRows({
  actor,
  kind,
  query,
  scope = 'public',
}: {
  actor: Actor | null | undefined
  kind: ListingKind
  query: ListQuery
  scope?: ListScope
}): AsyncGenerator<Record<string, ExchangeValue>> {
  const db = await prisma()
  const where = listWhere(kind, query, scope, actor)
  const orderBy = listOrderBy(kind, query.sort)
  const include = {
    org: { select: { name: true, regionCode: true } },
    ...(kind === 'scenario' ? { batch: { select: { number: true } } } : {}),
  }
  let cursor: string | undefined
  for (;;) {
    const rows = await delegate(db, kind).findMany({
      where,
      orderBy,
      include,
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    })
    for (const row of rows) yield toExchangeRow(kind, row as unknown as ExportableRow)
    if (rows.length < PAGE) return
    cursor = rows[rows.length - 1]!.id
  }
}

/** A stream of the file's bytes. */
export function exportStream(kind: ListingKind, format: ExportFormat, rows: AsyncIterable<Record<string, ExchangeValue>>): ReadableStream<Uint8Array> {
  const source = format === 'csv' ? csvChunks(kind, rows) : format === 'json' ? jsonChunks(rows) : xlsxStream(kind, rows)
  const readable = source instanceof Readable ? source : Readable.from(source)
  return Readable.toWeb(readable) as unknown as ReadableStream<Uint8Array>
}

async function* csvChunks(kind: ListingKind, rows: AsyncIterable<Record<string, ExchangeValue>>) {
  const fields = exportColumns(kind)
  // The BOM tells Excel the file is UTF-8; without it Chinese text shows as mojibake.
  yield Buffer.from('\uFEFF' + fields.join(',') + '\r\n', 'utf8')
  let batch: (string | number | null)[][] = []
  const flush = () => {
    const text = Papa.unparse(batch, { newline: '\r\n', escapeFormulae: true }) + '\r\n'
    batch = []
    return Buffer.from(text, 'utf8')
  }
  for await (const row of rows) {
    batch.push(fields.map((f) => toCell(f, row[f] ?? null)))
    if (batch.length >= 200) yield flush()
  }
  if (batch.length) yield flush()
}

async function* jsonChunks(rows: AsyncIterable<Record<string, ExchangeValue>>) {
  let first = true
  yield Buffer.from('[')
  for await (const row of rows) {
    yield Buffer.from((first ? '\n' : ',\n') + JSON.stringify(row))
    first = false
  }
  yield Buffer.from('\n]\n')
}

function xlsxStream(kind: ListingKind, rows: AsyncIterable<Record<string, ExchangeValue>>): Readable {
  const out = new PassThrough()
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  const fields = exportColumns(kind)
  const labels = new Map(EXCHANGE_COLUMNS[kind].map((c) => [c.key, c.label]))
  const sheet = workbook.addWorksheet(KIND_NAMES[kind], { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = fields.map((key) => ({ key, width: WIDTHS[key] ?? 16 }))
  void (async () => {
    try {
      const header = sheet.addRow(fields)
      header.font = { bold: true }
      header.commit()
      for await (const row of rows) sheet.addRow(fields.map((f) => toCell(f, row[f] ?? null))).commit()
      sheet.commit()
      // The keys are the format; a second sheet gives their Chinese names (imports ignore it).
      const help = workbook.addWorksheet('说明')
      help.columns = [{ width: 22 }, { width: 22 }]
      help.addRow(['列 column', '含义 meaning']).commit()
      for (const key of fields) help.addRow([key, labels.get(key) ?? key]).commit()
      help.commit()
      await workbook.commit()
    } catch (error) {
      out.destroy(error as Error)
    }
  })()
  return out
}

const WIDTHS: Record<string, number> = { id: 28, title: 40, summary: 60, description: 60, keywords: 30, owner: 30, enterprise: 30, capability: 40 }
