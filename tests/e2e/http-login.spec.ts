import type { APIResponse } from '@playwright/test'
import { expect, test, canSignIn, DEMO, DEMO_PASSWORD, sessionCookieSet } from './helpers'

async function expectRefused(response: APIResponse) {
  expect(response.status(), 'bad input is the client’s error, never the server’s').toBe(400)
  expect(response.headers()['content-type']).toContain('text/html')
  expect(sessionCookieSet(response), 'no session is started').toBe(false)
  return response.text()
}

const cases: { title: string; form: Record<string, string> }[] = [
  { title: 'an empty form', form: {} },
  { title: 'a missing password', form: { email: DEMO.enterprise.email } },
  { title: 'a missing e-mail', form: { password: DEMO_PASSWORD } },
  { title: 'a 10,000-character e-mail', form: { email: `${'a'.repeat(10_000)}@e2e.example.cn`, password: DEMO_PASSWORD } },
  { title: 'a 10,000-character password', form: { email: DEMO.enterprise.email, password: 'p'.repeat(10_000) } },
  { title: 'HTML and script as the e-mail', form: { email: '<script>alert(1)</script>', password: DEMO_PASSWORD } },
  { title: 'an SQL-looking e-mail', form: { email: `' OR '1'='1'; DROP TABLE "User"; --`, password: DEMO_PASSWORD } },
  { title: 'an SQL-looking password', form: { email: DEMO.enterprise.email, password: `' OR '1'='1` } },
  { title: 'a malformed e-mail', form: { email: 'enterprise.demo.kezhuan.cn', password: DEMO_PASSWORD } },
]

test.describe('POST /login with bad input', () => {
  for (const c of cases) {
    test(`refuses ${c.title} with 400 邮箱或密码不正确`, async ({ request }) => {
      const html = await expectRefused(await request.post('/login', { form: c.form, maxRedirects: 0 }))
      expect(html).toContain('邮箱或密码不正确')
      expect(html).not.toContain('<script>alert(1)</script>')
    })
  }

  test('refuses invalid UTF-8 bytes in a urlencoded body with 400', async ({ request }) => {
    const body = Buffer.concat([Buffer.from('email=enterprise'), Buffer.from([0xff, 0xfe]), Buffer.from('%40demo.kezhuan.cn&password='), Buffer.from([0xff, 0xfe])])
    const response = await request.post('/login', {
      data: body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      maxRedirects: 0,
    })
    expect(await expectRefused(response)).toContain('邮箱或密码不正确')
  })

  test('leaves the accounts table working after SQL-looking input', async ({ request, baseURL }) => {
    await expectRefused(await request.post('/login', { form: { email: `x'; DROP TABLE "User"; --@e2e.example.cn`, password: 'x' }, maxRedirects: 0 }))
    expect(await canSignIn(baseURL!, DEMO.enterprise.email, DEMO_PASSWORD)).toBe(true)
  })

  test('signs in with the right password and returns to a local redirectTo only', async ({ request }) => {
    const local = await request.post('/login', { form: { email: DEMO.broker.email, password: DEMO_PASSWORD, redirectTo: '/account' }, maxRedirects: 0 })
    expect(local.status()).toBe(302)
    expect(local.headers()['location']).toBe('/account')
    expect(sessionCookieSet(local)).toBe(true)
    const cookie = local.headersArray().find((h) => h.name.toLowerCase() === 'set-cookie' && h.value.startsWith('kz_session='))!.value
    expect(cookie).toMatch(/;\s*HttpOnly/i)
    expect(cookie).toMatch(/;\s*SameSite=Lax/i)
    expect(cookie).toMatch(/;\s*Secure/i)

    const other = await request.post('/login', { form: { email: DEMO.broker.email, password: DEMO_PASSWORD, redirectTo: '//evil.example/' }, maxRedirects: 0 })
    expect(other.status()).toBe(302)
    expect(other.headers()['location']).toBe('/')
  })
})

test.describe('cross-site form posts', () => {
  // React Router's own origin check refuses this before the app's middleware (403) is reached.
  test('POST /login with Origin: http://evil.example is refused and signs nobody in', async ({ request }) => {
    const response = await request.post('/login', {
      form: { email: DEMO.enterprise.email, password: DEMO_PASSWORD },
      headers: { Origin: 'http://evil.example' },
      maxRedirects: 0,
    })
    expect(response.status()).toBe(400)
    expect(await response.text()).toBe('Bad Request')
    expect(sessionCookieSet(response)).toBe(false)
  })

  test('a browser’s cross-site POST without Origin (Sec-Fetch-Site: cross-site) gets 403', async ({ request }) => {
    const response = await request.post('/login', {
      form: { email: DEMO.enterprise.email, password: DEMO_PASSWORD },
      headers: { 'Sec-Fetch-Site': 'cross-site' },
      maxRedirects: 0,
    })
    expect(response.status()).toBe(403)
    expect(sessionCookieSet(response)).toBe(false)
  })

  test('the language switch refuses a cross-site Origin with 403', async ({ request }) => {
    const response = await request.post('/lang', { form: { locale: 'en', redirectTo: '/' }, headers: { Origin: 'http://evil.example' }, maxRedirects: 0 })
    expect(response.status()).toBe(403)
    expect(await response.text()).toBe('请求来源不被允许')
  })

  test('a same-origin Origin header is accepted', async ({ request, baseURL }) => {
    const response = await request.post('/login', {
      form: { email: DEMO.broker.email, password: DEMO_PASSWORD },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    })
    expect(response.status()).toBe(302)
    expect(sessionCookieSet(response)).toBe(true)
  })
})
