import type { Page } from '@playwright/test'
import { DEMO, DEMO_PASSWORD, expect, fillSignIn, header, main, test, waitForHydration } from './helpers'

/**
 * The broker's pipeline in the browser: the board, a stage move from a card, a next step, a
 * lost deal without a reason, and a deal started from a demand with a candidate from its
 * match list, introduced. Each test works on demo deals of its own (app/domain/deals/demo.server.ts)
 * and leaves the demo enterprise's free demands (DEMO-D001, DEMO-D002) to other specs.
 */

const INTRODUCED_DEAL = '光伏屋顶组件积灰清洗' // DEMO-D014, at 已引荐
const OVERDUE_DEAL = '冷泡茶饮料保质期延长' // DEMO-D015, at 已引荐, next step overdue
const FREE_DEMAND = '竹制品边角料综合利用' // DEMO-D017, unclaimed, with matches
const MATCHED = '竹纤维可降解餐具模压成型工艺' // DEMO-A027, 渝西理工大学

async function signInAsBroker(page: Page) {
  await page.goto('/login')
  await fillSignIn(page, DEMO.broker.email, DEMO_PASSWORD)
  await expect(header(page).getByRole('button', { name: '退出' })).toBeVisible()
}

function card(page: Page, title: string) {
  return main(page).getByTestId('deal-card').filter({ has: page.getByRole('link', { name: title, exact: true }) })
}

test('the broker moves a deal on the board and sets its next step', async ({ page }) => {
  await signInAsBroker(page)
  await header(page).getByRole('link', { name: '项目', exact: true }).click()
  await expect(page).toHaveURL('/deals')
  await expect(main(page).getByRole('heading', { level: 1, name: '项目' })).toBeVisible()
  await main(page).getByRole('link', { name: '项目看板' }).click()
  await expect(page).toHaveURL('/deals/board')

  // Every stage has a column; the overdue deal is flagged on its card.
  const columns = main(page).locator('[data-column]')
  await expect(columns).toHaveCount(9)
  await expect(card(page, OVERDUE_DEAL)).toContainText('已逾期')

  // Move the introduced deal to the NDA stage with its card's form.
  const introduced = card(page, INTRODUCED_DEAL)
  await expect(main(page).locator('[data-column="INTRODUCED"]').getByRole('link', { name: INTRODUCED_DEAL })).toBeVisible()
  const number = await introduced.getAttribute('data-deal')
  await introduced.getByRole('combobox', { name: `将项目 ${number} 移至` }).selectOption({ label: '保密协议' })
  await introduced.getByRole('button', { name: '移动' }).click()
  await expect(page.getByRole('status')).toContainText(`项目 ${number} 已进入“保密协议”阶段`)
  await expect(main(page).locator('[data-column="NDA"]').getByRole('link', { name: INTRODUCED_DEAL })).toBeVisible()

  // Open it and set a new next step.
  await card(page, INTRODUCED_DEAL).getByRole('link', { name: INTRODUCED_DEAL }).click()
  await expect(main(page).getByRole('heading', { level: 1, name: INTRODUCED_DEAL })).toBeVisible()
  await expect(main(page).getByTestId('deal-number')).toHaveText(number!)
  const form = main(page).getByRole('form', { name: '下一步' })
  const due = form.getByLabel('截止日期')

  // A due date in the past is refused by the server in words (the browser's own check removed).
  await form.getByLabel('下一步').fill('组织双方签署保密协议')
  await due.evaluate((el) => el.removeAttribute('min'))
  await due.fill('2020-01-01')
  await form.getByRole('button', { name: '保存下一步' }).click()
  await expect(form.getByText('截止日期不能早于今天')).toBeVisible()
  await expect(main(page).getByTestId('next-step')).not.toContainText('组织双方签署保密协议')

  const inAWeek = new Date(Date.now() + 7 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10)
  await main(page).getByRole('form', { name: '下一步' }).getByLabel('截止日期').fill(inAWeek)
  await main(page).getByRole('form', { name: '下一步' }).getByRole('button', { name: '保存下一步' }).click()
  await expect(page.getByRole('status')).toContainText('已更新下一步')
  await expect(main(page).getByTestId('next-step')).toContainText('组织双方签署保密协议')
  await expect(main(page).getByTestId('next-step')).not.toContainText('已逾期')
})

