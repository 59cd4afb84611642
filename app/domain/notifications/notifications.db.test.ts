import { RouterContextProvider } from 'react-router'
import { describe, expect, it } from 'vitest'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { prisma } from '~/infra/db/client.server'
import { authContext } from '~/infra/http/context'
import { makeUser } from '../../../tests/factories'
import * as prefsRoute from '../../routes/account.notifications'
import * as openRoute from '../../routes/notifications.open'
import * as listRoute from '../../routes/notifications'
import { unreadCount } from './notifications.server'
import { notify } from './notify.server'

const ORIGIN = 'http://localhost'

async function context(user?: { id: string }) {
  const ctx = new RouterContextProvider()
  if (user) ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
  return ctx
}
const args = async (request: Request, user?: { id: string }, params: Record<string, string> = {}) => ({ request, params, context: await context(user) }) as never
const post = (path: string, fields: [string, string][]) => new Request(`${ORIGIN}${path}`, { method: 'POST', body: new URLSearchParams(fields) })

async function rejection(promise: Promise<unknown>): Promise<Response> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(Response)
  return error as Response
}

async function send(userIds: string[], type: 'deal.message' | 'deal.stage' | 'search.alert', exceptUserId?: string) {
  const db = await prisma()
  return db.$transaction((tx) =>
    notify(tx, { userIds, type, params: { deal: 'd1', dealTitle: '伺服电机', author: '李经纪', stage: 'NDA', name: '机器人', count: 1, title: 'x' }, link: '/deals/d1', exceptUserId }),
  )
}

async function emailsQueuedFor(notificationIds: string[]) {
  const db = await prisma()
  const rows = await db.outbox.findMany({ where: { topic: 'notification.email' }, select: { payload: true } })
  return rows.map((r) => (r.payload as { notificationId: string }).notificationId).filter((id) => notificationIds.includes(id))
}

describe('notify', () => {
  it('notifies each person once, never the one who acted, nor a disabled account', async () => {
    const a = await makeUser()
    const b = await makeUser()
    const actor = await makeUser()
    const db = await prisma()
    await db.user.update({ where: { id: b.id }, data: { disabledAt: new Date() } })
    const ids = await send([a.id, a.id, b.id, actor.id], 'deal.message', actor.id)
    expect(ids).toHaveLength(1)
    expect(await db.notification.count({ where: { userId: a.id } })).toBe(1)
    expect(await db.notification.count({ where: { userId: { in: [b.id, actor.id] } } })).toBe(0)
  })

  it('e-mails the types that are e-mailed by default, and not the others', async () => {
    const user = await makeUser()
    const [message] = await send([user.id], 'deal.message')
    const [stage] = await send([user.id], 'deal.stage')
    expect(await emailsQueuedFor([message!, stage!])).toEqual([message])
  })

  it('respects the person’s choices: a muted type is not notified, e-mail only for the chosen types', async () => {
    const user = await makeUser()
    const form: [string, string][] = [
      ['inApp', 'deal.stage'],
      ['inApp', 'search.alert'],
      ['email', 'deal.stage'],
      ['email', 'deal.message'], // muted in the app: not e-mailed either
      ['locale', 'en'],
    ]
    const saved = await prefsRoute.action(await args(post('/account/notifications', form), user))
    expect((saved as Response).status).toBe(302)
    const prefs = await prefsRoute.loader(await args(new Request(`${ORIGIN}/account/notifications`), user))
    expect(prefs.settings).toMatchObject({ email: ['deal.stage'], dailyDigest: false, locale: 'en' })
    expect(prefs.settings.muted).toContain('deal.message')
    expect(prefs.settings.muted).not.toContain('deal.stage')

    expect(await send([user.id], 'deal.message')).toEqual([])
    const [stage] = await send([user.id], 'deal.stage')
    const [alert] = await send([user.id], 'search.alert')
    expect(await emailsQueuedFor([stage!, alert!])).toEqual([stage])
    const db = await prisma()
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).locale).toBe('en')
  })

  it('refuses an unknown type or language with a clear message, and writes nothing', async () => {
    const user = await makeUser()
    for (const form of [
      [['inApp', 'deal.stage'], ['inApp', 'no.such.type'], ['locale', 'zh-CN']],
      [['email', '<script>'], ['locale', 'zh-CN']],
      [['inApp', 'deal.stage'], ['locale', 'fr']],
    ] as [string, string][][]) {
      const result = (await prefsRoute.action(await args(post('/account/notifications', form), user))) as unknown as { init: ResponseInit; data: { formError: string } }
      expect(result.init.status).toBe(400)
      expect(['err.notify.unknownType', 'err.notify.locale']).toContain(result.data.formError)
    }
    const db = await prisma()
    expect(await db.notificationSettings.count({ where: { userId: user.id } })).toBe(0)
    const defaults = await prefsRoute.loader(await args(new Request(`${ORIGIN}/account/notifications`), user))
    expect(defaults.settings).toMatchObject({ muted: [], dailyDigest: true, locale: 'zh-CN' })
    expect(defaults.settings.email).toContain('deal.message')
    expect(defaults.settings.email).not.toContain('deal.stage')
  })
})

