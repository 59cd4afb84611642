import type { Page } from '@playwright/test'
import { SAMPLES } from '../../app/domain/files/file-samples'
import { DEMO, DEMO_PASSWORD, expect, fillSignIn, header, main, signedIn, signOff, test, uniqueTag } from './helpers'

/**
 * The conversation inside a deal and its NDA, on the demo data: the demo broker's NDA-stage
 * deal for the demo enterprise's confidential demand, with the demo university introduced and
 * an NDA both have accepted. The broker writes with a PDF attached, the buyer reads it (the
 * broker then sees the read receipt), markup stays text, a renamed program is refused, and the
 * NDA opens the demand's details to the university but not to the institute.
 */

const DEAL = '高精度齿轮检测替代进口设备'

/** From the deals list to the deal's conversation. */
async function openConversation(page: Page) {
  await page.goto('/deals')
  await main(page).getByRole('link', { name: DEAL }).first().click()
  await expect(main(page).getByRole('heading', { level: 1, name: DEAL })).toBeVisible()
  await main(page).getByRole('navigation').getByRole('link', { name: '沟通' }).click()
  await expect(page).toHaveURL(/\/deals\/[^/]+\/conversation$/)
}

test('the broker writes with a PDF attached; the buyer reads it without the notes; the broker sees the read receipt', async ({ page, browser }) => {
  test.slow()
  const tag = uniqueTag()
  const text = `请查收齿轮检测方案，周三前反馈意见。${tag}`

  await page.goto('/login')
  await fillSignIn(page, DEMO.broker.email, DEMO_PASSWORD)
  await expect(header(page).getByRole('button', { name: '退出' })).toBeVisible()
  await openConversation(page)
  const timeline = main(page).getByTestId('timeline')
  // The demo history: the NDA's steps, the messages, the broker's own note.
  await expect(timeline.getByText('保密协议生效：需求方与 渝西理工大学 互相开放保密信息')).toBeVisible()
  await expect(timeline.locator('[data-kind="NOTE"]').first()).toContainText('内部备注')

  const composer = main(page).getByRole('form', { name: '发送消息' })
  await composer.getByLabel('消息内容').fill(text)
  await composer.getByLabel('附件（可选）').setInputFiles({ name: `齿轮检测方案-${tag}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(SAMPLES.pdf) })
  await composer.getByRole('button', { name: '发送' }).click()
  await expect(main(page).getByText('消息已发送')).toBeVisible()
  await expect(composer.getByLabel('消息内容')).toHaveValue('')
  const mine = timeline.getByTestId('message').filter({ hasText: tag })
  await expect(mine).toContainText(text)
  await expect(mine.getByRole('link', { name: `齿轮检测方案-${tag}.pdf` })).toBeVisible()

  // The buyer reads it, with the attachment, and never the broker's note.
  const buyer = await signedIn(browser, DEMO.enterprise.email)
  await openConversation(buyer)
  const seen = main(buyer).getByTestId('message').filter({ hasText: tag })
  await expect(seen).toContainText(text)
  await expect(main(buyer).locator('[data-kind="NOTE"]')).toHaveCount(0)
  await expect(main(buyer).getByText('企业预算约 80 万元')).toHaveCount(0)
  const link = seen.getByRole('link', { name: `齿轮检测方案-${tag}.pdf` })
  const download = await buyer.request.get((await link.getAttribute('href'))!)
  expect(download.status()).toBe(200)
  expect(download.headers()['content-type']).toBe('application/pdf')
  expect(download.headers()['content-disposition']).toMatch(/^attachment; /)
  expect(download.headers()['x-content-type-options']).toBe('nosniff')
  expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-')
  await signOff(buyer)

  await page.reload()
  // Others may have read it too (the tests share the demo deal): the buyer is among the readers.
  await expect(timeline.getByTestId('message').filter({ hasText: tag }).getByTestId('read-by')).toHaveText(new RegExp(`^已读：.*${DEMO.enterprise.name}`))
})

test('markup is shown as text, and a program renamed .pdf is refused with the reason', async ({ page }) => {
  const tag = uniqueTag()
  await page.goto('/login')
  await fillSignIn(page, DEMO.enterprise.email, DEMO_PASSWORD)
  await expect(header(page).getByRole('button', { name: '退出' })).toBeVisible()
  await openConversation(page)
  const composer = main(page).getByRole('form', { name: '发送消息' })
  const markup = `<script>window.__kzInjected = 1</script><b>${tag}</b>`
  await composer.getByLabel('消息内容').fill(markup)
  await composer.getByRole('button', { name: '发送' }).click()
  await expect(main(page).getByText('消息已发送')).toBeVisible()
  await expect(main(page).getByTestId('message-body').filter({ hasText: tag })).toHaveText(markup)
  expect(await page.evaluate(() => (window as unknown as { __kzInjected?: number }).__kzInjected)).toBeUndefined()

  await composer.getByLabel('消息内容').fill(`报价单见附件 ${tag}`)
  await composer.getByLabel('附件（可选）').setInputFiles({ name: '报价单.pdf', mimeType: 'application/pdf', buffer: Buffer.from(SAMPLES.exe) })
  await composer.getByRole('button', { name: '发送' }).click()
  await expect(main(page).getByRole('alert').filter({ hasText: '附件“报价单.pdf”不是支持的文件类型' }).first()).toBeVisible()
  await expect(composer.getByLabel('消息内容')).toHaveValue(`报价单见附件 ${tag}`)
  await expect(main(page).getByTestId('message').filter({ hasText: `报价单见附件 ${tag}` })).toHaveCount(0)
})

test('the NDA both sides accepted is on the deal’s NDA page, and opens the demand’s details to the university only', async ({ page, browser }) => {
  await page.goto('/login')
  await fillSignIn(page, DEMO.supplier.email, DEMO_PASSWORD)
  await expect(header(page).getByRole('button', { name: '退出' })).toBeVisible()
  await openConversation(page)
  await main(page).getByRole('navigation').getByRole('link', { name: '保密协议' }).click()
  const nda = main(page).getByTestId('nda')
  await expect(nda).toHaveAttribute('data-effective', 'true')
  await expect(nda.locator('[data-party="BUYER"]')).toContainText(`✓ ${DEMO.enterprise.name}`)
  await expect(nda.locator('[data-party="SELLER"]')).toContainText(`✓ ${DEMO.supplier.name}`)
  await nda.getByRole('link', { name: DEAL }).click()
  await expect(main(page).getByRole('heading', { level: 1, name: DEAL })).toBeVisible()
  await expect(main(page).getByText('依据已生效的保密协议向贵机构开放，请按协议约定保密')).toBeVisible()
  await expect(main(page).getByTestId('details-hidden')).toHaveCount(0)
  const demandUrl = page.url()

  const institute = await signedIn(browser, 'institute@demo.kezhuan.cn')
  await institute.goto(demandUrl)
  await expect(main(institute).getByTestId('details-hidden')).toBeVisible()
  await signOff(institute)
})

test('without JavaScript, a seller writes with a Word file attached', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  const tag = uniqueTag()
  await page.goto('/login')
  await fillSignIn(page, DEMO.supplier.email, DEMO_PASSWORD)
  await expect(header(page).getByRole('button', { name: '退出' })).toBeVisible()
  await openConversation(page)
  const composer = main(page).getByRole('form', { name: '发送消息' })
  await expect(composer.getByText('技术经纪人、需求方和本机构能看到您的消息，其他成果方看不到。')).toBeVisible()
  await composer.getByLabel('消息内容').fill(`检测样机参数表见附件 ${tag}`)
  await composer.getByLabel('附件（可选）').setInputFiles({ name: `样机参数-${tag}.docx`, mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: Buffer.from(SAMPLES.docx) })
  await composer.getByRole('button', { name: '发送' }).click()
  await expect(page).toHaveURL(/\/conversation#m-/)
  const mine = main(page).getByTestId('message').filter({ hasText: tag })
  await expect(mine).toContainText(`检测样机参数表见附件 ${tag}`)
  await expect(mine.getByRole('link', { name: `样机参数-${tag}.docx` })).toBeVisible()
  await context.close()
})
