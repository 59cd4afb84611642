import { describe, expect, it } from 'vitest'
import { AppError } from '~/domain/errors'
import { prisma } from '~/infra/db/client.server'
import { makeUser, randomCreditCode, TEST_PASSWORD, uniqueEmail } from '../../../tests/factories'
import { authenticate, changePassword, registerAccount } from './accounts.server'
import { getSessionUser, createSession } from './sessions.server'
import { THROTTLE } from './throttle.server'

const person = () => ({ name: '赵工', email: uniqueEmail(), password: 'a-long-password' })

describe('registerAccount', () => {
  it('creates the organisation, its first administrator, and audit entries', async () => {
    const input = { mode: 'create' as const, ...person(), orgKind: 'UNIVERSITY' as const, orgName: '测试大学', creditCode: randomCreditCode(), regionCode: '500118' }
    const user = await registerAccount({ input })
    expect(user).toMatchObject({ email: input.email, role: 'SUPPLIER', isOrgAdmin: true })
    expect(user.org).toMatchObject({ name: '测试大学', verified: false })
    const db = await prisma()
    const actions = (await db.auditLog.findMany({ where: { entityId: { in: [user.id, user.orgId!] } } })).map((a) => a.action)
    expect(actions.sort()).toEqual(['org.register', 'user.register'])
  })

  it('joins an existing organisation by invitation code with the role of its kind', async () => {
    const admin = await registerAccount({
      input: { mode: 'create', ...person(), orgKind: 'BROKER_AGENCY', orgName: '测试转移中心', creditCode: randomCreditCode(), regionCode: '500118' },
    })
    const member = await registerAccount({ input: { mode: 'join', ...person(), invitationCode: admin.org!.invitationCode } })
    expect(member).toMatchObject({ orgId: admin.orgId, role: 'BROKER', isOrgAdmin: false })
  })

  it('refuses a taken e-mail or credit code and writes nothing', async () => {
    const code = randomCreditCode()
    const first = await registerAccount({ input: { mode: 'create', ...person(), orgKind: 'ENTERPRISE', orgName: '甲公司', creditCode: code, regionCode: '500118' } })
    const db = await prisma()
    const orgsBefore = await db.organization.count()
    await expect(
      registerAccount({ input: { mode: 'create', ...person(), email: first.email, orgKind: 'ENTERPRISE', orgName: '乙公司', creditCode: randomCreditCode(), regionCode: '500118' } }),
    ).rejects.toMatchObject({ code: 'CONFLICT', fields: { email: 'err.emailTaken' } })
    await expect(
      registerAccount({ input: { mode: 'create', ...person(), orgKind: 'ENTERPRISE', orgName: '丙公司', creditCode: code, regionCode: '500118' } }),
    ).rejects.toMatchObject({ code: 'CONFLICT', fields: { creditCode: 'err.creditCodeTaken' } })
    expect(await db.organization.count()).toBe(orgsBefore)
  })

  it('refuses an unknown invitation code and an unknown region', async () => {
    await expect(registerAccount({ input: { mode: 'join', ...person(), invitationCode: 'NOPE123456' } })).rejects.toMatchObject({
      fields: { invitationCode: 'err.invitationCode' },
    })
    await expect(
      registerAccount({ input: { mode: 'create', ...person(), orgKind: 'ENTERPRISE', orgName: '丁公司', creditCode: randomCreditCode(), regionCode: '999999' } }),
    ).rejects.toMatchObject({ fields: { regionCode: 'err.region' } })
  })
})

describe('authenticate', () => {
  it('accepts the right password and refuses a wrong one or an unknown address', async () => {
    const user = await makeUser()
    await expect(authenticate({ email: user.email, password: TEST_PASSWORD })).resolves.toMatchObject({ id: user.id })
    await expect(authenticate({ email: user.email, password: 'wrong password' })).rejects.toMatchObject({ message: 'err.badCredentials' })
    await expect(authenticate({ email: uniqueEmail(), password: TEST_PASSWORD })).rejects.toBeInstanceOf(AppError)
  })

  it('locks an address after repeated failures, even for the right password', async () => {
    const user = await makeUser()
    for (let i = 0; i < THROTTLE.maxPerEmail; i++) {
      await expect(authenticate({ email: user.email, password: 'nope-nope' })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    }
    await expect(authenticate({ email: user.email, password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'RATE_LIMITED' })
  })
})

describe('changePassword', () => {
  it('checks the current password, then signs out the other sessions', async () => {
    const user = await makeUser()
    const current = await createSession(user.id)
    const other = await createSession(user.id)
    await expect(
      changePassword({ actor: user, input: { currentPassword: 'wrong', newPassword: 'new-password-1', confirmPassword: 'new-password-1' } }),
    ).rejects.toMatchObject({ fields: { currentPassword: 'err.currentPassword' } })
    await changePassword({
      actor: user,
      sessionId: current.id,
      input: { currentPassword: TEST_PASSWORD, newPassword: 'new-password-1', confirmPassword: 'new-password-1' },
    })
    expect(await getSessionUser(current.id)).not.toBeNull()
    expect(await getSessionUser(other.id)).toBeNull()
    await expect(authenticate({ email: user.email, password: 'new-password-1' })).resolves.toMatchObject({ id: user.id })
  })
})
