import { describe, expect, it } from 'vitest'
import { AppError } from '~/domain/errors'
import { prisma } from '~/infra/db/client.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import { getOwnOrganization, listOrganizations, organizationCounts, rotateInvitationCode, setOrganizationVerified } from './orgs.server'

async function auditFor(entityId: string) {
  const db = await prisma()
  return db.auditLog.findMany({ where: { entityType: 'Organization', entityId }, orderBy: { id: 'asc' } })
}

describe('listOrganizations', () => {
  it('is refused to enterprise, supplier and broker members', async () => {
    for (const role of ['ENTERPRISE', 'SUPPLIER', 'BROKER'] as const) {
      const member = await makeUser({ role, isOrgAdmin: true })
      const error = await listOrganizations({ actor: member, verified: false }).catch((e: unknown) => e)
      expect(error, role).toBeInstanceOf(AppError)
      expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403 })
    }
  })

  it('shows the bureau the queue, oldest first, with region names, and the verified list apart', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const older = await makeOrg({ name: '较早的公司' })
    const newer = await makeOrg({ name: '较晚的公司', regionCode: '510107' })
    const done = await makeOrg({ verified: true })
    const pending = await listOrganizations({ actor: bureau, verified: false, pageSize: 1000 })
    const ids = pending.rows.map((r) => r.id)
    expect(ids).toContain(older.id)
    expect(ids).not.toContain(done.id)
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id))
    expect(pending.total).toBe(pending.rows.length)
    expect(pending.rows.find((r) => r.id === newer.id)).toMatchObject({ regionName: '四川省成都市武侯区', verified: false })
    const verified = await listOrganizations({ actor: bureau, verified: true, pageSize: 1000 })
    expect(verified.rows.map((r) => r.id)).toContain(done.id)
    expect(verified.rows.every((r) => r.verified)).toBe(true)
  })

  it('pages through the queue without repeating or skipping organisations registered at the same moment', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const db = await prisma()
    const sameMoment = new Date('2020-01-01T00:00:00Z')
    const twins = []
    for (let i = 0; i < 7; i++) twins.push(await makeOrg({ name: `同时注册${i}` }))
    await db.organization.updateMany({ where: { id: { in: twins.map((t) => t.id) } }, data: { createdAt: sameMoment } })
    const all = await listOrganizations({ actor: bureau, verified: false, pageSize: 1000 })
    const paged: string[] = []
    for (let page = 1; page <= 4; page++) {
      const result = await listOrganizations({ actor: bureau, verified: false, page, pageSize: 2 })
      expect(result.total).toBe(all.total)
      paged.push(...result.rows.map((r) => r.id))
    }
    // The oldest come first, each exactly once, in the order of the full list.
    expect(paged.slice(0, 7).sort()).toEqual(twins.map((t) => t.id).sort())
    expect(new Set(paged).size).toBe(paged.length)
    expect(paged).toEqual(all.rows.slice(0, 8).map((r) => r.id))
  })

  it('does not reveal invitation codes in the list', async () => {
    const admin = await makeUser({ role: 'ADMIN' })
    await makeOrg()
    const { rows } = await listOrganizations({ actor: admin, verified: false })
    for (const row of rows) expect(row).not.toHaveProperty('invitationCode')
  })
})

