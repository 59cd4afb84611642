import { z } from 'zod'
import { OrgKind } from '~/generated/prisma/enums'
import { dealsOpenApi } from '~/domain/deals/api'
import { dealMessagesOpenApi } from '~/domain/deals/messages-api'
import { matchesOpenApi } from '~/domain/matching/api'
import { searchOpenApi } from '~/domain/search/api'
import { contractStatsOpenApi } from '~/domain/stats/api'
import { codesOf, INDUSTRIES, IP_TYPES, LISTING_STATUSES, STAGES, TECH_FIELDS, TRANSFER_MODES } from './classifications'
import { KIND_PATHS, LISTING_KINDS, type ListingKind } from './kinds'
import { ListQuerySchema } from './query'
import { AchievementInputSchema, DemandInputSchema, MAX_YUAN, ScenarioInputSchema } from './schemas'

/**
 * The JSON API's contract: request bodies come from the domain's input schemas (the same ones
 * the forms and imports use), responses are described here and checked against real responses
 * by the tests, and the OpenAPI 3.1 document is generated from both.
 */

export const API_BASE = '/api/v1'
export const API_VERSION = '1.0.0'

export const INPUT_SCHEMAS = {
  achievement: AchievementInputSchema,
  demand: DemandInputSchema,
  scenario: ScenarioInputSchema,
} as const

/** Money is sent in yuan under these names and returned in fen under `<name>Fen`. */
export const MONEY_FIELD = { achievement: 'askingPrice', demand: 'budget', scenario: 'budget' } as const satisfies Record<ListingKind, string>

export const LISTING_ACTIONS = ['submit', 'withdraw', 'approve', 'reject', 'archive', 'restore', 'refresh'] as const

export const ActionInputSchema = z.strictObject({
  action: z.enum(LISTING_ACTIONS, { error: 'api.err.action' }),
  reason: z.string({ error: 'api.err.invalidValue' }).max(1000, { error: 'err.tooLong?max=1000' }).optional(),
})

/** `scope` of a list, beside the filters of ListQuerySchema. */
export const LIST_SCOPES = ['public', 'mine', 'review'] as const

// ─── Responses ──────────────────────────────────────────────────────────────────────

type Meta = { id?: string; description?: string }
const registry = z.registry<Meta>()
const doc = <T extends z.ZodType>(schema: T, meta: Meta): T => {
  registry.add(schema, meta)
  return schema
}

const datetime = z.iso.datetime()
/** A fresh instance each time: metadata attaches to an instance. */
const text = () => z.string().nullable()
const fen = (description: string) => doc(z.number().int().min(0).max(MAX_YUAN * 100).nullable(), { description })

export const OrgSummarySchema = doc(
  z.strictObject({
    id: z.string(),
    name: z.string(),
    kind: z.enum(Object.values(OrgKind) as [OrgKind, ...OrgKind[]]),
    regionCode: doc(z.string(), { description: 'GB/T 2260 administrative division code, e.g. 500118' }),
    verified: z.boolean(),
  }),
  { id: 'OrgSummary', description: 'The owner organisation.' },
)

const common = {
  id: z.string(),
  orgId: z.string(),
  createdById: doc(text().optional(), { description: 'The person who created it; only for the owner, brokers and the bureau.' }),
  title: z.string(),
  keywords: z.array(z.string()),
  contactName: text(),
  contactPhone: text(),
  contactEmail: text(),
  status: z.enum(codesOf(LISTING_STATUSES)),
  rejectReason: doc(text().optional(), { description: 'Why the bureau sent it back; only for the owner and reviewers.' }),
  publishedAt: datetime.nullable(),
  refreshedAt: datetime,
  staleAt: doc(datetime.nullable(), { description: 'Set when the listing went stale (deadline passed or not refreshed for 180 days).' }),
  source: text(),
  externalId: text(),
  createdAt: datetime,
  updatedAt: datetime,
  org: OrgSummarySchema,
  detailsHidden: doc(z.boolean(), { description: 'True when confidential details exist but are withheld from this client.' }),
}

const techField = z.enum(codesOf(TECH_FIELDS))
const industry = z.enum(codesOf(INDUSTRIES))
const modes = z.array(z.enum(codesOf(TRANSFER_MODES)))
const deadline = doc(z.iso.date().nullable(), { description: 'YYYY-MM-DD' })

