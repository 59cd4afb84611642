/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet
 * (no I, O, S, V, Z); the last one is a check character over the first 17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

export type CreditCodeProblem = 'length' | 'charset' | 'division' | 'check'

export function normalizeCreditCode(input: string): string {
  return input.trim().toUpperCase()
}

export function checkCharacter(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i]!)
    if (value < 0) throw new Error(`not a credit-code character: ${first17[i]}`)
    sum += value * WEIGHTS[i]!
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!
}

/** Returns what is wrong with a code, or null when it is valid. */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length'
  for (const ch of code) if (!ALPHABET.includes(ch)) return 'charset'
  // Characters 3–8 are the registering authority's administrative division code.
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'division'
  return checkCharacter(code.slice(0, 17)) === code[17] ? null : 'check'
}

export function isValidCreditCode(code: string): boolean {
  return creditCodeProblem(code) === null
}

/** Completes 17 characters with their check character (demo data and tests). */
export function withCheckCharacter(first17: string): string {
  return first17 + checkCharacter(first17)
}
