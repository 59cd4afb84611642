import { describe, expect, it } from 'vitest'
import { translator } from '~/i18n/i18n'
import {
  describeError,
  EXCHANGE_COLUMNS,
  exportColumns,
  matchHeader,
  normaliseDate,
  toCell,
  toExchangeRow,
  validateRow,
  validateRows,
  type CellValue,
  type ParsedFile,
} from './exchange'
import { todayInChina } from './schemas'

const achievement = (over: Record<string, CellValue> = {}) => ({
  id: 'A1',
  title: '高精度数控机床热误差补偿技术',
  summary: '基于温度场建模的数控机床热误差实时补偿方法，定位精度提升 40%。',
  field: '先进制造与自动化',
  industry: '智能装备',
  keywords: '数控机床;热误差',
  trl: '6',
  transferModes: '许可;转让',
  askingPrice: '1200000',
  owner: '渝西理工大学',
  ...over,
})

const csvFile = (rows: Record<string, CellValue>[], header = Object.keys(rows[0]!)): ParsedFile => ({
  format: 'csv',
  header,
  headerRow: 1,
  rows: rows.map((values, i) => ({ row: i + 2, values })),
  notes: [],
})

const errorsOf = (values: Record<string, CellValue>, kind: 'achievement' | 'demand' | 'scenario' = 'achievement') =>
  validateRow(kind, { row: 7, values }, { ownersFromFile: true }).errors.map((e) => [e.column, e.key])

const inDays = (days: number) => new Date(Date.now() + days * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10)

