import type { Route } from './+types/openapi'
import { buildOpenApiDocument } from '~/domain/listings/openapi'
import { apiJson, handleApi } from '~/infra/http/api.server'

/** `/api/v1/openapi.json`: the OpenAPI 3.1 description of the API, built once per process. */
let document: string | undefined

export const loader = ({ request }: Route.LoaderArgs) => handle(request)
export const action = ({ request }: Route.ActionArgs) => handle(request)

function handle(request: Request) {
  return handleApi(request, {
    GET: async () => {
      document ??= JSON.stringify(buildOpenApiDocument())
      return apiJson(JSON.parse(document), { headers: { 'Cache-Control': 'public, max-age=300' } })
    },
  })
}
