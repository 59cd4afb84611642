/**
 * The broker pages' loaders and actions, called as React Router calls them: a real Request
 * (form bodies as the browser sends them), params, and a context holding a real session's user.
 */
import { randomBytes } from 'node:crypto'
import { RouterContextProvider } from 'react-router'
import { describe, expect, it } from 'vitest'
import { claimDemand } from '~/domain/brokers/claims.server'
import { mineDemand } from '~/domain/brokers/mining.server'
import { saveProfile } from '~/domain/brokers/profiles.server'
import { BrokerProfileSchema } from '~/domain/brokers/schemas'
import { createListing, transitionListing } from '~/domain/listings/listings.server'
import { DemandInputSchema } from '~/domain/listings/schemas'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { translator } from '~/i18n/i18n'
import { prisma } from '~/infra/db/client.server'
import { readFlash } from '~/infra/http/cookies.server'
import { authContext } from '~/infra/http/context'
import { makeOrg, makeUser } from '../../../tests/factories'
import * as detailRoute from '../listings/detail'
import * as claimsRoute from './claims'
import * as confirmationsRoute from './confirmations'
import * as directoryRoute from './directory'
import * as editRoute from './edit-profile'
import * as miningNewRoute from './mining-new'
import * as profileRoute from './profile'
import * as verifyRoute from './verify'

const ORIGIN = 'http://localhost'
const zh = translator('zh-CN')
const tag = () => randomBytes(4).toString('hex').toUpperCase()
const get = (path: string) => new Request(`${ORIGIN}${path}`)
/** A form post; repeated names as the browser sends ticked checkboxes. */
const post = (path: string, fields: [string, string][] | Record<string, string>) =>
  new Request(`${ORIGIN}${path}`, { method: 'POST', body: new URLSearchParams(fields) })

async function context(user?: { id: string }) {
  const ctx = new RouterContextProvider()
  if (user) ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
  return ctx
}

type Handler = (args: never) => unknown
const call = (fn: Handler, request: Request, ctx: RouterContextProvider, params: Record<string, string> = {}) =>
  new Promise<unknown>((resolve) => {
    const url = new URL(request.url)
    resolve(fn({ request, url, pattern: url.pathname, params, context: ctx } as never))
  })

interface Settled {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any
}
async function settle(value: unknown): Promise<Settled> {
  if (value instanceof Response) return { status: value.status, headers: value.headers, data: await value.text() }
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'DataWithResponseInit') {
    const { data, init } = value as { data: unknown; init: ResponseInit | null }
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), data }
  }
  return { status: 200, headers: new Headers(), data: value }
}
/** What a loader or action answered, thrown or returned. */
const outcome = (promise: Promise<unknown>) => promise.then(settle, (e: unknown) => (e instanceof Response ? settle(e) : Promise.reject(e)))

/** The message a redirect carries in its flash cookie. */
async function flashOf(result: Settled) {
  const cookie = result.headers.get('Set-Cookie')
  expect(cookie, 'a flash cookie').toContain('kz_flash=')
  const { flash } = await readFlash(new Request(ORIGIN, { headers: { Cookie: cookie!.split(';')[0]! } }))
  return flash!
}

const demandForm = (over: Record<string, string> = {}) => ({
  title: `压铸件气孔在线检测 ${tag()}`,
  description: '铝合金压铸件气孔率偏高，需要一套可在线部署的检测方案。',
  field: 'ADVANCED_MANUFACTURING',
  industry: 'AUTOMOTIVE',
  cooperationModes: 'CO_DEVELOPMENT',
  budget: '500000',
  ...over,
})

const profileForm = (over: Record<string, string> = {}): [string, string][] => {
  const base: Record<string, string> = { intent: 'save', grade: 'SENIOR', certificateNo: `CQJJ-${tag()}`, bio: '服务永川装备制造企业十年。', listed: 'on', ...over }
  return [...Object.entries(base), ['fields', 'ADVANCED_MANUFACTURING'], ['fields', 'NEW_MATERIALS'], ['industries', 'AUTOMOTIVE'], ['regionCodes', over.region ?? '500118']]
}

