import { DEMO, expect, header, main, signIn, test } from './helpers'

test('the bureau sees its dashboard for 2025; the public statistics page shows the same totals', async ({ page, request }) => {
  const api = await request.get('/api/v1/stats/contracts?year=2025&groupBy=type')
  expect(api.status()).toBe(200)
  const { data } = (await api.json()) as { data: { totals: { count: number; amountFen: number }; rows: Array<{ count: number }> } }
  expect(data.rows.reduce((s, r) => s + r.count, 0)).toBe(data.totals.count)
  expect((await request.get('/api/v1/stats/contracts?year=2025&groupBy=colour')).status()).toBe(400)

  await signIn(page, DEMO.bureau.email)
  await expect(main(page).getByRole('heading', { name: `欢迎，${DEMO.bureau.name}` })).toBeVisible()
  await expect(header(page).getByRole('link', { name: '统计' })).toBeVisible()
  await page.goto('/stats/bureau?year=2025')
  await expect(main(page).getByRole('heading', { name: '技术合同统计（区科技局）' })).toBeVisible()
  const totals = page.getByTestId('stats-totals')
  await expect(totals).toBeVisible()
  const countRow = totals.getByRole('row', { name: /合同数（项）/ })
  await expect(countRow.getByRole('cell').first()).toHaveText(String(data.totals.count))
  await expect(main(page).getByRole('heading', { name: '卖方机构前十（按技术交易额）' })).toBeVisible()
  // The charts load in the browser, beside their tables.
  await expect(main(page).getByRole('img', { name: '月度趋势（2025）' }).locator('svg').first()).toBeVisible()
  await expect(main(page).getByRole('link', { name: '导出 Excel' })).toHaveAttribute('href', /\/stats\/export\?year=2025.*format=xlsx/)
  const csv = await page.request.get('/stats/export?year=2025&format=csv')
  expect(csv.status()).toBe(200)
  expect((await csv.body()).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))

  const visitor = await page.context().browser()!.newContext()
  const pub = await visitor.newPage()
  await pub.goto('/stats?year=2025')
  await expect(main(pub).getByRole('heading', { name: '技术合同统计' })).toBeVisible()
  await expect(pub.getByTestId('stats-totals').getByRole('row', { name: /合同数（项）/ }).getByRole('cell').first()).toHaveText(String(data.totals.count))
  await expect(main(pub).getByText('卖方机构前十（按技术交易额）')).toHaveCount(0)
  await visitor.close()
})
