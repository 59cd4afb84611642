import { z } from 'zod'
import type { Prisma, PrismaClient } from '~/generated/prisma/client'
import type { MessageKind } from '~/generated/prisma/enums'
import { AppError } from '~/domain/errors'
import { notify } from '~/domain/notifications/notify.server'
import type { Actor } from '~/domain/users/accounts.server'
import { msg, optionalText } from '~/domain/validation/fields'
import { prisma } from '~/infra/db/client.server'
import { canPost, isBrokerStanding, isPartyStanding, requireDealAccess, type DealAccessRow, type DealStanding } from './access.server'
import { checkUploads, removeUploads, storeUploads, uploadPath, type Upload } from './attachments.server'
import { orgMemberIds } from './events.server'
import { isOpenStage } from './stages'

type Db = Prisma.TransactionClient | PrismaClient

/**
 * The conversation inside a deal: messages between the parties and the brokers, and the
 * brokers' private notes.
 *
 * Who reads what:
 * - brokers of the deal (lead, assist) and bureau staff: every message and every note (the
 *   bureau supervises the deal);
 * - the buyer's members: every message, never a note;
 * - a seller's members: messages of the brokers, the bureau, the buyer and their own
 *   organisation — not those of another seller introduced in the same deal, who may be a
 *   competitor — never a note.
 *
 * Who writes: brokers of the deal, the parties, and bureau staff once they joined (a standing
 * of 'bureau-member'). Notes: only the deal's brokers. Nobody writes in a won or lost deal.
 */

export const MAX_MESSAGE_CHARS = 5000
export const MESSAGE_PAGE = 50

export const MessageInputSchema = z.object({
  body: z.preprocess((v) => (v === null || v === undefined ? '' : v), optionalText(MAX_MESSAGE_CHARS).transform((v) => v ?? '')),
  kind: z.preprocess((v) => (v === '' || v === null || v === undefined ? 'MESSAGE' : v), z.enum(['MESSAGE', 'NOTE'], { error: msg('err.badRequest') })),
})
export type MessageInput = z.output<typeof MessageInputSchema>

/** The JSON API's body: a text message (no files). */
export const ApiMessageInputSchema = z.strictObject({
  body: z.string({ error: msg('err.required') }),
  kind: z.enum(['MESSAGE', 'NOTE'], { error: msg('api.err.invalidValue') }).optional(),
})

export interface DealContext {
  deal: DealAccessRow
  standing: DealStanding
}

/** Users who act for the platform in this deal: its brokers and the bureau staff who joined. */
function staffIds(deal: DealAccessRow) {
  return [deal.ownerId, ...deal.members.map((m) => m.userId)]
}

/** The organisations of sellers other than the actor's (introduced or not, dropped or not). */
function otherSellerOrgIds(actor: Actor, deal: DealAccessRow) {
  return [...new Set(deal.candidates.map((c) => c.sellerOrgId))].filter((o) => o !== actor.orgId)
}

/** The messages (and notes) the actor may read, as a where-clause. */
export function visibleMessagesWhere(actor: Actor, { deal, standing }: DealContext): Prisma.DealMessageWhereInput {
  if (!isPartyStanding(standing)) return { dealId: deal.id }
  const where: Prisma.DealMessageWhereInput = { dealId: deal.id, kind: 'MESSAGE' }
  const others = standing === 'seller' ? otherSellerOrgIds(actor, deal) : []
  if (others.length) where.NOT = { author: { orgId: { in: others } }, authorId: { notIn: staffIds(deal) } }
  return where
}

/** Whether the actor may read a message by someone of `authorOrgId` (the same rule as visibleMessagesWhere). */
export function mayReadAuthor(actor: Actor, ctx: DealContext, author: { id: string; orgId: string | null }) {
  if (ctx.standing !== 'seller') return true
  if (staffIds(ctx.deal).includes(author.id)) return true
  return !author.orgId || !otherSellerOrgIds(actor, ctx.deal).includes(author.orgId)
}

export function mayWriteNotes(standing: DealStanding | null) {
  return isBrokerStanding(standing)
}

/** Who gets a notification of a new message: everyone who may read it, but its author. */
async function recipientsOf(tx: Db, actor: Actor, ctx: DealContext, kind: MessageKind): Promise<string[]> {
  const { deal, standing } = ctx
  const brokers = [deal.ownerId, ...deal.members.filter((m) => m.role !== 'BUREAU').map((m) => m.userId)]
  if (kind === 'NOTE') return brokers
  const bureau = deal.members.filter((m) => m.role === 'BUREAU').map((m) => m.userId)
  const sellers = [...new Set(deal.candidates.filter((c) => c.introducedAt && !c.droppedAt).map((c) => c.sellerOrgId))]
  // A seller's message stays with the brokers, the buyer and the seller's own organisation.
  const partyOrgs = standing === 'seller' ? [deal.buyerOrgId, actor.orgId!] : [deal.buyerOrgId, ...sellers]
  return [...brokers, ...bureau, ...(await orgMemberIds(tx, partyOrgs))]
}

