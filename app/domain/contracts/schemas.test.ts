import { describe, expect, it } from 'vitest'
import { CONTRACT_SUBTYPES, CONTRACT_TYPES, rulesInForce } from './classification'
import { ContractDraftSchema, ContractTermsSchema, draftFormToInput, MAX_FEN, RegisterSchema, termsProblems, yuanText, type ContractTerms } from './schemas'

/** A form as the browser posts it (strings), a lump-sum development contract of ¥500,000. */
const form = (over: Record<string, unknown> = {}) => ({
  title: '主轴箱体孔系加工工艺优化技术开发',
  type: 'DEVELOPMENT',
  subtype: 'DEV_COMMISSIONED',
  sellerOrgId: 'seller1',
  buyerOrgId: 'buyer1',
  amount: '500000',
  techAmount: '450000.50',
  paymentMethod: 'LUMP_SUM',
  milestones: [{ title: '验收后一次付清', dueDate: '2026-12-31', amount: '500000' }],
  termsText: '甲方委托乙方开发主轴箱体孔系在线检测与补偿工艺。',
  ...over,
})

const terms = (over: Partial<ContractTerms> = {}): ContractTerms => ({
  title: '数控机床热误差补偿专利实施许可',
  type: 'LICENSE',
  subtype: 'LICENSE_PATENT',
  exclusivity: 'ORDINARY',
  field: 'ADVANCED_MANUFACTURING',
  industry: 'INTELLIGENT_EQUIPMENT',
  ipType: 'INVENTION_PATENT',
  ipNumbers: ['ZL202210345678.1'],
  amountFen: 100_000_00,
  techAmountFen: 100_000_00,
  paymentMethod: 'INSTALMENTS',
  royaltyRateBp: null,
  entryFeeFen: null,
  termStart: '2026-01-01',
  termEnd: '2028-12-31',
  milestones: [
    { title: '首付款', dueDate: '2026-02-01', amountFen: 40_000_00 },
    { title: '尾款', dueDate: '2026-08-01', amountFen: 60_000_00 },
  ],
  termsText: '许可方许可被许可方在重庆市范围内实施专利。',
  ...over,
})

const keys = (t: ContractTerms) => termsProblems(t).map((p) => `${p.path}: ${p.key.split('?')[0]}`)

function errorsOf(input: Record<string, unknown>) {
  const result = ContractDraftSchema.safeParse(input)
  if (result.success) return {}
  const out: Record<string, string[]> = {}
  for (const issue of result.error.issues) (out[issue.path.join('.')] ??= []).push(issue.message.split('?')[0]!)
  return out
}