export const AchievementSchema = doc(
  z.strictObject({
    kind: z.literal('achievement'),
    ...common,
    summary: z.string(),
    field: techField,
    industry,
    trl: z.number().int().min(1).max(9),
    stage: z.enum(codesOf(STAGES)),
    ipType: z.enum(codesOf(IP_TYPES)).nullable(),
    ipNumbers: z.array(z.string()),
    ipStatus: text(),
    transferModes: modes,
    askingPriceFen: fen('Asking price in fen (1 yuan = 100 fen); null means negotiable (面议).'),
    confidentialDetails: doc(text().optional(), { description: 'Only for the owner, brokers, the bureau and organisations an effective NDA opened it to.' }),
  }),
  { id: 'Achievement', description: 'A scientific achievement (科技成果).' },
)

export const DemandSchema = doc(
  z.strictObject({
    kind: z.literal('demand'),
    ...common,
    description: z.string(),
    currentSituation: doc(text(), { description: 'null for clients who may not see the details of a confidential demand.' }),
    targetIndicators: doc(text(), { description: 'null for clients who may not see the details of a confidential demand.' }),
    constraints: doc(text(), { description: 'null for clients who may not see the details of a confidential demand.' }),
    field: techField,
    industry,
    trlMin: z.number().int().min(1).max(9).nullable(),
    budgetFen: fen('Budget in fen (1 yuan = 100 fen); null means negotiable (面议).'),
    deadline,
    cooperationModes: modes,
    confidential: z.boolean(),
    minedById: doc(text().optional(), { description: 'The broker who recorded the demand at the enterprise; only for the owner, brokers and the bureau.' }),
    minedAt: doc(datetime.nullable(), { description: 'When a broker recorded the demand at the enterprise (demand mining); null when the enterprise posted it.' }),
    confirmedAt: doc(datetime.nullable(), { description: 'When a member of the enterprise confirmed a demand a broker recorded.' }),
    confirmedById: doc(text().optional(), { description: 'Who confirmed it; only for the owner, brokers and the bureau.' }),
    leadBrokerId: doc(text(), { description: 'The broker leading the demand (see /brokers/{id}); null while unclaimed.' }),
    claimedAt: doc(datetime.nullable(), { description: 'When the lead broker claimed it.' }),
  }),
  { id: 'Demand', description: 'A technical demand (技术需求) of an enterprise.' },
)

export const ScenarioSchema = doc(
  z.strictObject({
    kind: z.literal('scenario'),
    ...common,
    description: z.string(),
    sector: industry,
    field: techField.nullable(),
    capability: text(),
    budgetFen: fen('Budget in fen (1 yuan = 100 fen); null means negotiable (面议).'),
    deadline,
    ownerDepartment: text(),
    batchId: text(),
    batch: doc(z.strictObject({ id: z.string(), number: z.string(), title: z.string() }).nullable().optional(), {
      description: 'The batch (清单批次) it was published in; in the detail only.',
    }),
  }),
  { id: 'Scenario', description: 'An application scenario / city opportunity (应用场景 / 城市机会).' },
)

export const LISTING_SCHEMAS = { achievement: AchievementSchema, demand: DemandSchema, scenario: ScenarioSchema } as const

const TITLES: Record<ListingKind, string> = { achievement: 'Achievement', demand: 'Demand', scenario: 'Scenario' }

export const PageSchema = doc(
  z.strictObject({
    nextCursor: doc(z.string().nullable(), { description: 'Pass as `cursor` for the next page; null on the last page.' }),
    total: doc(z.number().int().min(0), { description: 'How many listings match the filters.' }),
  }),
  { id: 'Page' },
)

const listResponse = <T extends z.ZodType>(item: T, id: string) => doc(z.strictObject({ data: z.array(item), page: PageSchema }), { id })

const itemResponse = <T extends z.ZodType>(item: T, id: string) =>
  doc(
    z.strictObject({
      data: item,
      actions: doc(z.array(z.enum(LISTING_ACTIONS)), { description: 'What this client may do next (POST {"action": …}).' }),
    }),
    { id },
  )

export const ListResponseSchemas = {
  achievement: listResponse(AchievementSchema, 'AchievementList'),
  demand: listResponse(DemandSchema, 'DemandList'),
  scenario: listResponse(ScenarioSchema, 'ScenarioList'),
}

