import type { z } from 'zod'
import { actorForApiKey } from '~/domain/api-keys/api-keys.server'
import { isAppError, STATUS_BY_CODE, type AppErrorCode } from '~/domain/errors'
import { AppError } from '~/domain/errors'
import type { Actor } from '~/domain/users/accounts.server'
import { CATALOGUES, localeFromRequest, translator, type Locale } from '~/i18n/i18n'

/**
 * The JSON API's HTTP layer: one error body for every failure, bearer keys, strict JSON bodies.
 *
 *   { "error": { "code": "BAD_INPUT", "message": "…", "fields": { "trl": "…" } } }
 */

/** Codes of the domain, plus those only HTTP has. */
export type ApiErrorCode = AppErrorCode | 'METHOD_NOT_ALLOWED' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'INTERNAL'

export const API_ERROR_STATUS: Record<ApiErrorCode, number> = {
  ...STATUS_BY_CODE,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
}

/** The largest request body the API reads. */
export const MAX_BODY_BYTES = 1024 * 1024

/** An error only HTTP knows (405, 413, 415); everything else is an AppError. */
export class ApiHttpError extends Error {
  readonly code: ApiErrorCode
  readonly params?: Record<string, string | number>
  readonly headers?: Record<string, string>

  constructor(code: ApiErrorCode, message: string, options: { params?: Record<string, string | number>; headers?: Record<string, string> } = {}) {
    super(message)
    this.name = 'ApiHttpError'
    this.code = code
    this.params = options.params
    this.headers = options.headers
  }
}

// ─── Language ───────────────────────────────────────────────────────────────────────

/** Accept-Language picks the language (highest q first); else the site's cookie; else Chinese. */
export function apiLocale(request: Request): Locale {
  const header = request.headers.get('Accept-Language')
  if (header) {
    const ranked = header
      .split(',')
      .map((part, index) => {
        const [tag = '', ...params] = part.trim().split(';')
        const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
        return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index }
      })
      .filter((r) => r.tag && Number.isFinite(r.q) && r.q > 0)
      .sort((a, b) => b.q - a.q || a.index - b.index)
    for (const { tag } of ranked) {
      if (tag === 'en' || tag.startsWith('en-')) return 'en'
      if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN'
    }
  }
  return localeFromRequest(request)
}

// ─── Responses ──────────────────────────────────────────────────────────────────────

const BASE_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  Vary: 'Authorization, Accept-Language',
}

export function apiJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers: { ...BASE_HEADERS, ...init.headers } })
}

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; fields?: Record<string, string> }
}

/** Message keys that name a form; an API client has fields, not a form. */
const FORM_MESSAGES: Record<string, string> = { 'err.invalidForm': 'api.err.invalidInput' }

/** Any error as the API's error response; an unexpected one is logged and answered with a bare 500. */
export function apiErrorResponse(request: Request, error: unknown): Response {
  const locale = apiLocale(request)
  const t = translator(locale)
  const known = (key: string) => key.split('?', 1)[0]! in CATALOGUES[locale]
  const say = (key: string, params?: Record<string, string | number>) => t(known(key) ? key : 'api.err.invalidValue', params)
  if (error instanceof ApiHttpError) {
    return apiJson({ error: { code: error.code, message: say(error.message, error.params) } } satisfies ApiErrorBody, {
      status: API_ERROR_STATUS[error.code],
      headers: error.headers,
    })
  }
  if (isAppError(error)) {
    const fields = error.fields ? Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, say(key)])) : undefined
    const message = say(FORM_MESSAGES[error.message] ?? error.message, error.params)
    return apiJson({ error: { code: error.code, message, ...(fields ? { fields } : {}) } } satisfies ApiErrorBody, {
      status: error.status,
      headers: error.code === 'UNAUTHENTICATED' ? { 'WWW-Authenticate': 'Bearer realm="kezhuan"' } : undefined,
    })
  }
  console.error(`[api] ${request.method} ${new URL(request.url).pathname}:`, error)
  return apiJson({ error: { code: 'INTERNAL', message: t('api.err.internal') } } satisfies ApiErrorBody, { status: 500 })
}

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export type ApiHandlers = Partial<Record<ApiMethod, () => Promise<Response>>>

/**
 * Runs the handler for the request's method (HEAD runs GET), answers 405 with `Allow` for
 * others, and turns every error into the API's error body.
 */
