/** The payments page and the stand-in checkout page render on the server: Chinese, multipart forms, no JavaScript needed. */
import { renderToString } from 'react-dom/server'
import { createRoutesStub } from 'react-router'
import { describe, expect, it } from 'vitest'
import StandinCheckout from '../dev/checkout'
import Commissions from '../commissions'
import ContractPayments from './payments'

type Page = Parameters<typeof createRoutesStub>[0][number]['Component']

async function render(path: string, pattern: string, Component: Page, loaderData: unknown) {
  const Stub = createRoutesStub([{ path: pattern, Component, HydrateFallback: () => null, loader: () => loaderData }])
  // Loaders of a stub run in an effect; hydrationData supplies the data for the server render.
  return renderToString(<Stub initialEntries={[path]} hydrationData={{ loaderData: { '0': loaderData } }} />)
}

const milestone = (over: Record<string, unknown>) => ({
  id: 'm1',
  seq: 1,
  title: '首付款',
  dueDate: '2026-02-01T00:00:00.000Z',
  amountFen: 33_333_333,
  status: 'PENDING',
  paidAt: null,
  paidVia: null,
  receiptName: null,
  receiptUploadedAt: null,
  commissionFen: null,
  history: [],
  rejection: null,
  ...over,
})

const page = (over: Record<string, unknown> = {}) => ({
  online: false,
  maxMb: 10,
  party: 'BUYER',
  payable: true,
  contract: { id: 'c1', number: 'KZ-2026-000001', title: '专利权转让', status: 'SIGNED', seller: '重庆某大学', buyer: '永川某企业', broker: '张经纪', hasBroker: true, amountFen: 100_000_001, base: { fen: 90_000_000, registered: false } },
  commission: { basis: 'PERCENT', rateBp: 350, fixedFen: null, total: 3_150_000, accrued: 0, paid: 0, editable: false },
  milestones: [milestone({}), milestone({ id: 'm2', seq: 2, title: '尾款', status: 'RECEIPT_UPLOADED', receiptName: '回单.pdf', receiptUploadedAt: '2026-02-02T00:00:00.000Z' })],
  ...over,
})

describe('payments pages', () => {
  it('offers the buyer bank transfer only without Stripe: a multipart upload form per open milestone', async () => {
    const html = await render('/contracts/c1/payments', '/contracts/:id/payments', ContractPayments as Page, page())
    expect(html).toContain('合同付款')
    expect(html).toContain('未开通在线支付')
    expect(html).toMatch(/enctype="multipart\/form-data"/i)
    expect(html).toContain('name="receipt"')
    expect(html).not.toContain('在线支付</button>')
    expect(html).toContain('回单.pdf')
    expect(html).toContain('经纪人佣金')
  })

  it('offers online payment when configured, and the seller a confirm button for an uploaded receipt', async () => {
    expect(await render('/contracts/c1/payments', '/contracts/:id/payments', ContractPayments as Page, page({ online: true }))).toContain('在线支付</button>')
    const seller = await render('/contracts/c1/payments', '/contracts/:id/payments', ContractPayments as Page, page({ party: 'SELLER' }))
    expect(seller).toContain('确认已收款')
    expect(seller).not.toContain('name="receipt"')
    // …and the form to send the receipt back, a reason required, inside a disclosure that works without JavaScript.
    expect(seller).toMatch(/<details[^>]*><summary[^>]*>退回回单<\/summary>/)
    expect(seller).toMatch(/<textarea[^>]*name="reason"[^>]*required/)
    expect(seller).toContain('name="intent" value="reject"')
  })

  it('tells the buyer why a receipt was sent back, offers the upload again, and lists the receipt history', async () => {
    const history = [
      { kind: 'upload', at: '2026-02-02T01:00:00.000Z', by: '张总工', name: '回单.pdf', reason: null },
      { kind: 'reject', at: '2026-02-03T02:30:00.000Z', by: '陈教授', name: '回单.pdf', reason: '款项未到账' },
    ]
    const html = await render('/contracts/c1/payments', '/contracts/:id/payments', ContractPayments as Page, page({ milestones: [milestone({ history, rejection: history[1] })] }))
    expect(html).toContain('卖方于 2026-02-03 10:30 退回了回单《回单.pdf》，原因：款项未到账')
    expect(html).toContain('请核实后重新上传回单。')
    expect(html).toContain('name="receipt"')
    expect(html).toContain('回单记录（2）')
    expect(html).toContain('2026-02-02 09:00 张总工 上传回单《回单.pdf》')
    expect(html).not.toContain('value="reject"')
  })

  it('marks the stand-in checkout page as a test page', async () => {
    const html = await render('/dev/checkout/cs_test_standin_x', '/dev/checkout/:sessionId', StandinCheckout as Page, {
      id: 'cs_test_standin_x',
      status: 'open',
      title: 'KZ-2026-000001 · 1. 首付款',
      amountFen: 33_333_333,
      currency: 'cny',
      cancelUrl: '/contracts/c1/payments?checkout=cancelled',
    })
    expect(html).toContain('测试用支付页面 — 非真实支付')
    expect(html).toContain('模拟支付成功')
  })

  it('renders the ledger with its totals', async () => {
    const html = await render('/commissions', '/commissions', Commissions as Page, {
      all: true,
      mayMarkPaid: true,
      totals: { earned: 300_000, due: 100_000, paid: 200_000 },
      entries: [{ id: 'e1', contract: { id: 'c1', number: 'KZ-2026-000001', title: '专利权转让' }, milestone: { seq: 1, title: '首付款' }, brokerName: '张经纪', amountFen: 100_000, status: 'DUE', createdAt: '2026-02-02T00:00:00.000Z', paidAt: null }],
    })
    expect(html).toContain('佣金台账')
    expect(html).toContain('标记为已支付')
    expect(html).toContain('¥3,000')
  })
})
