import { z } from 'zod'
import type { Prisma, PrismaClient } from '~/generated/prisma/client'
import type { EmailStatus } from '~/generated/prisma/enums'
import { EMAIL_STATUSES, type MailQuery } from './mail-log'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import { enqueue, MAX_ATTEMPTS, ServiceUnavailableError } from '~/domain/events/outbox.server'
import { authorize, type Actor } from '~/domain/users/accounts.server'
import { DEFAULT_LOCALE, isLocale, translator } from '~/i18n/i18n'
import { prisma } from '~/infra/db/client.server'
import { getEnv } from '~/infra/env.server'
import { buildEml, isSmtpUnavailable, newMessageId, readEml, sendMail } from '~/infra/mail/mailer.server'
import { renderNotificationEmail } from './render'

/**
 * The e-mail log. Every e-mail is first a row (QUEUED), written in the transaction of the
 * change that causes it, then sent by the outbox ('email.send'); a transport failure leaves
 * the row QUEUED with the error while the outbox tries again. A mail server that is down waits
 * for as long as it is down (the outbox's ServiceUnavailableError); a message the server
 * refuses is FAILED once the outbox gives up.
 */

type Db = Prisma.TransactionClient | PrismaClient

export interface QueuedEmail {
  to: string
  subject: string
  text: string
  /** Why it is sent: notification, digest, listing.stale … */
  category: string
}

export async function queueEmail(tx: Db, mail: QueuedEmail): Promise<string> {
  const row = await tx.emailMessage.create({
    data: { to: mail.to.slice(0, 254), subject: mail.subject.slice(0, 300), text: mail.text, category: mail.category.slice(0, 64) },
    select: { id: true },
  })
  await enqueue(tx, 'email.send', { emailId: row.id })
  return row.id
}

/** An absolute link into the app, for e-mails (KZ_PUBLIC_URL). */
export function appUrl(path: string): string {
  return `${getEnv().publicUrl}${path.startsWith('/') ? path : `/${path}`}`
}

const SendPayload = z.object({ emailId: z.string().min(1) })

/** Outbox 'email.send': sends one logged e-mail; safe to run again once it is sent. */
export async function deliverEmail(payload: unknown, meta: { attempts: number }) {
  const { emailId } = SendPayload.parse(payload)
  const db = await prisma()
  const row = await db.emailMessage.findUnique({ where: { id: emailId } })
  if (!row || row.status === 'SENT') return
  // The same Message-ID on every try: a receiving server can tell a retry from a new message.
  const messageId = row.messageId ?? newMessageId()
  if (!row.messageId) await db.emailMessage.update({ where: { id: row.id }, data: { messageId } })
  try {
    const sent = await sendMail({ to: row.to, subject: row.subject, text: row.text, messageId })
    await db.emailMessage.update({
      where: { id: row.id },
      data: { status: 'SENT', sentAt: new Date(), attempts: { increment: 1 }, lastError: null, messageId: sent.messageId.slice(0, 300), emlPath: sent.emlPath ?? null },
    })
  } catch (error) {
    const unavailable = isSmtpUnavailable(error)
    const giveUp = !unavailable && meta.attempts + 1 >= MAX_ATTEMPTS
    await db.emailMessage.update({
      where: { id: row.id },
      data: { attempts: { increment: 1 }, lastError: String((error as Error)?.message ?? error).slice(0, 2000), status: giveUp ? 'FAILED' : 'QUEUED' },
    })
    throw unavailable ? new ServiceUnavailableError('smtp', error) : error
  }
}

const NotificationPayload = z.object({ notificationId: z.string().min(1) })

/** Outbox 'notification.email': writes the notification as an e-mail in its reader's language. */
export async function emailNotification(payload: unknown) {
  const { notificationId } = NotificationPayload.parse(payload)
  const db = await prisma()
  const n = await db.notification.findUnique({
    where: { id: notificationId },
    select: { id: true, type: true, params: true, user: { select: { email: true, name: true, locale: true, disabledAt: true } } },
  })
  if (!n || n.user.disabledAt) return
  const t = translator(isLocale(n.user.locale) ? n.user.locale : DEFAULT_LOCALE)
  const mail = renderNotificationEmail({
    t,
    name: n.user.name,
    notification: n,
    url: appUrl(`/notifications/${n.id}/open`),
    prefsUrl: appUrl('/account/notifications'),
  })
  await db.$transaction((tx) => queueEmail(tx, { to: n.user.email, ...mail, category: 'notification' }))
}

// ─── The administrator's view ────────────────────────────────────────────────────────

export { EMAIL_STATUSES, MailQuerySchema, type MailQuery } from './mail-log'
export const MAIL_PAGE_SIZE = 50

export async function listEmails({ actor, query }: { actor: Actor; query: MailQuery }) {
  authorize(actor, 'mail:read')
  const db = await prisma()
  const where: Prisma.EmailMessageWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.q ? { to: { contains: query.q, mode: 'insensitive' } } : {}),
  }
  const [items, total, byStatus] = await Promise.all([
    db.emailMessage.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (query.page - 1) * MAIL_PAGE_SIZE,
      take: MAIL_PAGE_SIZE,
      select: { id: true, to: true, subject: true, category: true, status: true, attempts: true, lastError: true, createdAt: true, sentAt: true },
    }),
    db.emailMessage.count({ where }),
    db.emailMessage.groupBy({ by: ['status'], _count: { _all: true } }),
  ])
  const counts = Object.fromEntries(EMAIL_STATUSES.map((s) => [s, byStatus.find((b) => b.status === s)?._count._all ?? 0])) as Record<EmailStatus, number>
  return { items, total, counts, pages: Math.max(1, Math.ceil(total / MAIL_PAGE_SIZE)) }
}

export async function getEmail({ actor, id }: { actor: Actor; id: string }) {
  authorize(actor, 'mail:read')
  const db = await prisma()
  const row = await db.emailMessage.findUnique({ where: { id } })
  if (!row) throw new AppError('NOT_FOUND', 'err.notFound')
  return { ...row, from: getEnv().KZ_MAIL_FROM }
}

/** The message as an .eml file: the file written when it was sent, else built from the log. */
export async function emailAsEml({ actor, id }: { actor: Actor; id: string }) {
  const row = await getEmail({ actor, id })
  const file = row.emlPath ? readEml(row.emlPath) : null
  const eml = file ?? (await buildEml({ to: row.to, subject: row.subject, text: row.text, messageId: row.messageId ?? undefined, date: row.sentAt ?? row.createdAt }))
  return { eml, filename: `kezhuan-${row.id}.eml` }
}

/** Puts a failed e-mail back in the queue, with the outbox's full number of tries. */
export async function retryEmail({ actor, id, ip }: { actor: Actor; id: string; ip?: string | null }) {
  authorize(actor, 'mail:read')
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const { count } = await tx.emailMessage.updateMany({ where: { id, status: 'FAILED' }, data: { status: 'QUEUED' } })
    if (count === 0) {
      const exists = await tx.emailMessage.findUnique({ where: { id }, select: { status: true } })
      if (!exists) throw new AppError('NOT_FOUND', 'err.notFound')
      throw new AppError('CONFLICT', 'err.mail.notFailed')
    }
    await enqueue(tx, 'email.send', { emailId: id })
    await audit(tx, { actorId: actor.id, action: 'mail.retry', entityType: 'EmailMessage', entityId: id, before: { status: 'FAILED' }, after: { status: 'QUEUED' }, ip })
    return { id }
  })
}
