import ExcelJS from 'exceljs'
import { RouterContextProvider } from 'react-router'
import { describe, expect, it } from 'vitest'
import { translator } from '~/i18n/i18n'
import type { ContractStatus } from '~/generated/prisma/enums'
import { registeredTotals } from '~/domain/contracts/contracts.server'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { prisma } from '~/infra/db/client.server'
import { authContext } from '~/infra/http/context'
import { loader as openApiLoader } from '~/routes/api/openapi'
import { loader as apiLoader } from '~/routes/api/stats'
import { loader as exportLoader } from '~/routes/stats/export'
import { loader as publicLoader } from '~/routes/stats/index'
import { makeOrg, makeUser } from '../../../tests/factories'
import { ContractStatsResponseSchema, GROUP_BYS } from './api'
import { statsCsv, statsTable, statsXlsx } from './export.server'
import { dashboard, toJson } from './stats.server'

async function api(query: string) {
  const request = new Request(`http://localhost/api/v1/stats/contracts${query}`)
  const res = await apiLoader({ request, url: new URL(request.url), params: {}, context: new RouterContextProvider() } as never)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { data?: Record<string, unknown> } }
}

let seq = 0
/** A contract as the contracts module leaves it in `status`, registered on `registeredAt` when it ever was. */
async function contractIn(status: ContractStatus, o: { sellerOrgId: string; buyerOrgId: string; registeredAt: Date; amountFen: bigint; techFen: bigint }) {
  const db = await prisma()
  seq += 1
  // Refused and terminated contracts may carry a registration date and amount: they still never count.
  const dated = ['REGISTERED', 'COMPLETED', 'NOT_REGISTERED', 'TERMINATED'].includes(status)
  return db.contract.create({
    data: {
      number: `KZ-T-${o.registeredAt.getUTCFullYear()}-${String(seq).padStart(6, '0')}`,
      title: `统计口径测试合同 ${seq}`,
      type: 'LICENSE',
      subtype: 'LICENSE_PATENT',
      sellerOrgId: o.sellerOrgId,
      buyerOrgId: o.buyerOrgId,
      sellerKind: 'UNIVERSITY',
      sellerRegion: '500118',
      buyerKind: 'ENTERPRISE',
      buyerRegion: '500101',
      field: 'ADVANCED_MANUFACTURING',
      industry: 'INTELLIGENT_EQUIPMENT',
      amountFen: o.amountFen,
      techAmountFen: o.techFen,
      paymentMethod: 'LUMP_SUM',
      status,
      registeredAt: dated ? o.registeredAt : null,
      registeredTechAmountFen: dated ? o.techFen : null,
    },
  })
}

async function signedInContext(user: { id: string }) {
  const ctx = new RouterContextProvider()
  ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
  return ctx
}

describe('GET /api/v1/stats/contracts', () => {
  it('answers every groupBy with integer fen', async () => {
    for (const groupBy of ['type', 'field', 'industry', 'sellerKind', 'buyerKind', 'month']) {
      const { status, body } = await api(`?year=2025&groupBy=${groupBy}`)
      expect(status).toBe(200)
      expect(body.data).toMatchObject({ year: 2025, groupBy, totals: { count: 0, amountFen: 0, techAmountFen: 0 } })
      expect(Array.isArray(body.data!.rows)).toBe(true)
    }
    const month = await api('?year=2025&groupBy=month')
    expect((month.body.data!.rows as unknown[]).length).toBe(12)
    const region = await api('?year=2025&quarter=2&groupBy=region')
    expect(region.body.data).toHaveProperty('output')
    expect(region.body.data).toHaveProperty('absorption')
  })

  it('refuses bad parameters with 400', async () => {
    for (const q of ['?groupBy=colour', '?year=2025', '?year=abc&groupBy=type', '?year=2025&quarter=5&groupBy=type', '?year=2025&groupBy=type&foo=1']) {
      const { status, body } = await api(q)
      expect(status, q).toBe(400)
      expect(body).toHaveProperty('error')
    }
  })
})

