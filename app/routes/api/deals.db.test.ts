/**
 * `/api/v1/deals` and `/api/v1/deals/{id}` called as React Router calls them: real Requests with
 * bearer keys, checked against the response schemas the OpenAPI document declares.
 */
import { RouterContextProvider } from 'react-router'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createApiKey } from '~/domain/api-keys/api-keys.server'
import { DealItemResponseSchema, DealListResponseSchema } from '~/domain/deals/api'
import { dealIn, dealWorld, type DealWorld } from '~/domain/deals/test-world'
import { buildOpenApiDocument, ErrorResponseSchema } from '~/domain/listings/openapi'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import * as itemRoute from './deals.item'
import * as listRoute from './deals'

const ORIGIN = 'http://localhost'

async function call(method: string, path: string, key?: string, headers: Record<string, string> = {}) {
  const url = new URL(path, ORIGIN)
  const request = new Request(url, { method, headers: { ...headers, ...(key ? { Authorization: `Bearer ${key}` } : {}) } })
  const segments = url.pathname.replace(/^\/api\/v1\/deals\/?/, '').split('/').filter(Boolean)
  const module = (segments.length ? itemRoute : listRoute) as unknown as Record<'loader' | 'action', (args: unknown) => Promise<Response>>
  const params = segments.length ? { id: decodeURIComponent(segments[0]!) } : {}
  const read = method === 'GET' || method === 'HEAD'
  const response = await (read ? module.loader : module.action)({ request, params, context: new RouterContextProvider() })
  const text = await response.text()
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null, text }
}

function conforms(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value)
  expect(result.success, result.success ? '' : z.prettifyError(result.error)).toBe(true)
}

function expectError(reply: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(reply.status, reply.text.slice(0, 300)).toBe(status)
  conforms(ErrorResponseSchema, reply.json)
  expect(reply.json.error.code).toBe(code)
  expect(reply.text).not.toMatch(/\berr\.\w|\bapi\.err\./)
}

async function keyFor(user: Actor) {
  return (await createApiKey({ actor: user, input: { name: 'deals sync' } })).secret
}

let w: DealWorld
let keys: Record<'broker' | 'buyer' | 'sellerA' | 'sellerB' | 'bureau' | 'stranger', string>
let one: Awaited<ReturnType<typeof dealIn>>
let two: Awaited<ReturnType<typeof dealIn>>

beforeAll(async () => {
  w = await dealWorld()
  one = await dealIn(w)
  two = await dealIn(w)
  const db = await prisma()
  await db.deal.update({ where: { id: two.deal.id }, data: { nextStepDue: new Date(Date.now() - 5 * 86_400_000) } })
  keys = {
    // The agency's key: its brokers lead and assist the deals.
    broker: await keyFor(w.people.lead),
    buyer: await keyFor(w.people.buyer),
    sellerA: await keyFor(w.people.sellerA),
    sellerB: await keyFor(w.people.sellerB),
    bureau: await keyFor(w.people.bureau),
    stranger: await keyFor(w.people.stranger),
  }
})

