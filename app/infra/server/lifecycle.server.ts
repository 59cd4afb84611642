import { seedDemo, shouldSeedDemo, DEMO_PASSWORD } from '~/domain/seed/demo.server'
import { registerOutboxHandlers } from '~/domain/events/handlers.server'
import { prepareMeilisearch } from '~/domain/search/sync.server'
import { stopLocalMeilisearch } from '~/infra/search/meili-process.server'
import { startOutboxWorker } from '~/domain/events/outbox.server'
import { markStaleListings } from '~/domain/listings/listings.server'
import { pruneSessions } from '~/domain/users/sessions.server'
import { closeDb, getDb } from '~/infra/db/client.server'
import { getEnv } from '~/infra/env.server'
import { warmUpText } from '~/infra/search/text.server'

/**
 * Called by server.js before it listens: checks the configuration, opens and migrates the
 * database, loads demo data on a first start, starts the outbox worker. Returns where to
 * listen and how to shut down.
 */
export async function onServerStart({ log = console.log }: { log?: (line: string) => void } = {}) {
  const env = getEnv()
  const db = await getDb()
  // Loading the segmenter's dictionaries takes a moment: not on the first request's time.
  warmUpText()
  log(`[kezhuan] database: ${db.mode} (${db.location})`)
  if (await shouldSeedDemo(env.KZ_DEMO_DATA, env.NODE_ENV)) {
    const accounts = await seedDemo()
    log('[kezhuan] demo data loaded. Demo accounts (password for all: ' + DEMO_PASSWORD + '):')
    for (const a of accounts) log(`  ${a.role.padEnd(10)} ${a.email.padEnd(32)} ${a.label}`)
  }
  registerOutboxHandlers()
  if (env.KZ_SEARCH === 'meilisearch') {
    void prepareMeilisearch({ log }).catch((e) => console.warn(`[search] Meilisearch not ready: ${(e as Error).message}`))
  }
  const stopWorker = startOutboxWorker()
  const stopChores = startChores()
  return {
    port: env.PORT,
    host: env.HOST,
    trustProxy: env.KZ_TRUST_PROXY,
    shutdown: async () => {
      stopChores()
      await stopWorker()
      await stopLocalMeilisearch()
      await closeDb()
    },
  }
}

const CHORE_EVERY_MS = 6 * 60 * 60 * 1000

/** Housekeeping that any instance may run at any time: each chore is idempotent. */
function startChores() {
  const run = () =>
    Promise.all([markStaleListings(), pruneSessions()]).catch((error) => console.error('[chores]', (error as Error).message))
  void run()
  const timer = setInterval(run, CHORE_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
