import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import ExcelJS from 'exceljs'
import Papa from 'papaparse'
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/infra/db/client.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import { readExchangeFile } from './exchange-files.server'
import { exportRows, exportStream, type ExportFormat } from './export.server'
import { importListings, prepareImport } from './import.server'
import type { ListingKind } from './kinds'
import { getListing } from './listings.server'
import { ListQuerySchema } from './query'

const inDays = (days: number) => new Date(Date.now() + days * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10)
const tag = () => Math.random().toString(36).slice(2, 8)

function csv(rows: Record<string, unknown>[]): Uint8Array {
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  return new Uint8Array(Buffer.from('\uFEFF' + Papa.unparse({ fields, data: rows.map((r) => fields.map((f) => r[f] ?? '')) })))
}

const parse = (kind: ListingKind, content: Uint8Array, name = 'file.csv') => readExchangeFile(kind, content, name)

function achievementRow(id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    title: `高精度数控机床热误差补偿技术 ${id}`,
    summary: '基于温度场建模的数控机床热误差实时补偿方法，定位精度提升 40%。',
    field: '先进制造与自动化',
    industry: '智能装备',
    keywords: '数控机床;热误差',
    trl: 6,
    transferModes: '许可;转让',
    askingPrice: 1200000,
    owner: '渝西理工大学',
    ...over,
  }
}

async function bySource(kind: ListingKind, source: string) {
  const db = await prisma()
  return (db[kind] as unknown as { findMany(a: object): Promise<Record<string, unknown>[]> }).findMany({
    where: { source },
    include: { org: true },
    orderBy: { externalId: 'asc' },
  })
}

async function streamText(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of Readable.fromWeb(stream as unknown as NodeReadableStream)) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}

async function exportFile(kind: ListingKind, format: ExportFormat, filters: Record<string, string> = {}) {
  return streamText(exportStream(kind, format, exportRows({ actor: null, kind, query: ListQuerySchema.parse(filters), scope: 'public' })))
}

let bureauOrgId: string

beforeAll(async () => {
  // The bureau that owns scenarios, and one known university.
  bureauOrgId = (await makeOrg({ kind: 'GOVERNMENT', name: '重庆市永川区科学技术局', verified: true })).id
  await makeOrg({ kind: 'UNIVERSITY', name: '渝西理工大学', verified: true })
})

