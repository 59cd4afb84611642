import { seedDemo, shouldSeedDemo, DEMO_PASSWORD } from '~/domain/seed/demo.server'
import { startOutboxWorker } from '~/domain/events/outbox.server'
import { pruneSessions } from '~/domain/users/sessions.server'
import { closeDb, getDb } from '~/infra/db/client.server'
import { getEnv } from '~/infra/env.server'

/**
 * Called by server.js before it listens: checks the configuration, opens and migrates the
 * database, loads demo data on a first start, starts the outbox worker. Returns where to
 * listen and how to shut down.
 */
export async function onServerStart({ log = console.log }: { log?: (line: string) => void } = {}) {
  const env = getEnv()
  const db = await getDb()
  log(`[kezhuan] database: ${db.mode} (${db.location})`)
  if (await shouldSeedDemo(env.KZ_DEMO_DATA, env.NODE_ENV)) {
    const accounts = await seedDemo()
    log('[kezhuan] demo data loaded. Demo accounts (password for all: ' + DEMO_PASSWORD + '):')
    for (const a of accounts) log(`  ${a.role.padEnd(10)} ${a.email.padEnd(32)} ${a.label}`)
  }
  await pruneSessions().catch(() => 0)
  const stopWorker = startOutboxWorker()
  return {
    port: env.PORT,
    host: env.HOST,
    trustProxy: env.KZ_TRUST_PROXY,
    shutdown: async () => {
      await stopWorker()
      await closeDb()
    },
  }
}
