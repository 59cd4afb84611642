import { z } from 'zod'
import { creditCodeProblem, normalizeCreditCode } from '~/domain/orgs/credit-code'
import { SELF_REGISTERED_ORG_KINDS } from '~/domain/users/permissions'
import { email, msg, newPassword, orgName, personName, phone, requiredText } from '~/domain/validation/fields'

export const creditCode = z
  .string({ error: msg('err.required') })
  .transform(normalizeCreditCode)
  .superRefine((code, ctx) => {
    const problem = creditCodeProblem(code)
    if (problem) ctx.addIssue({ code: 'custom', message: msg(`err.creditCode.${problem}`) })
  })

export const regionCode = z.string({ error: msg('err.required') }).trim().regex(/^\d{6}$/, { error: msg('err.region') })

const person = {
  name: personName,
  email,
  phone,
  password: newPassword,
}

export const RegisterSchema = z.discriminatedUnion(
  'mode',
  [
    z.object({
      mode: z.literal('create'),
      ...person,
      orgKind: z.enum(SELF_REGISTERED_ORG_KINDS, { error: msg('err.orgKind') }),
      orgName,
      creditCode,
      regionCode,
    }),
    z.object({
      mode: z.literal('join'),
      ...person,
      invitationCode: requiredText(32).transform((v) => v.toUpperCase()),
    }),
  ],
  { error: msg('err.required') },
)
export type RegisterInput = z.infer<typeof RegisterSchema>

export const LoginSchema = z.object({
  email: z
    .string({ error: msg('err.required') })
    .trim()
    .toLowerCase()
    .max(254, { error: msg('err.tooLong', { max: 254 }) }),
  password: z
    .string({ error: msg('err.required') })
    .max(128, { error: msg('err.tooLong', { max: 128 }) }),
  redirectTo: z.string().optional(),
})

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ error: msg('err.required') }).max(128, { error: msg('err.tooLong', { max: 128 }) }),
    newPassword,
    confirmPassword: z.string({ error: msg('err.required') }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ['confirmPassword'],
    error: msg('err.passwordMismatch'),
  })
