import { randomBytes } from 'node:crypto'
import Stripe from 'stripe'
import { AppError } from '~/domain/errors'
import { getEnv } from '~/infra/env.server'
import { handleStripeWebhook } from './stripe-webhook.server'
import { readStandinSession, standinWebhookSecret, stripeGateway, writeStandinSession, type StandinSession } from './stripe.server'

/**
 * The local stand-in for Stripe's hosted checkout page (KZ_STRIPE_STANDIN=on, never in
 * production). "Paying" or "cancelling" there settles the stand-in session and hands a
 * correctly signed event (checkout.session.completed / checkout.session.expired) to the same
 * webhook handler Stripe's events go through, so the whole path is exercised; no money moves.
 */

export function standinEnabled() {
  const env = getEnv()
  return env.KZ_STRIPE_STANDIN === 'on' && env.NODE_ENV !== 'production'
}

export async function standinSession(id: string): Promise<StandinSession> {
  if (!standinEnabled()) throw new AppError('NOT_FOUND', 'err.notFound')
  const s = await readStandinSession(id)
  if (!s) throw new AppError('NOT_FOUND', 'err.notFound')
  return s
}

/** Settles an open stand-in session and delivers the signed event; returns where to go next. */
export async function settleStandinSession(id: string, outcome: 'pay' | 'cancel'): Promise<string> {
  const s = await standinSession(id)
  if (s.status !== 'open') return s.status === 'complete' ? s.successUrl : s.cancelUrl
  const settled: StandinSession =
    outcome === 'pay'
      ? { ...s, status: 'complete', paymentStatus: 'paid', paymentIntentStatus: 'succeeded', paymentIntentId: `pi_standin_${randomBytes(12).toString('hex')}`, url: null }
      : { ...s, status: 'expired', url: null }
  await writeStandinSession(settled)
  const payload = JSON.stringify({
    id: `evt_standin_${randomBytes(12).toString('hex')}`,
    object: 'event',
    api_version: null,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: outcome === 'pay' ? 'checkout.session.completed' : 'checkout.session.expired',
    data: {
      object: {
        id: s.id,
        object: 'checkout.session',
        status: settled.status,
        payment_status: settled.paymentStatus,
        amount_total: s.amountTotal,
        currency: s.currency,
        metadata: s.metadata,
        payment_intent: settled.paymentIntentId,
      },
    },
  })
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: standinWebhookSecret() })
  const res = await handleStripeWebhook(payload, signature, { gateway: stripeGateway() })
  if (!res.ok) throw new Error(`stand-in webhook delivery failed: ${res.status}`)
  return outcome === 'pay' ? s.successUrl : s.cancelUrl
}
