import type { Route } from './+types/deals'
import { DEALS_PATH, toApiDealSummary } from '~/domain/deals/api'
import { listDeals } from '~/domain/deals/deals.server'
import { DealListQuerySchema } from '~/domain/deals/schemas'
import { apiJson, handleApi, parseSearchParams, requireApiActor } from '~/infra/http/api.server'

/** `GET /api/v1/deals`: the deals the key's organisation takes part in, newest first, by cursor. */
export const loader = ({ request }: Route.LoaderArgs) => handle(request)
export const action = ({ request }: Route.ActionArgs) => handle(request)

function handle(request: Request) {
  return handleApi(request, {
    GET: async () => {
      const actor = await requireApiActor(request)
      const url = new URL(request.url)
      const query = parseSearchParams(url, DealListQuerySchema)
      const page = await listDeals({ actor, query, asOrg: true })
      const headers: Record<string, string> = {}
      if (page.nextCursor) {
        const next = new URL(url)
        next.searchParams.delete('page')
        next.searchParams.set('cursor', page.nextCursor)
        headers.Link = `<${DEALS_PATH}${next.search}>; rel="next"`
      }
      return apiJson({ data: page.items.map(toApiDealSummary), page: { nextCursor: page.nextCursor, total: page.total } }, { headers })
    },
  })
}
