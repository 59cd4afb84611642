import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { Prisma } from '~/generated/prisma/client'
import type { Role } from '~/generated/prisma/enums'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import { isValidRegionCode } from '~/domain/orgs/regions.server'
import { prisma } from '~/infra/db/client.server'
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.server'
import { can, ROLE_BY_ORG_KIND, type Permission } from './permissions'
import { ChangePasswordSchema, type RegisterInput } from './schemas'
import { revokeOtherSessions, sessionUserSelect, type SessionUser } from './sessions.server'
import { clearFailures, emailKey, ipKey, lockedFor, recordFailure, THROTTLE } from './throttle.server'

export type Actor = Pick<SessionUser, 'id' | 'role' | 'orgId' | 'isOrgAdmin'>

/** Throws FORBIDDEN unless the actor's role grants the permission. */
export function authorize(actor: Actor | null | undefined, permission: Permission): asserts actor is Actor {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'err.signInRequired')
  if (!can(actor.role, permission)) throw new AppError('FORBIDDEN', 'err.forbidden')
}

// Invitation codes avoid characters that are easy to misread (0/O, 1/I/L).
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export function newInvitationCode(length = 10): string {
  const bytes = randomBytes(length)
  return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('')
}

/** Registers a person with a new organisation (its first administrator) or into an existing one. */
export async function registerAccount({ input, ip }: { input: RegisterInput; ip?: string | null }) {
  const db = await prisma()
  if (input.mode === 'create' && !isValidRegionCode(input.regionCode)) {
    throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { regionCode: 'err.region' } })
  }
  const passwordHash = await hashPassword(input.password)
  try {
    return await db.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
        throw new AppError('CONFLICT', 'err.invalidForm', { fields: { email: 'err.emailTaken' } })
      }
      let orgId: string
      let role: Role
      let isOrgAdmin: boolean
      if (input.mode === 'create') {
        if (await tx.organization.findUnique({ where: { creditCode: input.creditCode }, select: { id: true } })) {
          throw new AppError('CONFLICT', 'err.invalidForm', { fields: { creditCode: 'err.creditCodeTaken' } })
        }
        const org = await tx.organization.create({
          data: {
            kind: input.orgKind,
            name: input.orgName,
            creditCode: input.creditCode,
            regionCode: input.regionCode,
            invitationCode: newInvitationCode(),
          },
        })
        orgId = org.id
        role = ROLE_BY_ORG_KIND[input.orgKind]
        isOrgAdmin = true
        await audit(tx, { actorId: null, action: 'org.register', entityType: 'Organization', entityId: org.id, after: org, ip })
      } else {
        const org = await tx.organization.findUnique({ where: { invitationCode: input.invitationCode } })
        if (!org) throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { invitationCode: 'err.invitationCode' } })
        orgId = org.id
        role = ROLE_BY_ORG_KIND[org.kind]
        isOrgAdmin = false
      }
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, phone: input.phone ?? null, passwordHash, role, isOrgAdmin, orgId },
        select: sessionUserSelect,
      })
      await audit(tx, {
        actorId: user.id,
        action: input.mode === 'create' ? 'user.register' : 'user.join',
        entityType: 'User',
        entityId: user.id,
        after: { email: user.email, name: user.name, role, orgId },
        ip,
      })
      return user
    })
  } catch (error) {
    throw uniqueViolationToConflict(error)
  }
}

/** Two registrations racing past the checks above meet the unique index instead. */
function uniqueViolationToConflict(error: unknown) {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    const target = JSON.stringify(error.meta ?? {})
    const field = target.includes('creditCode') ? 'creditCode' : 'email'
    return new AppError('CONFLICT', 'err.invalidForm', {
      fields: { [field]: field === 'email' ? 'err.emailTaken' : 'err.creditCodeTaken' },
    })
  }
  return error
}

/** Checks an e-mail and password, with throttling per address and per client. */
export async function authenticate({ email, password, ip }: { email: string; password: string; ip?: string | null }) {
  const keys = [emailKey(email), ...(ip ? [ipKey(ip)] : [])]
  const wait = await lockedFor(keys)
  if (wait > 0) {
    throw new AppError('RATE_LIMITED', 'err.tooManyAttempts', { params: { minutes: Math.ceil(wait / 60000) } })
  }
  const db = await prisma()
  const user = await db.user.findUnique({
    where: { email },
    select: { ...sessionUserSelect, passwordHash: true, disabledAt: true },
  })
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password)
  if (!user || !ok || user.disabledAt) {
    await recordFailure(emailKey(email), THROTTLE.maxPerEmail)
    if (ip) await recordFailure(ipKey(ip), THROTTLE.maxPerIp)
    throw new AppError('BAD_INPUT', 'err.badCredentials')
  }
  await clearFailures(emailKey(email))
  const { passwordHash: _h, disabledAt: _d, ...sessionUser } = user
  return sessionUser
}

export async function changePassword({
  actor,
  input,
  sessionId,
  ip,
}: {
  actor: Actor
  input: z.infer<typeof ChangePasswordSchema>
  sessionId?: string
  ip?: string | null
}) {
  authorize(actor, 'account:manage')
  const db = await prisma()
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { passwordHash: true } })
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { currentPassword: 'err.currentPassword' } })
  }
  const passwordHash = await hashPassword(input.newPassword)
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash } })
    await audit(tx, { actorId: actor.id, action: 'user.password', entityType: 'User', entityId: actor.id, ip })
  })
  // Anyone who had the old password is signed out everywhere else.
  await revokeOtherSessions(actor.id, sessionId)
}

export const CreateUserSchema = z.object({
  email: z.email(),
  password: z.string().min(8).max(128),
  name: z.string().trim().min(1).max(100),
  role: z.enum(['SUPPLIER', 'ENTERPRISE', 'BROKER', 'BUREAU', 'ADMIN']),
  orgId: z.string().optional(),
  isOrgAdmin: z.boolean().default(false),
})

/** Creates an account directly: the command line's `users create`, demo data and tests. */
export async function createUser({ actor, input }: { actor: Actor | 'system'; input: z.input<typeof CreateUserSchema> }) {
  if (actor !== 'system') authorize(actor, 'user:create')
  const data = CreateUserSchema.parse(input)
  const db = await prisma()
  const passwordHash = await hashPassword(data.password)
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          email: data.email.toLowerCase(),
          name: data.name,
          role: data.role,
          orgId: data.orgId ?? null,
          isOrgAdmin: data.isOrgAdmin,
          passwordHash,
        },
        select: sessionUserSelect,
      })
      await audit(tx, {
        actorId: actor === 'system' ? null : actor.id,
        action: 'user.create',
        entityType: 'User',
        entityId: user.id,
        after: { email: user.email, role: user.role, orgId: user.orgId },
      })
      return user
    })
  } catch (error) {
    throw uniqueViolationToConflict(error)
  }
}
