import type { Command } from 'commander'
import { MeilisearchError } from 'meilisearch'
import { reindex, type ReindexEngine, type ReindexProgress } from '~/domain/search/sync.server'
import { getEnv } from '~/infra/env.server'
import { MeilisearchStartError, stopLocalMeilisearch } from '~/infra/search/meili-process.server'
import { applyIndexSettings, loadIndexConfig, meiliClient, meiliConnection, type SettingChange } from '~/infra/search/meilisearch.server'
import { CommandFailed, UsageError } from './main'

const ENGINES: ReindexEngine[] = ['meilisearch', 'embedded', 'all']

export function registerSearchCommands(program: Command) {
  const search = program.command('search').description('search engines: Meilisearch settings (see docs/search.md)')

  search
    .command('setup')
    .description('apply search/meilisearch.json (with synonyms.json and stopwords.txt) to the Meilisearch index and print what changed')
    .option('--dry-run', 'only print what would change')
    .option('--index <uid>', 'index uid (default: the one in search/meilisearch.json)')
    .action(async (options: { dryRun?: boolean; index?: string }) => {
      try {
        const config = loadIndexConfig()
        const uid = options.index ?? config.index
        const { url, apiKey, local } = await meiliConnection()
        const client = meiliClient({ host: url, apiKey, timeout: 30_000 })
        console.log(`Meilisearch: ${local ? 'bundled, ' : ''}${url}, index ${uid}`)
        const { created, changes } = await applyIndexSettings(client, uid, { config, dryRun: options.dryRun })
        if (created) console.log(options.dryRun ? `index ${uid} does not exist: it would be created with all settings` : `created index ${uid} with all settings`)
        else if (!changes.length) console.log('settings are up to date')
        else {
          for (const change of changes) console.log(`${options.dryRun ? 'would change' : 'changed'} ${describeChange(change)}`)
          if (!options.dryRun) console.log(`${changes.length} setting(s) applied; Meilisearch re-indexes in the background if they need it`)
        }
        if (getEnv().KZ_SEARCH !== 'meilisearch') console.log('note: KZ_SEARCH is not meilisearch, so the app does not use this index')
      } catch (error) {
        reportMeilisearchError(error)
      } finally {
        await stopLocalMeilisearch()
      }
    })

  program
    .command('reindex')
    .description('rebuild the search indexes from the database (Meilisearch without a window of empty results)')
    .option('--engine <engine>', `${ENGINES.join(' | ')} (default: all with KZ_SEARCH=meilisearch, else embedded)`)
    .option('--batch-size <n>', 'listings per batch', '500')
    .action(async (options: { engine?: string; batchSize: string }) => {
      const engine = (options.engine ?? (getEnv().KZ_SEARCH === 'meilisearch' ? 'all' : 'embedded')) as ReindexEngine
      if (!ENGINES.includes(engine)) throw new UsageError(`--engine: one of ${ENGINES.join(', ')}`)
      const batchSize = Number(options.batchSize)
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch-size: a whole number from 1 to 10000')
      const bar = progressBar(process.stderr)
      try {
        const result = await reindex({ engine, batchSize, onProgress: bar.update })
        bar.end()
        if (result.embedded) {
          const e = result.embedded
          console.log(`embedded: ${e.documents} documents, ${e.removed} stale removed, ${e.ms} ms`)
        }
        if (result.meilisearch) {
          const m = result.meilisearch
          console.log(`meilisearch: ${m.documents} documents into ${m.index} (swapped in), ${m.caughtUp} changed meanwhile synced again, ${m.ms} ms`)
          if (m.superseded) console.log(`meilisearch: ${m.superseded} failed search.sync outbox row(s) superseded`)
        }
      } catch (error) {
        bar.end()
        reportMeilisearchError(error)
      } finally {
        bar.end()
        await stopLocalMeilisearch()
      }
    })
}

/** Meilisearch unreachable, refusing the key, or not starting: one plain line, exit code 1. */
function reportMeilisearchError(error: unknown): never {
  if (error instanceof MeilisearchError || error instanceof MeilisearchStartError) {
    const causes: string[] = []
    for (let c = (error as { cause?: unknown }).cause; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
      const { code, message } = c as { code?: string; message?: string }
      if (code || message) causes.push(code ?? message!)
    }
    console.error(`error: Meilisearch: ${error.message}${causes.length ? ` (${causes.join(': ')})` : ''}`)
    throw new CommandFailed(1)
  }
  throw error
}

function describeChange({ key, before, after }: SettingChange): string {
  if (key === 'synonyms') {
    const b = Object.keys((before as Record<string, string[]>) ?? {}).length
    const a = Object.keys(after as Record<string, string[]>).length
    return `synonyms: ${b} → ${a} words`
  }
  if (Array.isArray(after) && Array.isArray(before) && after.every((v) => typeof v === 'string')) {
    const added = after.filter((v) => !(before as unknown[]).includes(v))
    const removed = (before as unknown[]).filter((v) => !after.includes(v as string))
    const order = !added.length && !removed.length ? ' (order)' : ''
    const list = (values: unknown[]) => values.slice(0, 8).join(', ') + (values.length > 8 ? ` … (${values.length})` : '')
    return `${key}:${added.length ? ` +[${list(added)}]` : ''}${removed.length ? ` -[${list(removed)}]` : ''}${order} → ${JSON.stringify(after).slice(0, 200)}`
  }
  return `${key}: ${JSON.stringify(before ?? null)} → ${JSON.stringify(after)}`.slice(0, 400)
}

/** A progress bar on stderr (a line per phase and every 10 % when stderr is not a terminal). */
function progressBar(stream: NodeJS.WriteStream) {
  let open = false
  let lastDraw = 0
  let lastKey = ''
  let lastTenth = -1
  const update = (p: ReindexProgress) => {
    const pct = p.total ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 100
    const label = `${p.engine.padEnd(11)} ${p.phase.padEnd(11)}`
    if (stream.isTTY) {
      const now = Date.now()
      if (now - lastDraw < 80 && p.phase === 'indexing' && p.done < p.total) return
      lastDraw = now
      const width = 30
      const filled = Math.round((pct / 100) * width)
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${String(pct).padStart(3)}%\u001b[K`)
      open = true
      if (p.phase === 'done') {
        stream.write('\n')
        open = false
      }
      return
    }
    const key = `${p.engine}:${p.phase}`
    const tenth = Math.floor(pct / 10)
    if (key === lastKey && tenth === lastTenth) return
    lastKey = key
    lastTenth = tenth
    stream.write(`${label} ${p.done}/${p.total} ${pct}%\n`)
  }
  return {
    update,
    end() {
      if (open) stream.write('\n')
      open = false
    },
  }
}
