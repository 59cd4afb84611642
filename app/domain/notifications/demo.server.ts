import type { Prisma } from '~/generated/prisma/client'
import type { ListingKind } from '~/domain/listings/kinds'
import { delegate } from '~/domain/listings/listings.server'
import { savedSearchHref } from '~/domain/saved-searches/saved-searches.server'
import { notify } from './notify.server'
import { prisma } from '~/infra/db/client.server'

/**
 * Demo saved searches, each with the alert it raised for demo listings it finds, so that the
 * bell (and the e-mail log) has something to show on a first start. The alerts name real listings (recorded as hits,
 * so the chore does not announce them again). Safe to run again: a person who has saved
 * searches already is left alone.
 */
const DEMO_SEARCHES: { email: string; name: string; word: string; kind: ListingKind }[] = [
  { email: 'enterprise@demo.kezhuan.cn', name: '机器人相关成果', word: '机器人', kind: 'achievement' },
  { email: 'broker@demo.kezhuan.cn', name: '压铸与铸造需求', word: '铸', kind: 'demand' },
  // The administrator belongs to no organisation, so nothing else notifies them: the browser test counts these.
  { email: 'admin@demo.kezhuan.cn', name: '电池相关成果', word: '电池', kind: 'achievement' },
]

export async function seedDemoNotifications() {
  const db = await prisma()
  let created = 0
  for (const demo of DEMO_SEARCHES) {
    const user = await db.user.findUnique({ where: { email: demo.email }, select: { id: true, _count: { select: { savedSearches: true } } } })
    if (!user || user._count.savedSearches > 0) continue
    const listings = (await delegate(db, demo.kind).findMany({
      where: { status: 'PUBLISHED', title: { contains: demo.word } },
      orderBy: [{ publishedAt: 'desc' }, { id: 'asc' }],
      take: 3,
      select: { id: true, title: true },
    })) as { id: string; title: string }[]
    await db.$transaction(async (tx: Prisma.TransactionClient) => {
      const now = new Date()
      const saved = await tx.savedSearch.create({
        data: { userId: user.id, name: demo.name, kind: 'SEARCH', params: { q: demo.word, kind: demo.kind }, createdAt: now, lastCheckedAt: now },
      })
      if (listings.length === 0) return
      await tx.savedSearchHit.createMany({ data: listings.map((l) => ({ savedSearchId: saved.id, listingKind: demo.kind, listingId: l.id })) })
      // As the alert chore would: in the app, and by e-mail (search.alert is e-mailed at once).
      await notify(tx, {
        userIds: [user.id],
        type: 'search.alert',
        params: { search: saved.id, name: saved.name, count: listings.length, title: listings[0]!.title },
        link: `${savedSearchHref(saved)}&sort=newest`,
      })
      created++
    })
  }
  return { created }
}