export const ItemResponseSchemas = {
  achievement: itemResponse(AchievementSchema, 'AchievementItem'),
  demand: itemResponse(DemandSchema, 'DemandItem'),
  scenario: itemResponse(ScenarioSchema, 'ScenarioItem'),
}

export const API_ERROR_CODES = [
  'BAD_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL',
] as const

export const ErrorResponseSchema = doc(
  z.strictObject({
    error: z.strictObject({
      code: z.enum(API_ERROR_CODES),
      message: doc(z.string(), { description: 'For people: Chinese by default, English with `Accept-Language: en`.' }),
      fields: doc(z.record(z.string(), z.string()).optional(), { description: 'A message per invalid field or parameter.' }),
    }),
  }),
  { id: 'Error' },
)

// ─── The document ───────────────────────────────────────────────────────────────────

type Json = Record<string, unknown>

const INPUT_NOTES: Record<string, string> = {
  askingPrice: `Asking price in yuan (元), a number or a string with at most two decimals, up to ${MAX_YUAN}; null or omitted = negotiable (面议). Returned as askingPriceFen.`,
  budget: `Budget in yuan (元), a number or a string with at most two decimals, up to ${MAX_YUAN}; null or omitted = negotiable (面议). Returned as budgetFen.`,
  deadline: 'YYYY-MM-DD, today (China time) or later.',
  title: '2–200 characters.',
  summary: '10–5000 characters.',
  description: '10–5000 characters.',
  field: 'A code, or its Chinese name (e.g. 先进制造与自动化).',
  industry: 'A code, or its Chinese name (e.g. 智能装备).',
  sector: 'A code, or its Chinese name (e.g. 智能装备).',
  keywords: 'At most 12, each at most 30 characters.',
  confidential: 'When true, currentSituation, targetIndicators and constraints are shown only to the owner, brokers, the bureau and organisations an effective NDA opened them to.',
  confidentialDetails: 'Shown only to the owner, brokers, the bureau and organisations an effective NDA opened it to.',
  batchId: 'A scenario batch of your organisation.',
}

const QUERY_NOTES: Record<string, string> = {
  q: 'Words in the title, text or keywords.',
  industry: 'The industry (for scenarios: the sector).',
  stage: 'Achievements only.',
  mode: 'Transfer mode (achievements) or wanted cooperation mode (demands).',
  trlMin: 'Least TRL (achievements: trl; demands: trlMin).',
  trlMax: 'Greatest TRL.',
  priceMin: 'Least asking price / budget, in yuan.',
  priceMax: 'Greatest asking price / budget, in yuan.',
  region: 'Owner organisation’s division code or its prefix (2, 4 or 6 digits).',
  status: 'With scope=mine or scope=review; the public scope is always PUBLISHED.',
  stale: '1: only stale listings; 0: only current ones.',
  batch: 'Scenarios of one batch (its id).',
  cursor: 'The nextCursor of the previous page.',
  page: 'Page number, when not walking with cursor.',
  pageSize: 'At most 100.',
}

function strip(schema: Json): Json {
  const { $schema: _s, id: _i, $id: _d, ...rest } = schema
  return rest
}

/** A domain input schema as a request body: optional fields may be null, unknown fields are refused. */
function inputBody(kind: ListingKind, mode: 'create' | 'replace' | 'patch'): Json {
  const schema = INPUT_SCHEMAS[kind]
  const json = strip(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json)
  const properties: Record<string, Json> = {}
  const required: string[] = []
  for (const [name, prop] of Object.entries(json.properties as Record<string, Json>)) {
    // Preprocessed fields (lists, amounts) accept absence though zod lists them as required.
    const optional = (schema.shape as Record<string, z.ZodType>)[name]!.safeParse(undefined).success
    if (!optional && mode !== 'patch') required.push(name)
    const withNote = INPUT_NOTES[name] ? { ...prop, description: INPUT_NOTES[name] } : prop
    properties[name] = optional && !(Array.isArray(prop.type) && prop.type.includes('null')) ? { anyOf: [withNote, { type: 'null' }] } : withNote
  }
  if (mode === 'create') {
    properties.submit = { type: 'boolean', default: false, description: 'true sends the new listing to review (as ?submit=true does).' }
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false }
}

