import type {
  ContractParty,
  ContractStatus,
  ContractSubtype,
  ContractType,
  LicenseExclusivity,
  MilestoneStatus,
  PaymentMethod,
  RegistrationRules,
} from '~/generated/prisma/enums'
import type { ChecklistKey } from '~/domain/contracts/checklist'
import { useLocale, useT } from '~/i18n/i18n'
import { formatFen, formatFenExact } from '~/ui/listings/format'

/** Message keys of the contract classifications and states, written out for the catalogue test. */
export const CONTRACT_STATUS_KEYS: Record<ContractStatus, string> = {
  DRAFT: 'contract.status.DRAFT',
  AWAITING_CONFIRMATION: 'contract.status.AWAITING_CONFIRMATION',
  SIGNED: 'contract.status.SIGNED',
  REGISTRATION_SUBMITTED: 'contract.status.REGISTRATION_SUBMITTED',
  REGISTERED: 'contract.status.REGISTERED',
  NOT_REGISTERED: 'contract.status.NOT_REGISTERED',
  COMPLETED: 'contract.status.COMPLETED',
  TERMINATED: 'contract.status.TERMINATED',
}

export const CONTRACT_TYPE_KEYS: Record<ContractType, string> = {
  DEVELOPMENT: 'contract.type.DEVELOPMENT',
  TRANSFER: 'contract.type.TRANSFER',
  LICENSE: 'contract.type.LICENSE',
  CONSULTING: 'contract.type.CONSULTING',
  SERVICE: 'contract.type.SERVICE',
}

export const CONTRACT_SUBTYPE_KEYS: Record<ContractSubtype, string> = {
  DEV_COMMISSIONED: 'contract.subtype.DEV_COMMISSIONED',
  DEV_COOPERATIVE: 'contract.subtype.DEV_COOPERATIVE',
  TRANSFER_PATENT: 'contract.subtype.TRANSFER_PATENT',
  TRANSFER_PATENT_APPLICATION: 'contract.subtype.TRANSFER_PATENT_APPLICATION',
  TRANSFER_TECH_SECRET: 'contract.subtype.TRANSFER_TECH_SECRET',
  TRANSFER_OTHER: 'contract.subtype.TRANSFER_OTHER',
  LICENSE_PATENT: 'contract.subtype.LICENSE_PATENT',
  LICENSE_TECH_SECRET: 'contract.subtype.LICENSE_TECH_SECRET',
  CONSULTING: 'contract.subtype.CONSULTING',
  SERVICE_GENERAL: 'contract.subtype.SERVICE_GENERAL',
  SERVICE_TRAINING: 'contract.subtype.SERVICE_TRAINING',
  SERVICE_INTERMEDIARY: 'contract.subtype.SERVICE_INTERMEDIARY',
}

export const EXCLUSIVITY_KEYS: Record<LicenseExclusivity, string> = {
  EXCLUSIVE: 'contract.exclusivity.EXCLUSIVE',
  SOLE: 'contract.exclusivity.SOLE',
  ORDINARY: 'contract.exclusivity.ORDINARY',
}

export const PAYMENT_METHOD_KEYS: Record<PaymentMethod, string> = {
  LUMP_SUM: 'contract.payment.LUMP_SUM',
  INSTALMENTS: 'contract.payment.INSTALMENTS',
  ROYALTY: 'contract.payment.ROYALTY',
}

export const RULES_KEYS: Record<RegistrationRules, string> = {
  RULES_2000: 'contract.rules.RULES_2000',
  RULES_2026: 'contract.rules.RULES_2026',
}

export const PARTY_KEYS: Record<ContractParty, string> = {
  SELLER: 'contract.party.SELLER',
  BUYER: 'contract.party.BUYER',
}

