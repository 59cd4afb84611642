import { randomBytes } from 'node:crypto'
import { prisma } from '~/infra/db/client.server'

export const SESSION_DAYS = 30
const DAY = 24 * 60 * 60 * 1000
// Touch a session at most this often, so that every page view does not write.
const TOUCH_EVERY = 60 * 60 * 1000

export const sessionUserSelect = {
  id: true,
  email: true,
  name: true,
  phone: true,
  role: true,
  isOrgAdmin: true,
  locale: true,
  orgId: true,
  org: { select: { id: true, name: true, kind: true, verified: true, regionCode: true, invitationCode: true } },
} as const

export type SessionUser = NonNullable<Awaited<ReturnType<typeof getSessionUser>>>['user']

export async function createSession(userId: string, meta: { ip?: string | null; userAgent?: string | null } = {}) {
  const db = await prisma()
  const session = await db.session.create({
    data: {
      id: randomBytes(32).toString('base64url'),
      userId,
      expiresAt: new Date(Date.now() + SESSION_DAYS * DAY),
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    },
    select: { id: true, expiresAt: true },
  })
  return session
}

/** The signed-in user behind a session id, or null when it is unknown, revoked or expired. */
export async function getSessionUser(sessionId: string) {
  const db = await prisma()
  const session = await db.session.findUnique({
    where: { id: sessionId },
    select: { id: true, expiresAt: true, revokedAt: true, lastSeenAt: true, user: { select: { ...sessionUserSelect, disabledAt: true } } },
  })
  const now = Date.now()
  if (!session || session.revokedAt || session.expiresAt.getTime() <= now || session.user.disabledAt) return null
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY) {
    await db.session.update({
      where: { id: session.id },
      data: { lastSeenAt: new Date(now), expiresAt: new Date(now + SESSION_DAYS * DAY) },
    })
  }
  const { disabledAt: _disabled, ...user } = session.user
  return { sessionId: session.id, user }
}

export async function revokeSession(sessionId: string) {
  const db = await prisma()
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } })
}

export async function revokeOtherSessions(userId: string, keepSessionId?: string) {
  const db = await prisma()
  await db.session.updateMany({
    where: { userId, revokedAt: null, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
    data: { revokedAt: new Date() },
  })
}

/** Deletes sessions that expired or were revoked more than a day ago. */
export async function pruneSessions() {
  const db = await prisma()
  const cutoff = new Date(Date.now() - DAY)
  const { count } = await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lt: cutoff } }, { revokedAt: { lt: cutoff } }] },
  })
  return count
}
