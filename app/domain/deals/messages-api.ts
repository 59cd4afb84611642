import { z } from 'zod'
import type { MessageView } from './messages.server'

/**
 * The deal conversation in the JSON API: `/api/v1/deals/{id}/messages`. Response schemas (checked
 * against real responses by the tests) and the OpenAPI paths merged into the API's document.
 */

export const DEAL_MESSAGES_PATH = '/api/v1/deals/{id}/messages'
export const MAX_MESSAGES_LIMIT = 100

export const DealMessageSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['MESSAGE', 'NOTE']).meta({ description: 'NOTE: a broker’s private note, only for the deal’s brokers and the bureau.' }),
  body: z.string().meta({ description: 'Plain text (never HTML), up to 5000 characters.' }),
  createdAt: z.iso.datetime(),
  author: z.strictObject({
    id: z.string(),
    name: z.string(),
    orgName: z.string().nullable(),
    side: z.enum(['lead', 'assist', 'bureau', 'buyer', 'seller']),
  }),
  attachments: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      mime: z.string().meta({ description: 'Detected from the content on upload.' }),
      size: z.number().int().min(0),
      sha256: z.string(),
      url: z.string().meta({ description: 'Download with a signed-in session of someone who may read the message.' }),
    }),
  ),
  readBy: z.array(z.strictObject({ id: z.string(), name: z.string() })).meta({ description: 'Who (other than the author) has read the conversation past this message.' }),
})

export const DealMessageListSchema = z.strictObject({
  data: z.array(DealMessageSchema),
  page: z.strictObject({ nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for older messages; null at the start of the conversation.' }) }),
})

export const DealMessageItemSchema = z.strictObject({ data: DealMessageSchema })

export function toApiMessage(dealId: string, m: MessageView): z.infer<typeof DealMessageSchema> {
  return {
    id: m.id,
    kind: m.kind,
    body: m.body,
    createdAt: m.createdAt.toISOString(),
    author: m.author,
    attachments: m.attachments.map((a) => ({ ...a, url: `/deals/${dealId}/attachments/${a.id}` })),
    readBy: m.readBy,
  }
}

type Json = Record<string, unknown>

function schemaOf(schema: z.ZodType): Json {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Json
  return rest
}

/** The paths and schemas to merge into the OpenAPI document (its error responses are shared). */
export function dealMessagesOpenApi() {
  const errors = (...statuses: [number, string][]) => Object.fromEntries(statuses.map(([s, name]) => [String(s), { $ref: `#/components/responses/${name}` }]))
  const json = (name: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } })
  return {
    schemas: {
      DealMessage: schemaOf(DealMessageSchema),
      DealMessageList: schemaOf(DealMessageListSchema),
      DealMessageItem: schemaOf(DealMessageItemSchema),
      DealMessageCreate: {
        type: 'object',
        properties: {
          body: { type: 'string', minLength: 1, maxLength: 5000, description: 'Plain text; HTML is kept as text and never rendered.' },
          kind: { type: 'string', enum: ['MESSAGE', 'NOTE'], default: 'MESSAGE', description: 'NOTE: a private note, for the deal’s brokers only.' },
        },
        required: ['body'],
        additionalProperties: false,
      },
    } as Record<string, Json>,
    paths: {
      [DEAL_MESSAGES_PATH]: {
        parameters: [{ $ref: '#/components/parameters/id' }],
        get: {
          operationId: 'listDealMessages',
          summary: 'Messages of a deal, newest first',
          description:
            'For the deal’s brokers, its parties (the buyer, introduced sellers) and the bureau. Parties never receive notes; a seller does not receive another seller’s messages. Walk back with cursor = page.nextCursor.',
          tags: ['deals'],
          security: [{ bearerAuth: [] }],
          parameters: [
            { name: 'cursor', in: 'query', required: false, description: 'The nextCursor of the previous page.', schema: { type: 'string' } },
            { name: 'limit', in: 'query', required: false, description: `1–${MAX_MESSAGES_LIMIT}, default 50.`, schema: { type: 'integer', minimum: 1, maximum: MAX_MESSAGES_LIMIT } },
          ],
          responses: { '200': { description: 'A page of messages', content: json('DealMessageList') }, ...errors([400, 'BadInput'], [401, 'Unauthenticated'], [404, 'NotFound'], [405, 'MethodNotAllowed']) },
        },
        post: {
          operationId: 'postDealMessage',
          summary: 'Post a text message (or a broker’s note) in a deal',
          description:
            'The deal’s brokers, its parties and bureau staff who joined it may post; only the deal’s brokers post notes. A won or lost deal takes no messages (409). Files are attached in the web page.',
          tags: ['deals'],
          security: [{ bearerAuth: [] }],
          requestBody: { required: true, content: json('DealMessageCreate') },
          responses: {
            '201': { description: 'The message', content: json('DealMessageItem') },
            ...errors([400, 'BadInput'], [401, 'Unauthenticated'], [403, 'Forbidden'], [404, 'NotFound'], [409, 'Conflict'], [413, 'PayloadTooLarge'], [415, 'UnsupportedMediaType']),
          },
        },
      },
    } as Record<string, Json>,
  }
}
