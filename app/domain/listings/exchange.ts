import type { z } from 'zod'
import { msg, orgName, requiredText } from '~/domain/validation/fields'
import { INDUSTRIES, IP_TYPES, STAGES, TECH_FIELDS, TRANSFER_MODES } from './classifications'
import type { ListingKind } from './kinds'
import {
  AchievementInputSchema,
  DemandInputSchema,
  ScenarioInputSchema,
  type AchievementInput,
  type DemandInput,
  type ScenarioInput,
} from './schemas'

/**
 * The exchange format of listings (docs/exchange-format.md): the columns of import and export
 * files, how a row of a file becomes a validated listing input, and how a listing is written
 * back. No database and no files here: the same code checks a CLI import, a browser upload and
 * the demo data. Kept free of server-only imports, so the import page can show the columns.
 */

export interface ExchangeColumn {
  key: string
  /** A Chinese header accepted on import instead of the key. */
  label: string
  /** The header must have it (the owner column only when the file names owners). */
  required?: boolean
  /** Never written by an export (confidential or personal). */
  importOnly?: boolean
}

const contactColumns: ExchangeColumn[] = [
  { key: 'contactName', label: '联系人', importOnly: true },
  { key: 'contactPhone', label: '联系电话', importOnly: true },
  { key: 'contactEmail', label: '联系邮箱', importOnly: true },
]

export const EXCHANGE_COLUMNS: Record<ListingKind, ExchangeColumn[]> = {
  achievement: [
    { key: 'id', label: '编号', required: true },
    { key: 'title', label: '成果名称', required: true },
    { key: 'summary', label: '成果简介', required: true },
    { key: 'field', label: '技术领域', required: true },
    { key: 'industry', label: '所属产业', required: true },
    { key: 'keywords', label: '关键词' },
    { key: 'trl', label: '技术成熟度', required: true },
    { key: 'stage', label: '成熟阶段' },
    { key: 'ipType', label: '知识产权类型' },
    { key: 'ipNumbers', label: '知识产权编号' },
    { key: 'ipStatus', label: '知识产权状态' },
    { key: 'transferModes', label: '转化方式', required: true },
    { key: 'askingPrice', label: '意向价格（元）' },
    { key: 'owner', label: '所属机构', required: true },
    { key: 'ownerRegion', label: '机构所在地代码' },
    { key: 'confidentialDetails', label: '保密信息', importOnly: true },
    ...contactColumns,
  ],
  demand: [
    { key: 'id', label: '编号', required: true },
    { key: 'title', label: '需求名称', required: true },
    { key: 'description', label: '需求描述', required: true },
    { key: 'industry', label: '所属产业', required: true },
    { key: 'field', label: '技术领域', required: true },
    { key: 'keywords', label: '关键词' },
    { key: 'trlMin', label: '最低技术成熟度' },
    { key: 'budget', label: '预算（元）' },
    { key: 'deadline', label: '截止日期' },
    { key: 'cooperationModes', label: '合作方式', required: true },
    { key: 'confidential', label: '是否保密' },
    { key: 'currentSituation', label: '现状' },
    { key: 'targetIndicators', label: '目标指标' },
    { key: 'constraints', label: '约束条件' },
    { key: 'enterprise', label: '需求企业', required: true },
    { key: 'enterpriseRegion', label: '企业所在地代码' },
    ...contactColumns,
  ],
  scenario: [
    { key: 'id', label: '编号', required: true },
    { key: 'title', label: '场景名称', required: true },
    { key: 'description', label: '场景描述', required: true },
    { key: 'sector', label: '所属产业', required: true },
    { key: 'field', label: '技术领域' },
    { key: 'capability', label: '能力需求' },
    { key: 'keywords', label: '关键词' },
    { key: 'budget', label: '预算（元）' },
    { key: 'deadline', label: '截止日期' },
    { key: 'batch', label: '批次' },
    { key: 'ownerDepartment', label: '场景提供单位' },
    ...contactColumns,
  ],
}

/** The column naming the owning organisation, and the one giving its region. */
export const OWNER_COLUMN: Record<ListingKind, { name: string; region: string } | null> = {
  achievement: { name: 'owner', region: 'ownerRegion' },
  demand: { name: 'enterprise', region: 'enterpriseRegion' },
  scenario: null,
}

/** Demand details that only the owner, brokers and the bureau see: never exported, never erased by an import. */
export const CONFIDENTIAL_FIELDS: Record<ListingKind, string[]> = {
  achievement: ['confidentialDetails'],
  demand: ['currentSituation', 'targetIndicators', 'constraints'],
  scenario: [],
}

