import { z } from 'zod'

/** What the OpenAPI document says of a schema: its component name (id) and a description. */
export type SchemaMeta = { id?: string; description?: string }

/**
 * Response schemas of one part of the API, for the OpenAPI document: `doc` registers a schema with
 * its metadata (metadata attaches to an instance: register a fresh one for each description), and
 * `components` converts those with an id into `#/components/schemas/…`, referring to each other by
 * name. The tests check real responses against the same zod schemas.
 */
export function schemaRegistry() {
  const registry = z.registry<SchemaMeta>()
  return {
    doc<T extends z.ZodType>(schema: T, meta: SchemaMeta): T {
      registry.add(schema, meta)
      return schema
    },
    components(): Record<string, Record<string, unknown>> {
      const { schemas } = z.toJSONSchema(registry, { io: 'output', unrepresentable: 'any', metadata: registry, uri: (id) => `#/components/schemas/${id}` })
      return Object.fromEntries(
        Object.entries(schemas).map(([name, schema]) => {
          const { $schema: _s, id: _i, $id: _d, ...rest } = schema as Record<string, unknown>
          return [name, rest]
        }),
      )
    },
  }
}
