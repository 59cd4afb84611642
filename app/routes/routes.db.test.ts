/**
 * Route modules called as React Router calls them: a real Request, params and a context
 * (Epic Stack style). The root middleware is not run here; a signed-in user is simulated by
 * setting authContext from a real session, as the middleware does.
 */
import { RouterContextProvider } from 'react-router'
import { describe, expect, it } from 'vitest'
import { prisma, getDb } from '~/infra/db/client.server'
import { getSessionCookie } from '~/infra/http/cookies.server'
import { authContext } from '~/infra/http/context'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { makeOrg, makeUser, randomCreditCode, TEST_PASSWORD, uniqueEmail } from '../../tests/factories'
import * as accountRoute from './account'
import * as adminOrgsRoute from './admin.orgs'
import * as healthzRoute from './healthz'
import * as langRoute from './lang'
import * as loginRoute from './login'
import * as logoutRoute from './logout'
import * as registerRoute from './register'
import * as regionsRoute from './resources/regions'
import * as root from '../root'

const ORIGIN = 'http://localhost'

function get(path: string, headers: Record<string, string> = {}) {
  return new Request(`${ORIGIN}${path}`, { headers })
}

function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return new Request(`${ORIGIN}${path}`, { method: 'POST', body: new URLSearchParams(fields), headers })
}

/** A context as the root middleware leaves it: nobody signed in, or the user of a real session. */
async function context(user?: { id: string }) {
  const ctx = new RouterContextProvider()
  if (user) {
    const session = await createSession(user.id)
    ctx.set(authContext, await getSessionUser(session.id))
  }
  return ctx
}

type Handler = (args: never) => unknown
/** Calls a loader or action with the arguments React Router gives it; a synchronous throw rejects. */
const call = (fn: Handler, request: Request, ctx: RouterContextProvider, params: Record<string, string> = {}) =>
  new Promise<unknown>((resolve) => {
    const url = new URL(request.url)
    resolve(fn({ request, url, pattern: url.pathname, params, context: ctx } as never))
  })

interface Settled {
  status: number
  headers: Headers
  data: any
}

/** What the client would receive: a Response, a data() result or a plain object. */
async function settle(value: unknown): Promise<Settled> {
  if (value instanceof Response) {
    const text = await value.text()
    let data: unknown = text
    try {
      data = JSON.parse(text)
    } catch {
      // not JSON
    }
    return { status: value.status, headers: value.headers, data }
  }
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'DataWithResponseInit') {
    const { data, init } = value as { data: unknown; init: ResponseInit | null }
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), data }
  }
  return { status: 200, headers: new Headers(), data: value }
}

/** Runs a loader or action that is expected to throw a Response, and returns what it threw. */
async function thrown(promise: Promise<unknown>): Promise<Settled> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  if (outcome.ok) throw new Error(`expected a thrown Response, got ${JSON.stringify(outcome.value)}`)
  if (!(outcome.error instanceof Response)) throw outcome.error
  return settle(outcome.error)
}

const registration = () => ({
  mode: 'create',
  name: '赵工',
  email: uniqueEmail('reg'),
  password: 'a-long-password',
  orgKind: 'ENTERPRISE',
  orgName: `重庆测试机械有限公司${Math.random().toString(36).slice(2, 6)}`,
  creditCode: randomCreditCode().toLowerCase(),
  regionCode: '500118',
})

async function counts() {
  const db = await prisma()
  return { users: await db.user.count(), orgs: await db.organization.count(), sessions: await db.session.count() }
}