export const MILESTONE_STATUS_KEYS: Record<MilestoneStatus, string> = {
  PENDING: 'contract.milestoneStatus.PENDING',
  CHECKOUT_OPEN: 'contract.milestoneStatus.CHECKOUT_OPEN',
  RECEIPT_UPLOADED: 'contract.milestoneStatus.RECEIPT_UPLOADED',
  PAID: 'contract.milestoneStatus.PAID',
  CANCELLED: 'contract.milestoneStatus.CANCELLED',
}

export const CHECKLIST_LABEL_KEYS: Record<ChecklistKey, string> = {
  partiesVerified: 'registration.check.partiesVerified',
  confirmations: 'registration.check.confirmations',
  amountsConsistent: 'registration.check.amountsConsistent',
  milestonesAddUp: 'registration.check.milestonesAddUp',
  classification: 'registration.check.classification',
  ipNumbers: 'registration.check.ipNumbers',
  sellerInDistrict: 'registration.check.sellerInDistrict',
}

/** The subtypes of each type, for grouped choices. */
export const SUBTYPES_BY_TYPE: Record<ContractType, ContractSubtype[]> = {
  DEVELOPMENT: ['DEV_COMMISSIONED', 'DEV_COOPERATIVE'],
  TRANSFER: ['TRANSFER_PATENT', 'TRANSFER_PATENT_APPLICATION', 'TRANSFER_TECH_SECRET', 'TRANSFER_OTHER'],
  LICENSE: ['LICENSE_PATENT', 'LICENSE_TECH_SECRET'],
  CONSULTING: ['CONSULTING'],
  SERVICE: ['SERVICE_GENERAL', 'SERVICE_TRAINING', 'SERVICE_INTERMEDIARY'],
}

const STATUS_STYLE: Record<ContractStatus, string> = {
  DRAFT: 'bg-slate-100 text-slate-700 ring-slate-200',
  AWAITING_CONFIRMATION: 'bg-amber-50 text-amber-800 ring-amber-200',
  SIGNED: 'bg-sky-50 text-sky-800 ring-sky-200',
  REGISTRATION_SUBMITTED: 'bg-violet-50 text-violet-800 ring-violet-200',
  REGISTERED: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  NOT_REGISTERED: 'bg-red-50 text-red-800 ring-red-200',
  COMPLETED: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  TERMINATED: 'bg-slate-100 text-slate-500 ring-slate-200',
}

export function ContractStatusBadge({ status }: { status: ContractStatus }) {
  const t = useT()
  return (
    <span data-status={status} className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${STATUS_STYLE[status]}`}>
      {t(CONTRACT_STATUS_KEYS[status])}
    </span>
  )
}

/** An amount as 万/亿 with the exact yuan beside it for whoever needs it. */
export function Money({ fen, exact = false, className = '' }: { fen: number | null | undefined; exact?: boolean; className?: string }) {
  const t = useT()
  const locale = useLocale()
  const none = t('contract.none')
  if (fen === null || fen === undefined) return <span className={className}>{none}</span>
  return (
    <span className={`tabular-nums ${className}`} title={formatFenExact(fen, none)}>
      {exact ? formatFenExact(fen, none) : formatFen(fen, locale, none)}
    </span>
  )
}

/** A type with its subtype: 技术转让 · 专利权转让 (the consulting type has one subtype of the same name). */
export function classificationText(t: (key: string) => string, type: ContractType, subtype: ContractSubtype) {
  const a = t(CONTRACT_TYPE_KEYS[type])
  const b = t(CONTRACT_SUBTYPE_KEYS[subtype])
  return a === b ? a : `${a} · ${b}`
}

/** Basis points as a percentage: 350 → 3.5% */
export function percentText(bp: number | null | undefined) {
  if (bp === null || bp === undefined) return ''
  return `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')}%`
}

/** A moment as YYYY-MM-DD HH:mm in China: the same text on the server and in any browser. */
export function chinaDateTime(value: Date | string | null | undefined) {
  if (!value) return ''
  const d = new Date(new Date(value).getTime() + 8 * 3600 * 1000)
  return Number.isNaN(d.getTime()) ? '' : `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`
}
