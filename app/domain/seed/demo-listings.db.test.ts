import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { INDUSTRIES, TECH_FIELDS } from '~/domain/listings/classifications'
import type { ParsedFile } from '~/domain/listings/exchange'
import { readExchangeFile } from '~/domain/listings/exchange-files.server'
import { todayInChina } from '~/domain/listings/schemas'
import { prisma } from '~/infra/db/client.server'
import { DEMO_FILES, demoDir, keepDeadlinesAhead, seedDemo } from './demo.server'

async function demoListings() {
  const db = await prisma()
  const include = { org: { select: { name: true, kind: true, verified: true } } }
  return {
    achievements: await db.achievement.findMany({ where: { source: 'demo' }, include }),
    demands: await db.demand.findMany({ where: { source: 'demo' }, include }),
    scenarios: await db.scenario.findMany({ where: { source: 'demo' }, include: { ...include, batch: true } }),
  }
}

describe('demo listings', () => {
  it('are loaded through the importer, published, once however often the seed runs', async () => {
    await seedDemo()
    const first = await demoListings()
    expect(first.achievements.length).toBeGreaterThanOrEqual(60)
    expect(first.demands).toHaveLength(25)
    expect(first.scenarios).toHaveLength(8)
    for (const row of [...first.achievements, ...first.demands, ...first.scenarios]) {
      expect(row.status).toBe('PUBLISHED')
      expect(row.publishedAt).not.toBeNull()
    }

    await seedDemo()
    const second = await demoListings()
    expect(second.achievements.map((a) => a.id).sort()).toEqual(first.achievements.map((a) => a.id).sort())
    expect(second.demands).toHaveLength(25)
    expect(second.scenarios).toHaveLength(8)
  })

  it('cover every district industry and technical field, a spread of TRLs, prices and 面议', async () => {
    const { achievements } = await demoListings()
    expect(new Set(achievements.map((a) => a.industry))).toEqual(new Set(Object.keys(INDUSTRIES)))
    expect(new Set(achievements.map((a) => a.field))).toEqual(new Set(Object.keys(TECH_FIELDS)))
    expect(new Set(achievements.map((a) => a.trl)).size).toBeGreaterThanOrEqual(7)
    expect(achievements.filter((a) => a.askingPriceFen === null).length).toBeGreaterThanOrEqual(5)
    expect(achievements.filter((a) => a.askingPriceFen !== null).length).toBeGreaterThanOrEqual(40)
    for (const a of achievements) expect(a.keywords.length, a.title).toBeGreaterThanOrEqual(3)
  })

  it('belong to the demo organisations where the names match, and to new unverified ones otherwise', async () => {
    const { achievements, demands, scenarios } = await demoListings()
    const owners = (rows: { org: { name: string } }[]) => rows.map((r) => r.org.name)
    expect(owners(achievements).filter((n) => n === '渝西理工大学').length).toBeGreaterThanOrEqual(3)
    expect(owners(achievements).filter((n) => n === '永川智能装备研究院').length).toBeGreaterThanOrEqual(3)
    expect(owners(demands).filter((n) => n === '重庆永锋精密机械有限公司').length).toBeGreaterThanOrEqual(3)
    expect(new Set(owners(achievements)).size).toBeGreaterThanOrEqual(6)
    const created = achievements.map((a) => a.org).find((o) => o.name === '重庆西部职业技术学院')
    expect(created).toMatchObject({ kind: 'UNIVERSITY', verified: false })
    expect(achievements.map((a) => a.org).find((o) => o.name === '川渝农业科学研究所')).toMatchObject({ kind: 'INSTITUTE' })
    expect(demands.every((d) => ['ENTERPRISE'].includes(d.org.kind))).toBe(true)
    expect(new Set(scenarios.map((s) => s.org.name))).toEqual(new Set(['重庆市永川区科学技术局']))
    expect(new Set(scenarios.map((s) => s.batch?.number))).toEqual(new Set(['2026年第2批']))
  })

  it('have confidential demands with details, and deadlines ahead', async () => {
    const { demands, scenarios } = await demoListings()
    const secret = demands.filter((d) => d.confidential)
    expect(secret.length).toBeGreaterThanOrEqual(4)
    for (const d of secret) expect(d.currentSituation && d.targetIndicators, d.title).toBeTruthy()
    const today = todayInChina()
    for (const row of [...demands, ...scenarios]) expect(row.deadline!.toISOString().slice(0, 10) >= today, row.title).toBe(true)
  })
})

describe('demo files', () => {
  it('are valid exchange files as they are', async () => {
    for (const { kind, file } of DEMO_FILES) {
      const parsed = await readExchangeFile(kind, readFileSync(path.join(demoDir(), file)), file)
      expect(parsed.notes, file).toEqual([])
    }
  })

  it('move deadlines that have passed on by whole years', () => {
    const file: ParsedFile = {
      format: 'csv',
      header: ['deadline'],
      headerRow: 1,
      notes: [],
      rows: [
        { row: 2, values: { deadline: '2027-06-30' } },
        { row: 3, values: { deadline: '2020-02-29' } },
        { row: 4, values: { deadline: null } },
      ],
    }
    keepDeadlinesAhead(file, '2028-03-01')
    expect(file.rows.map((r) => r.values.deadline)).toEqual(['2028-06-30', '2029-02-28', null])
  })
})
