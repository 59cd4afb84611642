import { defineConfig } from 'prisma/config'

// The CLI is used for `generate`, `validate` and `format` only; migrations are applied
// by the project's own migrator (app/infra/db/migrate.server.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/kezhuan' },
})
