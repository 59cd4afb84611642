import { data } from 'react-router'
import { outboxStatus } from '~/domain/events/outbox.server'
import { getDb } from '~/infra/db/client.server'

/** For load balancers and people: 200 when the database answers, 503 when it does not. */
export async function loader() {
  const started = performance.now()
  try {
    const db = await getDb()
    await db.raw.query('SELECT 1')
    const outbox = await outboxStatus()
    return data(
      {
        status: 'ok',
        database: { mode: db.mode, status: 'ok', latencyMs: Math.round((performance.now() - started) * 10) / 10 },
        outbox,
      },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  } catch (error) {
    console.error('[healthz]', error)
    return data(
      { status: 'error', database: { status: 'unavailable' } },
      { status: 503, headers: { 'Cache-Control': 'no-store' } },
    )
  }
}
