import Stripe from 'stripe'
import { audit } from '~/domain/audit.server'
import { prisma } from '~/infra/db/client.server'
import { getEnv } from '~/infra/env.server'
import { markPaid } from './payments.server'
import { stripeGateway, type CheckoutSessionView, type StripeGateway } from './stripe.server'

/**
 * Stripe's webhook (POST /webhooks/stripe). The route hands over the raw body and the
 * Stripe-Signature header; this verifies the signature, keeps to an allow-list of event
 * types, records each event id once (a replay changes nothing), and converges: it re-reads
 * the Checkout Session from Stripe and writes what Stripe says in one transaction. Safe to
 * run at any time, any number of times, in any order.
 *
 * 400: bad or missing signature, unreadable payload. 200: processed, replayed or ignored
 * type. 503: online payment not configured. 500: Stripe could not be read; Stripe retries.
 */

export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.expired',
  'checkout.session.async_payment_failed',
] as const

const json = (body: unknown, status = 200) => Response.json(body, { status })

export async function handleStripeWebhook(
  body: string,
  signature: string | null,
  { gateway = stripeGateway(), now = () => new Date() }: { gateway?: StripeGateway | null; now?: () => Date } = {},
): Promise<Response> {
  if (!gateway?.webhookSecret) return json({ error: 'online payment is not configured' }, 503)
  if (!signature) return json({ error: 'missing Stripe-Signature header' }, 400)
  let event: Stripe.Event
  try {
    event = Stripe.webhooks.constructEvent(body, signature, gateway.webhookSecret)
  } catch {
    return json({ error: 'invalid signature' }, 400)
  }
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(event.type)) return json({ received: true, ignored: event.type })

  const db = await prisma()
  const seen = await db.stripeEvent.findUnique({ where: { id: event.id } })
  if (seen?.processedAt) return json({ received: true, replay: true })
  if (!seen) await db.stripeEvent.upsert({ where: { id: event.id }, create: { id: event.id, type: event.type, receivedAt: now() }, update: {} })

  const session = event.data.object as { id?: unknown; object?: unknown }
  if (typeof session.id !== 'string' || session.object !== 'checkout.session') return json({ error: 'not a Checkout Session event' }, 400)
  let outcome: SyncOutcome
  try {
    outcome = await syncCheckoutSession(session.id, { gateway, now: now(), eventId: event.id })
  } catch (error) {
    console.warn('Stripe webhook: could not converge', event.id, error instanceof Error ? error.message : error)
    return json({ error: 'could not process the event now' }, 500)
  }
  await db.stripeEvent.update({ where: { id: event.id }, data: { processedAt: now() } })
  return json({ received: true, outcome })
}

export type SyncOutcome = 'paid' | 'reopened' | 'unchanged' | 'unrelated' | 'mismatch'

const isPaid = (s: CheckoutSessionView) => s.status === 'complete' && (s.paymentStatus === 'paid' || s.paymentStatus === 'no_payment_required')
const FAILED_INTENT = ['requires_payment_method', 'canceled']
const isFailed = (s: CheckoutSessionView) => s.status === 'expired' || (s.status === 'complete' && s.paymentStatus === 'unpaid' && FAILED_INTENT.includes(s.paymentIntentStatus ?? ''))

/**
 * Writes what Stripe says about a Checkout Session: paid → the milestone is PAID (with its
 * commission); expired or failed → a milestone still waiting on that session is PENDING
 * again; anything else (open, processing) changes nothing. Idempotent.
 */
export async function syncCheckoutSession(
  sessionId: string,
  { gateway, now = new Date(), eventId = null }: { gateway: StripeGateway; now?: Date; eventId?: string | null },
): Promise<SyncOutcome> {
  const s = await gateway.retrieveCheckoutSession(sessionId)
  const { contractId, milestoneId } = s.metadata
  if (!contractId || !milestoneId) return 'unrelated'
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Contract" WHERE id = ${contractId} FOR UPDATE`
    if (!locked.length) return 'unrelated'
    const m = await tx.milestone.findFirst({ where: { id: milestoneId, contractId } })
    if (!m) return 'unrelated'
    if (isPaid(s)) {
      if (m.status === 'PAID') {
        if (m.stripeSessionId !== s.id) {
          // Paid twice (e.g. by transfer and online): recorded for a refund, nothing else changes.
          await audit(tx, { actorId: null, action: 'payment.stripe.duplicate', entityType: 'Milestone', entityId: m.id, after: { stripeSessionId: s.id, paymentIntentId: s.paymentIntentId, amountTotal: s.amountTotal, eventId } })
        }
        return 'unchanged'
      }
      if (s.amountTotal !== Number(m.amountFen) || (s.currency ?? '').toLowerCase() !== getEnv().KZ_CURRENCY) {
        await audit(tx, { actorId: null, action: 'payment.stripe.mismatch', entityType: 'Milestone', entityId: m.id, after: { stripeSessionId: s.id, amountTotal: s.amountTotal, currency: s.currency, expectedFen: m.amountFen, eventId } })
        return 'mismatch'
      }
      await markPaid(tx, { contractId, milestoneId, via: 'STRIPE', actorId: null, now, extra: { stripeSessionId: s.id, stripePaymentIntentId: s.paymentIntentId } })
      return 'paid'
    }
    if (isFailed(s) && m.status === 'CHECKOUT_OPEN' && m.stripeSessionId === s.id) {
      await tx.milestone.update({ where: { id: m.id }, data: { status: 'PENDING', stripeSessionId: null } })
      await audit(tx, { actorId: null, action: 'payment.checkout.closed', entityType: 'Milestone', entityId: m.id, before: { status: m.status, stripeSessionId: s.id }, after: { status: 'PENDING', sessionStatus: s.status, eventId } })
      return 'reopened'
    }
    return 'unchanged'
  })
}
