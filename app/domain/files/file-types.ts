/**
 * What an uploaded file is, judged by its bytes (the magic number and, for Office files, the
 * container's table of contents), never by its name or the type the browser claims. Shared by
 * payment receipts and deal attachments; each decides which of these types it accepts.
 */

export const FILE_TYPES = {
  pdf: { mime: 'application/pdf', ext: 'pdf', extensions: ['pdf'], name: 'PDF' },
  png: { mime: 'image/png', ext: 'png', extensions: ['png'], name: 'PNG' },
  jpeg: { mime: 'image/jpeg', ext: 'jpg', extensions: ['jpg', 'jpeg'], name: 'JPEG' },
  gif: { mime: 'image/gif', ext: 'gif', extensions: ['gif'], name: 'GIF' },
  webp: { mime: 'image/webp', ext: 'webp', extensions: ['webp'], name: 'WebP' },
  doc: { mime: 'application/msword', ext: 'doc', extensions: ['doc'], name: 'Word (.doc)' },
  xls: { mime: 'application/vnd.ms-excel', ext: 'xls', extensions: ['xls'], name: 'Excel (.xls)' },
  ppt: { mime: 'application/vnd.ms-powerpoint', ext: 'ppt', extensions: ['ppt'], name: 'PowerPoint (.ppt)' },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ext: 'docx',
    extensions: ['docx'],
    name: 'Word (.docx)',
  },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx', extensions: ['xlsx'], name: 'Excel (.xlsx)' },
  pptx: {
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ext: 'pptx',
    extensions: ['pptx'],
    name: 'PowerPoint (.pptx)',
  },
} as const

export type FileTypeId = keyof typeof FILE_TYPES
export type FileType = (typeof FILE_TYPES)[FileTypeId] & { id: FileTypeId }

const typeOf = (id: FileTypeId): FileType => ({ ...FILE_TYPES[id], id })

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0) => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b)

const ZIP = [0x50, 0x4b, 0x03, 0x04]
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]

/** The type of these bytes, or null when they are none of the known types. */
export function sniffFile(bytes: Uint8Array): FileType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return typeOf('pdf') // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return typeOf('png')
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return typeOf('jpeg')
  // GIF87a / GIF89a
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return typeOf('gif')
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return typeOf('webp')
  if (startsWith(bytes, ZIP)) return officeOpenXml(bytes)
  if (startsWith(bytes, CFB)) return compoundOffice(bytes)
  return null
}

/** The extension of a file name, lower case, without the dot; null when it has none. */
export function extensionOf(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? ''
  const dot = base.lastIndexOf('.')
  if (dot <= 0 || dot === base.length - 1) return null
  return base.slice(dot + 1).toLowerCase()
}

/** A file name safe to show and to store in the database: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string, fallback = 'file'): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200)
  return clean || fallback
}

// ─── Office Open XML (docx, xlsx, pptx): a zip whose entries say which ─────────────────

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8)
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0

/** The names in a zip's central directory; null when the archive is not readable. */
function zipEntryNames(bytes: Uint8Array): string[] | null {
  // The end-of-central-directory record sits in the last 22 bytes plus a comment of up to 64 KiB.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff)
  let eocd = -1
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (u32(bytes, at) === 0x06054b50) {
      eocd = at
      break
    }
  }
  if (eocd < 0) return null
  const count = u16(bytes, eocd + 10)
  let at = u32(bytes, eocd + 16)
  const names: string[] = []
  const decoder = new TextDecoder('utf-8')
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50) return null
    const nameLength = u16(bytes, at + 28)
    const extra = u16(bytes, at + 30)
    const comment = u16(bytes, at + 32)
    if (at + 46 + nameLength > bytes.length) return null
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)))
    at += 46 + nameLength + extra + comment
  }
  return names
}

function officeOpenXml(bytes: Uint8Array): FileType | null {
  const names = zipEntryNames(bytes)
  if (!names || !names.includes('[Content_Types].xml')) return null
  if (names.some((n) => n.startsWith('word/'))) return typeOf('docx')
  if (names.some((n) => n.startsWith('xl/'))) return typeOf('xlsx')
  if (names.some((n) => n.startsWith('ppt/'))) return typeOf('pptx')
  return null
}

// ─── Compound File Binary (doc, xls, ppt): the directory names the main stream ─────────

const END_OF_CHAIN = 0xfffffffe
const FREE = 0xffffffff

/** The names in a compound file's directory; null when the file is not readable. */
function compoundEntryNames(bytes: Uint8Array): string[] | null {
  if (bytes.length < 512) return null
  const shift = u16(bytes, 0x1e)
  if (shift !== 9 && shift !== 12) return null
  const size = 1 << shift
  const sectors = Math.floor((bytes.length - size) / size)
  const sectorAt = (n: number) => (n + 1) * size
  const valid = (n: number) => n < sectors

  // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
  const fatCount = u32(bytes, 0x2c)
  if (fatCount > sectors) return null
  const fatSectors: number[] = []
  for (let i = 0; i < Math.min(fatCount, 109); i++) fatSectors.push(u32(bytes, 0x4c + i * 4))
  let difat = u32(bytes, 0x44)
  for (let guard = 0; fatSectors.length < fatCount && difat !== END_OF_CHAIN && difat !== FREE; guard++) {
    if (!valid(difat) || guard > sectors) return null
    const base = sectorAt(difat)
    const per = size / 4 - 1
    for (let i = 0; i < per && fatSectors.length < fatCount; i++) fatSectors.push(u32(bytes, base + i * 4))
    difat = u32(bytes, base + per * 4)
  }
  const next = (n: number): number | null => {
    const perSector = size / 4
    const fatSector = fatSectors[Math.floor(n / perSector)]
    if (fatSector === undefined || !valid(fatSector)) return null
    return u32(bytes, sectorAt(fatSector) + (n % perSector) * 4)
  }

  const names: string[] = []
  let sector = u32(bytes, 0x30)
  for (let guard = 0; sector !== END_OF_CHAIN; guard++) {
    if (!valid(sector) || guard > sectors) return null
    const base = sectorAt(sector)
    for (let entry = 0; entry < size / 128; entry++) {
      const at = base + entry * 128
      const nameBytes = u16(bytes, at + 0x40)
      const type = bytes[at + 0x42]
      if (type === 0 || nameBytes < 2 || nameBytes > 64) continue
      let name = ''
      for (let i = 0; i < nameBytes - 2; i += 2) name += String.fromCharCode(u16(bytes, at + i))
      names.push(name)
    }
    const following = next(sector)
    if (following === null) return null
    sector = following
  }
  return names
}

function compoundOffice(bytes: Uint8Array): FileType | null {
  const names = compoundEntryNames(bytes)?.map((n) => n.toLowerCase())
  if (!names) return null
  if (names.includes('worddocument')) return typeOf('doc')
  if (names.includes('workbook') || names.includes('book')) return typeOf('xls')
  if (names.includes('powerpoint document')) return typeOf('ppt')
  return null
}
