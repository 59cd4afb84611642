import { describe, expect, it } from 'vitest'
import { buildOpenApiDocument } from '~/domain/listings/openapi'
import { ContractStatsQuerySchema, ContractStatsResponseSchema, GROUP_BYS, MAX_YEAR, MIN_YEAR } from './api'

type Json = Record<string, unknown>
const doc = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json>; responses: Record<string, Json> }; tags: { name: string }[] }
const operation = doc.paths['/api/v1/stats/contracts']?.get as Json & { parameters: Json[]; responses: Record<string, Json> }

describe('GET /api/v1/stats/contracts in the OpenAPI document', () => {
  it('is listed, public, tagged stats, with a 200 body in the components and the API’s error responses', () => {
    expect(Object.keys(doc.paths['/api/v1/stats/contracts'] ?? {})).toEqual(['get'])
    expect(operation).toMatchObject({ operationId: 'getContractStats', tags: ['stats'], security: [{}] })
    expect(doc.tags.map((t) => t.name)).toContain('stats')
    expect(operation.responses['200']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/ContractStatsResponse' } } } })
    expect(operation.responses['400']).toEqual({ $ref: '#/components/responses/BadInput' })
    expect(doc.components.responses.BadInput).toBeDefined()
    for (const name of ['ContractStatsResponse', 'ContractStats', 'ContractStatsRow', 'ContractStatsTotals']) expect(doc.components.schemas[name], name).toBeDefined()
  })

  it('documents exactly the query the endpoint parses: year and quarter optional, groupBy required with the accepted values', () => {
    const byName = Object.fromEntries(operation.parameters.map((p) => [p.name as string, p]))
    expect(Object.keys(byName).sort()).toEqual(Object.keys(ContractStatsQuerySchema.shape).sort())
    expect(byName.year).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: MIN_YEAR, maximum: MAX_YEAR } })
    expect(byName.quarter).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 4 } })
    expect(byName.groupBy).toMatchObject({ in: 'query', required: true, schema: { type: 'string' } })
    const documented = (byName.groupBy!.schema as { enum: string[] }).enum
    expect(documented).toEqual(ContractStatsQuerySchema.shape.groupBy.options)
    expect(documented).toEqual(['type', 'field', 'industry', 'sellerKind', 'buyerKind', 'month', 'region'])
    // Each documented value parses; others do not.
    for (const groupBy of documented) expect(ContractStatsQuerySchema.safeParse({ groupBy }).success, groupBy).toBe(true)
    for (const groupBy of ['TYPE', 'quarter', 'seller', 'year', '']) expect(ContractStatsQuerySchema.safeParse({ groupBy }).success, groupBy).toBe(false)
  })

  it('describes the body: amounts as integer fen, rows for most groupings, output and absorption for region', () => {
    const row = doc.components.schemas.ContractStatsRow as { properties: Record<string, Json>; required: string[]; additionalProperties: boolean }
    expect(row.required.sort()).toEqual(['amountFen', 'count', 'key', 'techAmountFen'])
    expect(row.properties.techAmountFen).toMatchObject({ type: 'integer', minimum: 0 })
    expect(row.additionalProperties).toBe(false)
    const variants = (doc.components.schemas.ContractStats as { anyOf: { properties: Record<string, Json> }[] }).anyOf
    expect(variants.map((v) => Object.keys(v.properties).sort())).toEqual([
      ['groupBy', 'quarter', 'rows', 'totals', 'year'],
      ['absorption', 'groupBy', 'output', 'quarter', 'totals', 'year'],
    ])
    expect(variants[1]!.properties.output).toMatchObject({ description: expect.stringContaining('输出') })
    expect(variants[1]!.properties.absorption).toMatchObject({ description: expect.stringContaining('吸纳') })
    expect(variants[0]!.properties.rows).toMatchObject({ description: expect.stringContaining('largest first') })
    const groupings = variants.flatMap((v) => (v.properties.groupBy as { enum?: string[]; const?: string }).enum ?? [(v.properties.groupBy as { const: string }).const])
    expect(groupings.sort()).toEqual([...GROUP_BYS].sort())
    // The zod schema the document comes from refuses what the document refuses.
    const totals = { count: 1, amountFen: 100, techAmountFen: 90 }
    expect(ContractStatsResponseSchema.safeParse({ data: { year: 2025, quarter: null, groupBy: 'type', totals, rows: [{ key: 'LICENSE', ...totals }] } }).success).toBe(true)
    expect(ContractStatsResponseSchema.safeParse({ data: { year: 2025, quarter: null, groupBy: 'type', totals, rows: [{ key: 'LICENSE', ...totals, amountFen: 1.5 }] } }).success).toBe(false)
    expect(ContractStatsResponseSchema.safeParse({ data: { year: 2025, quarter: null, groupBy: 'region', totals, rows: [] } }).success).toBe(false)
  })
})
