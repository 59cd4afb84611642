import { beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '~/domain/users/accounts.server'
import { createListing, transitionListing } from '~/domain/listings/listings.server'
import { AchievementInputSchema, DemandInputSchema } from '~/domain/listings/schemas'
import { makeUser } from '../../../tests/factories'
import { matchListing } from './match.server'

let supplier: Actor
let enterprise: Actor
let bureau: Actor
let broker: Actor
let other: Actor

async function publish(kind: 'achievement' | 'demand', input: Record<string, unknown>, owner: Actor) {
  const schema = kind === 'achievement' ? AchievementInputSchema : DemandInputSchema
  const row = await createListing({ actor: owner, kind, input: schema.parse(input), submit: true })
  await transitionListing({ actor: bureau, kind, id: row.id, action: 'approve' })
  return row.id
}

const ids: Record<string, string> = {}

beforeAll(async () => {
  supplier = await makeUser({ role: 'SUPPLIER' })
  enterprise = await makeUser({ role: 'ENTERPRISE' })
  bureau = await makeUser({ role: 'BUREAU' })
  broker = await makeUser({ role: 'BROKER' })
  other = await makeUser({ role: 'ENTERPRISE' })
  const a = (title: string, summary: string, over: Record<string, unknown> = {}) => ({
    title, summary, field: '先进制造与自动化', industry: '智能装备', trl: 7, transferModes: ['许可', '技术服务'], askingPrice: 800000, ...over,
  })
  ids.xray = await publish('achievement', a('压铸件内部气孔X射线在线检测系统', '基于X射线成像与深度学习的铝合金压铸件气孔、缩孔缺陷在线检测，单件检测节拍 20 秒，漏检率低于 0.5%。', { keywords: ['压铸件', '气孔', '在线检测', 'X射线'], industry: '汽车及零部件' }), supplier)
  ids.mold = await publish('achievement', a('压铸模具表面强化与寿命提升技术', '通过模具表面渗氮与涂层处理延长压铸模具寿命 2 倍。', { keywords: ['压铸模具', '表面强化', '寿命'] }), supplier)
  ids.tea = await publish('achievement', a('茶叶病虫害绿色防控技术', '采用天敌昆虫与生物农药结合的茶园病虫害绿色防控方案。', { field: '资源与环境', industry: '现代农业', keywords: ['茶叶', '病虫害', '绿色防控'] }), supplier)
  ids.need = await publish('demand', {
    title: '压铸件气孔太多，想上在线检测',
    description: '我们做新能源汽车铝合金压铸件，气孔和砂眼多，现在靠人工抽检跟不上，想上一套在线检测，节拍 30 秒以内。',
    field: '先进制造与自动化', industry: '汽车及零部件', budget: 1000000, cooperationModes: ['技术服务', '合作开发'], trlMin: 6,
  }, enterprise)
  ids.nothing = await publish('demand', {
    title: '白酒窖池老化的微生物修复',
    description: '我们酒厂的窖泥出现老化板结，想找能修复窖池微生物群落的技术。',
    field: '生物与新医药', industry: '特色轻工', budget: 300000, cooperationModes: ['合作开发'],
  }, enterprise)
})

describe('matchListing', () => {
  it('puts the achievement that solves the demand first, with readable reasons', async () => {
    const result = await matchListing({ actor: broker, kind: 'demand', id: ids.need! })
    expect(result.noGoodMatch).toBe(false)
    expect(result.matches[0]!.listing.id).toBe(ids.xray)
    expect(result.matches[0]!.score).toBeGreaterThan(0)
    expect(result.matches[0]!.score).toBeLessThanOrEqual(1)
    const texts = result.matches[0]!.reasons.map((r) => r.text).join(' ')
    expect(texts).toContain('压铸件')
    expect(result.matches.map((m) => m.listing.id)).not.toContain(ids.tea)
  })

  it('says there is no good match instead of padding the list', async () => {
    const result = await matchListing({ actor: bureau, kind: 'demand', id: ids.nothing! })
    expect(result).toMatchObject({ noGoodMatch: true, matches: [] })
  })

  it('finds who needs an achievement', async () => {
    const result = await matchListing({ actor: supplier, kind: 'achievement', id: ids.xray! })
    expect(result.matches.map((m) => m.listing.id)).toContain(ids.need)
  })

  it('shows matches only to the owner, brokers and the bureau', async () => {
    await expect(matchListing({ actor: other, kind: 'demand', id: ids.need! })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(matchListing({ actor: null, kind: 'demand', id: ids.need! })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await expect(matchListing({ actor: enterprise, kind: 'demand', id: ids.need! })).resolves.toBeTruthy()
  })
})

describe('stored matches', () => {
  it('are recomputed through the outbox when a listing changes, and read from both sides', async () => {
    const { registerOutboxHandlers } = await import('~/domain/events/handlers.server')
    const { drainOutbox } = await import('~/domain/events/outbox.server')
    const { storedMatches, matchesForViewer } = await import('./stored.server')
    registerOutboxHandlers()
    while ((await drainOutbox(50)).done > 0) {
      // until the queue is empty
    }
    const forDemand = await storedMatches({ kind: 'demand', id: ids.need! })
    expect(forDemand?.matches[0]?.listing.id).toBe(ids.xray)
    const forAchievement = await storedMatches({ kind: 'achievement', id: ids.xray! })
    expect(forAchievement?.matches.map((m) => m.listing.id)).toContain(ids.need)
    await expect(matchesForViewer({ actor: other, kind: 'demand', id: ids.need! })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const viewed = await matchesForViewer({ actor: broker, kind: 'demand', id: ids.need!, locale: 'en' })
    expect(viewed.computedAt).not.toBeNull()
    expect(viewed.matches[0]!.reasons.some((r) => /Shared technical points|Same thing in other words/.test(r.text))).toBe(true)
  })
})
