import { z } from 'zod'
import { AppError } from '~/domain/errors'
import type { Actor } from '~/domain/users/accounts.server'
import { msg } from '~/domain/validation/fields'
import { LOCALES, type Locale } from '~/i18n/i18n'
import { prisma } from '~/infra/db/client.server'
import { isNotificationType, NOTIFICATION_TYPES, type NotificationType } from './types'

/** In-app notifications: each person reads and marks only their own. */

export const PAGE_SIZE = 30

/** The header badge: one count on the (userId, readAt, createdAt) index. */
export async function unreadCount(userId: string): Promise<number> {
  const db = await prisma()
  return db.notification.count({ where: { userId, readAt: null } })
}

export async function listNotifications({ actor, page = 1, unreadOnly = false }: { actor: Actor; page?: number; unreadOnly?: boolean }) {
  const db = await prisma()
  const where = { userId: actor.id, ...(unreadOnly ? { readAt: null } : {}) }
  const [items, total, unread] = await Promise.all([
    db.notification.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: { id: true, type: true, params: true, link: true, readAt: true, createdAt: true },
    }),
    db.notification.count({ where }),
    unreadCount(actor.id),
  ])
  return { items, total, unread, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) }
}

/** Marks one of the actor's notifications read; someone else's is simply not found. */
export async function markRead({ actor, id }: { actor: Actor; id: string }) {
  const db = await prisma()
  const row = await db.notification.findFirst({ where: { id, userId: actor.id }, select: { id: true, link: true, readAt: true } })
  if (!row) throw new AppError('NOT_FOUND', 'err.notFound')
  if (!row.readAt) await db.notification.updateMany({ where: { id, userId: actor.id, readAt: null }, data: { readAt: new Date() } })
  return { link: row.link }
}

export async function markAllRead({ actor }: { actor: Actor }) {
  const db = await prisma()
  const { count } = await db.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: new Date() } })
  return count
}

// ─── Preferences ─────────────────────────────────────────────────────────────────────

export const ALL_TYPES = Object.keys(NOTIFICATION_TYPES) as NotificationType[]
export const DEFAULT_EMAIL_TYPES = ALL_TYPES.filter((t) => NOTIFICATION_TYPES[t].email)

const TypeList = z
  .array(z.string())
  .default([])
  .refine((list) => list.every(isNotificationType), { error: msg('err.notify.unknownType') })
  .transform((list) => [...new Set(list)] as NotificationType[])

/** The preferences form: the types shown in the app, the types e-mailed at once, the digest, the e-mail language. */
export const NotificationSettingsSchema = z.object({
  inApp: TypeList,
  email: TypeList,
  dailyDigest: z
    .union([z.literal('on'), z.literal('true'), z.literal('')], { error: msg('err.badRequest') })
    .optional()
    .transform((v) => v === 'on' || v === 'true'),
  locale: z.enum(LOCALES, { error: msg('err.notify.locale') }),
})
export type NotificationSettingsInput = z.output<typeof NotificationSettingsSchema>

/** Reads a submitted form (repeated checkboxes) into the schema's shape. */
export function settingsFormValues(form: FormData) {
  const one = (name: string) => {
    const value = form.get(name)
    return typeof value === 'string' ? value : undefined
  }
  return { inApp: form.getAll('inApp').map(String), email: form.getAll('email').map(String), dailyDigest: one('dailyDigest'), locale: one('locale') }
}

export interface NotificationSettingsView {
  muted: NotificationType[]
  email: NotificationType[]
  dailyDigest: boolean
  locale: Locale
}

export async function getNotificationSettings({ actor }: { actor: Actor }): Promise<NotificationSettingsView> {
  const db = await prisma()
  const user = await db.user.findUnique({
    where: { id: actor.id },
    select: { locale: true, notificationPrefs: { select: { emailTypes: true, mutedTypes: true, dailyDigest: true } } },
  })
  if (!user) throw new AppError('NOT_FOUND', 'err.notFound')
  const prefs = user.notificationPrefs
  return {
    muted: (prefs?.mutedTypes ?? []).filter(isNotificationType),
    email: prefs ? prefs.emailTypes.filter(isNotificationType) : DEFAULT_EMAIL_TYPES,
    dailyDigest: prefs?.dailyDigest ?? true,
    locale: (LOCALES as readonly string[]).includes(user.locale) ? (user.locale as Locale) : 'zh-CN',
  }
}

/** Saves the actor's preferences; a type shown nowhere in the app is not e-mailed either. */
export async function updateNotificationSettings({ actor, input }: { actor: Actor; input: NotificationSettingsInput }) {
  const db = await prisma()
  const mutedTypes = ALL_TYPES.filter((t) => !input.inApp.includes(t))
  const emailTypes = ALL_TYPES.filter((t) => input.email.includes(t) && !mutedTypes.includes(t))
  await db.$transaction(async (tx) => {
    await tx.notificationSettings.upsert({
      where: { userId: actor.id },
      create: { userId: actor.id, mutedTypes, emailTypes, dailyDigest: input.dailyDigest },
      update: { mutedTypes, emailTypes, dailyDigest: input.dailyDigest },
    })
    await tx.user.update({ where: { id: actor.id }, data: { locale: input.locale } })
  })
  return { mutedTypes, emailTypes, dailyDigest: input.dailyDigest, locale: input.locale }
}
