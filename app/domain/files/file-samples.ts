import { crc32 } from 'node:zlib'

/**
 * Small files of each type, built as their formats lay them out, for tests (unit, database and
 * browser tests share them). Not used by the app.
 */

const ascii = (text: string) => new TextEncoder().encode(text)

/** A zip with its entries stored (no compression): enough for a reader of the central directory. */
export function zipOf(entries: Record<string, string>): Uint8Array {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, content] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8')
    const data = Buffer.from(content, 'utf8')
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    locals.push(local, nameBytes, data)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(offset, 42)
    centrals.push(central, nameBytes)
    offset += 30 + nameBytes.length + data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(entries).length, 8)
  end.writeUInt16LE(Object.keys(entries).length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return new Uint8Array(Buffer.concat([...locals, directory, end]))
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'

/** A compound file (OLE2, 512-byte sectors) whose directory holds a root and the named streams. */
export function compoundFileOf(streams: string[]): Uint8Array {
  const size = 512
  const out = Buffer.alloc(size * 3)
  const header = out.subarray(0, size)
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0)
  header.writeUInt16LE(0x3e, 0x18)
  header.writeUInt16LE(3, 0x1a)
  header.writeUInt16LE(0xfffe, 0x1c)
  header.writeUInt16LE(9, 0x1e)
  header.writeUInt16LE(6, 0x20)
  header.writeUInt32LE(1, 0x2c) // one FAT sector
  header.writeUInt32LE(1, 0x30) // the directory starts at sector 1
  header.writeUInt32LE(4096, 0x38)
  header.writeUInt32LE(0xfffffffe, 0x3c)
  header.writeUInt32LE(0xfffffffe, 0x44)
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : 0xffffffff, 0x4c + i * 4)
  const fat = out.subarray(size, size * 2)
  for (let i = 0; i < 128; i++) fat.writeUInt32LE(0xffffffff, i * 4)
  fat.writeUInt32LE(0xfffffffd, 0) // sector 0 is the FAT
  fat.writeUInt32LE(0xfffffffe, 4) // sector 1, the directory, ends its chain
  const directory = out.subarray(size * 2, size * 3)
  const names: [string, number][] = [['Root Entry', 5], ...streams.map((s): [string, number] => [s, 2])]
  names.slice(0, 4).forEach(([name, type], i) => {
    const at = i * 128
    for (let c = 0; c < name.length; c++) directory.writeUInt16LE(name.charCodeAt(c), at + c * 2)
    directory.writeUInt16LE((name.length + 1) * 2, at + 0x40)
    directory[at + 0x42] = type
  })
  return new Uint8Array(out)
}

export const SAMPLES = {
  pdf: ascii('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
  png: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
  jpeg: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]),
  gif: ascii('GIF89a\x01\x00\x01\x00'),
  webp: Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38]),
  docx: zipOf({ '[Content_Types].xml': CONTENT_TYPES, '_rels/.rels': '<Relationships/>', 'word/document.xml': '<w:document/>' }),
  xlsx: zipOf({ '[Content_Types].xml': CONTENT_TYPES, 'xl/workbook.xml': '<workbook/>' }),
  pptx: zipOf({ '[Content_Types].xml': CONTENT_TYPES, 'ppt/presentation.xml': '<p:presentation/>' }),
  doc: compoundFileOf(['WordDocument', '1Table']),
  xls: compoundFileOf(['Workbook']),
  ppt: compoundFileOf(['PowerPoint Document', 'Current User']),
  /** A Windows executable (MZ header), whatever it is called. */
  exe: Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]),
  /** A zip that is not an Office document. */
  zip: zipOf({ 'readme.txt': 'hello' }),
  /** An OLE2 file that is none of Word, Excel, PowerPoint (e.g. an .msi). */
  msi: compoundFileOf(['SummaryInformation']),
}
