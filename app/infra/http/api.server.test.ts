import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppError } from '~/domain/errors'
import { translator } from '~/i18n/i18n'
import { apiErrorResponse, apiLocale, badInput, handleApi, MAX_BODY_BYTES, parseSearchParams, readJsonObject } from './api.server'

const zh = translator('zh-CN')
const en = translator('en')
const url = 'http://localhost/api/v1/achievements'

const withLanguage = (value: string | null, cookie?: string) =>
  new Request(url, { headers: { ...(value === null ? {} : { 'Accept-Language': value }), ...(cookie ? { Cookie: cookie } : {}) } })

const body = (raw: BodyInit, type: string | null = 'application/json') =>
  new Request(url, { method: 'POST', body: raw, headers: type === null ? {} : { 'Content-Type': type } })

async function caught(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error,
  )
}

describe('apiLocale', () => {
  it('reads Accept-Language by quality, then the cookie, and falls back to Chinese', () => {
    expect(apiLocale(withLanguage(null))).toBe('zh-CN')
    expect(apiLocale(withLanguage('en'))).toBe('en')
    expect(apiLocale(withLanguage('en-US,en;q=0.9'))).toBe('en')
    expect(apiLocale(withLanguage('zh-CN,zh;q=0.9,en;q=0.8'))).toBe('zh-CN')
    expect(apiLocale(withLanguage('zh;q=0.3, en;q=0.7'))).toBe('en')
    expect(apiLocale(withLanguage('fr, de;q=0.5'))).toBe('zh-CN')
    expect(apiLocale(withLanguage('en;q=0, zh'))).toBe('zh-CN')
    expect(apiLocale(withLanguage('*'))).toBe('zh-CN')
    expect(apiLocale(withLanguage(null, 'kz_lang=en'))).toBe('en')
    expect(apiLocale(withLanguage('zh', 'kz_lang=en'))).toBe('zh-CN')
    expect(apiLocale(withLanguage(';;;q=,,'))).toBe('zh-CN')
  })
})

describe('apiErrorResponse', () => {
  it('gives every error one JSON body with a translated message and translated fields', async () => {
    const error = new AppError('BAD_INPUT', 'err.invalidForm', { fields: { trl: 'err.trl', title: 'err.tooLong?max=200', x: 'Invalid input: expected string' } })
    const response = apiErrorResponse(withLanguage(null), error)
    expect(response.status).toBe(400)
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    expect(await response.json()).toEqual({
      error: {
        code: 'BAD_INPUT',
        message: zh('api.err.invalidInput'),
        fields: { trl: zh('err.trl'), title: zh('err.tooLong', { max: 200 }), x: zh('api.err.invalidValue') },
      },
    })
    const english = await apiErrorResponse(withLanguage('en'), error).json()
    expect(english.error.fields.trl).toBe(en('err.trl'))
  })

  it('uses the status of each code, asks for a bearer key on 401, and hides unexpected errors', async () => {
    const codes = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, RATE_LIMITED: 429 } as const
    for (const [code, status] of Object.entries(codes)) {
      const response = apiErrorResponse(withLanguage(null), new AppError(code as keyof typeof codes, 'err.forbidden'))
      expect(response.status).toBe(status)
      expect((await response.json()).error).toEqual({ code, message: zh('err.forbidden') })
    }
    expect(apiErrorResponse(withLanguage(null), new AppError('UNAUTHENTICATED', 'api.err.keyRequired')).headers.get('WWW-Authenticate')).toMatch(/^Bearer/)
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => void errors.push(args)
    try {
      const response = apiErrorResponse(withLanguage(null), new TypeError('secret internals at /app/x.ts:1'))
      expect(response.status).toBe(500)
      const text = await response.text()
      expect(text).not.toContain('secret internals')
      expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: zh('api.err.internal') } })
    } finally {
      console.error = original
    }
    expect(errors).toHaveLength(1)
  })
})

describe('handleApi', () => {
  const ok = async () => new Response('ok')
  it('dispatches by method, HEAD to GET, and answers 405 with Allow otherwise', async () => {
    expect(await (await handleApi(new Request(url), { GET: ok })).text()).toBe('ok')
    expect((await handleApi(new Request(url, { method: 'HEAD' }), { GET: ok })).status).toBe(200)
    const refused = await handleApi(new Request(url, { method: 'DELETE' }), { GET: ok, POST: ok })
    expect(refused.status).toBe(405)
    expect(refused.headers.get('Allow')).toBe('GET, POST, HEAD, OPTIONS')
    expect((await refused.json()).error.code).toBe('METHOD_NOT_ALLOWED')
    const thrown = await handleApi(new Request(url), () => {
      throw new AppError('NOT_FOUND', 'api.err.unknownKind')
    })
    expect(thrown.status).toBe(404)
  })
})

describe('readJsonObject', () => {
  it('returns the object of a JSON body', async () => {
    expect(await readJsonObject(body('{"a": 1, "b": "中文"}'))).toEqual({ a: 1, b: '中文' })
    expect(await readJsonObject(body('{}', 'Application/JSON; charset="UTF-8"'))).toEqual({})
  })

  it('refuses other media types (415), large bodies (413) and what is not a JSON object (400)', async () => {
    for (const type of [null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/json; charset=latin1']) {
      expect(await caught(readJsonObject(body('{}', type))), String(type)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' })
    }
    expect(await caught(readJsonObject(body('x'.repeat(MAX_BODY_BYTES + 1))))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' })
    expect(await readJsonObject(body(`{"a":"${'x'.repeat(MAX_BODY_BYTES - 8)}"}`))).toHaveProperty('a')
    for (const raw of ['', '{', 'null', '[]', '1', '"x"', '{"a":1}{', new Uint8Array([0x7b, 0x7d, 0xff])]) {
      expect(await caught(readJsonObject(body(raw))), String(raw)).toMatchObject({ code: 'BAD_INPUT' })
    }
  })
})

describe('parseSearchParams and badInput', () => {
  const schema = z.object({ a: z.coerce.number({ error: 'err.trl' }).int({ error: 'err.trl' }), b: z.string().optional() })
  it('parses known parameters, keeps allowed extras, refuses unknown ones', () => {
    expect(parseSearchParams(new URL(`${url}?a=3&b=&scope=mine`), schema, ['scope'])).toEqual({ a: 3, scope: 'mine' })
    expect(() => parseSearchParams(new URL(`${url}?a=3&c=1`), schema)).toThrow(expect.objectContaining({ fields: { c: 'api.err.unknownField' } }))
    expect(() => parseSearchParams(new URL(`${url}?a=x`), schema)).toThrow(expect.objectContaining({ code: 'BAD_INPUT', fields: { a: 'err.trl' } }))
  })

  it('keeps the first message per field, with nested paths dotted', () => {
    const result = z.object({ list: z.array(z.string({ error: 'err.required' })), n: z.number({ error: 'err.trl' }) }).safeParse({ list: ['a', 1], n: 'x' })
    expect(result.success).toBe(false)
    expect(badInput(result.error!).fields).toEqual({ 'list.1': 'err.required', n: 'err.trl' })
  })
})
