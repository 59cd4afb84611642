import type { Route } from './+types/listings'
import { AppError } from '~/domain/errors'
import { createListing, getListing, listListings, type ListScope } from '~/domain/listings/listings.server'
import { LIST_SCOPES } from '~/domain/listings/openapi'
import { ListQuerySchema } from '~/domain/listings/query'
import { apiJson, getApiActor, handleApi, parseSearchParams, requireApiActor } from '~/infra/http/api.server'
import { clientIpContext } from '~/infra/http/context'
import { itemBody, listingPath, queryFlag, readListingInput, requireKind, toApiListing } from './api-listings.server'

/** `/api/v1/{achievements|demands|scenarios}`: list (anyone) and create (with a key). */
export const loader = (args: Route.LoaderArgs) => handle(args)
export const action = (args: Route.ActionArgs) => handle(args)

function handle({ request, params, context }: Route.LoaderArgs | Route.ActionArgs) {
  return handleApi(request, () => {
    const kind = requireKind(params.kind)
    return {
      GET: async () => {
        const actor = await getApiActor(request)
        const url = new URL(request.url)
        const { scope: rawScope = 'public', ...query } = parseSearchParams(url, ListQuerySchema, ['scope'])
        if (!(LIST_SCOPES as readonly string[]).includes(rawScope)) {
          throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { scope: 'api.err.scope' } })
        }
        const scope = rawScope as ListScope
        if (scope !== 'public' && !actor) throw new AppError('UNAUTHENTICATED', 'api.err.keyRequired')
        const page = await listListings({ actor, kind, query, scope })
        const headers: Record<string, string> = {}
        if (page.nextCursor) {
          const next = new URL(url)
          next.searchParams.delete('page')
          next.searchParams.set('cursor', page.nextCursor)
          headers.Link = `<${next.pathname}${next.search}>; rel="next"`
        }
        return apiJson({ data: page.items.map(toApiListing), page: { nextCursor: page.nextCursor, total: page.total } }, { headers })
      },
      POST: async () => {
        const actor = await requireApiActor(request)
        const url = new URL(request.url)
        const unknown = [...url.searchParams.keys()].filter((k) => k !== 'submit')
        if (unknown.length) throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: Object.fromEntries(unknown.map((k) => [k, 'api.err.unknownField'])) })
        const submitParam = queryFlag(url, 'submit')
        const { input, submit } = await readListingInput(request, kind, { mode: 'create' })
        const ip = context.get(clientIpContext)
        const row = await createListing({ actor, kind, input, submit: submit || submitParam === true, ip })
        const item = await getListing({ actor, kind, id: row.id })
        return apiJson(itemBody(item), { status: 201, headers: { Location: listingPath(kind, row.id) } })
      },
    }
  })
}
