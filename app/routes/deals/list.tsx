import { Form, Link, useLoaderData } from 'react-router'
import type { Route } from './+types/list'
import { listDeals, ownerOptions, publishedDemandTitle } from '~/domain/deals/deals.server'
import { parseDealQueryLenient } from '~/domain/deals/schemas'
import { DEAL_STAGES, STAGE_KEYS } from '~/domain/deals/stages'
import { can } from '~/domain/users/permissions'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { formatDate, formatDay } from '~/ui/listings/format'
import { Pagination } from '~/ui/listings/pagination'
import { DealStageBadge } from './header'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('deal.list.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const { query, invalid } = parseDealQueryLenient(args.url.searchParams)
  const [page, owners] = await Promise.all([listDeals({ actor: user, query: { ...query, cursor: undefined } }), ownerOptions({ actor: user })])
  const broker = user.role === 'BROKER'
  const bureau = can(user.role, 'deal:read-all')
  const demandTitle = query.demand ? await publishedDemandTitle(query.demand) : null
  return {
    query,
    invalid,
    total: page.total,
    pages: Math.max(1, Math.ceil(page.total / query.pageSize)),
    items: page.items,
    owners,
    demandTitle,
    showBoard: broker || bureau,
    showOwner: bureau || owners.length > 1,
    broker,
  }
}

export default function DealList() {
  const t = useT()
  const locale = useLocale()
  const { query, invalid, total, pages, items, owners, demandTitle, showBoard, showOwner, broker } = useLoaderData<typeof loader>()
  const params = (over: Record<string, string | null>) => {
    const p = new URLSearchParams()
    const base: Record<string, string | undefined> = { stage: query.stage, state: query.state, owner: query.owner, overdue: query.overdue, q: query.q, demand: query.demand }
    for (const [k, v] of Object.entries({ ...base, ...over })) if (v) p.set(k, v)
    const s = p.toString()
    return s ? `?${s}` : '?'
  }
  const href = (page: number) => params({ page: page > 1 ? String(page) : null })
  const filtered = !!(query.stage || query.state || query.owner || query.overdue || query.q || query.demand)
  const control = 'rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm'
  return (
    <div>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{t('deal.list.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t(broker ? 'deal.list.leadBroker' : showBoard ? 'deal.list.leadBureau' : 'deal.list.leadParty')}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {showBoard ? (
            <Link to={`/deals/board${query.owner ? `?owner=${query.owner}` : ''}`} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
              {t('deal.board.title')}
            </Link>
          ) : null}
          {broker ? (
            <Link to="/demands" className="rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800">
              {t('deal.list.findDemands')}
            </Link>
          ) : null}
        </div>
      </div>

      {invalid.length ? (
        <p role="alert" className="mt-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {t('deal.list.invalidFilters')}
        </p>
      ) : null}

      <Form method="get" className="mt-6 flex flex-wrap items-end gap-3" role="search" aria-label={t('deal.list.filters')}>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t('deal.label.stage')}</span>
          <select name="stage" defaultValue={query.stage ?? ''} className={control}>
            <option value="">{t('deal.list.allStages')}</option>
            {DEAL_STAGES.map((s) => (
              <option key={s} value={s}>
                {t(STAGE_KEYS[s])}
              </option>
            ))}
          </select>
        </label>
        {showOwner ? (
          <label className="text-sm">
            <span className="mb-1 block text-slate-600">{t('deal.label.owner')}</span>
            <select name="owner" defaultValue={query.owner ?? ''} className={control}>
              <option value="">{t('deal.list.allOwners')}</option>
              {broker ? <option value="me">{t('deal.list.mine')}</option> : null}
              {owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="min-w-48 flex-1 text-sm">
          <span className="mb-1 block text-slate-600">{t('deal.list.search')}</span>
          <input type="search" name="q" maxLength={100} defaultValue={query.q ?? ''} placeholder={t('deal.list.searchHint')} className={`${control} w-full`} />
        </label>
        <label className="flex items-center gap-2 py-2 text-sm">
          <input type="checkbox" name="overdue" value="1" defaultChecked={!!query.overdue} className="h-4 w-4" />
          {t('deal.list.overdueOnly')}
        </label>
        {query.demand ? <input type="hidden" name="demand" value={query.demand} /> : null}
        <button type="submit" className="rounded-md bg-slate-800 px-4 py-2 text-sm font-medium text-white hover:bg-slate-900">
          {t('deal.list.filter')}
        </button>
      </Form>
      {query.demand ? (
        <p className="mt-3 text-sm text-slate-600">
          {t('deal.list.forDemand', { title: demandTitle ?? query.demand })}{' '}
          <Link to={params({ demand: null })} className="text-sky-700 underline">
            {t('deal.list.clearDemand')}
          </Link>
        </p>
      ) : null}

      <p className="mt-4 text-sm text-slate-500">{t('deal.list.total', { count: total })}</p>
      {items.length ? (
        <ul className="mt-2 divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="deal-list">
          {items.map((d) => (
            <li key={d.id} className="grid gap-2 p-4 sm:grid-cols-[1fr_16rem] sm:gap-6" data-testid="deal-row">
              <div className="min-w-0">
                <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
                  <span className="font-mono">{d.number}</span>
                  <DealStageBadge stage={d.stage} />
                  {d.overdue ? <span className="rounded-full bg-red-100 px-2 py-0.5 font-medium text-red-800">{t('deal.overdue')}</span> : null}
                </div>
                <Link to={`/deals/${d.id}`} className="mt-1 block truncate font-medium text-sky-800 hover:underline">
                  {d.title}
                </Link>
                <p className="mt-1 text-sm text-slate-600">
                  {t('deal.header.buyer', { name: d.buyerOrg.name })} · {t('deal.header.owner', { name: d.owner.name })}
                </p>
              </div>
              <div className="text-sm">
                {d.nextStep ? (
                  <>
                    <p className="truncate text-slate-800" title={d.nextStep}>
                      {d.nextStep}
                    </p>
                    <p className={`text-xs ${d.overdue ? 'font-semibold text-red-700' : 'text-slate-500'}`}>{t('deal.nextStep.dueOn', { date: formatDay(d.nextStepDue, locale) })}</p>
                  </>
                ) : (
                  <p className="text-xs text-slate-500">{t('deal.list.updated', { date: formatDate(d.updatedAt, locale) })}</p>
                )}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">
          {filtered ? t('deal.list.emptyFiltered') : t(broker ? 'deal.list.emptyBroker' : 'deal.list.empty')}
        </p>
      )}
      <Pagination page={query.page} pages={pages} href={href} />
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
