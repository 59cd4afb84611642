/**
 * The deal pages' loaders and actions called as React Router calls them: a real Request, params
 * and a context with the user of a real session. Bad input is a 400 with words, never a 500.
 */
import { RouterContextProvider } from 'react-router'
import { beforeAll, describe, expect, it } from 'vitest'
import { dealIn, dealWorld, inDays, publishedDemand, type DealWorld } from '~/domain/deals/test-world'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { prisma } from '~/infra/db/client.server'
import { authContext } from '~/infra/http/context'
import * as boardRoute from './board'
import * as detailRoute from './detail'
import * as listRoute from './list'
import * as newRoute from './new'

const ORIGIN = 'http://localhost'

async function context(user?: { id: string }) {
  const ctx = new RouterContextProvider()
  if (user) ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
  return ctx
}

interface Settled {
  status: number
  headers: Headers
  data: any
}

async function settle(value: unknown): Promise<Settled> {
  if (value instanceof Response) {
    const text = await value.text()
    return { status: value.status, headers: value.headers, data: text }
  }
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'DataWithResponseInit') {
    const { data, init } = value as { data: unknown; init: ResponseInit | null }
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), data }
  }
  return { status: 200, headers: new Headers(), data: value }
}

type Handler = (args: never) => unknown
/** Calls a loader or action; what it returns or throws, as the client would receive it. */
async function run(fn: Handler, method: 'GET' | 'POST', path: string, user: { id: string } | undefined, params: Record<string, string> = {}, fields?: Record<string, string>) {
  const request = new Request(`${ORIGIN}${path}`, method === 'POST' ? { method, body: new URLSearchParams(fields) } : {})
  const url = new URL(request.url)
  const ctx = await context(user)
  try {
    return await settle(await fn({ request, url, pattern: url.pathname, params, context: ctx } as never))
  } catch (error) {
    return settle(error)
  }
}

let w: DealWorld
beforeAll(async () => {
  w = await dealWorld()
})

describe('/deals and /deals/board', () => {
  it('lists the broker’s deals with the URL’s filters; a wrong filter is dropped and reported', async () => {
    const { deal } = await dealIn(w)
    const page = await run(listRoute.loader as Handler, 'GET', `/deals?q=${deal.number}`, w.people.lead)
    expect(page.status).toBe(200)
    expect(page.data.items.map((i: { id: string }) => i.id)).toEqual([deal.id])
    const bad = await run(listRoute.loader as Handler, 'GET', '/deals?stage=NOPE&overdue=1', w.people.lead)
    expect(bad.status).toBe(200)
    expect(bad.data.invalid).toEqual(['stage'])
    expect(bad.data.query.overdue).toBe('1')
    const redirect = await run(listRoute.loader as Handler, 'GET', '/deals', undefined)
    expect(redirect.status).toBe(302)
  })

  it('the board is the brokers’ and the bureau’s; a card’s move is checked like any other', async () => {
    const { deal } = await dealIn(w)
    expect((await run(boardRoute.loader as Handler, 'GET', '/deals/board', w.people.buyer)).status).toBe(403)
    const board = await run(boardRoute.loader as Handler, 'GET', '/deals/board', w.people.assist)
    expect(board.status).toBe(200)
    const introduced = board.data.columns.find((c: { stage: string }) => c.stage === 'INTRODUCED')
    expect(introduced.cards.find((c: { id: string }) => c.id === deal.id).moves).toEqual(['SHORTLISTED', 'NDA', 'DUE_DILIGENCE', 'NEGOTIATING'])

    const move = (fields: Record<string, string>, user = w.people.assist) => run(boardRoute.action as Handler, 'POST', '/deals/board', user, {}, { dealId: deal.id, ...fields })
    const unknown = await move({ to: 'DONE', from: 'INTRODUCED' })
    expect(unknown.status).toBe(400)
    expect(unknown.data).toMatchObject({ target: deal.id, fieldErrors: { to: ['err.deal.stageUnknown'] } })
    const stale = await move({ to: 'NDA', from: 'LEAD' })
    expect(stale.status).toBe(409)
    expect(stale.data.formError).toBe('err.deal.movedMeanwhile')
    expect((await move({ to: 'NDA', from: 'INTRODUCED' }, w.people.buyer)).status).toBe(403)
    const moved = await move({ to: 'NDA', from: 'INTRODUCED' })
    expect(moved.status).toBe(302)
    expect(moved.headers.get('Location')).toBe('/deals/board')
    expect(moved.headers.get('Set-Cookie')).toMatch(/kz_flash=/)
    const db = await prisma()
    expect((await db.deal.findUniqueOrThrow({ where: { id: deal.id } })).stage).toBe('NDA')
  })
})

