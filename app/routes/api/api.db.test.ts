/**
 * The JSON API called as React Router calls it: real Requests (bearer keys in Authorization),
 * params and a fresh context. Every response is checked against the schemas the OpenAPI
 * document declares.
 */
import { RouterContextProvider } from 'react-router'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { OrgKind } from '~/generated/prisma/enums'
import { createApiKey, revokeApiKey } from '~/domain/api-keys/api-keys.server'
import { KIND_PATHS, type ListingKind } from '~/domain/listings/kinds'
import { createListing, transitionListing } from '~/domain/listings/listings.server'
import { ErrorResponseSchema, ItemResponseSchemas, ListResponseSchemas } from '~/domain/listings/openapi'
import { AchievementInputSchema, DemandInputSchema, ScenarioInputSchema, todayInChina } from '~/domain/listings/schemas'
import { MatchesResponseSchemas } from '~/domain/matching/api'
import type { Actor } from '~/domain/users/accounts.server'
import { translator } from '~/i18n/i18n'
import { prisma } from '~/infra/db/client.server'
import { warmUpText } from '~/infra/search/text.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import * as root from '../../root'
import * as itemRoute from './listing'
import * as listRoute from './listings'
import * as matchesRoute from './matches'
import * as notFoundRoute from './not-found'
import * as openapiRoute from './openapi'

const ORIGIN = 'http://localhost'
const zh = translator('zh-CN')
const en = translator('en')

interface CallOptions {
  key?: string
  body?: unknown
  raw?: BodyInit
  headers?: Record<string, string>
}

interface Reply {
  status: number
  headers: Headers
  text: string
  json: any
}

/** Routes a request as React Router would (by path), calling the loader for GET/HEAD and the action otherwise. */
async function api(method: string, path: string, { key, body, raw, headers = {} }: CallOptions = {}): Promise<Reply> {
  const url = new URL(path, ORIGIN)
  const segments = url.pathname.replace(/^\/api\/v1\/?/, '').split('/').filter(Boolean)
  const init: RequestInit & { duplex?: 'half' } = { method, headers: { ...headers } }
  if (key) (init.headers as Record<string, string>).Authorization = `Bearer ${key}`
  if (body !== undefined) {
    init.body = JSON.stringify(body)
    ;(init.headers as Record<string, string>)['Content-Type'] ??= 'application/json'
  }
  if (raw !== undefined) {
    init.body = raw
    if (raw instanceof ReadableStream) init.duplex = 'half'
  }
  const request = new Request(url, init)
  const read = method === 'GET' || method === 'HEAD'
  let module: { loader: (args: never) => Promise<Response>; action: (args: never) => Promise<Response> }
  let params: Record<string, string>
  if (url.pathname === '/api/v1/openapi.json') [module, params] = [openapiRoute as never, {}]
  else if (segments.length === 1) [module, params] = [listRoute as never, { kind: segments[0]! }]
  else if (segments.length === 2) [module, params] = [itemRoute as never, { kind: segments[0]!, id: decodeURIComponent(segments[1]!) }]
  else if (segments.length === 3 && segments[2] === 'matches') [module, params] = [matchesRoute as never, { kind: segments[0]!, id: decodeURIComponent(segments[1]!) }]
  else [module, params] = [notFoundRoute as never, { '*': segments.join('/') }]
  const response = await (read ? module.loader : module.action)({ request, params, context: new RouterContextProvider() } as never)
  expect(response).toBeInstanceOf(Response)
  const text = await response.text()
  let json: unknown = null
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: response.status, headers: response.headers, text, json }
}

function conforms(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value)
  expect(result.success, result.success ? '' : z.prettifyError(result.error)).toBe(true)
}

/** An error reply: the status, one body shape, JSON, no stack trace. */
function expectError(reply: Reply, status: number, code: string) {
  expect(reply.status, reply.text.slice(0, 500)).toBe(status)
  expect(reply.headers.get('Content-Type')).toMatch(/^application\/json/)
  conforms(ErrorResponseSchema, reply.json)
  expect(reply.json.error.code).toBe(code)
  expect(reply.text).not.toMatch(/at .*\.(ts|js):\d+|Error:|\berr\.\w|\bapi\.err\./)
  return reply.json.error as { code: string; message: string; fields?: Record<string, string> }
}

const achievementBody = (over: Record<string, unknown> = {}) => ({
  title: '高精度数控机床热误差补偿技术',
  summary: '基于温度场建模的数控机床热误差实时补偿方法，定位精度提升 40%。',
  field: 'ADVANCED_MANUFACTURING',
  industry: 'INTELLIGENT_EQUIPMENT',
  keywords: ['数控机床', '热误差'],
  trl: 6,
  transferModes: ['LICENSE'],
  askingPrice: 1200000.5,
  confidentialDetails: '补偿模型参数表',
  ...over,
})

const inDays = (days: number) => new Date(Date.now() + days * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10)

const demandBody = (over: Record<string, unknown> = {}) => ({
  title: '压铸件气孔缺陷在线检测',
  description: '我们的铝合金压铸件气孔率偏高，需要一套在线检测方案。',
  currentSituation: '目前靠人工抽检，漏检率约 5%',
  targetIndicators: '漏检率低于 0.5%',
  field: 'ADVANCED_MANUFACTURING',
  industry: 'AUTOMOTIVE',
  budget: '500000',
  deadline: inDays(60),
  cooperationModes: ['CO_DEVELOPMENT'],
  confidential: true,
  ...over,
})

/** An organisation with an administrator and a live key. */
async function orgWithKey(kind: OrgKind, verified = true) {
  const org = await makeOrg({ kind, verified })
  const role = ({ UNIVERSITY: 'SUPPLIER', INSTITUTE: 'SUPPLIER', OTHER: 'SUPPLIER', ENTERPRISE: 'ENTERPRISE', BROKER_AGENCY: 'BROKER', GOVERNMENT: 'BUREAU' } as const)[kind]
  const admin = await makeUser({ role, orgId: org.id, isOrgAdmin: true })
  const { key, secret } = await createApiKey({ actor: admin, input: { name: `${kind} sync` } })
  return { org, admin, key: secret, keyId: key.id }
}

