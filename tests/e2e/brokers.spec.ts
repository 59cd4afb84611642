import { DEMO, expect, fillOrganizationForm, main, newOrganization, test, uniqueTag, waitForHydration } from './helpers'
import { anonymous, approveInReview, flash, signedIn, uniqueTitle } from './listings-support'

/**
 * The broker workspace in the browser: the public directory and its filters, a broker's profile
 * and the bureau's verification, claiming a demand, and a mined demand confirmed by the enterprise.
 * Each test makes its own data (a new agency, a new demand) apart from reading the demo brokers,
 * and never claims the demo enterprise's free demands (the deals tests start from those).
 */

test('the directory lists verified brokers and filters them in the URL', async ({ browser }) => {
  const page = await anonymous(browser)
  await page.goto('/brokers')
  const results = main(page).getByRole('list').filter({ has: page.getByRole('article') })
  await expect(main(page).getByRole('heading', { name: '技术经纪人', level: 1 })).toBeVisible()
  const li = main(page).getByRole('article').filter({ hasText: '李经纪' })
  await expect(li).toContainText('高级技术经理人')
  await expect(li).toContainText('渝西技术转移服务中心')
  // awaiting the bureau, refused or unlisted: not in the directory
  for (const hidden of ['周敏', '郑然', '何川', '冯雪']) await expect(main(page)).not.toContainText(hidden)

  const filters = main(page).getByRole('form', { name: '筛选技术经纪人' })
  await filters.getByLabel('等级').selectOption({ label: '初级技术经纪人' })
  await filters.getByRole('button', { name: '筛选', exact: true }).click()
  await expect(page).toHaveURL(/grade=JUNIOR/)
  await expect(main(page).getByTestId('result-count')).toContainText('共 0 位技术经纪人')

  await page.goto('/brokers')
  await filters.getByLabel('技术领域').selectOption({ label: '航空航天' })
  await filters.getByLabel('服务地区（省份）').selectOption({ label: '四川省' })
  await filters.getByRole('button', { name: '筛选', exact: true }).click()
  await expect(page).toHaveURL(/field=AEROSPACE/)
  await expect(page).toHaveURL(/region=51/)
  await expect(results.getByRole('article')).toHaveCount(1)
  await expect(results).toContainText('吴桐')
  // a district inside the province: brokers serving the whole province still match
  await filters.getByLabel('区县').selectOption({ label: '武侯区' })
  await filters.getByRole('button', { name: '筛选', exact: true }).click()
  await expect(page).toHaveURL(/district=510107/)
  await expect(results).toContainText('吴桐')

  await page.goto('/brokers?q=两江')
  await expect(results).toContainText('赵经理')
  await expect(results).toContainText('钱立')
  await expect(results).not.toContainText('李经纪')

  await page.goto('/brokers')
  await li.getByRole('link', { name: '李经纪' }).click()
  await expect(page).toHaveURL(/\/brokers\/[a-z0-9]+$/)
  await expect(main(page).getByTestId('track-record')).toContainText('已登记技术合同')
  await expect(main(page).getByTestId('bio')).toContainText('从事技术转移工作十二年')
  await expect(main(page)).toContainText('CQJJ-2021-0158')
})

