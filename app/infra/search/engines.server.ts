import { getEnv } from '~/infra/env.server'
import { createEmbeddedEngine } from './embedded.server'
import type { SearchEngine } from './engine'

/**
 * The engines this process uses: the configured one first, and the embedded engine, which
 * always holds the same documents (it is written in the listing's own transaction), as the
 * fallback when Meilisearch is down.
 */
const holder = globalThis as unknown as { __kzSearch?: Promise<{ primary: SearchEngine; fallback: SearchEngine }> }

export function getSearchEngines() {
  holder.__kzSearch ??= createEngines()
  return holder.__kzSearch
}

async function createEngines() {
  const embedded = createEmbeddedEngine()
  if (getEnv().KZ_SEARCH !== 'meilisearch') return { primary: embedded, fallback: embedded }
  const { createMeilisearchEngine } = await import('./meilisearch.server')
  return { primary: await createMeilisearchEngine(), fallback: embedded }
}

/** Tests pick their engines. */
export function setSearchEngines(engines: { primary: SearchEngine; fallback: SearchEngine }) {
  holder.__kzSearch = Promise.resolve(engines)
}

/** Back to the configured engines, created afresh when next asked for. */
export function resetSearchEngines() {
  holder.__kzSearch = undefined
}