describe('a row of the exchange format', () => {
  it('becomes a listing input: Chinese names to codes, yuan to fen, lists split', () => {
    const { record } = validateRow('achievement', { row: 2, values: achievement() }, { ownersFromFile: true })
    expect(record).toMatchObject({
      row: 2,
      externalId: 'A1',
      owner: { name: '渝西理工大学' },
      input: { field: 'ADVANCED_MANUFACTURING', industry: 'INTELLIGENT_EQUIPMENT', trl: 6, transferModes: ['LICENSE', 'TRANSFER'], askingPrice: 120000000, keywords: ['数控机床', '热误差'] },
    })
  })

  it('accepts codes as well as Chinese names, and 面议 or nothing for the price', () => {
    for (const askingPrice of ['面议', '', null]) {
      const { record } = validateRow('achievement', { row: 2, values: achievement({ field: 'NEW_MATERIALS', transferModes: ['LICENSE'], askingPrice }) }, { ownersFromFile: true })
      expect(record?.input).toMatchObject({ field: 'NEW_MATERIALS', askingPrice: null })
    }
  })

  it('refuses TRL 0 and 10', () => {
    expect(errorsOf(achievement({ trl: 0 }))).toEqual([['trl', 'err.trl']])
    expect(errorsOf(achievement({ trl: '10' }))).toEqual([['trl', 'err.trl']])
    expect(errorsOf(achievement({ trl: '6.5' }))).toEqual([['trl', 'err.trl']])
  })

  it('refuses negative, malformed and absurd prices', () => {
    expect(errorsOf(achievement({ askingPrice: '-5' }))).toEqual([['askingPrice', 'err.negativeAmount']])
    expect(errorsOf(achievement({ askingPrice: 1e12 }))).toEqual([['askingPrice', expect.stringMatching(/^err\.amountTooLarge/)]])
    expect(errorsOf(achievement({ askingPrice: '12.345' }))).toEqual([['askingPrice', 'err.amount']])
    expect(errorsOf(achievement({ askingPrice: '一百万' }))).toEqual([['askingPrice', 'err.amount']])
  })

  it('refuses deadlines in the past, and reads the dates Excel users write', () => {
    const demand = (deadline: CellValue) => ({
      id: 'D1',
      title: '压铸件气孔缺陷在线检测',
      description: '我们的铝合金压铸件气孔率偏高，需要一套在线检测方案。',
      industry: '汽车及零部件',
      field: '先进制造与自动化',
      cooperationModes: '合作开发',
      enterprise: '重庆永锋精密机械有限公司',
      deadline,
    })
    expect(errorsOf(demand(inDays(-2)), 'demand')).toEqual([['deadline', 'err.deadlinePast']])
    expect(errorsOf(demand('2027-02-30'), 'demand')).toEqual([['deadline', 'err.date']])
    expect(errorsOf(demand('明年'), 'demand')).toEqual([['deadline', 'err.date']])
    const today = todayInChina()
    const { record } = validateRow('demand', { row: 2, values: demand(today.replace(/-0?/g, '/')) }, { ownersFromFile: true })
    expect(record?.input).toMatchObject({ deadline: today })
    expect(normaliseDate('2030年6月1日')).toBe('2030-06-01')
    expect(normaliseDate('2030-06-01T00:00:00Z')).toBe('2030-06-01')
  })

  it('refuses a 1 MB title without echoing it', () => {
    const errors = validateRow('achievement', { row: 2, values: achievement({ title: '长'.repeat(1024 * 1024) }) }, { ownersFromFile: true }).errors
    expect(errors).toEqual([{ row: 2, column: 'title', key: 'err.tooLong?max=200' }])
    expect(describeError(errors[0]!, translator('zh-CN'))).toEqual({ row: 2, column: 'title', code: 'err.tooLong', message: '不能超过 200 个字符' })
  })

  it('keeps HTML in text as text', () => {
    const title = '<script>alert("x")</script><b>热误差</b>补偿'
    const { record } = validateRow('achievement', { row: 2, values: achievement({ title, summary: `${title} 的详细说明，足够十个字。` }) }, { ownersFromFile: true })
    expect(record?.input).toMatchObject({ title, summary: `${title} 的详细说明，足够十个字。` })
  })

  it('names unknown classification values by column', () => {
    expect(errorsOf(achievement({ field: '量子计算', industry: 'SPACE', transferModes: '赠送', stage: '量产' }))).toEqual([
      ['field', 'err.field'],
      ['industry', 'err.industry'],
      ['stage', 'err.stage'],
      ['transferModes', 'err.transferMode'],
    ])
  })

  it('requires the id, the owner and the required fields', () => {
    expect(errorsOf(achievement({ id: '', owner: null, summary: '短', transferModes: '' }))).toEqual([
      ['id', 'err.required'],
      ['summary', 'err.tooShort?min=10'],
      ['transferModes', 'err.transferModesRequired'],
      ['owner', 'err.required'],
    ])
    expect(errorsOf(achievement({ owner: '<坏名字>', ownerRegion: '5001' }))).toEqual([
      ['owner', 'err.orgName'],
      ['ownerRegion', 'err.region'],
    ])
  })

  it('ignores the owner when the importer owns every row', () => {
    const { record, errors } = validateRow('achievement', { row: 2, values: achievement({ owner: null }) }, { ownersFromFile: false })
    expect(errors).toEqual([])
    expect(record?.owner).toBeUndefined()
  })

  it('reads numbers where text is meant (ids, phone numbers from a spreadsheet)', () => {
    const { record } = validateRow('achievement', { row: 2, values: achievement({ id: 1001, contactPhone: 13800138000 }) }, { ownersFromFile: true })
    expect(record).toMatchObject({ externalId: '1001', input: { contactPhone: '13800138000' } })
  })

  it('reads the confidential flag strictly: a flag it cannot read is an error, not “public”', () => {
    const demand = (confidential: CellValue) => ({
      id: 'D1',
      title: '压铸件气孔缺陷在线检测',
      description: '我们的铝合金压铸件气孔率偏高，需要一套在线检测方案。',
      industry: '汽车及零部件',
      field: '先进制造与自动化',
      cooperationModes: '合作开发',
      enterprise: '重庆永锋精密机械有限公司',
      confidential,
    })
    for (const [value, flag] of [['是', true], ['TRUE', true], [true, true], [1, true], ['否', false], ['false', false], [null, false]] as const) {
      expect(validateRow('demand', { row: 2, values: demand(value) }, { ownersFromFile: true }).record?.input, String(value)).toMatchObject({ confidential: flag })
    }
    expect(errorsOf(demand('保密的'), 'demand')).toEqual([['confidential', 'err.import.boolean']])
  })

  it('checks a scenario batch number', () => {
    const scenario = { id: 'S1', title: '城市道路积水监测', description: '在全区 30 处易涝点开展道路积水智能监测。', sector: '大数据及软件服务', batch: '2026年第1批' }
    expect(validateRow('scenario', { row: 2, values: scenario }, { ownersFromFile: false }).record?.batch).toBe('2026年第1批')
    expect(errorsOf({ ...scenario, batch: '第'.repeat(51) }, 'scenario')).toEqual([['batch', 'err.tooLong?max=50']])
  })
})

