import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from '~/infra/env.server'
import { isSmtpUnavailable, smtpUrlWithTimeouts } from './mailer.server'

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

describe('isSmtpUnavailable', () => {
  const smtpError = (fields: { code?: string; responseCode?: number }) => Object.assign(new Error('smtp'), fields)

  it('says the server cannot be used: no connection, a timeout, our login refused, a 4xx answer', () => {
    for (const code of ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED']) expect(isSmtpUnavailable(smtpError({ code })), code).toBe(true)
    expect(isSmtpUnavailable(smtpError({ code: 'EAUTH', responseCode: 535 }))).toBe(true)
    expect(isSmtpUnavailable(smtpError({ code: 'EENVELOPE', responseCode: 450 }))).toBe(true)
    expect(isSmtpUnavailable(smtpError({ code: 'EMESSAGE', responseCode: 421 }))).toBe(true)
  })

  it('says a refused message is not: 5xx answers, and anything else', () => {
    expect(isSmtpUnavailable(smtpError({ code: 'EENVELOPE', responseCode: 550 }))).toBe(false)
    expect(isSmtpUnavailable(smtpError({ code: 'EMESSAGE', responseCode: 552 }))).toBe(false)
    expect(isSmtpUnavailable(new Error('template failed'))).toBe(false)
    expect(isSmtpUnavailable(null)).toBe(false)
    expect(isSmtpUnavailable('ECONNECTION')).toBe(false)
  })
})
