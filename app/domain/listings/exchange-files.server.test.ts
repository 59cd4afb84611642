import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { decodeText, formatOf, readExchangeFile } from './exchange-files.server'

const HEADER = 'id,title,summary,field,industry,keywords,trl,transferModes,askingPrice,owner'
const ROW_1 = 'A1,高精度数控机床热误差补偿技术,基于温度场建模的热误差实时补偿方法，定位精度提升 40%。,先进制造与自动化,智能装备,数控机床;热误差,6,许可;转让,1200000,渝西理工大学'
const ROW_2 = 'A2,耐高温锂电池隔膜,静电纺丝制备的耐高温锂电池隔膜材料，热收缩率低于 2%。,新材料,能源及新材料,隔膜,5,转让,面议,永川智能装备研究院'
const CSV = [HEADER, ROW_1, ROW_2].join('\r\n') + '\r\n'

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'))
const read = (content: Uint8Array | Buffer, name = 'file.csv') => readExchangeFile('achievement', new Uint8Array(content), name)

async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  build(wb)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

describe('CSV', () => {
  it('reads UTF-8 without a BOM, rows numbered as Excel shows them (header = 1)', async () => {
    const file = await read(bytes(CSV))
    expect(file).toMatchObject({ format: 'csv', encoding: 'UTF-8', headerRow: 1, notes: [] })
    expect(file.rows.map((r) => r.row)).toEqual([2, 3])
    expect(file.rows[0]!.values).toMatchObject({ id: 'A1', title: '高精度数控机床热误差补偿技术', trl: '6', keywords: '数控机床;热误差' })
  })

  it('reads UTF-8 with a BOM (Excel “CSV UTF-8”) the same way', async () => {
    const plain = await read(bytes(CSV))
    const bom = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)]))
    expect(bom.header[0]).toBe('id')
    expect(bom.rows).toEqual(plain.rows)
  })

  it('reads GBK as Windows Excel saves “CSV (逗号分隔)”, and says it converted it', async () => {
    const plain = await read(bytes(CSV))
    const gbk = await read(iconv.encode(CSV, 'gbk'))
    expect(gbk.encoding).toBe('GB18030')
    expect(gbk.rows).toEqual(plain.rows)
    expect(gbk.notes).toEqual(['import.note.encoding?encoding=GB18030'])
    // chardet alone misjudges a short Chinese file; the decoding itself decides.
    const short = await read(iconv.encode('id,title\r\nA1,数控机床\r\n', 'gbk'))
    expect(short.rows[0]!.values.title).toBe('数控机床')
  })

  it('refuses a file that is neither UTF-8 nor GBK, saying so', async () => {
    const latin1 = iconv.encode('id,title\r\nA1,Café crème brûlée à la française\r\n', 'latin1')
    await expect(read(latin1)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/^err\.import\.encoding\?guess=/) })
    const shiftJis = iconv.encode('id,title\r\nA1,東京都の技術移転プラットフォームについての説明です\r\n', 'shift_jis')
    await expect(read(shiftJis)).rejects.toMatchObject({ message: expect.stringMatching(/^err\.import\.encoding/) })
    await expect(read(Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00]))).rejects.toMatchObject({ message: expect.stringMatching(/^err\.import\.encoding/) })
  })

  it('recognises a workbook renamed to .csv', async () => {
    const book = await xlsx((wb) => wb.addWorksheet('s').addRow(['id', 'title']))
    await expect(read(book, 'data.csv')).rejects.toMatchObject({ message: 'err.import.zipNotCsv' })
  })

  it('keeps Excel row numbers across blank lines and cells with line breaks', async () => {
    const csv = `${HEADER}\r\n\r\n"A1","多行\r\n标题内容",摘要足够长的一段文字。,新材料,智能装备,,3,转让,,某大学\r\n${ROW_2}\r\n`
    const file = await read(bytes(csv))
    expect(file.rows.map((r) => [r.row, r.values.id])).toEqual([
      [3, 'A1'],
      [4, 'A2'],
    ])
    expect(file.rows[0]!.values.title).toBe('多行\r\n标题内容')
  })

  it('accepts the Chinese column names and tabs, and lists the columns it does not know', async () => {
    const tsv = '编号\t成果名称\t成果简介\t备注\r\nA1\t标题\t摘要\t内部备注\r\n'
    const file = await read(bytes(tsv))
    expect(file.rows[0]!.values).toEqual({ id: 'A1', title: '标题', summary: '摘要' })
    expect(file.notes).toEqual(['import.note.unknownColumns?columns=%E5%A4%87%E6%B3%A8'])
  })

  it('takes off the quote an export puts before formula-like text', async () => {
    const file = await read(bytes(`id,title\r\nA1,"'=SUM(A1:A2) 不是公式"\r\nA2,'普通引号开头\r\n`))
    expect(file.rows.map((r) => r.values.title)).toEqual(['=SUM(A1:A2) 不是公式', "'普通引号开头"])
  })

  it('reports an unclosed quote with its row', async () => {
    await expect(read(bytes(`id,title\r\nA1,ok\r\nA2,"never closed\r\n`))).rejects.toMatchObject({ message: 'err.import.csvQuotes?row=3' })
  })

  it('says when there are no data rows', async () => {
    await expect(read(bytes(`${HEADER}\r\n\r\n`))).rejects.toMatchObject({ message: 'err.import.empty' })
    await expect(read(bytes('\r\n\r\n'))).rejects.toMatchObject({ message: 'err.import.empty' })
  })

  it('decodes UTF-16 with a BOM', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('id\ttitle\r\nA1\t标题\r\n', 'utf16le')])
    expect(decodeText(utf16)).toEqual({ text: 'id\ttitle\r\nA1\t标题\r\n', encoding: 'UTF-16LE' })
  })
})

