import { describe, expect, it } from 'vitest'
import { prisma } from '~/infra/db/client.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import { AchievementInputSchema, DemandInputSchema } from './schemas'
import { createListing, getListing, listListings, markStaleListings, transitionListing, updateListing } from './listings.server'
import { ListQuerySchema } from './query'

const achievement = (over: Record<string, unknown> = {}) =>
  AchievementInputSchema.parse({
    title: '高精度数控机床热误差补偿技术',
    summary: '基于温度场建模的数控机床热误差实时补偿方法，定位精度提升 40%。',
    field: '先进制造与自动化',
    industry: '智能装备',
    keywords: '数控机床;热误差;补偿',
    trl: '6',
    transferModes: ['LICENSE', '转让'],
    askingPrice: '1200000.50',
    confidentialDetails: '补偿模型参数表',
    ...over,
  })

const demand = (over: Record<string, unknown> = {}) =>
  DemandInputSchema.parse({
    title: '压铸件气孔缺陷在线检测',
    description: '我们的铝合金压铸件气孔率偏高，需要一套在线检测方案。',
    currentSituation: '目前靠人工抽检，漏检率约 5%',
    field: 'ADVANCED_MANUFACTURING',
    industry: 'AUTOMOTIVE',
    budget: 500000,
    cooperationModes: '合作开发；技术服务',
    confidential: 'on',
    ...over,
  })

describe('listing life cycle', () => {
  it('goes draft → review → published, and only then is public', async () => {
    const supplier = await makeUser({ role: 'SUPPLIER' })
    const bureau = await makeUser({ role: 'BUREAU' })
    const draft = await createListing({ actor: supplier, kind: 'achievement', input: achievement() })
    expect(draft).toMatchObject({ status: 'DRAFT', stage: 'PILOT', askingPriceFen: 120000050n })
    await expect(getListing({ actor: null, kind: 'achievement', id: draft.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await transitionListing({ actor: supplier, kind: 'achievement', id: draft.id, action: 'submit' })
    await expect(transitionListing({ actor: supplier, kind: 'achievement', id: draft.id, action: 'approve' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(transitionListing({ actor: bureau, kind: 'achievement', id: draft.id, action: 'reject' })).rejects.toMatchObject({ fields: { reason: 'err.reasonRequired' } })
    await transitionListing({ actor: bureau, kind: 'achievement', id: draft.id, action: 'approve' })
    const { listing } = await getListing({ actor: null, kind: 'achievement', id: draft.id })
    expect(listing).toMatchObject({ status: 'PUBLISHED', askingPriceFen: 120000050 })
    expect(listing).not.toHaveProperty('confidentialDetails')
    const page = await listListings({ actor: null, kind: 'achievement', query: ListQuerySchema.parse({ field: 'ADVANCED_MANUFACTURING' }) })
    expect(page.items.map((i) => i.id)).toContain(draft.id)
    // an edit of a published listing goes back to review
    const edited = await updateListing({ actor: supplier, kind: 'achievement', id: draft.id, input: achievement({ title: '改进版热误差补偿' }) })
    expect(edited.status).toBe('PENDING_REVIEW')
  })

  it('refuses to submit for an unverified organisation', async () => {
    const org = await makeOrg({ kind: 'ENTERPRISE', verified: false })
    const member = await makeUser({ role: 'ENTERPRISE', orgId: org.id })
    const d = await createListing({ actor: member, kind: 'demand', input: demand() })
    await expect(transitionListing({ actor: member, kind: 'demand', id: d.id, action: 'submit' })).rejects.toMatchObject({ message: 'err.orgNotVerified' })
  })

  it('hides confidential demand details from the public and other enterprises, not from brokers', async () => {
    const owner = await makeUser({ role: 'ENTERPRISE' })
    const bureau = await makeUser({ role: 'BUREAU' })
    const broker = await makeUser({ role: 'BROKER' })
    const other = await makeUser({ role: 'ENTERPRISE' })
    const d = await createListing({ actor: owner, kind: 'demand', input: demand(), submit: true })
    await transitionListing({ actor: bureau, kind: 'demand', id: d.id, action: 'approve' })
    for (const viewer of [null, other]) {
      const { listing } = await getListing({ actor: viewer, kind: 'demand', id: d.id })
      expect(listing).toMatchObject({ currentSituation: null, detailsHidden: true })
    }
    for (const viewer of [broker, bureau, owner]) {
      const { listing } = await getListing({ actor: viewer, kind: 'demand', id: d.id })
      expect(listing).toMatchObject({ currentSituation: '目前靠人工抽检，漏检率约 5%', detailsHidden: false })
    }
  })

  it('marks old listings stale once and queues one reminder', async () => {
    const owner = await makeUser({ role: 'SUPPLIER', isOrgAdmin: true })
    const bureau = await makeUser({ role: 'BUREAU' })
    const a = await createListing({ actor: owner, kind: 'achievement', input: achievement(), submit: true })
    await transitionListing({ actor: bureau, kind: 'achievement', id: a.id, action: 'approve' })
    const later = new Date(Date.now() + 181 * 24 * 3600 * 1000)
    const first = await markStaleListings({ now: later })
    const second = await markStaleListings({ now: later })
    expect(first.achievement).toBeGreaterThanOrEqual(1)
    expect(second.achievement).toBe(0)
    const db = await prisma()
    expect(await db.outbox.count({ where: { topic: 'listing.stale', payload: { equals: { kind: 'achievement', id: a.id } } } })).toBe(1)
  })
})
