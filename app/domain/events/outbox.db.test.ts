import { randomBytes } from 'node:crypto'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { getDb, prisma } from '~/infra/db/client.server'
import { drainOutbox, enqueue, MAX_ATTEMPTS, outboxStatus, pruneOutbox, registerOutboxHandler, ServiceUnavailableError, startOutboxWorker, UNAVAILABLE_MAX_BACKOFF_MS, DONE_RETENTION_MS } from './outbox.server'

const topic = (name: string) => `test.${name}.${randomBytes(3).toString('hex')}`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function rowsOf(t: string) {
  const db = await prisma()
  return db.outbox.findMany({ where: { topic: t }, orderBy: { id: 'asc' } })
}

// Each test starts from an empty queue, so that drainOutbox's counts are this test's own.
beforeEach(async () => {
  const db = await prisma()
  await db.outbox.deleteMany()
})

describe('enqueue', () => {
  it('writes nothing when the surrounding transaction rolls back', async () => {
    const t = topic('rollback')
    const db = await prisma()
    await expect(
      db.$transaction(async (tx) => {
        await enqueue(tx, t, { id: 1 })
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    expect(await rowsOf(t)).toEqual([])
  })

  it('writes a pending row when the transaction commits', async () => {
    const t = topic('commit')
    const db = await prisma()
    await db.$transaction(async (tx) => {
      await enqueue(tx, t, { id: 1, name: '永川' })
    })
    expect(await rowsOf(t)).toEqual([expect.objectContaining({ status: 'PENDING', attempts: 0, payload: { id: 1, name: '永川' }, lockedAt: null })])
  })
})

describe('drainOutbox', () => {
  it('runs the registered handler with the payload and marks the row DONE', async () => {
    const t = topic('ok')
    const calls: { payload: unknown; attempts: number; id: bigint }[] = []
    registerOutboxHandler(t, async (payload, meta) => {
      calls.push({ payload, ...meta })
    })
    const db = await prisma()
    await enqueue(db, t, { listing: 'abc', n: 2 })
    expect(await drainOutbox()).toEqual({ done: 1, failed: 0, postponed: 0 })
    const [row] = await rowsOf(t)
    expect(calls).toEqual([{ payload: { listing: 'abc', n: 2 }, attempts: 0, id: row!.id }])
    expect(row).toMatchObject({ status: 'DONE', attempts: 1, lockedAt: null, lastError: null })
    expect(row!.processedAt).toBeInstanceOf(Date)
    // Done rows are not run again.
    expect(await drainOutbox()).toEqual({ done: 0, failed: 0, postponed: 0 })
    expect(calls).toHaveLength(1)
  })

  it('leaves a row for later until its runAt', async () => {
    const t = topic('later')
    let calls = 0
    registerOutboxHandler(t, async () => {
      calls++
    })
    const db = await prisma()
    await enqueue(db, t, {}, new Date(Date.now() + 60_000))
    expect(await drainOutbox()).toEqual({ done: 0, failed: 0, postponed: 0 })
    expect(calls).toBe(0)
    await db.outbox.updateMany({ where: { topic: t }, data: { runAt: new Date(Date.now() - 1000) } })
    expect(await drainOutbox()).toEqual({ done: 1, failed: 0, postponed: 0 })
    expect(calls).toBe(1)
  })

  it('on a failure counts the attempt, keeps the error and retries later', async () => {
    const t = topic('fails')
    let calls = 0
    registerOutboxHandler(t, async () => {
      calls++
      throw new Error('mail server said no')
    })
    const db = await prisma()
    await enqueue(db, t, { to: 'x@example.cn' })
    const before = Date.now()
    expect(await drainOutbox()).toEqual({ done: 0, failed: 1, postponed: 0 })
    const [row] = await rowsOf(t)
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'mail server said no', lockedAt: null, processedAt: null })
    // The first retry waits about 5 s.
    expect(row!.runAt.getTime()).toBeGreaterThanOrEqual(before + 4_000)
    expect(row!.runAt.getTime()).toBeLessThan(Date.now() + 60_000)
    expect(await drainOutbox()).toEqual({ done: 0, failed: 0, postponed: 0 })
    expect(calls).toBe(1)
  })

  it('keeps a long error message to 2000 characters', async () => {
    const t = topic('long-error')
    registerOutboxHandler(t, async () => {
      throw new Error('x'.repeat(10_000))
    })
    await enqueue(await prisma(), t, {})
    await drainOutbox()
    expect((await rowsOf(t))[0]!.lastError).toHaveLength(2000)
  })

  it('gives up after MAX_ATTEMPTS: the row is FAILED and not run again', async () => {
    const t = topic('gives-up')
    let calls = 0
    registerOutboxHandler(t, async () => {
      calls++
      throw new Error('still broken')
    })
    const db = await prisma()
    await enqueue(db, t, {})
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Make it due again instead of waiting out the backoff.
      await db.outbox.updateMany({ where: { topic: t }, data: { runAt: new Date(Date.now() - 1000) } })
      expect(await drainOutbox(), `attempt ${attempt}`).toEqual({ done: 0, failed: 1, postponed: 0 })
      const [row] = await rowsOf(t)
      expect(row!.attempts).toBe(attempt)
      expect(row!.status).toBe(attempt < MAX_ATTEMPTS ? 'PENDING' : 'FAILED')
    }
    await db.outbox.updateMany({ where: { topic: t }, data: { runAt: new Date(Date.now() - 1000) } })
    expect(await drainOutbox()).toEqual({ done: 0, failed: 0, postponed: 0 })
    expect(calls).toBe(MAX_ATTEMPTS)
    expect((await rowsOf(t))[0]).toMatchObject({ status: 'FAILED', lastError: 'still broken' })
  })

  describe('when the service a handler needs is unavailable', () => {
    /** A topic whose handler needs a service that is down until `up` is set. */
    function outage(name: string) {
      const t = topic(name)
      const state = { up: false, calls: [] as number[] }
      registerOutboxHandler(t, async (payload) => {
        state.calls.push((payload as { n: number }).n)
        if (!state.up) throw new ServiceUnavailableError('searchd', new Error('connect ECONNREFUSED 127.0.0.1:7700'))
      })
      return { t, state }
    }
    /** A topic whose handler always succeeds, and how often it ran. */
    function healthy(name: string) {
      const other = topic(name)
      let calls = 0
      registerOutboxHandler(other, async () => {
        calls++
      })
      return { other, otherCalls: () => calls }
    }
    const due = async (t: string) => (await prisma()).outbox.updateMany({ where: { topic: t, status: 'PENDING' }, data: { runAt: new Date(Date.now() - 1000) } })

    it('waits however many tries it takes, never FAILED, trying again at most five minutes later', async () => {
      const { t, state } = outage('outage')
      await enqueue(await prisma(), t, { n: 1 })
      for (let attempt = 1; attempt <= MAX_ATTEMPTS + 5; attempt++) {
        await due(t)
        const before = Date.now()
        expect(await drainOutbox(), `attempt ${attempt}`).toEqual({ done: 0, failed: 1, postponed: 0 })
        const [row] = await rowsOf(t)
        expect(row).toMatchObject({ status: 'PENDING', attempts: attempt, blockedBy: 'searchd', lockedAt: null })
        expect(row!.lastError).toContain('searchd unavailable: connect ECONNREFUSED')
        expect(row!.runAt.getTime()).toBeGreaterThan(before)
        expect(row!.runAt.getTime()).toBeLessThanOrEqual(Date.now() + UNAVAILABLE_MAX_BACKOFF_MS)
      }
      expect(state.calls).toHaveLength(MAX_ATTEMPTS + 5)
      state.up = true
      await due(t)
      expect(await drainOutbox()).toEqual({ done: 1, failed: 0, postponed: 0 })
      expect((await rowsOf(t))[0]).toMatchObject({ status: 'DONE', blockedBy: null, lastError: null })
    })

    it('puts off the rest of its topic in the batch unrun, and runs the other topics', async () => {
      const { t, state } = outage('outage-batch')
      const { other, otherCalls } = healthy('healthy')
      const db = await prisma()
      for (const n of [1, 2, 3]) await enqueue(db, t, { n })
      await enqueue(db, other, {})
      expect(await drainOutbox()).toEqual({ done: 1, failed: 1, postponed: 2 })
      expect(state.calls).toEqual([1])
      expect(otherCalls()).toBe(1)
      const rows = await rowsOf(t)
      expect(rows.map((r) => [r.status, r.attempts, r.blockedBy, r.lockedAt])).toEqual([
        ['PENDING', 1, 'searchd', null],
        ['PENDING', 0, 'searchd', null],
        ['PENDING', 0, 'searchd', null],
      ])
      // They wait as long as the row that was tried.
      expect(new Set(rows.map((r) => r.runAt.getTime())).size).toBe(1)
      expect(rows[0]!.runAt.getTime()).toBeGreaterThan(Date.now())
      expect(await outboxStatus()).toMatchObject({ pending: 3, failed: 0, waitingFor: { searchd: 3 } })
    })

    it('puts off every due row of its topic, beyond the batch too, so that the next batch goes to other topics', async () => {
      const { t, state } = outage('outage-backlog')
      const { other, otherCalls } = healthy('healthy-later')
      const db = await prisma()
      await db.outbox.createMany({ data: Array.from({ length: 30 }, (_, n) => ({ topic: t, payload: { n }, runAt: new Date(Date.now() - 60_000 + n) })) })
      await enqueue(db, other, {})
      expect(await drainOutbox(5)).toEqual({ done: 0, failed: 1, postponed: 4 })
      expect(state.calls).toEqual([0])
      const rows = await rowsOf(t)
      expect(rows.every((r) => r.blockedBy === 'searchd' && r.runAt.getTime() > Date.now() && r.lockedAt === null)).toBe(true)
      expect(await drainOutbox(5)).toEqual({ done: 1, failed: 0, postponed: 0 })
      expect(otherCalls()).toBe(1)
      expect(state.calls).toEqual([0])
    })

    it('when the first row gets through, the rows waiting with it are due at once', async () => {
      const { t, state } = outage('outage-wake')
      const db = await prisma()
      for (const n of [1, 2, 3]) await enqueue(db, t, { n })
      await drainOutbox()
      // A row queued while the service was down; the service comes back.
      await enqueue(db, t, { n: 4 })
      state.up = true
      expect(await drainOutbox()).toEqual({ done: 1, failed: 0, postponed: 0 })
      const waiting = (await rowsOf(t)).filter((r) => r.status === 'PENDING')
      expect(waiting).toHaveLength(3)
      expect(waiting.every((r) => r.runAt.getTime() <= Date.now())).toBe(true)
      expect(await drainOutbox()).toEqual({ done: 3, failed: 0, postponed: 0 })
      expect(state.calls).toEqual([1, 4, 1, 2, 3])
      expect((await rowsOf(t)).every((r) => r.status === 'DONE' && r.blockedBy === null)).toBe(true)
      expect((await outboxStatus()).waitingFor).toEqual({})
    })

    it('a waiting row that then fails for a reason of its own is an ordinary failure again, counted from the start', async () => {
      const t = topic('outage-then-bad')
      const seen: number[] = []
      registerOutboxHandler(t, async (_payload, meta) => {
        seen.push(meta.attempts)
        if (seen.length <= MAX_ATTEMPTS + 2) throw new ServiceUnavailableError('searchd', new Error('timeout'))
        throw new Error('document rejected: invalid_document_id')
      })
      await enqueue(await prisma(), t, {})
      // A long outage: more tries than an ordinary failure gets.
      for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
        await due(t)
        await drainOutbox()
      }
      expect((await rowsOf(t))[0]).toMatchObject({ status: 'PENDING', attempts: MAX_ATTEMPTS + 2, blockedBy: 'searchd' })
      // The service answers, and refuses this row: its first failure of its own.
      await due(t)
      expect(await drainOutbox()).toEqual({ done: 0, failed: 1, postponed: 0 })
      expect((await rowsOf(t))[0]).toMatchObject({ status: 'PENDING', attempts: 1, blockedBy: null, lastError: 'document rejected: invalid_document_id' })
      for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
        await due(t)
        await drainOutbox()
        expect((await rowsOf(t))[0]).toMatchObject({ attempts: attempt, status: attempt < MAX_ATTEMPTS ? 'PENDING' : 'FAILED' })
      }
      // The handler is told the tries that count: none while waiting, then 0, 1, 2 …
      expect(seen.slice(MAX_ATTEMPTS + 2)).toEqual(Array.from({ length: MAX_ATTEMPTS }, (_, i) => i))
    })
  })

  it('fails a row of an unknown topic at once, saying so', async () => {
    const t = topic('unknown')
    await enqueue(await prisma(), t, {})
    expect(await drainOutbox()).toEqual({ done: 0, failed: 1, postponed: 0 })
    const [row] = await rowsOf(t)
    expect(row).toMatchObject({ status: 'FAILED', attempts: 1 })
    expect(row!.lastError).toContain(`no handler for topic "${t}"`)
  })

  it('claims at most `limit` rows, oldest runAt first', async () => {
    const t = topic('limit')
    const order: number[] = []
    registerOutboxHandler(t, async (payload) => {
      order.push((payload as { n: number }).n)
    })
    const db = await prisma()
    const now = Date.now()
    for (const n of [3, 1, 2]) await enqueue(db, t, { n }, new Date(now - 10_000 + n * 1000))
    expect(await drainOutbox(2)).toEqual({ done: 2, failed: 0, postponed: 0 })
    expect(order).toEqual([1, 2])
    expect(await drainOutbox(2)).toEqual({ done: 1, failed: 0, postponed: 0 })
    expect(order).toEqual([1, 2, 3])
  })

  it('takes over a row whose worker died holding it, but not one still being worked on', async () => {
    const t = topic('stale')
    const seen: string[] = []
    registerOutboxHandler(t, async (payload) => {
      seen.push((payload as { name: string }).name)
    })
    const db = await prisma()
    await enqueue(db, t, { name: 'crashed' })
    await enqueue(db, t, { name: 'busy' })
    const [crashed, busy] = await rowsOf(t)
    await db.outbox.update({ where: { id: crashed!.id }, data: { lockedAt: new Date(Date.now() - 10 * 60_000) } })
    await db.outbox.update({ where: { id: busy!.id }, data: { lockedAt: new Date(Date.now() - 30_000) } })
    expect(await drainOutbox()).toEqual({ done: 1, failed: 0, postponed: 0 })
    expect(seen).toEqual(['crashed'])
  })

  it('never runs a row twice when two workers drain at once (PostgreSQL: FOR UPDATE SKIP LOCKED)', async (ctx) => {
    if ((await getDb()).mode !== 'postgres') ctx.skip()
    const t = topic('concurrent')
    const runs = new Map<number, number>()
    registerOutboxHandler(t, async (payload) => {
      const n = (payload as { n: number }).n
      runs.set(n, (runs.get(n) ?? 0) + 1)
      await sleep(2)
    })
    const db = await prisma()
    const N = 80
    await db.outbox.createMany({ data: Array.from({ length: N }, (_, n) => ({ topic: t, payload: { n }, runAt: new Date(Date.now() - 1000) })) })
    const worker = async () => {
      let done = 0
      for (;;) {
        const result = await drainOutbox(7)
        expect(result.failed).toBe(0)
        if (result.done === 0) return done
        done += result.done
      }
    }
    // Two at once, then four at once over what is left, in several rounds.
    const firstPair = await Promise.all([drainOutbox(N), drainOutbox(N)])
    const rest = await Promise.all([worker(), worker(), worker(), worker()])
    const total = firstPair.reduce((s, r) => s + r.done, 0) + rest.reduce((s, d) => s + d, 0)
    expect(total).toBe(N)
    expect(runs.size).toBe(N)
    expect([...runs.values()].every((count) => count === 1)).toBe(true)
    expect((await rowsOf(t)).every((r) => r.status === 'DONE' && r.attempts === 1)).toBe(true)
  })
})