describe('GET /api/v1/deals', () => {
  it('lists what the key’s organisation takes part in, as that party sees it', async () => {
    const both = [one.deal.id, two.deal.id].sort()
    const ids = async (key: string, query = '') => {
      const reply = await call('GET', `/api/v1/deals${query}`, key)
      expect(reply.status, reply.text.slice(0, 300)).toBe(200)
      conforms(DealListResponseSchema, reply.json)
      return reply.json.data as { id: string; standing: string; nextStep: string | null; overdue: boolean }[]
    }
    const broker = await ids(keys.broker)
    expect(broker.map((d) => d.id).sort()).toEqual(both)
    expect(broker.every((d) => d.standing === 'assist' && d.nextStep === '上门调研')).toBe(true)
    const buyer = await ids(keys.buyer)
    expect(buyer.map((d) => d.id).sort()).toEqual(both)
    expect(buyer.every((d) => d.standing === 'buyer' && d.nextStep === null && !d.overdue)).toBe(true)
    expect((await ids(keys.sellerA)).map((d) => d.standing)).toEqual(['seller', 'seller'])
    expect(await ids(keys.sellerB)).toEqual([])
    expect(await ids(keys.stranger)).toEqual([])
    expect((await ids(keys.bureau)).map((d) => d.id)).toEqual(expect.arrayContaining(both))
    expect((await ids(keys.broker, '?overdue=1')).map((d) => d.id)).toEqual([two.deal.id])
    expect((await ids(keys.buyer, `?q=${encodeURIComponent(one.deal.number)}`)).map((d) => d.id)).toEqual([one.deal.id])
  })

  it('walks pages with the cursor and a Link header', async () => {
    const first = await call('GET', '/api/v1/deals?pageSize=1', keys.buyer)
    expect(first.json.page.total).toBe(2)
    expect(first.headers.get('Link')).toBe(`</api/v1/deals?pageSize=1&cursor=${first.json.page.nextCursor}>; rel="next"`)
    const second = await call('GET', `/api/v1/deals?pageSize=1&cursor=${first.json.page.nextCursor}`, keys.buyer)
    expect(second.status).toBe(200)
    expect(second.json.page.nextCursor).toBeNull()
    expect([first.json.data[0].id, second.json.data[0].id].sort()).toEqual([one.deal.id, two.deal.id].sort())
  })

  it('answers 401 without a key, 400 for unknown or invalid parameters, 405 for writes', async () => {
    expectError(await call('GET', '/api/v1/deals'), 401, 'UNAUTHENTICATED')
    expectError(await call('GET', '/api/v1/deals', 'kz_notakey'), 401, 'UNAUTHENTICATED')
    const unknown = await call('GET', '/api/v1/deals?colour=red', keys.buyer)
    expectError(unknown, 400, 'BAD_INPUT')
    expect(Object.keys(unknown.json.error.fields)).toEqual(['colour'])
    const stage = await call('GET', '/api/v1/deals?stage=DONE', keys.buyer, { 'Accept-Language': 'zh-CN' })
    expectError(stage, 400, 'BAD_INPUT')
    expect(stage.json.error.fields.stage).toBe('请选择有效的阶段')
    expectError(await call('GET', '/api/v1/deals?pageSize=500', keys.buyer), 400, 'BAD_INPUT')
    expectError(await call('GET', `/api/v1/deals?cursor=${one.deal.id}`, keys.sellerB), 400, 'BAD_INPUT')
    const post = await call('POST', '/api/v1/deals', keys.broker)
    expectError(post, 405, 'METHOD_NOT_ALLOWED')
    expect(post.headers.get('Allow')).toContain('GET')
  })
})

describe('GET /api/v1/deals/{id}', () => {
  it('shows the deal with the candidates the organisation may see', async () => {
    const broker = await call('GET', `/api/v1/deals/${one.deal.id}`, keys.broker)
    expect(broker.status).toBe(200)
    conforms(DealItemResponseSchema, broker.json)
    expect(broker.json.data.candidates.map((c: { sellerOrg: { id: string } }) => c.sellerOrg.id).sort()).toEqual([w.sellerAOrg.id, w.sellerBOrg.id].sort())
    const buyer = await call('GET', `/api/v1/deals/${one.deal.id}`, keys.buyer)
    conforms(DealItemResponseSchema, buyer.json)
    expect(buyer.json.data).toMatchObject({ standing: 'buyer', nextStep: null, lostReason: null, followUps: [] })
    expect(buyer.json.data.candidates.map((c: { sellerOrg: { id: string } }) => c.sellerOrg.id)).toEqual([w.sellerAOrg.id])
    const seller = await call('GET', `/api/v1/deals/${one.deal.id}`, keys.sellerA)
    expect(seller.json.data.standing).toBe('seller')
    expect((await call('GET', `/api/v1/deals/${one.deal.id}`, keys.bureau)).json.data.standing).toBe('bureau')
  })

  it('is 404 for an organisation with no part in it, and for no such deal', async () => {
    expectError(await call('GET', `/api/v1/deals/${one.deal.id}`, keys.sellerB), 404, 'NOT_FOUND')
    expectError(await call('GET', `/api/v1/deals/${one.deal.id}`, keys.stranger), 404, 'NOT_FOUND')
    expectError(await call('GET', '/api/v1/deals/nope', keys.bureau), 404, 'NOT_FOUND')
    expectError(await call('GET', `/api/v1/deals/${'x'.repeat(80)}`, keys.bureau), 404, 'NOT_FOUND')
    expectError(await call('GET', `/api/v1/deals/${one.deal.id}`), 401, 'UNAUTHENTICATED')
    expectError(await call('DELETE', `/api/v1/deals/${one.deal.id}`, keys.broker), 405, 'METHOD_NOT_ALLOWED')
  })

  it('is described in the OpenAPI document', () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } }
    expect(Object.keys(doc.paths['/api/v1/deals']!)).toEqual(['get'])
    expect(doc.paths['/api/v1/deals/{id}']!.get).toBeDefined()
    expect(doc.components.schemas).toHaveProperty('DealDetail')
    const params = (doc.paths['/api/v1/deals']!.get as { parameters: { name: string }[] }).parameters.map((p) => p.name)
    expect(params).toEqual(expect.arrayContaining(['stage', 'owner', 'overdue', 'q', 'demand', 'cursor', 'pageSize']))
  })
})
