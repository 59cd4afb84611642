import type { EmailStatus } from '~/generated/prisma/enums'
import { useT } from '~/i18n/i18n'

/** What the e-mail log's pages share (not a route). */

// Message keys written out, so that the catalogue test can check each one.
export const STATUS_KEYS: Record<EmailStatus, string> = {
  QUEUED: 'mailLog.status.QUEUED',
  SENT: 'mailLog.status.SENT',
  FAILED: 'mailLog.status.FAILED',
}

export function StatusChip({ status }: { status: EmailStatus }) {
  const t = useT()
  const tone = { QUEUED: 'bg-amber-100 text-amber-900', SENT: 'bg-emerald-100 text-emerald-800', FAILED: 'bg-red-100 text-red-800' }[status]
  return <span className={`rounded px-2 py-0.5 text-xs whitespace-nowrap ${tone}`}>{t(STATUS_KEYS[status])}</span>
}
