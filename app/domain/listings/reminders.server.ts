import { z } from 'zod'
import { sendMail } from '~/infra/mail/mailer.server'
import { prisma } from '~/infra/db/client.server'
import { LISTING_KINDS, KIND_PATHS } from './kinds'
import { delegate } from './listings.server'

const StalePayload = z.object({ kind: z.enum(LISTING_KINDS), id: z.string() })

const KIND_NAMES = { achievement: '科技成果', demand: '技术需求', scenario: '应用场景' } as const

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
    select: { email: true },
  })
  if (people.length === 0) return
  await sendMail({
    to: people.map((p) => p.email),
    subject: `【科转】请更新您的${KIND_NAMES[kind]}：${row.title}`,
    text: [
      `您发布的${KIND_NAMES[kind]}「${row.title}」已超过 180 天未更新或已过截止日期，已被标记为“待更新”。`,
      `请登录科转确认信息是否仍然有效：刷新后恢复正常展示，或将其归档。`,
      ``,
      `/${KIND_PATHS[kind]}/${row.id}`,
      ``,
      `Your listing "${row.title}" has not been refreshed for 180 days or is past its deadline. Please refresh or archive it.`,
    ].join('\n'),
  })
}
