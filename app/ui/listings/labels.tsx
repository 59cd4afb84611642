import type { Industry, IpType, ListingStatus, Stage, TechField, TransferMode } from '~/generated/prisma/enums'
import type { ListingKind } from '~/domain/listings/kinds'
import type { SORTS } from '~/domain/listings/query'
import { useT } from '~/i18n/i18n'

/**
 * Message keys for the classifications and states, written out so that the catalogue test
 * can check each one exists (it cannot follow keys built at run time).
 */
export const FIELD_KEYS: Record<TechField, string> = {
  ELECTRONIC_INFORMATION: 'field.ELECTRONIC_INFORMATION',
  BIO_MEDICINE: 'field.BIO_MEDICINE',
  AEROSPACE: 'field.AEROSPACE',
  NEW_MATERIALS: 'field.NEW_MATERIALS',
  HIGH_TECH_SERVICES: 'field.HIGH_TECH_SERVICES',
  NEW_ENERGY: 'field.NEW_ENERGY',
  RESOURCES_ENVIRONMENT: 'field.RESOURCES_ENVIRONMENT',
  ADVANCED_MANUFACTURING: 'field.ADVANCED_MANUFACTURING',
}

export const INDUSTRY_KEYS: Record<Industry, string> = {
  INTELLIGENT_EQUIPMENT: 'industry.INTELLIGENT_EQUIPMENT',
  AUTOMOTIVE: 'industry.AUTOMOTIVE',
  ELECTRONIC_INFORMATION: 'industry.ELECTRONIC_INFORMATION',
  LIGHT_INDUSTRY: 'industry.LIGHT_INDUSTRY',
  ENERGY_MATERIALS: 'industry.ENERGY_MATERIALS',
  MODERN_AGRICULTURE: 'industry.MODERN_AGRICULTURE',
  BIG_DATA_SOFTWARE: 'industry.BIG_DATA_SOFTWARE',
  BIO_MEDICINE: 'industry.BIO_MEDICINE',
}

export const STAGE_KEYS: Record<Stage, string> = {
  CONCEPT: 'stage.CONCEPT',
  LAB: 'stage.LAB',
  PILOT: 'stage.PILOT',
  INDUSTRIAL: 'stage.INDUSTRIAL',
}

export const IP_TYPE_KEYS: Record<IpType, string> = {
  INVENTION_PATENT: 'ipType.INVENTION_PATENT',
  UTILITY_MODEL: 'ipType.UTILITY_MODEL',
  DESIGN_PATENT: 'ipType.DESIGN_PATENT',
  SOFTWARE_COPYRIGHT: 'ipType.SOFTWARE_COPYRIGHT',
  IC_LAYOUT: 'ipType.IC_LAYOUT',
  PLANT_VARIETY: 'ipType.PLANT_VARIETY',
  TECH_SECRET: 'ipType.TECH_SECRET',
}

export const MODE_KEYS: Record<TransferMode, string> = {
  TRANSFER: 'mode.TRANSFER',
  LICENSE: 'mode.LICENSE',
  EQUITY: 'mode.EQUITY',
  CO_DEVELOPMENT: 'mode.CO_DEVELOPMENT',
  TECH_SERVICE: 'mode.TECH_SERVICE',
}

export const STATUS_KEYS: Record<ListingStatus, string> = {
  DRAFT: 'status.DRAFT',
  PENDING_REVIEW: 'status.PENDING_REVIEW',
  PUBLISHED: 'status.PUBLISHED',
  REJECTED: 'status.REJECTED',
  ARCHIVED: 'status.ARCHIVED',
}

export const TRL_KEYS: Record<number, string> = {
  1: 'trl.1',
  2: 'trl.2',
  3: 'trl.3',
  4: 'trl.4',
  5: 'trl.5',
  6: 'trl.6',
  7: 'trl.7',
  8: 'trl.8',
  9: 'trl.9',
}

export const SORT_KEYS: Record<(typeof SORTS)[number], string> = {
  newest: 'listings.sort.newest',
  oldest: 'listings.sort.oldest',
  price_asc: 'listings.sort.price_asc',
  price_desc: 'listings.sort.price_desc',
  trl_desc: 'listings.sort.trl_desc',
  deadline: 'listings.sort.deadline',
}

/** The texts that differ by kind of listing. */
export const KIND_TEXT: Record<
  ListingKind,
  { title: string; lead: string; new: string; edit: string; empty: string; emptyFiltered: string; mineEmpty: string; reviewEmpty: string; nav: string }
