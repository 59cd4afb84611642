import { describe, expect, it } from 'vitest'
import { canonicalJson, orderMilestones, termsHash, versionTerms, type VersionTerms } from './terms'

const base = (): VersionTerms =>
  versionTerms(
    {
      title: '工业机器人视觉引导无序抓取技术许可',
      type: 'LICENSE',
      subtype: 'LICENSE_PATENT',
      exclusivity: 'SOLE',
      field: 'ADVANCED_MANUFACTURING',
      industry: 'INTELLIGENT_EQUIPMENT',
      ipType: 'INVENTION_PATENT',
      ipNumbers: ['ZL202310567812.4'],
      amountFen: 80_000_000,
      techAmountFen: 72_000_000,
      paymentMethod: 'INSTALMENTS',
      royaltyRateBp: null,
      entryFeeFen: null,
      termStart: '2026-01-01',
      termEnd: '2030-12-31',
      milestones: [
        { title: '尾款', dueDate: '2026-09-30', amountFen: 50_000_000 },
        { title: '首付款', dueDate: '2026-01-15', amountFen: 30_000_000 },
      ],
      termsText: '不进入哈希的 termsText 字段',
    },
    {
      seller: { orgId: 's1', name: '永川智能装备研究院', creditCode: '12500118MB34567890' },
      buyer: { orgId: 'b1', name: '重庆永锋精密机械有限公司', creditCode: null },
      broker: null,
    },
  )

describe('canonical terms', () => {
  it('sorts keys at every depth, so key order never changes the bytes', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}')
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }))
  })

  it('writes bigints and dates as strings, drops undefined members and refuses NaN', () => {
    expect(canonicalJson({ fen: 12n, at: new Date('2026-01-01T00:00:00Z'), gone: undefined })).toBe('{"at":"2026-01-01T00:00:00.000Z","fen":"12"}')
    expect(() => canonicalJson({ x: Number.NaN })).toThrow()
  })

  it('orders milestones by due date and numbers them', () => {
    expect(base().milestones.map((m) => [m.seq, m.title])).toEqual([
      [1, '首付款'],
      [2, '尾款'],
    ])
    expect(orderMilestones([{ title: ' a ', dueDate: '2026-01-01', amountFen: 1 }, { title: 'b', dueDate: '2026-01-01', amountFen: 2 }]).map((m) => m.title)).toEqual(['a', 'b'])
  })

  it('takes the terms only, whatever else the caller’s object carries, and null for what is missing', () => {
    const extra = { ...base(), sellerOrgId: 's1', matchId: 'm1', termsText: 'x', milestones: [], field: undefined } as never
    const vt = versionTerms(extra, { seller: base().seller, buyer: base().buyer, broker: null })
    expect(vt).not.toHaveProperty('sellerOrgId')
    expect(vt).not.toHaveProperty('matchId')
    expect(vt.field).toBeNull()
  })

  it('is not part of the version terms: the text is hashed beside them', () => {
    expect(base()).not.toHaveProperty('termsText')
  })
})

describe('termsHash', () => {
  it('is a sha256 hex digest, stable across key order and line endings', () => {
    const terms = base()
    const hash = termsHash(terms, '第一条 许可范围\n第二条 费用')
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    const shuffled = JSON.parse(JSON.stringify(terms, Object.keys(terms).reverse())) as VersionTerms
    expect(termsHash({ ...shuffled, ...terms }, '第一条 许可范围\r\n第二条 费用\r\n')).toBe(hash)
    // what the database gives back (Json) hashes the same
    expect(termsHash(JSON.parse(JSON.stringify(terms)) as VersionTerms, '第一条 许可范围\n第二条 费用')).toBe(hash)
  })

  it('changes with any term, any party or the text', () => {
    const terms = base()
    const hash = termsHash(terms, '条款')
    const variants: VersionTerms[] = [
      { ...terms, amountFen: terms.amountFen + 1 },
      { ...terms, techAmountFen: terms.techAmountFen - 1 },
      { ...terms, exclusivity: 'EXCLUSIVE' },
      { ...terms, milestones: terms.milestones.map((m, i) => (i === 0 ? { ...m, dueDate: '2026-01-16' } : m)) },
      { ...terms, buyer: { ...terms.buyer, name: '重庆永锋精密机械股份有限公司' } },
      { ...terms, ipNumbers: [] },
    ]
    for (const v of variants) expect(termsHash(v, '条款')).not.toBe(hash)
    expect(termsHash(terms, '条款。')).not.toBe(hash)
  })
})
