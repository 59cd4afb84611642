/**
 * The payments page and the webhook route, called as React Router calls them: real Requests
 * (multipart bodies for the page), params, and a context holding a real session's user.
 */
import { RouterContextProvider } from 'react-router'
import Stripe from 'stripe'
import { beforeAll, describe, expect, it } from 'vitest'
import { contractIn, FILES, milestonesOf, parties, useTempDataDir } from '~/domain/payments/test-support'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { authContext } from '~/infra/http/context'
import * as webhookRoute from '../webhooks/stripe'
import * as paymentsRoute from './payments'

const ORIGIN = 'http://localhost'
const SECRET = 'whsec_route_test_secret'

beforeAll(() => {
  useTempDataDir({ STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: SECRET, KZ_STRIPE_STANDIN: 'on' })
})

async function context(user: { id: string }) {
  const ctx = new RouterContextProvider()
  ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
  return ctx
}

type Handler = (args: never) => unknown
const call = (fn: Handler, request: Request, ctx: RouterContextProvider, params: Record<string, string> = {}) =>
  new Promise<unknown>((resolve) => {
    const url = new URL(request.url)
    resolve(fn({ request, url, pattern: url.pathname, params, context: ctx } as never))
  })

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function settle(value: unknown): Promise<{ status: number; headers: Headers; data: any }> {
  if (value instanceof Response) return { status: value.status, headers: value.headers, data: await value.text() }
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'DataWithResponseInit') {
    const { data, init } = value as { data: unknown; init: ResponseInit | null }
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), data }
  }
  return { status: 200, headers: new Headers(), data: value }
}

function multipart(path: string, fields: Record<string, string>, file?: { name: string; type: string; bytes: Uint8Array }) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  if (file) form.set('receipt', new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type }))
  return new Request(`${ORIGIN}${path}`, { method: 'POST', body: form })
}

