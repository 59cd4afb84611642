import { z } from 'zod'

/**
 * Field builders shared by forms, the API, the CLI and import files.
 * Error messages are message-catalogue keys; parameters follow `?` (`err.tooLong?max=100`).
 */
export const msg = (key: string, params?: Record<string, string | number>) =>
  params ? `${key}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}` : key

// U+FFFD is what a decoder leaves for invalid UTF-8; control characters have no place in text fields.
const INVALID_TEXT = /[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
// Letters of any script, marks, digits, spaces and the punctuation real names use.
const PERSON_NAME = /^[\p{L}\p{M}\p{N} ·.'’\-()（）]+$/u
const ORG_NAME = /^[\p{L}\p{M}\p{N} ·.'’\-()（）&、,，]+$/u

export function requiredText(max: number, min = 1) {
  return z
    .string({ error: msg('err.required') })
    .trim()
    .refine((v) => !INVALID_TEXT.test(v), { error: msg('err.invalidText') })
    .pipe(
      // Conform turns a blank value into undefined on its way through the pipe: say "required".
      z
        .string({ error: msg('err.required') })
        .min(min, { error: min > 1 ? msg('err.tooShort', { min }) : msg('err.required') })
        .max(max, { error: msg('err.tooLong', { max }) }),
    )
}

export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max, { error: msg('err.tooLong', { max }) })
    .refine((v) => !INVALID_TEXT.test(v), { error: msg('err.invalidText') })
    .optional()
}

// An empty value already failed as required: do not also call its characters wrong.
export const personName = requiredText(100).refine((v) => v === '' || PERSON_NAME.test(v), { error: msg('err.personName') })

export const orgName = requiredText(200, 2).refine((v) => v === '' || ORG_NAME.test(v), { error: msg('err.orgName') })

export const email = z
  .string({ error: msg('err.required') })
  .trim()
  .max(254, { error: msg('err.tooLong', { max: 254 }) })
  .toLowerCase()
  .pipe(z.email({ error: msg('err.email') }))

export const newPassword = z
  .string({ error: msg('err.required') })
  .min(8, { error: msg('err.passwordShort', { min: 8 }) })
  .max(128, { error: msg('err.tooLong', { max: 128 }) })
  .refine((v) => !INVALID_TEXT.test(v), { error: msg('err.invalidText') })

export const phone = z
  .string()
  .trim()
  .max(20, { error: msg('err.tooLong', { max: 20 }) })
  .regex(/^\+?[0-9][0-9 \-]{4,19}$/, { error: msg('err.phone') })
  .optional()
