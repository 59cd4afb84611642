import { prisma } from '~/infra/db/client.server'

/**
 * Sign-in throttling: after too many failures within the window a key (the e-mail address,
 * and separately the client address) is locked for a while. A success clears the e-mail key.
 */
export const THROTTLE = {
  windowMs: 15 * 60 * 1000,
  lockMs: 15 * 60 * 1000,
  maxPerEmail: 5,
  maxPerIp: 30,
}

export const emailKey = (email: string) => `email:${email.toLowerCase()}`
export const ipKey = (ip: string) => `ip:${ip}`

/** Milliseconds until the key may try again, or 0. */
export async function lockedFor(keys: string[], now = new Date()): Promise<number> {
  const db = await prisma()
  const rows = await db.loginThrottle.findMany({ where: { key: { in: keys } }, select: { lockedUntil: true } })
  return Math.max(0, ...rows.map((r) => (r.lockedUntil ? r.lockedUntil.getTime() - now.getTime() : 0)))
}

export async function recordFailure(key: string, max: number, now = new Date()) {
  const db = await prisma()
  await db.$transaction(async (tx) => {
    const row = await tx.loginThrottle.findUnique({ where: { key } })
    const fresh = !row || now.getTime() - row.windowStart.getTime() > THROTTLE.windowMs
    const failures = fresh ? 1 : row.failures + 1
    const lockedUntil = failures >= max ? new Date(now.getTime() + THROTTLE.lockMs) : (row?.lockedUntil ?? null)
    await tx.loginThrottle.upsert({
      where: { key },
      create: { key, failures, windowStart: now, lockedUntil },
      update: { failures, lockedUntil, ...(fresh ? { windowStart: now } : {}) },
    })
  })
}

export async function clearFailures(key: string) {
  const db = await prisma()
  await db.loginThrottle.deleteMany({ where: { key } })
}