let supplier: Awaited<ReturnType<typeof orgWithKey>>
let otherSupplier: Awaited<ReturnType<typeof orgWithKey>>
let enterprise: Awaited<ReturnType<typeof orgWithKey>>
let otherEnterprise: Awaited<ReturnType<typeof orgWithKey>>
let broker: Awaited<ReturnType<typeof orgWithKey>>
let bureau: Awaited<ReturnType<typeof orgWithKey>>

beforeAll(async () => {
  warmUpText() // the search index's segmenter loads its dictionaries before the first listing's transaction needs them
  supplier = await orgWithKey('UNIVERSITY')
  otherSupplier = await orgWithKey('INSTITUTE')
  enterprise = await orgWithKey('ENTERPRISE')
  otherEnterprise = await orgWithKey('ENTERPRISE')
  broker = await orgWithKey('BROKER_AGENCY')
  bureau = await orgWithKey('GOVERNMENT')
})

async function publish(kind: ListingKind, owner: Actor, input: Parameters<typeof createListing>[0]['input']) {
  const row = await createListing({ actor: owner, kind, input, submit: true })
  await transitionListing({ actor: bureau.admin, kind, id: row.id, action: 'approve' })
  return row.id
}

describe('GET /api/v1/{kind}: lists, filters and cursor pagination', () => {
  const tag = 'PAGINATION'
  // Few enough to keep the set-up short on a busy machine, enough for five pages of three.
  const COUNT = 13
  let ids: string[] = []

  beforeAll(async () => {
    const fields = ['ADVANCED_MANUFACTURING', 'NEW_MATERIALS', 'ELECTRONIC_INFORMATION'] as const
    for (let i = 0; i < COUNT; i++) {
      const owner = i % 2 ? supplier.admin : otherSupplier.admin
      const input = AchievementInputSchema.parse(
        achievementBody({
          title: `${tag} 成果 ${i}`,
          field: fields[i % 3],
          trl: (i % 9) + 1,
          // Some without a price (面议), several with the same price: the order must still be total.
          askingPrice: i % 5 === 0 ? null : (i % 4) * 100000,
          transferModes: i % 2 ? ['LICENSE'] : ['TRANSFER', 'EQUITY'],
        }),
      )
      ids.push(await publish('achievement', owner, input))
    }
    // Drafts and listings waiting for review are not public.
    await createListing({ actor: supplier.admin, kind: 'achievement', input: AchievementInputSchema.parse(achievementBody({ title: `${tag} 草稿` })) })
    await createListing({ actor: supplier.admin, kind: 'achievement', input: AchievementInputSchema.parse(achievementBody({ title: `${tag} 待审` })), submit: true })
  })

  async function walk(query: string, key?: string) {
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    let total = -1
    do {
      const reply = await api('GET', `/api/v1/achievements?${query}${cursor ? `&cursor=${cursor}` : ''}`, { key })
      expect(reply.status, reply.text).toBe(200)
      conforms(ListResponseSchemas.achievement, reply.json)
      if (total >= 0) expect(reply.json.page.total).toBe(total)
      total = reply.json.page.total
      seen.push(...reply.json.data.map((d: { id: string }) => d.id))
      cursor = reply.json.page.nextCursor
      if (cursor) expect(reply.headers.get('Link')).toContain(`cursor=${cursor}`)
      expect(++pages).toBeLessThan(50)
    } while (cursor)
    return { seen, total, pages }
  }

  it('walks every page with the cursor: no duplicates, no gaps, in every sort order', async () => {
    for (const sort of ['newest', 'oldest', 'price_asc', 'price_desc', 'trl_desc']) {
      const { seen, total, pages } = await walk(`q=${tag}&pageSize=3&sort=${sort}`)
      expect(new Set(seen).size, sort).toBe(seen.length)
      expect([...seen].sort(), sort).toEqual([...ids].sort())
      expect(total).toBe(COUNT)
      expect(pages).toBe(5)
    }
    const everything = await walk('pageSize=100')
    const db = await prisma()
    expect(everything.seen.length).toBe(await db.achievement.count({ where: { status: 'PUBLISHED' } }))
  })

  it('orders by price with 面议 last', async () => {
    const { json } = await api('GET', `/api/v1/achievements?q=${tag}&sort=price_asc&pageSize=100`)
    const prices = json.data.map((d: { askingPriceFen: number | null }) => d.askingPriceFen)
    const priced = prices.filter((p: number | null) => p !== null)
    expect(priced).toEqual([...priced].sort((a: number, b: number) => a - b))
    expect(prices.slice(priced.length).every((p: number | null) => p === null)).toBe(true)
  })

  it('applies each filter of ListQuerySchema', async () => {
    const list = async (query: string) => {
      const reply = await api('GET', `/api/v1/achievements?q=${tag}&pageSize=100&${query}`)
      expect(reply.status, `${query}: ${reply.text}`).toBe(200)
      conforms(ListResponseSchemas.achievement, reply.json)
      return reply.json.data as Record<string, any>[]
    }
    const byField = await list('field=NEW_MATERIALS')
    expect(byField.length).toBeGreaterThan(0)
    expect(byField.every((d) => d.field === 'NEW_MATERIALS')).toBe(true)
    const byTrl = await list('trlMin=3&trlMax=5')
    expect(byTrl.length).toBeGreaterThan(0)
    expect(byTrl.every((d) => d.trl >= 3 && d.trl <= 5)).toBe(true)
    // Prices are asked in yuan and answered in fen.
    const byPrice = await list('priceMin=100000&priceMax=200000')
    expect(byPrice.length).toBeGreaterThan(0)
    expect(byPrice.every((d) => d.askingPriceFen >= 10_000_000 && d.askingPriceFen <= 20_000_000)).toBe(true)
    const byMode = await list('mode=EQUITY')
    expect(byMode.length).toBe(Math.ceil(COUNT / 2))
    expect(byMode.every((d) => d.transferModes.includes('EQUITY'))).toBe(true)
    expect((await list('industry=INTELLIGENT_EQUIPMENT')).length).toBe(COUNT)
    expect((await list('industry=BIO_MEDICINE')).length).toBe(0)
    expect((await list('stage=CONCEPT')).every((d) => d.stage === 'CONCEPT')).toBe(true)
    expect((await list('region=50')).length).toBe(COUNT)
    expect((await list('region=11')).length).toBe(0)
    expect((await list('stale=1')).length).toBe(0)
    expect((await list('status=DRAFT')).every((d) => d.status === 'PUBLISHED')).toBe(true)
    const paged = await api('GET', `/api/v1/achievements?q=${tag}&pageSize=5&page=3`)
    expect(paged.json.data).toHaveLength(COUNT - 10)
  })

  it('refuses invalid filters with a message per parameter', async () => {
    const cases: [string, string][] = [
      ['trlMin=0', 'trlMin'],
      ['trlMax=10', 'trlMax'],
      ['trlMin=abc', 'trlMin'],
      ['trlMin=7&trlMax=3', 'trlMax'],
      ['priceMin=-5', 'priceMin'],
      ['field=PHYSICS', 'field'],
      ['sort=random', 'sort'],
      ['pageSize=101', 'pageSize'],
      ['page=0', 'page'],
      ['region=500', 'region'],
      ['trl_min=3', 'trl_min'],
      ['scope=everything', 'scope'],
    ]
    for (const [query, field] of cases) {
      const error = expectError(await api('GET', `/api/v1/achievements?${query}`), 400, 'BAD_INPUT')
      expect(Object.keys(error.fields ?? {}), query).toEqual([field])
    }
    const trl = expectError(await api('GET', '/api/v1/achievements?trlMin=0'), 400, 'BAD_INPUT')
    expect(trl.fields!.trlMin).toBe(zh('err.trl'))
    const english = expectError(await api('GET', '/api/v1/achievements?trlMin=0', { headers: { 'Accept-Language': 'en-GB,en;q=0.9,zh;q=0.5' } }), 400, 'BAD_INPUT')
    expect(english.fields!.trlMin).toBe(en('err.trl'))
    expect(english.message).toBe(en('api.err.invalidInput'))
    expectError(await api('GET', '/api/v1/achievements?cursor=nonexistent'), 400, 'BAD_INPUT')
  })

  it('lists an organisation’s own drafts with scope=mine and a key', async () => {
    const mine = await api('GET', `/api/v1/achievements?scope=mine&q=${tag}&pageSize=100`, { key: supplier.key })
    expect(mine.status).toBe(200)
    conforms(ListResponseSchemas.achievement, mine.json)
    expect(mine.json.data.every((d: { orgId: string }) => d.orgId === supplier.org.id)).toBe(true)
    expect(mine.json.data.map((d: { status: string }) => d.status)).toEqual(expect.arrayContaining(['DRAFT', 'PENDING_REVIEW', 'PUBLISHED']))
    const drafts = await api('GET', `/api/v1/achievements?scope=mine&status=DRAFT&q=${tag}`, { key: supplier.key })
    expect(drafts.json.data.map((d: { title: string }) => d.title)).toEqual([`${tag} 草稿`])
    expectError(await api('GET', '/api/v1/achievements?scope=mine'), 401, 'UNAUTHENTICATED')
    expectError(await api('GET', '/api/v1/achievements?scope=review', { key: supplier.key }), 403, 'FORBIDDEN')
    const queue = await api('GET', `/api/v1/achievements?scope=review&q=${tag}`, { key: bureau.key })
    expect(queue.json.data.map((d: { title: string }) => d.title)).toEqual([`${tag} 待审`])
  })
})

