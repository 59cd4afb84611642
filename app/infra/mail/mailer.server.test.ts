import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from '~/infra/env.server'
import { smtpUrlWithTimeouts } from './mailer.server'

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kz-mailer-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('mail settings', () => {
  it('adds time limits to an SMTP URL unless it sets its own', () => {
    const url = new URL(smtpUrlWithTimeouts('smtps://user:p%40ss@mail.example.cn:465'))
    expect(url.searchParams.get('connectionTimeout')).toBe('10000')
    expect(url.searchParams.get('socketTimeout')).toBe('30000')
    expect(url.password).toBe('p%40ss')
    expect(new URL(smtpUrlWithTimeouts('smtp://h:25?connectionTimeout=500')).searchParams.get('connectionTimeout')).toBe('500')
  })

  it('links e-mails to KZ_PUBLIC_URL, else to the server’s own address', () => {
    expect(parseEnv({ KZ_DATA_DIR: dataDir, KZ_PUBLIC_URL: 'https://kz.example.cn/' }).publicUrl).toBe('https://kz.example.cn')
    expect(parseEnv({ KZ_DATA_DIR: dataDir, PORT: '8080' }).publicUrl).toBe('http://127.0.0.1:8080')
    expect(parseEnv({ KZ_DATA_DIR: dataDir, HOST: '0.0.0.0' }).publicUrl).toBe('http://127.0.0.1:3000')
    expect(parseEnv({ KZ_DATA_DIR: dataDir, HOST: '::1' }).publicUrl).toBe('http://[::1]:3000')
    expect(() => parseEnv({ KZ_DATA_DIR: dataDir, KZ_PUBLIC_URL: 'kz.example.cn' })).toThrow(EnvError)
    expect(() => parseEnv({ KZ_DATA_DIR: dataDir, KZ_PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/KZ_PUBLIC_URL/)
  })
})
