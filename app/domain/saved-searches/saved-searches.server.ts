import type { Prisma } from '~/generated/prisma/client'
import { AppError } from '~/domain/errors'
import { KIND_PATHS, LISTING_KINDS, type ListingKind } from '~/domain/listings/kinds'
import { delegate } from '~/domain/listings/listings.server'
import { searchParamsToObject } from '~/domain/listings/query'
import { canSeeMatches } from '~/domain/matching/match.server'
import { notify } from '~/domain/notifications/notify.server'
import { SearchQuerySchema, searchListings } from '~/domain/search/search.server'
import type { Actor } from '~/domain/users/accounts.server'
import { MAX_SAVED, NAME_MAX, SavedSearchIdSchema, type SaveSearchInput } from './schemas'
import { prisma } from '~/infra/db/client.server'

/**
 * Saved searches and watched match lists, and the alerts they raise. A saved SEARCH keeps the
 * /search parameters; a MATCHES entry watches one listing's stored match list. The check runs
 * as an hourly chore (see docs/notifications.md): each listing is reported once per saved
 * search (SavedSearchHit), and only what the person could see on the page itself.
 */

/** The /search parameters worth keeping: the query, the filters and the order, not the page. */
const KEPT_PARAMS = ['q', 'kind', 'field', 'industry', 'stage', 'mode', 'trl', 'province', 'price', 'sort'] as const
const IdSchema = SavedSearchIdSchema

/** The search parameters as stored: only known ones, checked by the search's own schema, defaults left out. */
export function normaliseSearchParams(query: string): Record<string, string> {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query)
  const raw = searchParamsToObject(params)
  const parsed = SearchQuerySchema.safeParse(raw)
  if (!parsed.success) throw new AppError('BAD_INPUT', 'err.savedSearch.params', { fields: { query: 'err.savedSearch.params' } })
  const kept: Record<string, string> = {}
  for (const key of KEPT_PARAMS) {
    const value = parsed.data[key]
    if (value === undefined || value === '' || (key === 'sort' && value === 'relevance')) continue
    kept[key] = String(value)
  }
  return kept
}

/** Where a saved entry opens: the search with its parameters, or the watched listing's matches. */
export function savedSearchHref(row: { kind: 'SEARCH' | 'MATCHES'; params: unknown; listingKind: string | null; listingId: string | null }): string {
  if (row.kind === 'MATCHES') {
    const kind = (LISTING_KINDS as readonly string[]).includes(row.listingKind ?? '') ? (row.listingKind as ListingKind) : 'demand'
    return `/${KIND_PATHS[kind]}/${row.listingId}#matches-title`
  }
  const params = new URLSearchParams(paramsOf(row.params))
  const query = params.toString()
  return query ? `/search?${query}` : '/search'
}

function paramsOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {}
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'))
}

async function ensureRoom(tx: Prisma.TransactionClient, userId: string) {
  if ((await tx.savedSearch.count({ where: { userId } })) >= MAX_SAVED) {
    throw new AppError('CONFLICT', 'err.savedSearch.tooMany', { params: { max: MAX_SAVED } })
  }
}

export async function saveSearch({ actor, input }: { actor: Actor; input: SaveSearchInput }) {
  const params = normaliseSearchParams(input.query)
  const db = await prisma()
  return db.$transaction(async (tx) => {
    await ensureRoom(tx, actor.id)
    const now = new Date()
    return tx.savedSearch.create({
      data: { userId: actor.id, name: input.name, kind: 'SEARCH', params, createdAt: now, lastCheckedAt: now },
      select: { id: true, name: true, kind: true, params: true, listingKind: true, listingId: true },
    })
  })
}

function pairsOf(kind: ListingKind, id: string): Prisma.ListingMatchWhereInput {
  return kind === 'achievement' ? { offerId: id } : { needKind: kind, needId: id }
}

async function watchableListing(actor: Actor, kind: ListingKind, id: string) {
  const db = await prisma()
  const row = (await delegate(db, kind).findFirst({ where: { id }, select: { id: true, orgId: true, title: true, status: true } })) as {
    id: string
    orgId: string
    title: string
    status: string
  } | null
  if (!row || row.status !== 'PUBLISHED') throw new AppError('NOT_FOUND', 'err.notFound')
  if (!canSeeMatches(actor, row)) throw new AppError('FORBIDDEN', 'err.forbidden')
  return row
}

/**
 * Watches a listing's match list. The pairs already there are recorded as seen, so that only
 * matches that appear later raise an alert. Watching twice keeps the first entry.
 */
