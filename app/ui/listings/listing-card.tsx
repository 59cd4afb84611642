import { Link } from 'react-router'
import type { Industry, Stage, TechField, TransferMode } from '~/generated/prisma/enums'
import { KIND_PATHS, type ListingKind } from '~/domain/listings/kinds'
import { useLocale, useT } from '~/i18n/i18n'
import { formatDate, formatDay, formatFen } from './format'
import { Chip, FIELD_KEYS, INDUSTRY_KEYS, LockIcon, MODE_KEYS, StaleBadge, STAGE_KEYS } from './labels'

/** What a card shows; the list loader sends only this, not the whole listing. */
export interface CardItem {
  id: string
  title: string
  orgName: string
  region: string | null
  field: TechField | null
  industry: Industry | null
  stage: Stage | null
  trl: number | null
  priceFen: number | null
  modes: TransferMode[]
  keywords: string[]
  deadline: Date | string | null
  publishedAt: Date | string | null
  stale: boolean
  confidential: boolean
}

export function ListingCard({ kind, item }: { kind: ListingKind; item: CardItem }) {
  const t = useT()
  const locale = useLocale()
  const href = `/${KIND_PATHS[kind]}/${item.id}`
  return (
    <article className="group relative rounded-lg border border-slate-200 bg-white p-4 shadow-sm transition hover:border-sky-300 hover:shadow sm:p-5">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between sm:gap-4">
        <h2 className="text-base font-semibold leading-snug text-slate-900 sm:text-lg">
          <Link to={href} className="after:absolute after:inset-0 group-hover:text-sky-800">
            {item.title}
          </Link>
        </h2>
        <p className="shrink-0 text-lg font-semibold text-orange-700 sm:text-right" title={kind === 'achievement' ? t('listings.label.askingPrice') : t('listings.label.budget')}>
          {formatFen(item.priceFen, locale, t('listings.negotiable'))}
        </p>
      </div>
      <p className="mt-1 text-sm text-slate-600">
        {item.orgName}
        {item.region ? <span className="text-slate-400"> · {item.region}</span> : null}
      </p>
      <div className="mt-3 flex flex-wrap gap-1.5">
        {item.field ? <Chip>{t(FIELD_KEYS[item.field])}</Chip> : null}
        {item.industry ? <Chip tone="violet">{t(INDUSTRY_KEYS[item.industry])}</Chip> : null}
        {item.trl ? <Chip tone="slate">{t('listings.trlShort', { level: item.trl })}</Chip> : null}
        {item.stage ? <Chip tone="slate">{t(STAGE_KEYS[item.stage])}</Chip> : null}
        {(Object.keys(MODE_KEYS) as TransferMode[]).filter((m) => item.modes.includes(m)).slice(0, 3).map((m) => (
          <Chip key={m} tone="slate">
            {t(MODE_KEYS[m])}
          </Chip>
        ))}
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-500">
        {item.publishedAt ? <span>{t('listings.publishedOn', { date: formatDate(item.publishedAt, locale) })}</span> : null}
        {item.deadline ? <span>{t('listings.deadlineOn', { date: formatDay(item.deadline, locale) })}</span> : null}
        {item.confidential ? (
          <span className="flex items-center gap-1 text-slate-600">
            <LockIcon className="h-3 w-3" />
            {t('listings.confidentialBadge')}
          </span>
        ) : null}
        {item.stale ? <StaleBadge /> : null}
      </div>
    </article>
  )
}