describe('contract draft form', () => {
  it('turns yuan into integer fen and drops blank milestone rows', () => {
    const parsed = ContractDraftSchema.parse(form({ milestones: [{ title: '', dueDate: '', amount: '' }, { title: '一次付清', dueDate: '2026-12-31', amount: '500,000' }, {}] }))
    const input = draftFormToInput(parsed)
    expect(input).toMatchObject({ amountFen: 50_000_000, techAmountFen: 45_000_050, exclusivity: null, royaltyRateBp: null, entryFeeFen: null })
    expect(input.milestones).toEqual([{ title: '一次付清', dueDate: '2026-12-31', amountFen: 50_000_000 }])
  })

  it('accepts the Chinese names of types, subtypes and methods', () => {
    const input = draftFormToInput(ContractDraftSchema.parse(form({ type: '技术开发', subtype: '合作开发', paymentMethod: '一次总付' })))
    expect(input).toMatchObject({ type: 'DEVELOPMENT', subtype: 'DEV_COOPERATIVE', paymentMethod: 'LUMP_SUM' })
  })

  it('refuses a technical transaction amount above the contract amount', () => {
    expect(errorsOf(form({ techAmount: '500000.01' }))).toEqual({ techAmount: ['err.contract.techAboveAmount'] })
  })

  it('refuses negative, zero, malformed and absurd amounts', () => {
    expect(errorsOf(form({ amount: '-5' })).amount).toEqual(['err.negativeAmount'])
    expect(errorsOf(form({ amount: '12.345' })).amount).toEqual(['err.amount'])
    expect(errorsOf(form({ amount: 'abc' })).amount).toEqual(['err.amount'])
    expect(errorsOf(form({ amount: '' })).amount).toEqual(['err.required'])
    expect(errorsOf(form({ amount: '99999999999999999999' })).amount).toEqual(['err.amountTooLarge'])
    // 100 亿元 and a fen more
    expect(errorsOf(form({ amount: '10000000000.01', techAmount: '1', milestones: [{ title: 'x', dueDate: '2026-01-01', amount: '1' }] })).amount).toEqual(['err.amountTooLarge'])
    expect(errorsOf(form({ amount: '0', techAmount: '0', milestones: [{ title: 'x', dueDate: '2026-01-01', amount: '0' }] }))).toEqual({
      amount: ['err.contract.amountPositive'],
      techAmount: ['err.contract.amountPositive'],
      'milestones.0.amount': ['err.contract.amountPositive'],
    })
  })

  it('refuses milestones that do not add up to the contract amount, on the milestone table', () => {
    expect(errorsOf(form({ paymentMethod: 'INSTALMENTS', milestones: [{ title: '首付', dueDate: '2026-01-01', amount: '200000' }, { title: '尾款', dueDate: '2026-06-01', amount: '299999.99' }] }))).toEqual({
      milestones: ['err.contract.milestonesSum'],
    })
    const message = ContractDraftSchema.safeParse(form({ paymentMethod: 'INSTALMENTS', milestones: [{ title: 'a', dueDate: '2026-01-01', amount: '1' }, { title: 'b', dueDate: '2026-01-02', amount: '2' }] })).error!.issues[0]!.message
    expect(message).toBe('err.contract.milestonesSum?sum=3&amount=500%2C000')
  })

  it('puts a row error beside its own row even after blank rows', () => {
    const errors = errorsOf(form({ milestones: [{}, { title: '付款', dueDate: '2026-13-01', amount: '500000' }] }))
    expect(errors).toEqual({ 'milestones.1.dueDate': ['err.date'] })
  })

  it('refuses the same organisation as buyer and seller', () => {
    expect(errorsOf(form({ buyerOrgId: 'seller1' }))).toEqual({ buyerOrgId: ['err.contract.sameParty'] })
  })

  it('requires a subtype of the type, and exclusivity for licences only', () => {
    expect(errorsOf(form({ subtype: 'LICENSE_PATENT' }))).toEqual({ subtype: ['err.contract.subtypeMismatch'] })
    expect(errorsOf(form({ exclusivity: 'EXCLUSIVE' }))).toEqual({ exclusivity: ['err.contract.exclusivityLicenceOnly'] })
    expect(errorsOf(form({ type: 'LICENSE', subtype: 'LICENSE_PATENT' }))).toEqual({ exclusivity: ['err.contract.exclusivityRequired'] })
  })

  it('requires the term to end on or after its start', () => {
    expect(errorsOf(form({ termStart: '2026-06-01', termEnd: '2026-05-31' }))).toEqual({ termEnd: ['err.contract.termEndBeforeStart'] })
    expect(errorsOf(form({ termStart: '2026-06-01', termEnd: '2026-06-01' }))).toEqual({})
  })

  it('keeps the royalty fields only for royalty payment', () => {
    const lump = draftFormToInput(ContractDraftSchema.parse(form({ royaltyRate: '5', entryFee: '1000' })))
    expect(lump).toMatchObject({ royaltyRateBp: null, entryFeeFen: null })
    const royalty = draftFormToInput(
      ContractDraftSchema.parse(form({ paymentMethod: 'ROYALTY', royaltyRate: '3.5%', entryFee: '100000', milestones: [{ title: '入门费', dueDate: '2026-03-01', amount: '100000' }] })),
    )
    expect(royalty).toMatchObject({ royaltyRateBp: 350, entryFeeFen: 10_000_000 })
  })

  it('the edit form has no parties', () => {
    const { sellerOrgId: _s, buyerOrgId: _b, ...rest } = form()
    expect(ContractTermsSchema.safeParse(rest).success).toBe(true)
  })
})

