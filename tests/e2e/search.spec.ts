import type { Page } from '@playwright/test'
import { expect, test, main } from './helpers'

// The search page over the demo data: tabs per kind with counts, facet filters, a plain form
// without JavaScript. The counts shown must agree with the results they lead to.

const tabs = (page: Page) => main(page).getByRole('navigation', { name: '类别' })
const count = async (page: Page, kind: 'achievement' | 'demand' | 'scenario') => Number(await tabs(page).getByTestId(`count-${kind}`).innerText())
const total = async (page: Page) => Number((await main(page).getByTestId('result-total').innerText()).match(/\d+/)![0])

test('the tabs count each kind, and a tab and a facet lead to as many results as they promised', async ({ page }) => {
  await page.goto('/search?q=检测')
  const achievements = await count(page, 'achievement')
  const demands = await count(page, 'demand')
  expect(achievements).toBeGreaterThan(0)
  expect(demands).toBeGreaterThan(0)
  expect(await total(page)).toBe(achievements + demands + (await count(page, 'scenario')))

  await tabs(page).getByRole('link', { name: /科技成果/ }).click()
  await expect(page).toHaveURL(/kind=achievement/)
  await expect(tabs(page).getByRole('link', { name: /科技成果/ })).toHaveAttribute('aria-current', 'page')
  expect(await total(page)).toBe(achievements)
  // The other tabs still count their own kind.
  expect(await count(page, 'demand')).toBe(demands)
  const items = main(page).getByRole('listitem').filter({ has: page.locator('h3') })
  await expect(items).toHaveCount(achievements)
  for (const item of await items.all()) await expect(item).toContainText('科技成果')

  const filters = main(page).getByRole('complementary', { name: '筛选' })
  const facet = filters.locator('a[aria-pressed="false"]').first()
  const promised = Number((await facet.locator('span').last().innerText()).trim())
  await facet.click()
  await expect(page).toHaveURL(/kind=achievement/)
  await expect(filters.locator('a[aria-pressed="true"]')).toHaveCount(1)
  expect(await total(page)).toBe(promised)
  expect(await count(page, 'achievement')).toBe(promised)
  expect(await count(page, 'demand')).toBeLessThanOrEqual(demands)
})

test('without JavaScript the search box is a plain form with the same tabs', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' })
  const page = await context.newPage()
  await page.goto('/search')
  await main(page).getByRole('searchbox').fill('检测')
  await main(page).getByRole('button', { name: '搜索' }).click()
  await expect(page).toHaveURL(/q=%E6%A3%80%E6%B5%8B/)
  const achievements = await count(page, 'achievement')
  expect(achievements).toBeGreaterThan(0)
  await tabs(page).getByRole('link', { name: /科技成果/ }).click()
  await expect(page).toHaveURL(/kind=achievement/)
  expect(await total(page)).toBe(achievements)
  await context.close()
})

for (const javaScriptEnabled of [true, false]) {
  test(`on a phone the results come first and the filters open with a tap (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', javaScriptEnabled })
    const page = await context.newPage()
    await page.goto('/search?q=检测')
    const filters = main(page).getByRole('complementary', { name: '筛选' })
    const facet = filters.locator('a[aria-pressed="false"]').first()
    await expect(facet).toBeHidden()
    await expect(main(page).getByRole('listitem').filter({ has: page.locator('h3') }).first()).toBeInViewport()

    await filters.locator('label', { hasText: '筛选' }).click()
    await expect(facet).toBeVisible()
    const promised = Number((await facet.locator('span').last().innerText()).trim())
    await facet.click()
    await expect(filters.locator('a[aria-pressed="true"]')).toHaveCount(1)
    // The toggle says that a filter is chosen, whether the filters are open or folded again.
    await expect(filters.locator('label')).toContainText('已选 1 项')
    expect(await total(page)).toBe(promised)
    await context.close()
  })
}

test('in English the tabs name each kind in the plural and each result in the singular', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en' })
  await context.addCookies([{ name: 'kz_lang', value: 'en', url: test.info().project.use.baseURL! }])
  const page = await context.newPage()
  await page.goto('/search?q=检测&kind=achievement')
  await expect(main(page).getByRole('navigation', { name: 'Kinds' }).getByRole('link', { name: /Achievements/ })).toHaveAttribute('aria-current', 'page')
  const items = main(page).getByRole('listitem').filter({ has: page.locator('h3') })
  await expect(items.first()).toContainText('Achievement')
  await expect(items.first()).not.toContainText('Achievements')
  await context.close()
})
