import { Link } from 'react-router'
import { STAGE_KEYS } from '~/domain/deals/stages'
import type { DealStage } from '~/generated/prisma/enums'
import { useT } from '~/i18n/i18n'

export type DealTab = 'overview' | 'conversation' | 'nda'

export interface DealHeaderDeal {
  id: string
  number: string
  title: string
  stage: DealStage
  buyerOrgName: string
  ownerName: string
}

const STAGE_STYLE: Record<DealStage, string> = {
  LEAD: 'bg-slate-50 text-slate-700 ring-slate-300',
  SHORTLISTED: 'bg-sky-50 text-sky-800 ring-sky-200',
  INTRODUCED: 'bg-indigo-50 text-indigo-800 ring-indigo-200',
  NDA: 'bg-violet-50 text-violet-800 ring-violet-200',
  DUE_DILIGENCE: 'bg-amber-50 text-amber-900 ring-amber-200',
  NEGOTIATING: 'bg-orange-50 text-orange-900 ring-orange-200',
  CONTRACT: 'bg-teal-50 text-teal-900 ring-teal-200',
  WON: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  LOST: 'bg-red-50 text-red-800 ring-red-200',
}

export function DealStageBadge({ stage }: { stage: DealStage }) {
  const t = useT()
  return (
    <span
      data-stage={stage}
      className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${STAGE_STYLE[stage]}`}
    >
      {t(STAGE_KEYS[stage])}
    </span>
  )
}

const TABS: { tab: DealTab; key: string; path: (id: string) => string }[] = [
  { tab: 'overview', key: 'deal.tab.overview', path: (id) => `/deals/${id}` },
  { tab: 'conversation', key: 'deal.tab.conversation', path: (id) => `/deals/${id}/conversation` },
  { tab: 'nda', key: 'deal.tab.nda', path: (id) => `/deals/${id}/nda` },
]

/** The deal's number, stage, title and the tabs shared by its pages (overview, conversation, NDA). */
export function DealHeader({ deal, current }: { deal: DealHeaderDeal; current: DealTab }) {
  const t = useT()
  return (
    <header className="mb-6">
      <Link to="/deals" className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {t('deal.list.title')}
      </Link>
      <div className="mt-3 mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-500">
        <span className="font-mono" data-testid="deal-number">
          {deal.number}
        </span>
        <DealStageBadge stage={deal.stage} />
      </div>
      <h1 className="text-2xl font-semibold leading-snug sm:text-3xl">{deal.title}</h1>
      <p className="mt-2 text-sm text-slate-600">
        {t('deal.header.buyer', { name: deal.buyerOrgName })} · {t('deal.header.owner', { name: deal.ownerName })}
      </p>
      <nav aria-label={t('deal.header.tabs')} className="mt-4 flex gap-1 border-b border-slate-200 text-sm">
        {TABS.map(({ tab, key, path }) => (
          <Link
            key={tab}
            to={path(deal.id)}
            aria-current={tab === current ? 'page' : undefined}
            className={
              tab === current
                ? '-mb-px rounded-t-md border border-slate-200 border-b-white bg-white px-4 py-2 font-medium text-slate-900'
                : 'px-4 py-2 text-sky-700 hover:text-sky-900'
            }
          >
            {t(key)}
          </Link>
        ))}
      </nav>
    </header>
  )
}