async function loadContext(db: Db, actor: Actor | null | undefined, dealId: string): Promise<DealContext> {
  return requireDealAccess(db, actor, dealId)
}

function requireOpen(deal: { stage: DealAccessRow['stage'] }) {
  if (!isOpenStage(deal.stage)) throw new AppError('CONFLICT', 'err.conv.closed', { params: { stage: deal.stage } })
}

function requireWriter(ctx: DealContext, kind: MessageKind) {
  if (ctx.standing === 'bureau') throw new AppError('FORBIDDEN', 'err.conv.joinFirst')
  if (!canPost(ctx.standing)) throw new AppError('FORBIDDEN', 'err.forbidden')
  if (kind === 'NOTE' && !mayWriteNotes(ctx.standing)) throw new AppError('FORBIDDEN', 'err.conv.notesBrokersOnly')
  requireOpen(ctx.deal)
}

/**
 * Posts a message or a note, with up to three files. The files are checked and written before
 * the transaction that records the message (and removed again if it fails), so a refusal leaves
 * neither a row nor a file behind. Notifies everyone who may read it ('deal.message').
 */
export async function postMessage({
  actor,
  dealId,
  input,
  files = [],
  now = new Date(),
}: {
  actor: Actor
  dealId: string
  input: unknown
  files?: Upload[]
  now?: Date
}) {
  const parsed = MessageInputSchema.safeParse(input)
  if (!parsed.success) {
    const fields: Record<string, string> = {}
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? 'body')] ??= issue.message
    throw new AppError('BAD_INPUT', 'err.invalidForm', { fields })
  }
  const { body, kind } = parsed.data
  const checked = checkUploads(files)
  if (!body && checked.length === 0) throw new AppError('BAD_INPUT', 'err.conv.empty', { fields: { body: 'err.conv.empty' } })

  const db = await prisma()
  requireWriter(await loadContext(db, actor, dealId), kind)
  const paths = await storeUploads(dealId, checked)
  try {
    return await db.$transaction(async (tx) => {
      // Checked again where it counts: the deal may have closed, or the actor left it, meanwhile.
      await tx.$queryRaw`SELECT id FROM "Deal" WHERE id = ${dealId} FOR UPDATE`
      const ctx = await loadContext(tx, actor, dealId)
      requireWriter(ctx, kind)
      const message = await tx.dealMessage.create({
        data: {
          dealId,
          authorId: actor.id,
          kind,
          body,
          createdAt: now,
          attachments: {
            create: checked.map((f, i) => ({ name: f.name, mime: f.mime, size: f.bytes.byteLength, sha256: f.sha256, path: paths[i]!, createdAt: now })),
          },
        },
        include: { attachments: { select: { id: true, name: true, mime: true, size: true, sha256: true } } },
      })
      await tx.dealRead.upsert({
        where: { dealId_userId: { dealId, userId: actor.id } },
        create: { dealId, userId: actor.id, lastReadAt: now },
        update: { lastReadAt: now },
      })
      const deal = await tx.deal.findUniqueOrThrow({ where: { id: dealId }, select: { number: true, title: true } })
      const author = await tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { name: true } })
      await notify(tx, {
        userIds: await recipientsOf(tx, actor, ctx, kind),
        type: 'deal.message',
        params: { deal: deal.number, dealTitle: deal.title, author: author.name },
        link: `/deals/${dealId}/conversation`,
        exceptUserId: actor.id,
      })
      return message
    })
  } catch (error) {
    await removeUploads(paths)
    throw error
  }
}

/**
 * Records that the actor has read the conversation up to now (a read receipt). Only people who
 * take part do: bureau staff who have not joined read without leaving a trace.
 */
export async function markConversationRead({ actor, dealId, now = new Date() }: { actor: Actor; dealId: string; now?: Date }) {
  const db = await prisma()
  const { standing } = await loadContext(db, actor, dealId)
  if (standing === 'bureau') return false
  await db.dealRead.upsert({
    where: { dealId_userId: { dealId, userId: actor.id } },
    create: { dealId, userId: actor.id, lastReadAt: now },
    update: { lastReadAt: now },
  })
  return true
}

// ─── Reading ────────────────────────────────────────────────────────────────────────

export const messageSelect = {
  id: true,
  kind: true,
  body: true,
  createdAt: true,
  author: { select: { id: true, name: true, role: true, orgId: true, org: { select: { name: true } } } },
  attachments: { select: { id: true, name: true, mime: true, size: true, sha256: true }, orderBy: { createdAt: 'asc' } },
} satisfies Prisma.DealMessageSelect

export type MessageRow = Prisma.DealMessageGetPayload<{ select: typeof messageSelect }>