describe('/register action', () => {
  it('answers bad input with 400 and an error per field, and creates nothing', async () => {
    const before = await counts()
    const form = { ...registration(), name: `'; DROP TABLE "User"; --`, email: 'not-an-email', password: 'short', orgKind: 'GOVERNMENT', creditCode: '91350100M000100Y44' }
    const result = await settle(await call(registerRoute.action, post('/register', form), await context()))
    expect(result.status).toBe(400)
    expect(result.data.result.status).toBe('error')
    expect(result.data.result.error).toMatchObject({
      name: ['err.personName'],
      email: ['err.email'],
      password: ['err.passwordShort?min=8'],
      orgKind: ['err.orgKind'],
      creditCode: ['err.creditCode.check'],
    })
    expect(result.headers.get('Set-Cookie')).toBeNull()
    // The password is not sent back to the page.
    expect(JSON.stringify(result.data)).not.toContain('short')
    expect(await counts()).toEqual(before)
  })

  it('answers an empty form with 400 and "required" errors', async () => {
    const before = await counts()
    const result = await settle(await call(registerRoute.action, post('/register', { mode: 'create' }), await context()))
    expect(result.status).toBe(400)
    expect(result.data.result.error).toMatchObject({ name: ['err.required'], email: ['err.required'], password: ['err.required'] })
    expect(await counts()).toEqual(before)
  })

  it('registers, signs in with an HttpOnly SameSite=Lax session cookie and redirects home', async () => {
    const form = registration()
    const before = await counts()
    const response = await call(registerRoute.action, post('/register', form, { 'User-Agent': 'vitest' }), await context())
    expect(response).toBeInstanceOf(Response)
    const result = await settle(response)
    expect(result.status).toBe(302)
    expect(result.headers.get('Location')).toBe('/')
    const setCookie = result.headers.get('Set-Cookie')!
    expect(setCookie).toMatch(/^kz_session=/)
    expect(setCookie).toMatch(/;\s*HttpOnly/i)
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i)
    expect(setCookie).toMatch(/;\s*Path=\//i)

    // The cookie leads to a session of the new user, whose organisation waits for verification.
    const sessionId = await getSessionCookie().parse(setCookie.split(';')[0]!)
    expect(typeof sessionId).toBe('string')
    const signedIn = await getSessionUser(sessionId as string)
    expect(signedIn?.user).toMatchObject({ email: form.email, role: 'ENTERPRISE', isOrgAdmin: true })
    expect(signedIn?.user.org).toMatchObject({ name: form.orgName, verified: false })
    const db = await prisma()
    expect((await db.organization.findUniqueOrThrow({ where: { id: signedIn!.user.orgId! } })).creditCode).toBe(form.creditCode.toUpperCase())
    expect(await counts()).toEqual({ users: before.users + 1, orgs: before.orgs + 1, sessions: before.sessions + 1 })
  })

  it('answers a taken e-mail address with 400 on the e-mail field, and creates nothing', async () => {
    const existing = await makeUser()
    const before = await counts()
    const result = await settle(await call(registerRoute.action, post('/register', { ...registration(), email: existing.email.toUpperCase() }), await context()))
    expect(result.status).toBe(400)
    expect(result.data.result.error).toMatchObject({ email: ['err.emailTaken'], '': ['err.invalidForm'] })
    expect(await counts()).toEqual(before)
  })

  it('joins an organisation with its invitation code', async () => {
    const org = await makeOrg({ kind: 'UNIVERSITY' })
    const form = { mode: 'join', name: '孙老师', email: uniqueEmail('join'), password: 'a-long-password', invitationCode: org.invitationCode.toLowerCase() }
    const result = await settle(await call(registerRoute.action, post('/register', form), await context()))
    expect(result.status).toBe(302)
    const db = await prisma()
    expect(await db.user.findUniqueOrThrow({ where: { email: form.email } })).toMatchObject({ orgId: org.id, role: 'SUPPLIER', isOrgAdmin: false })
  })

  it('refreshes the district list without JavaScript, keeping the values but not the password', async () => {
    const before = await counts()
    const form = { ...registration(), intent: 'pick-province', province: '51' }
    const result = await settle(await call(registerRoute.action, post('/register', form), await context()))
    expect(result.status).toBe(200)
    expect(result.data.values).toMatchObject({ name: form.name, email: form.email })
    expect(result.data.values).not.toHaveProperty('password')
    expect(result.data.districts.flatMap((g: { areas: { code: string }[] }) => g.areas.map((a) => a.code))).toContain('510107')
    expect(await counts()).toEqual(before)
  })

  it('sends a signed-in user away from the registration page', async () => {
    const user = await makeUser()
    const result = await thrown(call(registerRoute.loader, get('/register'), await context(user)))
    expect(result.status).toBe(302)
    expect(result.headers.get('Location')).toBe('/')
    const anonymous = await settle(await call(registerRoute.loader, get('/register'), await context()))
    expect(anonymous.data.districts.flatMap((g: { areas: { name: string }[] }) => g.areas.map((a) => a.name))).toContain('永川区')
  })
})

