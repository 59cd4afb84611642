import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/index'
import { currentYear, dashboard, StatsQuerySchema, statsYears, toJson } from '~/domain/stats/stats.server'
import { can } from '~/domain/users/permissions'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { getUser } from '~/infra/http/auth.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { StatsFilters, StatsSections, TotalsTable } from '~/ui/stats/dashboard'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('stats.title')} · ${t('app.name')}` }]
}

/** The public statistics page: aggregates only, no organisation or broker names. */
export async function loader(args: Route.LoaderArgs) {
  const parsed = StatsQuerySchema.safeParse(Object.fromEntries(args.url.searchParams))
  const query = parsed.success ? parsed.data : {}
  const year = query.year ?? currentYear()
  const quarter = query.quarter ?? null
  const user = getUser(args.context)
  const [data, years] = await Promise.all([dashboard({ year, quarter, audience: 'public' }), statsYears()])
  return { data: toJson(data), years: years.includes(year) ? years : [year, ...years], bureau: !!user && can(user.role, 'contract:read-all') }
}

export default function StatsPage() {
  const t = useT()
  const { data, years, bureau } = useLoaderData<typeof loader>()
  return (
    <div>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{t('stats.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('stats.intro')}</p>
        </div>
        {bureau ? (
          <Link to={`/stats/bureau?year=${data.year}`} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
            {t('stats.bureauLink')}
          </Link>
        ) : null}
      </div>
      <StatsFilters years={years} year={data.year} quarter={data.quarter} />
      <TotalsTable data={data} />
      <StatsSections data={data} />
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
