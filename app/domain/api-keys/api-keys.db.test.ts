import { describe, expect, it } from 'vitest'
import type { OrgKind } from '~/generated/prisma/enums'
import { prisma } from '~/infra/db/client.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import { actorForApiKey, createApiKey, hashApiKey, listApiKeys, revokeApiKey } from './api-keys.server'

async function orgAdmin(kind: OrgKind = 'UNIVERSITY') {
  const org = await makeOrg({ kind, verified: true })
  const role = kind === 'ENTERPRISE' ? 'ENTERPRISE' : kind === 'BROKER_AGENCY' ? 'BROKER' : kind === 'GOVERNMENT' ? 'BUREAU' : 'SUPPLIER'
  return makeUser({ role, orgId: org.id, isOrgAdmin: true })
}

describe('API keys', () => {
  it('are created by an organisation administrator, stored only as a hash and a prefix, and audited', async () => {
    const admin = await orgAdmin()
    const { key, secret } = await createApiKey({ actor: admin, input: { name: '成果系统同步' }, ip: '10.0.0.1' })
    expect(secret).toMatch(/^kz_[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(secret.slice(3), 'base64url')).toHaveLength(32)
    expect(secret.startsWith(key.prefix)).toBe(true)
    expect(key.prefix).toHaveLength(11)
    const db = await prisma()
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })
    expect(row).toMatchObject({ orgId: admin.orgId, createdById: admin.id, keyHash: hashApiKey(secret), revokedAt: null, lastUsedAt: null })
    expect(JSON.stringify(row)).not.toContain(secret.slice(11))
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: key.id } })
    expect(audit).toMatchObject({ action: 'apiKey.create', actorId: admin.id, entityType: 'ApiKey', ip: '10.0.0.1' })
    const recorded = JSON.stringify([audit.before, audit.after])
    expect(recorded).toContain(key.prefix)
    expect(recorded).not.toContain(secret.slice(11))
    expect(recorded).not.toContain(row.keyHash)
  })

  it('are refused to members who are not administrators, and to people without an organisation', async () => {
    const admin = await orgAdmin()
    const member = await makeUser({ role: 'SUPPLIER', orgId: admin.orgId, isOrgAdmin: false })
    const platformAdmin = await makeUser({ role: 'ADMIN' })
    for (const actor of [member, platformAdmin]) {
      await expect(createApiKey({ actor, input: { name: 'x' } })).rejects.toMatchObject({ code: 'FORBIDDEN' })
      await expect(listApiKeys({ actor })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    }
    const { key } = await createApiKey({ actor: admin, input: { name: 'x' } })
    await expect(revokeApiKey({ actor: member, id: key.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('are listed and revoked only within their organisation', async () => {
    const admin = await orgAdmin()
    const colleague = await makeUser({ role: 'SUPPLIER', orgId: admin.orgId, isOrgAdmin: true })
    const stranger = await orgAdmin()
    const first = await createApiKey({ actor: admin, input: { name: '第一把' } })
    const second = await createApiKey({ actor: colleague, input: { name: '第二把' } })
    await createApiKey({ actor: stranger, input: { name: '别人的' } })
    const keys = await listApiKeys({ actor: admin })
    expect(keys.map((k) => k.name).sort()).toEqual(['第一把', '第二把'])
    expect(keys.find((k) => k.id === second.key.id)?.createdByName).toBe(colleague.name)
    expect(JSON.stringify(keys)).not.toMatch(/keyHash/)

    await expect(revokeApiKey({ actor: stranger, id: first.key.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await actorForApiKey(first.secret)).not.toBeNull()
    const revoked = await revokeApiKey({ actor: colleague, id: first.key.id, ip: '10.0.0.2' })
    expect(revoked.revokedAt).toBeInstanceOf(Date)
    expect(await actorForApiKey(first.secret)).toBeNull()
    // Revoking again changes nothing and audits nothing more.
    await revokeApiKey({ actor: admin, id: first.key.id })
    const db = await prisma()
    expect(await db.auditLog.count({ where: { entityId: first.key.id, action: 'apiKey.revoke' } })).toBe(1)
    expect(await actorForApiKey(second.secret)).not.toBeNull()
  })

  it('act for their organisation with the role of its kind, in the name of their creator', async () => {
    const expected = { UNIVERSITY: 'SUPPLIER', INSTITUTE: 'SUPPLIER', ENTERPRISE: 'ENTERPRISE', BROKER_AGENCY: 'BROKER', GOVERNMENT: 'BUREAU', OTHER: 'SUPPLIER' } as const
    for (const [kind, role] of Object.entries(expected) as [OrgKind, string][]) {
      const admin = await orgAdmin(kind)
      const { secret, key } = await createApiKey({ actor: admin, input: { name: kind } })
      expect(await actorForApiKey(secret)).toEqual({ id: admin.id, role, orgId: admin.orgId, isOrgAdmin: false, apiKeyId: key.id })
    }
  })

  it('stop working while their creator\'s account is disabled, and keep working when the creator leaves the organisation', async () => {
    const admin = await orgAdmin()
    const { secret } = await createApiKey({ actor: admin, input: { name: '同步' } })
    const db = await prisma()
    await db.user.update({ where: { id: admin.id }, data: { disabledAt: new Date() } })
    expect(await actorForApiKey(secret)).toBeNull()
    await db.user.update({ where: { id: admin.id }, data: { disabledAt: null } })
    expect(await actorForApiKey(secret)).toMatchObject({ id: admin.id, orgId: admin.orgId })
    const other = await makeOrg({ kind: 'UNIVERSITY', verified: true })
    await db.user.update({ where: { id: admin.id }, data: { orgId: other.id } })
    expect(await actorForApiKey(secret)).toMatchObject({ id: admin.id, orgId: admin.orgId })
  })

  it('reject malformed and unknown keys without touching anything', async () => {
    for (const bad of ['', 'kz_', 'kz_short', `kz_${'A'.repeat(43)}`, `xx_${'A'.repeat(43)}`, `kz_${'A'.repeat(42)}!`]) {
      expect(await actorForApiKey(bad), bad).toBeNull()
    }
  })

  it('record their use at most once a minute', async () => {
    const admin = await orgAdmin()
    const { secret, key } = await createApiKey({ actor: admin, input: { name: 'x' } })
    const db = await prisma()
    const lastUsed = async () => (await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt
    const t0 = new Date('2030-01-01T00:00:00Z')
    await actorForApiKey(secret, t0)
    expect(await lastUsed()).toEqual(t0)
    await actorForApiKey(secret, new Date(t0.getTime() + 30_000))
    expect(await lastUsed()).toEqual(t0)
    const t1 = new Date(t0.getTime() + 61_000)
    await actorForApiKey(secret, t1)
    expect(await lastUsed()).toEqual(t1)
  })
})