async function publishedDemand() {
  const bureau = await makeUser({ role: 'BUREAU' })
  const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true })
  const member = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id })
  const d = await createListing({ actor: member, kind: 'demand', input: DemandInputSchema.parse(demandForm()), submit: true })
  await transitionListing({ actor: bureau, kind: 'demand', id: d.id, action: 'approve' })
  return { id: d.id, member, enterprise, bureau }
}

describe('/my/broker-profile', () => {
  it('answers bad input with 400 and a Chinese message per field, writing nothing', async () => {
    const broker = await makeUser({ role: 'BROKER' })
    const ctx = await context(broker)
    const db = await prisma()
    const cases: [Record<string, string>, string, string][] = [
      [{ grade: 'GRANDMASTER' }, 'grade', '请选择等级'],
      [{ bio: '长'.repeat(10_000) }, 'bio', '不能超过 2000 个字符'],
      [{ bio: '<script>alert("x")</script>你好' }, 'bio', '简介请使用纯文本，不能包含 HTML 标签'],
      [{ certificateNo: 'CQ JJ/2021' }, 'certificateNo', '证书编号只能包含字母、数字和连字符'],
      [{ region: '5001' }, 'regionCodes[0]', '服务地区须为有效的省级或区县级行政区划代码'],
    ]
    for (const [over, field, text] of cases) {
      const result = await outcome(call(editRoute.action, post('/my/broker-profile', profileForm(over)), ctx))
      expect(result.status, field).toBe(400)
      const errors = result.data.result.error[field] as string[]
      expect(errors.map((e) => zh(e)).join(' '), field).toContain(text)
    }
    // a well-formed code that names no region: refused by the domain
    const unknown = await outcome(call(editRoute.action, post('/my/broker-profile', profileForm({ region: '999999' })), ctx))
    expect(unknown.status).toBe(400)
    expect(zh(unknown.data.result.error.regionCodes[0])).toBe('服务地区须为有效的省级或区县级行政区划代码')
    expect(await db.brokerProfile.count({ where: { userId: broker.id } })).toBe(0)
  })

  it('saves a profile and shows it back; adding a region without JavaScript keeps what was typed', async () => {
    const broker = await makeUser({ role: 'BROKER' })
    const ctx = await context(broker)
    const picked = await outcome(
      call(editRoute.action, post('/my/broker-profile', [...profileForm({ intent: 'add-region', bio: '还没保存的简介' }), ['pickProvince', '51'], ['pickRegion', '510107']]), ctx),
    )
    expect(picked.status).toBe(200)
    expect(picked.data.picked.values).toMatchObject({ bio: '还没保存的简介', grade: 'SENIOR', fields: ['ADVANCED_MANUFACTURING', 'NEW_MATERIALS'] })
    expect(picked.data.picked.regions).toEqual([
      { code: '500118', name: '重庆市永川区' },
      { code: '510107', name: '四川省成都市武侯区' },
    ])
    const saved = await outcome(call(editRoute.action, post('/my/broker-profile', profileForm({ certificateNo: 'cqjj-route-1' })), ctx))
    expect(saved.status).toBe(302)
    expect(saved.headers.get('Location')).toBe('/my/broker-profile')
    expect((await flashOf(saved)).key).toBe('brokers.profile.created')
    const page = await outcome(call(editRoute.loader, get('/my/broker-profile'), ctx))
    expect(page.data).toMatchObject({ state: 'pending', profile: { grade: 'SENIOR', certificateNo: 'CQJJ-ROUTE-1' }, regions: [{ code: '500118', name: '重庆市永川区' }] })
  })

  it('is for brokers only', async () => {
    const anonymous = await outcome(call(editRoute.loader, get('/my/broker-profile'), await context()))
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
    for (const role of ['ENTERPRISE', 'BUREAU'] as const) {
      const ctx = await context(await makeUser({ role }))
      expect((await outcome(call(editRoute.loader, get('/my/broker-profile'), ctx))).status).toBe(403)
      expect((await outcome(call(editRoute.action, post('/my/broker-profile', profileForm()), ctx))).status).toBe(403)
    }
  })
})

