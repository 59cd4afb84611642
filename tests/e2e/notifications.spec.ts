import type { Page } from '@playwright/test'
import { DEMO, expect, header, main, signIn, test, waitForHydration } from './helpers'

/**
 * Notifications, saved searches and the e-mail log, as people use them. The demo data gives
 * the demo enterprise a saved search with an alert (in the app and by e-mail).
 */

/** Signs in and waits until the header shows the person, so the next page is theirs. */
async function signInAs(page: Page, email: string, name: string) {
  await signIn(page, email)
  await expect(header(page).getByRole('link', { name })).toBeVisible()
}

test('the bell shows unread notifications; opening the list and marking them read clears it', async ({ page }) => {
  // The demo administrator: no other browser test notifies them, so the counts are this test's alone.
  await signInAs(page, 'admin@demo.kezhuan.cn', '平台管理员')
  const bell = header(page).getByTestId('notification-bell')
  const badge = bell.getByTestId('notification-count')
  await expect(badge).toHaveText(/^\d+$/)
  const unread = Number(await badge.textContent())
  expect(unread).toBeGreaterThanOrEqual(1)
  await expect(bell).toHaveAccessibleName(`消息通知（${unread} 条未读）`)

  await bell.click()
  await expect(page).toHaveURL(/\/notifications$/)
  await expect(main(page).getByRole('heading', { name: '消息通知' })).toBeVisible()
  const alert = main(page).getByRole('listitem').filter({ hasText: '“电池相关成果”有' })
  await expect(alert).toHaveAttribute('data-read', 'false')
  await expect(alert.getByText('未读', { exact: true })).toBeVisible()

  await alert.getByRole('button', { name: /^将“.*”标为已读$/ }).click()
  await expect(page.getByRole('status').filter({ hasText: '已标为已读' })).toBeVisible()
  await expect(alert).toHaveAttribute('data-read', 'true')
  if (unread > 1) await expect(badge).toHaveText(String(unread - 1))
  else await expect(badge).toHaveCount(0)

  // Following a notification goes to its link (the saved search's results, newest first).
  await alert.getByRole('link').click()
  await expect(page).toHaveURL(/\/search\?q=.*&kind=achievement&sort=newest$/)

  await page.goto('/notifications')
  if (unread > 1) {
    await main(page).getByRole('button', { name: '全部标为已读' }).click()
    await expect(page.getByRole('status').filter({ hasText: '条消息标为已读' })).toBeVisible()
  }
  await expect(header(page).getByTestId('notification-count')).toHaveCount(0)
  await expect(header(page).getByTestId('notification-bell')).toHaveAccessibleName('消息通知')
})

test('a member saves a search from the search page and finds it under saved searches', async ({ page }) => {
  await signInAs(page, DEMO.supplier.email, DEMO.supplier.name)
  await page.goto('/search?q=压铸&kind=demand')
  await waitForHydration(page)
  await main(page).getByText('保存搜索').click()
  const name = main(page).getByLabel('名称')
  await expect(name).toHaveValue('压铸')
  await name.fill('压铸需求跟踪')
  await main(page).getByRole('button', { name: '保存', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: '已保存搜索“压铸需求跟踪”，有新结果时会通知您' })).toBeVisible()
  await expect(page).toHaveURL(/\/search\?q=/)

  await page.goto('/saved-searches')
  const saved = main(page).getByTestId('saved-search').filter({ hasText: '压铸需求跟踪' })
  await expect(saved).toContainText('关键词：压铸')
  await expect(saved).toContainText('提醒已开启')
  await saved.getByRole('button', { name: '关闭提醒' }).click()
  await expect(page.getByRole('status').filter({ hasText: '已关闭“压铸需求跟踪”的提醒' })).toBeVisible()
  await expect(saved).toContainText('提醒已关闭')
  await saved.getByRole('link', { name: '打开' }).click()
  await expect(page).toHaveURL(/\/search\?q=%E5%8E%8B%E9%93%B8&kind=demand$/)
})

test('an over-long saved-search name is refused with a message, also without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' })
  const page = await context.newPage()
  await signInAs(page, DEMO.broker.email, DEMO.broker.name)
  await page.goto('/search?q=机器人')
  await main(page).getByText('保存搜索').click()
  // The field allows 100 characters; a forged request may send more.
  await main(page).getByLabel('名称').evaluate((el) => el.removeAttribute('maxlength'))
  await main(page).getByLabel('名称').fill('长'.repeat(300))
  await main(page).getByRole('button', { name: '保存', exact: true }).click()
  await expect(page).toHaveURL(/\/saved-searches$/)
  await expect(main(page).getByText('不能超过 100 个字符')).toBeVisible()
  await expect(main(page).getByTestId('saved-search').filter({ hasText: '长长长' })).toHaveCount(0)
  await context.close()
})

test('the administrator opens the e-mail log and reads an e-mail', async ({ page }) => {
  await signInAs(page, 'admin@demo.kezhuan.cn', '平台管理员')
  await header(page).getByRole('link', { name: '邮件记录' }).click()
  await expect(main(page).getByRole('heading', { name: '邮件记录' })).toBeVisible()
  // The demo alerts' e-mails go out through the outbox right after the first start.
  const alertMail = main(page).getByTestId('mail-row').filter({ hasText: DEMO.enterprise.email }).filter({ hasText: '机器人相关成果' })
  await expect(async () => {
    await page.reload()
    await expect(alertMail.filter({ hasText: '已发送' })).toHaveCount(1, { timeout: 1000 })
  }).toPass({ timeout: 30_000 })

  await main(page).getByLabel('收件人').fill('enterprise@')
  await main(page).getByRole('button', { name: '搜索' }).click()
  await expect(page).toHaveURL(/[?&]q=enterprise%40/)
  // Waits for the filtered list: a snapshot of the rows (all()) could still be the whole log's.
  await expect(main(page).getByTestId('mail-row').filter({ hasNotText: DEMO.enterprise.email })).toHaveCount(0)
  await expect(main(page).getByTestId('mail-row')).not.toHaveCount(0)

  await alertMail.getByRole('link').first().click()
  await expect(main(page).getByRole('heading', { name: /【科转】“机器人相关成果”有 \d+ 条新结果/ })).toBeVisible()
  await expect(main(page).getByTestId('mail-text')).toContainText(`${DEMO.enterprise.name}，您好：`)
  await expect(main(page).getByTestId('mail-text')).toContainText('/notifications/')
  const download = await Promise.all([page.waitForEvent('download'), main(page).getByRole('link', { name: '下载 .eml' }).click()]).then(([d]) => d)
  expect(download.suggestedFilename()).toMatch(/\.eml$/)
})

test('members cannot open the e-mail log', async ({ page }) => {
  await signInAs(page, DEMO.bureau.email, DEMO.bureau.name)
  await expect(header(page).getByRole('link', { name: '邮件记录' })).toHaveCount(0)
  const response = await page.goto('/admin/mail')
  expect(response?.status()).toBe(403)
})