export async function watchMatches({ actor, kind, id }: { actor: Actor; kind: ListingKind; id: string }) {
  const listing = await watchableListing(actor, kind, id)
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const existing = await tx.savedSearch.findFirst({ where: { userId: actor.id, kind: 'MATCHES', listingKind: kind, listingId: listing.id }, select: { id: true, name: true } })
    if (existing) return { ...existing, created: false }
    await ensureRoom(tx, actor.id)
    const now = new Date()
    const row = await tx.savedSearch.create({
      data: { userId: actor.id, name: listing.title.slice(0, NAME_MAX), kind: 'MATCHES', listingKind: kind, listingId: listing.id, createdAt: now, lastCheckedAt: now },
      select: { id: true, name: true },
    })
    const pairs = await tx.listingMatch.findMany({ where: pairsOf(kind, listing.id), select: { needKind: true, needId: true, offerId: true } })
    if (pairs.length) {
      await tx.savedSearchHit.createMany({
        data: pairs.map((p) => (kind === 'achievement' ? { savedSearchId: row.id, listingKind: p.needKind, listingId: p.needId } : { savedSearchId: row.id, listingKind: 'achievement', listingId: p.offerId })),
        skipDuplicates: true,
      })
    }
    return { ...row, created: true }
  })
}

/** The actor's watch on a listing's matches, if any (for the detail page's button). */
export async function getWatch({ actor, kind, id }: { actor: Actor; kind: ListingKind; id: string }) {
  const db = await prisma()
  return db.savedSearch.findFirst({ where: { userId: actor.id, kind: 'MATCHES', listingKind: kind, listingId: id }, select: { id: true, alert: true } })
}

export async function listSavedSearches({ actor }: { actor: Actor }) {
  const db = await prisma()
  const rows = await db.savedSearch.findMany({
    where: { userId: actor.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, name: true, kind: true, params: true, listingKind: true, listingId: true, alert: true, lastCheckedAt: true, createdAt: true, _count: { select: { hits: true } } },
  })
  return rows.map(({ _count, ...row }) => ({ ...row, params: paramsOf(row.params), hits: _count.hits, href: savedSearchHref(row) }))
}

/** One of the actor's saved searches; another person's is simply not found. */
async function own(actor: Actor, id: string) {
  const db = await prisma()
  const row = IdSchema.safeParse(id).success ? await db.savedSearch.findFirst({ where: { id, userId: actor.id }, select: { id: true, name: true } }) : null
  if (!row) throw new AppError('NOT_FOUND', 'err.notFound')
  return row
}

export async function renameSavedSearch({ actor, id, name }: { actor: Actor; id: string; name: string }) {
  await own(actor, id)
  const db = await prisma()
  return db.savedSearch.update({ where: { id }, data: { name }, select: { id: true, name: true } })
}

export async function setSavedSearchAlert({ actor, id, alert }: { actor: Actor; id: string; alert: boolean }) {
  await own(actor, id)
  const db = await prisma()
  // Turning alerts back on starts from now: what appeared meanwhile is not announced late.
  return db.savedSearch.update({ where: { id }, data: { alert, ...(alert ? { lastCheckedAt: new Date() } : {}) }, select: { id: true, name: true, alert: true } })
}

export async function deleteSavedSearch({ actor, id }: { actor: Actor; id: string }) {
  const row = await own(actor, id)
  const db = await prisma()
  await db.savedSearch.delete({ where: { id: row.id } })
  return row
}

// ─── Alerts ──────────────────────────────────────────────────────────────────────────

/** A listing indexed late (Meilisearch is fed through the outbox) is still seen; hits keep it to once. */
const LOOKBACK_MS = 60 * 60 * 1000
const SEARCH_PAGE = 50
const SEARCH_PAGES = 4

interface Found {
  kind: ListingKind
  id: string
  title: string
}

type Due = Prisma.SavedSearchGetPayload<{ include: { user: { select: { id: true; role: true; orgId: true; isOrgAdmin: true } } } }>

/** Listings the saved search finds that were published after `since`, newest first. */
async function newSearchResults(saved: Due, since: Date, now: Date): Promise<Found[]> {
  const parsed = SearchQuerySchema.safeParse(paramsOf(saved.params))
  if (!parsed.success) return []
  const found: Found[] = []
  for (let page = 1; page <= SEARCH_PAGES; page++) {
    const result = await searchListings({ actor: saved.user, query: { ...parsed.data, sort: 'newest', page, pageSize: SEARCH_PAGE } })
    for (const item of result.items) {
      const at = new Date(item.publishedAt)
      if (at <= since) return found
      if (at <= now) found.push({ kind: item.kind, id: item.id, title: item.title.map((s) => s.text).join('') })
    }
    if (result.items.length < SEARCH_PAGE) break
  }
  return found
}