describe('/brokers/verify and the public pages', () => {
  it('the bureau verifies and refuses (a reason needed); the public sees only verified, listed profiles', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const broker = await makeUser({ role: 'BROKER' })
    await saveProfile({ actor: broker, input: BrokerProfileSchema.parse({ grade: 'JUNIOR', certificateNo: `CQJJ-${tag()}`, listed: 'on', bio: '一行简介' }) })
    const visitor = await context()
    expect((await outcome(call(profileRoute.loader, get(`/brokers/${broker.id}`), visitor, { id: broker.id }))).status).toBe(404)
    expect((await outcome(call(profileRoute.loader, get('/brokers/../../etc'), visitor, { id: '../../etc' }))).status).toBe(404)

    const ctx = await context(bureau)
    const queue = await outcome(call(verifyRoute.loader, get('/brokers/verify'), ctx))
    expect(queue.data.rows.map((r: { userId: string }) => r.userId)).toContain(broker.id)
    const empty = await outcome(call(verifyRoute.action, post('/brokers/verify?tab=pending', { intent: 'refuse', userId: broker.id, name: '测试', reason: '' }), ctx))
    expect(empty.status).toBe(400)
    expect(zh(empty.data.reasonErrors[0])).toBe('请填写退回理由')
    const verified = await outcome(call(verifyRoute.action, post('/brokers/verify?tab=pending', { intent: 'verify', userId: broker.id, name: '测试' }), ctx))
    expect(verified.status).toBe(302)
    expect(verified.headers.get('Location')).toBe('/brokers/verify?tab=pending')
    expect(await flashOf(verified)).toMatchObject({ key: 'brokers.verify.verifiedOk', params: { name: '测试' } })
    const again = await outcome(call(verifyRoute.action, post('/brokers/verify', { intent: 'verify', userId: broker.id }), ctx))
    expect(again.status).toBe(409)
    expect(zh(again.data.formError)).toBe('该档案已经认证')

    const page = await outcome(call(profileRoute.loader, get(`/brokers/${broker.id}`), visitor, { id: broker.id }))
    expect(page.status).toBe(200)
    expect(page.data).toMatchObject({ isPublic: true, grade: 'JUNIOR', record: { contracts: 0, techAmountFen: 0 } })
    const directory = await outcome(call(directoryRoute.loader, get('/brokers?grade=JUNIOR&field=BOGUS&region=5&page=x'), visitor))
    expect(directory.status).toBe(200)
    expect(directory.data.query).toEqual({ grade: 'JUNIOR', page: 1 })
    expect(directory.data.items.map((i: { id: string }) => i.id)).toContain(broker.id)

    for (const role of ['BROKER', 'ENTERPRISE'] as const) {
      const other = await context(await makeUser({ role }))
      expect((await outcome(call(verifyRoute.loader, get('/brokers/verify'), other))).status).toBe(403)
      expect((await outcome(call(verifyRoute.action, post('/brokers/verify', { intent: 'verify', userId: broker.id }), other))).status).toBe(403)
    }
  })
})

