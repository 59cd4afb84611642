import { describe, expect, it } from 'vitest'
import { isValidCreditCode } from '~/domain/orgs/credit-code'
import { isValidRegionCode } from '~/domain/orgs/regions.server'
import { authenticate, changePassword } from '~/domain/users/accounts.server'
import { ROLE_BY_ORG_KIND } from '~/domain/users/permissions'
import { prisma } from '~/infra/db/client.server'
import { DEMO_ACCOUNTS, DEMO_ORGS, DEMO_PASSWORD, seedDemo, shouldSeedDemo } from './demo.server'

const demoEmails = DEMO_ACCOUNTS.map((a) => a.email)

async function demoState() {
  const db = await prisma()
  const orgs = await db.organization.findMany({ where: { source: 'demo' }, orderBy: { externalId: 'asc' } })
  const users = await db.user.findMany({ where: { email: { in: demoEmails } }, include: { org: true }, orderBy: { email: 'asc' } })
  return { orgs, users }
}

describe('demo data', () => {
  // Runs first, on the file's fresh database.
  it('is loaded on a first start in development, or when forced, never when switched off', async () => {
    const db = await prisma()
    expect(await db.user.count()).toBe(0)
    expect(await shouldSeedDemo('auto', 'development')).toBe(true)
    expect(await shouldSeedDemo('on', 'production')).toBe(true)
    expect(await shouldSeedDemo('auto', 'production')).toBe(false)
    expect(await shouldSeedDemo('auto', 'test')).toBe(false)
    expect(await shouldSeedDemo('off', 'development')).toBe(false)
  })

  it('creates the demo organisations and one account per role, once, however often it runs', { timeout: 120_000 }, async () => {
    const returned = await seedDemo()
    expect(returned.map((a) => a.email)).toEqual(demoEmails)
    const first = await demoState()
    expect(first.orgs).toHaveLength(DEMO_ORGS.length)
    expect(first.users).toHaveLength(DEMO_ACCOUNTS.length)

    await seedDemo()
    const second = await demoState()
    expect(second.orgs.map((o) => [o.id, o.creditCode, o.invitationCode])).toEqual(first.orgs.map((o) => [o.id, o.creditCode, o.invitationCode]))
    expect(second.users.map((u) => [u.id, u.passwordHash])).toEqual(first.users.map((u) => [u.id, u.passwordHash]))

    // Once loaded, a start does not load it again.
    expect(await shouldSeedDemo('on', 'development')).toBe(false)
  })

  it('has valid credit codes and regions, and roles that match the organisation kinds', async () => {
    const { orgs, users } = await demoState()
    for (const org of orgs) {
      expect(isValidCreditCode(org.creditCode!), `${org.name} ${org.creditCode}`).toBe(true)
      expect(isValidRegionCode(org.regionCode), org.name).toBe(true)
    }
    expect(new Set(orgs.map((o) => o.creditCode)).size).toBe(orgs.length)
    expect(new Set(users.map((u) => u.role))).toEqual(new Set(['ADMIN', 'BUREAU', 'SUPPLIER', 'ENTERPRISE', 'BROKER']))
    for (const user of users) {
      if (user.role === 'ADMIN') {
        expect(user.orgId).toBeNull()
        continue
      }
      expect(user.org, user.email).not.toBeNull()
      expect(ROLE_BY_ORG_KIND[user.org!.kind], user.email).toBe(user.role)
    }
    // The bureau is a verified government body; an unverified company waits in the queue.
    expect(users.find((u) => u.role === 'BUREAU')!.org).toMatchObject({ kind: 'GOVERNMENT', verified: true })
    expect(orgs.some((o) => !o.verified)).toBe(true)
  })

  it('lets every demo account sign in with the demo password, and no other', async () => {
    for (const account of DEMO_ACCOUNTS) {
      await expect(authenticate({ email: account.email, password: DEMO_PASSWORD }), account.email).resolves.toMatchObject({
        email: account.email,
        role: account.role,
        isOrgAdmin: account.orgAdmin,
      })
    }
    await expect(authenticate({ email: DEMO_ACCOUNTS[0]!.email, password: `${DEMO_PASSWORD}x` })).rejects.toMatchObject({ message: 'err.badCredentials' })
  })

  it('does not reset a demo password that was changed', { timeout: 120_000 }, async () => {
    const account = DEMO_ACCOUNTS.find((a) => a.role === 'BROKER')!
    const user = await authenticate({ email: account.email, password: DEMO_PASSWORD })
    await changePassword({ actor: user, input: { currentPassword: DEMO_PASSWORD, newPassword: 'changed-password', confirmPassword: 'changed-password' } })
    await seedDemo()
    await expect(authenticate({ email: account.email, password: 'changed-password' })).resolves.toMatchObject({ id: user.id })
  })
})
