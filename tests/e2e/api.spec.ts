import { expect, test } from '@playwright/test'
import { DEMO, header, main, signIn, uniqueTag } from './helpers'

const achievement = (title: string) => ({
  title,
  summary: '基于深度学习的茶叶嫩芽识别与采摘点定位方法，识别准确率 95% 以上。',
  field: '先进制造与自动化',
  industry: 'MODERN_AGRICULTURE',
  keywords: ['采茶机器人', '机器视觉'],
  trl: 5,
  transferModes: ['LICENSE', 'CO_DEVELOPMENT'],
  askingPrice: 88000,
  confidentialDetails: '模型权重与训练数据说明',
})

test('an organisation administrator creates an API key, uses it over HTTP, and revokes it', async ({ page, request }) => {
  await signIn(page, DEMO.supplier.email)
  await expect(header(page).getByRole('link', { name: DEMO.supplier.name })).toBeVisible()
  await page.goto('/account')
  await main(page).getByRole('link', { name: '管理 API 密钥' }).click()
  await expect(page).toHaveURL('/account/api-keys')
  await expect(main(page).getByRole('heading', { name: 'API 密钥', level: 1 })).toBeVisible()

  const name = `采集系统 ${uniqueTag()}`
  await main(page).getByLabel('名称（用途').fill(name)
  await main(page).getByRole('button', { name: '创建密钥' }).click()
  const shown = main(page).getByTestId('api-key-secret')
  await expect(shown).toHaveText(/^kz_[A-Za-z0-9_-]{43}$/)
  const key = (await shown.textContent())!.trim()
  const row = main(page).getByRole('row').filter({ hasText: name })
  await expect(row).toContainText(`${key.slice(0, 11)}…`)
  await expect(row).toContainText('有效')
  await expect(row).toContainText(DEMO.supplier.name)
  // Shown once: a fresh load of the page lists the key but not the secret.
  await page.reload()
  await expect(main(page).getByTestId('api-key-secret')).toHaveCount(0)
  await expect(main(page).getByText(key)).toHaveCount(0)
  await expect(row).toBeVisible()

  // The key at work through real HTTP, with no cookie and no Origin.
  const auth = { Authorization: `Bearer ${key}` }
  const title = `茶叶嫩芽识别 ${uniqueTag()}`
  const created = await request.post('/api/v1/achievements', { headers: auth, data: achievement(title) })
  expect(created.status(), await created.text()).toBe(201)
  const location = created.headers()['location']!
  const body = await created.json()
  expect(location).toBe(`/api/v1/achievements/${body.data.id}`)
  expect(body.data).toMatchObject({
    title,
    status: 'DRAFT',
    field: 'ADVANCED_MANUFACTURING',
    askingPriceFen: 8_800_000,
    confidentialDetails: '模型权重与训练数据说明',
    org: { name: '渝西理工大学' },
  })

  const read = await request.get(location, { headers: auth })
  expect(read.status()).toBe(200)
  expect((await read.json()).data).toEqual(body.data)
  const mine = await request.get(`/api/v1/achievements?scope=mine&status=DRAFT&q=${encodeURIComponent(title)}`, { headers: auth })
  expect((await mine.json()).data.map((d: { id: string }) => d.id)).toEqual([body.data.id])

  // Nobody else sees a draft; errors are JSON in the client's language.
  const anonymous = await request.get(location)
  expect(anonymous.status()).toBe(404)
  expect(anonymous.headers()['content-type']).toMatch(/^application\/json/)
  expect(await anonymous.json()).toEqual({ error: { code: 'NOT_FOUND', message: '未找到' } })
  const invalid = await request.post('/api/v1/achievements', { headers: { ...auth, 'Accept-Language': 'en' }, data: { ...achievement(title), trl: 10 } })
  expect(invalid.status()).toBe(400)
  expect(await invalid.json()).toMatchObject({ error: { code: 'BAD_INPUT', fields: { trl: 'The readiness level is a whole number from 1 to 9' } } })

  const oversize = await request.post('/api/v1/achievements', {
    headers: { ...auth, 'Content-Type': 'application/json' },
    data: JSON.stringify({ ...achievement(title), summary: '测'.repeat(400_000) }),
  })
  expect(oversize.status()).toBe(413)
  expect((await oversize.json()).error.code).toBe('PAYLOAD_TOO_LARGE')

  // The browser's cookie does not make a cross-site POST acceptable.
  const crossSite = await page.request.post('/api/v1/achievements', { headers: { Origin: 'https://evil.example' }, data: achievement(title) })
  expect(crossSite.status()).toBe(403)
  expect((await crossSite.json()).error.code).toBe('FORBIDDEN')

  await row.getByRole('button', { name: `撤销密钥 ${name}` }).click()
  await expect(page.getByRole('status')).toHaveText(`密钥“${name}”已撤销，使用它的请求将被拒绝。`)
  await expect(row).toContainText(/已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 撤销/)
  await expect(row.getByRole('button')).toHaveCount(0)

  const refused = await request.get(location, { headers: auth })
  expect(refused.status()).toBe(401)
  expect(refused.headers()['www-authenticate']).toMatch(/^Bearer/)
  expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED', message: 'API 密钥无效或已撤销' } })
  expect((await request.post('/api/v1/achievements', { headers: auth, data: achievement(title) })).status()).toBe(401)
})

test('the API answers JSON everywhere under /api/v1, and serves its OpenAPI description', async ({ request }) => {
  for (const path of ['/api/v1/nothing', '/api/v1/achievements/1/extra', '/api/v1/a/b/c']) {
    const response = await request.get(path)
    expect(response.status(), path).toBe(404)
    expect(response.headers()['content-type'], path).toMatch(/^application\/json/)
    expect((await response.json()).error.code).toBe('NOT_FOUND')
  }
  const wrongMethod = await request.delete('/api/v1/achievements')
  expect(wrongMethod.status()).toBe(405)
  expect(wrongMethod.headers()['allow']).toContain('GET')

  const list = await request.get('/api/v1/achievements?pageSize=2&sort=oldest')
  expect(list.status()).toBe(200)
  const page = await list.json()
  expect(page.data.length).toBeLessThanOrEqual(2)
  expect(Object.keys(page.page).sort()).toEqual(['nextCursor', 'total'])
  expect(page.page.total).toBeGreaterThanOrEqual(page.data.length)
  if (page.page.nextCursor) {
    const next = await request.get(`/api/v1/achievements?pageSize=2&sort=oldest&cursor=${page.page.nextCursor}`)
    const ids = (await next.json()).data.map((d: { id: string }) => d.id)
    for (const item of page.data) expect(ids).not.toContain(item.id)
  }

  const openapi = await request.get('/api/v1/openapi.json')
  expect(openapi.status()).toBe(200)
  const doc = await openapi.json()
  expect(doc.openapi).toMatch(/^3\.1\./)
  expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' })
})
