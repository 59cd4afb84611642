import type { ContractSubtype, ContractType, LicenseExclusivity, PaymentMethod, RegistrationRules } from '~/generated/prisma/enums'

/** Contract types and subtypes exactly as DOMAIN.md lists them (民法典 第三编 第二十章). */
export const CONTRACT_TYPES = {
  DEVELOPMENT: '技术开发',
  TRANSFER: '技术转让',
  LICENSE: '技术许可',
  CONSULTING: '技术咨询',
  SERVICE: '技术服务',
} as const satisfies Record<ContractType, string>

export const CONTRACT_SUBTYPES = {
  DEV_COMMISSIONED: { type: 'DEVELOPMENT', name: '委托开发' },
  DEV_COOPERATIVE: { type: 'DEVELOPMENT', name: '合作开发' },
  TRANSFER_PATENT: { type: 'TRANSFER', name: '专利权转让' },
  TRANSFER_PATENT_APPLICATION: { type: 'TRANSFER', name: '专利申请权转让' },
  TRANSFER_TECH_SECRET: { type: 'TRANSFER', name: '技术秘密转让' },
  TRANSFER_OTHER: { type: 'TRANSFER', name: '其他' },
  LICENSE_PATENT: { type: 'LICENSE', name: '专利实施许可' },
  LICENSE_TECH_SECRET: { type: 'LICENSE', name: '技术秘密使用许可' },
  CONSULTING: { type: 'CONSULTING', name: '技术咨询' },
  SERVICE_GENERAL: { type: 'SERVICE', name: '技术服务' },
  SERVICE_TRAINING: { type: 'SERVICE', name: '技术培训' },
  SERVICE_INTERMEDIARY: { type: 'SERVICE', name: '技术中介' },
} as const satisfies Record<ContractSubtype, { type: ContractType; name: string }>

export const LICENSE_EXCLUSIVITY = {
  EXCLUSIVE: '独占',
  SOLE: '排他',
  ORDINARY: '普通',
} as const satisfies Record<LicenseExclusivity, string>

export const PAYMENT_METHODS = {
  LUMP_SUM: '一次总付',
  INSTALMENTS: '分期支付',
  ROYALTY: '提成支付',
} as const satisfies Record<PaymentMethod, string>

export const REGISTRATION_RULES = {
  RULES_2000: '《技术合同认定登记管理办法》(2000) 与《技术合同认定规则》(2001)',
  RULES_2026: '技术合同认定登记新规 (2026-01-23 起施行)',
} as const satisfies Record<RegistrationRules, string>

/** The rules in force on a date: the new national rules from 2026-01-23. */
export function rulesInForce(date: Date): RegistrationRules {
  return date.toISOString().slice(0, 10) >= '2026-01-23' ? 'RULES_2026' : 'RULES_2000'
}

export function subtypeFits(type: ContractType, subtype: ContractSubtype): boolean {
  return CONTRACT_SUBTYPES[subtype].type === type
}

/** Only licences name an exclusivity; every licence must. */
export function exclusivityFits(type: ContractType, exclusivity: LicenseExclusivity | null | undefined): boolean {
  return type === 'LICENSE' ? !!exclusivity : !exclusivity
}
