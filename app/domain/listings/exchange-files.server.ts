import chardet from 'chardet'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import Papa from 'papaparse'
import { AppError } from '~/domain/errors'
import { msg } from '~/domain/validation/fields'
import { looksLikeHeader, matchHeader, type CellValue, type ParsedFile, type SourceRow } from './exchange'
import type { ListingKind } from './kinds'

/**
 * Reads an import file (CSV, XLSX or JSON, by its extension) into rows keyed by the exchange
 * columns. Problems that make the whole file unreadable throw AppError BAD_INPUT with a message
 * key; problems with single cells are left to validateRows.
 */

export type FileFormat = ParsedFile['format']

export function formatOf(fileName: string): FileFormat {
  const ext = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1]
  if (ext === 'csv' || ext === 'xlsx' || ext === 'json') return ext
  if (ext === 'xls' || ext === 'et') throw new AppError('BAD_INPUT', 'err.import.xls')
  throw new AppError('BAD_INPUT', msg('err.import.fileType', { name: fileName.split(/[\\/]/).pop() ?? fileName }))
}

export async function readExchangeFile(kind: ListingKind, bytes: Uint8Array, fileName: string): Promise<ParsedFile> {
  const format = formatOf(fileName)
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const file = format === 'xlsx' ? await readXlsx(kind, buffer) : format === 'json' ? readJson(kind, buffer) : readCsv(kind, buffer)
  if (file.rows.length === 0 && file.header.length > 0 && looksLikeHeader(kind, file.header)) {
    throw new AppError('BAD_INPUT', 'err.import.empty')
  }
  return file
}

// ─── Text and encodings ─────────────────────────────────────────────────────────────

const ZIP = [0x50, 0x4b, 0x03, 0x04]
const startsWith = (b: Buffer, sig: number[]) => sig.every((x, i) => b[i] === x)
// Control characters other than tab and line breaks do not occur in a text file.
const BINARY = /[\u0000-\u0008\u000E-\u001A\u001C-\u001F]/

/**
 * UTF-8 (with or without BOM), UTF-16 with a BOM, or GBK/GB18030 as Windows Excel writes
 * "CSV (逗号分隔)": decided by validity first, then by chardet. Anything else is refused.
 */
export function decodeText(buffer: Buffer): { text: string; encoding: string } {
  if (startsWith(buffer, ZIP)) throw new AppError('BAD_INPUT', 'err.import.zipNotCsv')
  if (startsWith(buffer, [0xef, 0xbb, 0xbf])) return checked(utf8(buffer.subarray(3)), 'UTF-8')
  if (startsWith(buffer, [0xff, 0xfe])) return checked(iconv.decode(buffer.subarray(2), 'utf16le'), 'UTF-16LE')
  if (startsWith(buffer, [0xfe, 0xff])) return checked(iconv.decode(buffer.subarray(2), 'utf16be'), 'UTF-16BE')
  const text = utf8(buffer)
  if (text !== null) return checked(text, 'UTF-8')
  // chardet is unsure of short Chinese texts (it may rank GB18030 low), but sure of Japanese and
  // Korean: refuse what it clearly calls another East Asian encoding, then check the GB18030
  // decoding itself (no replacement characters, mostly Chinese characters and punctuation).
  const guesses = chardet.analyse(buffer)
  const gb = guesses.find((g) => /^(GB18030|GBK|GB2312)$/i.test(g.name))?.confidence ?? 0
  const other = guesses.find((g) => /^(Shift_JIS|EUC-JP|EUC-KR|ISO-2022)/i.test(g.name) && g.confidence >= 50 && g.confidence > gb)
  if (!other) {
    const decoded = iconv.decode(buffer, 'gb18030')
    if (looksChinese(decoded)) return { text: decoded, encoding: 'GB18030' }
  }
  throw new AppError('BAD_INPUT', msg('err.import.encoding', { guess: other?.name ?? guesses[0]?.name ?? '?' }))
}

// CJK ideographs and punctuation, full-width forms, and the symbols Chinese text uses (·—“”…℃№①).
const CHINESE = /[\u3000-\u303F\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u2000-\u206F\u2100-\u214F\u2460-\u24FF\u00B7\u00D7\u00F7\u0391-\u03C9\u2190-\u21FF\u2200-\u22FF\u25A0-\u25FF]/u

function looksChinese(text: string): boolean {
  if (text.includes('\uFFFD') || BINARY.test(text)) return false
  let other = 0
  let chinese = 0
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) continue
    if (CHINESE.test(ch)) chinese++
    else other++
  }
  return chinese > 0 && other <= chinese * 0.05
}

function utf8(buffer: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer)
  } catch {
    return null
  }
}

function checked(text: string | null, encoding: string) {
  if (text === null || BINARY.test(text)) throw new AppError('BAD_INPUT', msg('err.import.encoding', { guess: encoding }))
  return { text, encoding }
}

// ─── CSV ────────────────────────────────────────────────────────────────────────────

// Exports prefix text that Excel would run as a formula with ' (CSV injection); imports take it off.
const ESCAPED_FORMULA = /^'(?=[=+\-@\t\r])/

function readCsv(kind: ListingKind, buffer: Buffer): ParsedFile {
  const { text, encoding } = decodeText(buffer)
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, delimitersToGuess: [',', '\t'] })
  const broken = parsed.errors.find((e) => e.type === 'Quotes')
  if (broken) throw new AppError('BAD_INPUT', msg('err.import.csvQuotes', { row: (broken.row ?? 0) + 1 }))
  // One record is one row in Excel, whatever line breaks its quoted cells hold.
  const records = parsed.data.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => c.replace(ESCAPED_FORMULA, '')) }))
  const file = fromTable(kind, records)
  return { ...file, format: 'csv', encoding, notes: [...(encoding === 'UTF-8' ? [] : [msg('import.note.encoding', { encoding })]), ...file.notes] }
}

