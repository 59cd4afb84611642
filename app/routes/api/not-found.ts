import type { Route } from './+types/not-found'
import { AppError } from '~/domain/errors'
import { apiErrorResponse } from '~/infra/http/api.server'

/** Any other path under /api/v1: a JSON 404 whatever the method, never the HTML page. */
const notFound = ({ request }: Route.LoaderArgs | Route.ActionArgs) => apiErrorResponse(request, new AppError('NOT_FOUND', 'api.err.noSuchEndpoint'))

export const loader = notFound
export const action = notFound
