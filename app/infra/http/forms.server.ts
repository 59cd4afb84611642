/**
 * A form body read up to a limit: a larger body is refused while it streams in, before it fills
 * the memory (a Content-Length that says so is refused at once). For forms with file uploads
 * (payment receipts, deal attachments); `tooLarge` makes the error the caller reports.
 */
export async function readBoundedForm(request: Request, maxBytes: number, tooLarge: () => Error): Promise<FormData> {
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
