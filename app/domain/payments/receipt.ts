/**
 * Bank-transfer receipts: an image (PNG, JPEG, WebP) or a PDF, recognised by its first bytes
 * (the magic number), never by its name or the type the browser claims. At most 10 MB.
 */

export const MAX_RECEIPT_MB = 10
export const MAX_RECEIPT_BYTES = MAX_RECEIPT_MB * 1024 * 1024

export type ReceiptKind = { mime: 'image/png' | 'image/jpeg' | 'image/webp' | 'application/pdf'; ext: 'png' | 'jpg' | 'webp' | 'pdf' }

const startsWith = (bytes: Uint8Array, sig: number[], at = 0) => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b)

/** The kind of receipt these bytes are, or null when they are none of the accepted kinds. */
export function sniffReceipt(bytes: Uint8Array): ReceiptKind | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', ext: 'png' }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: 'jpg' }
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return { mime: 'image/webp', ext: 'webp' }
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { mime: 'application/pdf', ext: 'pdf' } // %PDF-
  return null
}

/** A file name safe to show and to store in the database: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200)
  return clean || 'receipt'
}