describe('/login action', () => {
  it('answers a wrong password with 400 and a message, and no cookie', async () => {
    const user = await makeUser()
    const result = await settle(await call(loginRoute.action, post('/login', { email: user.email, password: 'wrong-password' }), await context()))
    expect(result.status).toBe(400)
    expect(result.data).toEqual({ formError: '邮箱或密码不正确', email: user.email })
    expect(result.headers.get('Set-Cookie')).toBeNull()
  })

  it('gives the message in the reader’s language', async () => {
    const user = await makeUser()
    const request = post('/login', { email: user.email, password: 'wrong-password' }, { Cookie: 'kz_lang=en' })
    const result = await settle(await call(loginRoute.action, request, await context()))
    expect(result.status).toBe(400)
    expect(result.data.formError).toBe('Wrong e-mail or password')
  })

  it('answers an unknown address and an empty form the same way as a wrong password', async () => {
    const forms: Record<string, string>[] = [{ email: uniqueEmail(), password: TEST_PASSWORD }, {}]
    for (const form of forms) {
      const result = await settle(await call(loginRoute.action, post('/login', form), await context()))
      expect(result.status, JSON.stringify(form)).toBe(400)
      expect(result.data.formError).toBe('邮箱或密码不正确')
    }
  })

  it('signs in and redirects to a same-site redirectTo', async () => {
    const user = await makeUser()
    const result = await settle(await call(loginRoute.action, post('/login', { email: user.email, password: TEST_PASSWORD, redirectTo: '/account?x=1' }), await context()))
    expect(result.status).toBe(302)
    expect(result.headers.get('Location')).toBe('/account?x=1')
    const setCookie = result.headers.get('Set-Cookie')!
    expect(setCookie).toMatch(/^kz_session=.+;.*HttpOnly/i)
    const sessionId = await getSessionCookie().parse(setCookie.split(';')[0]!)
    expect((await getSessionUser(sessionId as string))?.user.id).toBe(user.id)
  })

  it('never redirects to another site after signing in', async () => {
    const user = await makeUser()
    for (const redirectTo of ['https://evil.com', '//evil.com', '/\\evil.com', '/\t/evil.com']) {
      const result = await settle(await call(loginRoute.action, post('/login', { email: user.email, password: TEST_PASSWORD, redirectTo }), await context()))
      expect(result.status).toBe(302)
      expect(result.headers.get('Location'), JSON.stringify(redirectTo)).toBe('/')
    }
  })

  it('answers too many attempts with 429', async () => {
    const user = await makeUser()
    for (let i = 0; i < 5; i++) await call(loginRoute.action, post('/login', { email: user.email, password: 'wrong-password' }), await context())
    const result = await settle(await call(loginRoute.action, post('/login', { email: user.email, password: TEST_PASSWORD }), await context()))
    expect(result.status).toBe(429)
    expect(result.data.formError).toMatch(/^尝试次数过多，请 \d+ 分钟后再试$/)
  })

  it('sends a signed-in user on to a same-site redirectTo', async () => {
    const user = await makeUser()
    const onward = await thrown(call(loginRoute.loader, get('/login?redirectTo=%2Faccount'), await context(user)))
    expect(onward.headers.get('Location')).toBe('/account')
    const offSite = await thrown(call(loginRoute.loader, get('/login?redirectTo=https%3A%2F%2Fevil.com'), await context(user)))
    expect(offSite.headers.get('Location')).toBe('/')
  })
})

describe('/logout action', () => {
  it('revokes the session and clears the cookie', async () => {
    const user = await makeUser()
    const session = await createSession(user.id)
    const ctx = new RouterContextProvider()
    ctx.set(authContext, await getSessionUser(session.id))
    const result = await settle(await call(logoutRoute.action, post('/logout', {}), ctx))
    expect(result.status).toBe(302)
    expect(result.headers.get('Set-Cookie')).toMatch(/^kz_session=;.*Max-Age=0/i)
    expect(await getSessionUser(session.id)).toBeNull()
  })
})

