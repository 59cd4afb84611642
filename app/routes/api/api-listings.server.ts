import { AppError } from '~/domain/errors'
import { kindFromPath, KIND_PATHS, type ListingKind } from '~/domain/listings/kinds'
import type { ListingDto, ListingInput } from '~/domain/listings/listings.server'
import { API_BASE, INPUT_SCHEMAS, MONEY_FIELD } from '~/domain/listings/openapi'
import { msg } from '~/domain/validation/fields'
import { badInput, readJsonObject, rejectUnknown } from '~/infra/http/api.server'

/** What the listing resources of the API share: the kind in the path, bodies in, DTOs out. */

export function requireKind(path: string | undefined): ListingKind {
  const kind = path ? kindFromPath(path) : undefined
  if (!kind) throw new AppError('NOT_FOUND', 'api.err.unknownKind')
  return kind
}

export function listingPath(kind: ListingKind, id: string) {
  return `${API_BASE}/${KIND_PATHS[kind]}/${encodeURIComponent(id)}`
}

const dateOnly = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)

/** The domain's DTO as the API shows it: dates of deadlines as YYYY-MM-DD (as they are sent). */
export function toApiListing(dto: ListingDto): Record<string, unknown> {
  return 'deadline' in dto ? { ...dto, deadline: dateOnly(dto.deadline) } : { ...dto }
}

export function itemBody({ listing, actions }: { listing: ListingDto; actions: string[] }) {
  return { data: toApiListing(listing), actions }
}

/** `true`/`false` (also 1/0) in a query string. */
export function queryFlag(url: URL, name: string): boolean | undefined {
  const value = url.searchParams.get(name)
  if (value === null || value === '') return undefined
  if (value === 'true' || value === '1') return true
  if (value === 'false' || value === '0') return false
  throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { [name]: 'api.err.boolean' } })
}

function fenToYuan(fen: unknown): string | undefined {
  if (typeof fen !== 'number') return undefined
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
}

/** The current listing in the shape of the input schema, so that a PATCH can be laid over it. */
function currentInput(kind: ListingKind, dto: ListingDto): Record<string, unknown> {
  const money = MONEY_FIELD[kind]
  const out: Record<string, unknown> = {}
  for (const name of Object.keys(INPUT_SCHEMAS[kind].shape)) {
    const value = name === money ? fenToYuan(dto[`${money}Fen`]) : name === 'deadline' ? dateOnly(dto.deadline) : dto[name]
    if (value !== null && value !== undefined) out[name] = value
  }
  return out
}

/**
 * Reads and checks a listing body. `create` also takes a `submit` flag; `replace` needs every
 * required field; `patch` lays the fields sent over the current ones (null clears a field).
 */
export async function readListingInput(
  request: Request,
  kind: ListingKind,
  options: { mode: 'create' | 'replace' } | { mode: 'patch'; current: ListingDto },
): Promise<{ input: ListingInput; submit: boolean }> {
  const body = await readJsonObject(request)
  const schema = INPUT_SCHEMAS[kind]
  const money = MONEY_FIELD[kind]
  rejectUnknown(body, [...Object.keys(schema.shape), ...(options.mode === 'create' ? ['submit'] : [])], {
    [`${money}Fen`]: msg('api.err.amountInYuan', { field: money }),
  })
  let submit = false
  if (options.mode === 'create' && 'submit' in body) {
    if (typeof body.submit !== 'boolean' && body.submit !== null) {
      throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { submit: 'api.err.boolean' } })
    }
    submit = body.submit === true
    delete body.submit
  }
  const merged: Record<string, unknown> = options.mode === 'patch' ? currentInput(kind, options.current) : {}
  for (const [name, value] of Object.entries(body)) {
    if (value === null) delete merged[name]
    else merged[name] = value
  }
  const parsed = schema.safeParse(merged)
  if (!parsed.success) throw badInput(parsed.error)
  return { input: parsed.data, submit }
}
