import type { Route } from './+types/export'
import { STATS_EXPORT_FORMATS, statsCsv, statsTable, statsXlsx, type StatsExportFormat } from '~/domain/stats/export.server'
import { dashboard, StatsQuerySchema, toJson } from '~/domain/stats/stats.server'
import { localeFromRequest, translator } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'

/** GET /stats/export?year=&quarter=&format=csv|xlsx: the bureau's dashboard as a table. */
export async function loader(args: Route.LoaderArgs) {
  requireUser(args, 'contract:read-all')
  const t = translator(localeFromRequest(args.request))
  const format = (args.url.searchParams.get('format') || 'csv') as StatsExportFormat
  const parsed = StatsQuerySchema.required({ year: true }).safeParse({
    year: args.url.searchParams.get('year') ?? undefined,
    quarter: args.url.searchParams.get('quarter') || undefined,
  })
  if (!parsed.success || !STATS_EXPORT_FORMATS.includes(format)) {
    return Response.json({ error: 'err.invalidForm', message: t('err.invalidForm') }, { status: 400, headers: { 'Cache-Control': 'no-store' } })
  }
  const { year, quarter } = parsed.data
  const data = toJson(await dashboard({ year, quarter: quarter ?? null, audience: 'bureau' }))
  const table = statsTable(data, t)
  const name = `kezhuan-stats-${year}${quarter ? `-q${quarter}` : ''}.${format}`
  const headers = {
    'Content-Disposition': `attachment; filename="${name}"`,
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  }
  if (format === 'csv') return new Response(statsCsv(table), { headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8' } })
  const body = await statsXlsx(table, t('stats.title'))
  return new Response(body, { headers: { ...headers, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } })
}
