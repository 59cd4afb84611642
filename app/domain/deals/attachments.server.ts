import { createHash, randomBytes } from 'node:crypto'
import { mkdir, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '~/domain/errors'
import { cleanFileName, extensionOf, sniffFile, type FileTypeId } from '~/domain/files/file-types'
import { getEnv } from '~/infra/env.server'

/**
 * Files attached to deal messages: PDF, images (PNG, JPEG, GIF, WebP) and Office documents
 * (doc, docx, xls, xlsx, ppt, pptx), at most 10 MB each and three to a message. The type is read
 * from the bytes; the name's extension must agree with it, so an .exe renamed .pdf, or a Word
 * file called .pdf, is refused with the reason. Files live under KZ_DATA_DIR/uploads/deals/
 * <dealId>/<random>.<ext>, never under the name the sender gave; the row keeps that name, the
 * detected type, the size and the sha256.
 */

export const MAX_ATTACHMENT_MB = 10
export const MAX_ATTACHMENT_BYTES = MAX_ATTACHMENT_MB * 1024 * 1024
export const MAX_ATTACHMENTS = 3

export const ATTACHMENT_TYPES: readonly FileTypeId[] = ['pdf', 'png', 'jpeg', 'gif', 'webp', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx']

/** The extensions accepted, for the file picker's `accept` and the help text. */
export const ATTACHMENT_EXTENSIONS = ['.pdf', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.doc', '.docx', '.xls', '.xlsx', '.ppt', '.pptx']

export interface Upload {
  name: string
  bytes: Uint8Array
}

export interface CheckedUpload {
  name: string
  bytes: Uint8Array
  mime: string
  ext: string
  sha256: string
}

/** Checks each file: size, type by content, extension agreeing with the content. Throws on the first problem. */
export function checkUploads(files: Upload[]): CheckedUpload[] {
  if (files.length > MAX_ATTACHMENTS) {
    throw new AppError('BAD_INPUT', 'err.conv.tooManyFiles', { params: { max: MAX_ATTACHMENTS }, fields: { files: 'err.conv.tooManyFiles' } })
  }
  return files.map((file) => {
    const name = cleanFileName(file.name, 'attachment')
    const fail = (key: string, params: Record<string, string | number> = {}) =>
      new AppError('BAD_INPUT', key, { params: { name, ...params }, fields: { files: key } })
    if (file.bytes.byteLength === 0) throw fail('err.conv.fileEmpty')
    if (file.bytes.byteLength > MAX_ATTACHMENT_BYTES) throw fail('err.conv.fileTooLarge', { max: MAX_ATTACHMENT_MB })
    const type = sniffFile(file.bytes)
    if (!type || !ATTACHMENT_TYPES.includes(type.id)) throw fail('err.conv.fileType')
    const ext = extensionOf(name)
    if (!ext || !(type.extensions as readonly string[]).includes(ext)) {
      throw fail('err.conv.fileExtension', { ext: ext ? `.${ext}` : '', type: type.name })
    }
    return { name, bytes: file.bytes, mime: type.mime, ext: type.ext, sha256: createHash('sha256').update(file.bytes).digest('hex') }
  })
}

export function uploadsDir() {
  return path.resolve(getEnv().dataDir, 'uploads')
}

/** Writes checked files for a deal; returns their paths relative to the uploads folder. */
export async function storeUploads(dealId: string, files: CheckedUpload[]): Promise<string[]> {
  const written: string[] = []
  try {
    for (const file of files) {
      const relative = path.posix.join('deals', dealId, `${randomBytes(12).toString('hex')}.${file.ext}`)
      const absolute = path.join(uploadsDir(), ...relative.split('/'))
      await mkdir(path.dirname(absolute), { recursive: true })
      await writeFile(absolute, file.bytes, { flag: 'wx', mode: 0o600 })
      written.push(relative)
    }
    return written
  } catch (error) {
    await removeUploads(written)
    throw error
  }
}

/** Removes files written for a message that was then refused. */
export async function removeUploads(relatives: string[]) {
  await Promise.all(relatives.map((r) => unlink(path.join(uploadsDir(), ...r.split('/'))).catch(() => undefined)))
}

/** The absolute path of a stored file, refusing anything that would leave the uploads folder. */
export function uploadPath(relative: string): string {
  const root = uploadsDir()
  const absolute = path.resolve(root, ...relative.split('/'))
  if (!absolute.startsWith(root + path.sep)) throw new AppError('NOT_FOUND', 'err.notFound')
  return absolute
}
