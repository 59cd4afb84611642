import { data } from 'react-router'
import { outboxStatus } from '~/domain/events/outbox.server'
import { getDb } from '~/infra/db/client.server'
import { getSearchEngines } from '~/infra/search/engines.server'

/** For load balancers and people: 200 when the database answers, 503 when it does not. */
export async function loader() {
  const started = performance.now()
  try {
    const db = await getDb()
    await db.raw.query('SELECT 1')
    const latencyMs = Math.round((performance.now() - started) * 10) / 10
    const outbox = await outboxStatus()
    const { primary } = await getSearchEngines()
    const searchHealth = await primary.health()
    // A search outage degrades search (the embedded engine answers), it does not take the site down.
    return data(
      {
        status: searchHealth.ok ? 'ok' : 'degraded',
        database: { mode: db.mode, status: 'ok', latencyMs },
        search: { engine: primary.name, status: searchHealth.ok ? 'ok' : 'unavailable', fallback: searchHealth.ok ? null : 'embedded' },
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
