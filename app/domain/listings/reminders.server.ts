import { z } from 'zod'
import { appUrl, queueEmail } from '~/domain/notifications/email.server'
import { DEFAULT_LOCALE, isLocale, translator } from '~/i18n/i18n'
import { prisma } from '~/infra/db/client.server'
import { LISTING_KINDS, KIND_PATHS } from './kinds'
import { delegate } from './listings.server'

const StalePayload = z.object({ kind: z.enum(LISTING_KINDS), id: z.string() })

// Message keys written out, so that the catalogue test can check each one.
const KIND_NAMES = { achievement: 'mail.stale.kind.achievement', demand: 'mail.stale.kind.demand', scenario: 'mail.stale.kind.scenario' } as const

/** Outbox handler: tells the people behind a stale listing to refresh or archive it. */
export async function remindStaleListing(payload: unknown) {
  const { kind, id } = StalePayload.parse(payload)
  const db = await prisma()
  const row = (await delegate(db, kind).findFirst({ where: { id }, select: { id: true, title: true, orgId: true, createdById: true, staleAt: true } })) as
    | { id: string; title: string; orgId: string; createdById: string | null; staleAt: Date | null }
    | null
  if (!row?.staleAt) return // refreshed or removed meanwhile: nothing to say
  const people = await db.user.findMany({
    where: { disabledAt: null, OR: [{ id: row.createdById ?? '' }, { orgId: row.orgId, isOrgAdmin: true }] },
    select: { email: true, name: true, locale: true },
  })
  if (people.length === 0) return
  const url = appUrl(`/${KIND_PATHS[kind]}/${row.id}`)
  // One logged e-mail per person, in their language, sent through the outbox ('email.send').
  await db.$transaction(async (tx) => {
    for (const person of people) {
      const t = translator(isLocale(person.locale) ? person.locale : DEFAULT_LOCALE)
      const params = { kind: t(KIND_NAMES[kind]), title: row.title }
      await queueEmail(tx, {
        to: person.email,
        subject: t('mail.subject', { subject: t('mail.stale.subject', params) }),
        text: [t('mail.greeting', { name: person.name }), '', t('mail.stale.text', params), '', t('mail.open', { url })].join('\n'),
        category: 'listing.stale',
      })
    }
  })
}