describe('GET /api/v1/{kind}/{id}', () => {
  it('shows a published listing to anyone, a draft only to its organisation, and 404 otherwise', async () => {
    const published = await publish('achievement', supplier.admin, AchievementInputSchema.parse(achievementBody()))
    const reply = await api('GET', `/api/v1/achievements/${published}`)
    expect(reply.status).toBe(200)
    conforms(ItemResponseSchemas.achievement, reply.json)
    expect(reply.json.data).toMatchObject({ id: published, kind: 'achievement', askingPriceFen: 120000050, status: 'PUBLISHED' })
    expect(reply.json.data).not.toHaveProperty('confidentialDetails')
    expect(reply.json.actions).toEqual([])
    expect(reply.headers.get('Cache-Control')).toBe('no-store')

    const draft = await createListing({ actor: supplier.admin, kind: 'achievement', input: AchievementInputSchema.parse(achievementBody()) })
    expectError(await api('GET', `/api/v1/achievements/${draft.id}`), 404, 'NOT_FOUND')
    expectError(await api('GET', `/api/v1/achievements/${draft.id}`, { key: otherSupplier.key }), 404, 'NOT_FOUND')
    const own = await api('GET', `/api/v1/achievements/${draft.id}`, { key: supplier.key })
    expect(own.status).toBe(200)
    conforms(ItemResponseSchemas.achievement, own.json)
    expect(own.json.data.confidentialDetails).toBe('补偿模型参数表')
    expect(own.json.actions).toEqual(expect.arrayContaining(['submit', 'archive']))

    expectError(await api('GET', '/api/v1/achievements/no-such-id'), 404, 'NOT_FOUND')
    // An id of another kind is not found under this kind.
    expectError(await api('GET', `/api/v1/demands/${published}`), 404, 'NOT_FOUND')
  })

  it('hides confidential demand details from the public and other enterprises, not from brokers, the bureau or the owner', async () => {
    const id = await publish('demand', enterprise.admin, DemandInputSchema.parse(demandBody()))
    for (const key of [undefined, otherEnterprise.key, supplier.key]) {
      const reply = await api('GET', `/api/v1/demands/${id}`, { key })
      expect(reply.status).toBe(200)
      conforms(ItemResponseSchemas.demand, reply.json)
      expect(reply.json.data).toMatchObject({ currentSituation: null, targetIndicators: null, detailsHidden: true, confidential: true })
      expect(reply.text).not.toContain('漏检率约 5%')
      const list = await api('GET', '/api/v1/demands?q=压铸件', { key })
      conforms(ListResponseSchemas.demand, list.json)
      expect(list.json.data.map((d: { id: string }) => d.id)).toContain(id)
      expect(list.text).not.toContain('漏检率约 5%')
    }
    for (const key of [broker.key, bureau.key, enterprise.key]) {
      const reply = await api('GET', `/api/v1/demands/${id}`, { key })
      conforms(ItemResponseSchemas.demand, reply.json)
      expect(reply.json.data).toMatchObject({ currentSituation: '目前靠人工抽检，漏检率约 5%', detailsHidden: false })
      const list = await api('GET', '/api/v1/demands?q=压铸件', { key })
      expect(list.json.data.find((d: { id: string }) => d.id === id)).toMatchObject({ targetIndicators: '漏检率低于 0.5%' })
    }
    const reply = await api('GET', `/api/v1/demands/${id}`)
    expect(reply.json.data).toMatchObject({ budgetFen: 50_000_000, deadline: inDays(60) })
  })
})

