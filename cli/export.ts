import { createWriteStream } from 'node:fs'
import path from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import type { Command } from 'commander'
import { INDUSTRIES, LISTING_STATUSES, parseClassification, STAGES, TECH_FIELDS, TRANSFER_MODES } from '~/domain/listings/classifications'
import { EXPORT_FORMATS, exportRows, exportStream, type ExportFormat } from '~/domain/listings/export.server'
import { ListQuerySchema } from '~/domain/listings/query'
import type { Actor } from '~/domain/users/accounts.server'
import { translator } from '~/i18n/i18n'
import { parseKind } from './import'
import { UsageError } from './main'

const t = translator('zh-CN')

// The CLI reads every status when asked (--status); it acts as the platform, never as a member.
const SYSTEM_REVIEWER: Actor = { id: 'system', role: 'ADMIN', orgId: null, isOrgAdmin: false }

/** Filters as on the list pages; classifications by code or Chinese name. */
const FILTERS: { flag: string; key: string; table?: Record<string, string>; help: string }[] = [
  { flag: '--q <text>', key: 'q', help: 'text in the title, summary or keywords' },
  { flag: '--field <field>', key: 'field', table: TECH_FIELDS, help: 'technical field (code or Chinese name, e.g. 新材料)' },
  { flag: '--industry <industry>', key: 'industry', table: INDUSTRIES, help: 'industry (e.g. 智能装备)' },
  { flag: '--stage <stage>', key: 'stage', table: STAGES, help: 'achievements: stage (e.g. 中试)' },
  { flag: '--mode <mode>', key: 'mode', table: TRANSFER_MODES, help: 'transfer / cooperation mode (e.g. 许可)' },
  { flag: '--trl-min <n>', key: 'trlMin', help: 'lowest TRL' },
  { flag: '--trl-max <n>', key: 'trlMax', help: 'highest TRL' },
  { flag: '--price-min <yuan>', key: 'priceMin', help: 'lowest price / budget in yuan' },
  { flag: '--price-max <yuan>', key: 'priceMax', help: 'highest price / budget in yuan' },
  { flag: '--region <code>', key: 'region', help: 'owner region (2, 4 or 6 digits of GB/T 2260)' },
  { flag: '--status <status>', key: 'status', table: LISTING_STATUSES, help: 'listing status (default: published only)' },
  { flag: '--stale <0|1>', key: 'stale', help: '1: only stale listings, 0: only fresh ones' },
  { flag: '--batch <id>', key: 'batch', help: 'scenarios: batch id' },
  { flag: '--sort <sort>', key: 'sort', help: 'newest | oldest | price_asc | price_desc | trl_desc | deadline' },
]

export function registerExportCommand(program: Command) {
  const command = program
    .command('export')
    .description('export listings in the exchange format (re-imports with `kezhuan import`)')
    .argument('<kind>', 'achievements | demands | scenarios')
    .option('--format <format>', EXPORT_FORMATS.join(' | '), 'csv')
    .option('--out <file>', 'write to this file (default: standard output)')
  for (const filter of FILTERS) command.option(filter.flag, filter.help)
  command.action(async (kindArg: string, options: Record<string, string | undefined>) => {
    const kind = parseKind(kindArg)
    const format = options.format as ExportFormat
    if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format: one of ${EXPORT_FORMATS.join(', ')}`)
    const raw: Record<string, string> = {}
    for (const { key, table } of FILTERS) {
      const value = options[key]?.trim()
      if (!value) continue
      raw[key] = table ? (parseClassification(table, value) ?? value) : value
    }
    const parsed = ListQuerySchema.safeParse(raw)
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `--${String(i.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${t(i.message)}`)
      throw new UsageError(problems.join('\n       '))
    }
    const query = parsed.data
    if (format === 'xlsx' && !options.out && process.stdout.isTTY) throw new UsageError('XLSX is binary: give --out FILE or redirect standard output')
    const rows = query.status ? exportRows({ actor: SYSTEM_REVIEWER, kind, query, scope: 'review' }) : exportRows({ actor: null, kind, query, scope: 'public' })
    let count = 0
    const counted = (async function* () {
      for await (const row of rows) {
        count++
        yield row
      }
    })()
    const stream = Readable.fromWeb(exportStream(kind, format, counted) as unknown as NodeReadableStream)
    if (options.out) {
      await pipeline(stream, createWriteStream(path.resolve(options.out)))
      process.stderr.write(`已导出 ${count} 条到 ${options.out}\n`)
    } else {
      await pipeline(stream, stdoutWithoutClosing())
      process.stderr.write(`已导出 ${count} 条\n`)
    }
  })
}

/** stdout must stay open after the pipeline (the process prints more and exits itself). */
function stdoutWithoutClosing() {
  return new Writable({
    write(chunk, _encoding, callback) {
      if (process.stdout.write(chunk)) callback()
      else process.stdout.once('drain', callback)
    },
  })
}
