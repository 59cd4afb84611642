import { z } from 'zod'
import { requiredText } from '~/domain/validation/fields'

/** A batch of the bureau's application-scenario list (应用场景清单), e.g. 2026年第1批. */
export const BatchInputSchema = z.object({
  number: requiredText(50, 2),
  title: requiredText(200, 2),
})
export type BatchInput = z.output<typeof BatchInputSchema>