describe('importing achievements', () => {
  it('is idempotent: the same file twice gives the same listings, updated', async () => {
    const source = `src-${tag()}`
    const file = await parse('achievement', csv([achievementRow('A1'), achievementRow('A2', { askingPrice: '' })]))
    const first = await importListings({ actor: 'system', kind: 'achievement', file, source })
    expect(first.summary).toMatchObject({ created: 2, updated: 0, skipped: 0, errors: [], written: true })
    const before = await bySource('achievement', source)
    expect(before.map((r) => [r.externalId, r.status, r.askingPriceFen, r.stage])).toEqual([
      ['A1', 'PUBLISHED', 120000000n, 'PILOT'],
      ['A2', 'PUBLISHED', null, 'PILOT'],
    ])

    const changed = await parse('achievement', csv([achievementRow('A1', { title: '改进后的热误差补偿技术' }), achievementRow('A2', { askingPrice: '' })]))
    const second = await importListings({ actor: 'system', kind: 'achievement', file: changed, source })
    expect(second.summary).toMatchObject({ created: 0, updated: 2, skipped: 0 })
    const after = await bySource('achievement', source)
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id))
    expect(after[0]).toMatchObject({ title: '改进后的热误差补偿技术', publishedAt: before[0]!.publishedAt })
  })

  it('indexes imported listings for search and queues their matching, like any published listing', async () => {
    const source = `src-${tag()}`
    const supplier = await makeUser({ role: 'SUPPLIER', isOrgAdmin: true })
    await importListings({ actor: 'system', kind: 'achievement', file: await parse('achievement', csv([achievementRow('S1')])), source })
    await importListings({ actor: supplier, kind: 'achievement', file: await parse('achievement', csv([achievementRow('S2')])), source })
    const [published, pending] = await bySource('achievement', source)
    const db = await prisma()
    const indexed = await db.$queryRawUnsafe<{ listingId: string }[]>(
      `SELECT "listingId" FROM "SearchDocument" WHERE "listingId" IN ($1, $2)`,
      published!.id,
      pending!.id,
    )
    expect(indexed.map((r) => r.listingId)).toEqual([published!.id])
    const queued = await db.outbox.findMany({ where: { topic: 'match.recompute' }, select: { payload: true } })
    const ids = queued.map((q) => (q.payload as { id: string }).id)
    expect(ids).toEqual(expect.arrayContaining([published!.id, pending!.id]))
  })

  it('writes nothing when any row is invalid, and reports every bad row', async () => {
    const source = `src-${tag()}`
    const db = await prisma()
    const orgsBefore = await db.organization.count()
    const file = await parse(
      'achievement',
      csv([achievementRow('A1', { owner: '全新研究院' }), achievementRow('A2', { trl: 10 }), achievementRow('A3'), achievementRow('A1', { title: '重复' })]),
    )
    const { summary } = await importListings({ actor: 'system', kind: 'achievement', file, source })
    expect(summary).toMatchObject({ created: 0, updated: 0, skipped: 4, written: false })
    expect(summary.errors).toEqual([
      { row: 3, column: 'trl', key: 'err.trl' },
      { row: 5, column: 'id', key: 'err.import.duplicateId?row=2' },
    ])
    expect(await bySource('achievement', source)).toEqual([])
    expect(await db.organization.count()).toBe(orgsBefore)
  })

  it('with skipInvalid, imports the valid rows and reports the others', async () => {
    const source = `src-${tag()}`
    const file = await parse('achievement', csv([achievementRow('A1'), achievementRow('A2', { askingPrice: -1 }), achievementRow('A3')]))
    const { summary } = await importListings({ actor: 'system', kind: 'achievement', file, source, skipInvalid: true })
    expect(summary).toMatchObject({ created: 2, updated: 0, skipped: 1, written: true, errors: [{ row: 3, column: 'askingPrice', key: 'err.negativeAmount' }] })
    expect((await bySource('achievement', source)).map((r) => r.externalId)).toEqual(['A1', 'A3'])
  })

  it('creates unknown organisations unverified, with a kind from the name, and attaches known ones', async () => {
    const source = `src-${tag()}`
    const t = tag()
    const file = await parse(
      'achievement',
      csv([
        achievementRow('A1'),
        achievementRow('A2', { owner: `川渝农业科学研究所${t}`, ownerRegion: '510104' }),
        achievementRow('A3', { owner: `重庆西部职业技术学院${t}` }),
        achievementRow('A4', { owner: `渝西新能源技术研究中心${t}` }),
        achievementRow('A5', { owner: `永川锐思光电科技有限公司${t}` }),
        achievementRow('A6', { owner: `川渝农业科学研究所${t}`, ownerRegion: '500118' }),
      ]),
    )
    const plan = await prepareImport({ actor: 'system', kind: 'achievement', file, source })
    expect(plan.newOrgs.map((o) => [o.name.replace(t, ''), o.kind, o.regionCode])).toEqual([
      ['川渝农业科学研究所', 'INSTITUTE', '510104'],
      ['重庆西部职业技术学院', 'UNIVERSITY', '500118'],
      ['渝西新能源技术研究中心', 'INSTITUTE', '500118'],
      ['永川锐思光电科技有限公司', 'OTHER', '500118'],
    ])
    await importListings({ actor: 'system', kind: 'achievement', file, source })
    const rows = await bySource('achievement', source)
    const orgs = rows.map((r) => r.org as { name: string; kind: string; verified: boolean; regionCode: string; invitationCode: string })
    expect(orgs[0]).toMatchObject({ name: '渝西理工大学', verified: true })
    expect(orgs[1]).toMatchObject({ kind: 'INSTITUTE', verified: false, regionCode: '510104' })
    expect(orgs[5]!.name).toBe(orgs[1]!.name)
    expect(new Set(orgs.map((o) => o.name)).size).toBe(5)
    for (const org of orgs) expect(org.invitationCode).toMatch(/^[A-Z2-9]{10}$/)
    // A second import finds them by name instead of creating them again.
    const again = await prepareImport({ actor: 'system', kind: 'achievement', file, source: `${source}-b` })
    expect(again.newOrgs).toEqual([])
  })

  it('refuses a region code that does not exist', async () => {
    const file = await parse('achievement', csv([achievementRow('A1', { owner: `某某研究所${tag()}`, ownerRegion: '999999' })]))
    const plan = await prepareImport({ actor: 'system', kind: 'achievement', file, source: `src-${tag()}` })
    expect(plan.errors).toEqual([{ row: 2, column: 'ownerRegion', key: 'err.region' }])
    expect(plan.newOrgs).toEqual([])
  })
})

