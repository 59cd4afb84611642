import type { Page } from '@playwright/test'
import { DEMO, DEMO_PASSWORD, expect, fillSignIn, header, main, signedIn, signOff, test, uniqueTag } from './helpers'

/**
 * A technology contract from a demand and an achievement to its registration: the broker
 * drafts it, the seller's and the buyer's administrators confirm the same version, the seller
 * submits it, the bureau registers it. (Payments and the dashboard are other modules.)
 */

const DEMAND = '精密主轴箱体孔系加工精度提升' // 重庆永锋精密机械有限公司 (enterprise@)
const ACHIEVEMENT = '数控机床热误差实时补偿系统' // 渝西理工大学 (supplier@)


async function openContract(page: Page, title: string) {
  await header(page).getByRole('link', { name: '合同' }).click()
  await expect(page).toHaveURL('/contracts')
  await main(page).getByRole('searchbox').fill(title)
  await main(page).getByRole('button', { name: '筛选' }).click()
  await main(page).getByRole('link', { name: title }).click()
  await expect(main(page).getByRole('heading', { level: 1, name: title })).toBeVisible()
}

test('a broker drafts a contract from a demand and an achievement; both parties confirm; the seller submits; the bureau registers it', async ({ page, browser }) => {
  test.slow()
  const title = `数控机床热误差补偿技术许可 ${uniqueTag()}`

  // ── The broker drafts ──────────────────────────────────────────────────────────────
  await page.goto('/login')
  await fillSignIn(page, DEMO.broker.email, DEMO_PASSWORD)
  await header(page).getByRole('link', { name: '合同' }).click()
  await main(page).getByRole('link', { name: '起草合同' }).click()
  await expect(page).toHaveURL('/contracts/new')
  const picker = main(page).getByRole('form', { name: '按需求和成果起草' })
  await picker.getByLabel('技术需求或应用场景（买方）').selectOption({ label: `${DEMAND}（重庆永锋精密机械有限公司）` })
  await picker.getByLabel('科技成果（卖方）').selectOption({ label: `${ACHIEVEMENT}（渝西理工大学）` })
  await picker.getByRole('button', { name: '带入合同' }).click()
  await expect(page).toHaveURL(/\/contracts\/new\?need=demand%3A.+&achievement=/)

  const form = main(page)
  await expect(form.getByText(`技术需求：${DEMAND}`)).toBeVisible()
  // the parties, the classification and the IP come from the listings
  await expect(form.getByLabel('卖方（技术提供方）')).toHaveValue(/.+/)
  await expect(form.getByLabel('卖方（技术提供方）').locator('option:checked')).toHaveText(/^渝西理工大学/)
  await expect(form.getByLabel('买方（技术受让方）').locator('option:checked')).toHaveText(/^重庆永锋精密机械有限公司/)
  await expect(form.getByLabel('合同类型')).toHaveValue('LICENSE')
  await expect(form.getByLabel('知识产权编号')).toHaveValue('ZL202210345678.1')
  await form.getByLabel('合同名称').fill(title)
  await form.getByLabel('合同子类').selectOption('LICENSE_PATENT')
  await form.getByLabel('许可方式').selectOption({ label: '普通许可' })
  await form.getByLabel('合同成交额（元）').fill('1800000')
  await form.getByLabel('技术交易额（元）').fill('1700000')
  await form.getByLabel('支付方式').selectOption({ label: '分期支付' })
  const rows = form.getByRole('listitem').filter({ has: page.getByLabel('应付日期') })
  await rows.nth(0).getByLabel('付款节点').fill('合同生效后首付款')
  await rows.nth(0).getByLabel('应付日期').fill('2027-01-15')
  await rows.nth(0).getByLabel('金额（元）').fill('800000')
  await rows.nth(1).getByLabel('付款节点').fill('验收后尾款')
  await rows.nth(1).getByLabel('应付日期').fill('2027-06-30')
  await rows.nth(1).getByLabel('金额（元）').fill('900000')
  await form.getByLabel('合同主要条款').fill('第一条 许可范围：许可方许可被许可方在重庆市范围内实施发明专利 ZL202210345678.1。\n第二条 许可费分两期支付。')

  // milestones that do not add up are refused, on the milestone table, and nothing is saved
  await form.getByRole('button', { name: '保存并发送双方确认' }).click()
  await expect(form.getByText('付款节点合计 ¥1,700,000，与合同成交额 ¥1,800,000 不一致')).toBeVisible()
  await expect(page).toHaveURL(/\/contracts\/new/)
  await rows.nth(1).getByLabel('金额（元）').fill('1000000')
  await form.getByRole('button', { name: '保存并发送双方确认' }).click()

  await expect(page).toHaveURL(/\/contracts\/c[a-z0-9]+$/)
  await expect(page.getByRole('status')).toContainText('已发送双方确认')
  const number = (await main(page).getByTestId('contract-number').innerText()).trim()
  expect(number).toMatch(/^KZ-\d{4}-\d{6}$/)
  await expect(main(page).getByText('待双方确认').first()).toBeVisible()
  await expect(main(page).getByText('经纪人 李经纪（渝西技术转移服务中心）', { exact: false })).toBeVisible()
  // the broker is no party: no confirm button for them
  await expect(main(page).getByRole('button', { name: /确认第 1 版条款/ })).toHaveCount(0)

  // ── The seller's administrator confirms version 1 ─────────────────────────────────
  const seller = await signedIn(browser, DEMO.supplier.email)
  await openContract(seller, title)
  await main(seller).getByLabel(/我代表卖方确认：已阅读并同意第 1 版全部条款/).check()
  await main(seller).getByRole('button', { name: '确认第 1 版条款' }).click()
  await expect(seller.getByRole('status')).toContainText(`已确认合同 ${number} 的条款，等待另一方确认`)
  await expect(main(seller).getByTestId('confirmations').locator('[data-party="SELLER"]')).toContainText(`${DEMO.supplier.name} 于`)

  // ── The buyer's administrator confirms the same version: signed ─────────────────────
  const buyer = await signedIn(browser, DEMO.enterprise.email)
  await openContract(buyer, title)
  await main(buyer).getByLabel(/我代表买方确认/).check()
  await main(buyer).getByRole('button', { name: '确认第 1 版条款' }).click()
  await expect(buyer.getByRole('status')).toContainText(`双方均已确认，合同 ${number} 已签署`)
  await expect(main(buyer).getByText('已签署').first()).toBeVisible()
  await expect(main(buyer).getByRole('button', { name: '提交认定登记' })).toHaveCount(0)

  // ── The seller submits it for registration ────────────────────────────────────────
  await seller.reload()
  await main(seller).getByRole('button', { name: '提交认定登记' }).click()
  await expect(seller.getByRole('status')).toContainText(`合同 ${number} 已提交认定登记`)
  await signOff(seller)
  await signOff(buyer)

  // ── The bureau registers it, correcting the technical transaction amount ───────────
  const bureau = await signedIn(browser, DEMO.bureau.email)
  await header(bureau).getByRole('link', { name: '合同' }).click()
  await main(bureau).getByRole('link', { name: '登记队列' }).click()
  await expect(bureau).toHaveURL('/registration')
  const card = main(bureau).locator(`[data-contract="${number}"]`)
  await expect(card.getByTestId('checklist').locator('[data-ok="false"]')).toHaveCount(0)
  await card.getByRole('link', { name: `审核登记 ${number}` }).click()
  await expect(main(bureau).getByRole('heading', { name: '合同认定登记' })).toBeVisible()
  const registrationNumber = await main(bureau).getByLabel('登记编号').inputValue()
  expect(registrationNumber).toMatch(/^\d{4}500118\d{6}$/)
  await main(bureau).getByLabel('认定技术交易额（元）').fill('1900000')
  await main(bureau).getByRole('button', { name: '予以登记' }).click()
  await expect(main(bureau).getByText('技术交易额不能高于合同成交额')).toBeVisible()
  await main(bureau).getByLabel('认定技术交易额（元）').fill('1650000')
  await main(bureau).getByRole('button', { name: '予以登记' }).click()
  await expect(bureau).toHaveURL('/registration')
  await expect(bureau.getByRole('status')).toContainText(`合同 ${number} 已登记，登记编号 ${registrationNumber}`)
  await expect(main(bureau).locator(`[data-contract="${number}"]`)).toHaveCount(0)

  await openContract(bureau, title)
  await expect(main(bureau).getByText('已登记').first()).toBeVisible()
  await expect(main(bureau).getByText(registrationNumber)).toBeVisible()
  await expect(main(bureau).getByText('¥1,650,000').first()).toBeVisible()

  // the printable registration form carries it, without the site's navigation on paper
  await main(bureau).getByRole('link', { name: '打印认定登记表' }).click()
  await expect(main(bureau).getByRole('heading', { name: '技术合同认定登记表' })).toBeVisible()
  await expect(main(bureau).getByText(registrationNumber)).toBeVisible()
  await bureau.emulateMedia({ media: 'print' })
  await expect(header(bureau)).toBeHidden()
  await expect(main(bureau).getByText('¥1,650,000')).toBeVisible()
  await signOff(bureau)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the seller’s administrator drafts with a row added by the server, sees field errors, and sends the draft', async ({ page }) => {
    const title = `热误差补偿专利权转让 ${uniqueTag()}`
    await page.goto('/login')
    await fillSignIn(page, DEMO.supplier.email, DEMO_PASSWORD)
    await page.goto('/contracts/new')
    const picker = main(page).getByRole('form', { name: '按需求和成果起草' })
    await picker.getByLabel('技术需求或应用场景（买方）').selectOption({ label: `${DEMAND}（重庆永锋精密机械有限公司）` })
    await picker.getByLabel('科技成果（卖方）').selectOption({ label: `${ACHIEVEMENT}（渝西理工大学）` })
    await picker.getByRole('button', { name: '带入合同' }).click()

    const form = main(page)
    // the seller is the drafter's own organisation, not a choice
    await expect(form.getByText('渝西理工大学（重庆市永川区）')).toBeVisible()
    await form.getByLabel('合同名称').fill(title)
    await form.getByLabel('合同类型').selectOption({ label: '技术转让' })
    await form.getByLabel('合同子类').selectOption({ label: '专利权转让' })
    await form.getByLabel('许可方式').selectOption({ label: '不适用（非许可合同）' })
    await form.getByLabel('合同成交额（元）').fill('1200000')
    await form.getByLabel('技术交易额（元）').fill('1300000')
    await form.getByLabel('支付方式').selectOption({ label: '分期支付' })
    const rows = form.getByRole('listitem').filter({ has: page.getByLabel('应付日期') })
    await expect(rows).toHaveCount(3)
    await form.getByRole('button', { name: '+ 添加一行' }).click()
    await expect(rows).toHaveCount(4)
    // what was typed before the round trip is still there
    await expect(form.getByLabel('合同名称')).toHaveValue(title)
    for (const [i, [label, day, amount]] of [
      ['首付款', '2027-01-10', '300000'],
      ['中期付款', '2027-03-10', '300000'],
      ['验收付款', '2027-06-10', '300000'],
      ['尾款', '2027-09-10', '300000'],
    ].entries()) {
      await rows.nth(i).getByLabel('付款节点').fill(label!)
      await rows.nth(i).getByLabel('应付日期').fill(day!)
      await rows.nth(i).getByLabel('金额（元）').fill(amount!)
    }
    await form.getByLabel('合同主要条款').fill('第一条 转让标的：发明专利 ZL202210345678.1 的专利权。')
    await form.getByRole('button', { name: '保存并发送双方确认' }).click()
    await expect(form.getByLabel('技术交易额（元）')).toHaveAccessibleDescription(/技术交易额不能高于合同成交额/)

    await form.getByLabel('技术交易额（元）').fill('1200000')
    await form.getByRole('button', { name: '保存并发送双方确认' }).click()
    await expect(page).toHaveURL(/\/contracts\/c[a-z0-9]+$/)
    await expect(page.getByRole('status')).toContainText('已发送双方确认')
    await expect(main(page).getByRole('heading', { level: 1, name: title })).toBeVisible()
    await expect(main(page).getByRole('cell', { name: '尾款' })).toBeVisible()

    // confirming needs the box ticked: the browser asks for it, and then it goes through
    await main(page).getByLabel(/我代表卖方确认/).check()
    await main(page).getByRole('button', { name: '确认第 1 版条款' }).click()
    await expect(page.getByRole('status')).toContainText('等待另一方确认')
    await expect(main(page).getByTestId('confirmations').locator('[data-party="SELLER"]')).toHaveAttribute('data-confirmed', 'true')
  })
})
