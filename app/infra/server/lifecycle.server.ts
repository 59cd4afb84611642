import { seedDemo, shouldSeedDemo, DEMO_PASSWORD } from '~/domain/seed/demo.server'
import { registerOutboxHandlers } from '~/domain/events/handlers.server'
import { prepareMeilisearch } from '~/domain/search/sync.server'
import { stopLocalMeilisearch } from '~/infra/search/meili-process.server'
import { startOutboxWorker } from '~/domain/events/outbox.server'
import { sendDealReminders } from '~/domain/deals/followups.server'
import { ensureNdaTemplate } from '~/domain/deals/nda.server'
import { markStaleListings } from '~/domain/listings/listings.server'
import { pruneSessions } from '~/domain/users/sessions.server'
import { sendDailyDigests } from '~/domain/notifications/digest.server'
import { checkSavedSearches } from '~/domain/saved-searches/saved-searches.server'
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
  // The standard NDA text, version 1, on a first start (the bureau publishes later versions).
  await ensureNdaTemplate()
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
const HOURLY_CHORE_MS = 60 * 60 * 1000

/** Housekeeping that any instance may run at any time: each chore is idempotent. */
function startChores() {
  const run = () =>
    Promise.all([markStaleListings(), pruneSessions(), sendDealReminders()]).catch((error) => console.error('[chores]', (error as Error).message))
  void run()
  const timer = setInterval(run, CHORE_EVERY_MS)
  timer.unref()
  // Notifications: the daily digest (from 08:00 China time, once a day) and saved-search alerts.
  const runHourly = () =>
    sendDailyDigests()
      .then(() => checkSavedSearches())
      .catch((error) => console.error('[chores] notifications:', (error as Error).message))
  void runHourly()
  const hourly = setInterval(runHourly, HOURLY_CHORE_MS)
  hourly.unref()
  return () => {
    clearInterval(timer)
    clearInterval(hourly)
  }
}
