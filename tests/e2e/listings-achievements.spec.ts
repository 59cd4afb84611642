import { expect, test } from '@playwright/test'
import { DEMO, main } from './helpers'
import { anonymous, approveInReview, fillAchievement, flash, signedIn, uniqueTitle } from './listings-support'

test('an achievement goes from the supplier through review to a visitor who finds it by field', async ({ browser }) => {
  const { tag, title } = uniqueTitle('碳化硅陶瓷基复合材料')

  // The supplier posts it and submits it for review.
  const supplier = await signedIn(browser, DEMO.supplier.email)
  await supplier.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '我的发布' }).click()
  await main(supplier).getByRole('link', { name: '发布成果' }).click()
  await expect(supplier).toHaveURL('/achievements/new')
  await fillAchievement(supplier, title)
  await main(supplier).getByRole('button', { name: '提交审核' }).click()
  await expect(supplier).toHaveURL(/\/achievements\/[a-z0-9]+$/)
  await expect(flash(supplier)).toContainText(`已提交审核：${title}`)
  await expect(main(supplier).getByRole('heading', { level: 1 })).toHaveText(title)
  await expect(main(supplier).locator('[data-status]').first()).toHaveText('待审核')
  const detailUrl = new URL(supplier.url()).pathname

  // Not public while it waits.
  const early = await anonymous(browser)
  expect((await early.goto(detailUrl))?.status()).toBe(404)

  // The bureau approves it in /review.
  const bureau = await signedIn(browser, DEMO.bureau.email)
  await approveInReview(bureau, 'achievement', tag, title)

  // A visitor finds it by field and keyword and opens it.
  const visitor = await anonymous(browser)
  await visitor.goto('/achievements')
  const filters = main(visitor).getByRole('form', { name: '筛选条件' })
  await filters.getByLabel('技术领域').selectOption({ label: '新材料' })
  await filters.getByLabel('关键词').fill(tag)
  await filters.getByRole('button', { name: '筛选', exact: true }).click()
  await expect(visitor).toHaveURL(/field=NEW_MATERIALS/)
  await expect(visitor).toHaveURL(new RegExp(`q=${tag}`))
  await expect(main(visitor).getByTestId('result-count')).toHaveText('共 1 项')
  const card = main(visitor).getByRole('article').filter({ hasText: title })
  await expect(card).toContainText('¥120万')
  await expect(card).toContainText('新材料')
  await expect(card).toContainText('TRL 6')
  await card.getByRole('link', { name: title }).click()
  await expect(visitor).toHaveURL(detailUrl)
  const detail = main(visitor)
  await expect(detail.getByRole('heading', { level: 1 })).toHaveText(title)
  await expect(detail).toContainText('已发布')
  await expect(detail).toContainText('6 · 相关环境中样机演示')
  await expect(detail).toContainText('转让、许可')
  await expect(detail).toContainText('渝西理工大学')
  // Confidential details and contacts stay with the owner, brokers and the bureau.
  await expect(detail).not.toContainText('烧结温度曲线')
  await expect(detail).toContainText('联系方式仅对技术经纪人和区科技局开放')
  await expect(detail.getByRole('button')).toHaveCount(0)

  // Another field does not show it.
  await visitor.goto(`/achievements?field=ELECTRONIC_INFORMATION&q=${tag}`)
  await expect(main(visitor).getByTestId('result-count')).toHaveText('共 0 项')
  await expect(main(visitor)).toContainText('没有符合筛选条件的科技成果。')

  // The owner still sees the confidential details.
  await supplier.goto(detailUrl)
  await expect(main(supplier)).toContainText('烧结温度曲线')
})

