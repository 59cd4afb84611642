import { expect, test } from '@playwright/test'
import { DEMO, main } from './helpers'
import { anonymous, flash, signedIn, uniqueTitle } from './listings-support'

test('the bureau creates a batch, adds a scenario and publishes the batch; visitors find it', async ({ browser }) => {
  const { tag, title } = uniqueTitle('园区无人配送应用场景')
  const number = `E2E第${tag}批`

  const bureau = await signedIn(browser, DEMO.bureau.email)
  await bureau.goto('/scenario-batches')
  await main(bureau).getByLabel('批次编号').fill(number)
  await main(bureau).getByLabel('批次名称').fill('永川区城市机会清单')
  await main(bureau).getByRole('button', { name: '创建批次' }).click()
  await expect(flash(bureau)).toContainText(`已创建批次：${number}`)

  // The same number again is refused on its field.
  await main(bureau).getByLabel('批次编号').fill(number)
  await main(bureau).getByLabel('批次名称').fill('重复的批次')
  await main(bureau).getByRole('button', { name: '创建批次' }).click()
  await expect(main(bureau)).toContainText('该批次编号已存在')

  const batch = main(bureau).getByTestId('batch').filter({ hasText: number })
  await expect(batch).toContainText('未发布')
  await batch.getByRole('link', { name: '添加场景' }).click()
  await expect(bureau).toHaveURL(/\/scenarios\/new\?batch=/)
  const form = main(bureau)
  await expect(form.getByLabel('所属批次')).toHaveValue(/.+/)
  await form.getByLabel('标题', { exact: true }).fill(title)
  await form.getByLabel('场景描述').fill('开放凤凰湖产业园区道路，征集无人配送车辆的示范运营方案。')
  await form.getByLabel('应用行业').selectOption({ label: '智能装备' })
  await form.getByLabel('预算（元）').fill('800000')
  await form.getByRole('button', { name: '保存草稿' }).click()
  await expect(flash(bureau)).toContainText(`已保存草稿：${title}`)
  await expect(main(bureau).locator('[data-status]').first()).toHaveText('草稿')
  const detailUrl = new URL(bureau.url()).pathname

  await bureau.goto('/scenario-batches')
  const again = main(bureau).getByTestId('batch').filter({ hasText: number })
  await expect(again).toContainText('1 项待发布')
  await again.getByRole('button', { name: '发布本批次' }).click()
  await expect(flash(bureau)).toContainText(`已发布批次 ${number}，共 1 项场景`)
  await expect(main(bureau).getByTestId('batch').filter({ hasText: number })).toContainText('已于')

  const visitor = await anonymous(browser)
  await visitor.goto('/scenarios')
  const filters = main(visitor).getByRole('form', { name: '筛选条件' })
  await filters.getByLabel('应用行业').selectOption({ label: '智能装备' })
  await filters.getByLabel('关键词').fill(tag)
  await filters.getByRole('button', { name: '筛选', exact: true }).click()
  await expect(visitor).toHaveURL(/industry=INTELLIGENT_EQUIPMENT/)
  const card = main(visitor).getByRole('article').filter({ hasText: title })
  await expect(card).toContainText('¥80万')
  await card.getByRole('link', { name: title }).click()
  await expect(visitor).toHaveURL(detailUrl)
  await expect(main(visitor)).toContainText(`${number} · 永川区城市机会清单`)
  await expect(main(visitor)).toContainText('已发布')
})
