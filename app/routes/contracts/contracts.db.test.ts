/**
 * The contract pages' loaders and actions, called as React Router calls them: a real Request
 * with a form body, params, and a context holding a real session's user.
 */
import { RouterContextProvider } from 'react-router'
import { describe, expect, it } from 'vitest'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { prisma } from '~/infra/db/client.server'
import { authContext } from '~/infra/http/context'
import { makeOrg, makeUser } from '../../../tests/factories'
import * as detailRoute from './detail'
import * as listRoute from './list'
import * as newRoute from './new'
import * as printRoute from './registration-form'
import * as registerRoute from './register'

const ORIGIN = 'http://localhost'
const get = (path: string) => new Request(`${ORIGIN}${path}`)
const post = (path: string, fields: Record<string, string>) => new Request(`${ORIGIN}${path}`, { method: 'POST', body: new URLSearchParams(fields) })

async function context(user: { id: string }) {
  const ctx = new RouterContextProvider()
  ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
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
async function thrown(promise: Promise<unknown>) {
  const error = await promise.then(
    (v) => {
      throw new Error(`expected a thrown Response, got ${JSON.stringify(v)}`)
    },
    (e: unknown) => e,
  )
  if (!(error instanceof Response)) throw error
  return settle(error)
}

async function world() {
  const sellerOrg = await makeOrg({ kind: 'UNIVERSITY', verified: true })
  const buyerOrg = await makeOrg({ kind: 'ENTERPRISE', verified: true, regionCode: '510107' })
  return {
    sellerOrg,
    buyerOrg,
    seller: await makeUser({ role: 'SUPPLIER', orgId: sellerOrg.id, isOrgAdmin: true }),
    buyer: await makeUser({ role: 'ENTERPRISE', orgId: buyerOrg.id, isOrgAdmin: true }),
    broker: await makeUser({ role: 'BROKER', isOrgAdmin: true }),
    bureau: await makeUser({ role: 'BUREAU', isOrgAdmin: true }),
    stranger: await makeUser({ role: 'ENTERPRISE', isOrgAdmin: true }),
  }
}

const draftForm = (w: Awaited<ReturnType<typeof world>>, over: Record<string, string> = {}) => ({
  sellerOrgId: w.sellerOrg.id,
  buyerOrgId: w.buyerOrg.id,
  title: '主轴箱体孔系在线检测技术开发',
  type: 'DEVELOPMENT',
  subtype: 'DEV_COMMISSIONED',
  amount: '500000',
  techAmount: '450000',
  paymentMethod: 'INSTALMENTS',
  'milestones[0].title': '首付款',
  'milestones[0].dueDate': '2027-01-10',
  'milestones[0].amount': '200000',
  'milestones[1].title': '',
  'milestones[1].dueDate': '',
  'milestones[1].amount': '',
  'milestones[2].title': '验收后付款',
  'milestones[2].dueDate': '2027-05-10',
  'milestones[2].amount': '300000',
  termsText: '甲方委托乙方开发主轴箱体孔系在线检测系统。',
  intent: 'send',
  ...over,
})

describe('contract pages', () => {
  it('/contracts/new answers bad input with 400 and the error on the milestone table; creates nothing', async () => {
    const w = await world()
    const db = await prisma()
    const before = await db.contract.count()
    const result = await settle(await call(newRoute.action, post('/contracts/new', draftForm(w, { 'milestones[2].amount': '299999.99' })), await context(w.broker)))
    expect(result.status).toBe(400)
    expect(result.data.result.error).toEqual({ milestones: ['err.contract.milestonesSum?sum=499%2C999.99&amount=500%2C000'] })
    const sameParty = await settle(await call(newRoute.action, post('/contracts/new', draftForm(w, { buyerOrgId: w.sellerOrg.id })), await context(w.broker)))
    expect(sameParty.data.result.error).toEqual({ buyerOrgId: ['err.contract.sameParty'] })
    // a buyer may not draft: the domain says so on the form
    const buyerDrafts = await settle(await call(newRoute.action, post('/contracts/new', draftForm(w)), await context(w.buyer)))
    expect([buyerDrafts.status, buyerDrafts.data.result.error['']]).toEqual([403, ['err.contract.draftSellerOnly']])
    expect(await db.contract.count()).toBe(before)
  })

  it('drafts and sends, confirms by both, refuses a stale confirmation, registers; each step redirects with a message', async () => {
    const w = await world()
    const created = await settle(await call(newRoute.action, post('/contracts/new', draftForm(w)), await context(w.broker)))
    expect(created.status).toBe(302)
    const id = created.headers.get('Location')!.split('/').pop()!
    expect(created.headers.get('Set-Cookie')).toContain('kz_flash=')
    const db = await prisma()
    expect(await db.contract.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'AWAITING_CONFIRMATION', brokerId: w.broker.id })

    const page = await settle(await call(detailRoute.loader, get(`/contracts/${id}`), await context(w.seller), { id }))
    expect(page.data.actions).toEqual(['edit', 'confirm', 'terminate'])
    const { version, termsHash } = page.data.current
    expect(page.data.contract.milestones.map((m: { amountFen: number }) => m.amountFen)).toEqual([20_000_000, 30_000_000])

    const stale = await settle(await call(detailRoute.action, post(`/contracts/${id}`, { intent: 'confirm', version: String(version), termsHash: '0'.repeat(64), agree: 'on' }), await context(w.seller), { id }))
    expect([stale.status, stale.data.formError]).toEqual([409, 'err.contract.staleVersion'])
    const unticked = await settle(await call(detailRoute.action, post(`/contracts/${id}`, { intent: 'confirm', version: String(version), termsHash }), await context(w.seller), { id }))
    expect([unticked.status, unticked.data.fieldErrors]).toEqual([400, { agree: ['err.contract.agreeRequired'] }])

    for (const party of [w.seller, w.buyer]) {
      const ok = await settle(await call(detailRoute.action, post(`/contracts/${id}`, { intent: 'confirm', version: String(version), termsHash, agree: 'on' }), await context(party), { id }))
      expect(ok.status).toBe(302)
    }
    expect(await settle(await call(detailRoute.action, post(`/contracts/${id}`, { intent: 'submit' }), await context(w.seller), { id }))).toMatchObject({ status: 302 })

    const form = await settle(await call(registerRoute.loader, get(`/registration/${id}`), await context(w.bureau), { id }))
    expect(form.data.checklist.every((i: { ok: boolean; required: boolean }) => i.ok || !i.required)).toBe(true)
    const decision = { ...form.data.defaultValue, registeredTechAmount: '500000.01' }
    const tooMuch = await settle(await call(registerRoute.action, post(`/registration/${id}`, decision), await context(w.bureau), { id }))
    expect([tooMuch.status, tooMuch.data.result.error]).toMatchObject([400, { registeredTechAmount: ['err.contract.techAboveAmount'] }])
    const done = await settle(await call(registerRoute.action, post(`/registration/${id}`, { ...decision, registeredTechAmount: '420000' }), await context(w.bureau), { id }))
    expect([done.status, done.headers.get('Location')]).toEqual([302, '/registration'])
    expect(await db.contract.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'REGISTERED', registeredTechAmountFen: 42_000_000n })

    const print = await settle(await call(printRoute.loader, get(`/contracts/${id}/registration-form`), await context(w.buyer), { id }))
    expect(print.data.c).toMatchObject({ registrationNumber: decision.registrationNumber, registeredTechAmountFen: 42_000_000, buyer: { region: '四川省成都市武侯区' } })
    expect(print.data.c.confirmations).toHaveLength(2)

    const list = await settle(await call(listRoute.loader, get('/contracts'), await context(w.bureau)))
    expect(list.data.totals.count).toBeGreaterThanOrEqual(1)
  })

  it('hides a contract from everyone else, and the registration pages from all but the registry', async () => {
    const w = await world()
    const created = await settle(await call(newRoute.action, post('/contracts/new', draftForm(w, { intent: 'save' })), await context(w.seller)))
    const id = created.headers.get('Location')!.split('/').pop()!
    expect((await thrown(call(detailRoute.loader, get(`/contracts/${id}`), await context(w.stranger), { id }))).status).toBe(404)
    expect((await thrown(call(printRoute.loader, get(`/contracts/${id}/registration-form`), await context(w.stranger), { id }))).status).toBe(404)
    expect((await thrown(call(registerRoute.loader, get(`/registration/${id}`), await context(w.seller), { id }))).status).toBe(403)
    expect((await thrown(call(detailRoute.loader, get('/contracts/..%2Fx'), await context(w.seller), { id: '../x' }))).status).toBe(404)
  })
})
