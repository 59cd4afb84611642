import type { Page } from '@playwright/test'
import { DEMO, DEMO_PASSWORD, expect, fillSignIn, header, main, signedIn, signOff, test as base, uniqueTag } from './helpers'
import { startStandinServer, type StandinServer } from './support/standin-server'

/**
 * Issue 5's "done when": the whole path in the browser, as people click it. From a match on
 * a demand's page the broker drafts a contract; the seller's and the buyer's authorised
 * members confirm it; the seller submits it; the bureau registers it with its own technical
 * transaction amount; the buyer pays one milestone through the checkout stand-in and the
 * other by bank transfer (the seller first sends a receipt back, then confirms the next);
 * the bureau's dashboard for the year moves by exactly the registered amount and one contract.
 *
 * The checkout stand-in is never allowed in production, and the shared e2e server runs in
 * production mode: this spec has a server of its own (support/standin-server.ts).
 */
const test = base.extend<object, { standin: StandinServer }>({
  standin: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startStandinServer()
      try {
        await use(server)
      } finally {
        await server.stop()
      }
    },
    { scope: 'worker', timeout: 200_000 },
  ],
  baseURL: async ({ standin }, use) => use(standin.baseURL),
})

// The one pair of demo listings with a match whose both owners have a demo administrator.
const DEMAND = '铸件打磨工位机器人替代' // 重庆永锋精密机械有限公司 (enterprise@)
const ACHIEVEMENT = '协作机器人恒力打磨工艺包' // 永川智能装备研究院 (institute@)
const SELLER_ORG = '永川智能装备研究院'
const BUYER_ORG = '重庆永锋精密机械有限公司'

/** A small but real PDF, as a bank's e-receipt would be. */
const receiptPdf = (note: string) =>
  Buffer.from(`%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n% ${note}\ntrailer <</Root 1 0 R>>\n%%EOF\n`)


async function openContract(page: Page, title: string) {
  await header(page).getByRole('link', { name: '合同', exact: true }).click()
  await expect(page).toHaveURL('/contracts')
  await main(page).getByRole('searchbox').fill(title)
  await main(page).getByRole('button', { name: '筛选' }).click()
  await main(page).getByRole('link', { name: title }).click()
  await expect(main(page).getByRole('heading', { level: 1, name: title })).toBeVisible()
}

async function openPayments(page: Page, title: string) {
  await openContract(page, title)
  await main(page).getByRole('link', { name: /付款与收款/ }).click()
  await expect(main(page).getByRole('heading', { level: 1, name: '合同付款' })).toBeVisible()
}

/** "¥1,234,567.8" or "¥1,234,567" → fen, exactly. */
function fenOf(text: string): number {
  const match = text.trim().match(/^¥([\d,]+)(?:\.(\d{1,2}))?$/)
  expect(match, `an exact amount: ${text}`).not.toBeNull()
  return Number(match![1]!.replace(/,/g, '')) * 100 + Number((match![2] ?? '').padEnd(2, '0'))
}

/** The year's totals as the bureau's dashboard shows them: the count, and the exact amounts under the rounded ones. */
async function dashboardTotals(page: Page, year: string) {
  await page.goto(`/stats/bureau?year=${year}`)
  await expect(main(page).getByRole('heading', { name: '技术合同统计（区科技局）' })).toBeVisible()
  await expect(main(page).getByRole('combobox', { name: '年度' })).toHaveValue(year)
  const totals = main(page).getByTestId('stats-totals')
  const actual = (row: RegExp) => totals.getByRole('row', { name: row }).getByRole('cell').first()
  return {
    count: Number((await actual(/^合同数（项）/).innerText()).trim()),
    amountFen: fenOf(await actual(/^成交额/).locator('data').innerText()),
    techFen: fenOf(await actual(/^技术交易额/).locator('data').innerText()),
  }
}

function milestone(page: Page, seq: number) {
  return main(page).locator(`[data-milestone="${seq}"]`)
}

