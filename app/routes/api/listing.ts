import type { Route } from './+types/listing'
import { AppError } from '~/domain/errors'
import { canReview, getListing, isOwner, transitionListing, updateListing } from '~/domain/listings/listings.server'
import { ActionInputSchema } from '~/domain/listings/openapi'
import { apiJson, badInput, getApiActor, handleApi, readJsonObject, requireApiActor } from '~/infra/http/api.server'
import { clientIpContext } from '~/infra/http/context'
import { itemBody, readListingInput, requireKind } from './api-listings.server'

/**
 * `/api/v1/{kind}/{id}`: read (anyone who may see it), replace (PUT) or update some fields
 * (PATCH) by the owner organisation, and life-cycle actions (POST {"action": …}).
 */
export const loader = (args: Route.LoaderArgs) => handle(args)
export const action = (args: Route.ActionArgs) => handle(args)

function handle({ request, params, context }: Route.LoaderArgs | Route.ActionArgs) {
  return handleApi(request, () => {
    const kind = requireKind(params.kind)
    const id = params.id
    const ip = context.get(clientIpContext)

    /** The listing as the actor sees it (404 when not visible); 403 unless the actor may change it. */
    async function forChange(alsoReviewers: boolean) {
      const actor = await requireApiActor(request)
      const current = await getListing({ actor, kind, id })
      if (!isOwner(actor, current.listing) && !(alsoReviewers && canReview(actor))) throw new AppError('FORBIDDEN', 'err.forbidden')
      return { actor, current }
    }

    const update = (mode: 'replace' | 'patch') => async () => {
      const { actor, current } = await forChange(false)
      const { input } = await readListingInput(request, kind, mode === 'patch' ? { mode, current: current.listing } : { mode })
      await updateListing({ actor, kind, id, input, ip })
      return apiJson(itemBody(await getListing({ actor, kind, id })))
    }

    return {
      GET: async () => {
        const actor = await getApiActor(request)
        return apiJson(itemBody(await getListing({ actor, kind, id })))
      },
      PUT: update('replace'),
      PATCH: update('patch'),
      POST: async () => {
        const { actor } = await forChange(true)
        const parsed = ActionInputSchema.safeParse(await readJsonObject(request))
        if (!parsed.success) throw badInput(parsed.error)
        await transitionListing({ actor, kind, id, action: parsed.data.action, reason: parsed.data.reason, ip })
        return apiJson(itemBody(await getListing({ actor, kind, id })))
      },
    }
  })
}
