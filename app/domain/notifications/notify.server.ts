import type { Prisma, PrismaClient } from '~/generated/prisma/client'
import { enqueue } from '~/domain/events/outbox.server'
import { NOTIFICATION_TYPES, type NotificationType } from './types'

type Db = Prisma.TransactionClient | PrismaClient

export interface NotifyInput {
  userIds: Iterable<string>
  type: NotificationType
  params?: Record<string, string | number>
  /** A path inside the app, e.g. /deals/abc */
  link?: string
  /** Usually the person whose action caused the notification. */
  exceptUserId?: string | null
}

/**
 * Notifies people in the transaction of the change: one in-app notification each (unless they
 * muted the type), and an e-mail through the outbox for those who get this type by e-mail.
 */
export async function notify(tx: Db, input: NotifyInput) {
  const ids = [...new Set(input.userIds)].filter((id) => id && id !== input.exceptUserId)
  if (ids.length === 0) return
  const users = await tx.user.findMany({
    where: { id: { in: ids }, disabledAt: null },
    select: { id: true, notificationPrefs: { select: { emailTypes: true, mutedTypes: true } } },
  })
  const params = input.params ?? {}
  for (const user of users) {
    const prefs = user.notificationPrefs
    if (prefs?.mutedTypes.includes(input.type)) continue
    const row = await tx.notification.create({
      data: { userId: user.id, type: input.type, params, link: input.link ?? null },
      select: { id: true },
    })
    const byEmail = prefs ? prefs.emailTypes.includes(input.type) : NOTIFICATION_TYPES[input.type].email
    if (byEmail) await enqueue(tx, 'notification.email', { notificationId: row.id })
  }
}