/** Who has read how far, as the actor may see it (a seller does not see another seller's readers). */
export async function readersOf(db: Db, actor: Actor, ctx: DealContext) {
  const reads = await db.dealRead.findMany({
    where: { dealId: ctx.deal.id },
    select: { userId: true, lastReadAt: true, user: { select: { name: true, orgId: true, role: true } } },
    orderBy: { lastReadAt: 'asc' },
  })
  return reads.filter((r) => mayReadAuthor(actor, ctx, { id: r.userId, orgId: r.user.orgId }))
}

/** Which side of the deal someone writes from. */
export type AuthorSide = 'lead' | 'assist' | 'bureau' | 'buyer' | 'seller'

export function sideOf(deal: DealAccessRow, author: { id: string; orgId: string | null; role: string }): AuthorSide {
  if (author.id === deal.ownerId) return 'lead'
  const member = deal.members.find((m) => m.userId === author.id)
  if (member?.role === 'ASSIST' || member?.role === 'LEAD') return 'assist'
  if (member?.role === 'BUREAU' || author.role === 'BUREAU' || author.role === 'ADMIN') return 'bureau'
  // A broker who no longer assists still wrote as a broker.
  if (author.role === 'BROKER') return 'assist'
  return author.orgId === deal.buyerOrgId ? 'buyer' : 'seller'
}

const STAFF_SIDES = new Set<AuthorSide>(['lead', 'assist', 'bureau'])

export interface MessageView {
  id: string
  kind: MessageKind
  body: string
  createdAt: Date
  author: { id: string; name: string; orgName: string | null; side: AuthorSide }
  attachments: { id: string; name: string; mime: string; size: number; sha256: string }[]
  /** The people (other than the author) who have read the conversation past this message. */
  readBy: { id: string; name: string }[]
}

export function toView(m: MessageRow, readers: Awaited<ReturnType<typeof readersOf>>, deal: DealAccessRow): MessageView {
  return {
    id: m.id,
    kind: m.kind,
    body: m.body,
    createdAt: m.createdAt,
    author: { id: m.author.id, name: m.author.name, orgName: m.author.org?.name ?? null, side: sideOf(deal, m.author) },
    attachments: m.attachments,
    readBy: readers
      // A note is read by those who may read notes; the parties' reading past it says nothing.
      .filter((r) => r.userId !== m.author.id && r.lastReadAt >= m.createdAt && (m.kind !== 'NOTE' || STAFF_SIDES.has(sideOf(deal, { id: r.userId, ...r.user }))))
      .map((r) => ({ id: r.userId, name: r.user.name })),
  }
}

/**
 * A page of the conversation, newest first: `cursor` is the id of the last message of the
 * previous page. For the API and the page's "earlier messages".
 */
export async function listMessages({
  actor,
  dealId,
  cursor,
  limit = MESSAGE_PAGE,
}: {
  actor: Actor | null | undefined
  dealId: string
  cursor?: string | null
  limit?: number
}) {
  const db = await prisma()
  const ctx = await loadContext(db, actor, dealId)
  const where = visibleMessagesWhere(actor!, ctx)
  if (cursor) {
    const exists = await db.dealMessage.count({ where: { AND: [where, { id: cursor }] } })
    if (!exists) throw new AppError('BAD_INPUT', 'err.cursor')
  }
  const rows = await db.dealMessage.findMany({
    where,
    select: messageSelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  })
  const readers = await readersOf(db, actor!, ctx)
  const items = rows.slice(0, limit).map((m) => toView(m, readers, ctx.deal))
  return { context: ctx, items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
}

/** An attachment's file, for whoever may read its message. */
export async function attachmentFile({ actor, dealId, attachmentId }: { actor: Actor | null | undefined; dealId: string; attachmentId: string }) {
  const db = await prisma()
  const ctx = await loadContext(db, actor, dealId)
  const attachment = await db.dealAttachment.findFirst({
    where: { id: attachmentId, message: visibleMessagesWhere(actor!, ctx) },
    select: { name: true, mime: true, size: true, path: true, sha256: true },
  })
  if (!attachment) throw new AppError('NOT_FOUND', 'err.notFound')
  return { ...attachment, path: uploadPath(attachment.path) }
}


/** One message as the actor sees it (NOT_FOUND when they may not read it). */
export async function getMessage({ actor, dealId, messageId }: { actor: Actor | null | undefined; dealId: string; messageId: string }) {
  const db = await prisma()
  const ctx = await loadContext(db, actor, dealId)
  const row = await db.dealMessage.findFirst({ where: { AND: [visibleMessagesWhere(actor!, ctx), { id: messageId }] }, select: messageSelect })
  if (!row) throw new AppError('NOT_FOUND', 'err.notFound')
  return toView(row, await readersOf(db, actor!, ctx), ctx.deal)
}
