import { Form, Link, useLoaderData, useSearchParams } from 'react-router'
import type { Route } from './+types/directory'
import type { Industry, TechField } from '~/generated/prisma/enums'
import { DIRECTORY_PAGE_SIZE, listDirectory } from '~/domain/brokers/profiles.server'
import { BROKER_GRADES, DirectoryQuerySchema } from '~/domain/brokers/schemas'
import { listDistricts, listProvinces, regionName } from '~/domain/orgs/regions.server'
import { can } from '~/domain/users/permissions'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { getUser } from '~/infra/http/auth.server'
import { GradeBadge, GRADE_KEYS } from '~/ui/brokers/labels'
import { Choice, filterControl, Labelled } from '~/ui/brokers/filters'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { joinList } from '~/ui/listings/format'
import { Chip, FIELD_KEYS, INDUSTRY_KEYS, optionsOf } from '~/ui/listings/labels'
import { Pagination } from '~/ui/listings/pagination'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('brokers.directory.title')} · ${t('app.name')}` }]
}

export async function loader({ url, context }: Route.LoaderArgs) {
  const user = getUser(context)
  const query = DirectoryQuerySchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v.trim() !== '')))
  const { items, total } = await listDirectory({ query })
  return {
    query,
    total,
    pages: Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE)),
    items: items.map((b) => ({
      id: b.userId,
      name: b.name,
      agency: b.agency,
      grade: b.grade,
      fields: b.fields,
      industries: b.industries,
      regions: b.regionCodes.map((c) => regionName(c) ?? c),
      bio: b.bio.length > 140 ? `${b.bio.slice(0, 140)}…` : b.bio,
      contracts: b.contracts,
    })),
    provinces: listProvinces(),
    districts: query.region ? listDistricts(query.region) : [],
    isBroker: !!user && can(user.role, 'broker:profile'),
    isBureau: !!user && can(user.role, 'broker:verify'),
  }
}

const control = filterControl

export default function BrokerDirectory() {
  const t = useT()
  const locale = useLocale()
  const { query, total, pages, items, provinces, districts, isBroker, isBureau } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const any = t('listings.filter.any')
  const active = (['grade', 'field', 'industry', 'region', 'district', 'q'] as const).filter((k) => query[k]).length
  const pageHref = (p: number) => {
    const next = new URLSearchParams(params)
    if (p === 1) next.delete('page')
    else next.set('page', String(p))
    return `?${next}`
  }
  return (
    <div>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="max-w-3xl">
          <h1 className="text-2xl font-semibold">{t('brokers.directory.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('brokers.directory.lead')}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {isBureau ? (
            <Link to="/brokers/verify" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50">
              {t('brokers.verify.title')}
            </Link>
          ) : null}
          {isBroker ? (
            <>
              <Link to="/brokers/claims" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50">
                {t('brokers.claims.title')}
              </Link>
              <Link to="/my/broker-profile" className="rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-sky-800">
                {t('brokers.profile.title')}
              </Link>
            </>
          ) : null}
        </div>
      </div>
      <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
        <aside>
          <Form method="get" aria-label={t('brokers.directory.filters')} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <Labelled id="b-q" label={t('brokers.directory.q')}>
              <input id="b-q" type="search" name="q" defaultValue={query.q ?? ''} key={query.q ?? ''} maxLength={100} placeholder={t('brokers.directory.qPlaceholder')} className={control} />
            </Labelled>
            <Choice id="b-grade" name="grade" label={t('brokers.profile.grade')} value={query.grade} any={any} options={BROKER_GRADES.map((g) => ({ value: g, label: t(GRADE_KEYS[g]) }))} />
            <Choice id="b-field" name="field" label={t('listings.label.field')} value={query.field} any={any} options={optionsOf(FIELD_KEYS, t)} />
            <Choice id="b-industry" name="industry" label={t('listings.label.industry')} value={query.industry} any={any} options={optionsOf(INDUSTRY_KEYS, t)} />
            <Choice
              id="b-region"
              name="region"
              label={t('brokers.directory.region')}
              value={query.region}
              any={t('listings.filter.anyRegion')}
              options={provinces.map((p) => ({ value: p.code, label: p.name }))}
            />
            {districts.length ? (
              <div>
                <label htmlFor="b-district" className="mb-1 block text-sm font-medium text-slate-700">
                  {t('brokers.directory.district')}
                </label>
                <select id="b-district" name="district" defaultValue={query.district ?? ''} key={query.district ?? ''} className={control}>
                  <option value="">{t('brokers.directory.anyDistrict')}</option>
                  {districts.map((g) => (
                    <optgroup key={g.city} label={g.city}>
                      {g.areas.map((a) => (
                        <option key={a.code} value={a.code}>
                          {a.name}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </div>
            ) : null}
            <div className="flex items-center gap-3 pt-1">
              <button type="submit" className="flex-1 rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-sky-800">
                {t('listings.filter.apply')}
              </button>
              {active ? (
                <Link to="?" className="text-sm text-slate-600 underline hover:text-sky-800">
                  {t('listings.filter.clear')}
                </Link>
              ) : null}
            </div>
          </Form>
        </aside>
        <section aria-labelledby="brokers-count">
          <p id="brokers-count" className="mb-4 text-sm text-slate-600" data-testid="result-count">
            {t('brokers.directory.count', { count: total })}
          </p>
          {items.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-slate-600">
              {t(active ? 'brokers.directory.emptyFiltered' : 'brokers.directory.empty')}
            </p>
          ) : (
            <ul className="grid gap-3 md:grid-cols-2">
              {items.map((b) => (
                <li key={b.id}>
                  <article className="h-full rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-labelledby={`b-${b.id}`}>
                    <div className="flex flex-wrap items-center gap-2">
                      <h2 id={`b-${b.id}`} className="text-lg font-semibold">
                        <Link to={`/brokers/${b.id}`} className="hover:text-sky-800 hover:underline">
                          {b.name}
                        </Link>
                      </h2>
                      <GradeBadge grade={b.grade} />
                    </div>
                    <p className="mt-1 text-sm text-slate-600">{b.agency ?? '—'}</p>
                    {b.fields.length || b.industries.length ? (
                      <div className="mt-3 flex flex-wrap gap-1.5">
                        {b.fields.map((f: TechField) => (
                          <Chip key={f}>{t(FIELD_KEYS[f])}</Chip>
                        ))}
                        {b.industries.map((i: Industry) => (
                          <Chip key={i} tone="violet">
                            {t(INDUSTRY_KEYS[i])}
                          </Chip>
                        ))}
                      </div>
                    ) : null}
                    {b.regions.length ? (
                      <p className="mt-2 text-xs text-slate-500">
                        {t('brokers.profile.regions')}：{joinList(b.regions, locale)}
                      </p>
                    ) : null}
                    {b.bio ? <p className="mt-2 line-clamp-3 whitespace-pre-line break-words text-sm text-slate-700">{b.bio}</p> : null}
                    <p className="mt-3 text-xs text-slate-500">{t('brokers.directory.contracts', { count: b.contracts })}</p>
                  </article>
                </li>
              ))}
            </ul>
          )}
          <Pagination page={query.page} pages={pages} href={pageHref} />
        </section>
      </div>
    </div>
  )
}



export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