describe('pruneOutbox', () => {
  it('deletes the rows done longer ago than the retention, and keeps everything else', async () => {
    const t = topic('prune')
    const db = await prisma()
    const day = 24 * 60 * 60 * 1000
    const ago = (ms: number) => new Date(Date.now() - ms)
    await db.outbox.createMany({
      data: [
        { topic: t, payload: { n: 'old done' }, status: 'DONE', processedAt: ago(DONE_RETENTION_MS + day), createdAt: ago(DONE_RETENTION_MS + day) },
        { topic: t, payload: { n: 'recent done' }, status: 'DONE', processedAt: ago(day), createdAt: ago(DONE_RETENTION_MS + day) },
        { topic: t, payload: { n: 'old failed' }, status: 'FAILED', attempts: MAX_ATTEMPTS, createdAt: ago(30 * day) },
        { topic: t, payload: { n: 'old pending' }, createdAt: ago(30 * day), blockedBy: 'searchd' },
      ],
    })
    expect(await pruneOutbox()).toBe(1)
    expect((await rowsOf(t)).map((r) => (r.payload as { n: string }).n)).toEqual(['recent done', 'old failed', 'old pending'])
    expect(await pruneOutbox()).toBe(0)
  })

  it('deletes in batches, however many there are', async () => {
    const t = topic('prune-many')
    const db = await prisma()
    const old = new Date(Date.now() - DONE_RETENTION_MS - 60_000)
    await db.outbox.createMany({ data: Array.from({ length: 5003 }, (_, n) => ({ topic: t, payload: { n }, status: 'DONE' as const, processedAt: old })) })
    expect(await pruneOutbox()).toBe(5003)
    expect(await rowsOf(t)).toEqual([])
  })
})

