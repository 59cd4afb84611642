import type { Prisma, PrismaClient } from '~/generated/prisma/client'
import { prisma } from '~/infra/db/client.server'

/**
 * Transactional outbox. A side effect (indexing, mail, notifications) is written as a row in
 * the same transaction as the change it follows, and a worker in the app process runs it.
 * Claims use FOR UPDATE SKIP LOCKED, so several app instances can share one queue.
 */
export type OutboxHandler = (payload: unknown, meta: { id: bigint; attempts: number }) => Promise<void>

const handlers = new Map<string, OutboxHandler>()
export const MAX_ATTEMPTS = 10
const STALE_LOCK_MS = 5 * 60 * 1000

export function registerOutboxHandler(topic: string, handler: OutboxHandler) {
  handlers.set(topic, handler)
}

export async function enqueue(
  tx: Prisma.TransactionClient | PrismaClient,
  topic: string,
  payload: Prisma.InputJsonValue,
  runAt?: Date,
) {
  await tx.outbox.create({ data: { topic, payload, runAt: runAt ?? new Date() } })
}

/** Delay before the next try: 5 s, 10 s, 20 s … at most one hour. */
export function backoffMs(attempts: number): number {
  return Math.min(5000 * 2 ** Math.max(0, attempts - 1), 60 * 60 * 1000)
}

interface Claimed {
  id: bigint
  topic: string
  payload: unknown
  attempts: number
}

/** Claims and runs up to `limit` due rows. Returns how many succeeded and failed. */
export async function drainOutbox(limit = 20): Promise<{ done: number; failed: number }> {
  const db = await prisma()
  // RETURNING comes back in no particular order: sort the claimed rows to run them oldest first.
  const rows = await db.$queryRaw<Claimed[]>`
    WITH claimed AS (
      UPDATE "Outbox" SET "lockedAt" = now()
      WHERE id IN (
        SELECT id FROM "Outbox"
        WHERE status = 'PENDING' AND "runAt" <= now()
          AND ("lockedAt" IS NULL OR "lockedAt" < now() - ${STALE_LOCK_MS} * interval '1 millisecond')
        ORDER BY "runAt", id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, topic, payload, attempts, "runAt"
    )
    SELECT id, topic, payload, attempts FROM claimed ORDER BY "runAt", id`
  let done = 0
  let failed = 0
  for (const row of rows) {
    const handler = handlers.get(row.topic)
    try {
      if (!handler) throw new Error(`no handler for topic "${row.topic}"`)
      await handler(row.payload, { id: row.id, attempts: row.attempts })
      await db.outbox.update({
        where: { id: row.id },
        data: { status: 'DONE', processedAt: new Date(), lockedAt: null, attempts: row.attempts + 1, lastError: null },
      })
      done++
    } catch (error) {
      const attempts = row.attempts + 1
      const giveUp = attempts >= MAX_ATTEMPTS || !handler
      await db.outbox.update({
        where: { id: row.id },
        data: {
          attempts,
          lockedAt: null,
          lastError: String((error as Error)?.message ?? error).slice(0, 2000),
          ...(giveUp ? { status: 'FAILED' } : { runAt: new Date(Date.now() + backoffMs(attempts)) }),
        },
      })
      failed++
    }
  }
  return { done, failed }
}

export async function outboxStatus() {
  const db = await prisma()
  const [pending, failed, oldest] = await Promise.all([
    db.outbox.count({ where: { status: 'PENDING' } }),
    db.outbox.count({ where: { status: 'FAILED' } }),
    db.outbox.findFirst({ where: { status: 'PENDING' }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
  ])
  return { pending, failed, lagSeconds: oldest ? Math.round((Date.now() - oldest.createdAt.getTime()) / 1000) : 0 }
}

/** Polls the outbox until stopped; one run at a time. */
export function startOutboxWorker({ intervalMs = 1000 } = {}) {
  let stopped = false
  let running: Promise<unknown> = Promise.resolve()
  const tick = () => {
    if (stopped) return
    running = drainOutbox()
      .catch((error) => console.error('[outbox] drain failed:', (error as Error).message))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs)
      })
  }
  let timer = setTimeout(tick, intervalMs)
  return async () => {
    stopped = true
    clearTimeout(timer)
    await running
  }
}