/** The source of an import that names none: with a row's id it identifies a record. */
export const DEFAULT_SOURCE = 'import'

export const MAX_EXTERNAL_ID = 128
export const MAX_BATCH_NUMBER = 50

/** A cell as read from a file: JSON values, spreadsheet strings and numbers, lists. */
export type CellValue = string | number | boolean | null | CellValue[] | { [key: string]: CellValue }

export interface SourceRow {
  /** The row as a person sees it in Excel (header = 1), or the index in a JSON array. */
  row: number
  values: Record<string, CellValue>
}

export interface ParsedFile {
  format: 'csv' | 'xlsx' | 'json'
  /** What the header row contained, as written. */
  header: string[]
  /** The row number of the header (CSV/XLSX), 0 for JSON. */
  headerRow: number
  rows: SourceRow[]
  /** Message keys a person should know about (extra sheets ignored, unknown columns …). */
  notes: string[]
  encoding?: string
  sheet?: string
}

/** A problem with one cell; `key` is a message key, parameters after `?`. */
export interface RowError {
  row: number
  column: string
  key: string
}

export type ListingInputOf<K extends ListingKind> = K extends 'achievement' ? AchievementInput : K extends 'demand' ? DemandInput : ScenarioInput

export interface ExchangeRecord {
  row: number
  externalId: string
  input: AchievementInput | DemandInput | ScenarioInput
  owner?: { name: string; region?: string }
  batch?: string
}

const SCHEMAS: Record<ListingKind, z.ZodType> = {
  achievement: AchievementInputSchema,
  demand: DemandInputSchema,
  scenario: ScenarioInputSchema,
}

const normaliseHeader = (h: string) => h.replace(/^\uFEFF/, '').trim()

/** Maps the header of a file to column keys: a key (any case) or its Chinese label; null when unknown. */
export function matchHeader(kind: ListingKind, header: string[]): (string | null)[] {
  const columns = EXCHANGE_COLUMNS[kind]
  return header.map((raw) => {
    const h = normaliseHeader(raw)
    const lower = h.toLowerCase()
    return columns.find((c) => c.key.toLowerCase() === lower || c.label === h)?.key ?? null
  })
}

/** Whether a header row looks like this kind's (it has the id and title columns). */
export function looksLikeHeader(kind: ListingKind, header: string[]): boolean {
  const keys = new Set(matchHeader(kind, header))
  return keys.has('id') && keys.has('title')
}

/** Required columns the header lacks (the owner column only when the file names owners). */
export function missingColumns(kind: ListingKind, keys: Iterable<string>, { ownersFromFile }: { ownersFromFile: boolean }): string[] {
  const have = new Set(keys)
  const owner = OWNER_COLUMN[kind]?.name
  return EXCHANGE_COLUMNS[kind].filter((c) => c.required && !have.has(c.key) && (ownersFromFile || c.key !== owner)).map((c) => c.key)
}

// ─── From a row to a listing input ──────────────────────────────────────────────────

const ISO_DATE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/

