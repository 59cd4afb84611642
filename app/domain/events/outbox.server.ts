import type { Prisma, PrismaClient } from '~/generated/prisma/client'
import { prisma } from '~/infra/db/client.server'

/**
 * Transactional outbox. A side effect (indexing, mail, notifications) is written as a row in
 * the same transaction as the change it follows, and a worker in the app process runs it.
 * Claims use FOR UPDATE SKIP LOCKED, so several app instances can share one queue.
 *
 * A failing row is retried with backoff and given up (FAILED) after MAX_ATTEMPTS, unless the
 * handler says that the service it needs is unavailable (ServiceUnavailableError): an outage
 * is not the row's fault, so such a row waits however long the outage lasts (see below).
 */
export type OutboxHandler = (payload: unknown, meta: { id: bigint; attempts: number }) => Promise<void>

const handlers = new Map<string, OutboxHandler>()
export const MAX_ATTEMPTS = 10
const STALE_LOCK_MS = 5 * 60 * 1000
/** A row waiting for a service tries again at least this often. */
export const UNAVAILABLE_MAX_BACKOFF_MS = 5 * 60 * 1000

/**
 * Thrown by a handler when the service it needs cannot be used now (down, unreachable, timing
 * out, overloaded, refusing the key) rather than when the row itself is wrong. The row never
 * gives up: it is retried with backoff of at most UNAVAILABLE_MAX_BACKOFF_MS and marked with
 * the service it waits for. The rest of its topic's due rows wait with it instead of timing out
 * one by one, and the first row of the topic that gets through wakes all of them.
 */
export class ServiceUnavailableError extends Error {
  constructor(
    readonly service: string,
    cause: unknown,
  ) {
    super(`${service} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'ServiceUnavailableError'
  }
}

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
  blockedBy: string | null
}

/**
 * Claims and runs up to `limit` due rows. Returns how many succeeded, how many failed, and how
 * many were put off unrun because an earlier row of their topic found its service unavailable.
 */
export async function drainOutbox(limit = 20): Promise<{ done: number; failed: number; postponed: number }> {
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
      RETURNING id, topic, payload, attempts, "runAt", "blockedBy"
    )
    SELECT id, topic, payload, attempts, "blockedBy" FROM claimed ORDER BY "runAt", id`
  let done = 0
  let failed = 0
  let postponed = 0
  /** Topics whose service turned out unavailable in this run: their rows here are put off unrun. */
  const blocked = new Set<string>()
  /** Topics that got through in this run. */
  const through = new Set<string>()
  for (const row of rows) {
    if (blocked.has(row.topic)) {
      postponed++
      continue
    }
    const handler = handlers.get(row.topic)
    // Tries spent waiting for a service do not count towards giving up: once the service
    // answers, the row's own failures are counted from the start.
    const counted = row.blockedBy ? 0 : row.attempts
    try {
      if (!handler) throw new Error(`no handler for topic "${row.topic}"`)
      await handler(row.payload, { id: row.id, attempts: counted })
      await db.outbox.update({
        where: { id: row.id },
        data: { status: 'DONE', processedAt: new Date(), lockedAt: null, attempts: row.attempts + 1, lastError: null, blockedBy: null },
      })
      through.add(row.topic)
      done++
    } catch (error) {
      const lastError = String((error as Error)?.message ?? error).slice(0, 2000)
      if (error instanceof ServiceUnavailableError) {
        const attempts = row.attempts + 1
        const runAt = new Date(Date.now() + Math.min(backoffMs(attempts), UNAVAILABLE_MAX_BACKOFF_MS))
        blocked.add(row.topic)
        await db.outbox.update({ where: { id: row.id }, data: { attempts, lockedAt: null, lastError, runAt, blockedBy: error.service } })
        // The topic's other due rows wait with it, those claimed in this run and the rest, so
        // that the next batches go to the other topics instead of trying this service row after row.
        const claimedHere = rows.filter((r) => r.topic === row.topic).map((r) => r.id)
        await db.outbox.updateMany({
          where: { topic: row.topic, status: 'PENDING', runAt: { lte: new Date() }, OR: [{ lockedAt: null }, { id: { in: claimedHere } }] },
          data: { runAt, lockedAt: null, blockedBy: error.service },
        })
      } else {
        const attempts = counted + 1
        const giveUp = attempts >= MAX_ATTEMPTS || !handler
        await db.outbox.update({
          where: { id: row.id },
          data: {
            attempts,
            lockedAt: null,
            lastError,
            blockedBy: null,
            ...(giveUp ? { status: 'FAILED' } : { runAt: new Date(Date.now() + backoffMs(attempts)) }),
          },
        })
      }
      failed++
    }
  }
  // The service is back: what waited for it is due now, not at the end of its backoff.
  const woken = [...through].filter((t) => !blocked.has(t))
  if (woken.length) {
    await db.outbox.updateMany({
      where: { status: 'PENDING', topic: { in: woken }, blockedBy: { not: null }, runAt: { gt: new Date() } },
      data: { runAt: new Date() },
    })
  }
  return { done, failed, postponed }
}

export async function outboxStatus() {
  const db = await prisma()
  const [pending, failed, oldest, blocked] = await Promise.all([
    db.outbox.count({ where: { status: 'PENDING' } }),
    db.outbox.count({ where: { status: 'FAILED' } }),
    db.outbox.findFirst({ where: { status: 'PENDING' }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
    db.outbox.groupBy({ by: ['blockedBy'], where: { status: 'PENDING', blockedBy: { not: null } }, _count: { _all: true } }),
  ])
  return {
    pending,
    failed,
    lagSeconds: oldest ? Math.round((Date.now() - oldest.createdAt.getTime()) / 1000) : 0,
    /** Pending rows per service they wait for, e.g. { meilisearch: 12 }. */
    waitingFor: Object.fromEntries(blocked.map((b) => [b.blockedBy!, b._count._all])),
  }
}

/** How long done rows are kept (for looking into what happened), and how often they are pruned. */
export const DONE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000
const PRUNE_EVERY_MS = 60 * 60 * 1000

/**
 * Deletes the rows done longer than `retentionMs` ago, a few thousand at a time so that no
 * statement holds the table long; returns how many. Pending and failed rows are kept.
 */
export async function pruneOutbox(retentionMs = DONE_RETENTION_MS): Promise<number> {
  const db = await prisma()
  const before = new Date(Date.now() - retentionMs)
  let total = 0
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM "Outbox" WHERE id IN (
        SELECT id FROM "Outbox" WHERE status = 'DONE' AND "processedAt" < ${before} LIMIT 5000)`
    total += deleted
    if (deleted < 5000) return total
  }
}

/**
 * Polls the outbox until stopped; one run at a time, the next at once while a backlog lasts.
 * Prunes the done rows at start and every hour.
 */
export function startOutboxWorker({ intervalMs = 1000, batch = 20 } = {}) {
  let stopped = false
  let running: Promise<unknown> = Promise.resolve()
  let prunedAt = 0
  const tick = () => {
    if (stopped) return
    let backlog = false
    const prune =
      Date.now() - prunedAt >= PRUNE_EVERY_MS
        ? pruneOutbox().then(() => {
            prunedAt = Date.now()
          })
        : Promise.resolve()
    running = prune
      .then(() => drainOutbox(batch))
      .then(({ done, failed }) => {
        backlog = done + failed === batch
      })
      .catch((error) => console.error('[outbox] drain failed:', (error as Error).message))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, backlog ? 0 : intervalMs)
      })
  }
  let timer = setTimeout(tick, 0)
  return async () => {
    stopped = true
    clearTimeout(timer)
    await running
  }
}
