import { z } from 'zod'
import type { Route } from './+types/deal-messages'
import { MAX_MESSAGES_LIMIT, toApiMessage } from '~/domain/deals/messages-api'
import { ApiMessageInputSchema, getMessage, listMessages, MESSAGE_PAGE, postMessage } from '~/domain/deals/messages.server'
import { AppError } from '~/domain/errors'
import { msg } from '~/domain/validation/fields'
import { apiJson, badInput, handleApi, parseSearchParams, readJsonObject, requireApiActor } from '~/infra/http/api.server'

/**
 * `/api/v1/deals/{id}/messages`: the conversation of a deal for API keys of its brokers, parties
 * and the bureau — read newest first with a cursor, or post a text message. The same rules as
 * the page: parties never get notes, nobody writes in a closed deal.
 */

const QuerySchema = z.object({
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: msg('err.cursor') }).optional(),
  limit: z.coerce
    .number({ error: msg('err.limit') })
    .int({ error: msg('err.limit') })
    .min(1, { error: msg('err.limit') })
    .max(MAX_MESSAGES_LIMIT, { error: msg('err.limit') })
    .default(MESSAGE_PAGE),
})

export const loader = (args: Route.LoaderArgs) => handle(args)
export const action = (args: Route.ActionArgs) => handle(args)

function handle({ request, params }: Route.LoaderArgs | Route.ActionArgs) {
  return handleApi(request, () => {
    const dealId = params.id
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(dealId)) throw new AppError('NOT_FOUND', 'err.notFound')
    return {
      GET: async () => {
        const actor = await requireApiActor(request)
        const query = parseSearchParams(new URL(request.url), QuerySchema)
        const page = await listMessages({ actor, dealId, cursor: query.cursor, limit: query.limit })
        return apiJson({ data: page.items.map((m) => toApiMessage(dealId, m)), page: { nextCursor: page.nextCursor } })
      },
      POST: async () => {
        const actor = await requireApiActor(request)
        const parsed = ApiMessageInputSchema.safeParse(await readJsonObject(request))
        if (!parsed.success) throw badInput(parsed.error)
        const created = await postMessage({ actor, dealId, input: { body: parsed.data.body, kind: parsed.data.kind ?? 'MESSAGE' } })
        return apiJson({ data: toApiMessage(dealId, await getMessage({ actor, dealId, messageId: created.id })) }, { status: 201 })
      },
    }
  })
}