describe('termsProblems (the domain rules)', () => {
  it('accepts sound terms', () => {
    expect(keys(terms())).toEqual([])
  })

  it('lump sum: exactly one milestone for the whole amount', () => {
    expect(keys(terms({ paymentMethod: 'LUMP_SUM' }))).toEqual(['milestones: err.contract.lumpSumOneMilestone'])
    expect(keys(terms({ paymentMethod: 'LUMP_SUM', milestones: [] }))).toEqual(['milestones: err.contract.lumpSumOneMilestone'])
    expect(keys(terms({ paymentMethod: 'LUMP_SUM', milestones: [{ title: '全款', dueDate: '2026-02-01', amountFen: 100_000_00 }] }))).toEqual([])
  })

  it('instalments: at least two milestones adding up exactly', () => {
    expect(keys(terms({ milestones: [{ title: '全款', dueDate: '2026-02-01', amountFen: 100_000_00 }] }))).toEqual(['milestones: err.contract.instalmentsTwoMilestones'])
    expect(keys(terms({ milestones: [{ title: 'a', dueDate: '2026-02-01', amountFen: 40_000_00 }, { title: 'b', dueDate: '2026-03-01', amountFen: 60_000_01 }] }))).toEqual([
      'milestones: err.contract.milestonesSum',
    ])
  })

  it('royalty: a rate; an entry fee is the one milestone, no entry fee means none', () => {
    const royalty = { paymentMethod: 'ROYALTY' as const, royaltyRateBp: 300, milestones: [] }
    expect(keys(terms(royalty))).toEqual([])
    expect(keys(terms({ ...royalty, royaltyRateBp: null }))).toEqual(['royaltyRate: err.contract.royaltyRateRequired'])
    expect(keys(terms({ ...royalty, royaltyRateBp: 10_001 }))).toEqual(['royaltyRate: err.contract.royaltyRate'])
    expect(keys(terms({ ...royalty, milestones: [{ title: 'x', dueDate: '2026-01-01', amountFen: 100 }] }))).toEqual(['milestones: err.contract.royaltyNoMilestones'])
    expect(keys(terms({ ...royalty, entryFeeFen: 20_000_00 }))).toEqual(['milestones: err.contract.entryFeeMilestone'])
    expect(keys(terms({ ...royalty, entryFeeFen: 20_000_00, milestones: [{ title: '入门费', dueDate: '2026-01-01', amountFen: 20_000_00 }] }))).toEqual([])
    expect(keys(terms({ ...royalty, entryFeeFen: 20_000_00, milestones: [{ title: '入门费', dueDate: '2026-01-01', amountFen: 10_000_00 }] }))).toEqual(['milestones: err.contract.entryFeeMilestone'])
    expect(keys(terms({ ...royalty, entryFeeFen: 200_000_00 }))).toEqual(['entryFee: err.contract.entryFeeAboveAmount'])
  })

  it('refuses royalty fields on other payment methods (callers other than the form)', () => {
    expect(keys(terms({ royaltyRateBp: 500 }))).toEqual(['royaltyRate: err.contract.royaltyOnly'])
  })

  it('refuses amounts that are not whole fen, not positive or above 100 亿元', () => {
    expect(keys(terms({ amountFen: 1.5 }))).toContain('amount: err.amount')
    expect(keys(terms({ amountFen: -100, techAmountFen: -100 }))).toEqual(['amount: err.contract.amountPositive', 'techAmount: err.contract.amountPositive'])
    expect(keys(terms({ amountFen: MAX_FEN + 1 }))).toContain('amount: err.amountTooLarge')
    expect(keys(terms({ amountFen: MAX_FEN, techAmountFen: MAX_FEN, paymentMethod: 'LUMP_SUM', milestones: [{ title: '全款', dueDate: '2026-01-01', amountFen: MAX_FEN }] }))).toEqual([])
  })

  it('refuses impossible dates', () => {
    expect(keys(terms({ termStart: '2026-02-30' }))).toEqual(['termStart: err.date'])
    expect(keys(terms({ milestones: [{ title: 'a', dueDate: '2026-02-01', amountFen: 40_000_00 }, { title: 'b', dueDate: 'soon', amountFen: 60_000_00 }] }))).toEqual(['milestones[1].dueDate: err.date'])
  })
})

describe('registration form', () => {
  it('parses a decision', () => {
    expect(
      RegisterSchema.parse({ registrationNumber: '2026500118000001', registeredAt: '2026-03-01', rules: 'RULES_2026', registeredTechAmount: '400000', registeredType: '技术开发', registeredSubtype: '委托开发' }),
    ).toEqual({ registrationNumber: '2026500118000001', registeredAt: '2026-03-01', rules: 'RULES_2026', registeredTechAmount: 40_000_000, registeredType: 'DEVELOPMENT', registeredSubtype: 'DEV_COMMISSIONED' })
  })
})

describe('classification', () => {
  it('names every type and subtype as DOMAIN.md does', () => {
    expect(Object.values(CONTRACT_TYPES)).toEqual(['技术开发', '技术转让', '技术许可', '技术咨询', '技术服务'])
    expect(Object.values(CONTRACT_SUBTYPES).filter((s) => s.type === 'SERVICE').map((s) => s.name)).toEqual(['技术服务', '技术培训', '技术中介'])
  })

  it('judges by the new rules from 2026-01-23', () => {
    expect(rulesInForce(new Date('2026-01-22T12:00:00Z'))).toBe('RULES_2000')
    expect(rulesInForce(new Date('2026-01-23T00:00:00Z'))).toBe('RULES_2026')
  })
})

describe('yuanText', () => {
  it('writes fen as grouped yuan', () => {
    expect(yuanText(123_456_789)).toBe('1,234,567.89')
    expect(yuanText(500_000_00)).toBe('500,000')
  })
})