describe('/deals/:id', () => {
  it('is 404 for those with no part in it; the buyer reads it without the brokers’ tools', async () => {
    const { deal } = await dealIn(w)
    expect((await run(detailRoute.loader as Handler, 'GET', `/deals/${deal.id}`, w.people.stranger, { id: deal.id })).status).toBe(404)
    expect((await run(detailRoute.loader as Handler, 'GET', '/deals/x', w.people.lead, { id: '../etc' })).status).toBe(404)
    const buyer = await run(detailRoute.loader as Handler, 'GET', `/deals/${deal.id}`, w.people.buyer, { id: deal.id })
    expect(buyer.status).toBe(200)
    expect(buyer.data.options).toBeNull()
    expect(buyer.data.brokers).toBeNull()
    expect(buyer.data.view.deal.nextStep).toBeNull()
    const lead = await run(detailRoute.loader as Handler, 'GET', `/deals/${deal.id}`, w.people.lead, { id: deal.id })
    expect(lead.data.options).not.toBeNull()
    expect(lead.data.brokers.map((b: { id: string }) => b.id)).not.toContain(w.people.lead.id)
  })

  it('answers bad input with a 400 and words on the right field, and changes nothing', async () => {
    const { deal } = await dealIn(w)
    const post = (fields: Record<string, string>, user = w.people.lead) => run(detailRoute.action as Handler, 'POST', `/deals/${deal.id}`, user, { id: deal.id }, fields)
    expect((await post({ intent: 'explode' })).status).toBe(400)
    const past = await post({ intent: 'nextStep', nextStep: '联系企业', nextStepDue: '2020-01-01' })
    expect(past.status).toBe(400)
    expect(past.data).toMatchObject({ intent: 'nextStep', fieldErrors: { nextStepDue: ['err.deal.duePast'] } })
    const blank = await post({ intent: 'nextStep', nextStep: ' ', nextStepDue: inDays(2) })
    expect(blank.data.fieldErrors.nextStep).toEqual(['err.required'])
    const lost = await post({ intent: 'lost', from: 'INTRODUCED', reason: '  ' })
    expect(lost.status).toBe(400)
    expect(lost.data).toMatchObject({ intent: 'lost', fieldErrors: { reason: ['err.deal.lostReasonRequired'] } })
    const noId = await post({ intent: 'addCandidate', achievementId: '' })
    expect(noId.status).toBe(400)
    const unknown = await post({ intent: 'addCandidate', achievementId: 'no-such-achievement' })
    expect(unknown.status).toBe(400)
    expect(unknown.data.fieldErrors.achievementId).toEqual(['err.deal.achievementUnknown'])
    const buyer = await post({ intent: 'nextStep', nextStep: '我来安排', nextStepDue: inDays(2) }, w.people.buyer)
    expect(buyer.status).toBe(403)
    const db = await prisma()
    expect(await db.deal.findUniqueOrThrow({ where: { id: deal.id } })).toMatchObject({ stage: 'INTRODUCED', nextStep: '上门调研' })
    const ok = await post({ intent: 'nextStep', nextStep: '安排现场检测', nextStepDue: inDays(2) })
    expect(ok.status).toBe(302)
    expect(ok.headers.get('Location')).toBe(`/deals/${deal.id}`)
  })
})

describe('/deals/new', () => {
  it('is for brokers; starts the deal and goes to it, or says what is missing', async () => {
    const demand = await publishedDemand(w.buyerOrg.id)
    expect((await run(newRoute.loader as Handler, 'GET', `/deals/new?demand=${demand.id}`, w.people.buyer)).status).toBe(403)
    expect((await run(newRoute.loader as Handler, 'GET', '/deals/new', w.people.lead)).status).toBe(404)
    const page = await run(newRoute.loader as Handler, 'GET', `/deals/new?demand=${demand.id}`, w.people.lead)
    expect(page.status).toBe(200)
    expect(page.data.entry).toMatchObject({ mayStart: true, unclaimed: true })
    const missing = await run(newRoute.action as Handler, 'POST', '/deals/new', w.people.lead, {}, { demandId: demand.id, nextStep: '', nextStepDue: inDays(3) })
    expect(missing.status).toBe(400)
    expect(missing.data.result.error.nextStep).toEqual(['err.required'])
    const created = await run(newRoute.action as Handler, 'POST', '/deals/new', w.people.lead, {}, { demandId: demand.id, title: '', nextStep: '上门调研', nextStepDue: inDays(3) })
    expect(created.status).toBe(302)
    expect(created.headers.get('Location')).toMatch(/^\/deals\/c[a-z0-9]+$/)
    // Starting again: the open deal is where to go.
    const again = await run(newRoute.loader as Handler, 'GET', `/deals/new?demand=${demand.id}`, w.people.lead)
    expect(again.status).toBe(302)
    expect(again.headers.get('Location')).toBe(created.headers.get('Location'))
    const twice = await run(newRoute.action as Handler, 'POST', '/deals/new', w.people.otherBroker, {}, { demandId: demand.id, nextStep: '上门调研', nextStepDue: inDays(3) })
    expect(twice.status).toBe(403)
    expect(twice.data.result.error['']).toEqual(['err.deal.demandClaimed'])
  })
})