describe('startOutboxWorker', () => {
  it('drains a backlog batch after batch without waiting between them, and stops', async () => {
    const t = topic('backlog')
    const seen: number[] = []
    registerOutboxHandler(t, async (payload) => {
      seen.push((payload as { n: number }).n)
    })
    const db = await prisma()
    await db.outbox.createMany({ data: Array.from({ length: 45 }, (_, n) => ({ topic: t, payload: { n }, runAt: new Date(Date.now() - 1000) })) })
    // An interval far longer than the test may take: only a worker that goes on at once finishes.
    const stop = startOutboxWorker({ intervalMs: 10 * 60_000, batch: 20 })
    try {
      await vi.waitFor(() => expect(seen).toHaveLength(45), { timeout: 20_000, interval: 50 })
    } finally {
      await stop()
    }
    expect(seen).toEqual(Array.from({ length: 45 }, (_, n) => n))
    expect((await rowsOf(t)).every((r) => r.status === 'DONE')).toBe(true)
  })

  it('prunes the old done rows when it starts', async () => {
    const t = topic('worker-prune')
    const db = await prisma()
    await db.outbox.create({ data: { topic: t, payload: {}, status: 'DONE', processedAt: new Date(Date.now() - DONE_RETENTION_MS - 60_000) } })
    const stop = startOutboxWorker({ intervalMs: 10 * 60_000 })
    try {
      await vi.waitFor(async () => expect(await rowsOf(t)).toEqual([]), { timeout: 20_000, interval: 50 })
    } finally {
      await stop()
    }
  })
})

describe('outboxStatus', () => {
  it('counts pending and failed rows and the age of the oldest pending one', async () => {
    expect(await outboxStatus()).toEqual({ pending: 0, failed: 0, lagSeconds: 0, waitingFor: {} })
    const db = await prisma()
    const t = topic('status')
    await enqueue(db, t, {}, new Date(Date.now() + 3_600_000))
    await enqueue(db, t, {}, new Date(Date.now() + 3_600_000))
    await enqueue(db, topic('status-unknown'), {})
    await drainOutbox()
    const [oldest] = await rowsOf(t)
    await db.outbox.update({ where: { id: oldest!.id }, data: { createdAt: new Date(Date.now() - 120_000) } })
    const status = await outboxStatus()
    expect(status).toMatchObject({ pending: 2, failed: 1 })
    expect(status.lagSeconds).toBeGreaterThanOrEqual(120)
    expect(status.lagSeconds).toBeLessThan(180)
  })
})
