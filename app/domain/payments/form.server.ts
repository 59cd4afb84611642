import { AppError } from '~/domain/errors'
import { readBoundedForm } from '~/infra/http/forms.server'
import { MAX_RECEIPT_BYTES, MAX_RECEIPT_MB } from './receipt'

/** Slack for the multipart framing and the other fields around a receipt. */
const FRAMING = 64 * 1024

/**
 * A payments form, read up to the receipt limit: a larger body is refused while it streams
 * in, before it fills the memory (a Content-Length that says so is refused at once).
 */
export async function readPaymentsForm(request: Request, maxBytes = MAX_RECEIPT_BYTES + FRAMING): Promise<FormData> {
  return readBoundedForm(request, maxBytes, () => new AppError('BAD_INPUT', 'err.payment.receiptTooLarge', { params: { max: MAX_RECEIPT_MB } }))
}