describe('the endpoint and its OpenAPI description agree', () => {
  it('answers every documented groupBy with a body the documented schema accepts, and refuses any other value', async () => {
    // One registered contract in 2031, so that the rows have something in them.
    const seller = await makeOrg({ kind: 'UNIVERSITY', regionCode: '500118' })
    const buyer = await makeOrg({ kind: 'ENTERPRISE', regionCode: '500101' })
    await contractIn('REGISTERED', { sellerOrgId: seller.id, buyerOrgId: buyer.id, registeredAt: new Date(Date.UTC(2031, 4, 20)), amountFen: 123_456_789n, techFen: 98_765_432n })
    const request = new Request('http://localhost/api/v1/openapi.json')
    const res = await openApiLoader({ request, url: new URL(request.url), params: {}, context: new RouterContextProvider() } as never)
    const document = (await res.json()) as { paths: Record<string, { get?: { parameters: { name: string; schema: { enum?: string[] } }[] } }> }
    const operation = document.paths['/api/v1/stats/contracts']?.get
    expect(operation, 'the document lists the endpoint').toBeDefined()
    const documented = operation!.parameters.find((p) => p.name === 'groupBy')!.schema.enum!
    expect(documented.length).toBeGreaterThan(0)
    for (const groupBy of documented) {
      const { status, body } = await api(`?year=2031&groupBy=${groupBy}`)
      expect(status, groupBy).toBe(200)
      const parsed = ContractStatsResponseSchema.safeParse(body)
      expect(parsed.success, `${groupBy}: ${parsed.error?.message}`).toBe(true)
      expect(body.data).toMatchObject({ year: 2031, groupBy, totals: { count: 1, amountFen: 123_456_789, techAmountFen: 98_765_432 } })
    }
    const quarter = await api('?year=2031&quarter=2&groupBy=region')
    expect(ContractStatsResponseSchema.safeParse(quarter.body).success).toBe(true)
    expect(quarter.body.data).toMatchObject({ quarter: 2, output: expect.arrayContaining([expect.objectContaining({ key: 'chongqing', count: 1 })]) })
    for (const groupBy of ['TYPE', 'quarter', 'seller', 'year', 'broker', 'region,type']) {
      const { status, body } = await api(`?year=2031&groupBy=${groupBy}`)
      expect(status, groupBy).toBe(400)
      expect(body).toMatchObject({ error: { code: 'BAD_INPUT', fields: { groupBy: expect.any(String) } } })
    }
  })
})

describe('only registered contracts count, everywhere', () => {
  it('the API (every grouping), the public page, the export and the contracts list leave out drafts, refused and terminated contracts', async () => {
    const seller = await makeOrg({ kind: 'UNIVERSITY', regionCode: '500118' })
    const buyer = await makeOrg({ kind: 'ENTERPRISE', regionCode: '500101' })
    const parties = { sellerOrgId: seller.id, buyerOrgId: buyer.id, registeredAt: new Date(Date.UTC(2032, 6, 1)) }
    await contractIn('REGISTERED', { ...parties, amountFen: 50_000_001n, techFen: 40_000_003n })
    await contractIn('COMPLETED', { ...parties, amountFen: 7_000_000n, techFen: 6_000_000n })
    for (const status of ['DRAFT', 'AWAITING_CONFIRMATION', 'SIGNED', 'REGISTRATION_SUBMITTED', 'NOT_REGISTERED', 'TERMINATED'] as const) {
      await contractIn(status, { ...parties, amountFen: 900_000_000n, techFen: 800_000_000n })
    }
    const expected = { count: 2, amountFen: 57_000_001, techAmountFen: 46_000_003 }

    for (const groupBy of GROUP_BYS) {
      for (const quarter of ['', '&quarter=3']) {
        const { status, body } = await api(`?year=2032&groupBy=${groupBy}${quarter}`)
        expect(status).toBe(200)
        const data = body.data as { totals: unknown; rows?: { count: number; amountFen: number }[]; output?: { count: number }[]; absorption?: { count: number }[] }
        expect(data.totals, `${groupBy}${quarter}`).toEqual(expected)
        const rows = data.rows ?? [...(data.output ?? []), ...(data.absorption ?? [])]
        // Every contract lies in one group (region: the seller is in the district, the buyer is not).
        expect(rows.reduce((n, r) => n + r.count, 0), `${groupBy}${quarter}`).toBe(2)
      }
    }

    const request = new Request('http://localhost/stats?year=2032')
    const pub = (await publicLoader({ request, url: new URL(request.url), params: {}, context: new RouterContextProvider() } as never)) as { data: { totals: unknown } }
    expect(pub.data.totals).toEqual(expected)

    const bureau = await makeUser({ role: 'BUREAU', isOrgAdmin: true })
    const exportRequest = new Request('http://localhost/stats/export?year=2032&format=csv')
    const csv = (await exportLoader({ request: exportRequest, url: new URL(exportRequest.url), params: {}, context: await signedInContext(bureau) } as never)) as Response
    expect(csv.status).toBe(200)
    const lines = (await csv.text()).split('\r\n')
    expect(lines[1]).toBe('总体情况,2032 实际,2,570000.01,460000.03')

    expect(await registeredTotals({ actor: bureau, year: 2032 })).toEqual(expected)
  })
})

describe('exports', () => {
  it('writes CSV with a UTF-8 BOM and XLSX with the same rows', async () => {
    const data = toJson(await dashboard({ year: 2025, audience: 'bureau', now: new Date(Date.UTC(2025, 5, 1)) }))
    const table = statsTable(data, translator('zh-CN'))
    const csv = statsCsv(table)
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    expect(csv).toContain('技术交易额（元）')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await statsXlsx(table, '技术合同统计'))
    expect(wb.worksheets[0]!.rowCount).toBe(table.length)
  })
})