describe('who imports what', () => {
  it('an organisation admin imports their own kind, as their organisation, for review', async () => {
    const org = await makeOrg({ kind: 'UNIVERSITY', verified: true })
    const admin = await makeUser({ role: 'SUPPLIER', orgId: org.id, isOrgAdmin: true })
    const source = `src-${tag()}`
    const file = await parse('achievement', csv([achievementRow('A1', { owner: '别的大学' })]))
    const { summary, plan } = await importListings({ actor: admin, kind: 'achievement', file, source })
    expect(plan).toMatchObject({ status: 'PENDING_REVIEW', newOrgs: [] })
    expect(summary.created).toBe(1)
    const [row] = await bySource('achievement', source)
    expect(row).toMatchObject({ orgId: org.id, status: 'PENDING_REVIEW', publishedAt: null, createdById: admin.id })

    // Another organisation cannot take over that id under the same source.
    const other = await makeUser({ role: 'SUPPLIER', isOrgAdmin: true })
    const taken = await prepareImport({ actor: other, kind: 'achievement', file, source })
    expect(taken.errors).toEqual([{ row: 2, column: 'id', key: 'err.import.idTaken' }])
  })

  it('refuses other kinds, members who are not admins, and unverified organisations', async () => {
    const file = await parse('demand', csv([{ id: 'D1', title: '需求' }]))
    const supplier = await makeUser({ role: 'SUPPLIER', isOrgAdmin: true })
    await expect(prepareImport({ actor: supplier, kind: 'demand', file })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const member = await makeUser({ role: 'ENTERPRISE', isOrgAdmin: false })
    await expect(prepareImport({ actor: member, kind: 'demand', file })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const broker = await makeUser({ role: 'BROKER', isOrgAdmin: true })
    await expect(prepareImport({ actor: broker, kind: 'achievement', file })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const pending = await makeOrg({ kind: 'ENTERPRISE', verified: false })
    const newcomer = await makeUser({ role: 'ENTERPRISE', orgId: pending.id, isOrgAdmin: true })
    await expect(prepareImport({ actor: newcomer, kind: 'demand', file })).rejects.toMatchObject({ message: 'err.orgNotVerified' })
  })

  it('bureau staff import any kind, published', async () => {
    const bureau = await makeUser({ role: 'BUREAU', orgId: bureauOrgId })
    const file = await parse('achievement', csv([achievementRow('A1')]))
    const plan = await prepareImport({ actor: bureau, kind: 'achievement', file, source: `src-${tag()}` })
    expect(plan).toMatchObject({ status: 'PUBLISHED', errors: [] })
  })
})

describe('demands and scenarios', () => {
  it('imports demands with confidential details that no export carries and no re-import erases', async () => {
    const source = `src-${tag()}`
    const enterprise = `重庆测试精密机械有限公司${tag()}`
    const json = JSON.stringify([
      {
        id: 'D1',
        title: '压铸件气孔缺陷在线检测',
        description: '我们的铝合金压铸件气孔率偏高，需要一套在线检测方案。',
        industry: '汽车及零部件',
        field: '先进制造与自动化',
        keywords: ['压铸', '气孔'],
        budget: 500000,
        deadline: inDays(90),
        cooperationModes: ['合作开发', '技术服务'],
        confidential: true,
        currentSituation: '人工抽检，漏检率约 5%',
        targetIndicators: '气孔不良率降到 1% 以内',
        enterprise,
      },
    ])
    const { summary } = await importListings({ actor: 'system', kind: 'demand', file: await parse('demand', new Uint8Array(Buffer.from(json)), 'd.json'), source })
    expect(summary.created).toBe(1)
    const [row] = await bySource('demand', source)
    expect(row).toMatchObject({ confidential: true, currentSituation: '人工抽检，漏检率约 5%', budgetFen: 50000000n })
    expect(row!.org).toMatchObject({ name: enterprise, kind: 'ENTERPRISE', verified: false })

    const exported = await exportFile('demand', 'csv', { q: '压铸件气孔缺陷' })
    expect(exported.toString('utf8')).not.toContain('漏检率')
    // The export, imported again into the same source by its ids, would erase nothing.
    const again = await parse('demand', new Uint8Array(exported))
    const ids = again.rows.map((r) => r.values.id)
    expect(ids).toContain(row!.id)
    const back = (await parse('demand', new Uint8Array(Buffer.from(json)), 'd.json')).rows[0]!
    back.values.currentSituation = null
    back.values.targetIndicators = ''
    await importListings({ actor: 'system', kind: 'demand', file: { ...again, rows: [back] }, source })
    const [kept] = await bySource('demand', source)
    expect(kept).toMatchObject({ currentSituation: '人工抽检，漏检率约 5%', targetIndicators: '气孔不良率降到 1% 以内' })
  })

  it('imports scenarios into a batch of the bureau, created once', async () => {
    const source = `src-${tag()}`
    const number = `2031年第${Math.floor(Math.random() * 90) + 10}批`
    const rows = [1, 2].map((n) => ({
      id: `S${n}`,
      title: `城市道路积水智能监测 ${n}`,
      description: '在全区 30 处易涝点开展道路积水智能监测，汛期实时预警。',
      sector: '大数据及软件服务',
      budget: '1500000',
      deadline: inDays(60),
      batch: number,
      ownerDepartment: '永川区城市管理局',
    }))
    const file = await parse('scenario', csv(rows))
    const first = await importListings({ actor: 'system', kind: 'scenario', file, source, bureauOrgId })
    expect(first.plan.newBatches).toEqual([number])
    await importListings({ actor: 'system', kind: 'scenario', file, source, bureauOrgId })
    const db = await prisma()
    const batches = await db.scenarioBatch.findMany({ where: { number } })
    expect(batches).toHaveLength(1)
    expect(batches[0]).toMatchObject({ orgId: bureauOrgId, title: `应用场景清单（${number}）` })
    const saved = await bySource('scenario', source)
    expect(saved.map((s) => [s.batchId, s.orgId, s.status])).toEqual([
      [batches[0]!.id, bureauOrgId, 'PUBLISHED'],
      [batches[0]!.id, bureauOrgId, 'PUBLISHED'],
    ])
  })
})

describe('export → import', () => {
  it('round-trips through CSV, XLSX and JSON', async () => {
    const source = `src-${tag()}`
    const marker = `往返${tag()}`
    const rows = [
      achievementRow('R1', { title: `${marker} 数控补偿`, ipType: '发明专利', ipNumbers: 'ZL1;ZL2', ipStatus: '已授权', stage: '产业化' }),
      achievementRow('R2', { title: `-${marker} 负号开头的标题`, askingPrice: '面议', keywords: '' }),
      achievementRow('R3', { title: `${marker} <b>HTML</b>`, askingPrice: '0.07', field: '新材料', industry: '能源及新材料' }),
    ]
    await importListings({ actor: 'system', kind: 'achievement', file: await parse('achievement', csv(rows)), source })
    const original = await bySource('achievement', source)
    const comparable = (r: Record<string, unknown>) => {
      const { id: _i, source: _s, externalId: _e, createdAt: _c, updatedAt: _u, publishedAt: _p, refreshedAt: _r, createdById: _b, org, ...rest } = r
      return { ...rest, org: (org as { name: string }).name }
    }
    const formats = ['csv', 'xlsx', 'json'] as const
    // All exports first: the copies imported below match the same filter.
    const exported = await Promise.all(formats.map((format) => exportFile('achievement', format, { q: marker, sort: 'oldest' })))
    for (const [i, format] of formats.entries()) {
      const bytes = exported[i]!
      if (format === 'csv') expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const file = await parse('achievement', new Uint8Array(bytes), `export.${format}`)
      expect(file.rows).toHaveLength(3)
      const copy = `${source}-${format}`
      const { summary } = await importListings({ actor: 'system', kind: 'achievement', file, source: copy })
      expect(summary, format).toMatchObject({ created: 3, errors: [] })
      const copies = await bySource('achievement', copy)
      const byId = new Map(copies.map((c) => [c.externalId, c]))
      for (const o of original) expect(comparable(byId.get(o.id as string)!), format).toEqual(comparable(o))
    }
  })

  it('exports published listings only, never confidential details, whoever asks', async () => {
    const source = `src-${tag()}`
    const marker = `保密${tag()}`
    const supplier = await makeUser({ role: 'SUPPLIER', isOrgAdmin: true })
    await importListings({
      actor: supplier,
      kind: 'achievement',
      file: await parse('achievement', csv([achievementRow('P1', { title: `${marker} 待审核`, confidentialDetails: '参数表绝密' })])),
      source,
    })
    await importListings({
      actor: 'system',
      kind: 'achievement',
      file: await parse('achievement', csv([achievementRow('P2', { title: `${marker} 已发布`, confidentialDetails: '参数表绝密' })])),
      source,
    })
    const bureau = await makeUser({ role: 'BUREAU', orgId: bureauOrgId })
    const rows = []
    for await (const row of exportRows({ actor: bureau, kind: 'achievement', query: ListQuerySchema.parse({ q: marker }), scope: 'public' })) rows.push(row)
    expect(rows.map((r) => r.title)).toEqual([`${marker} 已发布`])
    expect(JSON.stringify(rows)).not.toContain('参数表绝密')
    const [published] = (await bySource('achievement', source)).filter((r) => r.externalId === 'P2')
    const { listing } = await getListing({ actor: bureau, kind: 'achievement', id: published!.id as string })
    expect(listing.confidentialDetails).toBe('参数表绝密')
  })

  it('writes an XLSX that Excel reads: one data sheet, and a sheet explaining the columns', async () => {
    const bytes = await exportFile('achievement', 'xlsx', { field: 'ADVANCED_MANUFACTURING' })
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(bytes as unknown as ArrayBuffer)
    expect(book.worksheets.map((w) => w.name)).toEqual(['科技成果', '说明'])
    expect(book.worksheets[0]!.getRow(1).getCell(1).value).toBe('id')
    const file = await parse('achievement', new Uint8Array(bytes), 'x.xlsx')
    expect(file.notes).toContain('import.note.sheetIgnored?sheet=%E8%AF%B4%E6%98%8E')
  })
})