/** Dates as Excel users write them (2027/3/1, 2027年3月1日, 2027-03-01T00:00:00Z) → 2027-03-01. */
export function normaliseDate(value: CellValue): CellValue {
  if (typeof value !== 'string') return value
  const s = value.trim()
  const m = ISO_DATE.exec(s)
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`
  const withTime = /^(\d{4}-\d{2}-\d{2})[T ]00:00(:00(\.0+)?)?(Z|[+-]00:?00)?$/.exec(s)
  return withTime ? withTime[1]! : s
}

/** Blank cells count as absent; text is trimmed. */
function clean(value: CellValue | undefined): CellValue | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'string') {
    const s = value.trim()
    return s === '' ? undefined : s
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return value
}

const TRUE = new Set(['是', 'true', '1', 'yes', 'y', 'on', '保密'])
const FALSE = new Set(['否', 'false', '0', 'no', 'n', 'off', '公开'])

function readBoolean(value: CellValue): boolean | null {
  if (typeof value === 'boolean') return value
  const text = String(value).trim().toLowerCase()
  return TRUE.has(text) ? true : FALSE.has(text) ? false : null
}

// Spreadsheets hand over numbers where text is meant (an id, a phone number): read them as text.
const NUMERIC = new Set(['trl', 'trlMin', 'askingPrice', 'budget'])
const idSchema = requiredText(MAX_EXTERNAL_ID)
const batchSchema = requiredText(MAX_BATCH_NUMBER, 2)

/** Checks one row; with `ownersFromFile`, the owner column names the owning organisation. */
export function validateRow(
  kind: ListingKind,
  source: SourceRow,
  { ownersFromFile }: { ownersFromFile: boolean },
): { record: ExchangeRecord; errors: [] } | { record: null; errors: RowError[] } {
  const errors: RowError[] = []
  const v: Record<string, CellValue | undefined> = {}
  for (const [key, value] of Object.entries(source.values)) v[key] = clean(value)
  const fail = (column: string, key: string) => errors.push({ row: source.row, column, key })

  const id = idSchema.safeParse(typeof v.id === 'number' ? String(v.id) : (v.id ?? undefined))
  if (!id.success) fail('id', id.error.issues[0]!.message)

  const input: Record<string, unknown> = {}
  const skip = new Set(['id', 'owner', 'ownerRegion', 'enterprise', 'enterpriseRegion', 'batch'])
  for (const column of EXCHANGE_COLUMNS[kind]) {
    if (skip.has(column.key)) continue
    const value = v[column.key]
    if (value === undefined) continue
    if (column.key === 'deadline') input.deadline = normaliseDate(value)
    else if (column.key === 'confidential') {
      // A misread flag would publish what should stay hidden: only clear answers count.
      const flag = readBoolean(value)
      if (flag === null) fail('confidential', 'err.import.boolean')
      else input.confidential = flag
    }
    else if (typeof value === 'number' && !NUMERIC.has(column.key)) input[column.key] = String(value)
    else input[column.key] = value
  }
  const parsed = SCHEMAS[kind].safeParse(input)
  if (!parsed.success) {
    const seen = new Set<string>()
    for (const issue of parsed.error.issues) {
      const column = String(issue.path[0] ?? 'id')
      if (seen.has(column)) continue
      seen.add(column)
      fail(column, issue.message.startsWith('err.') ? issue.message : 'err.import.invalidValue')
    }
  }

  let owner: ExchangeRecord['owner']
  const ownerColumn = OWNER_COLUMN[kind]
  if (ownerColumn && ownersFromFile) {
    const name = orgName.safeParse(v[ownerColumn.name] === undefined ? undefined : String(v[ownerColumn.name]))
    if (!name.success) fail(ownerColumn.name, name.error.issues[0]!.message)
    const region = v[ownerColumn.region] === undefined ? undefined : String(v[ownerColumn.region])
    if (region !== undefined && !/^\d{6}$/.test(region)) fail(ownerColumn.region, 'err.region')
    if (name.success) owner = { name: name.data, region }
  }

  let batch: string | undefined
  if (kind === 'scenario' && v.batch !== undefined) {
    const parsedBatch = batchSchema.safeParse(String(v.batch))
    if (parsedBatch.success) batch = parsedBatch.data
    else fail('batch', parsedBatch.error.issues[0]!.message)
  }

  if (errors.length || !parsed.success || !id.success) return { record: null, errors: sortErrors(kind, errors) }
  return {
    record: { row: source.row, externalId: id.data, input: parsed.data as ExchangeRecord['input'], owner, batch },
    errors: [],
  }
}

/** Checks a whole file: the header, every row, and ids used twice (an error on the later row). */
export function validateRows(kind: ListingKind, file: ParsedFile, { ownersFromFile }: { ownersFromFile: boolean }) {
  const errors: RowError[] = []
  const matched = matchHeader(kind, file.header)
  for (const column of missingColumns(kind, matched.filter((k): k is string => !!k), { ownersFromFile })) {
    errors.push({ row: file.headerRow, column, key: msg('err.import.missingColumn', { column }) })
  }
  if (errors.length) return { records: [] as ExchangeRecord[], errors, invalidRows: 0 }
  const records: ExchangeRecord[] = []
  const firstRowOfId = new Map<string, number>()
  let invalidRows = 0
  for (const source of file.rows) {
    const result = validateRow(kind, source, { ownersFromFile })
    const rowErrors: RowError[] = result.errors
    if (result.record) {
      const first = firstRowOfId.get(result.record.externalId)
      if (first !== undefined) rowErrors.push({ row: source.row, column: 'id', key: msg('err.import.duplicateId', { row: first }) })
      else {
        firstRowOfId.set(result.record.externalId, source.row)
        records.push(result.record)
      }
    } else {
      const id = source.values.id
      const key = typeof id === 'string' ? id.trim() : typeof id === 'number' ? String(id) : ''
      // A later row with the same id is the duplicate, even when the first one has other problems.
      if (key && firstRowOfId.has(key)) rowErrors.push({ row: source.row, column: 'id', key: msg('err.import.duplicateId', { row: firstRowOfId.get(key)! }) })
      else if (key) firstRowOfId.set(key, source.row)
    }
    if (rowErrors.length) {
      invalidRows++
      errors.push(...rowErrors)
    }
  }
  return { records, errors, invalidRows }
}

function sortErrors(kind: ListingKind, errors: RowError[]): RowError[] {
  const order = new Map(EXCHANGE_COLUMNS[kind].map((c, i) => [c.key, i]))
  return errors.sort((a, b) => a.row - b.row || (order.get(a.column) ?? 99) - (order.get(b.column) ?? 99))
}

/** An error for people and machines: the row, the column, the message key as a code, the text. */
export function describeError(error: RowError, t: (key: string) => string) {
  return { row: error.row, column: error.column, code: error.key.split('?')[0]!, message: t(error.key) }
}

// ─── From a listing to a row ────────────────────────────────────────────────────────

const name = <T extends Record<string, string>>(table: T, code: unknown) => (typeof code === 'string' && code in table ? table[code as keyof T] : null)
const names = (table: Record<string, string>, codes: unknown) => (Array.isArray(codes) ? codes.map((c) => name(table, c) ?? String(c)) : [])
/** Fen → yuan as a number with at most two decimals; null stays null (面议). */
export const fenToYuan = (fen: unknown) => (fen === null || fen === undefined ? null : Number(fen) / 100)
const isoDate = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : typeof d === 'string' ? d.slice(0, 10) : null)

/** The values of one exported row: Chinese names for codes, yuan for fen, lists as arrays. */
export type ExchangeValue = string | number | boolean | null | string[]

export interface ExportableRow {
  [key: string]: unknown
  id: string
  org?: { name: string; regionCode: string } | null
  batch?: { number: string } | null
}

export function exportColumns(kind: ListingKind): string[] {
  return EXCHANGE_COLUMNS[kind].filter((c) => !c.importOnly).map((c) => c.key)
}

/** One listing in the exchange format, in column order. Confidential details are never written. */
export function toExchangeRow(kind: ListingKind, row: ExportableRow): Record<string, ExchangeValue> {
  const values = exchangeValues(kind, row)
  return Object.fromEntries(exportColumns(kind).map((key) => [key, values[key] ?? null]))
}

function exchangeValues(kind: ListingKind, row: ExportableRow): Record<string, ExchangeValue> {
  const base = {
    id: row.id,
    title: String(row.title ?? ''),
    keywords: (row.keywords as string[] | undefined) ?? [],
  }
  if (kind === 'achievement') {
    return {
      ...base,
      summary: String(row.summary ?? ''),
      field: name(TECH_FIELDS, row.field),
      industry: name(INDUSTRIES, row.industry),
      keywords: base.keywords,
      trl: Number(row.trl),
      stage: name(STAGES, row.stage),
      ipType: name(IP_TYPES, row.ipType),
      ipNumbers: (row.ipNumbers as string[] | undefined) ?? [],
      ipStatus: (row.ipStatus as string | null) ?? null,
      transferModes: names(TRANSFER_MODES, row.transferModes),
      askingPrice: fenToYuan(row.askingPriceFen),
      owner: row.org?.name ?? null,
      ownerRegion: row.org?.regionCode ?? null,
    }
  }
  if (kind === 'demand') {
    const secret = !!row.confidential
    return {
      ...base,
      description: String(row.description ?? ''),
      industry: name(INDUSTRIES, row.industry),
      field: name(TECH_FIELDS, row.field),
      keywords: base.keywords,
      trlMin: (row.trlMin as number | null) ?? null,
      budget: fenToYuan(row.budgetFen),
      deadline: isoDate(row.deadline),
      cooperationModes: names(TRANSFER_MODES, row.cooperationModes),
      confidential: secret,
      currentSituation: secret ? null : ((row.currentSituation as string | null) ?? null),
      targetIndicators: secret ? null : ((row.targetIndicators as string | null) ?? null),
      constraints: secret ? null : ((row.constraints as string | null) ?? null),
      enterprise: row.org?.name ?? null,
      enterpriseRegion: row.org?.regionCode ?? null,
    }
  }
  return {
    ...base,
    description: String(row.description ?? ''),
    sector: name(INDUSTRIES, row.sector),
    field: name(TECH_FIELDS, row.field),
    capability: (row.capability as string | null) ?? null,
    keywords: base.keywords,
    budget: fenToYuan(row.budgetFen),
    deadline: isoDate(row.deadline),
    batch: row.batch?.number ?? null,
    ownerDepartment: (row.ownerDepartment as string | null) ?? null,
  }
}

/** A value as a spreadsheet cell: lists joined with ;, booleans as 是/否, 面议 for no price. */
export function toCell(column: string, value: ExchangeValue): string | number | null {
  if (Array.isArray(value)) return value.join(';')
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (value === null && (column === 'askingPrice' || column === 'budget')) return '面议'
  return value
}
