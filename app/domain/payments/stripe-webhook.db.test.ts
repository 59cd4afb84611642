import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import Stripe from 'stripe'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { prisma } from '~/infra/db/client.server'
import { setCommission } from './payments.server'
import { startCheckout, stripeGateway } from './stripe.server'
import { handleStripeWebhook } from './stripe-webhook.server'
import { contractIn, milestonesOf, parties, useTempDataDir, type Parties } from './test-support'

/**
 * The real `stripe` SDK against HTTP mocks of Stripe's API (msw), and webhook payloads signed
 * the way Stripe signs them (Stripe.webhooks.generateTestHeaderString).
 */

const SECRET = 'whsec_test_kezhuan_webhook_secret'
const ORIGIN = 'https://kz.example.cn'

type FakeSession = {
  id: string
  object: 'checkout.session'
  status: 'open' | 'complete' | 'expired'
  payment_status: 'paid' | 'unpaid'
  amount_total: number
  currency: string
  metadata: Record<string, string>
  url: string | null
  payment_intent: string | null
  pi_status: string | null
}

const sessions = new Map<string, FakeSession>()
const created: URLSearchParams[] = []
let failRetrieve = 0
let seq = 0

const server = setupServer(
  http.post('https://api.stripe.com/v1/checkout/sessions', async ({ request }) => {
    const form = new URLSearchParams(await request.text())
    created.push(form)
    const id = `cs_test_${String(++seq).padStart(6, '0')}${Math.random().toString(36).slice(2, 10)}`
    const s: FakeSession = {
      id,
      object: 'checkout.session',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: Number(form.get('line_items[0][price_data][unit_amount]')),
      currency: form.get('line_items[0][price_data][currency]')!,
      metadata: { contractId: form.get('metadata[contractId]')!, milestoneId: form.get('metadata[milestoneId]')! },
      url: `https://checkout.stripe.com/c/pay/${id}`,
      payment_intent: null,
      pi_status: null,
    }
    sessions.set(id, s)
    return HttpResponse.json(view(s))
  }),
  http.get('https://api.stripe.com/v1/checkout/sessions/:id', ({ params }) => {
    if (failRetrieve > 0) {
      failRetrieve--
      return HttpResponse.json({ error: { type: 'api_error', message: 'boom' } }, { status: 500 })
    }
    const s = sessions.get(String(params.id))
    if (!s) return HttpResponse.json({ error: { type: 'invalid_request_error', message: 'No such checkout.session' } }, { status: 404 })
    return HttpResponse.json(view(s, true))
  }),
)

function view(s: FakeSession, expanded = false) {
  const { pi_status, ...rest } = s
  return { ...rest, payment_intent: s.payment_intent && expanded ? { id: s.payment_intent, object: 'payment_intent', status: pi_status } : s.payment_intent }
}

beforeAll(() => {
  useTempDataDir({ STRIPE_SECRET_KEY: 'sk_test_kezhuan123', STRIPE_WEBHOOK_SECRET: SECRET, KZ_STRIPE_STANDIN: 'off', KZ_CURRENCY: 'cny' })
  server.listen({ onUnhandledRequest: (req, print) => (new URL(req.url).hostname.endsWith('stripe.com') ? print.error() : undefined) })
})
afterEach(() => server.resetHandlers())
afterAll(() => server.close())
beforeEach(() => {
  failRetrieve = 0
})

let n = 0
function signed(type: string, object: unknown, id = `evt_test_${++n}_${Math.random().toString(36).slice(2)}`) {
  const payload = JSON.stringify({ id, object: 'event', api_version: '2026-10-28.endive', created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object } })
  return { id, payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }) }
}

const deliver = (e: { payload: string; header: string }) => handleStripeWebhook(e.payload, e.header)

async function state(contractId: string) {
  const db = await prisma()
  const [milestones, entries, events, audits] = await Promise.all([
    db.milestone.findMany({ where: { contractId }, orderBy: { seq: 'asc' } }),
    db.commissionEntry.findMany({ where: { contractId } }),
    db.stripeEvent.count(),
    db.auditLog.count(),
  ])
  return JSON.stringify({ milestones, entries, events, audits }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
}

async function openCheckout(p: Parties) {
  const id = await contractIn(p, 'SIGNED')
  await setCommission({ actor: p.broker, contractId: id, input: { basis: 'PERCENT', rateBp: 500 } })
  const [m1] = await milestonesOf(id)
  const started = await startCheckout({ actor: p.buyer, contractId: id, milestoneId: m1!.id, origin: ORIGIN })
  return { id, m1: m1!, sessionId: started.sessionId, url: started.url }
}

function settle(sessionId: string, to: 'paid' | 'expired' | 'failed') {
  const s = sessions.get(sessionId)!
  if (to === 'paid') Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: `pi_${sessionId}`, pi_status: 'succeeded', url: null })
  if (to === 'expired') Object.assign(s, { status: 'expired', url: null })
  if (to === 'failed') Object.assign(s, { status: 'complete', payment_status: 'unpaid', payment_intent: `pi_${sessionId}`, pi_status: 'requires_payment_method', url: null })
  return s
}

