import type { DealStage } from '~/generated/prisma/enums'
import { AppError } from '~/domain/errors'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { canPost, isPartyStanding, requireDealAccess, type DealStanding } from './access.server'
import { MESSAGE_PAGE, messageSelect, mayWriteNotes, readersOf, toView, visibleMessagesWhere, type MessageView } from './messages.server'
import { isOpenStage } from './stages'

/**
 * A deal's timeline, as the conversation page shows it: messages, the brokers' notes (for the
 * brokers and the bureau), and what happened in the deal (DealEvent rows: stage changes,
 * introductions, NDA steps, members joining…) in one stream, oldest first.
 *
 * Parties never see internal events or notes, and a seller sees no event about another seller
 * (events about one seller carry its `sellerOrgId`).
 */

export type TimelineItem =
  | ({ type: 'message'; at: Date; mine: boolean } & MessageView)
  | { type: 'event'; id: string; at: Date; event: string; params: Record<string, unknown>; internal: boolean; actorName: string | null }

export interface ConversationView {
  deal: { id: string; number: string; title: string; stage: DealStage; buyerOrgName: string; ownerName: string }
  standing: DealStanding
  /** What the actor may do here. */
  may: { post: boolean; note: boolean; join: boolean }
  closed: boolean
  items: TimelineItem[]
  /** The id to pass as `before` for earlier messages; null when the start is shown. */
  earlier: string | null
}

export async function conversationView({
  actor,
  dealId,
  before,
  limit = MESSAGE_PAGE,
}: {
  actor: Actor | null | undefined
  dealId: string
  before?: string | null
  limit?: number
}): Promise<ConversationView> {
  const db = await prisma()
  const ctx = await requireDealAccess(db, actor, dealId)
  const me = actor!
  const { standing } = ctx
  const where = visibleMessagesWhere(me, ctx)
  if (before) {
    const exists = await db.dealMessage.count({ where: { AND: [where, { id: before }] } })
    if (!exists) throw new AppError('BAD_INPUT', 'err.cursor')
  }
  const rows = await db.dealMessage.findMany({
    where,
    select: messageSelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    ...(before ? { cursor: { id: before }, skip: 1 } : {}),
  })
  const shown = rows.slice(0, limit).reverse()
  const more = rows.length > limit
  const readers = await readersOf(db, me, ctx)

  // Events in the window of the messages shown: after the earliest one (if earlier ones exist)
  // and before the next page's start (when paging back).
  const from = more ? shown[0]?.createdAt : undefined
  const to = before ? (await db.dealMessage.findUnique({ where: { id: before }, select: { createdAt: true } }))?.createdAt : undefined
  const events = await db.dealEvent.findMany({
    where: {
      dealId,
      ...(isPartyStanding(standing) ? { internal: false } : {}),
      ...(from || to ? { createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
    },
    select: { id: true, type: true, params: true, internal: true, createdAt: true, actor: { select: { name: true } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 500,
  })
  const visibleEvents = events.filter((e) => {
    if (standing !== 'seller') return true
    const seller = (e.params as Record<string, unknown> | null)?.sellerOrgId
    return typeof seller !== 'string' || seller === me.orgId
  })

  const items: TimelineItem[] = [
    ...shown.map((m) => ({ type: 'message' as const, at: m.createdAt, mine: m.author.id === me.id, ...toView(m, readers, ctx.deal) })),
    ...visibleEvents.map((e) => ({
      type: 'event' as const,
      id: String(e.id),
      at: e.createdAt,
      event: e.type,
      params: (e.params as Record<string, unknown> | null) ?? {},
      internal: e.internal,
      actorName: e.actor?.name ?? null,
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.type === b.type ? 0 : a.type === 'event' ? -1 : 1))

  const deal = await db.deal.findUniqueOrThrow({
    where: { id: dealId },
    select: { id: true, number: true, title: true, stage: true, buyerOrg: { select: { name: true } }, owner: { select: { name: true } } },
  })
  const open = isOpenStage(deal.stage)
  return {
    deal: { id: deal.id, number: deal.number, title: deal.title, stage: deal.stage, buyerOrgName: deal.buyerOrg.name, ownerName: deal.owner.name },
    standing,
    may: { post: open && canPost(standing), note: open && mayWriteNotes(standing), join: open && standing === 'bureau' },
    closed: !open,
    items,
    earlier: more ? (shown[0]?.id ?? null) : null,
  }
}

