import type { Route } from './+types/search'
import { searchListings, SearchQuerySchema } from '~/domain/search/search.server'
import { apiJson, getApiActor, handleApi, parseSearchParams } from '~/infra/http/api.server'

/**
 * `/api/v1/search?q=…`: one search across achievements, demands and scenarios, with counts
 * per kind and facets. Highlights are segments `{ text, hit }`, never HTML.
 */
export const loader = ({ request }: Route.LoaderArgs) =>
  handleApi(request, () => ({
    GET: async () => {
      const actor = await getApiActor(request)
      const query = parseSearchParams(new URL(request.url), SearchQuerySchema)
      const result = await searchListings({ actor, query })
      return apiJson({
        data: result.items,
        page: { page: query.page, pageSize: query.pageSize, total: result.total },
        kindCounts: result.kindCounts,
        facets: result.facets,
        engine: result.engine,
        degraded: result.degraded,
        relaxed: result.relaxed,
        terms: result.terms,
        suggestions: result.suggestions,
      })
    },
  }))

export const action = loader
