import ExcelJS from 'exceljs'
import { RouterContextProvider } from 'react-router'
import { describe, expect, it } from 'vitest'
import { translator } from '~/i18n/i18n'
import { loader as apiLoader } from '~/routes/api/stats'
import { statsCsv, statsTable, statsXlsx } from './export.server'
import { dashboard, toJson } from './stats.server'

async function api(query: string) {
  const request = new Request(`http://localhost/api/v1/stats/contracts${query}`)
  const res = await apiLoader({ request, url: new URL(request.url), params: {}, context: new RouterContextProvider() } as never)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { data?: Record<string, unknown> } }
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