function queryParameters(): Json[] {
  const json = z.toJSONSchema(ListQuerySchema, { io: 'input', unrepresentable: 'any' }) as Json
  return Object.entries(json.properties as Record<string, Json>).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    ...(QUERY_NOTES[name] ? { description: QUERY_NOTES[name] } : {}),
    schema: name.startsWith('price') ? { type: 'number', minimum: 0 } : schema,
  }))
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const errorRef = (status: number) => ({ $ref: `#/components/responses/${ERROR_RESPONSES[status]!.name}` })

const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: 'BadInput', description: 'Invalid input: invalid JSON, an unknown field or parameter, or invalid values (see error.fields).' },
  401: { name: 'Unauthenticated', description: 'No key where one is needed, or an unknown or revoked key.' },
  403: { name: 'Forbidden', description: 'The key’s organisation may not do this.' },
  404: { name: 'NotFound', description: 'No such listing, or not visible to this client.' },
  405: { name: 'MethodNotAllowed', description: 'The method is not allowed here (see the Allow header).' },
  409: { name: 'Conflict', description: 'Not possible in the listing’s current status.' },
  413: { name: 'PayloadTooLarge', description: 'The request body is larger than 1 MB.' },
  415: { name: 'UnsupportedMediaType', description: 'The request body is not application/json.' },
}

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), errorRef(s)]))

const BEARER = [{ bearerAuth: [] }]
const OPTIONAL_BEARER = [{}, { bearerAuth: [] }]

