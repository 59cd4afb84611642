import type { Route } from './+types/matches'
import { AppError } from '~/domain/errors'
import { MATCH_LIMIT } from '~/domain/matching/api'
import { matchListing, type MatchResult } from '~/domain/matching/match.server'
import { apiJson, apiLocale, getApiActor, handleApi } from '~/infra/http/api.server'
import { requireKind } from './api-listings.server'

/**
 * `/api/v1/{demands|scenarios|achievements}/{id}/matches`: the explained match list, for the
 * listing's owner, brokers and the bureau (an API key of one of them). `?limit=` 1–50. Its
 * response schemas and OpenAPI description: app/domain/matching/api.ts.
 */
export const loader = ({ request, params }: Route.LoaderArgs) =>
  handleApi(request, () => {
    const kind = requireKind(params.kind)
    return {
      GET: async () => {
        const actor = await getApiActor(request)
        const limitParam = new URL(request.url).searchParams.get('limit')
        const limit = limitParam === null ? MATCH_LIMIT.default : Number(limitParam)
        if (!Number.isInteger(limit) || limit < MATCH_LIMIT.min || limit > MATCH_LIMIT.max) {
          throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { limit: 'err.limit' } })
        }
        const result = await matchListing({ actor, kind, id: params.id, limit, locale: apiLocale(request) })
        return apiJson(toApiMatches(result))
      },
    }
  })

export const action = loader

export function toApiMatches(result: MatchResult) {
  return {
    [result.source.kind]: { id: result.source.id, externalId: result.source.externalId, title: result.source.title },
    noGoodMatch: result.noGoodMatch,
    matches: result.matches.map((m) => ({
      [m.listing.kind]: { id: m.listing.id, externalId: m.listing.externalId, title: m.listing.title },
      score: m.score,
      confidence: m.confidence,
      reasons: m.reasons.map((r) => ({ code: r.code, fit: r.fit, text: r.text })),
    })),
  }
}
