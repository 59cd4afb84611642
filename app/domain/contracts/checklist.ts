import type { ContractSubtype, ContractType, IpType, LicenseExclusivity, PaymentMethod } from '~/generated/prisma/enums'
import { HOME_DISTRICT } from '~/domain/orgs/regions'
import { subtypeFits } from './classification'
import { termsProblems } from './schemas'

/**
 * What registry staff check before registering a contract (认定登记). Required items must
 * hold for `register` to go through; the others inform the decision.
 */
export const CHECKLIST_KEYS = ['partiesVerified', 'confirmations', 'amountsConsistent', 'milestonesAddUp', 'classification', 'ipNumbers', 'sellerInDistrict'] as const
export type ChecklistKey = (typeof CHECKLIST_KEYS)[number]

export interface ChecklistItem {
  key: ChecklistKey
  ok: boolean
  required: boolean
}

export interface ChecklistContract {
  type: ContractType
  subtype: ContractSubtype
  exclusivity: LicenseExclusivity | null
  ipType: IpType | null
  ipNumbers: string[]
  amountFen: number
  techAmountFen: number
  paymentMethod: PaymentMethod
  royaltyRateBp: number | null
  entryFeeFen: number | null
  milestones: { amountFen: number; dueDate: string; title: string }[]
  seller: { verified: boolean; regionCode: string }
  buyer: { verified: boolean }
  /** Both parties confirmed the current version, and its stored hash still matches its terms. */
  confirmedIntact: boolean
}

const PATENTS: IpType[] = ['INVENTION_PATENT', 'UTILITY_MODEL', 'DESIGN_PATENT']
const PATENT_SUBTYPES: ContractSubtype[] = ['TRANSFER_PATENT', 'TRANSFER_PATENT_APPLICATION', 'LICENSE_PATENT']
const SECRET_SUBTYPES: ContractSubtype[] = ['TRANSFER_TECH_SECRET', 'LICENSE_TECH_SECRET']

/** The type and subtype fit each other and the IP the contract names. */
export function classificationPlausible(c: { type: ContractType; subtype: ContractSubtype; ipType: IpType | null }): boolean {
  if (!subtypeFits(c.type, c.subtype)) return false
  if (PATENT_SUBTYPES.includes(c.subtype)) return !!c.ipType && PATENTS.includes(c.ipType)
  if (SECRET_SUBTYPES.includes(c.subtype)) return c.ipType === 'TECH_SECRET'
  return true
}

/** Transfers and licences of anything but a technical secret name the patents (or registrations) concerned. */
export function ipNumbersNeeded(c: { type: ContractType; subtype: ContractSubtype }): boolean {
  return (c.type === 'TRANSFER' || c.type === 'LICENSE') && !SECRET_SUBTYPES.includes(c.subtype)
}

/**
 * The checklist, judged with the classification the registry would record (a correction of
 * type and subtype replaces the declared one).
 */
export function registrationChecklist(c: ChecklistContract, correction?: { type: ContractType; subtype: ContractSubtype }): ChecklistItem[] {
  const type = correction?.type ?? c.type
  const subtype = correction?.subtype ?? c.subtype
  const problems = termsProblems({
    title: 'x',
    termsText: 'x',
    type: c.type,
    subtype: c.subtype,
    exclusivity: c.exclusivity,
    field: null,
    industry: null,
    ipType: c.ipType,
    ipNumbers: c.ipNumbers,
    amountFen: c.amountFen,
    techAmountFen: c.techAmountFen,
    paymentMethod: c.paymentMethod,
    royaltyRateBp: c.royaltyRateBp,
    entryFeeFen: c.entryFeeFen,
    termStart: null,
    termEnd: null,
    milestones: c.milestones,
  })
  const amountsOk = !problems.some((p) => p.path === 'amount' || p.path === 'techAmount')
  const milestonesOk = !problems.some((p) => p.path.startsWith('milestones') || p.path === 'entryFee' || p.path === 'royaltyRate')
  return [
    { key: 'partiesVerified', ok: c.seller.verified && c.buyer.verified, required: true },
    { key: 'confirmations', ok: c.confirmedIntact, required: true },
    { key: 'amountsConsistent', ok: amountsOk, required: true },
    { key: 'milestonesAddUp', ok: milestonesOk, required: true },
    { key: 'classification', ok: classificationPlausible({ type, subtype, ipType: c.ipType }), required: true },
    { key: 'ipNumbers', ok: !ipNumbersNeeded({ type, subtype }) || c.ipNumbers.length > 0, required: true },
    { key: 'sellerInDistrict', ok: c.seller.regionCode === HOME_DISTRICT, required: false },
  ]
}

export function checklistPasses(items: ChecklistItem[]): boolean {
  return items.every((i) => i.ok || !i.required)
}
