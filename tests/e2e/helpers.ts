import { randomBytes } from 'node:crypto'
import { test as base, expect, request as playwrightRequest, type APIRequestContext, type APIResponse, type Browser, type Locator, type Page } from '@playwright/test'
import { withCheckCharacter } from '../../app/domain/orgs/credit-code'

/**
 * `page` fails its test when the browser reports an uncaught exception or a console error
 * (a hydration mismatch, a broken script). Responses with an error status are expected here:
 * Chromium logs each one as "Failed to load resource".
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console.error: ${message.text()}`)
    })
    await use(page)
    expect(problems, 'the browser reported errors').toEqual([])
  },
})
export { expect }

export const DEMO_PASSWORD = 'kezhuan-demo'
export const DEMO = {
  bureau: { email: 'bureau@demo.kezhuan.cn', name: '刘科长' },
  enterprise: { email: 'enterprise@demo.kezhuan.cn', name: '张总工' },
  supplier: { email: 'supplier@demo.kezhuan.cn', name: '陈教授' },
  institute: { email: 'institute@demo.kezhuan.cn', name: '王研究员' },
  broker: { email: 'broker@demo.kezhuan.cn', name: '李经纪' },
} as const
export const PENDING_DEMO_ORG = '成都锦川新材料科技有限公司'
export const TEST_PASSWORD = 'e2e-password-2024'

const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** Hex only, so it is valid inside person and organisation names. */
export const uniqueTag = () => randomBytes(5).toString('hex')

export const uniqueEmail = (prefix: string) => `${prefix}-${uniqueTag()}@e2e.example.cn`

/** A valid 统一社会信用代码 for an enterprise (91) registered in `region`. */
export function randomCreditCode(region = '500118'): string {
  const tail = Array.from(randomBytes(9), (b) => CREDIT_CODE_ALPHABET[b % CREDIT_CODE_ALPHABET.length]).join('')
  return withCheckCharacter(`91${region}${tail}`)
}

/** The same code with any other check character. */
export function withWrongCheckCharacter(code: string): string {
  const right = code.at(-1)!
  const wrong = CREDIT_CODE_ALPHABET[(CREDIT_CODE_ALPHABET.indexOf(right) + 1) % CREDIT_CODE_ALPHABET.length]
  return code.slice(0, 17) + wrong
}

export function main(page: Page): Locator {
  return page.getByRole('main')
}

export function header(page: Page): Locator {
  return page.getByRole('banner')
}

/** The language switch reads "English" or "简体中文" (its accessible name is 语言 / Language). */
export function languageSwitch(page: Page, text: 'English' | '简体中文'): Locator {
  return header(page).getByRole('button').filter({ hasText: text })
}

/** Resolves once React has hydrated the document, so client-side handlers are attached. */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => {
    const form = document.querySelector('main form') ?? document.querySelector('main')
    return !!form && Object.keys(form).some((key) => key.startsWith('__reactProps$'))
  })
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login')
  await fillSignIn(page, email, password)
}

export async function fillSignIn(page: Page, email: string, password: string) {
  await main(page).getByLabel('电子邮箱').fill(email)
  await main(page).getByLabel('密码', { exact: true }).fill(password)
  await main(page).getByRole('button', { name: '登录' }).click()
}

const problemsOf = new WeakMap<Page, string[]>()

/**
 * Another person, signed in within a browser context of their own (on `baseURL` when given);
 * like `page`, their browser must report no errors: `signOff` checks it and closes the context.
 */
export async function signedIn(browser: Browser, email: string, options: { baseURL?: string } = {}): Promise<Page> {
  const context = await browser.newContext(options.baseURL ? { baseURL: options.baseURL } : {})
  const page = await context.newPage()
  const seen: string[] = []
  problemsOf.set(page, seen)
  page.on('pageerror', (error) => seen.push(`uncaught: ${error.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) seen.push(`console.error: ${m.text()}`)
  })
  await page.goto('/login')
  await fillSignIn(page, email, DEMO_PASSWORD)
  await expect(header(page).getByRole('button', { name: '退出' })).toBeVisible()
  return page
}

export async function signOff(page: Page) {
  expect(problemsOf.get(page), 'the browser reported errors').toEqual([])
  await page.context().close()
}

export interface NewOrganization {
  name: string
  email: string
  password: string
  orgName: string
  creditCode: string
}

export function newOrganization(prefix = 'org'): NewOrganization {
  const tag = uniqueTag()
  return {
    name: `测试员${tag.slice(0, 4)}`,
    email: `${prefix}-${tag}@e2e.example.cn`,
    password: TEST_PASSWORD,
    orgName: `重庆测试科技${tag}有限公司`,
    creditCode: randomCreditCode(),
  }
}

/** Fills the "登记新机构" form on /register as an enterprise; the district stays 永川区. */
export async function fillOrganizationForm(page: Page, org: NewOrganization) {
  const form = main(page)
  await form.getByLabel('姓名').fill(org.name)
  await form.getByLabel('电子邮箱').fill(org.email)
  await form.getByLabel('密码（至少 8 位）').fill(org.password)
  await form.getByLabel('机构类型').selectOption({ label: '企业' })
  await form.getByLabel('机构全称').fill(org.orgName)
  await form.getByLabel('统一社会信用代码').fill(org.creditCode)
  await expect(form.getByLabel('所在区县')).toHaveValue('500118')
}

/** A fresh HTTP client (own cookie jar) talking to the test server. */
export async function httpClient(baseURL: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL })
}

/**
 * Posts the sign-in form; true when the server signs the person in. A refused attempt counts
 * against the per-client limit (30 in 15 minutes, app/domain/users/throttle.server.ts) that
 * the whole run shares, as every request comes from 127.0.0.1: keep the suite well below it.
 */
export async function canSignIn(baseURL: string, email: string, password: string): Promise<boolean> {
  const client = await httpClient(baseURL)
  try {
    const response = await client.post('/login', { form: { email, password, redirectTo: '/' }, maxRedirects: 0 })
    expect([302, 400], `sign-in answered ${response.status()}`).toContain(response.status())
    return response.status() === 302 && sessionCookieSet(response)
  } finally {
    await client.dispose()
  }
}

export function sessionCookieSet(response: APIResponse): boolean {
  return response.headersArray().some((h) => h.name.toLowerCase() === 'set-cookie' && /^kz_session=[^;]+/.test(h.value))
}

/** Every organisation the bureau sees in /admin/orgs, pending and verified, as page HTML. */
export async function bureauOrgListing(baseURL: string): Promise<string> {
  const client = await httpClient(baseURL)
  try {
    const login = await client.post('/login', { form: { email: DEMO.bureau.email, password: DEMO_PASSWORD, redirectTo: '/' }, maxRedirects: 0 })
    expect(login.status(), 'the bureau signs in').toBe(302)
    const pages: string[] = []
    for (const tab of ['pending', 'verified']) {
      for (let page = 1; ; page++) {
        const response = await client.get(`/admin/orgs?tab=${tab}&page=${page}`)
        expect(response.status()).toBe(200)
        const html = await response.text()
        pages.push(html)
        if (!html.includes('下一页')) break
      }
    }
    return pages.join('\n')
  } finally {
    await client.dispose()
  }
}