describe('a whole file', () => {
  it('reports a later row with an id already used, naming the first row', () => {
    const file = csvFile([achievement(), achievement({ id: 'A2' }), achievement({ title: '另一项成果' }), achievement({ id: 'A2', trl: 12 })])
    const { records, errors, invalidRows } = validateRows('achievement', file, { ownersFromFile: true })
    expect(records.map((r) => r.row)).toEqual([2, 3])
    expect(invalidRows).toBe(2)
    expect(errors).toEqual([
      { row: 4, column: 'id', key: 'err.import.duplicateId?row=2' },
      { row: 5, column: 'trl', key: 'err.trl' },
      { row: 5, column: 'id', key: 'err.import.duplicateId?row=3' },
    ])
  })

  it('reports missing required columns once, on the header row', () => {
    const file = csvFile([{ id: 'A1', title: '标题' }])
    const { errors, records } = validateRows('achievement', file, { ownersFromFile: true })
    expect(records).toEqual([])
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [1, 'summary'],
      [1, 'field'],
      [1, 'industry'],
      [1, 'trl'],
      [1, 'transferModes'],
      [1, 'owner'],
    ])
    expect(errors[0]!.key).toBe('err.import.missingColumn?column=summary')
    // Without owners in the file, the owner column is not needed.
    expect(validateRows('achievement', csvFile([achievement({ owner: null })], Object.keys(achievement()).filter((k) => k !== 'owner')), { ownersFromFile: false }).errors).toEqual([])
  })

  it('matches headers by key in any case or by Chinese name', () => {
    expect(matchHeader('demand', ['ID', '需求名称', 'Budget', '备注', '\uFEFFdeadline'])).toEqual(['id', 'title', 'budget', null, 'deadline'])
    for (const kind of ['achievement', 'demand', 'scenario'] as const) {
      const labels = EXCHANGE_COLUMNS[kind].map((c) => c.label)
      expect(new Set(labels).size, kind).toBe(labels.length)
    }
  })
})

describe('an exported row', () => {
  const row = {
    id: 'cm1',
    title: '=HYPERLINK("x") 热误差补偿',
    summary: '基于温度场建模的数控机床热误差实时补偿方法。',
    field: 'ADVANCED_MANUFACTURING',
    industry: 'INTELLIGENT_EQUIPMENT',
    keywords: ['数控机床', '热误差'],
    trl: 6,
    stage: 'PILOT',
    ipType: 'INVENTION_PATENT',
    ipNumbers: ['ZL1', 'ZL2'],
    ipStatus: '已授权',
    transferModes: ['LICENSE', 'TRANSFER'],
    askingPriceFen: 120000050n,
    confidentialDetails: '补偿模型参数表',
    contactPhone: '13800138000',
    org: { name: '渝西理工大学', regionCode: '500118' },
  }

  it('writes Chinese names and yuan, and never the confidential details or contacts', () => {
    const out = toExchangeRow('achievement', row)
    expect(Object.keys(out)).toEqual(exportColumns('achievement'))
    expect(out).toMatchObject({ field: '先进制造与自动化', stage: '中试', ipType: '发明专利', transferModes: ['许可', '转让'], askingPrice: 1200000.5, owner: '渝西理工大学' })
    expect(JSON.stringify(out)).not.toMatch(/补偿模型参数表|13800138000/)
  })

  it('leaves a confidential demand’s details empty', () => {
    const demand = { id: 'd', title: 't', description: '描述', confidential: true, currentSituation: '秘密现状', targetIndicators: '秘密指标', constraints: '秘密约束', budgetFen: null, deadline: new Date('2027-06-30T00:00:00Z'), org: { name: '企业', regionCode: '500118' } }
    const out = toExchangeRow('demand', demand)
    expect(out).toMatchObject({ confidential: true, currentSituation: null, targetIndicators: null, constraints: null, budget: null, deadline: '2027-06-30' })
    expect(toExchangeRow('demand', { ...demand, confidential: false })).toMatchObject({ currentSituation: '秘密现状' })
  })

  it('reads back as the same input (cells as a spreadsheet holds them)', () => {
    const out = toExchangeRow('achievement', row)
    const cells = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, toCell(k, v)]))
    expect(cells).toMatchObject({ keywords: '数控机床;热误差', askingPrice: 1200000.5, transferModes: '许可;转让' })
    const { record } = validateRow('achievement', { row: 2, values: cells }, { ownersFromFile: true })
    expect(record?.input).toMatchObject({ title: row.title, askingPrice: 120000050, ipNumbers: ['ZL1', 'ZL2'], field: 'ADVANCED_MANUFACTURING', stage: 'PILOT' })
    expect(toCell('askingPrice', null)).toBe('面议')
    expect(toCell('confidential', false)).toBe('否')
  })
})
