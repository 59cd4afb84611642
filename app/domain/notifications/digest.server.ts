import { DEFAULT_LOCALE, isLocale, translator } from '~/i18n/i18n'
import { prisma } from '~/infra/db/client.server'
import { appUrl, queueEmail } from './email.server'
import { DEFAULT_EMAIL_TYPES } from './notifications.server'
import { renderDigest } from './render'

/**
 * The daily digest: once a day, from 08:00 China time, each person with the digest on gets one
 * e-mail with their unread notifications that were neither e-mailed at once nor in an earlier
 * digest. A chore runs it every hour; it is idempotent (a person's notifications carry the time
 * they went out, and a day with a digest gets no second one), so any instance may run it.
 */
export const DIGEST_HOUR = 8
const CHINA_OFFSET_MS = 8 * 3600 * 1000
const MAX_ITEMS = 200

/** The instant China's calendar day of `now` began. */
export function chinaDayStart(now: Date): Date {
  const local = new Date(now.getTime() + CHINA_OFFSET_MS)
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - CHINA_OFFSET_MS)
}

export function chinaHour(now: Date): number {
  return new Date(now.getTime() + CHINA_OFFSET_MS).getUTCHours()
}

export async function sendDailyDigests({ now = new Date() }: { now?: Date } = {}): Promise<{ sent: number }> {
  if (chinaHour(now) < DIGEST_HOUR) return { sent: 0 }
  const dayStart = chinaDayStart(now)
  const db = await prisma()
  const waiting = await db.notification.groupBy({ by: ['userId'], where: { digestedAt: null, readAt: null, createdAt: { lte: now } } })
  if (waiting.length === 0) return { sent: 0 }
  const users = await db.user.findMany({
    where: {
      id: { in: waiting.map((w) => w.userId) },
      disabledAt: null,
      OR: [{ notificationPrefs: { is: null } }, { notificationPrefs: { is: { dailyDigest: true } } }],
    },
    select: { id: true, email: true, name: true, locale: true, notificationPrefs: { select: { emailTypes: true } } },
  })
  let sent = 0
  for (const user of users) {
    const already = await db.notification.findFirst({ where: { userId: user.id, digestedAt: { gte: dayStart } }, select: { id: true } })
    if (already) continue
    const emailedAtOnce = user.notificationPrefs?.emailTypes ?? DEFAULT_EMAIL_TYPES
    const items = await db.notification.findMany({
      where: { userId: user.id, readAt: null, digestedAt: null, createdAt: { lte: now }, type: { notIn: emailedAtOnce } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: MAX_ITEMS,
      select: { id: true, type: true, params: true, createdAt: true },
    })
    if (items.length === 0) continue
    const t = translator(isLocale(user.locale) ? user.locale : DEFAULT_LOCALE)
    const mail = renderDigest({
      t,
      name: user.name,
      items: items.map((n) => ({ ...n, url: appUrl(`/notifications/${n.id}/open`) })),
      listUrl: appUrl('/notifications'),
      prefsUrl: appUrl('/account/notifications'),
    })
    const done = await db.$transaction(async (tx) => {
      // Another instance may be sending the same digest: whoever marks the rows first sends it.
      const { count } = await tx.notification.updateMany({ where: { id: { in: items.map((n) => n.id) }, digestedAt: null }, data: { digestedAt: now } })
      if (count !== items.length) throw new DigestTaken()
      await queueEmail(tx, { to: user.email, ...mail, category: 'digest' })
      return true
    }).catch((error: unknown) => {
      if (error instanceof DigestTaken) return false
      throw error
    })
    if (done) sent++
  }
  return { sent }
}

class DigestTaken extends Error {}
