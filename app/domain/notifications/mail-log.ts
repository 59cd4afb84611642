import { z } from 'zod'
import type { EmailStatus } from '~/generated/prisma/enums'
import { msg } from '~/domain/validation/fields'

/** The e-mail log's statuses and filters: shared by the administrator's pages and the domain. */
export const EMAIL_STATUSES = ['QUEUED', 'SENT', 'FAILED'] as const satisfies readonly EmailStatus[]

export const MailQuerySchema = z.object({
  status: z.enum(EMAIL_STATUSES, { error: msg('err.mail.status') }).optional(),
  q: z.string().trim().max(254, { error: msg('err.tooLong', { max: 254 }) }).optional(),
  page: z.coerce.number({ error: msg('err.page') }).int({ error: msg('err.page') }).min(1, { error: msg('err.page') }).max(10_000, { error: msg('err.page') }).default(1),
})
export type MailQuery = z.output<typeof MailQuerySchema>
