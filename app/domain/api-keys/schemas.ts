import { z } from 'zod'
import { msg } from '~/domain/validation/fields'

// Not requiredText(): Conform's coercion turns a blank field into undefined before that
// schema's own message applies, and the page would show zod's English default.
export const ApiKeyInputSchema = z.object({
  name: z
    .string({ error: msg('err.required') })
    .trim()
    .min(1, { error: msg('err.required') })
    .max(100, { error: msg('err.tooLong', { max: 100 }) }),
})
export type ApiKeyInput = z.output<typeof ApiKeyInputSchema>
