import { RouterContextProvider } from 'react-router'
import { beforeAll, describe, expect, it } from 'vitest'
import { createListing, transitionListing } from '~/domain/listings/listings.server'
import { AchievementInputSchema, DemandInputSchema } from '~/domain/listings/schemas'
import { recomputeMatches } from '~/domain/matching/stored.server'
import type { Actor } from '~/domain/users/accounts.server'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { prisma } from '~/infra/db/client.server'
import { authContext } from '~/infra/http/context'
import { makeUser } from '../../../tests/factories'
import * as route from '../../routes/saved-searches'
import { checkSavedSearches, listSavedSearches, saveSearch, watchMatches } from './saved-searches.server'

const ORIGIN = 'http://localhost'
let bureau: Actor
let supplier: Actor

async function context(user?: { id: string }) {
  const ctx = new RouterContextProvider()
  if (user) ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
  return ctx
}
const args = async (request: Request, user?: { id: string }) => ({ request, params: {}, context: await context(user) }) as never
const post = (fields: Record<string, string>) => new Request(`${ORIGIN}/saved-searches`, { method: 'POST', body: new URLSearchParams(fields) })
type ActionData = { init: ResponseInit; data: { formError?: string; fieldErrors?: Record<string, string[]> } }

async function rejection(promise: Promise<unknown>): Promise<Response> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(Response)
  return error as Response
}

const achievement = (title: string, summary: string, keywords: string[]) => ({
  title, summary, field: '先进制造与自动化', industry: '汽车及零部件', keywords, trl: 7, transferModes: ['许可', '技术服务'], askingPrice: 800000,
})

async function publish(kind: 'achievement' | 'demand', input: Record<string, unknown>, owner: Actor) {
  const schema = kind === 'achievement' ? AchievementInputSchema : DemandInputSchema
  const row = await createListing({ actor: owner, kind, input: schema.parse(input), submit: true })
  await transitionListing({ actor: bureau, kind, id: row.id, action: 'approve' })
  return row.id
}

async function alertsFor(userId: string) {
  const db = await prisma()
  return db.notification.findMany({ where: { userId, type: 'search.alert' }, orderBy: { createdAt: 'asc' } })
}

beforeAll(async () => {
  bureau = await makeUser({ role: 'BUREAU' })
  supplier = await makeUser({ role: 'SUPPLIER' })
})