test('a broker writes a profile, the bureau verifies it, and a change of grade sends it back', async ({ browser }) => {
  const org = newOrganization('broker')
  const page = await (await browser.newContext()).newPage()
  await page.goto('/register')
  await fillOrganizationForm(page, org)
  await main(page).getByLabel('机构类型').selectOption({ label: '技术转移服务机构' })
  await main(page).getByRole('button', { name: '注册' }).click()
  await expect(page).toHaveURL('/')

  await page.goto('/my/broker-profile')
  await waitForHydration(page)
  const form = main(page)
  await expect(form.getByTestId('agency')).toContainText(org.orgName)
  await form.getByLabel('等级').selectOption({ label: '中级技术经纪人' })
  const cert = `CQJJ-${uniqueTag().toUpperCase()}`
  await form.getByLabel('证书编号').fill(cert)
  await form.getByRole('group', { name: '技术领域' }).getByRole('checkbox', { name: '新材料' }).check()
  await form.getByRole('group', { name: '服务产业' }).getByRole('checkbox', { name: '汽车及零部件' }).check()
  await form.getByLabel('省份').selectOption({ label: '四川省' })
  await form.getByLabel('范围').selectOption({ label: '武侯区' })
  await form.getByRole('button', { name: '添加地区' }).click()
  await expect(form.getByTestId('chosen-regions')).toContainText('四川省成都市武侯区')
  // HTML is refused, in Chinese, before anything is saved
  await form.getByLabel('简介').fill('<b>十年经验</b>')
  await form.getByRole('button', { name: '创建档案并提交认证' }).click()
  await expect(form.getByText('简介请使用纯文本，不能包含 HTML 标签')).toBeVisible()
  await form.getByLabel('简介').fill(`擅长新材料成果转化。\n代号 ${org.name}`)
  await form.getByRole('button', { name: '创建档案并提交认证' }).click()
  await expect(flash(page)).toContainText('档案已创建，等待区科技局认证')
  await expect(main(page)).toContainText('待认证')

  const bureau = await signedIn(browser, DEMO.bureau.email)
  await bureau.goto('/brokers')
  await main(bureau).getByRole('link', { name: '经纪人认证' }).click()
  const row = main(bureau).getByTestId('verify-row').filter({ hasText: org.name })
  await expect(row).toContainText(cert)
  await expect(row).toContainText('机构未认证')
  await row.getByRole('button', { name: '认证通过' }).click()
  await expect(flash(bureau)).toContainText(`已认证：${org.name}`)

  const visitor = await anonymous(browser)
  await visitor.goto(`/brokers?q=${encodeURIComponent(org.name)}`)
  await main(visitor).getByRole('link', { name: org.name }).click()
  await expect(main(visitor)).toContainText('中级技术经纪人')
  await expect(main(visitor)).toContainText('四川省成都市武侯区')
  await expect(main(visitor).getByTestId('bio')).toContainText('擅长新材料成果转化。')

  await page.goto('/my/broker-profile')
  await expect(main(page)).toContainText('修改等级或证书编号后，档案需重新经区科技局认证')
  await main(page).getByLabel('等级').selectOption({ label: '高级技术经理人' })
  await main(page).getByRole('button', { name: '保存档案' }).click()
  await expect(flash(page)).toContainText('资格信息有变更，已重新提交区科技局认证')
  await bureau.goto('/brokers/verify')
  await expect(main(bureau).getByTestId('verify-row').filter({ hasText: org.name })).toContainText('高级技术经理人')
  await visitor.goto(`/brokers?q=${encodeURIComponent(org.name)}`)
  await expect(main(visitor).getByTestId('result-count')).toContainText('共 0 位技术经纪人')
})

