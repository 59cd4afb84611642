import { describe, expect, it } from 'vitest'
import { prisma } from '~/infra/db/client.server'
import { makeUser } from '../../../tests/factories'
import { createSession, getSessionUser, pruneSessions, revokeOtherSessions, revokeSession, SESSION_DAYS } from './sessions.server'

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

async function sessionRow(id: string) {
  const db = await prisma()
  return db.session.findUnique({ where: { id } })
}

async function setSession(id: string, data: { expiresAt?: Date; revokedAt?: Date | null; lastSeenAt?: Date }) {
  const db = await prisma()
  await db.session.update({ where: { id }, data })
}

describe('sessions', () => {
  it('creates an unguessable id that leads back to the user, for 30 days', async () => {
    const user = await makeUser()
    const session = await createSession(user.id, { ip: '192.0.2.1', userAgent: 'x'.repeat(1000) })
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now() + (SESSION_DAYS - 1) * DAY)
    const found = await getSessionUser(session.id)
    expect(found).toMatchObject({ sessionId: session.id, user: { id: user.id, email: user.email, role: user.role } })
    expect(found!.user).not.toHaveProperty('passwordHash')
    expect(found!.user).not.toHaveProperty('disabledAt')
    const row = await sessionRow(session.id)
    expect(row).toMatchObject({ ip: '192.0.2.1' })
    expect(row!.userAgent).toHaveLength(300)
    expect((await createSession(user.id)).id).not.toBe(session.id)
  })

  it('yields null for an unknown id', async () => {
    expect(await getSessionUser('no-such-session')).toBeNull()
    expect(await getSessionUser('')).toBeNull()
  })

  it('yields null for an expired session', async () => {
    const user = await makeUser()
    const session = await createSession(user.id)
    await setSession(session.id, { expiresAt: new Date(Date.now() - 1000) })
    expect(await getSessionUser(session.id)).toBeNull()
    // Looking does not bring it back to life.
    expect((await sessionRow(session.id))!.expiresAt.getTime()).toBeLessThan(Date.now())
  })

  it('yields null for a revoked session, and only that one', async () => {
    const user = await makeUser()
    const revoked = await createSession(user.id)
    const kept = await createSession(user.id)
    await revokeSession(revoked.id)
    expect(await getSessionUser(revoked.id)).toBeNull()
    expect(await getSessionUser(kept.id)).not.toBeNull()
    // Revoking twice keeps the first time.
    const first = (await sessionRow(revoked.id))!.revokedAt
    await revokeSession(revoked.id)
    expect((await sessionRow(revoked.id))!.revokedAt).toEqual(first)
  })

  it('yields null for every session of a disabled user', async () => {
    const user = await makeUser()
    const a = await createSession(user.id)
    const b = await createSession(user.id)
    const db = await prisma()
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } })
    expect(await getSessionUser(a.id)).toBeNull()
    expect(await getSessionUser(b.id)).toBeNull()
    await db.user.update({ where: { id: user.id }, data: { disabledAt: null } })
    expect(await getSessionUser(a.id)).not.toBeNull()
  })

  it('revokes the other sessions of a user, keeping the current one and other users’ sessions', async () => {
    const user = await makeUser()
    const other = await makeUser()
    const current = await createSession(user.id)
    const elsewhere = await createSession(user.id)
    const someoneElse = await createSession(other.id)
    await revokeOtherSessions(user.id, current.id)
    expect(await getSessionUser(current.id)).not.toBeNull()
    expect(await getSessionUser(elsewhere.id)).toBeNull()
    expect(await getSessionUser(someoneElse.id)).not.toBeNull()
    await revokeOtherSessions(user.id)
    expect(await getSessionUser(current.id)).toBeNull()
  })

  it('extends a session in use, at most once an hour', async () => {
    const user = await makeUser()
    const session = await createSession(user.id)
    // Seen 2 hours ago, expiring in a day: in use now, so it gets 30 days again.
    await setSession(session.id, { lastSeenAt: new Date(Date.now() - 2 * HOUR), expiresAt: new Date(Date.now() + DAY) })
    expect(await getSessionUser(session.id)).not.toBeNull()
    const touched = (await sessionRow(session.id))!
    expect(touched.expiresAt.getTime()).toBeGreaterThan(Date.now() + (SESSION_DAYS - 1) * DAY)
    expect(touched.lastSeenAt.getTime()).toBeGreaterThan(Date.now() - HOUR)
    // Seen a minute ago: left alone.
    const lastSeenAt = new Date(Date.now() - 60_000)
    const expiresAt = new Date(Date.now() + DAY)
    await setSession(session.id, { lastSeenAt, expiresAt })
    expect(await getSessionUser(session.id)).not.toBeNull()
    expect(await sessionRow(session.id)).toMatchObject({ lastSeenAt, expiresAt })
  })

  it('prunes sessions that expired or were revoked more than a day ago, and keeps the rest', async () => {
    const user = await makeUser()
    const live = await createSession(user.id)
    const expiredLongAgo = await createSession(user.id)
    const expiredRecently = await createSession(user.id)
    const revokedLongAgo = await createSession(user.id)
    const revokedRecently = await createSession(user.id)
    await setSession(expiredLongAgo.id, { expiresAt: new Date(Date.now() - 2 * DAY) })
    await setSession(expiredRecently.id, { expiresAt: new Date(Date.now() - HOUR) })
    await setSession(revokedLongAgo.id, { revokedAt: new Date(Date.now() - 2 * DAY) })
    await setSession(revokedRecently.id, { revokedAt: new Date(Date.now() - HOUR) })

    expect(await pruneSessions()).toBeGreaterThanOrEqual(2)
    expect(await sessionRow(expiredLongAgo.id)).toBeNull()
    expect(await sessionRow(revokedLongAgo.id)).toBeNull()
    expect(await sessionRow(live.id)).not.toBeNull()
    expect(await sessionRow(expiredRecently.id)).not.toBeNull()
    expect(await sessionRow(revokedRecently.id)).not.toBeNull()
    expect(await pruneSessions()).toBe(0)
  })

  it('are deleted with their user', async () => {
    const user = await makeUser()
    const session = await createSession(user.id)
    const db = await prisma()
    await db.auditLog.deleteMany({ where: { actorId: user.id } })
    await db.user.delete({ where: { id: user.id } })
    expect(await sessionRow(session.id)).toBeNull()
  })
})
