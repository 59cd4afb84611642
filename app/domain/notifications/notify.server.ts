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

/** Only a path inside the app is kept as a link: never another site (it is followed after a click). */
function appPath(link: string | undefined): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.startsWith('/\\') || link.length > 500) return null
  return link
}

/**
 * Notifies people in the transaction of the change: one in-app notification each (unless they
 * muted the type), and an e-mail through the outbox for those who get this type by e-mail.
 * Returns the ids of the notifications written.
 */
export async function notify(tx: Db, input: NotifyInput): Promise<string[]> {
  const ids = [...new Set(input.userIds)].filter((id) => id && id !== input.exceptUserId)
  if (ids.length === 0) return []
  const users = await tx.user.findMany({
    where: { id: { in: ids }, disabledAt: null },
    select: { id: true, notificationPrefs: { select: { emailTypes: true, mutedTypes: true } } },
  })
  const params = input.params ?? {}
  const link = appPath(input.link)
  const written: string[] = []
  for (const user of users) {
    const prefs = user.notificationPrefs
    if (prefs?.mutedTypes.includes(input.type)) continue
    const row = await tx.notification.create({
      data: { userId: user.id, type: input.type, params, link },
      select: { id: true },
    })
    written.push(row.id)
    const byEmail = prefs ? prefs.emailTypes.includes(input.type) : NOTIFICATION_TYPES[input.type].email
    if (byEmail) await enqueue(tx, 'notification.email', { notificationId: row.id })
  }
  return written
}
