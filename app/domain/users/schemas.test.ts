import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { ChangePasswordSchema, LoginSchema, RegisterSchema } from './schemas'
import { SELF_REGISTERED_ORG_KINDS } from './permissions'

/** The message keys per field path of a failed parse; {} when it succeeded. */
function errors(result: z.ZodSafeParseResult<unknown>): Record<string, string[]> {
  if (result.success) return {}
  const out: Record<string, string[]> = {}
  for (const issue of result.error.issues) (out[issue.path.join('.')] ??= []).push(issue.message)
  return out
}

const create = {
  mode: 'create',
  name: '赵工',
  email: 'zhao@example.cn',
  password: 'a-long-password',
  orgKind: 'ENTERPRISE',
  orgName: '重庆永锋精密机械有限公司',
  creditCode: '91350100M000100Y43',
  regionCode: '500118',
}
const join = { mode: 'join', name: '钱工', email: 'qian@example.cn', password: 'a-long-password', invitationCode: 'abcd234567' }

// What a decoder leaves of invalid UTF-8: "张" is E5 BC A0, here cut short.
const BROKEN_UTF8 = new TextDecoder().decode(new Uint8Array([0xe5, 0xbc, 0x20, 0xe4, 0xb8, 0x89]))

describe('RegisterSchema', () => {
  it('accepts a complete registration and normalises it', () => {
    const result = RegisterSchema.safeParse({ ...create, name: '  赵工 ', email: ' Zhao@Example.CN ', creditCode: '91350100m000100y43' })
    expect(result.success).toBe(true)
    expect(result.data).toMatchObject({ name: '赵工', email: 'zhao@example.cn', creditCode: '91350100M000100Y43' })
    expect(RegisterSchema.safeParse(join).data).toMatchObject({ mode: 'join', invitationCode: 'ABCD234567' })
  })

  it('accepts names of people from many scripts and with the punctuation real names use', () => {
    for (const name of ['欧阳娜娜', '阿卜杜勒·克里木', "Mary O'Neil-Smith", 'José Álvarez', 'Nguyễn Văn A', '王（小）明', 'J. R. R. Tolkien']) {
      expect(errors(RegisterSchema.safeParse({ ...create, name })), name).toEqual({})
    }
  })

  it('requires a mode, then every field of that mode', () => {
    expect(errors(RegisterSchema.safeParse({}))).toEqual({ mode: ['err.required'] })
    expect(errors(RegisterSchema.safeParse({ mode: 'create' }))).toEqual({
      name: ['err.required'],
      email: ['err.required'],
      password: ['err.required'],
      orgKind: ['err.orgKind'],
      orgName: ['err.required'],
      creditCode: ['err.required'],
      regionCode: ['err.required'],
    })
    expect(errors(RegisterSchema.safeParse({ mode: 'join' }))).toEqual({
      name: ['err.required'],
      email: ['err.required'],
      password: ['err.required'],
      invitationCode: ['err.required'],
    })
  })

  it('gives one message, not also a character complaint, for names of spaces', () => {
    expect(errors(RegisterSchema.safeParse({ ...create, name: '    ' }))).toEqual({ name: ['err.required'] })
    expect(errors(RegisterSchema.safeParse({ ...create, orgName: '  ' }))).toEqual({ orgName: ['err.tooShort?min=2'] })
  })

  it('refuses a 10,000-character name with the limit in the message', () => {
    expect(errors(RegisterSchema.safeParse({ ...create, name: '张'.repeat(10_000) }))).toEqual({ name: ['err.tooLong?max=100'] })
    expect(errors(RegisterSchema.safeParse({ ...create, name: '张'.repeat(100) }))).toEqual({})
    expect(errors(RegisterSchema.safeParse({ ...create, orgName: '公'.repeat(201) }))).toEqual({ orgName: ['err.tooLong?max=200'] })
  })

  it('refuses markup in names', () => {
    for (const name of ['<script>alert(1)</script>', '<b>王</b>', 'a&amp;b', '王"五']) {
      expect(errors(RegisterSchema.safeParse({ ...create, name })), name).toEqual({ name: ['err.personName'] })
    }
    expect(errors(RegisterSchema.safeParse({ ...create, orgName: '<img src=x onerror=alert(1)>公司' }))).toEqual({ orgName: ['err.orgName'] })
  })

  it('refuses SQL-looking names', () => {
    expect(errors(RegisterSchema.safeParse({ ...create, name: `'; DROP TABLE "User"; --` }))).toEqual({ name: ['err.personName'] })
    expect(errors(RegisterSchema.safeParse({ ...create, orgName: `x'); DELETE FROM "Organization"; --` }))).toEqual({ orgName: ['err.orgName'] })
  })

  it('refuses text with U+FFFD (invalid UTF-8) or control characters', () => {
    expect(BROKEN_UTF8).toContain('\uFFFD')
    expect(errors(RegisterSchema.safeParse({ ...create, name: BROKEN_UTF8 }))).toEqual({ name: ['err.invalidText'] })
    expect(errors(RegisterSchema.safeParse({ ...create, orgName: `公司${BROKEN_UTF8}` }))).toEqual({ orgName: ['err.invalidText'] })
    expect(errors(RegisterSchema.safeParse({ ...create, name: '王\u0000五' }))).toEqual({ name: ['err.invalidText'] })
    expect(errors(RegisterSchema.safeParse({ ...create, password: `long-enough-${BROKEN_UTF8}` }))).toEqual({ password: ['err.invalidText'] })
  })

  it('refuses a malformed e-mail address', () => {
    for (const email of ['not-an-email', 'a@', '@example.cn', 'a b@example.cn', 'a@example', `${'x'.repeat(250)}@example.cn`]) {
      expect(errors(RegisterSchema.safeParse({ ...create, email })).email, email).toHaveLength(1)
    }
    expect(errors(RegisterSchema.safeParse({ ...create, email: 'not-an-email' }))).toEqual({ email: ['err.email'] })
    expect(errors(RegisterSchema.safeParse({ ...create, email: `${'x'.repeat(250)}@example.cn` }))).toEqual({ email: ['err.tooLong?max=254'] })
  })

  it('refuses a password shorter than 8 characters', () => {
    expect(errors(RegisterSchema.safeParse({ ...create, password: 'short' }))).toEqual({ password: ['err.passwordShort?min=8'] })
    expect(errors(RegisterSchema.safeParse({ ...create, password: '1234567' }))).toEqual({ password: ['err.passwordShort?min=8'] })
    expect(errors(RegisterSchema.safeParse({ ...create, password: '12345678' }))).toEqual({})
    expect(errors(RegisterSchema.safeParse({ ...create, password: 'x'.repeat(129) }))).toEqual({ password: ['err.tooLong?max=128'] })
  })

  it('refuses a government organisation: those are set up by an administrator', () => {
    expect(errors(RegisterSchema.safeParse({ ...create, orgKind: 'GOVERNMENT' }))).toEqual({ orgKind: ['err.orgKind'] })
    expect(errors(RegisterSchema.safeParse({ ...create, orgKind: 'NO_SUCH_KIND' }))).toEqual({ orgKind: ['err.orgKind'] })
    for (const orgKind of SELF_REGISTERED_ORG_KINDS) expect(errors(RegisterSchema.safeParse({ ...create, orgKind })), orgKind).toEqual({})
  })

  it('checks the credit code, region and phone', () => {
    expect(errors(RegisterSchema.safeParse({ ...create, creditCode: '91350100M000100Y44' }))).toEqual({ creditCode: ['err.creditCode.check'] })
    expect(errors(RegisterSchema.safeParse({ ...create, regionCode: '5001' }))).toEqual({ regionCode: ['err.region'] })
    expect(errors(RegisterSchema.safeParse({ ...create, phone: 'call me' }))).toEqual({ phone: ['err.phone'] })
    expect(errors(RegisterSchema.safeParse({ ...create, phone: '+86 138 0000 0000' }))).toEqual({})
  })
})

