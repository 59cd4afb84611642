import type { Route } from './+types/stats'
import { ContractStatsQuerySchema } from '~/domain/stats/api'
import { breakdown, currentYear, periodRange, toJson, totalsOf } from '~/domain/stats/stats.server'
import { apiJson, handleApi, parseSearchParams } from '~/infra/http/api.server'

/**
 * GET /api/v1/stats/contracts?year=&quarter=&groupBy=type|field|industry|sellerKind|buyerKind|month|region:
 * the public aggregates of countable (registered/completed) contracts; amounts in integer fen.
 * Query and response are described in app/domain/stats/api.ts (and so in /api/v1/openapi.json).
 */
export const loader = ({ request }: Route.LoaderArgs) =>
  handleApi(request, {
    GET: async () => {
      const query = parseSearchParams(new URL(request.url), ContractStatsQuerySchema)
      const year = query.year ?? currentYear()
      const quarter = query.quarter ?? null
      const [totals, rows] = await Promise.all([totalsOf(periodRange(year, quarter)), breakdown(query.groupBy, year, quarter)])
      const body = Array.isArray(rows) ? { rows } : rows
      return apiJson({ data: toJson({ year, quarter, groupBy: query.groupBy, totals, ...body }) }, { headers: { 'Cache-Control': 'public, max-age=60' } })
    },
  })
