import { describe, expect, it } from 'vitest'
import { KIND_PATHS, LISTING_KINDS } from './kinds'
import { buildOpenApiDocument, INPUT_SCHEMAS, ItemResponseSchemas, LISTING_ACTIONS } from './openapi'
import { ListQuerySchema } from './query'

type Json = Record<string, unknown>
const doc = buildOpenApiDocument() as unknown as Json
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const JSON_TYPES = ['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']

/** Resolves a local JSON pointer (`#/components/schemas/X`) in the document. */
function resolve(ref: string): unknown {
  expect(ref.startsWith('#/'), ref).toBe(true)
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Json)[part] : undefined), doc)
}

/** Every value in the document with its path. */
function* walk(node: unknown, path = '#'): Generator<[string, unknown]> {
  yield [path, node]
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) yield* walk(value, `${path}/${key}`)
  }
}

const deref = <T = Json>(node: unknown): T => {
  const value = node as Json
  return (typeof value?.$ref === 'string' ? resolve(value.$ref) : value) as T
}

const paths = doc.paths as Record<string, Json>
const components = doc.components as Record<string, Record<string, Json>>
const operations = Object.entries(paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, op]) => ({ path, method, op: op as Json, item })),
)

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with info, paths and components, and plain JSON', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/)
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) })
    expect(Object.keys(paths).length).toBeGreaterThan(0)
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc)
    for (const key of Object.keys(doc)) {
      expect(['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags', 'externalDocs']).toContain(key)
    }
    for (const key of Object.keys(components)) {
      expect(['schemas', 'responses', 'parameters', 'examples', 'requestBodies', 'headers', 'securitySchemes', 'links', 'callbacks', 'pathItems']).toContain(key)
      for (const name of Object.keys(components[key]!)) expect(name).toMatch(/^[a-zA-Z0-9._-]+$/)
    }
  })

  it('resolves every $ref inside the document', () => {
    const refs = [...walk(doc)].filter(([path, v]) => path.endsWith('/$ref') && typeof v === 'string')
    expect(refs.length).toBeGreaterThan(20)
    for (const [path, ref] of refs) expect(resolve(ref as string), `${path} → ${ref}`).toBeDefined()
  })

  it('uses only JSON Schema types and no zod leftovers', () => {
    for (const [path, value] of walk(doc)) {
      if (path.endsWith('/type') && !path.includes('/properties/type/')) {
        const types = Array.isArray(value) ? value : [value]
        // `type` is also the name of a security scheme's field (http) and of parameters' keys.
        if (path.includes('/securitySchemes/')) continue
        for (const t of types) expect(JSON_TYPES, path).toContain(t)
      }
      expect(path).not.toMatch(/\/\$schema$|\/~standard$|\/_zod$/)
    }
  })

  it('gives every operation a unique id, responses and declared path parameters', () => {
    const ids = operations.map((o) => o.op.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    for (const { path, method, op, item } of operations) {
      const responses = op.responses as Record<string, Json>
      expect(Object.keys(responses).length, `${method} ${path}`).toBeGreaterThan(0)
      for (const [status, response] of Object.entries(responses)) {
        expect(status).toMatch(/^(default|[1-5]\d\d|[1-5]XX)$/)
        expect(deref(response).description, `${method} ${path} ${status}`).toEqual(expect.any(String))
      }
      const params = [...((item.parameters as Json[]) ?? []), ...((op.parameters as Json[]) ?? [])].map((p) => deref(p))
      for (const p of params) {
        expect(['query', 'header', 'path', 'cookie']).toContain(p.in)
        expect(p.schema, `${p.name}`).toBeDefined()
      }
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      expect(params.filter((p) => p.in === 'path').map((p) => p.name).sort()).toEqual(templated.sort())
      for (const p of params.filter((p) => p.in === 'path')) expect(p.required).toBe(true)
    }
  })

  it('declares the bearer scheme and uses only declared schemes', () => {
    const schemes = components.securitySchemes!
    expect(schemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' })
    for (const { op } of operations) {
      for (const requirement of (op.security as Json[]) ?? []) {
        for (const name of Object.keys(requirement)) expect(Object.keys(schemes)).toContain(name)
      }
    }
    const create = paths['/api/v1/achievements']!.post as Json
    expect(create.security).toEqual([{ bearerAuth: [] }])
  })

  it('has every path of the API, with the list filters of ListQuerySchema', () => {
    for (const kind of LISTING_KINDS) {
      const list = paths[`/api/v1/${KIND_PATHS[kind]}`]!
      const item = paths[`/api/v1/${KIND_PATHS[kind]}/{id}`]!
      expect(Object.keys(list).filter((m) => METHODS.includes(m)).sort()).toEqual(['get', 'post'])
      expect(Object.keys(item).filter((m) => METHODS.includes(m)).sort()).toEqual(['get', 'patch', 'post', 'put'])
      const names = ((list.get as Json).parameters as Json[]).map((p) => deref(p).name)
      expect(names.sort()).toEqual([...Object.keys(ListQuerySchema.shape), 'scope'].sort())
    }
    expect(paths['/api/v1/openapi.json']).toBeDefined()
  })

  it('describes request bodies from the input schemas, with money in yuan', () => {
    for (const kind of LISTING_KINDS) {
      const title = kind[0]!.toUpperCase() + kind.slice(1)
      const create = components.schemas![`${title}Create`]!
      expect(Object.keys(create.properties as Json).sort()).toEqual([...Object.keys(INPUT_SCHEMAS[kind].shape), 'submit'].sort())
      expect(create.additionalProperties).toBe(false)
      expect(components.schemas![`${title}Patch`]!.required).toBeUndefined()
    }
    const achievement = components.schemas!.AchievementCreate!
    expect(achievement.required).toEqual(expect.arrayContaining(['title', 'summary', 'field', 'industry', 'trl', 'transferModes']))
    // Lists and amounts may be left out, whatever zod's own required list says.
    expect(achievement.required).not.toContain('askingPrice')
    expect(achievement.required).not.toContain('keywords')
    expect((achievement.properties as Json).trl).toMatchObject({ type: 'integer', minimum: 1, maximum: 9 })
    expect(JSON.stringify((achievement.properties as Json).askingPrice)).toContain('yuan')
  })

  it('describes responses, money as integer fen, and one error body', () => {
    const achievement = components.schemas!.Achievement!
    expect((achievement.properties as Json).askingPriceFen).toMatchObject({ anyOf: expect.arrayContaining([expect.objectContaining({ type: 'integer' })]) })
    expect(achievement.additionalProperties).toBe(false)
    expect(components.schemas!.Error).toMatchObject({ properties: { error: { required: ['code', 'message'] } } })
    for (const name of Object.keys(components.responses!)) {
      expect((components.responses![name]!.content as Json)['application/json']).toEqual({ schema: { $ref: '#/components/schemas/Error' } })
    }
    const create = (paths['/api/v1/demands']!.post as Json).responses as Record<string, Json>
    expect(Object.keys(create)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '413', '415']))
    expect(ItemResponseSchemas.demand.shape.actions.element.options).toEqual([...LISTING_ACTIONS])
  })
})
