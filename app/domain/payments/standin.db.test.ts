import { existsSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/infra/db/client.server'
import { resetEnv } from '~/infra/env.server'
import { settleStandinSession, standinSession } from './standin.server'
import { startCheckout, stripeGateway } from './stripe.server'
import { contractIn, milestonesOf, parties, useTempDataDir } from './test-support'

const ORIGIN = 'http://127.0.0.1:3000'
let dataDir: string

beforeAll(() => {
  dataDir = useTempDataDir({ STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, KZ_STRIPE_STANDIN: 'on' })
})

describe('the local checkout stand-in (KZ_STRIPE_STANDIN=on)', () => {
  it('opens a local checkout page; "paying" there delivers a signed completed event and the milestone is PAID', async () => {
    expect(stripeGateway()?.mode).toBe('standin')
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    await import('./payments.server').then((m) => m.setCommission({ actor: p.broker, contractId: id, input: { basis: 'FIXED', fixedFen: 300_000n } }))
    const [m1] = await milestonesOf(id)
    const { url, sessionId } = await startCheckout({ actor: p.buyer, contractId: id, milestoneId: m1!.id, origin: ORIGIN })
    expect(url).toBe(`${ORIGIN}/dev/checkout/${sessionId}`)
    expect(existsSync(path.join(dataDir, 'stripe-standin', `${sessionId}.json`))).toBe(true)
    expect(await standinSession(sessionId)).toMatchObject({ status: 'open', amountTotal: 33_333_333, currency: 'cny' })

    const next = await settleStandinSession(sessionId, 'pay')
    expect(next).toBe(`${ORIGIN}/contracts/${id}/payments?checkout=success`)
    expect((await milestonesOf(id))[0]).toMatchObject({ status: 'PAID', paidVia: 'STRIPE', stripeSessionId: sessionId })
    const db = await prisma()
    expect(await db.commissionEntry.count({ where: { milestoneId: m1!.id } })).toBe(1)
    expect(await db.stripeEvent.count({ where: { type: 'checkout.session.completed', processedAt: { not: null } } })).toBeGreaterThan(0)
    // Settling again changes nothing.
    await settleStandinSession(sessionId, 'cancel')
    expect((await milestonesOf(id))[0]!.status).toBe('PAID')
  })

  it('cancelling expires the session and the milestone can be paid again', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const [m1] = await milestonesOf(id)
    const { sessionId } = await startCheckout({ actor: p.buyer, contractId: id, milestoneId: m1!.id, origin: ORIGIN })
    expect(await settleStandinSession(sessionId, 'cancel')).toBe(`${ORIGIN}/contracts/${id}/payments?checkout=cancelled`)
    expect((await milestonesOf(id))[0]).toMatchObject({ status: 'PENDING', stripeSessionId: null })
  })

  it('does not exist when switched off, and refuses ids that are not its own', async () => {
    await expect(standinSession('../../etc/passwd')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    process.env.KZ_STRIPE_STANDIN = 'off'
    resetEnv()
    try {
      expect(stripeGateway()).toBeNull()
      await expect(standinSession(`cs_test_standin_${'0'.repeat(24)}`)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    } finally {
      process.env.KZ_STRIPE_STANDIN = 'on'
      resetEnv()
    }
  })
})