describe('/contracts/:id/payments', () => {
  it('bank transfer through the page: a renamed .exe is refused with a clear message, a PDF is taken, the seller confirms', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const [m1] = await milestonesOf(id)
    const path = `/contracts/${id}/payments`
    const buyer = await context(p.buyer)

    const exe = await settle(await call(paymentsRoute.action as Handler, multipart(path, { intent: 'receipt', milestoneId: m1!.id }, { name: '回单.pdf', type: 'application/pdf', bytes: FILES.exe }), buyer, { id }))
    expect(exe.status).toBe(400)
    expect(exe.data.formError).toBe('err.payment.receiptType')
    expect((await milestonesOf(id))[0]!.status).toBe('PENDING')

    const big = new Uint8Array(10 * 1024 * 1024 + 100 * 1024)
    big.set(FILES.pdf)
    const tooBig = await settle(await call(paymentsRoute.action as Handler, multipart(path, { intent: 'receipt', milestoneId: m1!.id }, { name: 'big.pdf', type: 'application/pdf', bytes: big }), buyer, { id }))
    expect(tooBig.status).toBe(400)
    expect(tooBig.data.formError).toBe('err.payment.receiptTooLarge?max=10')

    const ok = await settle(await call(paymentsRoute.action as Handler, multipart(path, { intent: 'receipt', milestoneId: m1!.id }, { name: '回单.pdf', type: 'application/pdf', bytes: FILES.pdf }), buyer, { id }))
    expect(ok.status).toBe(302)
    expect(ok.headers.get('Location')).toBe(path)

    const confirmed = await settle(await call(paymentsRoute.action as Handler, multipart(path, { intent: 'confirm', milestoneId: m1!.id }), await context(p.seller), { id }))
    expect(confirmed.status).toBe(302)
    const page = await settle(await call(paymentsRoute.loader as Handler, new Request(`${ORIGIN}${path}`), await context(p.seller), { id }))
    expect(page.data.milestones[0]).toMatchObject({ status: 'PAID', paidVia: 'BANK_TRANSFER', receiptName: '回单.pdf' })
    expect(page.data.online).toBe(true)
  })

  it('the seller sends a receipt back through the page: a reason is required, the buyer reads it and may upload again', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const [m1] = await milestonesOf(id)
    const path = `/contracts/${id}/payments`
    const buyer = await context(p.buyer)
    const seller = await context(p.seller)
    const post = async (ctx: RouterContextProvider, fields: Record<string, string>, file?: { name: string; type: string; bytes: Uint8Array }) =>
      settle(await call(paymentsRoute.action as Handler, multipart(path, fields, file), ctx, { id }))
    expect((await post(buyer, { intent: 'receipt', milestoneId: m1!.id }, { name: '回单.pdf', type: 'application/pdf', bytes: FILES.pdf })).status).toBe(302)

    const blank = await post(seller, { intent: 'reject', milestoneId: m1!.id, reason: '  ' })
    expect(blank.status).toBe(400)
    expect(blank.data).toMatchObject({ intent: 'reject', milestoneId: m1!.id, fieldErrors: { reason: ['err.payment.rejectReasonRequired'] } })
    const missing = await post(seller, { intent: 'reject', milestoneId: m1!.id })
    expect(missing.status).toBe(400)
    const byBuyer = await post(buyer, { intent: 'reject', milestoneId: m1!.id, reason: '自己退回' })
    expect(byBuyer.status).toBe(403)
    expect(byBuyer.data.formError).toBe('err.payment.sellerOnlyReject')
    expect((await milestonesOf(id))[0]).toMatchObject({ status: 'RECEIPT_UPLOADED', receiptName: '回单.pdf' })

    const ok = await post(seller, { intent: 'reject', milestoneId: m1!.id, reason: '回单上的金额与本节点不符' })
    expect(ok.status).toBe(302)
    expect(ok.headers.get('Location')).toBe(path)
    const page = await settle(await call(paymentsRoute.loader as Handler, new Request(`${ORIGIN}${path}`), buyer, { id }))
    expect(page.data.milestones[0]).toMatchObject({
      status: 'PENDING',
      receiptName: null,
      rejection: { kind: 'reject', name: '回单.pdf', reason: '回单上的金额与本节点不符', by: p.seller.name },
      history: [{ kind: 'upload', name: '回单.pdf' }, { kind: 'reject' }],
    })
    // Uploaded again: the notice goes, the history stays.
    expect((await post(buyer, { intent: 'receipt', milestoneId: m1!.id }, { name: '回单-新.png', type: 'image/png', bytes: FILES.png })).status).toBe(302)
    const again = await settle(await call(paymentsRoute.loader as Handler, new Request(`${ORIGIN}${path}`), seller, { id }))
    expect(again.data.milestones[0]).toMatchObject({ status: 'RECEIPT_UPLOADED', receiptName: '回单-新.png', rejection: null })
    expect(again.data.milestones[0].history).toHaveLength(3)
  })

  it('is not found for someone outside the contract', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const error = await Promise.resolve(call(paymentsRoute.loader as Handler, new Request(`${ORIGIN}/contracts/${id}/payments`), await context(p.stranger), { id })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Response)
    expect((error as Response).status).toBe(404)
  })

  it('starts an online payment (the stand-in here) with a redirect to the checkout page', async () => {
    const p = await parties()
    const id = await contractIn(p, 'SIGNED')
    const [m1] = await milestonesOf(id)
    const res = await settle(await call(paymentsRoute.action as Handler, multipart(`/contracts/${id}/payments`, { intent: 'checkout', milestoneId: m1!.id }), await context(p.buyer), { id }))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toMatch(new RegExp(`^${ORIGIN}/dev/checkout/cs_test_standin_[0-9a-f]{24}$`))
  })
})

describe('/webhooks/stripe', () => {
  it('hands the raw body and the signature to the handler: 400 when forged, 200 for an ignored type', async () => {
    const payload = JSON.stringify({ id: 'evt_route_1', object: 'event', type: 'customer.created', data: { object: { id: 'cus_1', object: 'customer' } } })
    const post = (signature: string) =>
      webhookRoute.action({ request: new Request(`${ORIGIN}/webhooks/stripe`, { method: 'POST', body: payload, headers: { 'Stripe-Signature': signature } }) } as never)
    expect((await post(Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_forged' }))).status).toBe(400)
    const ok = await post(Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }))
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ ignored: 'customer.created' })
  })
})
