import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/infra/db/client.server'
import { resetEnv } from '~/infra/env.server'
import { makeUser } from '../../../tests/factories'
import { chinaDayStart, sendDailyDigests } from './digest.server'
import { notify } from './notify.server'

const HOUR = 3600 * 1000

/** The next 09:00 China time at least an hour from now (the notifications below are older). */
function nextMorning(): Date {
  const start = chinaDayStart(new Date(Date.now() + 2 * HOUR))
  return new Date(start.getTime() + 9 * HOUR + (start.getTime() + 9 * HOUR < Date.now() + HOUR ? 24 * HOUR : 0))
}

async function send(userId: string, type: 'deal.stage' | 'demand.claimed' | 'deal.message', title: string) {
  const db = await prisma()
  const [id] = await db.$transaction((tx) => notify(tx, { userIds: [userId], type, params: { deal: 'd', dealTitle: title, demand: 'x', demandTitle: title, broker: '李经纪', stage: 'NDA', author: '王' }, link: '/deals/d' }))
  return id!
}

async function digestsTo(email: string) {
  const db = await prisma()
  return db.emailMessage.findMany({ where: { to: email, category: 'digest' }, orderBy: { createdAt: 'asc' } })
}

beforeAll(() => {
  process.env.KZ_PUBLIC_URL = 'https://kz.example.cn'
  resetEnv()
  return () => {
    delete process.env.KZ_PUBLIC_URL
    resetEnv()
  }
})

describe('the daily digest', () => {
  it('sends one e-mail a day with the unread notifications not e-mailed at once, and marks them', async () => {
    const user = await makeUser()
    const stage = await send(user.id, 'deal.stage', '伺服电机')
    const claimed = await send(user.id, 'demand.claimed', '压铸件检测')
    const message = await send(user.id, 'deal.message', '已单独邮件') // e-mailed at once by default
    const read = await send(user.id, 'deal.stage', '已读的')
    const db = await prisma()
    await db.notification.update({ where: { id: read }, data: { readAt: new Date() } })

    const morning = nextMorning()
    // Before 08:00 China time: nothing yet.
    expect((await sendDailyDigests({ now: new Date(chinaDayStart(morning).getTime() + 7 * HOUR) })).sent).toBe(0)
    expect(await digestsTo(user.email)).toHaveLength(0)

    await sendDailyDigests({ now: morning })
    const [digest] = await digestsTo(user.email)
    expect(digest).toMatchObject({ status: 'QUEUED', subject: '【科转】每日消息摘要：2 条未读' })
    expect(digest!.text).toContain('伺服电机')
    expect(digest!.text).toContain('压铸件检测')
    expect(digest!.text).not.toContain('已单独邮件')
    expect(digest!.text).not.toContain('已读的')
    expect(digest!.text).toContain(`https://kz.example.cn/notifications/${stage}/open`)
    const marked = await db.notification.findMany({ where: { id: { in: [stage, claimed, message, read] } }, select: { id: true, digestedAt: true } })
    expect(Object.fromEntries(marked.map((n) => [n.id, n.digestedAt?.getTime() ?? null]))).toEqual({
      [stage]: morning.getTime(),
      [claimed]: morning.getTime(),
      [message]: null,
      [read]: null,
    })
    expect(await db.outbox.count({ where: { topic: 'email.send', payload: { equals: { emailId: digest!.id } } } })).toBe(1)

    // Later the same day, with a new notification: still one digest that day (run twice: idempotent).
    await send(user.id, 'deal.stage', '下午的新消息')
    await sendDailyDigests({ now: new Date(morning.getTime() + 6 * HOUR) })
    await sendDailyDigests({ now: new Date(morning.getTime() + 6 * HOUR) })
    expect(await digestsTo(user.email)).toHaveLength(1)

    // The next morning: the new one only.
    await sendDailyDigests({ now: new Date(morning.getTime() + 24 * HOUR) })
    const digests = await digestsTo(user.email)
    expect(digests).toHaveLength(2)
    expect(digests[1]!.subject).toBe('【科转】每日消息摘要：1 条未读')
    expect(digests[1]!.text).toContain('下午的新消息')
    expect(digests[1]!.text).not.toContain('伺服电机')
  })

  it('writes in the person’s language, and sends nothing to someone who turned the digest off or has nothing new', async () => {
    const english = await makeUser()
    const off = await makeUser()
    const nothing = await makeUser()
    const db = await prisma()
    await db.user.update({ where: { id: english.id }, data: { locale: 'en' } })
    await db.notificationSettings.create({ data: { userId: off.id, emailTypes: [], mutedTypes: [], dailyDigest: false } })
    await send(english.id, 'deal.stage', 'Gearbox')
    await send(off.id, 'deal.stage', 'Gearbox')
    const read = await send(nothing.id, 'deal.stage', 'Gearbox')
    await db.notification.update({ where: { id: read }, data: { readAt: new Date() } })

    await sendDailyDigests({ now: nextMorning() })
    const [mail] = await digestsTo(english.email)
    expect(mail!.subject).toBe('[KeZhuan] Daily digest: 1 unread')
    expect(mail!.text).toContain('The deal "Gearbox" moved to')
    expect(await digestsTo(off.email)).toHaveLength(0)
    expect(await digestsTo(nothing.email)).toHaveLength(0)
  })
})
