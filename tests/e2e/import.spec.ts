import { expect, test, type Page } from '@playwright/test'
import { DEMO, DEMO_PASSWORD, main, uniqueTag } from './helpers'
import { signedIn } from './listings-support'

/** The bureau imports achievements in the browser: upload, preview with errors, fix or skip, confirm. */

const HEADER = 'id,title,summary,field,industry,keywords,trl,transferModes,askingPrice,owner'

function csv(tag: string, badTrl: string) {
  const row = (n: number, trl: string) =>
    `E2E-${tag}-${n},网页导入成果${n} ${tag},采用结构光 3D 相机与点云位姿估计，实现散乱金属件的无序抓取。,先进制造与自动化,智能装备,机器视觉;${tag},${trl},许可;转让,800000,永川智能装备研究院`
  return '\uFEFF' + [HEADER, row(1, '6'), row(2, badTrl), row(3, '7')].join('\r\n') + '\r\n'
}

async function upload(page: Page, name: string, content: string, source: string) {
  const form = main(page)
  await form.getByLabel('导入类别').selectOption({ label: '科技成果' })
  await form.getByLabel('文件', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') })
  await form.getByLabel('数据来源').fill(source)
  await form.getByRole('button', { name: '上传并预览' }).click()
  await expect(page).toHaveURL(/\/import\?id=[a-f0-9]{32}$/)
}

async function expectInList(page: Page, tag: string, count: number) {
  await page.goto(`/achievements?q=${tag}`)
  await expect(main(page).getByTestId('result-count')).toHaveText(`共 ${count} 项`)
  await expect(main(page).getByRole('article').filter({ hasText: `网页导入成果1 ${tag}` })).toBeVisible()
}

test('a bad row is marked in the preview; skipping it imports the others, which appear in /achievements', async ({ browser }) => {
  const tag = uniqueTag()
  const page = await signedIn(browser, DEMO.bureau.email)
  await page.goto('/import')
  await expect(main(page).getByRole('heading', { name: '批量导入', level: 1 })).toBeVisible()
  await upload(page, `成果-${tag}.csv`, csv(tag, '12'), `e2e-${tag}`)

  const preview = main(page)
  await expect(preview.getByRole('heading', { name: `预览：成果-${tag}.csv` })).toBeVisible()
  await expect(preview.getByTestId('import-stats')).toContainText('共 3 行：有效 2 行，有错误 1 行；将新建 2 条，更新 0 条。')
  // The invalid cell is marked, on the row Excel calls 3.
  const bad = preview.getByTestId('import-preview').locator('td[aria-invalid="true"]')
  await expect(bad).toHaveCount(1)
  await expect(bad).toContainText('12')
  await expect(bad).toHaveAttribute('title', '技术成熟度应为 1—9 的整数')
  const badRow = preview.getByTestId('import-preview').getByRole('row').filter({ has: page.locator('td[aria-invalid="true"]') })
  await expect(badRow.getByRole('rowheader')).toHaveText('3')
  await expect(preview.getByTestId('import-errors')).toContainText('第 3 行 · trl：技术成熟度应为 1—9 的整数')

  // Confirming without choosing to skip is refused; nothing is written.
  await preview.getByRole('button', { name: '确认导入' }).click()
  await expect(preview.getByRole('alert')).toContainText('文件有错误')

  await preview.getByLabel('跳过有错误的行，只导入有效的 2 行').check()
  await preview.getByRole('button', { name: '确认导入' }).click()
  const done = preview.getByRole('status').filter({ hasText: '导入完成' })
  await expect(done).toBeVisible()
  await expect(done).toContainText('新建 2 条，更新 0 条，跳过 1 条。')

  await done.getByRole('link', { name: '查看科技成果列表' }).click()
  await expect(page).toHaveURL('/achievements')
  await expectInList(page, tag, 2)
})

test('without JavaScript: the person fixes the file and uploads it again; the confirmation posts and shows the result', async ({ browser }) => {
  const tag = uniqueTag()
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage()
  await page.goto('/login')
  await main(page).getByLabel('电子邮箱').fill(DEMO.bureau.email)
  await main(page).getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD)
  await main(page).getByRole('button', { name: '登录' }).click()
  await expect(page).toHaveURL('/')
  await page.goto('/import')
  await upload(page, 'bad.csv', csv(tag, '0'), `e2e-${tag}`)
  await expect(main(page).getByTestId('import-preview').locator('td[aria-invalid="true"]')).toContainText('0')

  await main(page).getByRole('link', { name: '重新上传' }).click()
  await upload(page, 'fixed.csv', csv(tag, '5'), `e2e-${tag}`)
  await expect(main(page).getByTestId('import-stats')).toContainText('共 3 行：有效 3 行，有错误 0 行')
  await expect(main(page).getByTestId('import-preview').locator('td[aria-invalid="true"]')).toHaveCount(0)
  await main(page).getByRole('button', { name: '确认导入' }).click()
  await expect(main(page).getByRole('status')).toContainText('新建 3 条，更新 0 条，跳过 0 条。')
  await expectInList(page, tag, 3)
})