test('from a match to a registered, paid contract: the bureau’s dashboard moves by exactly the registered amount', async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000)
  const title = `铸件打磨机器人工作站合作开发 ${uniqueTag()}`

  // ── The broker finds the match on the demand’s page and drafts from it ────────────
  await page.goto('/login')
  await fillSignIn(page, DEMO.broker.email, DEMO_PASSWORD)
  await expect(header(page).getByRole('button', { name: '退出' })).toBeVisible()
  await header(page).getByRole('link', { name: '需求', exact: true }).click()
  await main(page).getByLabel('关键词').fill(DEMAND)
  await main(page).getByRole('button', { name: '筛选' }).click()
  await main(page).getByRole('link', { name: DEMAND }).click()
  await expect(main(page).getByRole('heading', { level: 1, name: DEMAND })).toBeVisible()
  const demandPath = new URL(page.url()).pathname
  const match = main(page).getByTestId('match').filter({ has: page.getByRole('link', { name: ACHIEVEMENT, exact: true }) })
  await expect(match).toContainText(SELLER_ORG)
  await match.getByRole('link', { name: '据此起草技术合同' }).click()
  await expect(page).toHaveURL(/\/contracts\/new\?need=demand(:|%3A)[a-z0-9]+&achievement=[a-z0-9]+$/)
  const achievementPath = `/achievements/${new URL(page.url()).searchParams.get('achievement')}`

  const form = main(page)
  await expect(form.getByText(`技术需求：${DEMAND}`)).toBeVisible()
  await expect(form.getByText(`科技成果：${ACHIEVEMENT}`)).toBeVisible()
  await expect(form.getByLabel('卖方（技术提供方）').locator('option:checked')).toHaveText(new RegExp(`^${SELLER_ORG}`))
  await expect(form.getByLabel('买方（技术受让方）').locator('option:checked')).toHaveText(new RegExp(`^${BUYER_ORG}`))
  // Both sides name co-operative development.
  await expect(form.getByLabel('合同类型')).toHaveValue('DEVELOPMENT')
  await form.getByLabel('合同名称').fill(title)
  await form.getByLabel('合同子类').selectOption({ label: '合作开发' })
  await form.getByLabel('合同成交额（元）').fill('680000')
  await form.getByLabel('技术交易额（元）').fill('650000')
  await form.getByLabel('支付方式').selectOption({ label: '分期支付' })
  const rows = form.getByRole('listitem').filter({ has: page.getByLabel('应付日期') })
  await rows.nth(0).getByLabel('付款节点').fill('合同生效后首付款')
  await rows.nth(0).getByLabel('应付日期').fill('2027-01-15')
  await rows.nth(0).getByLabel('金额（元）').fill('280000')
  await rows.nth(1).getByLabel('付款节点').fill('工作站验收后尾款')
  await rows.nth(1).getByLabel('应付日期').fill('2027-06-30')
  await rows.nth(1).getByLabel('金额（元）').fill('400000')
  await form.getByLabel('合同主要条款').fill('第一条 合作内容：双方合作开发铸件打磨机器人工作站，研究院提供恒力打磨工艺包。\n第二条 价款分两期支付。')
  await form.getByRole('button', { name: '保存并发送双方确认' }).click()

  await expect(page).toHaveURL(/\/contracts\/c[a-z0-9]+$/)
  await expect(page.getByRole('status')).toContainText('已发送双方确认')
  const number = (await main(page).getByTestId('contract-number').innerText()).trim()
  expect(number).toMatch(/^KZ-\d{4}-\d{6}$/)
  // The contract keeps where it came from.
  await expect(main(page).getByRole('link', { name: '技术需求：查看' })).toHaveAttribute('href', demandPath)
  await expect(main(page).getByRole('link', { name: '科技成果：查看' })).toHaveAttribute('href', achievementPath)

  // ── Both parties’ authorised members confirm the same version ───────────────────────
  const seller = await signedIn(browser, DEMO.institute.email, { baseURL: baseURL! })
  await openContract(seller, title)
  await main(seller).getByLabel(/我代表卖方确认/).check()
  await main(seller).getByRole('button', { name: '确认第 1 版条款' }).click()
  await expect(seller.getByRole('status')).toContainText(`已确认合同 ${number} 的条款，等待另一方确认`)

  const buyer = await signedIn(browser, DEMO.enterprise.email, { baseURL: baseURL! })
  await openContract(buyer, title)
  await main(buyer).getByLabel(/我代表买方确认/).check()
  await main(buyer).getByRole('button', { name: '确认第 1 版条款' }).click()
  await expect(buyer.getByRole('status')).toContainText(`双方均已确认，合同 ${number} 已签署`)

  // ── The seller submits it for registration ─────────────────────────────────────────
  await seller.reload()
  await main(seller).getByRole('button', { name: '提交认定登记' }).click()
  await expect(seller.getByRole('status')).toContainText(`合同 ${number} 已提交认定登记`)

  // ── The bureau reads its dashboard, registers the contract, reads it again ───────────
  const bureau = await signedIn(browser, DEMO.bureau.email, { baseURL: baseURL! })
  await header(bureau).getByRole('link', { name: '合同', exact: true }).click()
  await main(bureau).getByRole('link', { name: '登记队列' }).click()
  await main(bureau).locator(`[data-contract="${number}"]`).getByRole('link', { name: `审核登记 ${number}` }).click()
  await expect(main(bureau).getByRole('heading', { name: '合同认定登记' })).toBeVisible()
  const reviewUrl = bureau.url()
  const registeredOn = await main(bureau).getByLabel('登记日期').inputValue()
  expect(registeredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  const year = registeredOn.slice(0, 4)

  const before = await dashboardTotals(bureau, year)

  await bureau.goto(reviewUrl)
  const registrationNumber = await main(bureau).getByLabel('登记编号').inputValue()
  expect(registrationNumber).toMatch(/^\d{4}500118\d{6}$/)
  await main(bureau).getByLabel('认定合同类型').selectOption({ label: '技术开发' })
  await main(bureau).getByLabel('认定合同子类').selectOption({ label: '合作开发' })
  // The registry takes out ¥37,654.33 of non-technical costs (equipment) from the declared ¥650,000.
  await main(bureau).getByLabel('认定技术交易额（元）').fill('612345.67')
  await main(bureau).getByRole('button', { name: '予以登记' }).click()
  await expect(bureau).toHaveURL('/registration')
  await expect(bureau.getByRole('status')).toContainText(`合同 ${number} 已登记，登记编号 ${registrationNumber}`)

  const after = await dashboardTotals(bureau, year)
  expect(after.count - before.count).toBe(1)
  expect(after.techFen - before.techFen).toBe(61_234_567)
  expect(after.amountFen - before.amountFen).toBe(68_000_000)

  // ── The broker agrees a 3% commission on the registered amount ───────────────────────
  await openPayments(page, title)
  await main(page).getByRole('radio', { name: '按技术交易额比例' }).check()
  await main(page).getByLabel('比例（%）').fill('3')
  await main(page).getByRole('button', { name: '保存佣金约定' }).click()
  await expect(page.getByRole('status')).toContainText('佣金约定已保存')
  // 3% of ¥612,345.67 = ¥18,370.3701 → ¥18,370.37
  await expect(main(page).getByText('¥18,370.37').first()).toBeVisible()

  // ── The buyer pays the first milestone online, through the checkout stand-in ─────────
  await openPayments(buyer, title)
  await milestone(buyer, 1).getByRole('button', { name: '在线支付' }).click()
  await expect(buyer).toHaveURL(/\/dev\/checkout\/cs_test_standin_[0-9a-f]+$/)
  await expect(buyer.getByRole('note')).toHaveText('测试用支付页面 — 非真实支付')
  await expect(main(buyer).getByText('¥280,000')).toBeVisible()
  await main(buyer).getByRole('button', { name: '模拟支付成功' }).click()
  await expect(buyer).toHaveURL(/\/payments\?checkout=success$/)
  await expect(milestone(buyer, 1).locator('[data-status]')).toHaveText('已付款')
  await expect(milestone(buyer, 1)).toContainText('在线支付，')

  // ── …and the second by bank transfer: a receipt sent back, then one confirmed ─────────
  await milestone(buyer, 2).getByLabel('转账回单').setInputFiles({ name: '转账回单-尾款.pdf', mimeType: 'application/pdf', buffer: receiptPdf('first') })
  await milestone(buyer, 2).getByRole('button', { name: '上传回单' }).click()
  await expect(buyer.getByRole('status')).toContainText('回单已上传，等待卖方确认收款')
  await expect(milestone(buyer, 2).locator('[data-status]')).toHaveText('待确认收款')

  await openPayments(seller, title)
  const second = milestone(seller, 2)
  await expect(second.getByRole('link', { name: /已上传回单：转账回单-尾款\.pdf/ })).toBeVisible()
  await second.getByText('退回回单').click()
  // A reason of blanks only is refused by the server, in words, and nothing changes.
  await second.getByLabel('退回原因（买方可见）').fill('   ')
  await second.getByRole('button', { name: '确认退回' }).click()
  await expect(milestone(seller, 2).getByLabel('退回原因（买方可见）')).toHaveAccessibleDescription(/请填写退回原因/)
  await expect(milestone(seller, 2).locator('[data-status]')).toHaveText('待确认收款')
  await milestone(seller, 2).getByLabel('退回原因（买方可见）').fill('回单金额为 ¥40,000，与本节点 ¥400,000 不符')
  await milestone(seller, 2).getByRole('button', { name: '确认退回' }).click()
  await expect(seller.getByRole('status')).toContainText('回单已退回，买方可重新上传')
  await expect(milestone(seller, 2).locator('[data-status]')).toHaveText('待付款')

  await buyer.reload()
  await expect(milestone(buyer, 2).getByTestId('receipt-rejected')).toContainText('回单金额为 ¥40,000，与本节点 ¥400,000 不符')
  await expect(milestone(buyer, 2).getByTestId('receipt-rejected')).toContainText('请核实后重新上传回单')
  await milestone(buyer, 2).getByLabel('转账回单').setInputFiles({ name: '转账回单-尾款-更正.pdf', mimeType: 'application/pdf', buffer: receiptPdf('second') })
  await milestone(buyer, 2).getByRole('button', { name: '上传回单' }).click()
  await expect(buyer.getByRole('status')).toContainText('回单已上传，等待卖方确认收款')
  await expect(milestone(buyer, 2).getByTestId('receipt-rejected')).toHaveCount(0)

  await seller.reload()
  await expect(milestone(seller, 2).getByRole('link', { name: /已上传回单：转账回单-尾款-更正\.pdf/ })).toBeVisible()
  await milestone(seller, 2).getByRole('button', { name: '确认已收款' }).click()
  await expect(seller.getByRole('status')).toContainText('已确认收款，该节点已付清')
  await expect(milestone(seller, 2).locator('[data-status]')).toHaveText('已付款')
  await expect(milestone(seller, 2)).toContainText('银行转账，')
  await milestone(seller, 2).getByText('回单记录（3）').click()
  await expect(milestone(seller, 2).getByTestId('receipt-history').getByRole('listitem')).toHaveText([
    /上传回单《转账回单-尾款\.pdf》/,
    /退回回单《转账回单-尾款\.pdf》：回单金额为 ¥40,000/,
    /上传回单《转账回单-尾款-更正\.pdf》/,
  ])

  // ── The broker’s commission is accrued in full; payments move no dashboard figure ─────
  await page.reload()
  const commission = main(page).getByRole('region', { name: '经纪人佣金' })
  await expect(commission.getByRole('definition').filter({ hasText: '¥18,370.37' })).toHaveCount(2) // the total, and what is accrued
  expect(await dashboardTotals(bureau, year)).toEqual(after)

  await signOff(seller)
  await signOff(buyer)
  await signOff(bureau)
})