describe('/notifications', () => {
  it('lists the person’s own notifications newest first, marks one or all read, and the bell count follows', async () => {
    const user = await makeUser()
    const other = await makeUser()
    const [first] = await send([user.id], 'deal.message')
    const [second] = await send([user.id], 'deal.stage')
    const [theirs] = await send([other.id], 'deal.message')
    const page = await listRoute.loader(await args(new Request(`${ORIGIN}/notifications`), user))
    expect(page.items.map((n) => n.id)).toEqual([second, first])
    expect(page.unread).toBe(2)
    expect(await unreadCount(user.id)).toBe(2)

    const read = (await listRoute.action(await args(post('/notifications', [['intent', 'read'], ['id', first!]]), user))) as Response
    expect(read.status).toBe(302)
    expect(await unreadCount(user.id)).toBe(1)
    const unreadOnly = await listRoute.loader(await args(new Request(`${ORIGIN}/notifications?show=unread`), user))
    expect(unreadOnly.items.map((n) => n.id)).toEqual([second])

    // Someone else's notification cannot be marked.
    expect((await rejection(listRoute.action(await args(post('/notifications', [['intent', 'read'], ['id', theirs!]]), user)))).status).toBe(404)
    expect(await unreadCount(other.id)).toBe(1)
    const bad = (await listRoute.action(await args(post('/notifications', [['intent', 'explode']]), user))) as unknown as { init: ResponseInit }
    expect(bad.init.status).toBe(400)

    const all = (await listRoute.action(await args(post('/notifications', [['intent', 'read-all']]), user))) as Response
    expect(all.status).toBe(302)
    expect(await unreadCount(user.id)).toBe(0)
    expect(await unreadCount(other.id)).toBe(1)
  })

  it('following a notification marks it read and goes to its link; another person’s is 404', async () => {
    const user = await makeUser()
    const other = await makeUser()
    const [mine] = await send([user.id], 'deal.message')
    const [theirs] = await send([other.id], 'deal.message')
    const opened = (await openRoute.loader(await args(new Request(`${ORIGIN}/notifications/${mine}/open`), user, { id: mine! }))) as Response
    expect(opened.status).toBe(302)
    expect(opened.headers.get('Location')).toBe('/deals/d1')
    expect(await unreadCount(user.id)).toBe(0)
    expect((await rejection(openRoute.loader(await args(new Request(`${ORIGIN}/notifications/${theirs}/open`), user, { id: theirs! })))).status).toBe(404)
    expect(await unreadCount(other.id)).toBe(1)
    const anonymous = await rejection(openRoute.loader(await args(new Request(`${ORIGIN}/notifications/${mine}/open`), undefined, { id: mine! })))
    expect(anonymous.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(`/notifications/${mine}/open`)}`)
  })

  it('never keeps a link to another site', async () => {
    const user = await makeUser()
    const db = await prisma()
    const [id] = await db.$transaction((tx) => notify(tx, { userIds: [user.id], type: 'broker.verified', link: '//evil.example.com/x' }))
    expect((await db.notification.findUniqueOrThrow({ where: { id: id! } })).link).toBeNull()
    const opened = (await openRoute.loader(await args(new Request(`${ORIGIN}/notifications/${id}/open`), user, { id: id! }))) as Response
    expect(opened.headers.get('Location')).toBe('/notifications')
  })
})
