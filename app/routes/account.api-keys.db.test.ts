import { RouterContextProvider } from 'react-router'
import { describe, expect, it } from 'vitest'
import { actorForApiKey } from '~/domain/api-keys/api-keys.server'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { prisma } from '~/infra/db/client.server'
import { authContext } from '~/infra/http/context'
import { makeUser } from '../../tests/factories'
import * as route from './account.api-keys'

const ORIGIN = 'http://localhost'

async function context(user?: { id: string }) {
  const ctx = new RouterContextProvider()
  if (user) ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
  return ctx
}

const get = () => new Request(`${ORIGIN}/account/api-keys`)
const post = (fields: Record<string, string>) => new Request(`${ORIGIN}/account/api-keys`, { method: 'POST', body: new URLSearchParams(fields) })
const args = async (request: Request, user?: { id: string }) => ({ request, params: {}, context: await context(user) }) as never

async function rejection(promise: Promise<unknown>): Promise<Response> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(Response)
  return error as Response
}

type ActionData = { data: { result: { status?: string; error?: Record<string, string[]> }; created: { name: string; secret: string } | null }; init: ResponseInit | null }

describe('/account/api-keys', () => {
  it('sends visitors to sign in and refuses members who are not organisation administrators', async () => {
    const anonymous = await rejection(route.loader(await args(get())))
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toBe('/login?redirectTo=%2Faccount%2Fapi-keys')
    const member = await makeUser({ role: 'SUPPLIER', isOrgAdmin: false })
    expect((await rejection(route.loader(await args(get(), member)))).status).toBe(403)
    expect((await rejection(route.action(await args(post({ intent: 'create', name: 'x' }), member)))).status).toBe(403)
    const platformAdmin = await makeUser({ role: 'ADMIN' })
    expect((await rejection(route.loader(await args(get(), platformAdmin)))).status).toBe(403)
  })

  it('creates a key shown once, lists it without the secret, and revokes it', async () => {
    const admin = await makeUser({ role: 'ENTERPRISE', isOrgAdmin: true })
    const invalid = (await route.action(await args(post({ intent: 'create', name: '  ' }), admin))) as unknown as ActionData
    expect(invalid.init?.status).toBe(400)
    expect(invalid.data.result.error).toMatchObject({ name: ['err.required'] })

    const created = (await route.action(await args(post({ intent: 'create', name: 'ERP 同步' }), admin))) as unknown as ActionData
    expect(created.data.created?.name).toBe('ERP 同步')
    const secret = created.data.created!.secret
    expect(secret).toMatch(/^kz_[A-Za-z0-9_-]{43}$/)
    expect(new Headers(created.init?.headers).get('Cache-Control')).toBe('no-store')
    expect(await actorForApiKey(secret)).toMatchObject({ id: admin.id, orgId: admin.orgId, role: 'ENTERPRISE' })

    const page = await route.loader(await args(get(), admin))
    expect(page.keys).toHaveLength(1)
    expect(page.keys[0]).toMatchObject({ name: 'ERP 同步', prefix: secret.slice(0, 11), createdBy: admin.name, lastUsedAt: expect.any(String), revokedAt: null })
    expect(JSON.stringify(page)).not.toContain(secret.slice(11))

    const revoked = await route.action(await args(post({ intent: 'revoke', id: page.keys[0]!.id }), admin))
    expect(revoked).toBeInstanceOf(Response)
    expect((revoked as Response).status).toBe(302)
    expect((revoked as Response).headers.get('Set-Cookie')).toMatch(/^kz_flash=/)
    expect(await actorForApiKey(secret)).toBeNull()
    expect((await route.loader(await args(get(), admin))).keys[0]!.revokedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
    const db = await prisma()
    expect((await db.auditLog.findMany({ where: { entityType: 'ApiKey', actorId: admin.id } })).map((a) => a.action).sort()).toEqual(['apiKey.create', 'apiKey.revoke'])
  })

  it('cannot revoke another organisation’s key', async () => {
    const admin = await makeUser({ role: 'SUPPLIER', isOrgAdmin: true })
    const stranger = await makeUser({ role: 'SUPPLIER', isOrgAdmin: true })
    await route.action(await args(post({ intent: 'create', name: '他们的' }), stranger))
    const [theirs] = (await route.loader(await args(get(), stranger))).keys
    expect((await rejection(route.action(await args(post({ intent: 'revoke', id: theirs!.id }), admin)))).status).toBe(404)
    expect((await route.loader(await args(get(), stranger))).keys[0]!.revokedAt).toBeNull()
  })
})
