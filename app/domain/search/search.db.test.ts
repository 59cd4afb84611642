import { RouterContextProvider } from 'react-router'
import { beforeAll, describe, expect, it } from 'vitest'
import { createListing, transitionListing } from '~/domain/listings/listings.server'
import { AchievementInputSchema, DemandInputSchema } from '~/domain/listings/schemas'
import type { Actor } from '~/domain/users/accounts.server'
import { makeUser } from '../../../tests/factories'
import * as searchRoute from '../../routes/api/search'
import { SearchResponseSchema } from './api'
import { searchListings, SearchQuerySchema } from './search.server'

let bureau: Actor
const SECRET = '镁合金半固态触变成形'

async function publish(kind: 'achievement' | 'demand', input: unknown, owner: Actor) {
  const schema = kind === 'achievement' ? AchievementInputSchema : DemandInputSchema
  const row = await createListing({ actor: owner, kind, input: schema.parse(input), submit: true })
  await transitionListing({ actor: bureau, kind, id: row.id, action: 'approve' })
  return row.id
}

const search = (q: Record<string, string>) => searchListings({ query: SearchQuerySchema.parse(q) })

async function apiSearch(query: string) {
  const request = new Request(`http://localhost/api/v1/search?${query}`)
  const response = (await searchRoute.loader({ request, params: {}, context: new RouterContextProvider() } as never)) as Response
  const json = (await response.json()) as any
  // Every answer is the shape the OpenAPI document declares.
  if (response.status === 200) expect(SearchResponseSchema.safeParse(json).error).toBeUndefined()
  return { status: response.status, json }
}

beforeAll(async () => {
  bureau = await makeUser({ role: 'BUREAU' })
  const supplier = await makeUser({ role: 'SUPPLIER' })
  const enterprise = await makeUser({ role: 'ENTERPRISE' })
  await publish('achievement', {
    title: '数控机床主轴热误差实时补偿技术',
    summary: '基于温度场建模的热误差补偿方法，显著提升加工中心定位精度。',
    field: '先进制造与自动化', industry: '智能装备', keywords: '数控机床;热误差', trl: 6, transferModes: ['许可'], askingPrice: 500000,
  }, supplier)
  await publish('demand', {
    title: '轻量化壳体成形工艺改进',
    description: '我们需要改进新能源汽车壳体的成形工艺，降低废品率。',
    currentSituation: `现用${SECRET}，良率只有 70%`,
    field: '新材料', industry: '汽车及零部件', cooperationModes: ['合作开发'], confidential: 'on',
  }, enterprise)
})

describe('searchListings', () => {
  it('finds a compound word by its part and by a synonym, with highlights as safe segments', async () => {
    for (const q of ['机床', 'CNC', '数控机床 热误差']) {
      const result = await search({ q })
      expect(result.items.map((i) => i.kind)).toContain('achievement')
      expect(result.items[0]!.title.some((s) => s.hit)).toBe(true)
    }
    const result = await search({ q: '数控机床' })
    expect(result.kindCounts).toMatchObject({ achievement: 1, demand: 0, scenario: 0 })
    expect(result.facets.field).toMatchObject({ ADVANCED_MANUFACTURING: 1 })
  })

  it('never finds or shows a confidential demand detail', async () => {
    const bySecret = await search({ q: '镁合金 半固态 触变' })
    expect(bySecret.items.filter((i) => i.kind === 'demand')).toEqual([])
    const byPublic = await search({ q: '壳体 成形' })
    const demand = byPublic.items.find((i) => i.kind === 'demand')!
    expect(demand).toBeTruthy()
    const shown = JSON.stringify(demand)
    expect(shown).not.toContain('镁合金')
    expect(shown).not.toContain('良率')
  })

  it('gives sensible results for empty, huge, punctuation-only and emoji queries', async () => {
    expect((await search({ q: '' })).total).toBeGreaterThanOrEqual(2)
    const words = '数控机床 热误差 加工中心 主轴 温升 定位精度 传感器 建模 冷却 润滑 刀具 夹具 振动 噪声 能耗 '
    const huge = await search({ q: words.repeat(200).slice(0, 10_000) })
    expect(huge.pruned).toBe(true)
    expect(huge.items[0]?.kind).toBe('achievement')
    for (const q of ['！！！？？？……', '🚀🔥💡', '" OR 1=1 --', '(((', '\\\\']) {
      const result = await search({ q })
      expect(result.total).toBeGreaterThanOrEqual(0)
    }
  })

  it('searches a long query by the words listings use: rare words no listing has take no place', async () => {
    // By general Chinese these twelve are the most informative, 补偿 and 精度 the least.
    const result = await search({ q: '耄耋 魑魅 缱绻 旖旎 囹圄 蹉跎 龃龉 饕餮 氤氲 婆娑 觊觎 踌躇 精度 补偿' })
    expect(result.terms.sort()).toEqual(['精度', '补偿'].sort())
    expect(result.pruned).toBe(true)
    expect(result.items.map((i) => i.kind)).toEqual(['achievement'])
    // A short query keeps every word, used or not: then nothing matches them all.
    expect((await search({ q: '补偿 饕餮' })).terms.sort()).toEqual(['补偿', '饕餮'].sort())
  })

  it('offers other words and the count without filters when nothing matches', async () => {
    const result = await search({ q: '数控机床', field: 'BIO_MEDICINE' })
    expect(result.total).toBe(0)
    expect(result.suggestions.withoutFilters).toBe(1)
  })
})

