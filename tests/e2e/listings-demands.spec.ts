import { expect, test } from '@playwright/test'
import { DEMO, main } from './helpers'
import { anonymous, approveInReview, BROKER_EMAIL, flash, signedIn, uniqueTitle } from './listings-support'

test('a confidential demand is published with its details hidden from visitors and shown to brokers', async ({ browser }) => {
  const { tag, title } = uniqueTitle('压铸件气孔在线检测')
  const situation = `目前靠人工抽检，漏检率约 5%（${tag}）`

  const enterprise = await signedIn(browser, DEMO.enterprise.email)
  await enterprise.goto('/demands')
  await main(enterprise).getByRole('link', { name: '发布需求' }).click()
  const form = main(enterprise)
  await form.getByLabel('标题', { exact: true }).fill(title)
  await form.getByLabel('需求描述').fill('铝合金压铸件气孔率偏高，需要一套可在线部署的无损检测方案。')
  await form.getByLabel('现状').fill(situation)
  await form.getByLabel('目标指标').fill('检出率 ≥ 99%，节拍 ≤ 20 秒')
  await form.getByRole('checkbox', { name: '详细信息保密' }).check()
  await form.getByLabel('技术领域').selectOption({ label: '先进制造与自动化' })
  await form.getByLabel('所属产业').selectOption({ label: '汽车及零部件' })
  await form.getByRole('checkbox', { name: '合作开发' }).check()
  await form.getByLabel('预算（元）').fill('500000')
  await form.getByLabel('截止日期').fill('2099-12-31')
  await form.getByRole('button', { name: '提交审核' }).click()
  await expect(flash(enterprise)).toContainText(`已提交审核：${title}`)
  const detailUrl = new URL(enterprise.url()).pathname
  expect(detailUrl).toMatch(/^\/demands\/[a-z0-9]+$/)
  // The owner sees its own details.
  await expect(main(enterprise)).toContainText(situation)

  const bureau = await signedIn(browser, DEMO.bureau.email)
  await approveInReview(bureau, 'demand', tag, title)

  // A visitor finds it by field, sees the public part and the notice instead of the details.
  const visitor = await anonymous(browser)
  await visitor.goto('/demands')
  const filters = main(visitor).getByRole('form', { name: '筛选条件' })
  await filters.getByLabel('技术领域').selectOption({ label: '先进制造与自动化' })
  await filters.getByLabel('关键词').fill(tag)
  await filters.getByRole('button', { name: '筛选', exact: true }).click()
  await expect(visitor).toHaveURL(/field=ADVANCED_MANUFACTURING/)
  const card = main(visitor).getByRole('article').filter({ hasText: title })
  await expect(card).toContainText('¥50万')
  await expect(card).toContainText('截止 2099/12/31')
  await expect(card).toContainText('详情保密')
  await card.getByRole('link', { name: title }).click()
  await expect(visitor).toHaveURL(detailUrl)
  await expect(main(visitor)).toContainText('铝合金压铸件气孔率偏高')
  await expect(main(visitor).getByTestId('details-hidden')).toContainText('详细信息仅对需求方、技术经纪人和区科技局可见')
  await expect(main(visitor)).not.toContainText(situation)
  await expect(main(visitor)).not.toContainText('检出率')

  // A broker sees the details.
  const broker = await signedIn(browser, BROKER_EMAIL)
  await broker.goto(detailUrl)
  await expect(main(broker)).toContainText(situation)
  await expect(main(broker)).toContainText('检出率 ≥ 99%')
  await expect(main(broker).getByTestId('details-hidden')).toHaveCount(0)
})