test('a deal marked lost needs a reason', async ({ page }) => {
  await signInAsBroker(page)
  await page.goto('/deals?q=' + encodeURIComponent(OVERDUE_DEAL))
  await main(page).getByRole('link', { name: OVERDUE_DEAL }).click()
  await expect(main(page).getByTestId('deal-flags').locator('[data-flag="overdue"]')).toContainText('下一步已逾期')

  await main(page).getByText('标记为未成交……').click()
  await main(page).getByRole('button', { name: '确认未成交' }).click()
  await expect(main(page).getByText('请填写未成交原因')).toBeVisible()
  // Nothing changed: still introduced.
  await expect(main(page).locator('header [data-stage]')).toHaveText('已引荐')
})

test('the broker starts a deal from a demand, adds a match and introduces it', async ({ page }) => {
  await signInAsBroker(page)
  await page.goto('/demands')
  await main(page).getByLabel('关键词').fill(FREE_DEMAND)
  await main(page).getByRole('button', { name: '筛选' }).click()
  await main(page).getByRole('link', { name: FREE_DEMAND }).click()
  await expect(main(page).getByRole('heading', { level: 1, name: FREE_DEMAND })).toBeVisible()

  const entry = main(page).getByTestId('deal-entry')
  await expect(entry).toContainText('发起项目即认领')
  await entry.getByRole('link', { name: '发起项目' }).click()
  await expect(page).toHaveURL(/\/deals\/new\?demand=/)
  await expect(main(page).getByText('发起项目即认领该需求')).toBeVisible()
  // The first next step is required.
  await main(page).getByRole('button', { name: '发起项目' }).click()
  await expect(main(page).getByText('此项必填')).toBeVisible()
  await main(page).getByLabel('下一步').fill('上门了解边角料种类和年产量')
  await main(page).getByRole('button', { name: '发起项目' }).click()
  await expect(page).toHaveURL(/\/deals\/c[a-z0-9]+$/)
  await expect(page.getByRole('status')).toContainText(/已发起项目 D-\d{4}-\d{6}/)
  await expect(main(page).locator('header [data-stage]')).toHaveText('线索')

  // Add the university's achievement from the match list, then introduce it.
  const option = main(page).getByTestId('match-option').filter({ has: page.getByRole('link', { name: MATCHED }) })
  await option.getByRole('button', { name: `加入候选：${MATCHED}` }).click()
  await expect(page.getByRole('status')).toContainText('已加入候选成果')
  const candidate = main(page).getByTestId('candidate').filter({ has: page.getByRole('link', { name: MATCHED }) })
  await expect(candidate).toContainText('候选名单')
  await candidate.getByRole('button', { name: `引荐：${MATCHED}` }).click()
  await expect(page.getByRole('status')).toContainText('已引荐')
  await expect(main(page).locator('header [data-stage]')).toHaveText('已引荐')
  await expect(main(page).getByTestId('candidate').filter({ has: page.getByRole('link', { name: MATCHED }) })).toContainText(/已引荐/)

  // The demand's page now shows the broker's deal.
  await page.goBack()
  await page.goto('/demands')
  await main(page).getByLabel('关键词').fill(FREE_DEMAND)
  await main(page).getByRole('button', { name: '筛选' }).click()
  await main(page).getByRole('link', { name: FREE_DEMAND }).click()
  await expect(main(page).getByTestId('deal-entry')).toContainText('您正在跟进的项目')
})

test('with scripts, a card may also be dragged to a column it may move to', async ({ page }) => {
  const SCENARIO_DEAL = '丘陵茶园智慧管理示范' // DEMO-S004, at 线索, one candidate considered
  await signInAsBroker(page)
  await page.goto('/deals/board')
  await waitForHydration(page)
  const source = card(page, SCENARIO_DEAL)
  const number = await source.getAttribute('data-deal')
  await source.dragTo(main(page).locator('[data-column="SHORTLISTED"]'))
  await expect(page.getByRole('status')).toContainText(`项目 ${number} 已进入“已筛选”阶段`)
  await expect(main(page).locator('[data-column="SHORTLISTED"]').getByRole('link', { name: SCENARIO_DEAL })).toBeVisible()
})
