import type { ContractSubtype, ContractType, IpType, LicenseExclusivity, TransferMode } from '~/generated/prisma/enums'
import { AppError } from '~/domain/errors'
import { regionName } from '~/domain/orgs/regions.server'
import type { Actor } from '~/domain/users/accounts.server'
import { authorize } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'

/**
 * Where a draft starts: a stored match (a demand or scenario and an achievement), or a demand
 * or scenario and an achievement chosen by hand. Reads only what is public about the listings
 * (titles, classification, asking price or budget), and the parties they belong to.
 */

/** Who a drafter may pick as a party: any organisation (an agency sells its 技术中介 services too). */
export async function partyOptions() {
  const db = await prisma()
  const orgs = await db.organization.findMany({
    orderBy: [{ verified: 'desc' }, { name: 'asc' }],
    select: { id: true, name: true, regionCode: true, verified: true },
    take: 2000,
  })
  return orgs.map((o) => ({ id: o.id, name: o.name, region: regionName(o.regionCode), verified: o.verified }))
}

/** Whether the actor drafts as broker, or as the seller (their organisation's authorised member). */
export function drafterRole(actor: Actor): 'broker' | 'seller' | null {
  if (actor.role === 'BROKER') return 'broker'
  return actor.orgId && actor.isOrgAdmin ? 'seller' : null
}

type NeedKind = 'demand' | 'scenario'
interface ListingBrief {
  id: string
  title: string
  orgId: string
  orgName: string
}

/** Matches the actor could turn into a contract: a broker any, a seller those of its own achievements. */
export async function draftSources({ actor, limit = 10 }: { actor: Actor; limit?: number }) {
  authorize(actor, 'contract:draft')
  const role = drafterRole(actor)
  if (!role) return []
  const db = await prisma()
  const mine = role === 'seller' ? (await db.achievement.findMany({ where: { orgId: actor.orgId!, status: 'PUBLISHED' }, select: { id: true } })).map((a) => a.id) : null
  const matches = await db.listingMatch.findMany({
    where: mine ? { offerId: { in: mine } } : {},
    orderBy: [{ score: 'desc' }, { id: 'asc' }],
    take: limit * 4,
  })
  // A pair that already has a live contract is no longer a lead.
  const taken = new Set(
    (await db.contract.findMany({ where: { matchId: { in: matches.map((m) => m.id) }, status: { not: 'TERMINATED' } }, select: { matchId: true } })).map((c) => c.matchId),
  )
  const brief = { id: true, title: true, orgId: true, org: { select: { name: true } } } as const
  const published = { status: 'PUBLISHED' as const }
  const [achievements, demands, scenarios] = await Promise.all([
    db.achievement.findMany({ where: { id: { in: matches.map((m) => m.offerId) }, ...published }, select: brief }),
    db.demand.findMany({ where: { id: { in: matches.filter((m) => m.needKind === 'demand').map((m) => m.needId) }, ...published }, select: brief }),
    db.scenario.findMany({ where: { id: { in: matches.filter((m) => m.needKind === 'scenario').map((m) => m.needId) }, ...published }, select: brief }),
  ])
  const toBrief = (l: { id: string; title: string; orgId: string; org: { name: string } }): ListingBrief => ({ id: l.id, title: l.title, orgId: l.orgId, orgName: l.org.name })
  const offers = new Map(achievements.map((a) => [a.id, toBrief(a)]))
  const needs = new Map([...demands, ...scenarios].map((n) => [n.id, toBrief(n)]))
  return matches
    .flatMap((m) => {
      const offer = offers.get(m.offerId)
      const need = needs.get(m.needId)
      if (!offer || !need || taken.has(m.id) || offer.orgId === need.orgId) return []
      return [{ matchId: m.id, score: m.score, confidence: m.confidence, achievement: offer, need: { ...need, kind: m.needKind as NeedKind } }]
    })
    .slice(0, limit)
}

export type DraftSource = Awaited<ReturnType<typeof draftSources>>[number]

/**
 * What a drafter may start from by hand: published demands and scenarios (the buyer's side)
 * and achievements (the seller's: for a seller, its own, published or not).
 */
export async function sourceOptions({ actor }: { actor: Actor }) {
  authorize(actor, 'contract:draft')
  const role = drafterRole(actor)
  const db = await prisma()
  const brief = { id: true, title: true, org: { select: { name: true } } } as const
  const order = [{ publishedAt: { sort: 'desc', nulls: 'last' } }, { id: 'asc' }] as const
  const [demands, scenarios, achievements] = await Promise.all([
    db.demand.findMany({ where: { status: 'PUBLISHED' }, select: brief, orderBy: [...order], take: 500 }),
    db.scenario.findMany({ where: { status: 'PUBLISHED' }, select: brief, orderBy: [...order], take: 200 }),
    db.achievement.findMany({
      where: role === 'seller' ? { orgId: actor.orgId!, status: { not: 'ARCHIVED' } } : { status: 'PUBLISHED' },
      select: brief,
      orderBy: [...order],
      take: 500,
    }),
  ])
  const option = (l: { id: string; title: string; org: { name: string } }) => ({ id: l.id, label: `${l.title}（${l.org.name}）` })
  return { demands: demands.map(option), scenarios: scenarios.map(option), achievements: achievements.map(option) }
}

const MODE_TO_TYPE: Partial<Record<TransferMode, ContractType>> = {
  LICENSE: 'LICENSE',
  TRANSFER: 'TRANSFER',
  CO_DEVELOPMENT: 'DEVELOPMENT',
  TECH_SERVICE: 'SERVICE',
}