export function buildOpenApiDocument({ serverUrl }: { serverUrl?: string } = {}) {
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    unrepresentable: 'any',
    metadata: registry,
    uri: (id) => `#/components/schemas/${id}`,
    // `format: date-time` says it; zod's long regex beside it only makes the document harder to read.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === 'date-time' || jsonSchema.format === 'date') delete jsonSchema.pattern
    },
  })
  const components: Record<string, Json> = {}
  for (const [name, schema] of Object.entries(schemas)) components[name] = strip(schema as Json)
  for (const kind of LISTING_KINDS) {
    components[`${TITLES[kind]}Create`] = inputBody(kind, 'create')
    components[`${TITLES[kind]}Replace`] = inputBody(kind, 'replace')
    components[`${TITLES[kind]}Patch`] = inputBody(kind, 'patch')
  }
  components.ActionRequest = strip(z.toJSONSchema(ActionInputSchema, { io: 'input' }) as Json)

  const parameters: Record<string, Json> = Object.fromEntries(queryParameters().map((p) => [`query.${p.name}`, p]))
  parameters.scope = {
    name: 'scope',
    in: 'query',
    required: false,
    description: 'public (default): published listings; mine: your organisation’s, any status (key needed); review: the review queue (bureau keys).',
    schema: { type: 'string', enum: [...LIST_SCOPES], default: 'public' },
  }
  parameters.id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
  parameters.submit = {
    name: 'submit',
    in: 'query',
    required: false,
    description: 'true sends the new listing to review.',
    schema: { type: 'string', enum: ['true', 'false'] },
  }

  const responses: Record<string, Json> = Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(({ name, description }) => [
      name,
      { description, content: { 'application/json': { schema: ref('Error') } } },
    ]),
  )

  const paths: Record<string, Json> = {
    [`${API_BASE}/openapi.json`]: {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        tags: ['meta'],
        security: [{}],
        responses: { '200': { description: 'The OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  }
  for (const kind of LISTING_KINDS) {
    const path = `${API_BASE}/${KIND_PATHS[kind]}`
    const title = TITLES[kind]
    const json = (schema: string) => ({ 'application/json': { schema: ref(schema) } })
    const body = (schema: string) => ({ required: true, content: json(schema) })
    paths[path] = {
      get: {
        operationId: `list${title}s`,
        summary: `List ${KIND_PATHS[kind]}`,
        description: 'Published listings for everyone; with a key, confidential details follow the key’s organisation. Walk pages with cursor = page.nextCursor.',
        tags: [KIND_PATHS[kind]],
        security: OPTIONAL_BEARER,
        parameters: [{ $ref: '#/components/parameters/scope' }, ...Object.keys(parameters).filter((k) => k.startsWith('query.')).map((k) => ({ $ref: `#/components/parameters/${k}` }))],
        responses: { '200': { description: 'A page of listings', content: json(`${title}List`) }, ...errors(400, 401, 403, 405) },
      },
      post: {
        operationId: `create${title}`,
        summary: `Create a draft ${kind}`,
        description: 'Creates a draft for the key’s organisation; with submit it goes to review.',
        tags: [KIND_PATHS[kind]],
        security: BEARER,
        parameters: [{ $ref: '#/components/parameters/submit' }],
        requestBody: body(`${title}Create`),
        responses: {
          '201': {
            description: 'Created',
            headers: { Location: { description: 'The new listing’s URL', schema: { type: 'string' } } },
            content: json(`${title}Item`),
          },
          ...errors(400, 401, 403, 413, 415),
        },
      },
    }
    paths[`${path}/{id}`] = {
      parameters: [{ $ref: '#/components/parameters/id' }],
      get: {
        operationId: `get${title}`,
        summary: `One ${kind}`,
        tags: [KIND_PATHS[kind]],
        security: OPTIONAL_BEARER,
        responses: { '200': { description: 'The listing', content: json(`${title}Item`) }, ...errors(401, 404) },
      },
      put: {
        operationId: `replace${title}`,
        summary: `Replace a ${kind} (all fields)`,
        description: 'Owner organisation only. A published listing goes back to review.',
        tags: [KIND_PATHS[kind]],
        security: BEARER,
        requestBody: body(`${title}Replace`),
        responses: { '200': { description: 'The updated listing', content: json(`${title}Item`) }, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
      patch: {
        operationId: `update${title}`,
        summary: `Update some fields of a ${kind}`,
        description: 'Owner organisation only. The fields sent replace the current ones; null clears an optional field. A published listing goes back to review.',
        tags: [KIND_PATHS[kind]],
        security: BEARER,
        requestBody: { required: true, content: { 'application/json': { schema: ref(`${title}Patch`) }, 'application/merge-patch+json': { schema: ref(`${title}Patch`) } } },
        responses: { '200': { description: 'The updated listing', content: json(`${title}Item`) }, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
      post: {
        operationId: `act${title}`,
        summary: `Move a ${kind} through its life cycle`,
        description: 'submit / withdraw / archive / restore / refresh by the owner; approve / reject (with reason) by the bureau.',
        tags: [KIND_PATHS[kind]],
        security: BEARER,
        requestBody: body('ActionRequest'),
        responses: { '200': { description: 'The listing after the action', content: json(`${title}Item`) }, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    }
  }

  // One search across the kinds (app/domain/search/api.ts): public.
  const search = searchOpenApi({ base: API_BASE, errors })
  Object.assign(components, search.schemas)
  Object.assign(paths, search.paths)
  // Each listing's matches, explained (app/domain/matching/api.ts).
  const matches = matchesOpenApi({ base: API_BASE, errors })
  Object.assign(components, matches.schemas)
  Object.assign(paths, matches.paths)
  // Deals (app/domain/deals/api.ts): read-only, with a key.
  const deals = dealsOpenApi()
  Object.assign(components, deals.schemas)
  Object.assign(paths, deals.paths)
  // The conversation of a deal (app/domain/deals/messages-api.ts).
  const dealMessages = dealMessagesOpenApi()
  Object.assign(components, dealMessages.schemas)
  Object.assign(paths, dealMessages.paths)
  // Statistics of registered technology contracts (app/domain/stats/api.ts): public.
  const stats = contractStatsOpenApi({ base: API_BASE, errors })
  Object.assign(components, stats.schemas)
  Object.assign(paths, stats.paths)

  return {
    openapi: '3.1.1',
    info: {
      title: 'KeZhuan (科转) API',
      version: API_VERSION,
      description:
        'Listings of the KeZhuan technology-transfer marketplace: achievements (科技成果), technical demands (技术需求) and application scenarios (应用场景). Amounts are sent in yuan and returned as integer fen (askingPriceFen, budgetFen). Errors: {"error": {"code", "message", "fields"}}.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    tags: LISTING_KINDS.map((kind) => ({ name: KIND_PATHS[kind] })).concat([search.tag, { name: 'deals' }, stats.tag, { name: 'meta' }]),
    paths,
    components: {
      schemas: components,
      parameters,
      responses,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (kz_…) created by an organisation administrator at /account/api-keys.',
        },
      },
    },
  }
}
