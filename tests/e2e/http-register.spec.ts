import type { APIResponse } from '@playwright/test'
import { expect, test, bureauOrgListing, canSignIn, randomCreditCode, TEST_PASSWORD, uniqueTag, withWrongCheckCharacter } from './helpers'

type Fields = Record<string, string>

function validFields(tag: string): Fields {
  return {
    mode: 'create',
    name: '测试员',
    email: `http-${tag}@e2e.example.cn`,
    password: TEST_PASSWORD,
    orgKind: 'ENTERPRISE',
    orgName: `重庆接口测试${tag}有限公司`,
    creditCode: randomCreditCode(),
    regionCode: '500118',
  }
}

const urlencode = (fields: Fields) => new URLSearchParams(fields).toString()

async function expectRefused(response: APIResponse, messages: string[]) {
  expect(response.status(), 'bad input is the client’s error, never the server’s').toBe(400)
  expect(response.headers()['content-type']).toContain('text/html')
  expect(response.headers()['set-cookie'] ?? '').not.toContain('kz_session=')
  const html = await response.text()
  for (const message of messages) expect(html).toContain(message)
  return html
}

/** Neither the person nor the organisation exists afterwards. */
async function expectNothingWritten(baseURL: string, tag: string, email: string, password = TEST_PASSWORD) {
  expect(await canSignIn(baseURL, email, password), `${email} cannot sign in`).toBe(false)
  expect(await bureauOrgListing(baseURL), 'the bureau does not see the organisation').not.toContain(tag)
}

const cases: { title: string; fields: (tag: string) => Fields; messages: string[] }[] = [
  {
    title: 'missing fields',
    fields: (tag) => ({ mode: 'create', email: `http-${tag}@e2e.example.cn`, orgName: `重庆接口测试${tag}有限公司` }),
    messages: ['此项必填', '请选择机构类型'],
  },
  {
    title: 'a 10,000-character person name',
    fields: (tag) => ({ ...validFields(tag), name: '张'.repeat(10_000) }),
    messages: ['不能超过 100 个字符'],
  },
  {
    title: 'a 10,000-character organisation name',
    fields: (tag) => ({ ...validFields(tag), orgName: `重庆接口测试${tag}${'有'.repeat(10_000)}` }),
    messages: ['不能超过 200 个字符'],
  },
  {
    title: 'HTML and script in the names',
    fields: (tag) => ({ ...validFields(tag), name: '<script>alert(1)</script>', orgName: `<script>alert(1)</script>${tag}` }),
    messages: ['姓名只能包含文字、数字、空格和', '机构名称只能包含文字、数字、空格和常用标点'],
  },
  {
    title: 'SQL-looking names',
    fields: (tag) => ({ ...validFields(tag), name: `'; DROP TABLE "User"; --`, orgName: `${tag}'; DROP TABLE "Organization"; --` }),
    messages: ['姓名只能包含文字、数字、空格和', '机构名称只能包含文字、数字、空格和常用标点'],
  },
  {
    title: 'a credit code with a wrong check character',
    fields: (tag) => ({ ...validFields(tag), creditCode: withWrongCheckCharacter(randomCreditCode()) }),
    messages: ['统一社会信用代码校验位不正确，请核对'],
  },
  {
    title: 'a credit code of the wrong length',
    fields: (tag) => ({ ...validFields(tag), creditCode: randomCreditCode().slice(0, 17) }),
    messages: ['统一社会信用代码应为 18 位'],
  },
  {
    title: 'a malformed e-mail address',
    fields: (tag) => ({ ...validFields(tag), email: `http-${tag}.e2e.example.cn` }),
    messages: ['请输入有效的电子邮箱地址'],
  },
  {
    title: 'a district code that does not exist',
    fields: (tag) => ({ ...validFields(tag), regionCode: '999999' }),
    messages: ['请选择有效的所在区县（6 位行政区划代码）'],
  },
]

test.describe('POST /register with bad input', () => {
  for (const c of cases) {
    test(`refuses ${c.title} with 400 and writes nothing`, async ({ request, baseURL }) => {
      const tag = uniqueTag()
      const fields = c.fields(tag)
      const response = await request.post('/register', { form: fields, maxRedirects: 0 })
      await expectRefused(response, c.messages)
      await expectNothingWritten(baseURL!, tag, fields.email ?? '', fields.password ?? TEST_PASSWORD)
    })
  }

  test('never echoes HTML from the names unescaped', async ({ request }) => {
    const fields = { ...validFields(uniqueTag()), name: '<img src=x onerror=alert(1)>', orgName: '<script>alert(1)</script>' }
    const html = await expectRefused(await request.post('/register', { form: fields, maxRedirects: 0 }), ['姓名只能包含'])
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).not.toContain('<img src=x')
  })

  for (const [title, bad] of [
    ['raw 0xFF 0xFE bytes', Buffer.from([0xff, 0xfe])],
    ['percent-encoded %FF%FE', Buffer.from('%FF%FE')],
  ] as const) {
    test(`refuses invalid UTF-8 (${title}) in a urlencoded body with 400 and writes nothing`, async ({ request, baseURL }) => {
      const tag = uniqueTag()
      const { name: _name, orgName: _orgName, ...fields } = validFields(tag)
      const body = Buffer.concat([
        Buffer.from(`${urlencode(fields)}&name=`),
        bad,
        Buffer.from(`&orgName=${tag}`),
        bad,
      ])
      const response = await request.post('/register', {
        data: body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        maxRedirects: 0,
      })
      const html = await expectRefused(response, ['包含无效字符（可能是文件编码错误或控制字符）'])
      expect(html.match(/包含无效字符/g)?.length, 'both names are flagged').toBeGreaterThanOrEqual(2)
      await expectNothingWritten(baseURL!, tag, fields.email)
    })
  }

  test('refuses a join with an unknown invitation code', async ({ request, baseURL }) => {
    const tag = uniqueTag()
    const fields = { mode: 'join', name: '测试员', email: `http-${tag}@e2e.example.cn`, password: TEST_PASSWORD, invitationCode: 'NOSUCHCODE' }
    await expectRefused(await request.post('/register?mode=join', { form: fields, maxRedirects: 0 }), ['邀请码无效，请核对'])
    expect(await canSignIn(baseURL!, fields.email, fields.password)).toBe(false)
  })

  test('refuses a body without a registration mode', async ({ request, baseURL }) => {
    const tag = uniqueTag()
    const { mode: _mode, ...fields } = validFields(tag)
    const response = await request.post('/register', { form: fields, maxRedirects: 0 })
    await expectRefused(response, [])
    await expectNothingWritten(baseURL!, tag, fields.email)
  })

  test('accepts the same fields when they are valid', async ({ request, baseURL }) => {
    const tag = uniqueTag()
    const fields = validFields(tag)
    const response = await request.post('/register', { form: fields, maxRedirects: 0 })
    expect(response.status()).toBe(302)
    expect(response.headers()['location']).toBe('/')
    expect(await canSignIn(baseURL!, fields.email, fields.password)).toBe(true)
    expect(await bureauOrgListing(baseURL!)).toContain(fields.orgName)
  })
})
