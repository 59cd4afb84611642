import { expect, test, header, languageSwitch, main } from './helpers'

test('the language switch changes the interface to English and back, and survives a reload', async ({ page }) => {
  await page.goto('/login')
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await expect(main(page).getByRole('heading', { name: '登录' })).toBeVisible()

  await languageSwitch(page, 'English').click()
  await expect(page).toHaveURL('/login')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(main(page).getByRole('heading', { name: 'Sign in' })).toBeVisible()
  await expect(main(page).getByLabel('E-mail')).toBeVisible()
  await expect(header(page).getByRole('link', { name: 'Register' })).toBeVisible()
  await expect(languageSwitch(page, '简体中文')).toBeVisible()
  await expect(page).toHaveTitle(/Sign in · KeZhuan/)

  await page.reload()
  await expect(main(page).getByRole('heading', { name: 'Sign in' })).toBeVisible()
  await page.goto('/')
  await expect(main(page).getByRole('heading', { name: 'Put research to work' })).toBeVisible()

  await languageSwitch(page, '简体中文').click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await expect(main(page).getByRole('heading', { name: '让科技成果找到用武之地' })).toBeVisible()
  await expect(languageSwitch(page, 'English')).toBeVisible()
  await page.reload()
  await expect(main(page).getByRole('heading', { name: '让科技成果找到用武之地' })).toBeVisible()
})

test('messages from the server follow the chosen language', async ({ page }) => {
  await page.goto('/login')
  await languageSwitch(page, 'English').click()
  await expect(main(page).getByRole('heading', { name: 'Sign in' })).toBeVisible()

  await main(page).getByLabel('E-mail').fill('enterprise@demo.kezhuan.cn')
  await main(page).getByLabel('Password').fill('not-the-password')
  await main(page).getByRole('button', { name: 'Sign in' }).click()
  await expect(main(page).getByRole('alert')).toHaveText('Wrong e-mail or password')

  const response = await page.goto('/no-such-page')
  expect(response?.status()).toBe(404)
  await expect(main(page).getByRole('heading', { name: 'Page not found' })).toBeVisible()
})