describe('/admin/orgs', () => {
  it('sends an anonymous visitor to sign in, coming back afterwards', async () => {
    const result = await thrown(call(adminOrgsRoute.loader, get('/admin/orgs?tab=verified'), await context()))
    expect(result.status).toBe(302)
    expect(result.headers.get('Location')).toBe(`/login?${new URLSearchParams({ redirectTo: '/admin/orgs?tab=verified' })}`)
  })

  it('answers an enterprise user with 403, for the page and for the action', async () => {
    const enterprise = await makeUser({ role: 'ENTERPRISE', isOrgAdmin: true })
    const page = await thrown(call(adminOrgsRoute.loader, get('/admin/orgs'), await context(enterprise)))
    expect(page.status).toBe(403)
    const org = await makeOrg()
    const verify = await thrown(call(adminOrgsRoute.action, post('/admin/orgs', { orgId: org.id, intent: 'verify' }), await context(enterprise)))
    expect(verify.status).toBe(403)
    const db = await prisma()
    expect((await db.organization.findUniqueOrThrow({ where: { id: org.id } })).verified).toBe(false)
  })

  it('shows the bureau the queue and lets it verify, with a flash message', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const org = await makeOrg({ name: '待审核研究院' })
    const page = await settle(await call(adminOrgsRoute.loader, get('/admin/orgs?page=oops&tab=nonsense'), await context(bureau)))
    expect(page.data).toMatchObject({ tab: 'pending', page: 1 })
    expect(page.data.rows.map((r: { id: string }) => r.id)).toContain(org.id)

    const result = await settle(await call(adminOrgsRoute.action, post('/admin/orgs?tab=pending', { orgId: org.id, intent: 'verify', name: org.name }), await context(bureau)))
    expect(result.status).toBe(302)
    expect(result.headers.get('Location')).toBe('/admin/orgs?tab=pending')
    expect(result.headers.get('Set-Cookie')).toMatch(/^kz_flash=/)
    const db = await prisma()
    expect(await db.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({ verified: true, verifiedById: bureau.id })
  })

  it('answers 404 for an unknown organisation and 400 for a malformed form', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const missing = await thrown(call(adminOrgsRoute.action, post('/admin/orgs', { orgId: 'no-such-org', intent: 'verify' }), await context(bureau)))
    expect(missing.status).toBe(404)
    const malformed = await settle(await call(adminOrgsRoute.action, post('/admin/orgs', { orgId: 'x', intent: 'delete' }), await context(bureau)))
    expect(malformed.status).toBe(400)
    expect(malformed.data).toEqual({ error: 'err.badRequest' })
  })
})

describe('/account', () => {
  it('changes the password of the signed-in user and signs out the other sessions', async () => {
    const user = await makeUser()
    const other = await createSession(user.id)
    const ctx = await context(user)
    const form = { intent: 'change-password', currentPassword: TEST_PASSWORD, newPassword: 'brand-new-password', confirmPassword: 'brand-new-password' }
    const result = await settle(await call(accountRoute.action, post('/account', form), ctx))
    expect(result.status).toBe(302)
    expect(result.headers.get('Location')).toBe('/account')
    expect(await getSessionUser(other.id)).toBeNull()
    expect(await getSessionUser(ctx.get(authContext)!.sessionId)).not.toBeNull()
  })

  it('answers a wrong current password with 400 on that field, without echoing passwords', async () => {
    const user = await makeUser()
    const form = { intent: 'change-password', currentPassword: 'not-my-password', newPassword: 'brand-new-password', confirmPassword: 'brand-new-password' }
    const result = await settle(await call(accountRoute.action, post('/account', form), await context(user)))
    expect(result.status).toBe(400)
    expect(result.data.result.error).toMatchObject({ currentPassword: ['err.currentPassword'] })
    expect(JSON.stringify(result.data)).not.toContain('brand-new-password')
    expect(JSON.stringify(result.data)).not.toContain('not-my-password')
  })

  it('shows the invitation code to an organisation administrator only, and lets only them rotate it', async () => {
    const admin = await makeUser({ role: 'SUPPLIER', isOrgAdmin: true })
    const member = await makeUser({ role: 'SUPPLIER', orgId: admin.orgId, isOrgAdmin: false })
    const asAdmin = await settle(await call(accountRoute.loader, get('/account'), await context(admin)))
    expect(asAdmin.data.org.invitationCode).toMatch(/^[A-Z0-9]{10}$/)
    const asMember = await settle(await call(accountRoute.loader, get('/account'), await context(member)))
    expect(asMember.data.org.invitationCode).toBeNull()

    const refused = await thrown(call(accountRoute.action, post('/account', { intent: 'rotate-invitation' }), await context(member)))
    expect(refused.status).toBe(403)
    const rotated = await settle(await call(accountRoute.action, post('/account', { intent: 'rotate-invitation' }), await context(admin)))
    expect(rotated.status).toBe(302)
    const db = await prisma()
    expect((await db.organization.findUniqueOrThrow({ where: { id: admin.orgId! } })).invitationCode).not.toBe(asAdmin.data.org.invitationCode)
  })
})