describe('Stripe Checkout', () => {
  it('starts a Checkout Session for the milestone’s exact amount: card, Alipay and WeChat Pay in CNY, metadata, return URLs', async () => {
    const p = await parties()
    const { id, m1, sessionId, url } = await openCheckout(p)
    expect(url).toBe(`https://checkout.stripe.com/c/pay/${sessionId}`)
    const form = created.at(-1)!
    expect(form.get('mode')).toBe('payment')
    expect(form.get('line_items[0][price_data][currency]')).toBe('cny')
    expect(form.get('line_items[0][price_data][unit_amount]')).toBe('33333333')
    expect([0, 1, 2].map((i) => form.get(`allowed_payment_method_types[${i}]`))).toEqual(['card', 'alipay', 'wechat_pay'])
    expect(form.get('payment_method_options[wechat_pay][client]')).toBe('web')
    expect(form.get('metadata[contractId]')).toBe(id)
    expect(form.get('metadata[milestoneId]')).toBe(m1.id)
    expect(form.get('success_url')).toBe(`${ORIGIN}/contracts/${id}/payments?checkout=success`)
    expect(form.get('cancel_url')).toBe(`${ORIGIN}/contracts/${id}/payments?checkout=cancelled`)
    const [after] = await milestonesOf(id)
    expect(after).toMatchObject({ status: 'CHECKOUT_OPEN', stripeSessionId: sessionId })
    // Asked again while open: the same session, no new one.
    const again = await startCheckout({ actor: p.buyer, contractId: id, milestoneId: m1.id, origin: ORIGIN })
    expect(again.sessionId).toBe(sessionId)
    // Only the buyer's authorised member.
    await expect(startCheckout({ actor: p.seller, contractId: id, milestoneId: m1.id, origin: ORIGIN })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('offers only card where the currency allows neither Alipay nor WeChat Pay', async () => {
    const { paymentMethodTypes } = await import('./stripe.server')
    expect(paymentMethodTypes('cny')).toEqual(['card', 'alipay', 'wechat_pay'])
    expect(paymentMethodTypes('brl')).toEqual(['card'])
    expect(paymentMethodTypes('MYR')).toEqual(['card', 'alipay'])
  })
})

describe('Stripe webhook', () => {
  it('checkout.session.completed: re-reads the session, marks the milestone PAID by Stripe and accrues the commission in one go', async () => {
    const p = await parties()
    const { id, m1, sessionId } = await openCheckout(p)
    const s = settle(sessionId, 'paid')
    const e = signed('checkout.session.completed', { id: sessionId, object: 'checkout.session' })
    const res = await deliver(e)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ outcome: 'paid' })
    const [after] = await milestonesOf(id)
    expect(after).toMatchObject({ status: 'PAID', paidVia: 'STRIPE', stripeSessionId: sessionId, stripePaymentIntentId: s.payment_intent })
    const db = await prisma()
    expect(await db.commissionEntry.findMany({ where: { milestoneId: m1.id } })).toHaveLength(1)
    expect(await db.stripeEvent.findUnique({ where: { id: e.id } })).toMatchObject({ type: 'checkout.session.completed', processedAt: expect.any(Date) })
  })

  it('a replayed event changes nothing', async () => {
    const p = await parties()
    const { id, sessionId } = await openCheckout(p)
    settle(sessionId, 'paid')
    const e = signed('checkout.session.completed', { id: sessionId, object: 'checkout.session' })
    expect((await deliver(e)).status).toBe(200)
    const before = await state(id)
    const again = await deliver(e)
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ replay: true })
    expect(await state(id)).toBe(before)
  })

  it('refuses a forged, missing or stale signature with 400, and records nothing', async () => {
    const p = await parties()
    const { id, sessionId } = await openCheckout(p)
    settle(sessionId, 'paid')
    const before = await state(id)
    const e = signed('checkout.session.completed', { id: sessionId, object: 'checkout.session' })
    const forged = Stripe.webhooks.generateTestHeaderString({ payload: e.payload, secret: 'whsec_someone_else' })
    expect((await handleStripeWebhook(e.payload, forged)).status).toBe(400)
    expect((await handleStripeWebhook(e.payload, null)).status).toBe(400)
    // The right signature over a tampered body.
    expect((await handleStripeWebhook(e.payload.replace('checkout.session.completed', 'checkout.session.expired'), e.header)).status).toBe(400)
    // Signed an hour ago: outside Stripe's tolerance (a replay of an old capture).
    const old = Stripe.webhooks.generateTestHeaderString({ payload: e.payload, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 })
    expect((await handleStripeWebhook(e.payload, old)).status).toBe(400)
    expect(await state(id)).toBe(before)
  })

  it('answers 200 to a type outside the allow-list and does nothing with it', async () => {
    const p = await parties()
    const { id, sessionId } = await openCheckout(p)
    settle(sessionId, 'paid')
    const before = await state(id)
    const res = await deliver(signed('payment_intent.succeeded', { id: `pi_${sessionId}`, object: 'payment_intent' }))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ignored: 'payment_intent.succeeded' })
    expect(await state(id)).toBe(before)
  })

  it('converges whatever the order: a late "expired" after payment, a "completed" while still open, a "completed" after expiry', async () => {
    const p = await parties()
    // Paid, then an expired event arrives late: Stripe says complete/paid, so PAID stays.
    const a = await openCheckout(p)
    settle(a.sessionId, 'paid')
    expect((await deliver(signed('checkout.session.completed', { id: a.sessionId, object: 'checkout.session' }))).status).toBe(200)
    const paid = await state(a.id)
    expect((await deliver(signed('checkout.session.expired', { id: a.sessionId, object: 'checkout.session' }))).status).toBe(200)
    expect(await state(a.id)).not.toBe(paid) // the event id is recorded …
    expect((await milestonesOf(a.id))[0]).toMatchObject({ status: 'PAID', paidVia: 'STRIPE' }) // … the milestone is untouched

    // An async success event arrives first, before Stripe's truth says paid: nothing yet; later events converge.
    const b = await openCheckout(p)
    expect(await (await deliver(signed('checkout.session.async_payment_succeeded', { id: b.sessionId, object: 'checkout.session' }))).json()).toMatchObject({ outcome: 'unchanged' })
    expect((await milestonesOf(b.id))[0]).toMatchObject({ status: 'CHECKOUT_OPEN' })
    settle(b.sessionId, 'expired')
    expect(await (await deliver(signed('checkout.session.expired', { id: b.sessionId, object: 'checkout.session' }))).json()).toMatchObject({ outcome: 'reopened' })
    expect((await milestonesOf(b.id))[0]).toMatchObject({ status: 'PENDING', stripeSessionId: null })
    // A completed event for the expired session (e.g. forged order or a stale retry): Stripe says expired, nothing changes.
    expect(await (await deliver(signed('checkout.session.completed', { id: b.sessionId, object: 'checkout.session' }))).json()).toMatchObject({ outcome: 'unchanged' })
    expect((await milestonesOf(b.id))[0]).toMatchObject({ status: 'PENDING' })

    // A failed asynchronous payment: back to PENDING, the buyer may pay again.
    const c = await openCheckout(p)
    settle(c.sessionId, 'failed')
    expect(await (await deliver(signed('checkout.session.async_payment_failed', { id: c.sessionId, object: 'checkout.session' }))).json()).toMatchObject({ outcome: 'reopened' })
    const [m] = await milestonesOf(c.id)
    expect(m!.status).toBe('PENDING')
    const restarted = await startCheckout({ actor: p.buyer, contractId: c.id, milestoneId: m!.id, origin: ORIGIN })
    expect(restarted.sessionId).not.toBe(c.sessionId)
  })

  it('never marks paid when Stripe’s amount differs from the milestone’s; audits the mismatch', async () => {
    const p = await parties()
    const { id, m1, sessionId } = await openCheckout(p)
    Object.assign(settle(sessionId, 'paid'), { amount_total: 100 })
    expect(await (await deliver(signed('checkout.session.completed', { id: sessionId, object: 'checkout.session' }))).json()).toMatchObject({ outcome: 'mismatch' })
    expect((await milestonesOf(id))[0]!.status).toBe('CHECKOUT_OPEN')
    const db = await prisma()
    expect(await db.auditLog.count({ where: { entityId: m1.id, action: 'payment.stripe.mismatch' } })).toBe(1)
  })

  it('answers 500 when Stripe cannot be read, so Stripe retries; the retry converges', async () => {
    const p = await parties()
    const { id, sessionId } = await openCheckout(p)
    settle(sessionId, 'paid')
    const e = signed('checkout.session.completed', { id: sessionId, object: 'checkout.session' })
    failRetrieve = 10
    expect((await deliver(e)).status).toBe(500)
    expect((await milestonesOf(id))[0]!.status).toBe('CHECKOUT_OPEN')
    failRetrieve = 0
    expect((await deliver(e)).status).toBe(200)
    expect((await milestonesOf(id))[0]!.status).toBe('PAID')
  })

  it('is not configured without a webhook secret (503)', async () => {
    const gateway = stripeGateway()!
    const e = signed('checkout.session.completed', { id: 'cs_x', object: 'checkout.session' })
    expect((await handleStripeWebhook(e.payload, e.header, { gateway: { ...gateway, webhookSecret: null } })).status).toBe(503)
    expect((await handleStripeWebhook(e.payload, e.header, { gateway: null })).status).toBe(503)
  })
})
