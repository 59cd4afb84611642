import { expect, test, DEMO, fillSignIn, header, main, signIn, waitForHydration } from './helpers'

test('a demo user signs in and out', async ({ page }) => {
  await page.goto('/')
  await header(page).getByRole('link', { name: '登录' }).click()
  await expect(page).toHaveURL('/login')
  await fillSignIn(page, DEMO.enterprise.email, 'kezhuan-demo')

  await expect(page).toHaveURL('/')
  await expect(main(page).getByRole('heading', { name: `欢迎，${DEMO.enterprise.name}` })).toBeVisible()
  await expect(main(page).getByText('您所在的机构：重庆永锋精密机械有限公司')).toBeVisible()
  await expect(main(page).getByText('您的机构已通过审核。')).toBeVisible()
  await expect(header(page).getByRole('link', { name: DEMO.enterprise.name })).toBeVisible()

  await header(page).getByRole('button', { name: '退出' }).click()
  await expect(page).toHaveURL('/')
  await expect(main(page).getByRole('heading', { name: '让科技成果找到用武之地' })).toBeVisible()
  await expect(header(page).getByRole('link', { name: '登录' })).toBeVisible()
  await expect(header(page).getByRole('button', { name: '退出' })).toHaveCount(0)

  const account = await page.goto('/account')
  expect(account?.status()).toBe(200)
  await expect(page).toHaveURL('/login?redirectTo=%2Faccount')
})

test('a wrong password is refused with a message that does not say which part was wrong', async ({ page }) => {
  await signIn(page, DEMO.supplier.email, 'not-the-password')

  await expect(main(page).getByRole('alert')).toHaveText('邮箱或密码不正确')
  await expect(page).toHaveURL('/login')
  await expect(main(page).getByLabel('电子邮箱')).toHaveValue(DEMO.supplier.email)
  await expect(header(page).getByRole('link', { name: '登录' })).toBeVisible()

  await fillSignIn(page, `nobody-${Date.now()}@e2e.example.cn`, 'not-the-password')
  await expect(main(page).getByRole('alert')).toHaveText('邮箱或密码不正确')
})

test('an anonymous visitor opening /account signs in first and comes back to /account', async ({ page }) => {
  await page.goto('/account')
  await expect(page).toHaveURL('/login?redirectTo=%2Faccount')
  await expect(main(page).getByRole('heading', { name: '登录' })).toBeVisible()

  await fillSignIn(page, DEMO.broker.email, 'kezhuan-demo')
  await expect(page).toHaveURL('/account')
  await expect(main(page).getByRole('heading', { name: '我的账户' })).toBeVisible()
  await expect(main(page).getByRole('definition').filter({ hasText: DEMO.broker.email })).toBeVisible()
})

test('after signing out in another tab, opening 我的账户 asks to sign in and then shows the account', async ({ page, context }) => {
  await signIn(page, DEMO.supplier.email)
  await expect(main(page).getByRole('heading', { name: `欢迎，${DEMO.supplier.name}` })).toBeVisible()
  await waitForHydration(page)

  const otherTab = await context.newPage()
  await otherTab.goto('/')
  await header(otherTab).getByRole('button', { name: '退出' }).click()
  await expect(header(otherTab).getByRole('link', { name: '登录' })).toBeVisible()
  await otherTab.close()

  await header(page).getByRole('link', { name: DEMO.supplier.name }).click()
  await expect(page).toHaveURL('/login?redirectTo=%2Faccount')
  await fillSignIn(page, DEMO.supplier.email, 'kezhuan-demo')
  await expect(page).toHaveURL('/account')
  await expect(main(page).getByRole('heading', { name: '我的账户' })).toBeVisible()
})
