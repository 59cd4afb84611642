import { expect, test, DEMO, header, main, signIn } from './helpers'

test('an enterprise user opening /admin/orgs gets 403 没有权限', async ({ page }) => {
  await signIn(page, DEMO.enterprise.email)
  await expect(main(page).getByRole('heading', { name: `欢迎，${DEMO.enterprise.name}` })).toBeVisible()
  await expect(header(page).getByRole('link', { name: '机构审核' })).toHaveCount(0)

  const response = await page.goto('/admin/orgs')
  expect(response?.status()).toBe(403)
  await expect(main(page).getByRole('heading', { name: '没有权限' })).toBeVisible()
  await expect(main(page).getByText('您的账户无权访问此页面。如需权限，请联系平台管理员。')).toBeVisible()
  await expect(main(page).getByRole('table')).toHaveCount(0)

  await main(page).getByRole('link', { name: '返回首页' }).click()
  await expect(page).toHaveURL('/')
  await expect(main(page).getByRole('heading', { name: `欢迎，${DEMO.enterprise.name}` })).toBeVisible()
})

test('an unknown address shows 页面不存在 with status 404', async ({ page }) => {
  const response = await page.goto('/no-such-page')
  expect(response?.status()).toBe(404)
  await expect(main(page).getByRole('heading', { name: '页面不存在' })).toBeVisible()
  await expect(main(page).getByText('您访问的页面不存在或已被移除。')).toBeVisible()
  await expect(header(page).getByRole('link', { name: '登录' })).toBeVisible()
})