export async function handleApi(request: Request, route: ApiHandlers | (() => ApiHandlers)): Promise<Response> {
  try {
    // A function may refuse the resource itself (404) before the method is looked at.
    const handlers = typeof route === 'function' ? route() : route
    const allow = [...Object.keys(handlers), ...(handlers.GET ? ['HEAD'] : []), 'OPTIONS'].join(', ')
    const method = request.method.toUpperCase()
    if (method === 'OPTIONS') return new Response(null, { status: 204, headers: { Allow: allow } })
    const handler = handlers[(method === 'HEAD' ? 'GET' : method) as ApiMethod]
    if (!handler) throw new ApiHttpError('METHOD_NOT_ALLOWED', 'api.err.method', { params: { method }, headers: { Allow: allow } })
    return await handler()
  } catch (error) {
    return apiErrorResponse(request, error)
  }
}

// ─── Authentication ─────────────────────────────────────────────────────────────────

/** The actor of the request's bearer key; null without an Authorization header. A bad key is a 401, never anonymous. */
export async function getApiActor(request: Request): Promise<Actor | null> {
  const header = request.headers.get('Authorization')
  if (header === null) return null
  const match = header.match(/^Bearer +(\S+) *$/i)
  if (!match) throw new AppError('UNAUTHENTICATED', 'api.err.badAuthorization')
  const actor = await actorForApiKey(match[1]!)
  if (!actor) throw new AppError('UNAUTHENTICATED', 'api.err.invalidKey')
  return actor
}

export async function requireApiActor(request: Request): Promise<Actor> {
  const actor = await getApiActor(request)
  if (!actor) throw new AppError('UNAUTHENTICATED', 'api.err.keyRequired')
  return actor
}

// ─── Input ──────────────────────────────────────────────────────────────────────────

/** A zod error as the domain's BAD_INPUT: one message key per field (dotted path), the first one found. */
export function badInput(error: z.ZodError): AppError {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || '_'
    fields[field] ??= issue.message
  }
  return new AppError('BAD_INPUT', 'err.invalidForm', { fields })
}

/** Refuses names the schema does not know, so a misspelt field or filter is not silently ignored. */
export function rejectUnknown(value: Record<string, unknown>, known: Iterable<string>, messages: Record<string, string> = {}) {
  const allowed = new Set(known)
  const unknown = Object.keys(value).filter((k) => !allowed.has(k))
  if (unknown.length) {
    throw new AppError('BAD_INPUT', 'err.invalidForm', {
      fields: Object.fromEntries(unknown.map((k) => [k, messages[k] ?? 'api.err.unknownField'])),
    })
  }
}

/** Parses a query string with a schema; unknown parameters are refused, empty ones count as absent. */
export function parseSearchParams<T extends z.ZodObject>(url: URL, schema: T, extra: readonly string[] = []): z.output<T> & Record<string, string> {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v.trim() !== ''))
  rejectUnknown(raw, [...Object.keys(schema.shape), ...extra], {})
  const ownKeys = Object.fromEntries(Object.entries(raw).filter(([k]) => k in schema.shape))
  const parsed = schema.safeParse(ownKeys)
  if (!parsed.success) throw badInput(parsed.error)
  const extras = Object.fromEntries(Object.entries(raw).filter(([k]) => extra.includes(k)))
  return { ...(parsed.data as z.output<T>), ...extras }
}

const JSON_TYPES = ['application/json', 'application/merge-patch+json']

/**
 * The request body as a JSON object: only `application/json` (415 otherwise), at most 1 MB
 * (413), valid UTF-8 JSON (400), an object at the top (400). Never trusts Content-Length alone.
 */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const [type = '', ...params] = (request.headers.get('Content-Type') ?? '').split(';').map((s) => s.trim().toLowerCase())
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '')
  if (!JSON_TYPES.includes(type) || (charset && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new ApiHttpError('UNSUPPORTED_MEDIA_TYPE', 'api.err.contentType')
  }
  if (Number(request.headers.get('Content-Length') ?? 0) > DISCARD_AT_MOST) {
    await request.body?.cancel().catch(() => undefined)
    throw tooLarge(true)
  }
  const bytes = await readAtMost(request.body, MAX_BODY_BYTES)
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw new AppError('BAD_INPUT', 'api.err.invalidJson')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AppError('BAD_INPUT', 'api.err.bodyNotObject')
  return value as Record<string, unknown>
}

/**
 * Past the limit the rest of the body is still read and dropped (up to 16 MB), so that the
 * client reads the 413 and its keep-alive connection stays usable; cancelling the stream would
 * destroy the socket under the response. A body larger still is cut off and the connection closed.
 */
const DISCARD_AT_MOST = 16 * MAX_BODY_BYTES

const tooLarge = (close: boolean) =>
  new ApiHttpError('PAYLOAD_TOO_LARGE', 'api.err.tooLarge', { params: { max: '1 MB' }, headers: close ? { Connection: 'close' } : undefined })

async function readAtMost(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array()
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > DISCARD_AT_MOST) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(true)
    }
    if (size <= max) chunks.push(value)
  }
  if (size > max) throw tooLarge(false)
  return Buffer.concat(chunks)
}
