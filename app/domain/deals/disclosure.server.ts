import type { Prisma, PrismaClient } from '~/generated/prisma/client'
import type { Actor } from '~/domain/users/accounts.server'

type Db = Prisma.TransactionClient | PrismaClient

/**
 * Tiered disclosure: a listing's public summary is for everyone; its confidential details (an
 * achievement's confidentialDetails, a confidential demand's situation, indicators and
 * constraints) and its contacts are for the owner, brokers and the bureau — and for an
 * organisation an effective NDA opened them to (a ConfidentialGrant, written when both sides
 * of the NDA accepted, see nda.server.ts).
 *
 * Grants are read where the listing is read, in the same request, never carried in a session:
 * an NDA that takes effect opens the details on the next page view, and nothing stale can open
 * them. Only the detail and the list of listings (pages and API) ever show confidential details;
 * search documents, match lists and exports carry public text only, whoever asks.
 */

export type GrantKind = 'achievement' | 'demand'

/** Of these listings, the ids the actor's organisation holds an effective grant for. */
export async function grantedListingIds(db: Db, actor: Actor | null | undefined, kind: string, ids: readonly string[]): Promise<Set<string>> {
  if (!actor?.orgId || ids.length === 0 || (kind !== 'achievement' && kind !== 'demand')) return new Set()
  const rows = await db.confidentialGrant.findMany({
    where: { orgId: actor.orgId, listingKind: kind, listingId: { in: [...new Set(ids)] }, nda: { effectiveAt: { not: null } } },
    select: { listingId: true },
  })
  return new Set(rows.map((r) => r.listingId))
}

/** Whether the actor's organisation holds an effective grant for the listing. */
export async function holdsGrant(db: Db, actor: Actor | null | undefined, kind: string, id: string): Promise<boolean> {
  return (await grantedListingIds(db, actor, kind, [id])).has(id)
}

/** The listings an organisation was granted, for pages that list what an NDA opened. */
export async function grantsOfNda(db: Db, ndaId: string) {
  return db.confidentialGrant.findMany({
    where: { ndaId },
    select: { orgId: true, listingKind: true, listingId: true, createdAt: true },
    orderBy: [{ listingKind: 'asc' }, { createdAt: 'asc' }],
  })
}

// ─── Match reasons ──────────────────────────────────────────────────────────────────

const TERM_REASONS = new Set(['terms', 'synonyms', 'missing'])

/**
 * Match reasons name the need's words (shared terms, synonyms, missing terms). Computed from a
 * confidential demand's full text, they may name words of its confidential part: for a reader
 * who may not see that part, only the words its public text (`publicText`) holds are kept, and
 * a reason left without words is dropped. A synonym pair `offer≈need` is judged by the need's word.
 */
export function keepPublicTerms<R extends { code: string; params: Record<string, string | number> }>(reasons: R[], publicText: string): R[] {
  const text = publicText.toLowerCase()
  return reasons.flatMap((reason) => {
    if (!TERM_REASONS.has(reason.code) || typeof reason.params.terms !== 'string') return [reason]
    const kept = reason.params.terms.split('、').filter((term) => {
      const needWord = term.includes('≈') ? term.slice(term.indexOf('≈') + 1) : term
      return needWord !== '' && text.includes(needWord.toLowerCase())
    })
    return kept.length ? [{ ...reason, params: { ...reason.params, terms: kept.join('、') } }] : []
  })
}

/** A demand's public text: what search and everyone may read. */
export function demandPublicText(row: { title: string; description: string; keywords: string[] }) {
  return [row.title, row.description, ...row.keywords].join('\n')
}
