import { describe, expect, it } from 'vitest'
import { creditCode } from '~/domain/users/schemas'
import { checkCharacter, creditCodeProblem, isValidCreditCode, normalizeCreditCode, withCheckCharacter } from './credit-code'

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

// Published codes, checked by hand against GB 32100-2015 before being written down here.
const REAL_WORLD = [
  '91350100M000100Y43', // a widely published example, registered in 福州市 (350100)
  '91440300708461136T', // 深圳市腾讯计算机系统有限公司
]

describe('unified social credit code', () => {
  it('accepts published real-world codes', () => {
    for (const code of REAL_WORLD) {
      expect(creditCodeProblem(code), code).toBeNull()
      expect(isValidCreditCode(code)).toBe(true)
    }
  })

  it('computes the check character of the worked example: Σ(value×weight) = 1640, 31 − 1640 mod 31 = 3', () => {
    // 9·1 + 1·3 + 3·9 + 5·27 + 0 + 1·26 + 0 + 0 + M(21)·20 + 0 + 0 + 0 + 1·8 + 0 + 0 + Y(30)·30 + 4·28 = 1640
    // 1640 mod 31 = 28 → 31 − 28 = 3
    expect(checkCharacter('91350100M000100Y4')).toBe('3')
  })

  it('accepts codes completed with withCheckCharacter', () => {
    for (const first17 of ['91500118MA5U7K3X2', '11500118MB1234567', '52500118MJ0P1Q2R3', '12100000400000624', '91510107MA6C8D9E0', '00000000000000000']) {
      const code = withCheckCharacter(first17)
      expect(code).toHaveLength(18)
      expect(code.startsWith(first17)).toBe(true)
      expect(creditCodeProblem(code), code).toBeNull()
    }
  })

  it('reports a wrong length before anything else', () => {
    expect(creditCodeProblem('')).toBe('length')
    expect(creditCodeProblem('91350100M000100Y4')).toBe('length')
    expect(creditCodeProblem('91350100M000100Y433')).toBe('length')
    expect(creditCodeProblem('iiiiiiiiiiiiiiiiiii')).toBe('length')
  })

  it('refuses the letters the standard leaves out (I, O, S, V, Z), lowercase and other characters', () => {
    const valid = REAL_WORLD[0]!
    for (const ch of ['I', 'O', 'S', 'V', 'Z', 'a', 'm', '-', ' ', '统', '\uFFFD']) {
      // Position 9 (the organisation code part), so that only the character set is wrong.
      const code = valid.slice(0, 9) + ch + valid.slice(10)
      expect(code).toHaveLength(18)
      expect(creditCodeProblem(code), JSON.stringify(code)).toBe('charset')
    }
    expect(creditCodeProblem(valid.slice(0, 17) + 'O')).toBe('charset')
  })

  it('requires digits for the administrative division (characters 3–8)', () => {
    const code = withCheckCharacter('91ABCDEF708461136')
    expect(creditCodeProblem(code)).toBe('division')
    expect(creditCodeProblem(withCheckCharacter('9144030A708461136'))).toBe('division')
  })

  it('detects every single-character change and a wrong check character', () => {
    const valid = REAL_WORLD[1]!
    expect(creditCodeProblem(valid.slice(0, 17) + '0')).toBe('check')
    for (let i = 0; i < 18; i++) {
      for (const ch of ALPHABET) {
        if (ch === valid[i]) continue
        const changed = valid.slice(0, i) + ch + valid.slice(i + 1)
        expect(creditCodeProblem(changed), changed).not.toBeNull()
      }
    }
  })

  it('detects two swapped neighbours in the organisation part', () => {
    const valid = REAL_WORLD[1]!
    for (let i = 8; i < 16; i++) {
      if (valid[i] === valid[i + 1]) continue
      const swapped = valid.slice(0, i) + valid[i + 1] + valid[i] + valid.slice(i + 2)
      expect(creditCodeProblem(swapped), swapped).toBe('check')
    }
  })

  it('normalises spacing and case', () => {
    expect(normalizeCreditCode('  91350100m000100y43\n')).toBe('91350100M000100Y43')
  })
})

describe('creditCode schema', () => {
  it('normalises lowercase input with surrounding spaces to the valid upper-case code', () => {
    const result = creditCode.safeParse(' 91350100m000100y43 ')
    expect(result).toEqual({ success: true, data: '91350100M000100Y43' })
  })

  it('names the problem with a message key per kind', () => {
    const message = (input: unknown) => {
      const r = creditCode.safeParse(input)
      return r.success ? null : r.error.issues.map((i) => i.message)
    }
    expect(message(undefined)).toEqual(['err.required'])
    expect(message('123')).toEqual(['err.creditCode.length'])
    expect(message('91350100M0001O0Y43')).toEqual(['err.creditCode.charset'])
    expect(message(withCheckCharacter('91ABCDEF708461136'))).toEqual(['err.creditCode.division'])
    expect(message('91350100M000100Y44')).toEqual(['err.creditCode.check'])
  })
})
