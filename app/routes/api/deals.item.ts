import type { Route } from './+types/deals.item'
import { toApiDeal } from '~/domain/deals/api'
import { getDeal } from '~/domain/deals/deals.server'
import { AppError } from '~/domain/errors'
import { apiJson, apiLocale, handleApi, requireApiActor } from '~/infra/http/api.server'

/** `GET /api/v1/deals/{id}`: one deal as the key's organisation may see it (404 when it has no part in it). */
export const loader = ({ request, params }: Route.LoaderArgs) => handle(request, params.id)
export const action = ({ request, params }: Route.ActionArgs) => handle(request, params.id)

function handle(request: Request, id: string) {
  return handleApi(request, () => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new AppError('NOT_FOUND', 'err.notFound')
    return {
      GET: async () => {
        const actor = await requireApiActor(request)
        const view = await getDeal({ actor, id, asOrg: true, locale: apiLocale(request) })
        return apiJson({ data: toApiDeal(view) })
      },
    }
  })
}