describe('/brokers/claims', () => {
  it('claims from the list or a demand page, and says in Chinese why an unpublished demand cannot be claimed', async () => {
    const broker = await makeUser({ role: 'BROKER' })
    const ctx = await context(broker)
    const { id, member } = await publishedDemand()
    const list = await outcome(call(claimsRoute.loader, get('/brokers/claims?scope=all'), ctx))
    expect(list.data.items.map((d: { id: string }) => d.id)).toContain(id)
    const claimed = await outcome(call(claimsRoute.action, post('/brokers/claims', { intent: 'claim', demandId: id, redirectTo: `/demands/${id}` }), ctx))
    expect(claimed.status).toBe(302)
    expect(claimed.headers.get('Location')).toBe(`/demands/${id}`)
    expect((await flashOf(claimed)).key).toBe('brokers.claims.done.claim')

    const draft = await createListing({ actor: member, kind: 'demand', input: DemandInputSchema.parse(demandForm()) })
    const refused = await outcome(call(claimsRoute.action, post('/brokers/claims', { intent: 'claim', demandId: draft.id }), ctx))
    expect(refused.status).toBe(302)
    const flash = await flashOf(refused)
    expect(flash).toMatchObject({ kind: 'error' })
    expect(zh(flash.key)).toBe('只能认领已发布的需求')
    const db = await prisma()
    expect(await db.demand.findUniqueOrThrow({ where: { id: draft.id }, select: { leadBrokerId: true } })).toEqual({ leadBrokerId: null })

    // someone else's claim: a clear message, the lead unchanged
    const late = await outcome(call(claimsRoute.action, post('/brokers/claims', { intent: 'claim', demandId: id }), await context(await makeUser({ role: 'BROKER' }))))
    expect(zh((await flashOf(late)).key)).toBe('该需求已由其他经纪人认领')
    expect((await db.demand.findUniqueOrThrow({ where: { id } })).leadBrokerId).toBe(broker.id)

    const bad = await outcome(call(claimsRoute.action, post('/brokers/claims', { intent: 'steal', demandId: id }), ctx))
    expect(bad.status).toBe(400)
    const offsite = await outcome(call(claimsRoute.action, post('/brokers/claims', { intent: 'assist', demandId: id, redirectTo: 'https://evil.example/' }), ctx))
    expect(offsite.headers.get('Location')).toBe(`/demands/${id}`)
    const enterprise = await context(member)
    expect((await outcome(call(claimsRoute.loader, get('/brokers/claims'), enterprise))).status).toBe(403)
    expect((await outcome(call(claimsRoute.action, post('/brokers/claims', { intent: 'claim', demandId: id }), enterprise))).status).toBe(403)
  })

  it('shows the lead broker and a claim button on the demand page', async () => {
    const { id, member } = await publishedDemand()
    const broker = await makeUser({ role: 'BROKER' })
    const before = await outcome(call(detailRoute.loader, get(`/demands/${id}`), await context(broker), { id }))
    expect(before.data.brokers).toMatchObject({ lead: null, can: { claim: true, assist: false } })
    await claimDemand({ actor: broker, id })
    const visitor = await outcome(call(detailRoute.loader, get(`/demands/${id}`), await context(), { id }))
    expect(visitor.data.brokers).toMatchObject({ lead: { id: broker.id, name: '测试BROKER' }, can: { claim: false, assist: false } })
    const owner = await outcome(call(detailRoute.loader, get(`/demands/${id}`), await context(member), { id }))
    expect(owner.data.brokers.lead.id).toBe(broker.id)
    const achievements = await outcome(call(detailRoute.loader, get(`/achievements/${id}`), await context(), { id }))
    expect(achievements.status).toBe(404)
  })
})

