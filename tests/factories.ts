import { randomBytes } from 'node:crypto'
import type { OrgKind, Role } from '~/generated/prisma/enums'
import { withCheckCharacter } from '~/domain/orgs/credit-code'
import { createUser, newInvitationCode } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** A valid, random unified social credit code registered in `region`. */
export function randomCreditCode(region = '500118'): string {
  const tail = Array.from(randomBytes(9), (b) => ALPHABET[b % ALPHABET.length]).join('')
  return withCheckCharacter(`91${region}${tail}`)
}

export function uniqueEmail(prefix = 'user') {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.cn`
}

export async function makeOrg(overrides: { kind?: OrgKind; name?: string; verified?: boolean; regionCode?: string } = {}) {
  const db = await prisma()
  return db.organization.create({
    data: {
      kind: overrides.kind ?? 'ENTERPRISE',
      name: overrides.name ?? `测试机构${randomBytes(3).toString('hex')}`,
      regionCode: overrides.regionCode ?? '500118',
      creditCode: randomCreditCode(overrides.regionCode),
      verified: overrides.verified ?? false,
      invitationCode: newInvitationCode(),
    },
  })
}

export const TEST_PASSWORD = 'correct horse battery'

export async function makeUser(overrides: { role?: Role; orgId?: string | null; isOrgAdmin?: boolean; email?: string; password?: string } = {}) {
  const role = overrides.role ?? 'ENTERPRISE'
  const orgId =
    overrides.orgId === undefined && role !== 'ADMIN'
      ? (await makeOrg({ kind: role === 'BUREAU' ? 'GOVERNMENT' : role === 'SUPPLIER' ? 'UNIVERSITY' : role === 'BROKER' ? 'BROKER_AGENCY' : 'ENTERPRISE', verified: true })).id
      : (overrides.orgId ?? undefined)
  return createUser({
    actor: 'system',
    input: {
      email: overrides.email ?? uniqueEmail(role.toLowerCase()),
      password: overrides.password ?? TEST_PASSWORD,
      name: `测试${role}`,
      role,
      orgId,
      isOrgAdmin: overrides.isOrgAdmin ?? false,
    },
  })
}
