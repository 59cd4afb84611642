import { z } from 'zod'
import type { Prisma } from '~/generated/prisma/client'
import { LISTING_KINDS, type ListingKind } from '~/domain/listings/kinds'
import { demandPublicText, grantedListingIds, keepPublicTerms } from '~/domain/deals/disclosure.server'
import { canSeeConfidential, delegate } from '~/domain/listings/listings.server'
import { translator, type Locale } from '~/i18n/i18n'
import { prisma } from '~/infra/db/client.server'
import { AppError } from '~/domain/errors'
import type { Actor } from '~/domain/users/accounts.server'
import { canSeeMatches, findListingRow, MATCH_TARGET, matchListing, reasonText, type MatchResult } from './match.server'
import type { Reason } from './rerank'

/**
 * Match lists kept up to date: whenever a listing changes, the outbox recomputes its matches
 * (a need's achievements, an achievement's needs) and stores the pairs, so that pages read
 * them instead of computing, and new pairs can be noticed.
 */
const Payload = z.object({ kind: z.enum(LISTING_KINDS), id: z.string() })
const STORED = 30

export async function recomputeMatches(payload: unknown) {
  const { kind, id } = Payload.parse(payload)
  const db = await prisma()
  const row = (await delegate(db, kind).findFirst({ where: { id }, select: { id: true, status: true } })) as { status: string } | null
  if (!row || row.status !== 'PUBLISHED') {
    await db.listingMatch.deleteMany({ where: kind === 'achievement' ? { offerId: id } : { needKind: kind, needId: id } })
    return
  }
  const result = await matchListing({ actor: 'system', kind, id, limit: STORED })
  const pairs = result.matches.map((m) => ({
    needKind: kind === 'achievement' ? m.listing.kind : kind,
    needId: kind === 'achievement' ? m.listing.id : id,
    offerId: kind === 'achievement' ? id : m.listing.id,
    score: m.score,
    confidence: m.confidence,
    reasons: m.reasons.map(({ code, fit, params }) => ({ code, fit, params })) as Prisma.InputJsonValue,
  }))
  await db.$transaction(async (tx) => {
    const mine = kind === 'achievement' ? { offerId: id } : { needKind: kind, needId: id }
    await tx.listingMatch.deleteMany({ where: mine })
    if (pairs.length) await tx.listingMatch.createMany({ data: pairs, skipDuplicates: true })
  })
}

/** The stored match list of a listing, in the reader's language; null when none is stored. */
export async function storedMatches({ kind, id, locale = 'zh-CN', limit = 10 }: { kind: ListingKind; id: string; locale?: Locale; limit?: number }): Promise<(MatchResult & { computedAt: Date }) | null> {
  const db = await prisma()
  const rows = await db.listingMatch.findMany({
    where: kind === 'achievement' ? { offerId: id } : { needKind: kind, needId: id },
    orderBy: [{ score: 'desc' }, { id: 'asc' }],
    take: limit,
  })
  if (!rows.length) return null
  const source = (await delegate(db, kind).findFirst({ where: { id }, select: { id: true, externalId: true, title: true } })) as unknown as {
    id: string
    externalId: string | null
    title: string
  }
  const targetIds = rows.map((r) => (kind === 'achievement' ? r.needId : r.offerId))
  const target = MATCH_TARGET[kind]
  const kinds: ListingKind[] = kind === 'achievement' ? [...new Set(rows.map((r) => r.needKind as ListingKind))] : [target]
  const listings = new Map<string, { id: string; externalId: string | null; title: string; org: { name: string } }>()
  for (const k of kinds) {
    const found = (await delegate(db, k).findMany({
      where: { id: { in: targetIds }, status: 'PUBLISHED' },
      select: { id: true, externalId: true, title: true, org: { select: { name: true } } },
    })) as unknown as { id: string; externalId: string | null; title: string; org: { name: string } }[]
    for (const l of found) listings.set(l.id, l)
  }
  const t = translator(locale)
  const matches = rows.flatMap((r) => {
    const otherId = kind === 'achievement' ? r.needId : r.offerId
    const other = listings.get(otherId)
    if (!other) return []
    const reasons = r.reasons as unknown as Reason[]
    return [
      {
        listing: { kind: (kind === 'achievement' ? r.needKind : target) as ListingKind, id: other.id, externalId: other.externalId, title: other.title, orgName: other.org.name },
        score: r.score,
        confidence: r.confidence as 'strong' | 'possible',
        reasons: reasons.map((reason) => ({ ...reason, text: reasonText(t, reason) })),
      },
    ]
  })
  return {
    source: { kind, id: source.id, externalId: source.externalId, title: source.title },
    noGoodMatch: matches.length === 0,
    matches,
    engine: 'stored',
    computedAt: rows.reduce((max, r) => (r.computedAt > max ? r.computedAt : max), rows[0]!.computedAt),
  }
}

/**
 * What a detail page shows: the stored list when there is one, else computed now. Only for
 * the listing's owner, brokers and the bureau.
 */
export async function matchesForViewer({
  actor,
  kind,
  id,
  locale,
  limit = 10,
}: {
  actor: Actor | null
  kind: ListingKind
  id: string
  locale?: Locale
  limit?: number
}): Promise<MatchResult & { computedAt: Date | null }> {
  const row = await findListingRow(kind, id)
  if (!canSeeMatches(actor, row)) throw new AppError(actor ? 'FORBIDDEN' : 'UNAUTHENTICATED', actor ? 'err.forbidden' : 'err.signInRequired')
  const stored = await storedMatches({ kind, id: row.id, locale, limit })
  const result = stored ?? { ...(await matchListing({ actor: 'system', kind, id: row.id, limit, locale })), computedAt: null }
  return withPublicTerms(actor, result, locale)
}

/**
 * The reasons of a pair may have been computed from the demand's side, from its full text:
 * listed to someone who may not see that demand's confidential part (the owner of a matched
 * achievement, before an NDA), they name only words of its public text.
 */
async function withPublicTerms<T extends MatchResult>(actor: Actor | null, result: T, locale: Locale = 'zh-CN'): Promise<T> {
  const demandIds = result.matches.filter((m) => m.listing.kind === 'demand').map((m) => m.listing.id)
  const hidden = await hiddenNeedTexts(actor, demandIds)
  if (!hidden.size) return result
  const t = translator(locale)
  return {
    ...result,
    matches: result.matches.map((m) => {
      const text = m.listing.kind === 'demand' ? hidden.get(m.listing.id) : undefined
      return text === undefined ? m : { ...m, reasons: keepPublicTerms(m.reasons, text).map((r) => ({ ...r, text: reasonText(t, r) })) }
    }),
  }
}

/** Of these demands, the public text of those whose confidential part the actor may not see. */
export async function hiddenNeedTexts(actor: Actor | null | undefined, demandIds: string[]): Promise<Map<string, string>> {
  if (!demandIds.length) return new Map()
  const db = await prisma()
  const rows = await db.demand.findMany({
    where: { id: { in: demandIds }, confidential: true },
    select: { id: true, orgId: true, title: true, description: true, keywords: true },
  })
  const granted = await grantedListingIds(db, actor, 'demand', rows.map((r) => r.id))
  return new Map(rows.filter((r) => !canSeeConfidential(actor, r, granted.has(r.id))).map((r) => [r.id, demandPublicText(r)]))
}
