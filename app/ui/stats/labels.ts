import type { ContractType, Industry, TechField } from '~/generated/prisma/enums'
import type { Translate } from '~/i18n/i18n'
import { CONTRACT_TYPE_KEYS } from '~/ui/contracts/labels'
import { FIELD_KEYS, INDUSTRY_KEYS } from '~/ui/listings/labels'

/** The sections of the dashboard, each a table (and a chart beside it). */
export const SECTION_KEYS = {
  byType: 'stats.byType',
  byField: 'stats.byField',
  byIndustry: 'stats.byIndustry',
  bySellerKind: 'stats.bySellerKind',
  byBuyerKind: 'stats.byBuyerKind',
} as const
export type Section = keyof typeof SECTION_KEYS

export const KIND_KEYS: Record<string, string> = {
  ENTERPRISE: 'stats.kind.ENTERPRISE',
  UNIVERSITY: 'stats.kind.UNIVERSITY',
  INSTITUTE: 'stats.kind.INSTITUTE',
  OTHER: 'stats.kind.OTHER',
}
export const ZONE_KEYS: Record<string, string> = {
  district: 'stats.zone.district',
  chongqing: 'stats.zone.chongqing',
  sichuan: 'stats.zone.sichuan',
  elsewhere: 'stats.zone.elsewhere',
}

/** The label of a row key in a section. */
export function rowLabel(t: Translate, section: Section | 'monthly' | 'region', key: string): string {
  if (key === 'NONE') return t('stats.none')
  switch (section) {
    case 'byType':
      return t(CONTRACT_TYPE_KEYS[key as ContractType] ?? key)
    case 'byField':
      return t(FIELD_KEYS[key as TechField] ?? key)
    case 'byIndustry':
      return t(INDUSTRY_KEYS[key as Industry] ?? key)
    case 'bySellerKind':
    case 'byBuyerKind':
      return t(KIND_KEYS[key] ?? key)
    case 'monthly':
      return t('stats.month.n', { n: Number(key) })
    case 'region':
      return t(ZONE_KEYS[key] ?? key)
  }
}

/** Basis points as a percentage with one decimal. */
export function bpText(bp: number | null | undefined): string {
  return bp === null || bp === undefined ? '—' : `${(bp / 100).toFixed(1)}%`
}

/** Integer fen as yuan with two decimals, exactly (for exports). */
export function fenToYuanText(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}
