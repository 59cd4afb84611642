import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { isAppError } from '~/domain/errors'
import { describeError } from '~/domain/listings/exchange'
import { readExchangeFile } from '~/domain/listings/exchange-files.server'
import { DEFAULT_SOURCE, importListings, SourceSchema } from '~/domain/listings/import.server'
import { kindFromPath, type ListingKind } from '~/domain/listings/kinds'
import { translator } from '~/i18n/i18n'
import { CommandFailed, UsageError } from './main'

const t = translator('zh-CN')

/** achievements | demands | scenarios (the singular is accepted too). */
export function parseKind(value: string): ListingKind {
  const kind = kindFromPath(value) ?? kindFromPath(`${value}s`)
  if (!kind) throw new UsageError(`unknown kind "${value}": use achievements, demands or scenarios`)
  return kind
}

export function registerImportCommand(program: Command) {
  program
    .command('import')
    .description('import listings from a CSV, XLSX or JSON file in the exchange format (docs/exchange-format.md)')
    .argument('<kind>', 'achievements | demands | scenarios')
    .argument('<file>', 'a .csv (UTF-8 or GBK), .xlsx or .json file')
    .option('--source <name>', 'where the records come from; with each row\'s id it identifies a record, so importing again updates', DEFAULT_SOURCE)
    .option('--skip-invalid', 'import the valid rows and report the others (default: any invalid row stops the import)')
    .option('--json', 'print a machine-readable summary on stdout')
    .action(async (kindArg: string, fileArg: string, options: { source: string; skipInvalid?: boolean; json?: boolean }) => {
      const kind = parseKind(kindArg)
      const source = SourceSchema.safeParse(options.source)
      if (!source.success) throw new UsageError(`--source: ${t('err.import.source')}`)
      const file = await readFile(kind, fileArg)
      for (const note of file.notes) process.stderr.write(`note: ${t(note)}\n`)

      const progress = progressReporter(file.rows.length)
      if (file.rows.length > 500) process.stderr.write(`校验 ${file.rows.length} 行…\n`)
      const { plan, summary } = await importListings({
        actor: 'system',
        kind,
        file,
        source: source.data,
        skipInvalid: options.skipInvalid,
        onProgress: progress.update,
      }).catch((error: unknown) => {
        progress.done()
        if (!isAppError(error)) throw error
        process.stderr.write(`error: ${t(error.message)}\n`)
        throw new CommandFailed(1)
      })
      progress.done()

      const errors = summary.errors.map((e) => describeError(e, t))
      const where = (row: number) => (plan.format === 'json' ? `[${row}]` : `第 ${row} 行`)
      if (options.json) {
        process.stdout.write(JSON.stringify({ created: summary.created, updated: summary.updated, skipped: summary.skipped, errors }, null, 2) + '\n')
      } else {
        for (const e of errors) process.stderr.write(`${where(e.row)} ${e.column}: ${e.message} (${e.code})\n`)
        for (const org of plan.newOrgs) process.stdout.write(`新建机构（待认证）: ${org.name}\n`)
        for (const batch of plan.newBatches) process.stdout.write(`新建场景批次: ${batch}\n`)
        process.stdout.write(`新建 ${summary.created} 条，更新 ${summary.updated} 条，跳过 ${summary.skipped} 条（来源 ${plan.source}）\n`)
      }
      if (!summary.written) {
        process.stderr.write(`error: ${plan.invalidRows || errors.length} 行有错误，未写入任何数据${plan.records.length ? '（可用 --skip-invalid 只导入有效行）' : ''}\n`)
        throw new CommandFailed(1)
      }
    })
}

async function readFile(kind: ListingKind, fileArg: string) {
  const file = path.resolve(fileArg)
  let bytes: Buffer
  try {
    if (!statSync(file).isFile()) throw new UsageError(`${fileArg}: not a file`)
    bytes = readFileSync(file)
  } catch (error) {
    if (error instanceof UsageError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(code === 'ENOENT' ? `${fileArg}: no such file` : `${fileArg}: cannot read (${code ?? (error as Error).message})`)
  }
  try {
    return await readExchangeFile(kind, bytes, file)
  } catch (error) {
    // An unreadable file is a usage problem (exit code 2), stated in Chinese like the row errors.
    if (isAppError(error)) throw new UsageError(`${fileArg}: ${t(error.message)}`)
    throw error
  }
}

/** A bar updated in place on a terminal; a line every 10 % otherwise. Quiet for short files. */
function progressReporter(rows: number) {
  const tty = !!process.stderr.isTTY
  const enabled = rows > 500
  let lastTenth = -1
  let drawn = false
  return {
    update: (done: number, total: number) => {
      if (!enabled || total === 0) return
      const share = done / total
      if (tty) {
        const width = 30
        const filled = Math.round(share * width)
        process.stderr.write(`\r导入 [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.floor(share * 100)}% ${done}/${total}`)
        drawn = true
      } else {
        const tenth = Math.floor(share * 10)
        if (tenth > lastTenth) {
          lastTenth = tenth
          process.stderr.write(`导入 ${tenth * 10}% (${done}/${total})\n`)
        }
      }
    },
    done: () => {
      if (drawn) process.stderr.write('\n')
    },
  }
}
