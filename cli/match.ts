import type { Command } from 'commander'
import { z } from 'zod'
import { delegate } from '~/domain/listings/listings.server'
import { matchListing, type MatchResult } from '~/domain/matching/match.server'
import { prisma } from '~/infra/db/client.server'
import { UsageError } from './main'

const KINDS = { demand: 'demand', scenario: 'scenario', achievement: 'achievement' } as const
const Limit = z.coerce.number().int().min(1).max(100)

/** The JSON shape of one match list: keyed by the kinds on both sides. */
function toJson(result: MatchResult) {
  return {
    [result.source.kind]: { id: result.source.id, externalId: result.source.externalId, title: result.source.title },
    noGoodMatch: result.noGoodMatch,
    matches: result.matches.map((m) => ({
      [m.listing.kind]: { id: m.listing.id, externalId: m.listing.externalId, title: m.listing.title },
      score: m.score,
      confidence: m.confidence,
      reasons: m.reasons.map((r) => r.text),
    })),
  }
}

function print(result: MatchResult) {
  console.log(`${result.source.title} (${result.source.externalId ?? result.source.id})`)
  if (result.noGoodMatch) {
    console.log('  没有足够好的匹配 (no good match): 建议请技术经纪人协助挖掘 (ask a broker)')
    return
  }
  result.matches.forEach((m, i) => {
    console.log(`  ${i + 1}. [${m.score.toFixed(2)} ${m.confidence}] ${m.listing.title} (${m.listing.externalId ?? m.listing.id}) — ${m.listing.orgName}`)
    for (const r of m.reasons) console.log(`       ${r.fit ? '+' : '-'} ${r.text}`)
  })
}

export function registerMatchCommand(program: Command) {
  const match = program
    .command('match')
    .description('matches, explained: demand|scenario → achievements, achievement → demands')

  for (const kind of Object.values(KINDS)) {
    match
      .command(`${kind} <id>`)
      .description(`matches for one ${kind} (its platform id or its external id)`)
      .option('--limit <n>', 'at most this many matches', '10')
      .option('--json', 'print JSON')
      .action(async (id: string, options: { limit: string; json?: boolean }) => {
        const limit = Limit.safeParse(options.limit)
        if (!limit.success) throw new UsageError('--limit takes a whole number from 1 to 100')
        const result = await matchListing({ actor: 'system', kind, id, limit: limit.data })
        if (options.json) console.log(JSON.stringify(toJson(result)))
        else print(result)
      })
  }

  match
    .command('demands')
    .description('matches for every published demand, one JSON line each')
    .requiredOption('--all', 'every published demand')
    .option('--json', 'print JSON lines (the only format for --all)')
    .option('--limit <n>', 'at most this many matches per demand', '10')
    .action(async (options: { limit: string }) => {
      const limit = Limit.safeParse(options.limit)
      if (!limit.success) throw new UsageError('--limit takes a whole number from 1 to 100')
      const db = await prisma()
      let cursor: string | undefined
      for (;;) {
        const page = (await delegate(db, 'demand').findMany({
          where: { status: 'PUBLISHED' },
          select: { id: true },
          orderBy: { id: 'asc' },
          take: 200,
          ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        })) as unknown as { id: string }[]
        for (const { id } of page) {
          console.log(JSON.stringify(toJson(await matchListing({ actor: 'system', kind: 'demand', id, limit: limit.data }))))
        }
        if (page.length < 200) break
        cursor = page[page.length - 1]!.id
      }
    })
}
