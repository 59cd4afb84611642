import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '~/infra/db/client.server'
import { migrate, readMigrations } from '~/infra/db/migrate.server'
import { recountStats } from './embedded.server'

// A deployment that upgrades keeps its indexed documents: the migration search_browse must count
// them exactly as the app's own statements would (recountStats, what a reindex runs).
const BROWSE = '20261129110000_search_browse'

describe(`the migration ${BROWSE}, on documents indexed before it`, () => {
  let db: Database

  beforeAll(async () => {
    db = await openDatabase({ mode: 'pglite', dataDir: null })
    await migrate(db.raw, readMigrations().filter((m) => m.name < BROWSE))
    const row = (i: number, kind: string, field: string, modes: string, trl: string, province: string, bucket: string) =>
      `('${kind}_m${i}', '${kind}', 'm${i}', 'org', '机构', '${province}0101', '${province}', '标题${i}', '正文', '{}', '''压铸'':1A',
        ${field}, 'AUTOMOTIVE', ${trl}, NULL, '${modes}', NULL, '${bucket}', NULL, '2026-11-0${1 + (i % 9)}', now())`
    await db.raw.exec(
      `INSERT INTO "SearchDocument" (id, kind, "listingId", "orgId", "orgName", "regionCode", province, title, body, keywords, terms,
         field, industry, trl, stage, modes, "priceFen", "priceBucket", deadline, "publishedAt", "updatedAt") VALUES
       ${[
         row(1, 'achievement', `'NEW_ENERGY'`, '{TRANSFER,LICENSE}', '5', '50', 'negotiable'),
         row(2, 'achievement', `'NEW_ENERGY'`, '{LICENSE}', '7', '51', 'lt100k'),
         row(3, 'achievement', 'NULL', '{}', 'NULL', '50', 'negotiable'),
         row(4, 'demand', `'AEROSPACE'`, '{EQUITY,TECH_SERVICE}', '3', '50', 'gte5m'),
         row(5, 'scenario', `'AEROSPACE'`, '{TECH_SERVICE}', 'NULL', '11', 'negotiable'),
       ].join(',\n')}`,
    )
    await migrate(db.raw)
  }, 60_000)

  afterAll(async () => {
    await db?.close()
  })

  const facetCounts = () => db.raw.query(`SELECT given, kind, facet, value, n FROM "SearchFacetStat" ORDER BY 1, 2, 3, 4`)

  it('counts their facet values as a recount does', async () => {
    const migrated = await facetCounts()
    expect(migrated).toContainEqual({ given: '', kind: 'achievement', facet: 'kind', value: 'achievement', n: 3 })
    expect(migrated).toContainEqual({ given: 'province=50', kind: 'achievement', facet: 'modes', value: 'LICENSE', n: 1 })
    expect(migrated).toContainEqual({ given: 'modes=TECH_SERVICE', kind: 'scenario', facet: 'province', value: '11', n: 1 })
    await recountStats(db.prisma)
    expect(await facetCounts()).toEqual(migrated)
  })

  it('copies them into SearchDocumentFacets', async () => {
    const columns = `id, kind, field, industry, trl, stage, modes, province, "priceBucket", "priceFen", "publishedAt", "facetCode"`
    const documents = await db.raw.query(`SELECT ${columns} FROM "SearchDocument" ORDER BY id`)
    expect(documents).toHaveLength(5)
    expect(await db.raw.query(`SELECT ${columns} FROM "SearchDocumentFacets" ORDER BY id`)).toEqual(documents)
  })
})