test('a broker claims a published demand and leads it', async ({ browser }) => {
  const { tag, title } = uniqueTitle('冷却液在线监测')
  const enterprise = await signedIn(browser, DEMO.enterprise.email)
  await enterprise.goto('/demands/new')
  const form = main(enterprise)
  await form.getByLabel('标题', { exact: true }).fill(title)
  await form.getByLabel('需求描述').fill('加工中心冷却液浓度和细菌含量需要在线监测，减少停机换液。')
  await form.getByLabel('技术领域').selectOption({ label: '先进制造与自动化' })
  await form.getByLabel('所属产业').selectOption({ label: '智能装备' })
  await form.getByRole('checkbox', { name: '技术服务' }).check()
  await form.getByRole('button', { name: '提交审核' }).click()
  await expect(flash(enterprise)).toContainText(`已提交审核：${title}`)
  const demandUrl = new URL(enterprise.url()).pathname
  const bureau = await signedIn(browser, DEMO.bureau.email)
  await approveInReview(bureau, 'demand', tag, title)

  const broker = await signedIn(browser, DEMO.broker.email)
  await broker.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '认领需求' }).click()
  // the default list follows the demo broker's specialties, which this demand fits
  await expect(main(broker).getByTestId('specialty-note')).toContainText('先进制造与自动化')
  await broker.goto(`/brokers/claims?q=${tag}`)
  const row = main(broker).getByTestId('claim-row').filter({ hasText: title })
  await expect(row).toHaveCount(1)
  await row.getByRole('button', { name: '认领' }).click()
  await expect(broker).toHaveURL(demandUrl)
  await expect(flash(broker)).toContainText(`已认领：${title}，您是牵头经纪人`)
  const panel = main(broker).getByTestId('demand-brokers')
  await expect(panel).toContainText('牵头经纪人')
  await expect(panel).toContainText('李经纪')
  await expect(panel.getByRole('button', { name: '放弃牵头' })).toBeVisible()

  // gone from the unclaimed list; the enterprise sees who leads it
  await broker.goto(`/brokers/claims?scope=all&q=${tag}`)
  await expect(main(broker).getByTestId('claim-row')).toHaveCount(0)
  await enterprise.goto(demandUrl)
  await expect(main(enterprise).getByTestId('demand-brokers')).toContainText('李经纪')
  await expect(main(enterprise).getByTestId('demand-brokers').getByRole('button')).toHaveCount(0)
})

test('a broker records a demand after a visit; the enterprise confirms it and it goes to review', async ({ browser }) => {
  const { title } = uniqueTitle('喷涂线漆雾回收')
  const broker = await signedIn(browser, DEMO.broker.email)
  await broker.goto('/brokers/mining')
  await main(broker).getByLabel('企业名称').fill('永锋')
  await main(broker).getByRole('button', { name: '查找' }).click()
  await main(broker).getByTestId('enterprises').getByRole('listitem').filter({ hasText: '重庆永锋精密机械有限公司' }).getByRole('link', { name: '为该企业代录' }).click()
  await expect(main(broker).getByTestId('mining-org')).toContainText('重庆永锋精密机械有限公司')
  const form = main(broker)
  await form.getByLabel('标题', { exact: true }).fill(title)
  await form.getByLabel('需求描述').fill('走访时企业反映喷涂线漆雾回收效率低，车间 VOCs 排放接近限值。')
  await form.getByLabel('技术领域').selectOption({ label: '资源与环境' })
  await form.getByLabel('所属产业').selectOption({ label: '智能装备' })
  await form.getByRole('checkbox', { name: '技术服务' }).check()
  await expect(form.getByRole('button', { name: '提交审核', exact: true })).toHaveCount(0)
  await form.getByRole('button', { name: '保存并请企业确认' }).click()
  await expect(flash(broker)).toContainText(`已为重庆永锋精密机械有限公司代录需求：${title}`)
  await expect(main(broker).getByTestId('mined-list').getByRole('listitem').filter({ hasText: title })).toContainText('待企业确认')

  const enterprise = await signedIn(browser, DEMO.enterprise.email)
  await enterprise.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: /待确认需求/ }).click()
  const pending = main(enterprise).getByTestId('pending-demand').filter({ hasText: title })
  await expect(pending).toContainText('李经纪')
  await pending.getByRole('link', { name: title }).click()
  await expect(main(enterprise).getByTestId('mined-notice')).toContainText('李经纪')
  // not submittable as it is: only confirmed
  await expect(main(enterprise).getByRole('button', { name: '提交审核', exact: true })).toHaveCount(0)
  await main(enterprise).getByTestId('mined-notice').getByRole('button', { name: '确认并提交审核' }).click()
  await expect(flash(enterprise)).toContainText(`已确认并提交审核：${title}`)
  await expect(main(enterprise).locator('[data-status="PENDING_REVIEW"]').first()).toBeVisible()
  await expect(main(enterprise).getByTestId('mined-notice')).toHaveCount(0)

  await broker.goto('/brokers/mining')
  await expect(main(broker).getByTestId('mined-list').getByRole('listitem').filter({ hasText: title })).toContainText('企业已确认')
})
