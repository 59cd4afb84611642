import { Form, Link, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/mining'
import { findEnterprises, MINED_PAGE_SIZE, minedByMe } from '~/domain/brokers/mining.server'
import { regionName } from '~/domain/orgs/regions.server'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { formatDate } from '~/ui/listings/format'
import { StatusBadge } from '~/ui/listings/labels'
import { Pagination } from '~/ui/listings/pagination'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('brokers.mining.title')} · ${t('app.name')}` }]
}

const QuerySchema = z.object({
  q: z.string().trim().max(100).catch(''),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})

/** The broker's mined demands, and the search for the enterprise of a new one. */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'demand:mine')
  const { q, page } = QuerySchema.parse({ q: args.url.searchParams.get('q') ?? '', page: args.url.searchParams.get('page') ?? 1 })
  const [mined, enterprises] = await Promise.all([minedByMe({ actor: user, page }), q ? findEnterprises({ actor: user, q }) : Promise.resolve(null)])
  return {
    q,
    page,
    pages: Math.max(1, Math.ceil(mined.total / MINED_PAGE_SIZE)),
    total: mined.total,
    rows: mined.rows,
    enterprises: enterprises?.map((e) => ({ ...e, region: regionName(e.regionCode) })) ?? null,
  }
}

export default function Mining() {
  const t = useT()
  const locale = useLocale()
  const { q, page, pages, rows, enterprises } = useLoaderData<typeof loader>()
  return (
    <div>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="max-w-3xl">
          <h1 className="text-2xl font-semibold">{t('brokers.mining.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('brokers.mining.lead')}</p>
        </div>
        <Link to="/brokers/claims" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50">
          {t('brokers.claims.title')}
        </Link>
      </div>
      <section aria-labelledby="new-mined" className="mb-8 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <h2 id="new-mined" className="text-base font-semibold">
          {t('brokers.mining.new')}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t('brokers.mining.pickEnterprise')}</p>
        <Form method="get" className="mt-3 flex flex-wrap gap-2" role="search">
          <label htmlFor="m-q" className="sr-only">
            {t('brokers.mining.enterpriseName')}
          </label>
          <input
            id="m-q"
            type="search"
            name="q"
            defaultValue={q}
            key={q}
            maxLength={100}
            placeholder={t('brokers.mining.enterpriseName')}
            className="min-w-60 flex-1 rounded-md border border-slate-300 px-3 py-2 text-base shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200"
          />
          <button type="submit" className="rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-sky-800">
            {t('brokers.mining.search')}
          </button>
        </Form>
        {enterprises ? (
          enterprises.length ? (
            <ul className="mt-3 divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="enterprises">
              {enterprises.map((e) => (
                <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
                  <span>
                    <span className="font-medium">{e.name}</span>
                    {e.region ? <span className="ml-2 text-sm text-slate-500">{e.region}</span> : null}
                  </span>
                  <Link to={`/brokers/mining/${e.id}`} className="rounded-md border border-sky-700 px-3 py-1.5 text-sm font-medium text-sky-800 hover:bg-sky-50">
                    {t('brokers.mining.recordFor')}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-3 text-sm text-slate-600">{t('brokers.mining.noEnterprise')}</p>
          )
        ) : null}
      </section>
      <h2 className="mb-3 text-lg font-semibold">{t('brokers.mining.mine')}</h2>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">{t('brokers.mining.empty')}</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="mined-list">
          {rows.map((r) => (
            <li key={r.id} className="p-4">
              <div className="flex flex-wrap items-center gap-2">
                <StatusBadge status={r.status} />
                <span className="text-xs font-medium text-slate-600">
                  {t(r.declined ? 'brokers.mining.stateDeclined' : r.confirmedAt ? 'brokers.mining.stateConfirmed' : 'brokers.mining.stateAwaiting')}
                </span>
                {r.status === 'PUBLISHED' ? (
                  <Link to={`/demands/${r.id}`} className="font-medium text-slate-900 hover:text-sky-800 hover:underline">
                    {r.title}
                  </Link>
                ) : (
                  <span className="font-medium text-slate-900">{r.title}</span>
                )}
              </div>
              <p className="mt-1 text-xs text-slate-500">
                {r.org.name} · {t('brokers.mining.minedOn', { date: formatDate(r.minedAt, locale) })}
              </p>
              {r.declineReason ? (
                <p className="mt-1 text-sm text-red-800">
                  {t('brokers.mining.declineReason')} {r.declineReason}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} href={(p) => `?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`} />
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
