import { createHmac, randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import Stripe from 'stripe'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import type { Actor } from '~/domain/users/accounts.server'
import { partyOf } from '~/domain/contracts/contracts.server'
import { prisma } from '~/infra/db/client.server'
import { getEnv } from '~/infra/env.server'
import { isPayable } from './payments.server'

/**
 * Online payment through Stripe Checkout (hosted page). Enabled when STRIPE_SECRET_KEY is set,
 * or, outside production, when KZ_STRIPE_STANDIN=on: then a local stand-in plays Stripe's part
 * (sessions kept as JSON files under KZ_DATA_DIR/stripe-standin, the hosted page at
 * /dev/checkout/:sessionId, events signed with a secret derived from the session secret, or
 * STRIPE_WEBHOOK_SECRET when set) so that browser tests can pay without the network.
 *
 * Payment methods: card always; Alipay and WeChat Pay where Stripe offers them for the
 * currency (KZ_CURRENCY, CNY by default). With the API version stripe@23 pins (2026-10-28)
 * the list goes to `allowed_payment_method_types` (the successor of `payment_method_types`):
 * Stripe shows those of them that the account has enabled and that suit the customer. Amounts are the milestones' fen, so the currency
 * must have two decimals (CNY, HKD, USD, EUR …); the account must have the methods enabled.
 */

export interface CheckoutSessionView {
  id: string
  /** open | complete | expired (Stripe may add more) */
  status: string | null
  /** paid | unpaid | no_payment_required */
  paymentStatus: string
  /** The payment intent's own status, when the session is complete but not paid. */
  paymentIntentStatus: string | null
  paymentIntentId: string | null
  amountTotal: number | null
  currency: string | null
  metadata: Record<string, string>
  url: string | null
}

export interface CheckoutParams {
  contractId: string
  milestoneId: string
  title: string
  amountFen: number
  currency: string
  successUrl: string
  cancelUrl: string
  origin: string
}

export interface StripeGateway {
  mode: 'stripe' | 'standin'
  webhookSecret: string | null
  createCheckoutSession(params: CheckoutParams): Promise<{ id: string; url: string }>
  retrieveCheckoutSession(id: string): Promise<CheckoutSessionView>
}

const ALIPAY_CURRENCIES = ['cny', 'aud', 'cad', 'eur', 'gbp', 'hkd', 'jpy', 'myr', 'nzd', 'sgd', 'usd']
const WECHAT_PAY_CURRENCIES = ['cny', 'aud', 'cad', 'chf', 'dkk', 'eur', 'gbp', 'hkd', 'jpy', 'nok', 'sek', 'sgd', 'usd']

/** card, plus alipay and wechat_pay where Stripe accepts them in this currency. */
export function paymentMethodTypes(currency: string): Array<'card' | 'alipay' | 'wechat_pay'> {
  const c = currency.toLowerCase()
  return ['card', ...(ALIPAY_CURRENCIES.includes(c) ? (['alipay'] as const) : []), ...(WECHAT_PAY_CURRENCIES.includes(c) ? (['wechat_pay'] as const) : [])]
}

// ─── Stripe ─────────────────────────────────────────────────────────────────────────

const clients = new Map<string, Stripe>()
export function stripeClient(key: string): Stripe {
  let client = clients.get(key)
  if (!client) {
    client = new Stripe(key, { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: 'KeZhuan' } })
    clients.set(key, client)
  }
  return client
}

function stripeGatewayFor(key: string, webhookSecret: string | null): StripeGateway {
  const stripe = stripeClient(key)
  return {
    mode: 'stripe',
    webhookSecret,
    async createCheckoutSession(p) {
      const types = paymentMethodTypes(p.currency)
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          // API 2026-10-28 (stripe@23): the allow-list filters the methods Stripe finds eligible.
          allowed_payment_method_types: types,
          ...(types.includes('wechat_pay') ? { payment_method_options: { wechat_pay: { client: 'web' as const } } } : {}),
          line_items: [{ quantity: 1, price_data: { currency: p.currency, unit_amount: p.amountFen, product_data: { name: p.title.slice(0, 250) } } }],
          metadata: { contractId: p.contractId, milestoneId: p.milestoneId },
          payment_intent_data: { metadata: { contractId: p.contractId, milestoneId: p.milestoneId } },
          success_url: p.successUrl,
          cancel_url: p.cancelUrl,
        },
        { idempotencyKey: `kz-checkout-${p.milestoneId}-${randomBytes(6).toString('hex')}` },
      )
      if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL')
      return { id: session.id, url: session.url }
    },
    async retrieveCheckoutSession(id) {
      const s = await stripe.checkout.sessions.retrieve(id, { expand: ['payment_intent'] })
      const pi = s.payment_intent
      return {
        id: s.id,
        status: s.status,
        paymentStatus: s.payment_status,
        paymentIntentStatus: pi && typeof pi === 'object' ? pi.status : null,
        paymentIntentId: pi ? (typeof pi === 'string' ? pi : pi.id) : null,
        amountTotal: s.amount_total,
        currency: s.currency,
        metadata: (s.metadata ?? {}) as Record<string, string>,
        url: s.url,
      }
    },
  }
}

// ─── The local stand-in ─────────────────────────────────────────────────────────────

const STANDIN_PREFIX = 'cs_test_standin_'

export function isStandinSessionId(id: string) {
  return new RegExp(`^${STANDIN_PREFIX}[a-f0-9]{24}$`).test(id)
}

