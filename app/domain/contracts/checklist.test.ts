import { describe, expect, it } from 'vitest'
import { checklistPasses, classificationPlausible, registrationChecklist, type ChecklistContract } from './checklist'

const contract = (over: Partial<ChecklistContract> = {}): ChecklistContract => ({
  type: 'TRANSFER',
  subtype: 'TRANSFER_PATENT',
  exclusivity: null,
  ipType: 'INVENTION_PATENT',
  ipNumbers: ['ZL202210345678.1'],
  amountFen: 100_000_00,
  techAmountFen: 90_000_00,
  paymentMethod: 'LUMP_SUM',
  royaltyRateBp: null,
  entryFeeFen: null,
  milestones: [{ title: '全款', dueDate: '2026-03-01', amountFen: 100_000_00 }],
  seller: { verified: true, regionCode: '500118' },
  buyer: { verified: true },
  confirmedIntact: true,
  ...over,
})

const failing = (c: ChecklistContract, correction?: Parameters<typeof registrationChecklist>[1]) =>
  registrationChecklist(c, correction)
    .filter((i) => !i.ok)
    .map((i) => i.key)

describe('registration checklist', () => {
  it('passes a sound, confirmed patent transfer of a district seller', () => {
    const items = registrationChecklist(contract())
    expect(items.every((i) => i.ok)).toBe(true)
    expect(checklistPasses(items)).toBe(true)
  })

  it('flags unverified parties and missing or broken confirmations', () => {
    expect(failing(contract({ buyer: { verified: false } }))).toEqual(['partiesVerified'])
    expect(failing(contract({ confirmedIntact: false }))).toEqual(['confirmations'])
  })

  it('flags inconsistent amounts and milestones that do not add up', () => {
    expect(failing(contract({ techAmountFen: 100_000_01 }))).toEqual(['amountsConsistent'])
    expect(failing(contract({ milestones: [{ title: '全款', dueDate: '2026-03-01', amountFen: 99_999_99 }] }))).toEqual(['milestonesAddUp'])
  })

  it('wants IP numbers for transfers and licences, except of technical secrets', () => {
    expect(failing(contract({ ipNumbers: [] }))).toEqual(['ipNumbers'])
    expect(failing(contract({ subtype: 'TRANSFER_TECH_SECRET', ipType: 'TECH_SECRET', ipNumbers: [] }))).toEqual([])
    expect(failing(contract({ type: 'SERVICE', subtype: 'SERVICE_GENERAL', ipType: null, ipNumbers: [] }))).toEqual([])
  })

  it('judges the classification as corrected by the registry', () => {
    expect(failing(contract({ ipType: 'SOFTWARE_COPYRIGHT' }))).toEqual(['classification'])
    // a "licence" that is really a technical service needs no patent numbers
    const service = contract({ type: 'LICENSE', subtype: 'LICENSE_PATENT', exclusivity: 'ORDINARY', ipType: null, ipNumbers: [] })
    expect(failing(service)).toEqual(['classification', 'ipNumbers'])
    expect(failing(service, { type: 'SERVICE', subtype: 'SERVICE_GENERAL' })).toEqual([])
    expect(failing(contract(), { type: 'SERVICE', subtype: 'LICENSE_PATENT' })).toEqual(['classification'])
  })

  it('notes a seller outside the district without blocking', () => {
    const items = registrationChecklist(contract({ seller: { verified: true, regionCode: '510107' } }))
    expect(items.filter((i) => !i.ok).map((i) => [i.key, i.required])).toEqual([['sellerInDistrict', false]])
    expect(checklistPasses(items)).toBe(true)
  })

  it('plausibility: patent subtypes need a patent, secret subtypes a secret', () => {
    expect(classificationPlausible({ type: 'LICENSE', subtype: 'LICENSE_TECH_SECRET', ipType: 'TECH_SECRET' })).toBe(true)
    expect(classificationPlausible({ type: 'LICENSE', subtype: 'LICENSE_TECH_SECRET', ipType: 'INVENTION_PATENT' })).toBe(false)
    expect(classificationPlausible({ type: 'TRANSFER', subtype: 'TRANSFER_PATENT_APPLICATION', ipType: 'UTILITY_MODEL' })).toBe(true)
    expect(classificationPlausible({ type: 'CONSULTING', subtype: 'CONSULTING', ipType: null })).toBe(true)
  })
})