test('a listing sent back shows the reason to its owner, who fixes and resubmits it', async ({ browser }) => {
  const { tag, title } = uniqueTitle('退回测试成果')
  const supplier = await signedIn(browser, DEMO.supplier.email)
  await supplier.goto('/achievements/new')
  await fillAchievement(supplier, title)
  await main(supplier).getByRole('button', { name: '提交审核' }).click()
  await expect(flash(supplier)).toContainText('已提交审核')
  const detailUrl = new URL(supplier.url()).pathname

  const bureau = await signedIn(browser, DEMO.bureau.email)
  await bureau.goto(`/review?kind=achievement&q=${tag}`)
  const row = main(bureau).getByTestId('review-row').filter({ hasText: title })
  await row.getByText('退回…').click()
  // A reason is required.
  await row.getByRole('button', { name: '确认退回' }).click()
  await expect(main(bureau).getByTestId('review-row').filter({ hasText: title })).toContainText('请填写退回理由')
  const again = main(bureau).getByTestId('review-row').filter({ hasText: title })
  await again.getByLabel('退回理由（发布方会看到）').fill('请补充中试阶段的性能测试数据')
  await again.getByRole('button', { name: '确认退回' }).click()
  await expect(flash(bureau)).toContainText(`已退回：${title}`)

  // The owner sees the status and the reason, on the listing and in 我的发布.
  await supplier.goto(detailUrl)
  await expect(main(supplier).locator('[data-status]').first()).toHaveText('未通过')
  await expect(main(supplier).getByTestId('reject-reason')).toHaveText('请补充中试阶段的性能测试数据')
  await supplier.goto('/my/listings?status=REJECTED')
  const item = main(supplier).getByRole('listitem').filter({ hasText: title })
  await expect(item).toContainText('请补充中试阶段的性能测试数据')
  await item.getByRole('link', { name: '修改' }).click()
  await expect(main(supplier).getByLabel('标题', { exact: true })).toHaveValue(title)
  await expect(main(supplier).getByLabel('意向价格（元）')).toHaveValue('1200000')
  await expect(main(supplier).getByRole('checkbox', { name: '许可' })).toBeChecked()
  await main(supplier).getByLabel('成果简介').fill('一种耐高温、低成本的碳化硅陶瓷基复合材料制备工艺，中试样件弯曲强度 420 MPa。')
  await main(supplier).getByRole('button', { name: '提交审核' }).click()
  await expect(flash(supplier)).toContainText(`已提交审核：${title}`)
  await expect(main(supplier).locator('[data-status]').first()).toHaveText('待审核')
  await expect(main(supplier)).toContainText('420 MPa')
})

test('the form reports a missing readiness level and a negative price on their fields', async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled })
    const page = await context.newPage()
    await page.goto('/login')
    await main(page).getByLabel('电子邮箱').fill(DEMO.supplier.email)
    await main(page).getByLabel('密码', { exact: true }).fill('kezhuan-demo')
    await main(page).getByRole('button', { name: '登录' }).click()
    await expect(page).toHaveURL('/')
    await page.goto('/achievements/new')
    const { title } = uniqueTitle('错误输入')
    await fillAchievement(page, title, { trl: null, price: '-5' })
    const response = javaScriptEnabled ? null : page.waitForResponse((r) => r.request().method() === 'POST')
    await main(page).getByRole('button', { name: '提交审核' }).click()
    if (response) expect((await response).status()).toBe(400)
    const form = main(page)
    await expect(form.getByLabel('技术成熟度')).toHaveAttribute('aria-invalid', 'true')
    await expect(form.getByText('技术成熟度应为 1—9 的整数')).toBeVisible()
    await expect(form.getByText('金额不能为负数')).toBeVisible()
    // What was typed is kept, and nothing was created.
    await expect(form.getByLabel('标题', { exact: true })).toHaveValue(title)
    await expect(page).toHaveURL('/achievements/new')
    await context.close()
  }
})

test('wrong roles get 403; visitors are asked to sign in', async ({ browser }) => {
  const supplier = await signedIn(browser, DEMO.supplier.email)
  expect((await supplier.goto('/review'))?.status()).toBe(403)
  expect((await supplier.goto('/demands/new'))?.status()).toBe(403)
  expect((await supplier.goto('/scenario-batches'))?.status()).toBe(403)
  await expect(main(supplier)).toContainText('没有权限')
  // The supplier's own pages are in the second row of the header, without the bureau's review.
  const workspace = supplier.getByRole('navigation', { name: '工作台' })
  await expect(workspace.getByRole('link', { name: '我的发布' })).toBeVisible()
  await expect(workspace.getByRole('link', { name: '审核' })).toHaveCount(0)

  const visitor = await anonymous(browser)
  await visitor.goto('/my/listings')
  await expect(visitor).toHaveURL(/\/login\?redirectTo=%2Fmy%2Flistings/)
  await expect(visitor.getByRole('navigation', { name: '工作台' })).toHaveCount(0)
  expect((await visitor.goto('/achievements/no-such-listing'))?.status()).toBe(404)
})

test('invalid filters are dropped with a notice, valid ones still apply', async ({ page }) => {
  await page.goto('/achievements?field=NEW_MATERIALS&trlMin=0&priceMax=abc&sort=nonsense')
  await expect(main(page).getByRole('status')).toContainText('以下筛选条件无效，已忽略：技术成熟度、意向价格、排序')
  await expect(main(page).getByLabel('技术领域')).toHaveValue('NEW_MATERIALS')
  await expect(main(page).getByLabel('最低').first()).toHaveValue('')
  const csv = main(page).getByRole('link', { name: '导出 CSV' })
  await expect(csv).toHaveAttribute('href', '/export/achievements?format=csv&field=NEW_MATERIALS')
  await expect(main(page).getByRole('link', { name: '导出 Excel' })).toHaveAttribute('href', '/export/achievements?format=xlsx&field=NEW_MATERIALS')
})
