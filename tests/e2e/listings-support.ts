import { expect, type Browser, type Page } from '@playwright/test'
import { DEMO, DEMO_PASSWORD, main, uniqueTag } from './helpers'

/** Shared steps of the listings specs: each person in a browser context of their own. */

export const BROKER_EMAIL = DEMO.broker.email
export const ADMIN_EMAIL = 'admin@demo.kezhuan.cn'

export async function signedIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto('/login')
  await main(page).getByLabel('电子邮箱').fill(email)
  await main(page).getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD)
  await main(page).getByRole('button', { name: '登录' }).click()
  await expect(page).toHaveURL('/')
  return page
}

export async function anonymous(browser: Browser): Promise<Page> {
  const context = await browser.newContext()
  return context.newPage()
}

/** A title no other test (or the demo data) uses, findable by keyword. */
export function uniqueTitle(prefix: string) {
  const tag = uniqueTag()
  return { tag, title: `${prefix} ${tag}` }
}

export function flash(page: Page) {
  return page.getByRole('status').first()
}

/** Fills the achievement form; `over` replaces single fields (undefined leaves a field empty). */
export async function fillAchievement(page: Page, title: string, over: { trl?: string | null; price?: string } = {}) {
  const form = main(page)
  await form.getByLabel('标题', { exact: true }).fill(title)
  await form.getByLabel('成果简介').fill('一种耐高温、低成本的碳化硅陶瓷基复合材料制备工艺，已完成中试验证。')
  await form.getByLabel('关键词').fill('碳化硅; 陶瓷基复合材料')
  await form.getByLabel('技术领域').selectOption({ label: '新材料' })
  await form.getByLabel('所属产业').selectOption({ label: '能源及新材料' })
  if (over.trl !== null) await form.getByLabel('技术成熟度').selectOption(over.trl ?? '6')
  await form.getByRole('checkbox', { name: '许可' }).check()
  await form.getByRole('checkbox', { name: '转让' }).check()
  await form.getByLabel('意向价格（元）').fill(over.price ?? '1200000')
  await form.getByLabel('保密信息').fill('烧结温度曲线与配方比例（保密）')
}

/** The bureau finds the listing in its review queue and approves it. */
export async function approveInReview(page: Page, kind: 'achievement' | 'demand' | 'scenario', tag: string, title: string) {
  await page.goto(`/review?kind=${kind}&q=${tag}`)
  const row = main(page).getByTestId('review-row').filter({ hasText: title })
  await expect(row).toHaveCount(1)
  await row.getByRole('button', { name: '通过' }).click()
  await expect(flash(page)).toContainText(`已通过并发布：${title}`)
  await expect(main(page).getByTestId('review-row').filter({ hasText: title })).toHaveCount(0)
}