describe('XLSX', () => {
  it('imports the first sheet with the header, ignores the others and says so; cells keep their Excel row', async () => {
    const book = await xlsx((wb) => {
      const help = wb.addWorksheet('填写说明')
      help.addRow(['请按下表填写，带 * 的列必填'])
      help.addRow(['title', '成果名称'])
      const data = wb.addWorksheet('成果清单')
      data.addRow([])
      data.addRow(['id', 'title', 'summary', 'trl', 'askingPrice', 'keywords', 'owner'])
      data.addRow([1001, '高精度数控机床热误差补偿技术', { richText: [{ text: '富文本' }, { text: '摘要内容' }] }, 6, 1200000.5, '数控;补偿', { text: '渝西理工大学', hyperlink: 'https://example.cn' }])
      data.addRow([])
      data.addRow(['A2', { formula: '"公式"&"标题"', result: '公式标题' }, '摘要', 7, null, null, '某研究院'])
      wb.addWorksheet('备用').addRow(['id', 'title'])
    })
    const file = await read(book, 'listings.xlsx')
    expect(file).toMatchObject({ format: 'xlsx', sheet: '成果清单', headerRow: 2 })
    expect(file.notes).toEqual([
      'import.note.sheetUsed?sheet=%E6%88%90%E6%9E%9C%E6%B8%85%E5%8D%95',
      'import.note.sheetIgnored?sheet=%E5%A1%AB%E5%86%99%E8%AF%B4%E6%98%8E',
      'import.note.sheetIgnored?sheet=%E5%A4%87%E7%94%A8',
    ])
    expect(file.rows.map((r) => r.row)).toEqual([3, 5])
    expect(file.rows[0]!.values).toEqual({
      id: 1001,
      title: '高精度数控机床热误差补偿技术',
      summary: '富文本摘要内容',
      trl: 6,
      askingPrice: 1200000.5,
      keywords: '数控;补偿',
      owner: '渝西理工大学',
    })
    expect(file.rows[1]!.values.title).toBe('公式标题')
  })

  it('reads date cells as ISO dates', async () => {
    const book = await xlsx((wb) => {
      const s = wb.addWorksheet('需求')
      s.addRow(['id', 'title', 'deadline'])
      s.addRow(['D1', '需求', new Date(Date.UTC(2027, 5, 30))])
    })
    const file = await readExchangeFile('demand', new Uint8Array(book), 'd.xlsx')
    expect(file.rows[0]!.values.deadline).toBe('2027-06-30')
  })

  it('uses the first sheet when none has the header, so the report names the missing columns', async () => {
    const book = await xlsx((wb) => wb.addWorksheet('Sheet1').addRow(['名称', '说明']))
    const file = await read(book, 'x.xlsx')
    expect(file.header).toEqual(['名称', '说明'])
  })

  it('refuses a damaged workbook and the old .xls format', async () => {
    const book = await xlsx((wb) => wb.addWorksheet('s').addRow(['id']))
    await expect(read(book.subarray(0, 200), 'x.xlsx')).rejects.toMatchObject({ message: 'err.import.xlsx' })
    await expect(read(bytes(CSV), 'x.xlsx')).rejects.toMatchObject({ message: 'err.import.xlsx' })
    await expect(read(book, 'old.xls')).rejects.toMatchObject({ message: 'err.import.xls' })
  })
})

describe('JSON', () => {
  it('reads an array of objects; rows are array indexes; arrays and numbers stay as they are', async () => {
    const json = JSON.stringify([
      { id: 'A1', title: '标题', keywords: ['数控', '补偿'], trl: 6, askingPrice: null, 成果简介: '中文键也可以', extra: 1 },
      { id: 'A2', title: '标题二' },
    ])
    const file = await read(bytes(json), 'a.json')
    expect(file).toMatchObject({ format: 'json', headerRow: 0 })
    expect(file.rows).toEqual([
      { row: 0, values: { id: 'A1', title: '标题', keywords: ['数控', '补偿'], trl: 6, askingPrice: null, summary: '中文键也可以' } },
      { row: 1, values: { id: 'A2', title: '标题二' } },
    ])
    expect(file.notes).toEqual(['import.note.unknownColumns?columns=extra'])
  })

  it('says what is wrong with malformed or misshapen JSON', async () => {
    await expect(read(bytes('[{"id": 1,}]'), 'a.json')).rejects.toMatchObject({ message: expect.stringMatching(/^err\.import\.json\?detail=/) })
    await expect(read(bytes('{"id": 1}'), 'a.json')).rejects.toMatchObject({ message: 'err.import.jsonShape' })
    await expect(read(bytes('[1, 2]'), 'a.json')).rejects.toMatchObject({ message: 'err.import.jsonShape' })
    await expect(read(bytes('[]'), 'a.json')).rejects.toMatchObject({ message: 'err.import.empty' })
    await expect(read(iconv.encode('[{"title": "标题"}]', 'gbk'), 'a.json')).rejects.toMatchObject({ message: expect.stringMatching(/^err\.import\.encoding/) })
  })
})

describe('file types', () => {
  it('goes by the extension and refuses the others clearly', () => {
    expect(formatOf('成果.CSV')).toBe('csv')
    expect(formatOf('/tmp/a.b.xlsx')).toBe('xlsx')
    expect(formatOf('x.json')).toBe('json')
    expect(() => formatOf('notes.txt')).toThrow(expect.objectContaining({ message: 'err.import.fileType?name=notes.txt' }))
    expect(() => formatOf('old.xls')).toThrow(expect.objectContaining({ message: 'err.import.xls' }))
  })
})