function standinFile(id: string) {
  if (!isStandinSessionId(id)) throw new AppError('NOT_FOUND', 'err.notFound')
  return path.join(getEnv().dataDir, 'stripe-standin', `${id}.json`)
}

export interface StandinSession extends CheckoutSessionView {
  title: string
  successUrl: string
  cancelUrl: string
}

export async function readStandinSession(id: string): Promise<StandinSession | null> {
  try {
    return JSON.parse(await readFile(standinFile(id), 'utf8')) as StandinSession
  } catch (error) {
    if (error instanceof AppError || (error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

export async function writeStandinSession(s: StandinSession) {
  const file = standinFile(s.id)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, JSON.stringify(s, null, 2))
}

/** The stand-in's signing secret: STRIPE_WEBHOOK_SECRET, else derived from the session secret. */
export function standinWebhookSecret() {
  const env = getEnv()
  return env.STRIPE_WEBHOOK_SECRET ?? `whsec_${createHmac('sha256', env.sessionSecret).update('kezhuan-stripe-standin').digest('base64url')}`
}

function standinGateway(): StripeGateway {
  return {
    mode: 'standin',
    webhookSecret: standinWebhookSecret(),
    async createCheckoutSession(p) {
      const id = `${STANDIN_PREFIX}${randomBytes(12).toString('hex')}`
      const url = `${p.origin}/dev/checkout/${id}`
      await writeStandinSession({
        id,
        status: 'open',
        paymentStatus: 'unpaid',
        paymentIntentStatus: null,
        paymentIntentId: null,
        amountTotal: p.amountFen,
        currency: p.currency,
        metadata: { contractId: p.contractId, milestoneId: p.milestoneId },
        url,
        title: p.title,
        successUrl: p.successUrl,
        cancelUrl: p.cancelUrl,
      })
      return { id, url }
    },
    async retrieveCheckoutSession(id) {
      const s = await readStandinSession(id)
      if (!s) throw new AppError('NOT_FOUND', 'err.notFound')
      return s
    },
  }
}

/** The gateway the configuration asks for, or null: then only bank transfer is offered. */
export function stripeGateway(): StripeGateway | null {
  const env = getEnv()
  if (env.KZ_STRIPE_STANDIN === 'on' && env.NODE_ENV !== 'production') return standinGateway()
  if (env.STRIPE_SECRET_KEY) return stripeGatewayFor(env.STRIPE_SECRET_KEY, env.STRIPE_WEBHOOK_SECRET ?? null)
  return null
}

export function onlinePaymentEnabled() {
  return stripeGateway() !== null
}

// ─── Starting a payment ─────────────────────────────────────────────────────────────

/**
 * The buyer's authorised member starts paying a PENDING milestone online: a Checkout Session
 * for its exact amount; the milestone becomes CHECKOUT_OPEN with the session's id. Asked
 * again while that session is still open, the same session is returned.
 */
export async function startCheckout({
  actor,
  contractId,
  milestoneId,
  origin,
  ip,
  gateway = stripeGateway(),
}: {
  actor: Actor
  contractId: string
  milestoneId: string
  origin: string
  ip?: string | null
  gateway?: StripeGateway | null
}): Promise<{ url: string; sessionId: string }> {
  if (!gateway) throw new AppError('CONFLICT', 'err.payment.onlineDisabled')
  const db = await prisma()
  const load = async () => {
    const m = await db.milestone.findFirst({
      where: { id: milestoneId, contractId },
      include: { contract: { select: { id: true, number: true, title: true, status: true, sellerOrgId: true, buyerOrgId: true, brokerId: true } } },
    })
    if (!m) throw new AppError('NOT_FOUND', 'err.payment.milestoneUnknown')
    if (partyOf(actor, m.contract) !== 'BUYER') throw new AppError('FORBIDDEN', 'err.payment.buyerOnly')
    if (!isPayable(m.contract.status)) throw new AppError('CONFLICT', 'err.payment.contractNotPayable')
    return m
  }
  const m = await load()
  if (m.status === 'CHECKOUT_OPEN' && m.stripeSessionId) {
    const open = await gateway.retrieveCheckoutSession(m.stripeSessionId)
    if (open.status === 'open' && open.url) return { url: open.url, sessionId: open.id }
    throw new AppError('CONFLICT', 'err.payment.checkoutSettling')
  }
  if (m.status !== 'PENDING') throw new AppError('CONFLICT', 'err.payment.milestoneNotOpen')
  const back = `${origin}/contracts/${contractId}/payments`
  const session = await gateway.createCheckoutSession({
    contractId,
    milestoneId,
    title: `${m.contract.number} · ${m.seq}. ${m.title}`,
    amountFen: Number(m.amountFen),
    currency: getEnv().KZ_CURRENCY,
    successUrl: `${back}?checkout=success`,
    cancelUrl: `${back}?checkout=cancelled`,
    origin,
  })
  await db.$transaction(async (tx) => {
    const { count } = await tx.milestone.updateMany({ where: { id: milestoneId, contractId, status: 'PENDING' }, data: { status: 'CHECKOUT_OPEN', stripeSessionId: session.id } })
    if (count === 0) throw new AppError('CONFLICT', 'err.payment.milestoneNotOpen')
    await audit(tx, {
      actorId: actor.id,
      action: 'payment.checkout.start',
      entityType: 'Milestone',
      entityId: milestoneId,
      before: { status: 'PENDING' },
      after: { status: 'CHECKOUT_OPEN', stripeSessionId: session.id, mode: gateway.mode },
      ip,
    })
  })
  return { url: session.url, sessionId: session.id }
}
