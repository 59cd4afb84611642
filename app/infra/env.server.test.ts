import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from './env.server'

const SECRET = 'x'.repeat(32)
let dataDir: string

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kz-env-'))
})
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true })
})

function parseError(source: NodeJS.ProcessEnv): EnvError {
  try {
    parseEnv(source)
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError)
    return error as EnvError
  }
  throw new Error('parseEnv accepted the configuration')
}

describe('parseEnv', () => {
  it('fills in defaults: development, embedded database, port 3000 on localhost', () => {
    const env = parseEnv({ KZ_DATA_DIR: dataDir })
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      dbMode: 'pglite',
      PORT: 3000,
      HOST: '127.0.0.1',
      KZ_DEMO_DATA: 'auto',
      dataDir,
    })
    expect(env.DATABASE_URL).toBeUndefined()
  })

  it('defaults the data directory to ./data, as an absolute path', () => {
    const env = parseEnv({ SESSION_SECRET: SECRET })
    expect(env.dataDir).toBe(path.resolve('data'))
    expect(path.isAbsolute(env.dataDir)).toBe(true)
  })

  it('uses PostgreSQL when DATABASE_URL is a postgres(ql):// URL, the embedded database when it is empty', () => {
    expect(parseEnv({ KZ_DATA_DIR: dataDir, DATABASE_URL: 'postgresql://kz@db:5432/kz' }).dbMode).toBe('postgres')
    expect(parseEnv({ KZ_DATA_DIR: dataDir, DATABASE_URL: 'postgres://kz@db/kz' }).dbMode).toBe('postgres')
    const blank = parseEnv({ KZ_DATA_DIR: dataDir, DATABASE_URL: '   ' })
    expect(blank.dbMode).toBe('pglite')
    expect(blank.DATABASE_URL).toBeUndefined()
  })

  it('refuses a DATABASE_URL of another scheme, naming the variable', () => {
    for (const url of ['mysql://root@localhost/kz', 'file:./dev.db', 'localhost:5432']) {
      const error = parseError({ KZ_DATA_DIR: dataDir, DATABASE_URL: url })
      expect(error.message).toMatch(/DATABASE_URL: must be a postgresql:\/\/ connection string/)
    }
  })

  it('coerces PORT and refuses one out of range or not a number', () => {
    expect(parseEnv({ KZ_DATA_DIR: dataDir, PORT: '8080' }).PORT).toBe(8080)
    for (const port of ['0', '65536', '70000', '-1', 'http', '80.5']) {
      expect(parseError({ KZ_DATA_DIR: dataDir, PORT: port }).message, port).toMatch(/^\s+PORT: /m)
    }
  })

  it('takes the embedded database\'s buffer pool in whole megabytes, 16 to 2048, and leaves it unset by default', () => {
    expect(parseEnv({ KZ_DATA_DIR: dataDir }).KZ_PGLITE_BUFFERS_MB).toBeUndefined()
    expect(parseEnv({ KZ_DATA_DIR: dataDir, KZ_PGLITE_BUFFERS_MB: '512' }).KZ_PGLITE_BUFFERS_MB).toBe(512)
    for (const value of ['0', '15', '2049', '1.5', '512MB', 'big']) {
      expect(parseError({ KZ_DATA_DIR: dataDir, KZ_PGLITE_BUFFERS_MB: value }).message, value).toMatch(/KZ_PGLITE_BUFFERS_MB: must be a whole number of megabytes from 16 to 2048/)
    }
  })

  it('refuses unknown enumerated values', () => {
    expect(parseError({ KZ_DATA_DIR: dataDir, NODE_ENV: 'staging' }).message).toMatch(/NODE_ENV/)
    expect(parseError({ KZ_DATA_DIR: dataDir, KZ_DEMO_DATA: 'yes' }).message).toMatch(/KZ_DEMO_DATA/)
  })

  it('reports every problem at once', () => {
    const message = parseError({ KZ_DATA_DIR: dataDir, PORT: '99999', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short' }).message
    expect(message).toMatch(/PORT/)
    expect(message).toMatch(/DATABASE_URL/)
    expect(message).toMatch(/SESSION_SECRET/)
  })

  it('in production, refuses to start without SESSION_SECRET, with a message naming it', () => {
    const error = parseError({ NODE_ENV: 'production', KZ_DATA_DIR: dataDir })
    expect(error.message).toMatch(/SESSION_SECRET/)
    expect(error.message).toMatch(/required in production/)
    expect(error.message).not.toMatch(/ZodError|\[object/)
    // Nothing was generated in its place.
    expect(existsSync(path.join(dataDir, 'session-secret'))).toBe(false)
  })

  it('in production, uses the given secret', () => {
    expect(parseEnv({ NODE_ENV: 'production', SESSION_SECRET: SECRET, KZ_DATA_DIR: dataDir }).sessionSecret).toBe(SECRET)
  })

  it('refuses a secret shorter than 32 characters, in any environment', () => {
    for (const NODE_ENV of ['production', 'development', 'test']) {
      const error = parseError({ NODE_ENV, SESSION_SECRET: 'x'.repeat(31), KZ_DATA_DIR: dataDir })
      expect(error.message).toMatch(/SESSION_SECRET: must be at least 32 characters/)
    }
  })

  it('outside production, generates a secret once into KZ_DATA_DIR and reuses it', () => {
    const dir = path.join(dataDir, 'nested', 'data')
    const first = parseEnv({ KZ_DATA_DIR: dir })
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32)
    const file = path.join(dir, 'session-secret')
    expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0)
    const second = parseEnv({ KZ_DATA_DIR: dir, NODE_ENV: 'test' })
    expect(second.sessionSecret).toBe(first.sessionSecret)
    // Another data directory gets a secret of its own.
    expect(parseEnv({ KZ_DATA_DIR: path.join(dataDir, 'other') }).sessionSecret).not.toBe(first.sessionSecret)
  })

  it('does not write a secret file when SESSION_SECRET is set', () => {
    expect(parseEnv({ KZ_DATA_DIR: dataDir, SESSION_SECRET: SECRET }).sessionSecret).toBe(SECRET)
    expect(existsSync(path.join(dataDir, 'session-secret'))).toBe(false)
  })
})