describe('saved search alerts', () => {
  it('reports a new matching listing once, and not one published before the search was saved', async () => {
    const user = await makeUser({ role: 'ENTERPRISE' })
    const before = await publish('achievement', achievement('谐波减速器柔轮疲劳寿命提升', '谐波减速器柔轮的疲劳寿命提升工艺。', ['谐波减速器', '柔轮']), supplier)
    const saved = await saveSearch({ actor: user, input: { name: '减速器', query: '?q=谐波减速器&kind=achievement&page=3' } })
    expect(saved.params).toEqual({ q: '谐波减速器', kind: 'achievement' })

    expect((await checkSavedSearches({ now: new Date() })).alerts).toBe(0)
    expect(await alertsFor(user.id)).toHaveLength(0)

    const fresh = await publish('achievement', achievement('精密谐波减速器齿形优化设计', '谐波减速器双圆弧齿形优化，提升传动精度。', ['谐波减速器', '齿形']), supplier)
    await publish('achievement', achievement('茶园病虫害绿色防控', '天敌昆虫与生物农药结合。', ['茶叶', '病虫害']), supplier)
    await checkSavedSearches({ now: new Date() })
    const [alert] = await alertsFor(user.id)
    expect(alert).toBeTruthy()
    expect(alert!.params).toMatchObject({ search: saved.id, name: '减速器', count: 1, title: '精密谐波减速器齿形优化设计' })
    expect(alert!.link).toBe('/search?q=%E8%B0%90%E6%B3%A2%E5%87%8F%E9%80%9F%E5%99%A8&kind=achievement&sort=newest')
    const db = await prisma()
    const hits = await db.savedSearchHit.findMany({ where: { savedSearchId: saved.id } })
    expect(hits.map((h) => h.listingId)).toEqual([fresh])
    expect(hits.map((h) => h.listingId)).not.toContain(before)

    // Checked again (the look-back window still covers it): not reported twice.
    await checkSavedSearches({ now: new Date() })
    expect(await alertsFor(user.id)).toHaveLength(1)
    expect((await listSavedSearches({ actor: user }))[0]).toMatchObject({ hits: 1, href: '/search?q=%E8%B0%90%E6%B3%A2%E5%87%8F%E9%80%9F%E5%99%A8&kind=achievement' })
  })

  it('stays silent with alerts off', async () => {
    const user = await makeUser({ role: 'BROKER' })
    const listening = await makeUser({ role: 'BROKER' })
    const saved = await saveSearch({ actor: user, input: { name: '缸体', query: 'q=缸体再制造' } })
    await saveSearch({ actor: listening, input: { name: '缸体', query: 'q=缸体再制造' } })
    const off = (await route.action(await args(post({ intent: 'alert', id: saved.id, alert: 'off' }), user))) as Response
    expect(off.status).toBe(302)
    await publish('achievement', achievement('摩托车缸体激光熔覆再制造', '摩托车发动机缸体磨损部位的激光熔覆再制造工艺，恢复尺寸与性能。', ['缸体', '再制造']), supplier)
    await checkSavedSearches({ now: new Date() })
    expect(await alertsFor(user.id)).toHaveLength(0)
    expect(await alertsFor(listening.id)).toHaveLength(1)
  })

  it('alerts on a new pair in a watched match list, once, and only for who may see the list', async () => {
    const enterprise = await makeUser({ role: 'ENTERPRISE' })
    const stranger = await makeUser({ role: 'ENTERPRISE' })
    const xray = await publish('achievement', achievement('压铸件内部气孔X射线在线检测系统', '基于X射线成像与深度学习的铝合金压铸件气孔缺陷在线检测，节拍 20 秒。', ['压铸件', '气孔', '在线检测', 'X射线']), supplier)
    const need = await publish('demand', {
      title: '压铸件气孔太多，想上在线检测',
      description: '我们做新能源汽车铝合金压铸件，气孔和砂眼多，人工抽检跟不上，想上一套压铸件气孔在线检测。',
      field: '先进制造与自动化', industry: '汽车及零部件', budget: 1000000, cooperationModes: ['技术服务', '合作开发'],
    }, enterprise)
    await recomputeMatches({ kind: 'demand', id: need })
    const db = await prisma()
    expect(await db.listingMatch.count({ where: { needKind: 'demand', needId: need, offerId: xray } })).toBe(1)

    // Only those who see the match list may watch it: a stranger gets 403, a forged listing 404.
    expect((await rejection(route.action(await args(post({ intent: 'watch', kind: 'demand', id: need }), stranger)))).status).toBe(403)
    expect((await rejection(route.action(await args(post({ intent: 'watch', kind: 'demand', id: 'cl_forged_id' }), enterprise)))).status).toBe(404)
    expect(await db.savedSearch.count({ where: { userId: stranger.id } })).toBe(0)

    const watched = (await route.action(await args(post({ intent: 'watch', kind: 'demand', id: need, redirectTo: `/demands/${need}` }), enterprise))) as Response
    expect(watched.headers.get('Location')).toBe(`/demands/${need}`)
    const again = await watchMatches({ actor: enterprise, kind: 'demand', id: need })
    expect(again.created).toBe(false)
    expect(await db.savedSearch.count({ where: { userId: enterprise.id, kind: 'MATCHES' } })).toBe(1)

    // The existing pair is already known; recomputing the list does not make it new.
    await recomputeMatches({ kind: 'demand', id: need })
    await checkSavedSearches({ now: new Date() })
    expect(await alertsFor(enterprise.id)).toHaveLength(0)

    const newer = await publish('achievement', achievement('压铸件气孔缺陷超声在线检测装置', '面向铝合金压铸件气孔与缩孔的超声在线检测装置，可接入产线。', ['压铸件', '气孔', '在线检测', '超声']), supplier)
    await recomputeMatches({ kind: 'achievement', id: newer })
    expect(await db.listingMatch.count({ where: { needKind: 'demand', needId: need, offerId: newer } })).toBe(1)
    await checkSavedSearches({ now: new Date() })
    const alerts = await alertsFor(enterprise.id)
    expect(alerts).toHaveLength(1)
    expect(alerts[0]!.params).toMatchObject({ count: 1, title: '压铸件气孔缺陷超声在线检测装置' })
    expect(alerts[0]!.link).toBe(`/demands/${need}#matches-title`)

    await recomputeMatches({ kind: 'demand', id: need })
    await checkSavedSearches({ now: new Date() })
    expect(await alertsFor(enterprise.id)).toHaveLength(1)
  })
})