describe('GET /api/v1/{kind}/{id}/matches', () => {
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    ids.achievement = await publish(
      'achievement',
      supplier.admin,
      AchievementInputSchema.parse(
        achievementBody({
          title: '铝合金压铸件气孔X射线在线检测系统',
          summary: '基于X射线成像与深度学习的铝合金压铸件气孔、缩孔缺陷在线检测，单件检测节拍 20 秒，漏检率低于 0.5%。',
          industry: 'AUTOMOTIVE',
          keywords: ['压铸件', '气孔', '在线检测', 'X射线'],
          transferModes: ['LICENSE', 'TECH_SERVICE'],
          askingPrice: 400000,
        }),
      ),
    )
    ids.demand = await publish('demand', enterprise.admin, DemandInputSchema.parse(demandBody({ cooperationModes: ['TECH_SERVICE'] })))
    const scenario = await createListing({
      actor: bureau.admin,
      kind: 'scenario',
      input: ScenarioInputSchema.parse({
        title: '压铸车间气孔缺陷在线检测应用场景',
        description: '区内压铸企业需要铝合金压铸件气孔缺陷的在线检测能力，欢迎提供 X 射线在线检测整体方案。',
        sector: 'AUTOMOTIVE',
        budget: 800000,
        deadline: inDays(30),
      }),
      submit: true,
    })
    ids.scenario = scenario.id
  })

  /** The shape the issue names, and reasons in words (no message keys). */
  function expectMatches(reply: Reply, source: ListingKind, other: ListingKind) {
    expect(reply.status, reply.text.slice(0, 500)).toBe(200)
    conforms(MatchesResponseSchemas[source], reply.json)
    expect(Object.keys(reply.json).sort()).toEqual(['matches', 'noGoodMatch', source].sort())
    expect(reply.json[source]).toEqual({ id: expect.any(String), externalId: null, title: expect.any(String) })
    for (const m of reply.json.matches) {
      expect(m[other]).toEqual({ id: expect.any(String), externalId: null, title: expect.any(String) })
      expect(m.score).toBeGreaterThan(0)
      expect(m.score).toBeLessThanOrEqual(1)
      expect(['strong', 'possible']).toContain(m.confidence)
      for (const r of m.reasons) expect(r).toEqual({ code: expect.any(String), fit: expect.any(Boolean), text: expect.any(String) })
    }
    expect(reply.text).not.toMatch(/"text":"(err|match)\.\w/)
    return reply.json.matches.map((m: Record<string, { id: string }>) => m[other]!.id) as string[]
  }

  it('answers demand → achievements for the owner, brokers and the bureau, and no one else', async () => {
    for (const key of [enterprise.key, broker.key, bureau.key]) {
      const found = expectMatches(await api('GET', `/api/v1/demands/${ids.demand}/matches`, { key }), 'demand', 'achievement')
      expect(found[0]).toBe(ids.achievement)
    }
    const one = await api('GET', `/api/v1/demands/${ids.demand}/matches?limit=1`, { key: broker.key })
    expect(one.json.matches).toHaveLength(1)
    const english = await api('GET', `/api/v1/demands/${ids.demand}/matches`, { key: broker.key, headers: { 'Accept-Language': 'en' } })
    expect(english.json.matches[0].reasons.map((r: { text: string }) => r.text).join(' ')).toMatch(/[A-Za-z]{4}/)

    expectError(await api('GET', `/api/v1/demands/${ids.demand}/matches`, { key: otherEnterprise.key }), 403, 'FORBIDDEN')
    expectError(await api('GET', `/api/v1/demands/${ids.demand}/matches`), 401, 'UNAUTHENTICATED')
    expectError(await api('GET', '/api/v1/demands/no-such-id/matches', { key: broker.key }), 404, 'NOT_FOUND')
    for (const limit of ['0', '51', 'ten', '1.5']) {
      const error = expectError(await api('GET', `/api/v1/demands/${ids.demand}/matches?limit=${limit}`, { key: broker.key }), 400, 'BAD_INPUT')
      expect(Object.keys(error.fields ?? {})).toEqual(['limit'])
    }
    const post = await api('POST', `/api/v1/demands/${ids.demand}/matches`, { key: broker.key, body: {} })
    expectError(post, 405, 'METHOD_NOT_ALLOWED')
  })

  it('answers scenario → achievements and achievement → demands ("who needs this")', async () => {
    expect(expectMatches(await api('GET', `/api/v1/scenarios/${ids.scenario}/matches`, { key: bureau.key }), 'scenario', 'achievement')).toContain(ids.achievement)
    expect(expectMatches(await api('GET', `/api/v1/achievements/${ids.achievement}/matches`, { key: supplier.key }), 'achievement', 'demand')).toContain(ids.demand)
  })
})

