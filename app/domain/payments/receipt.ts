/**
 * Bank-transfer receipts: an image (PNG, JPEG, WebP) or a PDF, recognised by its first bytes
 * (the magic number), never by its name or the type the browser claims (see
 * app/domain/files/file-types.ts). At most 10 MB.
 */
import { cleanFileName as cleanName, sniffFile, type FileTypeId } from '~/domain/files/file-types'

export const MAX_RECEIPT_MB = 10
export const MAX_RECEIPT_BYTES = MAX_RECEIPT_MB * 1024 * 1024

export type ReceiptKind = { mime: 'image/png' | 'image/jpeg' | 'image/webp' | 'application/pdf'; ext: 'png' | 'jpg' | 'webp' | 'pdf' }

const RECEIPT_TYPES: readonly FileTypeId[] = ['png', 'jpeg', 'webp', 'pdf']

/** The kind of receipt these bytes are, or null when they are none of the accepted kinds. */
export function sniffReceipt(bytes: Uint8Array): ReceiptKind | null {
  const type = sniffFile(bytes)
  return type && RECEIPT_TYPES.includes(type.id) ? ({ mime: type.mime, ext: type.ext } as ReceiptKind) : null
}

/** A file name safe to show and to store in the database: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  return cleanName(name, 'receipt')
}
