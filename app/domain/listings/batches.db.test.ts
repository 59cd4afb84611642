import { describe, expect, it } from 'vitest'
import { prisma } from '~/infra/db/client.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import { BatchInputSchema } from './batch-schemas'
import { createBatch, listBatches, listPublishedBatches, publishBatch } from './batches.server'
import { createListing, getListing, transitionListing } from './listings.server'
import { ScenarioInputSchema } from './schemas'

const scenario = (batchId: string, over: Record<string, unknown> = {}) =>
  ScenarioInputSchema.parse({
    title: '智慧园区无人配送场景',
    description: '在凤凰湖产业园开放园区道路，征集无人配送车辆的示范运营方案。',
    sector: '智能装备',
    budget: '800000',
    batchId,
    ...over,
  })

const batch = (number = '2026年第1批') => BatchInputSchema.parse({ number, title: '永川区城市机会清单' })

describe('scenario batches', () => {
  it('publishes every draft and pending scenario of a batch, with an audit entry each', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const b = await createBatch({ actor: bureau, input: batch() })
    const draft = await createListing({ actor: bureau, kind: 'scenario', input: scenario(b.id) })
    const other = await createListing({ actor: bureau, kind: 'scenario', input: scenario(b.id, { title: '职教城智慧食堂场景' }) })
    await transitionListing({ actor: bureau, kind: 'scenario', id: other.id, action: 'archive' })
    const outside = await createListing({ actor: bureau, kind: 'scenario', input: scenario('', { title: '不在批次中的场景' }) })

    const [listed] = await listBatches({ actor: bureau })
    expect(listed).toMatchObject({ id: b.id, number: '2026年第1批', publishedAt: null, publishable: 1 })
    expect(listed!.scenarios.map((s) => s.id).sort()).toEqual([draft.id, other.id].sort())
    expect(await listPublishedBatches()).not.toContainEqual(expect.objectContaining({ id: b.id }))

    const result = await publishBatch({ actor: bureau, id: b.id })
    expect(result).toMatchObject({ id: b.id, published: 1 })
    const { listing } = await getListing({ actor: null, kind: 'scenario', id: draft.id })
    expect(listing).toMatchObject({ status: 'PUBLISHED', budgetFen: 80_000_000 })
    // archived and unbatched scenarios are left alone
    const db = await prisma()
    expect(await db.scenario.findUnique({ where: { id: other.id }, select: { status: true } })).toEqual({ status: 'ARCHIVED' })
    expect(await db.scenario.findUnique({ where: { id: outside.id }, select: { status: true } })).toEqual({ status: 'DRAFT' })
    expect(await db.auditLog.count({ where: { action: 'scenario.publish', entityId: draft.id } })).toBe(1)
    expect(await db.auditLog.count({ where: { action: 'scenarioBatch.publish', entityId: b.id } })).toBe(1)
    expect(await listPublishedBatches()).toContainEqual(expect.objectContaining({ id: b.id }))

    // nothing left to publish; a scenario added later is published by publishing again
    await expect(publishBatch({ actor: bureau, id: b.id })).rejects.toMatchObject({ code: 'CONFLICT', message: 'err.batchNothingToPublish' })
    const late = await createListing({ actor: bureau, kind: 'scenario', input: scenario(b.id, { title: '后补场景' }) })
    const again = await publishBatch({ actor: bureau, id: b.id })
    expect(again.published).toBe(1)
    expect(again.publishedAt).toEqual(result.publishedAt)
    expect((await getListing({ actor: null, kind: 'scenario', id: late.id })).listing.status).toBe('PUBLISHED')
  })

  it('is the bureau organisation’s own', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const otherBureau = await makeUser({ role: 'BUREAU' })
    const supplier = await makeUser({ role: 'SUPPLIER' })
    const admin = await makeUser({ role: 'ADMIN' })
    const b = await createBatch({ actor: bureau, input: batch('2026年第2批') })
    await createListing({ actor: bureau, kind: 'scenario', input: scenario(b.id) })
    await expect(createBatch({ actor: supplier, input: batch() })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(createBatch({ actor: admin, input: batch() })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(listBatches({ actor: supplier })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(publishBatch({ actor: supplier, id: b.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(publishBatch({ actor: otherBureau, id: b.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await listBatches({ actor: otherBureau })).toEqual([])
    // another organisation's batch cannot take a scenario either
    await expect(createListing({ actor: otherBureau, kind: 'scenario', input: scenario(b.id) })).rejects.toMatchObject({ fields: { batchId: 'err.batch' } })
  })

  it('refuses a number the organisation already used, and an unverified organisation', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    await createBatch({ actor: bureau, input: batch('2026年第3批') })
    await expect(createBatch({ actor: bureau, input: batch('2026年第3批') })).rejects.toMatchObject({
      code: 'CONFLICT',
      fields: { number: 'err.batchNumberTaken' },
    })
    const unverified = await makeOrg({ kind: 'GOVERNMENT', verified: false })
    const staff = await makeUser({ role: 'BUREAU', orgId: unverified.id })
    const b = await createBatch({ actor: staff, input: batch('2026年第3批') })
    await createListing({ actor: staff, kind: 'scenario', input: scenario(b.id) })
    await expect(publishBatch({ actor: staff, id: b.id })).rejects.toMatchObject({ message: 'err.orgNotVerified' })
  })

  it('validates its input', () => {
    expect(BatchInputSchema.safeParse({ title: '清单' }).error?.issues.map((i) => i.message)).toEqual(['err.required'])
    expect(BatchInputSchema.safeParse({ number: '2026年第1批', title: 'x'.repeat(201) }).error?.issues.map((i) => i.message)).toEqual(['err.tooLong?max=200'])
  })
})