const isBlank = (v: CellValue | undefined) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '')

/** A header row and the rows under it → rows keyed by column; blank rows skipped, numbers kept. */
function fromTable(kind: ListingKind, records: { row: number; cells: CellValue[] }[]) {
  const headerIndex = records.findIndex((r) => r.cells.some((c) => !isBlank(c)))
  if (headerIndex < 0) throw new AppError('BAD_INPUT', 'err.import.empty')
  const headerRecord = records[headerIndex]!
  const header = headerRecord.cells.map((c) => (c === null || c === undefined ? '' : String(c)))
  const keys = matchHeader(kind, header)
  const rows: SourceRow[] = []
  for (const record of records.slice(headerIndex + 1)) {
    if (record.cells.every(isBlank)) continue
    const values: Record<string, CellValue> = {}
    keys.forEach((key, i) => {
      // The first of two columns with one meaning wins; a later blank never erases it.
      if (key && !(key in values && !isBlank(values[key]))) values[key] = record.cells[i] ?? null
    })
    rows.push({ row: record.row, values })
  }
  return { header, headerRow: headerRecord.row, rows, notes: unknownColumnNotes(header, keys) }
}

function unknownColumnNotes(header: string[], keys: (string | null)[]): string[] {
  const unknown = header.filter((h, i) => !keys[i] && h.trim() !== '')
  return unknown.length ? [msg('import.note.unknownColumns', { columns: unknown.join('、') })] : []
}

// ─── XLSX ───────────────────────────────────────────────────────────────────────────

async function readXlsx(kind: ListingKind, buffer: Buffer): Promise<ParsedFile> {
  if (!startsWith(buffer, ZIP)) throw new AppError('BAD_INPUT', 'err.import.xlsx')
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer)
  } catch {
    throw new AppError('BAD_INPUT', 'err.import.xlsx')
  }
  // In tab order.
  const sheets = workbook.worksheets
  const tables = sheets.map((sheet) => ({ sheet, records: sheetRecords(sheet) }))
  const nonEmpty = tables.filter((t) => t.records.some((r) => r.cells.some((c) => !isBlank(c))))
  // The first sheet with the expected header; failing that, the first sheet with anything in
  // it, so that the report names the columns it lacks.
  const chosen =
    nonEmpty.find((t) => {
      const first = t.records.find((r) => r.cells.some((c) => !isBlank(c)))
      return !!first && looksLikeHeader(kind, first.cells.map((c) => (c === null ? '' : String(c))))
    }) ?? nonEmpty[0]
  if (!chosen) throw new AppError('BAD_INPUT', 'err.import.empty')
  const file = fromTable(kind, chosen.records)
  const ignored = sheets.filter((s) => s !== chosen.sheet).map((s) => msg('import.note.sheetIgnored', { sheet: s.name }))
  const notes = [...(sheets.length > 1 ? [msg('import.note.sheetUsed', { sheet: chosen.sheet.name })] : []), ...ignored, ...file.notes]
  return { ...file, format: 'xlsx', sheet: chosen.sheet.name, notes }
}

function sheetRecords(sheet: ExcelJS.Worksheet): { row: number; cells: CellValue[] }[] {
  const records: { row: number; cells: CellValue[] }[] = []
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: CellValue[] = []
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellValue(cell.value)
    })
    for (let i = 0; i < cells.length; i++) cells[i] ??= null
    records.push({ row: rowNumber, cells })
  })
  return records
}

/** Excel dates are UTC midnight for a date without time: the date, in ISO form. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return ''
  const iso = d.toISOString()
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso
}

function cellValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return dateText(value)
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  if ('richText' in value) return value.richText.map((r) => r.text).join('')
  if ('error' in value) return value.error
  if ('formula' in value || 'sharedFormula' in value) return cellValue((value.result ?? null) as ExcelJS.CellValue)
  if ('hyperlink' in value) return cellValue(value.text as ExcelJS.CellValue)
  return String(value)
}

// ─── JSON ───────────────────────────────────────────────────────────────────────────

function readJson(kind: ListingKind, buffer: Buffer): ParsedFile {
  const raw = startsWith(buffer, [0xef, 0xbb, 0xbf]) ? buffer.subarray(3) : buffer
  const text = utf8(raw)
  if (text === null) throw new AppError('BAD_INPUT', msg('err.import.encoding', { guess: chardet.detect(raw) ?? '?' }))
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new AppError('BAD_INPUT', msg('err.import.json', { detail: (error as Error).message.slice(0, 200) }))
  }
  if (!Array.isArray(data) || data.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
    throw new AppError('BAD_INPUT', 'err.import.jsonShape')
  }
  const header: string[] = []
  const seen = new Set<string>()
  for (const item of data as Record<string, unknown>[]) {
    for (const key of Object.keys(item)) if (!seen.has(key) && seen.add(key)) header.push(key)
  }
  const keys = matchHeader(kind, header)
  const column = new Map(header.map((h, i) => [h, keys[i]]))
  const rows = (data as Record<string, CellValue>[]).map((item, index) => {
    const values: Record<string, CellValue> = {}
    for (const [k, v] of Object.entries(item)) {
      const key = column.get(k)
      if (key) values[key] = v
    }
    return { row: index, values }
  })
  if (rows.length === 0) throw new AppError('BAD_INPUT', 'err.import.empty')
  return { format: 'json', header, headerRow: 0, rows, notes: unknownColumnNotes(header, keys), encoding: 'UTF-8' }
}