describe('setOrganizationVerified', () => {
  it('is refused to an enterprise member, and changes nothing', async () => {
    const member = await makeUser({ role: 'ENTERPRISE', isOrgAdmin: true })
    const org = await makeOrg()
    await expect(setOrganizationVerified({ actor: member, orgId: org.id, verified: true })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // Not even for its own organisation.
    await expect(setOrganizationVerified({ actor: member, orgId: member.orgId!, verified: false })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const db = await prisma()
    expect(await db.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({ verified: false, verifiedAt: null })
    expect(await auditFor(org.id)).toEqual([])
  })

  it('lets the bureau verify, recording who, when, and an audit entry with before and after', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const org = await makeOrg()
    const started = Date.now()
    await expect(setOrganizationVerified({ actor: bureau, orgId: org.id, verified: true, ip: '203.0.113.7' })).resolves.toMatchObject({ verified: true })
    const db = await prisma()
    const row = await db.organization.findUniqueOrThrow({ where: { id: org.id } })
    expect(row).toMatchObject({ verified: true, verifiedById: bureau.id })
    expect(row.verifiedAt!.getTime()).toBeGreaterThanOrEqual(started - 1000)
    const entries = await auditFor(org.id)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      actorId: bureau.id,
      action: 'org.verify',
      before: { id: org.id, verified: false },
      after: { id: org.id, verified: true },
      ip: '203.0.113.7',
    })
    const queue = await listOrganizations({ actor: bureau, verified: false, pageSize: 1000 })
    expect(queue.rows.map((r) => r.id)).not.toContain(org.id)
  })

  it('lets the bureau take a verification back, clearing who and when', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const org = await makeOrg()
    await setOrganizationVerified({ actor: bureau, orgId: org.id, verified: true })
    await expect(setOrganizationVerified({ actor: bureau, orgId: org.id, verified: false })).resolves.toMatchObject({ verified: false })
    const db = await prisma()
    expect(await db.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({ verified: false, verifiedAt: null, verifiedById: null })
    const entries = await auditFor(org.id)
    expect(entries.map((e) => e.action)).toEqual(['org.verify', 'org.unverify'])
    expect(entries[1]).toMatchObject({ before: { verified: true }, after: { verified: false } })
  })

  it('does nothing, and audits nothing, when the state does not change', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    const org = await makeOrg()
    await setOrganizationVerified({ actor: bureau, orgId: org.id, verified: true })
    await setOrganizationVerified({ actor: bureau, orgId: org.id, verified: true })
    await setOrganizationVerified({ actor: bureau, orgId: (await makeOrg()).id, verified: false })
    expect((await auditFor(org.id)).map((e) => e.action)).toEqual(['org.verify'])
  })

  it('answers NOT_FOUND for an unknown organisation', async () => {
    const bureau = await makeUser({ role: 'BUREAU' })
    await expect(setOrganizationVerified({ actor: bureau, orgId: 'no-such-org', verified: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'err.notFound',
      status: 404,
    })
  })

  it('refuses a missing actor as UNAUTHENTICATED', async () => {
    const org = await makeOrg()
    await expect(setOrganizationVerified({ actor: null as never, orgId: org.id, verified: true })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
  })
})

describe('invitation codes', () => {
  it('are rotated only by an administrator of the organisation', async () => {
    const admin = await makeUser({ role: 'SUPPLIER', isOrgAdmin: true })
    const member = await makeUser({ role: 'SUPPLIER', orgId: admin.orgId, isOrgAdmin: false })
    const db = await prisma()
    const before = (await db.organization.findUniqueOrThrow({ where: { id: admin.orgId! } })).invitationCode

    await expect(rotateInvitationCode({ actor: member })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect((await db.organization.findUniqueOrThrow({ where: { id: admin.orgId! } })).invitationCode).toBe(before)

    const { invitationCode } = await rotateInvitationCode({ actor: admin, ip: '198.51.100.1' })
    expect(invitationCode).not.toBe(before)
    expect(invitationCode).toMatch(/^[A-Z0-9]{10}$/)
    expect((await db.organization.findUniqueOrThrow({ where: { id: admin.orgId! } })).invitationCode).toBe(invitationCode)
    expect(await auditFor(admin.orgId!)).toContainEqual(expect.objectContaining({ action: 'org.invitation.rotate', actorId: admin.id }))
  })

  it('cannot be rotated by a user without an organisation', async () => {
    const platformAdmin = await makeUser({ role: 'ADMIN' })
    await expect(rotateInvitationCode({ actor: { ...platformAdmin, isOrgAdmin: true } })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('are shown on the organisation page to its administrators only', async () => {
    const admin = await makeUser({ role: 'ENTERPRISE', isOrgAdmin: true })
    const member = await makeUser({ role: 'ENTERPRISE', orgId: admin.orgId, isOrgAdmin: false })
    const db = await prisma()
    const code = (await db.organization.findUniqueOrThrow({ where: { id: admin.orgId! } })).invitationCode

    const asAdmin = await getOwnOrganization({ actor: admin })
    expect(asAdmin).toMatchObject({ id: admin.orgId, invitationCode: code, regionName: '重庆市永川区' })
    expect(asAdmin!.members.map((m) => m.id)).toEqual([admin.id, member.id])
    for (const m of asAdmin!.members) expect(m).not.toHaveProperty('passwordHash')

    const asMember = await getOwnOrganization({ actor: member })
    expect(asMember).toMatchObject({ id: admin.orgId, invitationCode: null })
    expect(JSON.stringify(asMember)).not.toContain(code)
  })

  it('there is no organisation page for a user without an organisation', async () => {
    const platformAdmin = await makeUser({ role: 'ADMIN' })
    expect(await getOwnOrganization({ actor: platformAdmin })).toBeNull()
  })
})

describe('organizationCounts', () => {
  it('counts verified organisations by kind and active members', async () => {
    const before = await organizationCounts()
    await makeOrg({ kind: 'UNIVERSITY', verified: true })
    await makeOrg({ kind: 'UNIVERSITY', verified: false })
    const disabled = await makeUser({ role: 'ADMIN' })
    const db = await prisma()
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } })
    const after = await organizationCounts()
    expect(after.verified).toBe(before.verified + 1)
    expect(after.byKind.UNIVERSITY ?? 0).toBe((before.byKind.UNIVERSITY ?? 0) + 1)
    expect(after.members).toBe(before.members)
  })
})
