import type { ReactNode } from 'react'
import type { ContractSubtype, ContractType, Industry, IpType, LicenseExclusivity, MilestoneStatus, PaymentMethod, TechField } from '~/generated/prisma/enums'
import { useLocale, useT } from '~/i18n/i18n'
import { formatDay } from '~/ui/listings/format'
import { FIELD_KEYS, INDUSTRY_KEYS, IP_TYPE_KEYS } from '~/ui/listings/labels'
import { classificationText, EXCLUSIVITY_KEYS, MILESTONE_STATUS_KEYS, Money, PAYMENT_METHOD_KEYS, percentText } from './labels'

export interface TermsShown {
  type: ContractType
  subtype: ContractSubtype
  exclusivity: LicenseExclusivity | null
  field: TechField | null
  industry: Industry | null
  ipType: IpType | null
  ipNumbers: string[]
  amountFen: number
  techAmountFen: number
  paymentMethod: PaymentMethod
  royaltyRateBp: number | null
  entryFeeFen: number | null
  termStart: string | Date | null
  termEnd: string | Date | null
}

export interface MilestoneShown {
  seq: number
  title: string
  dueDate: string | Date
  amountFen: number
  status?: MilestoneStatus
}

/** The facts of a version of the terms, as a definition list. */
export function TermsFacts({ terms }: { terms: TermsShown }) {
  const t = useT()
  const locale = useLocale()
  const rows: [string, ReactNode][] = [
    [t('contract.label.classification'), classificationText(t, terms.type, terms.subtype)],
  ]
  if (terms.exclusivity) rows.push([t('contract.label.exclusivity'), t(EXCLUSIVITY_KEYS[terms.exclusivity])])
  if (terms.field) rows.push([t('listings.label.field'), t(FIELD_KEYS[terms.field])])
  if (terms.industry) rows.push([t('listings.label.industry'), t(INDUSTRY_KEYS[terms.industry])])
  if (terms.ipType) rows.push([t('listings.label.ipType'), t(IP_TYPE_KEYS[terms.ipType])])
  if (terms.ipNumbers.length) rows.push([t('contract.label.ipNumbers'), terms.ipNumbers.join('；')])
  rows.push([t('contract.label.amount'), <Money key="a" fen={terms.amountFen} exact />])
  rows.push([t('contract.label.techAmount'), <Money key="b" fen={terms.techAmountFen} exact />])
  rows.push([t('contract.label.paymentMethod'), t(PAYMENT_METHOD_KEYS[terms.paymentMethod])])
  if (terms.royaltyRateBp !== null) rows.push([t('contract.label.royaltyRate'), percentText(terms.royaltyRateBp)])
  if (terms.entryFeeFen !== null) rows.push([t('contract.label.entryFee'), <Money key="c" fen={terms.entryFeeFen} exact />])
  if (terms.termStart || terms.termEnd) {
    rows.push([t('contract.label.term'), `${formatDay(terms.termStart, locale) || '…'} — ${formatDay(terms.termEnd, locale) || '…'}`])
  }
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
      {rows.map(([label, value]) => (
        <div key={label} className="grid grid-cols-[8.5rem_1fr] gap-2">
          <dt className="text-slate-500">{label}</dt>
          <dd className="break-words text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  )
}

/** The payment milestones: what falls due when, and (once signed) where each stands. */
export function MilestoneTable({ milestones, showStatus = false }: { milestones: MilestoneShown[]; showStatus?: boolean }) {
  const t = useT()
  const locale = useLocale()
  if (!milestones.length) return <p className="text-sm text-slate-500">{t('contract.detail.noMilestones')}</p>
  const total = milestones.reduce((s, m) => s + m.amountFen, 0)
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs text-slate-500">
            <th scope="col" className="py-2 pr-2 font-medium">
              #
            </th>
            <th scope="col" className="py-2 pr-2 font-medium">
              {t('contract.label.milestoneTitle')}
            </th>
            <th scope="col" className="py-2 pr-2 font-medium">
              {t('contract.label.dueDate')}
            </th>
            <th scope="col" className="py-2 pr-2 text-right font-medium">
              {t('contract.label.milestoneAmount')}
            </th>
            {showStatus ? (
              <th scope="col" className="py-2 pl-2 font-medium">
                {t('contract.label.status')}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {milestones.map((m) => (
            <tr key={m.seq} className="border-b border-slate-100">
              <td className="py-2 pr-2 text-slate-500 tabular-nums">{m.seq}</td>
              <td className="py-2 pr-2 break-words">{m.title}</td>
              <td className="py-2 pr-2 whitespace-nowrap tabular-nums">{formatDay(m.dueDate, locale)}</td>
              <td className="py-2 pr-2 text-right whitespace-nowrap">
                <Money fen={m.amountFen} exact />
              </td>
              {showStatus && m.status ? <td className="py-2 pl-2 whitespace-nowrap">{t(MILESTONE_STATUS_KEYS[m.status])}</td> : null}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td />
            <th scope="row" className="py-2 pr-2 text-left font-medium">
              {t('contract.detail.milestonesTotal')}
            </th>
            <td />
            <td className="py-2 pr-2 text-right font-medium whitespace-nowrap">
              <Money fen={total} exact />
            </td>
            {showStatus ? <td /> : null}
          </tr>
        </tfoot>
      </table>
    </div>
  )
}
