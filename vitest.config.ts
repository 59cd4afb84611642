import os from 'node:os'
import path from 'node:path'
import { defineConfig } from 'vitest/config'

const alias = { '~': path.resolve(import.meta.dirname, 'app') }
const env = {
  NODE_ENV: 'test',
  SESSION_SECRET: 'test-only-session-secret-not-used-anywhere-else',
  KZ_DEMO_DATA: 'off',
  // Cheaper hashing keeps the suite fast; production uses the OWASP parameters.
  KZ_ARGON2_MEMORY: '1024',
}

// `*.test.ts` are unit tests (no database); `*.db.test.ts` run once on PGlite and once on PostgreSQL.
export default defineConfig({
  resolve: { alias },
  test: {
    onConsoleLog: () => undefined,
    // Vitest's default, one worker less than the cores, leaves a 2-core machine with one: the
    // db tests wait on PostgreSQL, Meilisearch and argon2 often enough that two run faster
    // (the whole suite: 470 s instead of 590 s on the 2-core development machine).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // `isolate: false`: a worker runs its files one after another in one process, instead of
    // starting a process per file that imports the app again and loads jieba's dictionary
    // (about 3 s each; the whole suite: 200 s instead of 485 s). Each file still gets a fresh
    // database (tests/setup/db.ts), and what it changes of the process is put back
    // (tests/setup/shared-process.ts).
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          isolate: false,
          include: ['app/**/*.test.{ts,tsx}', 'cli/**/*.test.ts'],
          exclude: ['**/*.db.test.ts', '**/node_modules/**'],
          env,
          setupFiles: ['tests/setup/shared-process.ts', 'tests/setup/no-console-error.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'pglite',
          isolate: false,
          include: ['app/**/*.db.test.{ts,tsx}', 'cli/**/*.db.test.ts'],
          env: { ...env, KZ_TEST_DB: 'pglite' },
          globalSetup: ['tests/setup/global-db.ts', 'tests/setup/meilisearch.ts'],
          setupFiles: ['tests/setup/shared-process.ts', 'tests/setup/no-console-error.ts', 'tests/setup/db.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'postgres',
          isolate: false,
          include: ['app/**/*.db.test.{ts,tsx}', 'cli/**/*.db.test.ts', 'prisma/*.test.ts'],
          env: { ...env, KZ_TEST_DB: 'postgres' },
          globalSetup: ['tests/setup/global-db.ts', 'tests/setup/meilisearch.ts'],
          setupFiles: ['tests/setup/shared-process.ts', 'tests/setup/no-console-error.ts', 'tests/setup/db.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
