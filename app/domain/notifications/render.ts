import { STAGE_KEYS } from '~/domain/deals/stages'
import type { Translate } from '~/i18n/i18n'
import { isNotificationType, NOTIFICATION_TYPES, type NotificationType } from './types'

/**
 * How a notification reads: its text, e-mail subject and the name of its type (preferences,
 * digest headings), each a catalogue key filled with the stored parameters in the reader's
 * language. The keys are written out so that the catalogue test checks every one.
 */
export const NOTIFY_KEYS: Record<NotificationType, { text: string; subject: string; label: string }> = {
  'deal.message': { text: 'notify.deal.message', subject: 'notify.deal.message.subject', label: 'notify.deal.message.label' },
  'deal.stage': { text: 'notify.deal.stage', subject: 'notify.deal.stage.subject', label: 'notify.deal.stage.label' },
  'deal.introduced': { text: 'notify.deal.introduced', subject: 'notify.deal.introduced.subject', label: 'notify.deal.introduced.label' },
  'deal.assigned': { text: 'notify.deal.assigned', subject: 'notify.deal.assigned.subject', label: 'notify.deal.assigned.label' },
  'deal.overdue': { text: 'notify.deal.overdue', subject: 'notify.deal.overdue.subject', label: 'notify.deal.overdue.label' },
  'nda.requested': { text: 'notify.nda.requested', subject: 'notify.nda.requested.subject', label: 'notify.nda.requested.label' },
  'nda.effective': { text: 'notify.nda.effective', subject: 'notify.nda.effective.subject', label: 'notify.nda.effective.label' },
  'demand.confirm': { text: 'notify.demand.confirm', subject: 'notify.demand.confirm.subject', label: 'notify.demand.confirm.label' },
  'demand.confirmed': { text: 'notify.demand.confirmed', subject: 'notify.demand.confirmed.subject', label: 'notify.demand.confirmed.label' },
  'demand.claimed': { text: 'notify.demand.claimed', subject: 'notify.demand.claimed.subject', label: 'notify.demand.claimed.label' },
  'broker.verified': { text: 'notify.broker.verified', subject: 'notify.broker.verified.subject', label: 'notify.broker.verified.label' },
  'broker.refused': { text: 'notify.broker.refused', subject: 'notify.broker.refused.subject', label: 'notify.broker.refused.label' },
  'demand.declined': { text: 'notify.demand.declined', subject: 'notify.demand.declined.subject', label: 'notify.demand.declined.label' },
  'payment.receiptRejected': {
    text: 'notify.payment.receiptRejected',
    subject: 'notify.payment.receiptRejected.subject',
    label: 'notify.payment.receiptRejected.label',
  },
  'followup.due': { text: 'notify.followup.due', subject: 'notify.followup.due.subject', label: 'notify.followup.due.label' },
  'search.alert': { text: 'notify.search.alert', subject: 'notify.search.alert.subject', label: 'notify.search.alert.label' },
}

/** The types in the order people see them (preferences, digest). */
export const TYPE_ORDER = Object.keys(NOTIFICATION_TYPES) as NotificationType[]

export interface StoredNotification {
  type: string
  params: unknown
}

type Params = Record<string, string | number>

/** Stored parameters as text parameters: only strings and numbers, codes named in the reader's language. */
export function textParams(t: Translate, params: unknown): Params {
  const out: Params = {}
  if (!params || typeof params !== 'object' || Array.isArray(params)) return out
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) out[key] = value
  }
  if (typeof out.stage === 'string' && Object.hasOwn(STAGE_KEYS, out.stage)) out.stage = t(STAGE_KEYS[out.stage as keyof typeof STAGE_KEYS])
  return out
}

/** Fills a key, showing a dash for a parameter the stored row lacks rather than `{name}`. */
function fill(t: Translate, key: string, params: Params): string {
  const all: Params = { ...params }
  for (const [, name] of t(key).matchAll(/\{(\w+)\}/g)) if (!(name! in all)) all[name!] = '—'
  return t(key, all)
}

export function notificationText(t: Translate, n: StoredNotification): string {
  if (!isNotificationType(n.type)) return t('notifications.unknownType')
  return fill(t, NOTIFY_KEYS[n.type].text, textParams(t, n.params))
}

export function notificationSubject(t: Translate, n: StoredNotification): string {
  const subject = isNotificationType(n.type) ? fill(t, NOTIFY_KEYS[n.type].subject, textParams(t, n.params)) : t('notifications.unknownType')
  return t('mail.subject', { subject })
}

export function typeLabel(t: Translate, type: string): string {
  return isNotificationType(type) ? t(NOTIFY_KEYS[type].label) : t('notifications.unknownType')
}

export interface MailText {
  subject: string
  text: string
}

const footer = (t: Translate, prefsUrl: string) => ['', '——', t('mail.footer', { url: prefsUrl })]

/** One notification as an e-mail: greeting, the text, the link to open it, where to change this. */
export function renderNotificationEmail({
  t,
  name,
  notification,
  url,
  prefsUrl,
}: {
  t: Translate
  name: string
  notification: StoredNotification
  url: string
  prefsUrl: string
}): MailText {
  return {
    subject: notificationSubject(t, notification),
    text: [t('mail.greeting', { name }), '', notificationText(t, notification), '', t('mail.open', { url }), ...footer(t, prefsUrl)].join('\n'),
  }
}

export interface DigestItem extends StoredNotification {
  createdAt: Date
  url: string
}

export interface DigestGroup {
  type: string
  items: DigestItem[]
}

/** Notifications grouped by type, in the order of the types, newest first within a group. */
export function groupForDigest(items: DigestItem[]): DigestGroup[] {
  const order = (type: string) => {
    const i = TYPE_ORDER.indexOf(type as NotificationType)
    return i === -1 ? TYPE_ORDER.length : i
  }
  const groups = new Map<string, DigestItem[]>()
  for (const item of items) groups.set(item.type, [...(groups.get(item.type) ?? []), item])
  return [...groups.entries()]
    .map(([type, list]) => ({ type, items: [...list].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()) }))
    .sort((a, b) => order(a.type) - order(b.type) || a.type.localeCompare(b.type))
}

/** China time (UTC+8, no daylight saving), the same wherever the server runs. */
export function chinaTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3600 * 1000).toISOString().slice(5, 16).replace('T', ' ')
}

/** One e-mail with the day's unread notifications, grouped by type. */
export function renderDigest({
  t,
  name,
  items,
  listUrl,
  prefsUrl,
}: {
  t: Translate
  name: string
  items: DigestItem[]
  listUrl: string
  prefsUrl: string
}): MailText {
  const lines = [t('mail.greeting', { name }), '', t('mail.digest.intro', { count: items.length })]
  for (const group of groupForDigest(items)) {
    lines.push('', `■ ${t('mail.digest.group', { label: typeLabel(t, group.type), count: group.items.length })}`)
    for (const item of group.items) {
      lines.push(`  · ${t('mail.digest.item', { text: notificationText(t, item), time: chinaTime(item.createdAt) })}`, `    ${item.url}`)
    }
  }
  lines.push('', t('mail.digest.all', { url: listUrl }), ...footer(t, prefsUrl))
  return { subject: t('mail.subject', { subject: t('mail.digest.subject', { count: items.length }) }), text: lines.join('\n') }
}