describe('demand mining pages', () => {
  it('a broker records a demand for an enterprise, whose member confirms it from the demand page', async () => {
    const broker = await makeUser({ role: 'BROKER' })
    const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true })
    const member = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id })
    const ctx = await context(broker)
    const db = await prisma()
    const before = await db.demand.count({ where: { orgId: enterprise.id } })
    const bad = await outcome(call(miningNewRoute.action, post(`/brokers/mining/${enterprise.id}`, demandForm({ title: '', field: 'MAGIC' })), ctx, { orgId: enterprise.id }))
    expect(bad.status).toBe(400)
    expect(bad.data.result.error).toMatchObject({ title: ['err.required'], field: ['err.field'] })
    expect(await db.demand.count({ where: { orgId: enterprise.id } })).toBe(before)

    const form = demandForm()
    const saved = await outcome(call(miningNewRoute.action, post(`/brokers/mining/${enterprise.id}`, { ...form, intent: 'draft' }), ctx, { orgId: enterprise.id }))
    expect(saved.status).toBe(302)
    expect(saved.headers.get('Location')).toBe('/brokers/mining')
    const mined = await db.demand.findFirstOrThrow({ where: { orgId: enterprise.id, title: form.title } })
    expect(mined).toMatchObject({ status: 'DRAFT', minedById: broker.id })

    // the member sees who recorded it, without a submit button, and confirms it there
    const page = await outcome(call(detailRoute.loader, get(`/demands/${mined.id}`), await context(member), { id: mined.id }))
    expect(page.data.brokers).toMatchObject({ mined: { by: { id: broker.id } }, can: { confirm: true } })
    expect(page.data.actions).not.toContain('submit')
    const stranger = await outcome(
      call(confirmationsRoute.action, post('/my/pending-demands', { intent: 'confirm', demandId: mined.id }), await context(await makeUser({ role: 'ENTERPRISE' }))),
    )
    expect(zh((await flashOf(stranger)).key)).toBe('没有权限执行此操作')
    const confirmed = await outcome(call(confirmationsRoute.action, post('/my/pending-demands', { intent: 'confirm', demandId: mined.id, redirectTo: `/demands/${mined.id}` }), await context(member)))
    expect(confirmed.headers.get('Location')).toBe(`/demands/${mined.id}`)
    expect((await flashOf(confirmed)).key).toBe('brokers.confirm.confirmed')
    expect(await db.demand.findUniqueOrThrow({ where: { id: mined.id } })).toMatchObject({ status: 'PENDING_REVIEW', confirmedById: member.id })
  })

  it('lists what waits for confirmation, and declines with a reason', async () => {
    const broker = await makeUser({ role: 'BROKER' })
    const enterprise = await makeOrg({ kind: 'ENTERPRISE', verified: true })
    const member = await makeUser({ role: 'ENTERPRISE', orgId: enterprise.id })
    const mined = await mineDemand({ actor: broker, orgId: enterprise.id, input: DemandInputSchema.parse(demandForm()) })
    const ctx = await context(member)
    const list = await outcome(call(confirmationsRoute.loader, get('/my/pending-demands'), ctx))
    expect(list.data.rows).toMatchObject([{ id: mined.id, broker: { id: broker.id } }])
    const tooLong = await outcome(call(confirmationsRoute.action, post('/my/pending-demands', { intent: 'decline', demandId: mined.id, reason: '理'.repeat(1001) }), ctx))
    expect(zh((await flashOf(tooLong)).key)).toBe('不能超过 1000 个字符')
    const db = await prisma()
    expect((await db.demand.findUniqueOrThrow({ where: { id: mined.id } })).status).toBe('DRAFT')
    const declined = await outcome(call(confirmationsRoute.action, post('/my/pending-demands', { intent: 'decline', demandId: mined.id, reason: '暂不需要' }), ctx))
    expect((await flashOf(declined)).key).toBe('brokers.confirm.declined')
    expect((await db.demand.findUniqueOrThrow({ where: { id: mined.id } })).status).toBe('ARCHIVED')
    expect((await outcome(call(confirmationsRoute.loader, get('/my/pending-demands'), await context(broker)))).status).toBe(403)
  })

  it('cannot record for an enterprise the bureau has not verified', async () => {
    const broker = await makeUser({ role: 'BROKER' })
    const unverified = await makeOrg({ kind: 'ENTERPRISE', verified: false })
    const ctx = await context(broker)
    expect((await outcome(call(miningNewRoute.loader, get(`/brokers/mining/${unverified.id}`), ctx, { orgId: unverified.id }))).status).toBe(409)
    const refused = await outcome(call(miningNewRoute.action, post(`/brokers/mining/${unverified.id}`, demandForm()), ctx, { orgId: unverified.id }))
    expect(refused.status).toBe(409)
    expect(zh(refused.data.result.error[''][0])).toBe('该企业尚未通过区科技局审核，不能为其代录需求')
    const db = await prisma()
    expect(await db.demand.count({ where: { orgId: unverified.id } })).toBe(0)
  })
})
