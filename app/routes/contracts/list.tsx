import { Form, Link, useLoaderData } from 'react-router'
import type { Route } from './+types/list'
import { canReadAll, contractYears, listContracts, registeredTotals } from '~/domain/contracts/contracts.server'
import { ContractListQuerySchema } from '~/domain/contracts/schemas'
import { drafterRole } from '~/domain/contracts/sources.server'
import { todayInChina } from '~/domain/listings/schemas'
import { can } from '~/domain/users/permissions'
import type { ContractStatus } from '~/generated/prisma/enums'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { classificationText, CONTRACT_STATUS_KEYS, ContractStatusBadge, Money } from '~/ui/contracts/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { formatDate } from '~/ui/listings/format'
import { Pagination } from '~/ui/listings/pagination'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('contract.list.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const query = ContractListQuerySchema.parse(Object.fromEntries(args.url.searchParams))
  const all = canReadAll(user)
  const year = query.year ?? Number(todayInChina().slice(0, 4))
  const [list, years, totals] = await Promise.all([
    listContracts({ actor: user, query }),
    contractYears({ actor: user }),
    all ? registeredTotals({ actor: user, year }) : null,
  ])
  return {
    query,
    years,
    all,
    year,
    totals,
    canDraft: can(user.role, 'contract:draft') && drafterRole(user) !== null,
    canRegister: can(user.role, 'contract:register'),
    total: list.total,
    pages: list.pages,
    items: list.items.map((c) => ({
      id: c.id,
      number: c.number,
      title: c.title,
      type: c.type,
      subtype: c.subtype,
      status: c.status,
      amountFen: Number(c.amountFen),
      techAmountFen: Number(c.registeredTechAmountFen ?? c.techAmountFen),
      seller: c.sellerOrg.name,
      buyer: c.buyerOrg.name,
      broker: c.broker?.name ?? null,
      date: c.registeredAt ?? c.signedAt ?? c.createdAt,
    })),
  }
}

const STATUSES = Object.keys(CONTRACT_STATUS_KEYS) as ContractStatus[]

export default function ContractList() {
  const t = useT()
  const locale = useLocale()
  const { query, years, all, year, totals, canDraft, canRegister, total, pages, items } = useLoaderData<typeof loader>()
  const href = (page: number) => {
    const params = new URLSearchParams()
    if (query.status) params.set('status', query.status)
    if (query.year) params.set('year', String(query.year))
    if (query.q) params.set('q', query.q)
    if (page > 1) params.set('page', String(page))
    return `?${params}`
  }
  const control = 'rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm'
  return (
    <div>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{t('contract.list.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t(all ? 'contract.list.leadAll' : 'contract.list.lead')}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {canRegister ? (
            <Link to="/registration" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
              {t('registration.queue.title')}
            </Link>
          ) : null}
          {canDraft ? (
            <Link to="/contracts/new" className="rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800">
              {t('contract.new.title')}
            </Link>
          ) : null}
        </div>
      </div>

      {totals ? (
        <section aria-labelledby="totals-heading" className="mt-6 gap-4 rounded-lg border border-emerald-200 bg-emerald-50 p-4 sm:flex sm:items-center sm:justify-between">
          <h2 id="totals-heading" className="text-sm font-medium text-emerald-900">
            {t('contract.list.totals', { year })}
            <span className="block text-xs font-normal text-emerald-800">{t('contract.list.totalsNote')}</span>
          </h2>
          <div className="mt-3 grid grid-cols-3 gap-3 sm:mt-0 sm:gap-8">
            <Stat label={t('contract.list.countLabel')} value={<span className="tabular-nums">{totals.count}</span>} />
            <Stat label={t('contract.label.amount')} value={<Money fen={totals.amountFen} />} />
            <Stat label={t('contract.label.registeredTechAmount')} value={<Money fen={totals.techAmountFen} />} />
          </div>
        </section>
      ) : null}

      <Form method="get" className="mt-6 flex flex-wrap items-end gap-3" role="search" aria-label={t('contract.list.filters')}>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t('contract.label.status')}</span>
          <select name="status" defaultValue={query.status ?? ''} className={control}>
            <option value="">{t('contract.list.allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(CONTRACT_STATUS_KEYS[s])}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t('contract.list.year')}</span>
          <select name="year" defaultValue={query.year ? String(query.year) : ''} className={control}>
            <option value="">{t('contract.list.allYears')}</option>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <label className="min-w-48 flex-1 text-sm">
          <span className="mb-1 block text-slate-600">{t('contract.list.search')}</span>
          <input type="search" name="q" defaultValue={query.q ?? ''} placeholder={t('contract.list.searchHint')} className={`${control} w-full`} />
        </label>
        <button type="submit" className="rounded-md bg-slate-800 px-4 py-2 text-sm font-medium text-white hover:bg-slate-900">
          {t('contract.list.filter')}
        </button>
      </Form>

      <p className="mt-4 text-sm text-slate-500">{t('contract.list.total', { count: total })}</p>
      {items.length ? (
        <ul className="mt-2 divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
          {items.map((c) => (
            <li key={c.id} className="grid gap-2 p-4 sm:grid-cols-[1fr_auto] sm:gap-6">
              <div className="min-w-0">
                <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
                  <span className="font-mono">{c.number}</span>
                  <ContractStatusBadge status={c.status} />
                  <span>{classificationText(t, c.type, c.subtype)}</span>
                </div>
                <Link to={`/contracts/${c.id}`} className="mt-1 block truncate font-medium text-sky-800 hover:underline">
                  {c.title}
                </Link>
                <p className="mt-1 text-sm text-slate-600">
                  {c.seller} <span aria-hidden="true">→</span>
                  <span className="sr-only">{t('contract.list.to')}</span> {c.buyer}
                  {c.broker ? <span className="text-slate-400"> · {t('contract.list.broker', { name: c.broker })}</span> : null}
                </p>
              </div>
              <div className="flex items-baseline gap-4 sm:flex-col sm:items-end sm:gap-0.5">
                <Money fen={c.amountFen} className="text-lg font-semibold text-orange-700" />
                <span className="text-xs text-slate-500">
                  {t('contract.list.tech')} <Money fen={c.techAmountFen} />
                </span>
                <span className="ml-auto text-xs text-slate-400 sm:ml-0">{formatDate(c.date, locale)}</span>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">
          {query.status || query.year || query.q ? t('contract.list.emptyFiltered') : t('contract.list.empty')}
        </p>
      )}
      <Pagination page={query.page} pages={pages} href={href} />
    </div>
  )
}

function Stat({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div className="sm:text-right">
      <p className="text-xs text-emerald-800">{label}</p>
      <p className="text-lg font-semibold text-emerald-950">{value}</p>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
