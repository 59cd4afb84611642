import { data as routeData, Form, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/bureau'
import { currentYear, dashboard, setTarget, StatsQuerySchema, statsYears, TargetInputSchema, toJson } from '~/domain/stats/stats.server'
import { can } from '~/domain/users/permissions'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { StatsFilters, StatsSections, TotalsTable } from '~/ui/stats/dashboard'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('stats.bureau.title')} · ${t('app.name')}` }]
}

/** The bureau's dashboard: everything, with the top lists, target editing and exports. */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'contract:read-all')
  const parsed = StatsQuerySchema.safeParse(Object.fromEntries(args.url.searchParams))
  const query = parsed.success ? parsed.data : {}
  const year = query.year ?? currentYear()
  const quarter = query.quarter ?? null
  const [data, years] = await Promise.all([dashboard({ year, quarter, audience: 'bureau' }), statsYears()])
  return { data: toJson(data), years: years.includes(year) ? years : [year, ...years], canEdit: can(user.role, 'target:edit') }
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args, 'target:edit')
  const form = Object.fromEntries(await args.request.formData())
  const parsed = TargetInputSchema.safeParse(form)
  if (!parsed.success) {
    const fields: Record<string, string> = {}
    for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message
    return routeData({ ok: false as const, fields }, { status: 400 })
  }
  await setTarget({ actor: user, input: parsed.data, ip: args.context.get(clientIpContext) })
  return { ok: true as const, fields: {} as Record<string, string> }
}

/** 亿元 as a decimal string from integer fen (exact). */
function fenToYi(fen: number): string {
  const yi = Math.floor(fen / 10_000_000_000)
  const rest = String(fen % 10_000_000_000).padStart(10, '0').replace(/0+$/, '').slice(0, 6)
  return rest ? `${yi}.${rest}` : String(yi)
}

export default function BureauStats() {
  const t = useT()
  const { data, years, canEdit } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const exportHref = (format: string) => `/stats/export?${new URLSearchParams({ year: String(data.year), ...(data.quarter ? { quarter: String(data.quarter) } : {}), format })}`
  const control = 'rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm'
  const err = result && !result.ok ? result.fields : {}
  return (
    <div>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{t('stats.bureau.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('stats.intro')}</p>
        </div>
        <div className="flex flex-wrap gap-2" aria-label={t('stats.export')}>
          <a href={exportHref('csv')} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
            {t('stats.export.csv')}
          </a>
          <a href={exportHref('xlsx')} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
            {t('stats.export.xlsx')}
          </a>
        </div>
      </div>
      <StatsFilters years={years} year={data.year} quarter={data.quarter} />
      <TotalsTable data={data} />
      {canEdit ? (
        <section aria-labelledby="targets-edit" className="mt-6 max-w-3xl rounded-lg border border-slate-200 bg-slate-50 p-4">
          <h2 id="targets-edit" className="text-base font-semibold">
            {t('stats.targets.edit')}（{data.year}）
          </h2>
          {result?.ok ? (
            <p role="status" className="mt-2 text-sm text-emerald-700">
              {t('stats.targets.saved')}
            </p>
          ) : null}
          <Form method="post" className="mt-3 flex flex-wrap items-end gap-3" noValidate>
            <input type="hidden" name="year" value={data.year} />
            <label className="text-sm">
              <span className="mb-1 block text-slate-600">{t('stats.targets.turnoverYi')}</span>
              <input name="turnoverYi" inputMode="decimal" defaultValue={fenToYi(data.target.yearTurnoverFen)} className={control} aria-invalid={!!err.turnoverYi} aria-describedby="err-turnover" />
              {err.turnoverYi ? (
                <span id="err-turnover" className="mt-1 block text-xs text-red-700">
                  {t(err.turnoverYi)}
                </span>
              ) : null}
            </label>
            <label className="text-sm">
              <span className="mb-1 block text-slate-600">{t('stats.targets.count')}</span>
              <input name="contractCount" inputMode="numeric" defaultValue={data.target.yearContractCount} className={control} aria-invalid={!!err.contractCount} aria-describedby="err-count" />
              {err.contractCount ? (
                <span id="err-count" className="mt-1 block text-xs text-red-700">
                  {t(err.contractCount)}
                </span>
              ) : null}
            </label>
            <button type="submit" disabled={busy} className="rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60">
              {t('stats.targets.save')}
            </button>
          </Form>
        </section>
      ) : null}
      <StatsSections data={data} />
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
