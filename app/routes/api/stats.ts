import { z } from 'zod'
import type { Route } from './+types/stats'
import { breakdown, currentYear, GROUP_BYS, MAX_YEAR, MIN_YEAR, periodRange, toJson, totalsOf } from '~/domain/stats/stats.server'
import { apiJson, handleApi, parseSearchParams } from '~/infra/http/api.server'

const QuerySchema = z.object({
  year: z.coerce.number({ error: 'stats.err.year' }).int({ error: 'stats.err.year' }).min(MIN_YEAR, { error: 'stats.err.year' }).max(MAX_YEAR, { error: 'stats.err.year' }).optional(),
  quarter: z.coerce.number({ error: 'stats.err.quarter' }).int({ error: 'stats.err.quarter' }).min(1, { error: 'stats.err.quarter' }).max(4, { error: 'stats.err.quarter' }).optional(),
  groupBy: z.enum(GROUP_BYS, { error: 'stats.err.groupBy' }),
})

/**
 * GET /api/v1/stats/contracts?year=&quarter=&groupBy=type|field|industry|sellerKind|buyerKind|month|region:
 * the public aggregates of countable (registered/completed) contracts; amounts in integer fen.
 */
export const loader = ({ request }: Route.LoaderArgs) =>
  handleApi(request, {
    GET: async () => {
      const query = parseSearchParams(new URL(request.url), QuerySchema)
      const year = query.year ?? currentYear()
      const quarter = query.quarter ?? null
      const [totals, rows] = await Promise.all([totalsOf(periodRange(year, quarter)), breakdown(query.groupBy, year, quarter)])
      const body = Array.isArray(rows) ? { rows } : rows
      return apiJson({ data: toJson({ year, quarter, groupBy: query.groupBy, totals, ...body }) }, { headers: { 'Cache-Control': 'public, max-age=60' } })
    },
  })
