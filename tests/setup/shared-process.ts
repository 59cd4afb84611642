import { afterAll, beforeAll, vi } from 'vitest'
import { resetEnv } from '~/infra/env.server'
import { resetSearchEngines } from '~/infra/search/engines.server'
import { removeTempDirs } from '../temp-dirs'

/**
 * The test files of a worker run one after another in one process (`isolate: false` in
 * vitest.config.ts), so what a file changes of the process is put back when it is done: the
 * environment and what is read from it, the search engines, spies, temporary directories.
 */
let env: NodeJS.ProcessEnv

beforeAll(() => {
  env = { ...process.env }
})

afterAll(() => {
  vi.restoreAllMocks()
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key]
  Object.assign(process.env, env)
  resetEnv()
  resetSearchEngines()
  removeTempDirs()
})