describe('LoginSchema', () => {
  it('requires both fields', () => {
    expect(errors(LoginSchema.safeParse({}))).toEqual({ email: ['err.required'], password: ['err.required'] })
  })

  it('normalises the e-mail address and caps the lengths', () => {
    expect(LoginSchema.safeParse({ email: '  Zhao@Example.CN ', password: 'x' }).data).toMatchObject({ email: 'zhao@example.cn', password: 'x' })
    expect(errors(LoginSchema.safeParse({ email: 'a@b.cn', password: 'x'.repeat(129) }))).toEqual({ password: ['err.tooLong?max=128'] })
    expect(errors(LoginSchema.safeParse({ email: 'x'.repeat(255), password: 'x' }))).toEqual({ email: ['err.tooLong?max=254'] })
  })
})

describe('ChangePasswordSchema', () => {
  it('requires every field', () => {
    expect(errors(ChangePasswordSchema.safeParse({}))).toEqual({
      currentPassword: ['err.required'],
      newPassword: ['err.required'],
      confirmPassword: ['err.required'],
    })
  })

  it('refuses a short new password', () => {
    expect(errors(ChangePasswordSchema.safeParse({ currentPassword: 'old', newPassword: 'short', confirmPassword: 'short' }))).toEqual({
      newPassword: ['err.passwordShort?min=8'],
    })
  })

  it('refuses a confirmation that does not match, on the confirmation field', () => {
    expect(
      errors(ChangePasswordSchema.safeParse({ currentPassword: 'old', newPassword: 'new-password-1', confirmPassword: 'new-password-2' })),
    ).toEqual({ confirmPassword: ['err.passwordMismatch'] })
    expect(ChangePasswordSchema.safeParse({ currentPassword: 'old', newPassword: 'new-password-1', confirmPassword: 'new-password-1' }).success).toBe(true)
  })
})
