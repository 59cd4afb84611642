import { AppError } from '~/domain/errors'
import { MAX_RECEIPT_BYTES, MAX_RECEIPT_MB } from './receipt'

/** Slack for the multipart framing and the other fields around a receipt. */
const FRAMING = 64 * 1024

/**
 * A payments form, read up to the receipt limit: a larger body is refused while it streams
 * in, before it fills the memory (a Content-Length that says so is refused at once).
 */
export async function readPaymentsForm(request: Request, maxBytes = MAX_RECEIPT_BYTES + FRAMING): Promise<FormData> {
  const tooLarge = () => new AppError('BAD_INPUT', 'err.payment.receiptTooLarge', { params: { max: MAX_RECEIPT_MB } })
  const declared = Number(request.headers.get('Content-Length') ?? NaN)
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge()
  if (!request.body) return request.formData()
  const reader = request.body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    parts.push(value)
  }
  return new Response(Buffer.concat(parts), { headers: { 'Content-Type': request.headers.get('Content-Type') ?? '' } }).formData()
}
