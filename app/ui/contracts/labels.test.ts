import { describe, expect, it } from 'vitest'
import { ContractSubtype, ContractType, PaymentMethod, RegistrationRules } from '~/generated/prisma/enums'
import { CONTRACT_SUBTYPES, CONTRACT_TYPES, PAYMENT_METHODS, REGISTRATION_RULES } from '~/domain/contracts/classification'
import { translator } from '~/i18n/i18n'
import { chinaDateTime, classificationText, CONTRACT_SUBTYPE_KEYS, CONTRACT_TYPE_KEYS, PAYMENT_METHOD_KEYS, percentText, RULES_KEYS, SUBTYPES_BY_TYPE } from './labels'

const zh = translator('zh-CN')

describe('contract labels', () => {
  it('name types, subtypes, payment methods and rules in Chinese exactly as the classification does', () => {
    for (const type of Object.values(ContractType)) expect(zh(CONTRACT_TYPE_KEYS[type])).toBe(CONTRACT_TYPES[type])
    for (const subtype of Object.values(ContractSubtype)) expect(zh(CONTRACT_SUBTYPE_KEYS[subtype])).toBe(CONTRACT_SUBTYPES[subtype].name)
    for (const method of Object.values(PaymentMethod)) expect(zh(PAYMENT_METHOD_KEYS[method])).toBe(PAYMENT_METHODS[method])
    for (const rules of Object.values(RegistrationRules)) expect(zh(RULES_KEYS[rules])).toBe(REGISTRATION_RULES[rules])
  })

  it('group every subtype under its own type', () => {
    expect(Object.values(SUBTYPES_BY_TYPE).flat().sort()).toEqual(Object.values(ContractSubtype).sort())
    for (const [type, subtypes] of Object.entries(SUBTYPES_BY_TYPE)) for (const s of subtypes) expect(CONTRACT_SUBTYPES[s].type).toBe(type)
  })

  it('write a classification once when type and subtype share a name', () => {
    expect(classificationText(zh, 'CONSULTING', 'CONSULTING')).toBe('技术咨询')
    expect(classificationText(zh, 'TRANSFER', 'TRANSFER_PATENT')).toBe('技术转让 · 专利权转让')
  })

  it('write basis points as a percentage and moments in China time', () => {
    expect(percentText(350)).toBe('3.5%')
    expect(percentText(500)).toBe('5%')
    expect(percentText(null)).toBe('')
    expect(chinaDateTime(new Date('2026-01-22T16:30:00Z'))).toBe('2026-01-23 00:30')
    expect(chinaDateTime(null)).toBe('')
  })
})
