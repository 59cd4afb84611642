import { randomBytes } from 'node:crypto'
import { Meilisearch } from 'meilisearch'
import { describe, expect, inject, it } from 'vitest'
import { CONTRACT_DOCS, contractRequest, runSearchEngineContract } from './contract'
import { applyIndexSettings, createMeilisearchEngine, loadIndexConfig, quoteFilterValue, toMeiliDoc } from './meilisearch.server'

// Against the real Meilisearch that tests/setup/meilisearch.ts starts for the run; each file
// (and each database project) uses indexes of its own.
const meili = inject('meili')
const server = () => {
  if (!meili) throw new Error('no Meilisearch for the tests: tests/setup/meilisearch.ts must be in the globalSetup (see docs/search.md)')
  return meili
}
// Meilisearch indexes in the background; on a busy machine a task can take seconds.
const MEILI_TIMEOUT = 120_000
const uid = (name: string) => `kz_${name}_${process.env.KZ_TEST_DB ?? 'x'}_${randomBytes(4).toString('hex')}`

// Skipped only outside CI when the Meilisearch setup is not wired in (or cannot run here).
describe.skipIf(!meili && !process.env.CI)('meilisearch', { timeout: MEILI_TIMEOUT }, () => {
  const client = () => new Meilisearch({ host: server().url, apiKey: server().apiKey })

  runSearchEngineContract('meilisearch', async () => {
    const indexUid = uid('contract')
    const engine = await createMeilisearchEngine({ url: server().url, apiKey: server().apiKey, indexUid })
    return { engine, dispose: async () => void (await client().deleteIndex(indexUid).waitTask({ timeout: 60_000 })) }
  }, { timeout: MEILI_TIMEOUT })

  it('creates a missing index with the settings of search/meilisearch.json on first use', async () => {
    const indexUid = uid('ensure')
    const engine = await createMeilisearchEngine({ url: server().url, apiKey: server().apiKey, indexUid })
    expect((await engine.search(contractRequest())).total).toBe(0)
    const settings = await client().index(indexUid).getSettings()
    const wanted = loadIndexConfig().settings
    expect(settings.searchableAttributes).toEqual(wanted.searchableAttributes)
    expect(settings.rankingRules).toEqual(wanted.rankingRules)
    expect([...(settings.filterableAttributes as string[])].sort()).toEqual([...(wanted.filterableAttributes as string[])].sort())
    expect(settings.synonyms?.['cnc']).toContain('数控机床')
    expect(settings.stopWords).toContain('技术')
    // Applying again changes nothing; a changed setting is found and put back.
    expect(await applyIndexSettings(client(), indexUid)).toEqual({ created: false, changes: [] })
    await client().index(indexUid).updateSettings({ rankingRules: ['words', 'sort'], stopWords: ['的'] }).waitTask({ timeout: 60_000 })
    const { changes } = await applyIndexSettings(client(), indexUid)
    expect(changes.map((c) => c.key).sort()).toEqual(['rankingRules', 'stopWords'])
    expect((await client().index(indexUid).getSettings()).rankingRules).toEqual(wanted.rankingRules)
    await client().deleteIndex(indexUid).waitTask({ timeout: 60_000 })
  })

  it('quotes filter values so that they mean only themselves', async () => {
    const indexUid = uid('quoting')
    const c = client()
    const engine = await createMeilisearchEngine({ url: server().url, apiKey: server().apiKey, indexUid })
    await engine.ensureIndex()
    const nasty = ['plain', 'x" OR kind = "demand', '(a) OR (b)', 'back\\slash', 'end\\', 'end\\"', 'a\\"b', '"', "it's", 'NOT', '中文 值']
    const docs = nasty.map((orgId, i) => toMeiliDoc({ ...CONTRACT_DOCS[0], id: `achievement_q${i}`, listingId: `q${i}`, orgId }))
    await c.index(indexUid).addDocuments([...docs, toMeiliDoc(CONTRACT_DOCS[4])]).waitTask({ timeout: 60_000 })
    for (const [i, value] of nasty.entries()) {
      const r = await c.index(indexUid).search('', { filter: `orgId = ${quoteFilterValue(value)}` })
      expect(r.hits.map((h) => h.id), value).toEqual([`achievement_q${i}`])
    }
    await c.deleteIndex(indexUid).waitTask({ timeout: 60_000 })
  })
})
