import { expect, test, DEMO, header, main, PENDING_DEMO_ORG, signIn } from './helpers'

test('the bureau verifies the pending demo organisation, which moves to the verified tab', async ({ page }) => {
  await signIn(page, DEMO.bureau.email)
  await expect(main(page).getByRole('heading', { name: `欢迎，${DEMO.bureau.name}` })).toBeVisible()
  await expect(main(page).getByRole('link', { name: /^有 \d+ 家机构等待审核$/ })).toBeVisible()

  await header(page).getByRole('link', { name: '机构审核' }).click()
  await expect(page).toHaveURL('/admin/orgs')
  await expect(main(page).getByRole('heading', { name: '机构审核' })).toBeVisible()
  const row = main(page).getByRole('row').filter({ hasText: PENDING_DEMO_ORG })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('企业')
  await expect(row).toContainText('四川省成都市武侯区')

  await row.getByRole('button', { name: '通过认证' }).click()
  await expect(page.getByRole('status')).toHaveText(`已认证：${PENDING_DEMO_ORG}`)
  await expect(page).toHaveURL('/admin/orgs')
  await expect(row).toHaveCount(0)

  await main(page).getByRole('link', { name: '已认证', exact: true }).click()
  await expect(page).toHaveURL('/admin/orgs?tab=verified')
  await expect(row).toHaveCount(1)
  await page.reload()
  await expect(row.getByRole('button', { name: '撤销认证' })).toBeVisible()
  await expect(row).toContainText(/\d{4}\/\d{1,2}\/\d{1,2}/)

  await row.getByRole('button', { name: '撤销认证' }).click()
  await expect(page.getByRole('status')).toHaveText(`已撤销认证：${PENDING_DEMO_ORG}`)
  await expect(page).toHaveURL('/admin/orgs?tab=verified')
  await expect(row).toHaveCount(0)
  await main(page).getByRole('link', { name: '待审核', exact: true }).click()
  await expect(row.getByRole('button', { name: '通过认证' })).toBeVisible()
})