function subtypeFor(type: ContractType, ipType: IpType | null): ContractSubtype {
  const secret = ipType === 'TECH_SECRET'
  const patent = ipType === 'INVENTION_PATENT' || ipType === 'UTILITY_MODEL' || ipType === 'DESIGN_PATENT'
  switch (type) {
    case 'LICENSE':
      return secret ? 'LICENSE_TECH_SECRET' : 'LICENSE_PATENT'
    case 'TRANSFER':
      return secret ? 'TRANSFER_TECH_SECRET' : patent ? 'TRANSFER_PATENT' : 'TRANSFER_OTHER'
    case 'DEVELOPMENT':
      return 'DEV_COOPERATIVE'
    case 'CONSULTING':
      return 'CONSULTING'
    case 'SERVICE':
      return 'SERVICE_GENERAL'
  }
}

/**
 * A draft's starting values from its source: the parties (the achievement's owner sells, the
 * need's owner buys), the links, the classification, the IP and a first guess at type and
 * amount (the modes both sides name; the asking price, else the budget).
 */
export async function draftDefaults({
  actor,
  source,
}: {
  actor: Actor
  /** `needId`: a demand's or a scenario's id, whichever it is (a match list knows only the id). */
  source: { matchId?: string | null; achievementId?: string | null; demandId?: string | null; scenarioId?: string | null; needId?: string | null }
}) {
  authorize(actor, 'contract:draft')
  const db = await prisma()
  let { achievementId = null, demandId = null, scenarioId = null } = source
  if (source.needId && !demandId && !scenarioId) {
    if (await db.demand.findUnique({ where: { id: source.needId }, select: { id: true } })) demandId = source.needId
    else scenarioId = source.needId
  }
  let matchId: string | null = null
  if (source.matchId) {
    const match = await db.listingMatch.findUnique({ where: { id: source.matchId } })
    if (!match) throw new AppError('NOT_FOUND', 'err.contract.matchUnknown')
    matchId = match.id
    achievementId = match.offerId
    if (match.needKind === 'scenario') ((scenarioId = match.needId), (demandId = null))
    else ((demandId = match.needId), (scenarioId = null))
  }
  const achievement = achievementId
    ? await db.achievement.findFirst({
        where: { id: achievementId, OR: [{ status: 'PUBLISHED' }, { orgId: actor.orgId ?? '' }] },
        select: { id: true, title: true, orgId: true, field: true, industry: true, ipType: true, ipNumbers: true, transferModes: true, askingPriceFen: true },
      })
    : null
  const demand = demandId
    ? await db.demand.findFirst({ where: { id: demandId, status: 'PUBLISHED' }, select: { id: true, title: true, orgId: true, field: true, industry: true, cooperationModes: true, budgetFen: true } })
    : null
  const scenario = scenarioId
    ? await db.scenario.findFirst({ where: { id: scenarioId, status: 'PUBLISHED' }, select: { id: true, title: true, orgId: true, field: true, sector: true, budgetFen: true } })
    : null
  if ((achievementId && !achievement) || (demandId && !demand) || (scenarioId && !scenario)) throw new AppError('NOT_FOUND', 'err.contract.linkUnknown')
  const role = drafterRole(actor)
  if (role === 'seller' && achievement && achievement.orgId !== actor.orgId) throw new AppError('FORBIDDEN', 'err.contract.draftSellerOnly')

  const wanted = demand?.cooperationModes ?? []
  const offered = achievement?.transferModes ?? []
  // The modes both sides name, else what the seller offers, else what the buyer wants.
  const both = offered.filter((m) => wanted.includes(m))
  const modes = both.length ? both : [...offered, ...wanted]
  const type = modes.map((m) => MODE_TO_TYPE[m]).find(Boolean) ?? null
  const ipType = achievement?.ipType ?? null
  const exclusivity: LicenseExclusivity | null = type === 'LICENSE' ? 'ORDINARY' : null
  const amountFen = achievement?.askingPriceFen ?? demand?.budgetFen ?? scenario?.budgetFen ?? null
  const buyerOrgId = demand?.orgId ?? scenario?.orgId ?? null
  return {
    links: { matchId, achievementId: achievement?.id ?? null, demandId: demand?.id ?? null, scenarioId: scenario?.id ?? null },
    source: {
      achievement: achievement ? { id: achievement.id, title: achievement.title } : null,
      need: demand ? { kind: 'demand' as const, id: demand.id, title: demand.title } : scenario ? { kind: 'scenario' as const, id: scenario.id, title: scenario.title } : null,
    },
    values: {
      sellerOrgId: role === 'seller' ? actor.orgId : (achievement?.orgId ?? null),
      buyerOrgId: buyerOrgId && buyerOrgId !== (role === 'seller' ? actor.orgId : achievement?.orgId) ? buyerOrgId : null,
      title: achievement?.title ?? demand?.title ?? scenario?.title ?? '',
      type,
      subtype: type ? subtypeFor(type, ipType) : null,
      exclusivity,
      field: achievement?.field ?? demand?.field ?? scenario?.field ?? null,
      industry: achievement?.industry ?? demand?.industry ?? scenario?.sector ?? null,
      ipType,
      ipNumbers: achievement?.ipNumbers ?? [],
      amountFen: amountFen === null ? null : Number(amountFen),
    },
  }
}