describe('POST /api/v1/{kind}: create with a key', () => {
  it('creates a draft (201, Location, money in fen) in the name of the key’s creator, audited', async () => {
    const reply = await api('POST', '/api/v1/achievements', { key: supplier.key, body: achievementBody({ askingPrice: '1200000.50' }) })
    expect(reply.status, reply.text).toBe(201)
    conforms(ItemResponseSchemas.achievement, reply.json)
    const created = reply.json.data
    expect(created).toMatchObject({ status: 'DRAFT', orgId: supplier.org.id, askingPriceFen: 120000050, stage: 'PILOT', createdById: supplier.admin.id })
    expect(reply.headers.get('Location')).toBe(`/api/v1/achievements/${created.id}`)
    const again = await api('GET', reply.headers.get('Location')!, { key: supplier.key })
    expect(again.json.data).toEqual(created)
    const db = await prisma()
    const audit = await db.auditLog.findFirst({ where: { entityId: created.id, action: 'achievement.create' } })
    expect(audit?.actorId).toBe(supplier.admin.id)
  })

  it('sends it to review with ?submit=true or "submit": true', async () => {
    const byQuery = await api('POST', '/api/v1/achievements?submit=true', { key: supplier.key, body: achievementBody() })
    expect(byQuery.status).toBe(201)
    expect(byQuery.json.data.status).toBe('PENDING_REVIEW')
    const byBody = await api('POST', '/api/v1/demands', { key: enterprise.key, body: demandBody({ submit: true }) })
    expect(byBody.status).toBe(201)
    conforms(ItemResponseSchemas.demand, byBody.json)
    expect(byBody.json.data.status).toBe('PENDING_REVIEW')
    expectError(await api('POST', '/api/v1/achievements?submit=yes', { key: supplier.key, body: achievementBody() }), 400, 'BAD_INPUT')
    const bad = expectError(await api('POST', '/api/v1/achievements', { key: supplier.key, body: achievementBody({ submit: 'yes' }) }), 400, 'BAD_INPUT')
    expect(Object.keys(bad.fields!)).toEqual(['submit'])
  })

  it('lets the bureau publish a scenario directly, with its deadline as a date', async () => {
    const reply = await api('POST', '/api/v1/scenarios?submit=true', {
      key: bureau.key,
      body: { title: '智慧园区巡检机器人应用场景', description: '园区需要全天候巡检，欢迎提供巡检机器人整体方案。', sector: '智能装备', budget: 800000, deadline: inDays(30) },
    })
    expect(reply.status, reply.text).toBe(201)
    conforms(ItemResponseSchemas.scenario, reply.json)
    expect(reply.json.data).toMatchObject({ status: 'PUBLISHED', sector: 'INTELLIGENT_EQUIPMENT', budgetFen: 80_000_000, deadline: inDays(30) })
  })

  it('refuses without a key (401), with a bad or revoked key (401), and for a role that may not create it (403)', async () => {
    const none = await api('POST', '/api/v1/achievements', { body: achievementBody() })
    expectError(none, 401, 'UNAUTHENTICATED')
    expect(none.headers.get('WWW-Authenticate')).toMatch(/^Bearer/)
    expectError(await api('POST', '/api/v1/achievements', { body: achievementBody(), headers: { Authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'UNAUTHENTICATED')
    expectError(await api('POST', '/api/v1/achievements', { key: `kz_${'A'.repeat(43)}`, body: achievementBody() }), 401, 'UNAUTHENTICATED')
    expectError(await api('POST', '/api/v1/achievements', { key: 'not-a-key', body: achievementBody() }), 401, 'UNAUTHENTICATED')
    const forbidden = expectError(await api('POST', '/api/v1/achievements', { key: enterprise.key, body: achievementBody() }), 403, 'FORBIDDEN')
    expect(forbidden.message).toBe(zh('err.forbidden'))

    const temporary = await orgWithKey('UNIVERSITY')
    expect((await api('POST', '/api/v1/achievements', { key: temporary.key, body: achievementBody() })).status).toBe(201)
    await revokeApiKey({ actor: temporary.admin, id: temporary.keyId })
    const revoked = expectError(await api('POST', '/api/v1/achievements', { key: temporary.key, body: achievementBody() }), 401, 'UNAUTHENTICATED')
    expect(revoked.message).toBe(zh('api.err.invalidKey'))
    // A revoked key is refused even where no key is needed: it is never silently anonymous.
    expectError(await api('GET', '/api/v1/achievements', { key: temporary.key }), 401, 'UNAUTHENTICATED')
  })

  it('refuses to submit for an unverified organisation without leaving a draft behind', async () => {
    const unverified = await orgWithKey('UNIVERSITY', false)
    expectError(await api('POST', '/api/v1/achievements?submit=true', { key: unverified.key, body: achievementBody() }), 403, 'FORBIDDEN')
    const db = await prisma()
    expect(await db.achievement.count({ where: { orgId: unverified.org.id } })).toBe(0)
    expect((await api('POST', '/api/v1/achievements', { key: unverified.key, body: achievementBody() })).status).toBe(201)
  })
})

describe('bad requests get a 4xx with the error body, never a 500', () => {
  const post = (options: CallOptions) => api('POST', '/api/v1/achievements', { key: supplier.key, ...options })

  it('invalid JSON, a body that is not an object, invalid UTF-8: 400', async () => {
    const json = { 'Content-Type': 'application/json' }
    const invalid = expectError(await post({ raw: '{"title": "x",', headers: json }), 400, 'BAD_INPUT')
    expect(invalid.message).toBe(zh('api.err.invalidJson'))
    const english = expectError(await post({ raw: '{', headers: { ...json, 'Accept-Language': 'en' } }), 400, 'BAD_INPUT')
    expect(english.message).toBe(en('api.err.invalidJson'))
    expectError(await post({ raw: '', headers: json }), 400, 'BAD_INPUT')
    expectError(await post({ raw: '[1, 2]', headers: json }), 400, 'BAD_INPUT')
    expectError(await post({ raw: '"text"', headers: json }), 400, 'BAD_INPUT')
    expectError(await post({ raw: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: json }), 400, 'BAD_INPUT')
  })

  it('a body over 1 MB: 413, whether or not its length is declared', async () => {
    const big = JSON.stringify(achievementBody({ summary: '测'.repeat(400_000) }))
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024)
    const declared = await post({ raw: big, headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(big)) } })
    expectError(declared, 413, 'PAYLOAD_TOO_LARGE')
    // Without a declared length: the rest is read and dropped, so the connection stays usable…
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
    const streamOf = (chunks: number) => {
      const state = { sent: 0 }
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (state.sent++ < chunks) controller.enqueue(chunk)
          else controller.close()
        },
      })
      return { stream, state }
    }
    const small = streamOf(20)
    const drained = await post({ raw: small.stream, headers: { 'Content-Type': 'application/json' } })
    expectError(drained, 413, 'PAYLOAD_TOO_LARGE')
    expect(drained.headers.get('Connection')).toBeNull()
    expect(small.state.sent).toBe(21)
    // …up to 16 MB; a body larger still is cut off and the connection closed.
    const huge = streamOf(1000)
    const cut = await post({ raw: huge.stream, headers: { 'Content-Type': 'application/json' } })
    expectError(cut, 413, 'PAYLOAD_TOO_LARGE')
    expect(cut.headers.get('Connection')).toBe('close')
    expect(huge.state.sent).toBeLessThan(300)
    // Just under the limit is read (and then judged on its content).
    const near = JSON.stringify(achievementBody({ summary: '测'.repeat(340_000) }))
    expect(Buffer.byteLength(near)).toBeLessThan(1024 * 1024)
    const error = expectError(await post({ raw: near, headers: { 'Content-Type': 'application/json' } }), 400, 'BAD_INPUT')
    expect(Object.keys(error.fields!)).toEqual(['summary'])
  })

  it('a body that is not JSON: 415', async () => {
    const form = new URLSearchParams({ title: 'x' })
    expectError(await post({ raw: form }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    expectError(await post({ raw: '{}', headers: { 'Content-Type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    expectError(await post({ raw: '{}', headers: { 'Content-Type': 'application/json; charset=gbk' } }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    expectError(await post({ raw: '{}' , headers: {} }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    // charset=utf-8 is fine.
    const ok = await post({ raw: JSON.stringify(achievementBody()), headers: { 'Content-Type': 'application/json; charset=UTF-8' } })
    expect(ok.status).toBe(201)
  })

  it('invalid values: a translated message for each field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ field: 'PHYSICS' }, 'field', zh('err.field')],
      [{ trl: 0 }, 'trl', zh('err.trl')],
      [{ trl: 10 }, 'trl', zh('err.trl')],
      [{ trl: 5.5 }, 'trl', zh('err.trl')],
      [{ askingPrice: -100 }, 'askingPrice', zh('err.negativeAmount')],
      [{ transferModes: ['GIFT'] }, 'transferModes.0', zh('err.transferMode')],
      [{ transferModes: [] }, 'transferModes', zh('err.transferModesRequired')],
      [{ title: 'x'.repeat(201) }, 'title', zh('err.tooLong', { max: 200 })],
      [{ title: undefined }, 'title', zh('err.required')],
    ]
    for (const [over, field, message] of cases) {
      const error = expectError(await post({ body: achievementBody(over) }), 400, 'BAD_INPUT')
      expect(error.fields, JSON.stringify(over)).toMatchObject({ [field]: expect.any(String) })
      expect(error.fields![field], JSON.stringify(over)).toBe(message)
      expect(error.message).toBe(zh('api.err.invalidInput'))
    }
    const past = expectError(await api('POST', '/api/v1/demands', { key: enterprise.key, body: demandBody({ deadline: '2020-01-01' }) }), 400, 'BAD_INPUT')
    expect(past.fields).toEqual({ deadline: zh('err.deadlinePast') })
    const pastEn = expectError(
      await api('POST', '/api/v1/demands', { key: enterprise.key, body: demandBody({ deadline: '2020-01-01' }), headers: { 'Accept-Language': 'en' } }),
      400,
      'BAD_INPUT',
    )
    expect(pastEn.fields).toEqual({ deadline: en('err.deadlinePast') })
    expect((await api('POST', '/api/v1/demands', { key: enterprise.key, body: demandBody({ deadline: todayInChina() }) })).status).toBe(201)
  })

  it('unknown fields are refused, and amounts in fen point to the yuan field', async () => {
    const unknown = expectError(await post({ body: achievementBody({ colour: 'blue' }) }), 400, 'BAD_INPUT')
    expect(unknown.fields).toEqual({ colour: zh('api.err.unknownField') })
    const fen = expectError(await post({ body: achievementBody({ askingPriceFen: 100 }) }), 400, 'BAD_INPUT')
    expect(fen.fields!.askingPriceFen).toContain('askingPrice')
  })

  it('values of the wrong type anywhere: 400 with readable messages', async () => {
    const weird: Record<string, unknown>[] = [
      { title: 123 },
      { title: { zh: '标题' } },
      { keywords: { a: 1 } },
      { keywords: [1, 2] },
      { trl: '5.5' },
      { trl: [] },
      { askingPrice: {} },
      { askingPrice: '1e9' },
      { askingPrice: 1e30 },
      { transferModes: 'NOPE' },
      { contactEmail: 'not-an-email' },
      { contactPhone: 12345 },
      { ipNumbers: 'x'.repeat(50) },
      { stage: [] },
      { title: 'A\u0000B' },
    ]
    for (const over of weird) {
      const error = expectError(await post({ body: achievementBody(over) }), 400, 'BAD_INPUT')
      const fields = Object.values(error.fields ?? {})
      expect(fields.length, JSON.stringify(over)).toBeGreaterThan(0)
      for (const text of fields) expect(text, JSON.stringify(over)).not.toMatch(/^Invalid input|expected/)
    }
    for (const body of [{ confidential: 'maybe' }, { deadline: 20250101 }, { cooperationModes: null }]) {
      const reply = await api('POST', '/api/v1/demands', { key: enterprise.key, body: demandBody(body) })
      expect(reply.status, JSON.stringify(body)).toBeLessThan(500)
    }
  })

  it('wrong methods: 405 with Allow; unknown kinds and paths: 404 JSON', async () => {
    const del = await api('DELETE', '/api/v1/achievements', { key: supplier.key })
    expectError(del, 405, 'METHOD_NOT_ALLOWED')
    expect(del.headers.get('Allow')).toBe('GET, POST, HEAD, OPTIONS')
    expectError(await api('PUT', '/api/v1/achievements', { key: supplier.key, body: {} }), 405, 'METHOD_NOT_ALLOWED')
    const delItem = await api('DELETE', '/api/v1/achievements/abc', { key: supplier.key })
    expectError(delItem, 405, 'METHOD_NOT_ALLOWED')
    expect(delItem.headers.get('Allow')).toBe('GET, PUT, PATCH, POST, HEAD, OPTIONS')
    expectError(await api('POST', '/api/v1/openapi.json', { body: {} }), 405, 'METHOD_NOT_ALLOWED')
    const options = await api('OPTIONS', '/api/v1/achievements')
    expect(options.status).toBe(204)

    const kind = expectError(await api('GET', '/api/v1/patents'), 404, 'NOT_FOUND')
    expect(kind.message).toContain('achievements')
    expectError(await api('DELETE', '/api/v1/patents/1'), 404, 'NOT_FOUND')
    expectError(await api('GET', '/api/v1/achievements/1/extra'), 404, 'NOT_FOUND')
    expectError(await api('POST', '/api/v1/a/b/c', { body: {} }), 404, 'NOT_FOUND')
    const english = expectError(await api('GET', '/api/v1/nothing/here/at-all', { headers: { 'Accept-Language': 'en' } }), 404, 'NOT_FOUND')
    expect(english.message).toBe(en('api.err.noSuchEndpoint'))
  })
})

describe('PUT and PATCH /api/v1/{kind}/{id}', () => {
  it('updates the owner’s listing: PATCH merges over the current values, PUT replaces them', async () => {
    const created = await api('POST', '/api/v1/achievements', { key: supplier.key, body: achievementBody({ ipStatus: '已授权' }) })
    const id = created.json.data.id
    const patched = await api('PATCH', `/api/v1/achievements/${id}`, { key: supplier.key, body: { title: '改进版热误差补偿', askingPrice: null } })
    expect(patched.status, patched.text).toBe(200)
    conforms(ItemResponseSchemas.achievement, patched.json)
    expect(patched.json.data).toMatchObject({
      title: '改进版热误差补偿',
      askingPriceFen: null,
      summary: achievementBody().summary,
      trl: 6,
      ipStatus: '已授权',
      confidentialDetails: '补偿模型参数表',
      keywords: ['数控机床', '热误差'],
    })
    const merge = await api('PATCH', `/api/v1/achievements/${id}`, {
      key: supplier.key,
      body: { askingPrice: '99.9' },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    })
    expect(merge.json.data.askingPriceFen).toBe(9990)

    const replaced = await api('PUT', `/api/v1/achievements/${id}`, { key: supplier.key, body: achievementBody({ title: '全新标题', ipStatus: undefined }) })
    expect(replaced.status).toBe(200)
    expect(replaced.json.data).toMatchObject({ title: '全新标题', ipStatus: null, askingPriceFen: 120000050 })
    const incomplete = expectError(await api('PUT', `/api/v1/achievements/${id}`, { key: supplier.key, body: { title: '只有标题' } }), 400, 'BAD_INPUT')
    expect(Object.keys(incomplete.fields!)).toEqual(expect.arrayContaining(['summary', 'field', 'industry', 'trl']))
    expectError(await api('PATCH', `/api/v1/achievements/${id}`, { key: supplier.key, body: { trl: 10 } }), 400, 'BAD_INPUT')
    expectError(await api('PATCH', `/api/v1/achievements/${id}`, { key: supplier.key, body: { submit: true } }), 400, 'BAD_INPUT')

    const db = await prisma()
    expect(await db.auditLog.count({ where: { entityId: id, action: 'achievement.update', actorId: supplier.admin.id } })).toBe(3)
  })

  it('a published listing edited goes back to review', async () => {
    const id = await publish('achievement', supplier.admin, AchievementInputSchema.parse(achievementBody()))
    const reply = await api('PATCH', `/api/v1/achievements/${id}`, { key: supplier.key, body: { summary: '更新后的成果简介，补充了中试数据与应用案例。' } })
    expect(reply.json.data.status).toBe('PENDING_REVIEW')
  })

  it('refuses another organisation’s key (403 when it can see the listing, 404 when it cannot) and no key (401)', async () => {
    const id = await publish('achievement', supplier.admin, AchievementInputSchema.parse(achievementBody()))
    for (const key of [otherSupplier.key, enterprise.key, broker.key]) {
      expectError(await api('PATCH', `/api/v1/achievements/${id}`, { key, body: { title: '别人改的标题' } }), 403, 'FORBIDDEN')
      expectError(await api('PUT', `/api/v1/achievements/${id}`, { key, body: achievementBody() }), 403, 'FORBIDDEN')
    }
    expectError(await api('PATCH', `/api/v1/achievements/${id}`, { body: { title: '匿名' } }), 401, 'UNAUTHENTICATED')
    const draft = await api('POST', '/api/v1/achievements', { key: supplier.key, body: achievementBody() })
    expectError(await api('PATCH', `/api/v1/achievements/${draft.json.data.id}`, { key: otherSupplier.key, body: { title: '别人改的标题' } }), 404, 'NOT_FOUND')
    const unchanged = await api('GET', `/api/v1/achievements/${id}`)
    expect(unchanged.json.data.title).toBe(achievementBody().title)
  })

  it('archived listings are read-only: 409', async () => {
    const created = await api('POST', '/api/v1/achievements', { key: supplier.key, body: achievementBody() })
    const id = created.json.data.id
    expect((await api('POST', `/api/v1/achievements/${id}`, { key: supplier.key, body: { action: 'archive' } })).status).toBe(200)
    expectError(await api('PATCH', `/api/v1/achievements/${id}`, { key: supplier.key, body: { title: '归档后修改' } }), 409, 'CONFLICT')
  })
})

describe('POST /api/v1/{kind}/{id}: life-cycle actions', () => {
  it('submit by the owner, approve by the bureau, conflicts and refusals', async () => {
    const created = await api('POST', '/api/v1/demands', { key: enterprise.key, body: demandBody({ confidential: false }) })
    const id = created.json.data.id
    const submitted = await api('POST', `/api/v1/demands/${id}`, { key: enterprise.key, body: { action: 'submit' } })
    expect(submitted.status, submitted.text).toBe(200)
    conforms(ItemResponseSchemas.demand, submitted.json)
    expect(submitted.json.data.status).toBe('PENDING_REVIEW')
    expect(submitted.json.actions).toEqual(['withdraw'])
    expectError(await api('POST', `/api/v1/demands/${id}`, { key: enterprise.key, body: { action: 'approve' } }), 403, 'FORBIDDEN')
    const rejectWithout = expectError(await api('POST', `/api/v1/demands/${id}`, { key: bureau.key, body: { action: 'reject' } }), 400, 'BAD_INPUT')
    expect(Object.keys(rejectWithout.fields!)).toEqual(['reason'])
    const approved = await api('POST', `/api/v1/demands/${id}`, { key: bureau.key, body: { action: 'approve' } })
    expect(approved.json.data.status).toBe('PUBLISHED')
    const conflict = expectError(await api('POST', `/api/v1/demands/${id}`, { key: enterprise.key, body: { action: 'submit' } }), 409, 'CONFLICT')
    expect(conflict.message).toContain('PUBLISHED')
    expectError(await api('POST', `/api/v1/demands/${id}`, { key: otherEnterprise.key, body: { action: 'archive' } }), 403, 'FORBIDDEN')
    const unknown = expectError(await api('POST', `/api/v1/demands/${id}`, { key: enterprise.key, body: { action: 'delete' } }), 400, 'BAD_INPUT')
    expect(unknown.fields!.action).toContain('submit')
    expectError(await api('POST', `/api/v1/demands/${id}`, { key: enterprise.key, body: { action: 'refresh', extra: 1 } }), 400, 'BAD_INPUT')
    expect((await api('POST', `/api/v1/demands/${id}`, { key: enterprise.key, body: { action: 'refresh' } })).status).toBe(200)
  })
})

describe('the root middleware in front of the API', () => {
  const [sameOrigin] = root.middleware
  const run = (request: Request) =>
    Promise.resolve(sameOrigin!({ request, params: {}, context: new RouterContextProvider() } as never, (async () => new Response('ok')) as never))

  it('lets an API client with a bearer key and no Origin through, refuses a browser’s cross-site POST with a cookie', async () => {
    const client = new Request(`${ORIGIN}/api/v1/achievements`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${supplier.key}`, 'Content-Type': 'application/json' },
      body: '{}',
    })
    await expect(run(client)).resolves.toBeUndefined()
    const browser = new Request(`${ORIGIN}/api/v1/achievements`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', Host: 'localhost', Cookie: 'kz_session=abc', 'Content-Type': 'application/json' },
      body: '{}',
    })
    const refused = await run(browser).then(
      () => null,
      (e: unknown) => e,
    )
    expect(refused).toBeInstanceOf(Response)
    const response = refused as Response
    expect(response.status).toBe(403)
    expect(await response.json()).toEqual({ error: { code: 'FORBIDDEN', message: zh('err.crossSite') } })
    // A malformed Origin is refused too, not a server error.
    const garbled = new Request(`${ORIGIN}/api/v1/achievements`, { method: 'POST', headers: { Origin: 'not a url', 'Content-Type': 'application/json' }, body: '{}' })
    const outcome = await run(garbled).then(
      () => null,
      (e: unknown) => e,
    )
    expect((outcome as Response).status).toBe(403)
  })
})

describe('GET /api/v1/openapi.json', () => {
  it('serves the document as JSON', async () => {
    const reply = await api('GET', '/api/v1/openapi.json')
    expect(reply.status).toBe(200)
    expect(reply.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(reply.json.openapi).toMatch(/^3\.1\./)
    expect(Object.keys(reply.json.paths)).toEqual(
      expect.arrayContaining(['/api/v1/achievements', '/api/v1/demands/{id}', '/api/v1/scenarios', '/api/v1/demands/{id}/matches', '/api/v1/achievements/{id}/matches', '/api/v1/search']),
    )
  })
})