describe('GET /api/v1/search', () => {
  it('answers bad parameters with 400 and field messages, never 500', async () => {
    for (const query of ['page=-1', 'pageSize=1000', 'page=abc', 'facet=nonsense', 'field=%22%20OR%20kind%3D%22demand', 'kind=contract', `q=${'x'.repeat(10_001)}`]) {
      const { status, json } = await apiSearch(query)
      expect(status, query).toBe(400)
      expect(json.error.code).toBe('BAD_INPUT')
    }
  })

  it('answers a plain query with tabs, facets and segments', async () => {
    const { status, json } = await apiSearch(`q=${encodeURIComponent('热误差')}`)
    expect(status).toBe(200)
    expect(json.kindCounts.achievement).toBe(1)
    expect(json.data[0].title.some((s: { hit: boolean }) => s.hit)).toBe(true)
  })
})

// Last: the listings it publishes would change the counts the tests above expect.
describe('parts of a compound in the search box', () => {
  it('do not widen a compound by its parts that are words of general Chinese', async () => {
    const supplier = await makeUser({ role: 'SUPPLIER' })
    const thermal = await publish('achievement', {
      title: '动力电池包热管理液冷板设计',
      summary: '液冷板流道优化，电芯温差控制在3 ℃以内。',
      field: '新能源与节能', industry: '汽车及零部件', keywords: '热管理;液冷板', trl: 6, transferModes: ['许可'], askingPrice: 300000,
    }, supplier)
    const management = await publish('achievement', {
      title: '中小企业生产管理看板软件',
      summary: '车间工单、库存与设备状态的管理看板。',
      field: '电子信息', industry: '大数据及软件服务', keywords: '生产管理;看板', trl: 8, transferModes: ['许可'], askingPrice: 100000,
    }, supplier)
    // 热管理 (thermal management) finds its listing, not every one about management (管理).
    const ids = (await search({ q: '热管理' })).items.map((i) => i.id)
    expect(ids).toContain(thermal)
    expect(ids).not.toContain(management)
    // A part that says something on its own still stands for its compound: 机床 for 数控机床.
    const lathe = await publish('achievement', {
      title: '大型机床导轨磨损激光熔覆修复',
      summary: '导轨表面激光熔覆与精磨，恢复导向精度。',
      field: '先进制造与自动化', industry: '智能装备', keywords: '导轨;激光熔覆', trl: 7, transferModes: ['技术服务'], askingPrice: 200000,
    }, supplier)
    expect((await search({ q: '数控机床' })).items.map((i) => i.id)).toContain(lathe)
  })
})