/** Pairs that joined the watched listing's match list after `since`, if the person may still see it. */
async function newMatches(saved: Due, since: Date): Promise<Found[]> {
  const kind = saved.listingKind as ListingKind
  if (!(LISTING_KINDS as readonly string[]).includes(kind) || !saved.listingId) return []
  const db = await prisma()
  const row = (await delegate(db, kind).findFirst({ where: { id: saved.listingId }, select: { id: true, orgId: true, status: true } })) as {
    id: string
    orgId: string
    status: string
  } | null
  if (!row || row.status !== 'PUBLISHED' || !canSeeMatches(saved.user, row)) return []
  const pairs = await db.listingMatch.findMany({
    where: { ...pairsOf(kind, row.id), computedAt: { gt: since } },
    orderBy: [{ score: 'desc' }, { id: 'asc' }],
    select: { needKind: true, needId: true, offerId: true },
  })
  const others = pairs.map((p) => (kind === 'achievement' ? { kind: p.needKind as ListingKind, id: p.needId } : { kind: 'achievement' as const, id: p.offerId }))
  const found: Found[] = []
  for (const k of LISTING_KINDS) {
    const ids = others.filter((o) => o.kind === k).map((o) => o.id)
    if (!ids.length) continue
    const listings = (await delegate(db, k).findMany({ where: { id: { in: ids }, status: 'PUBLISHED' }, select: { id: true, title: true } })) as { id: string; title: string }[]
    for (const l of listings) found.push({ kind: k, id: l.id, title: l.title })
  }
  const rank = new Map(others.map((o, i) => [o.id, i]))
  return found.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!)
}

/**
 * The alert chore: checks saved searches with alerts on, oldest check first, and notifies the
 * owner once per saved search and run about the listings not reported before. Idempotent; any
 * instance may run it (a check claims its saved search by moving lastCheckedAt).
 */
export async function checkSavedSearches({ now = new Date(), limit = 200 }: { now?: Date; limit?: number } = {}) {
  const db = await prisma()
  const due = await db.savedSearch.findMany({
    where: { alert: true, lastCheckedAt: { lt: now }, user: { disabledAt: null } },
    orderBy: [{ lastCheckedAt: 'asc' }, { id: 'asc' }],
    take: limit,
    include: { user: { select: { id: true, role: true, orgId: true, isOrgAdmin: true } } },
  })
  let alerts = 0
  for (const saved of due) {
    const since = new Date(Math.max(saved.createdAt.getTime(), saved.lastCheckedAt.getTime() - LOOKBACK_MS))
    const found = saved.kind === 'SEARCH' ? await newSearchResults(saved, since, now) : await newMatches(saved, since)
    alerts += await db.$transaction(async (tx) => {
      const { count: claimed } = await tx.savedSearch.updateMany({ where: { id: saved.id, lastCheckedAt: saved.lastCheckedAt }, data: { lastCheckedAt: now } })
      if (claimed === 0 || found.length === 0) return 0
      const seen = await tx.savedSearchHit.findMany({ where: { savedSearchId: saved.id, listingId: { in: found.map((f) => f.id) } }, select: { listingKind: true, listingId: true } })
      const known = new Set(seen.map((h) => `${h.listingKind}:${h.listingId}`))
      const fresh = found.filter((f) => !known.has(`${f.kind}:${f.id}`))
      if (fresh.length === 0) return 0
      await tx.savedSearchHit.createMany({ data: fresh.map((f) => ({ savedSearchId: saved.id, listingKind: f.kind, listingId: f.id, notifiedAt: now })), skipDuplicates: true })
      const link = saved.kind === 'SEARCH' ? withNewestFirst(savedSearchHref(saved)) : savedSearchHref(saved)
      await notify(tx, { userIds: [saved.userId], type: 'search.alert', params: { search: saved.id, name: saved.name, count: fresh.length, title: fresh[0]!.title }, link })
      return 1
    })
  }
  return { checked: due.length, alerts }
}

function withNewestFirst(href: string): string {
  const url = new URL(href, 'http://x')
  url.searchParams.set('sort', 'newest')
  return `${url.pathname}?${url.searchParams}`
}
