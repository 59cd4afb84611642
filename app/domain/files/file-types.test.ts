import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { compoundFileOf, SAMPLES, zipOf } from './file-samples'
import { cleanFileName, extensionOf, FILE_TYPES, sniffFile, type FileTypeId } from './file-types'

describe('sniffFile', () => {
  it('recognises PDF, PNG, JPEG, GIF, WebP and the six Office formats by their bytes', () => {
    const expected: Record<string, FileTypeId> = {
      pdf: 'pdf', png: 'png', jpeg: 'jpeg', gif: 'gif', webp: 'webp',
      doc: 'doc', xls: 'xls', ppt: 'ppt', docx: 'docx', xlsx: 'xlsx', pptx: 'pptx',
    }
    for (const [sample, id] of Object.entries(expected)) {
      const type = sniffFile(SAMPLES[sample as keyof typeof SAMPLES])
      expect(type?.id, sample).toBe(id)
      expect(type?.mime).toBe(FILE_TYPES[id].mime)
    }
  })

  it('recognises a real workbook written by exceljs as xlsx', async () => {
    const workbook = new ExcelJS.Workbook()
    workbook.addWorksheet('成果').addRow(['标题', '数控机床热误差补偿'])
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer())
    expect(sniffFile(bytes)?.id).toBe('xlsx')
  })

  it('refuses an executable, text, an empty file, a plain zip, another compound file and broken containers', () => {
    expect(sniffFile(SAMPLES.exe)).toBeNull()
    expect(sniffFile(new TextEncoder().encode('hello.pdf'))).toBeNull()
    expect(sniffFile(new TextEncoder().encode('<html><script>alert(1)</script></html>'))).toBeNull()
    expect(sniffFile(new Uint8Array())).toBeNull()
    expect(sniffFile(SAMPLES.zip)).toBeNull()
    expect(sniffFile(SAMPLES.msi)).toBeNull()
    // A zip naming word/ but without [Content_Types].xml is not a Word document.
    expect(sniffFile(zipOf({ 'word/document.xml': '<x/>' }))).toBeNull()
    // Cut off before its central directory.
    expect(sniffFile(SAMPLES.docx.subarray(0, 60))).toBeNull()
    // The compound-file magic with nothing behind it; one whose directory chain points outside the file.
    expect(sniffFile(compoundFileOf(['WordDocument']).subarray(0, 520))).toBeNull()
    const broken = compoundFileOf(['WordDocument'])
    new DataView(broken.buffer).setUint32(0x30, 9999, true)
    expect(sniffFile(broken)).toBeNull()
    // GIF needs GIF87a or GIF89a; RIFF without WEBP is a WAV.
    expect(sniffFile(new TextEncoder().encode('GIF88a'))).toBeNull()
    expect(sniffFile(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]))).toBeNull()
  })
})

describe('file names', () => {
  it('reads the extension in lower case, none for dot files and names without one', () => {
    expect(extensionOf('报告.PDF')).toBe('pdf')
    expect(extensionOf('a.tar.gz')).toBe('gz')
    expect(extensionOf('C:\\x\\y.docx')).toBe('docx')
    expect(extensionOf('README')).toBeNull()
    expect(extensionOf('.bashrc')).toBeNull()
    expect(extensionOf('trailing.')).toBeNull()
  })

  it('keeps only the base name, without control characters', () => {
    expect(cleanFileName('C:\\Users\\me\\方案.docx')).toBe('方案.docx')
    expect(cleanFileName('../../etc/passwd')).toBe('passwd')
    expect(cleanFileName('a\u0000b.png')).toBe('ab.png')
    expect(cleanFileName('', 'attachment')).toBe('attachment')
  })
})