> = {
  achievement: {
    title: 'listings.achievement.title',
    lead: 'listings.achievement.lead',
    new: 'listings.achievement.new',
    edit: 'listings.achievement.edit',
    empty: 'listings.achievement.empty',
    emptyFiltered: 'listings.achievement.emptyFiltered',
    mineEmpty: 'listings.achievement.mineEmpty',
    reviewEmpty: 'listings.achievement.reviewEmpty',
    nav: 'nav.achievements',
  },
  demand: {
    title: 'listings.demand.title',
    lead: 'listings.demand.lead',
    new: 'listings.demand.new',
    edit: 'listings.demand.edit',
    empty: 'listings.demand.empty',
    emptyFiltered: 'listings.demand.emptyFiltered',
    mineEmpty: 'listings.demand.mineEmpty',
    reviewEmpty: 'listings.demand.reviewEmpty',
    nav: 'nav.demands',
  },
  scenario: {
    title: 'listings.scenario.title',
    lead: 'listings.scenario.lead',
    new: 'listings.scenario.new',
    edit: 'listings.scenario.edit',
    empty: 'listings.scenario.empty',
    emptyFiltered: 'listings.scenario.emptyFiltered',
    mineEmpty: 'listings.scenario.mineEmpty',
    reviewEmpty: 'listings.scenario.reviewEmpty',
    nav: 'nav.scenarios',
  },
}

const STATUS_STYLE: Record<ListingStatus, string> = {
  DRAFT: 'bg-slate-100 text-slate-700 ring-slate-200',
  PENDING_REVIEW: 'bg-amber-50 text-amber-800 ring-amber-200',
  PUBLISHED: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  REJECTED: 'bg-red-50 text-red-800 ring-red-200',
  ARCHIVED: 'bg-slate-100 text-slate-500 ring-slate-200',
}

export function StatusBadge({ status }: { status: ListingStatus }) {
  const t = useT()
  return (
    <span data-status={status} className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLE[status]}`}>
      {t(STATUS_KEYS[status])}
    </span>
  )
}

export function StaleBadge() {
  const t = useT()
  return (
    <span className="inline-flex shrink-0 items-center rounded-full bg-orange-50 px-2 py-0.5 text-xs font-medium text-orange-800 ring-1 ring-inset ring-orange-200">
      {t('listings.stale')}
    </span>
  )
}

export function Chip({ children, tone = 'sky' }: { children: React.ReactNode; tone?: 'sky' | 'slate' | 'violet' }) {
  const style = {
    sky: 'bg-sky-50 text-sky-800',
    slate: 'bg-slate-100 text-slate-700',
    violet: 'bg-violet-50 text-violet-800',
  }[tone]
  return <span className={`inline-flex items-center rounded px-2 py-0.5 text-xs ${style}`}>{children}</span>
}

/** Options for a select or checkbox group from a table of message keys. */
export function optionsOf(keys: Record<string, string>, t: (key: string) => string) {
  return Object.entries(keys).map(([value, key]) => ({ value, label: t(key) }))
}

/** TRL 1–9 with the level names of GB/T 22900. */
export function trlOptions(t: (key: string, params?: Record<string, string | number>) => string) {
  return Object.entries(TRL_KEYS).map(([level, key]) => ({ value: level, label: t('listings.trlOption', { level, name: t(key) }) }))
}

/** A padlock, for what only some people may see (an emoji needs a font phones and servers may lack). */
export function LockIcon({ className = 'h-3.5 w-3.5' }: { className?: string }) {
  return (
    <svg viewBox="0 0 16 16" fill="currentColor" aria-hidden="true" className={`inline-block shrink-0 ${className}`}>
      <path d="M8 1a3.5 3.5 0 0 0-3.5 3.5V6H4a1.5 1.5 0 0 0-1.5 1.5v6A1.5 1.5 0 0 0 4 15h8a1.5 1.5 0 0 0 1.5-1.5v-6A1.5 1.5 0 0 0 12 6h-.5V4.5A3.5 3.5 0 0 0 8 1Zm2 5V4.5a2 2 0 1 0-4 0V6h4Z" fillRule="evenodd" />
    </svg>
  )
}

/** The mark of a verified organisation. */
export function VerifiedMark({ title }: { title: string }) {
  return (
    <svg viewBox="0 0 16 16" fill="currentColor" role="img" aria-label={title} className="ml-1 inline-block h-3.5 w-3.5 shrink-0 align-[-2px] text-emerald-600">
      <title>{title}</title>
      <path d="M8 1.5 9.6 3l2.2-.3.5 2.1 1.9 1.1-.8 2 .8 2.1-1.9 1.1-.5 2.1-2.2-.3L8 14.5 6.4 13l-2.2.3-.5-2.1-1.9-1.1.8-2.1-.8-2 1.9-1.1.5-2.1 2.2.3L8 1.5Zm2.9 4.8-.9-.8-3 3.2-1.2-1.2-.9.9 2.1 2.1 3.9-4.2Z" />
    </svg>
  )
}