describe('/healthz', () => {
  it('answers 200 with the database mode, uncached', async () => {
    const result = await settle(await call(healthzRoute.loader, get('/healthz'), await context()))
    expect(result.status).toBe(200)
    expect(result.headers.get('Cache-Control')).toBe('no-store')
    expect(result.data).toMatchObject({
      status: 'ok',
      database: { mode: (await getDb()).mode, status: 'ok' },
      search: { engine: 'embedded', status: 'ok' },
      outbox: { pending: expect.any(Number), failed: expect.any(Number), lagSeconds: expect.any(Number) },
    })
    expect(result.data.database.latencyMs).toBeGreaterThanOrEqual(0)
    // It is JSON: it survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(result.data))).toEqual(result.data)
  })
})

describe('/lang action', () => {
  it('sets the language cookie for a year and goes back to the page', async () => {
    const result = await settle(await call(langRoute.action, post('/lang', { locale: 'en', redirectTo: '/account?x=1' }), await context()))
    expect(result.status).toBe(302)
    expect(result.headers.get('Location')).toBe('/account?x=1')
    const cookie = result.headers.get('Set-Cookie')!
    expect(cookie).toMatch(/^kz_lang=en;/)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).toMatch(/Max-Age=31536000/)
    expect(cookie).toMatch(/SameSite=Lax/)
  })

  it('refuses an off-site redirectTo', async () => {
    for (const redirectTo of ['https://evil.com', '//evil.com/account', '/\\evil.com', '/\t/evil.com']) {
      const result = await settle(await call(langRoute.action, post('/lang', { locale: 'en', redirectTo }), await context()))
      expect(result.status).toBe(302)
      expect(result.headers.get('Location'), JSON.stringify(redirectTo)).toBe('/')
    }
  })

  it('falls back to Chinese for an unknown language', async () => {
    const result = await settle(await call(langRoute.action, post('/lang', { locale: 'xx"; Domain=evil.com' }), await context()))
    expect(result.headers.get('Set-Cookie')).toMatch(/^kz_lang=zh-CN;/)
    expect(result.headers.get('Set-Cookie')).not.toMatch(/evil/)
  })
})

describe('/resources/regions', () => {
  it('lists the districts of a province and refuses anything else', async () => {
    const ok = await settle(await call(regionsRoute.loader, get('/resources/regions?province=50'), await context()))
    expect(ok.status).toBe(200)
    expect(ok.data.districts.flatMap((g: { areas: { code: string }[] }) => g.areas.map((a) => a.code))).toContain('500118')
    for (const province of ['', '5', '500', 'ab', '50;']) {
      const bad = await settle(await call(regionsRoute.loader, get(`/resources/regions?province=${encodeURIComponent(province)}`), await context()))
      expect(bad.status, province).toBe(400)
    }
  })
})

describe('root middleware', () => {
  const [sameOrigin] = root.middleware
  const next = async () => new Response('ok')
  const run = (request: Request) => Promise.resolve(sameOrigin!({ request, params: {}, context: new RouterContextProvider() } as never, next as never))

  it('refuses a form post from another site with 403', async () => {
    const fromElsewhere = post('/logout', {}, { Origin: 'https://evil.com', Host: 'localhost' })
    expect((await thrown(run(fromElsewhere))).status).toBe(403)
    const nullOrigin = post('/logout', {}, { Origin: 'null', Host: 'localhost' })
    expect((await thrown(run(nullOrigin))).status).toBe(403)
    const crossSite = post('/logout', {}, { 'Sec-Fetch-Site': 'cross-site' })
    expect((await thrown(run(crossSite))).status).toBe(403)
  })

  it('lets same-site posts and any GET through', async () => {
    await expect(run(post('/logout', {}, { Origin: ORIGIN, Host: 'localhost' }))).resolves.toBeUndefined()
    await expect(run(post('/logout', {}))).resolves.toBeUndefined()
    await expect(run(get('/', { Origin: 'https://evil.com' }))).resolves.toBeUndefined()
  })
})
