import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
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

  it('asks for responses as they are: Meilisearch would gzip them, and a chunked reply can stall 40 ms', async () => {
    const seen = await recordingProxy(new URL(server().url))
    try {
      const indexUid = uid('encoding')
      const engine = await createMeilisearchEngine({ url: seen.url, apiKey: server().apiKey, indexUid })
      await engine.upsert(CONTRACT_DOCS)
      expect((await engine.search(contractRequest({ concepts: [{ term: '机床', alternatives: [] }], facets: ['field'] }))).total).toBeGreaterThan(0)
      expect(seen.exchanges.length).toBeGreaterThan(0)
      for (const e of seen.exchanges) expect(e).toMatchObject({ asked: 'identity', got: undefined })
      // The same search through a default client comes back compressed.
      const plain = await fetch(`${seen.url}/multi-search`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server().apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ queries: [{ indexUid, q: '机床' }] }),
      })
      await plain.arrayBuffer()
      expect(seen.exchanges.at(-1)!.got).toBe('gzip')
      await client().deleteIndex(indexUid).waitTask({ timeout: 60_000 })
    } finally {
      await seen.close()
    }
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

/** Passes requests on to `target`, noting the encoding each asked for and the one it got. */
async function recordingProxy(target: URL) {
  const exchanges: { path: string; asked: string | undefined; got: string | undefined }[] = []
  const proxy = http.createServer((req, res) => {
    const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (reply) => {
      exchanges.push({ path: req.url ?? '', asked: req.headers['accept-encoding'], got: reply.headers['content-encoding'] })
      res.writeHead(reply.statusCode ?? 502, reply.headers)
      reply.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    exchanges,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  }
}