describe('/saved-searches', () => {
  it('saves the current search and goes back to it; a 10,000-character name is refused and nothing is written', async () => {
    const user = await makeUser({ role: 'SUPPLIER' })
    const saved = (await route.action(await args(post({ intent: 'save', name: '  氢能  ', query: 'q=氢燃料电池&industry=ENERGY_MATERIALS', redirectTo: '/search?q=氢燃料电池' }), user))) as Response
    expect(saved.status).toBe(302)
    expect(saved.headers.get('Location')).toBe('/search?q=%E6%B0%A2%E7%87%83%E6%96%99%E7%94%B5%E6%B1%A0')
    const page = await route.loader(await args(new Request(`${ORIGIN}/saved-searches`), user))
    expect(page.items).toEqual([expect.objectContaining({ name: '氢能', kind: 'SEARCH', q: '氢燃料电池', filters: 1, alert: true, hits: 0 })])

    const long = (await route.action(await args(post({ intent: 'save', name: '长'.repeat(10_000), query: 'q=x' }), user))) as unknown as ActionData
    expect(long.init.status).toBe(400)
    expect(long.data.fieldErrors?.name).toEqual(['err.tooLong?max=100'])
    const badQuery = (await route.action(await args(post({ intent: 'save', name: '坏的', query: 'trl=99&field=NOPE' }), user))) as unknown as ActionData
    expect(badQuery.init.status).toBe(400)
    expect(badQuery.data.formError).toBe('err.savedSearch.params')
    const blank = (await route.action(await args(post({ intent: 'save', name: '   ', query: '' }), user))) as unknown as ActionData
    expect(blank.data.fieldErrors?.name).toEqual(['err.required'])
    const db = await prisma()
    expect(await db.savedSearch.count({ where: { userId: user.id } })).toBe(1)
    // Not a way to send someone elsewhere after saving.
    const offsite = (await route.action(await args(post({ intent: 'save', name: 'x', query: '', redirectTo: 'https://evil.example.com/' }), user))) as Response
    expect(offsite.headers.get('Location')).toBe('/saved-searches')
  })

  it('renames, switches alerts and deletes only one’s own saved searches; another person’s id is 404', async () => {
    const owner = await makeUser({ role: 'ENTERPRISE' })
    const other = await makeUser({ role: 'ENTERPRISE' })
    const saved = await saveSearch({ actor: owner, input: { name: '原名', query: 'q=机器人' } })
    const db = await prisma()

    const forged: Record<string, string>[] = [
      { intent: 'rename', id: saved.id, name: '他改的' },
      { intent: 'alert', id: saved.id, alert: 'off' },
      { intent: 'delete', id: saved.id },
    ]
    for (const fields of forged) {
      expect((await rejection(route.action(await args(post(fields), other)))).status).toBe(404)
    }
    expect((await rejection(route.action(await args(post({ intent: 'delete', id: '../../etc' }), owner)))).status).toBe(404)
    expect(await db.savedSearch.findUniqueOrThrow({ where: { id: saved.id } })).toMatchObject({ name: '原名', alert: true })

    const tooLong = (await route.action(await args(post({ intent: 'rename', id: saved.id, name: 'x'.repeat(10_000) }), owner))) as unknown as ActionData
    expect(tooLong.init.status).toBe(400)
    expect(tooLong.data.fieldErrors?.name).toEqual(['err.tooLong?max=100'])
    expect((await route.action(await args(post({ intent: 'rename', id: saved.id, name: '新名字' }), owner))) as Response).toHaveProperty('status', 302)
    expect((await db.savedSearch.findUniqueOrThrow({ where: { id: saved.id } })).name).toBe('新名字')
    const unknown = (await route.action(await args(post({ intent: 'launch' }), owner))) as unknown as ActionData
    expect(unknown.init.status).toBe(400)
    expect((await route.action(await args(post({ intent: 'delete', id: saved.id }), owner))) as Response).toHaveProperty('status', 302)
    expect(await db.savedSearch.count({ where: { id: saved.id } })).toBe(0)
  })
})
