import {
  expect,
  test,
  fillOrganizationForm,
  header,
  main,
  newOrganization,
  TEST_PASSWORD,
  uniqueEmail,
  waitForHydration,
  withWrongCheckCharacter,
} from './helpers'

test('an enterprise registers its organisation and a colleague joins with the invitation code', async ({ page, browser }) => {
  const org = newOrganization('founder')

  await page.goto('/')
  await main(page).getByRole('link', { name: '注册机构账户' }).click()
  await expect(page).toHaveURL('/register')
  await expect(main(page).getByRole('heading', { name: '注册' })).toBeVisible()
  await fillOrganizationForm(page, org)
  await main(page).getByRole('button', { name: '注册' }).click()

  await expect(page).toHaveURL('/')
  await expect(main(page).getByRole('heading', { name: `欢迎，${org.name}` })).toBeVisible()
  await expect(main(page).getByText(`您所在的机构：${org.orgName}`)).toBeVisible()
  await expect(main(page).getByText('您的机构正在等待区科技局审核，审核通过后即可发布信息。')).toBeVisible()
  await expect(header(page).getByRole('button', { name: '退出' })).toBeVisible()

  await header(page).getByRole('link', { name: org.name }).click()
  await expect(page).toHaveURL('/account')
  await expect(main(page).getByText('企业会员 · 机构管理员')).toBeVisible()
  await expect(main(page).getByText(org.creditCode)).toBeVisible()
  await expect(main(page).getByText('待审核')).toBeVisible()
  const invitationCode = (await page.getByTestId('invitation-code').innerText()).trim()
  expect(invitationCode).toMatch(/^[A-Z2-9]{10}$/)

  const colleagueContext = await browser.newContext()
  const colleague = await colleagueContext.newPage()
  const colleagueName = `同事${invitationCode.slice(0, 3)}`
  const colleagueEmail = uniqueEmail('colleague')
  await colleague.goto('/register')
  await main(colleague).getByRole('tab', { name: '用邀请码加入已有机构' }).click()
  await expect(colleague).toHaveURL('/register?mode=join')
  await expect(main(colleague).getByLabel('机构全称')).toHaveCount(0)
  await main(colleague).getByLabel('姓名').fill(colleagueName)
  await main(colleague).getByLabel('电子邮箱').fill(colleagueEmail)
  await main(colleague).getByLabel('密码（至少 8 位）').fill(TEST_PASSWORD)
  await main(colleague).getByLabel('邀请码').fill(invitationCode.toLowerCase())
  await main(colleague).getByRole('button', { name: '注册' }).click()

  await expect(colleague).toHaveURL('/')
  await expect(main(colleague).getByRole('heading', { name: `欢迎，${colleagueName}` })).toBeVisible()
  await expect(main(colleague).getByText(`您所在的机构：${org.orgName}`)).toBeVisible()
  await expect(main(colleague).getByText('您的机构正在等待区科技局审核，审核通过后即可发布信息。')).toBeVisible()

  await header(colleague).getByRole('link', { name: colleagueName }).click()
  await expect(main(colleague).getByText('企业会员', { exact: true })).toBeVisible()
  await expect(colleague.getByTestId('invitation-code')).toHaveCount(0)
  await colleagueContext.close()

  await page.reload()
  const members = main(page).getByRole('heading', { name: '机构成员' }).locator('xpath=following-sibling::ul').getByRole('listitem')
  await expect(members).toHaveCount(2)
  await expect(members.nth(0)).toContainText(org.email)
  await expect(members.nth(1)).toContainText(colleagueEmail)
})

test('a credit code with a wrong check character is flagged next to the field before submitting', async ({ page }) => {
  const org = newOrganization('checkchar')
  const posts: string[] = []
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url())
  })

  await page.goto('/register')
  await waitForHydration(page)
  const creditCode = main(page).getByLabel('统一社会信用代码')
  await creditCode.fill(withWrongCheckCharacter(org.creditCode))
  await creditCode.blur()

  const error = main(page).getByRole('alert').filter({ hasText: '统一社会信用代码校验位不正确，请核对' })
  await expect(error).toBeVisible()
  await expect(creditCode).toHaveAttribute('aria-invalid', 'true')
  await expect(creditCode).toHaveAccessibleDescription('统一社会信用代码校验位不正确，请核对')

  await fillOrganizationForm(page, { ...org, creditCode: withWrongCheckCharacter(org.creditCode) })
  await main(page).getByRole('button', { name: '注册' }).click()
  await expect(error).toBeVisible()
  await expect(page).toHaveURL('/register')
  expect(posts, 'the browser refuses the form without asking the server').toEqual([])

  await creditCode.fill(org.creditCode.toLowerCase())
  await expect(error).toHaveCount(0)
  await expect(creditCode).not.toHaveAttribute('aria-invalid', 'true')
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the registration form still submits and shows the server’s field errors', async ({ page }) => {
    const org = newOrganization('nojs')
    await page.goto('/register')

    const form = main(page)
    await form.getByLabel('电子邮箱').fill('not-an-e-mail')
    await form.getByLabel('密码（至少 8 位）').fill('short')
    await form.getByLabel('机构全称').fill('甲')
    await form.getByLabel('统一社会信用代码').fill(withWrongCheckCharacter(org.creditCode))
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/register'),
      form.getByRole('button', { name: '注册' }).click(),
    ])
    expect(response.status()).toBe(400)
    await expect(page).toHaveURL('/register')

    const errorOf = (label: string) => form.getByLabel(label, { exact: true })
    await expect(errorOf('姓名')).toHaveAccessibleDescription('此项必填')
    await expect(errorOf('电子邮箱')).toHaveAccessibleDescription('请输入有效的电子邮箱地址')
    await expect(errorOf('密码（至少 8 位）')).toHaveAccessibleDescription('密码至少 8 位')
    await expect(errorOf('机构类型')).toHaveAccessibleDescription('请选择机构类型')
    await expect(errorOf('机构全称')).toHaveAccessibleDescription('至少需要 2 个字符')
    await expect(errorOf('统一社会信用代码')).toHaveAccessibleDescription('统一社会信用代码校验位不正确，请核对')
    for (const message of ['此项必填', '请输入有效的电子邮箱地址', '密码至少 8 位', '请选择机构类型', '至少需要 2 个字符', '统一社会信用代码校验位不正确，请核对']) {
      await expect(form.getByText(message, { exact: true })).toBeVisible()
    }
    await expect(form.getByLabel('电子邮箱')).toHaveValue('not-an-e-mail')
    await expect(form.getByLabel('密码（至少 8 位）')).toHaveValue('')

    await fillOrganizationForm(page, org)
    await form.getByRole('button', { name: '注册' }).click()
    await expect(page).toHaveURL('/')
    await expect(main(page).getByRole('heading', { name: `欢迎，${org.name}` })).toBeVisible()
    await expect(main(page).getByText('您的机构正在等待区科技局审核，审核通过后即可发布信息。')).toBeVisible()
  })
})
