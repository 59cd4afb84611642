import { Form, Link, useLoaderData, useNavigation, useSearchParams } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/claims'
import { assistDemand, CLAIMS_PAGE_SIZE, claimDemand, leaveDemand, listUnclaimed, releaseDemand, removeAssistant } from '~/domain/brokers/claims.server'
import { ClaimsQuerySchema } from '~/domain/brokers/schemas'
import { listDistricts, listProvinces, regionName } from '~/domain/orgs/regions.server'
import { localeFromRequest, translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser, safeRedirect } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { Choice, filterControl } from '~/ui/brokers/filters'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button } from '~/ui/form'
import { formatDate, formatDay, formatFen, joinList } from '~/ui/listings/format'
import { Chip, FIELD_KEYS, INDUSTRY_KEYS, optionsOf } from '~/ui/listings/labels'
import { Pagination } from '~/ui/listings/pagination'
import { asAppError, errorKey, redirectWithFlash } from '../listings/helpers.server'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('brokers.claims.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'demand:claim')
  const query = ClaimsQuerySchema.parse(Object.fromEntries([...args.url.searchParams].filter(([, v]) => v.trim() !== '')))
  const { items, total, profile, narrowed } = await listUnclaimed({ actor: user, query })
  return {
    query,
    total,
    narrowed,
    hasProfile: !!profile,
    specialties: profile
      ? {
          fields: profile.fields,
          industries: profile.industries,
          regions: profile.regionCodes.map((c) => regionName(c) ?? c),
        }
      : null,
    pages: Math.max(1, Math.ceil(total / CLAIMS_PAGE_SIZE)),
    items: items.map((d) => ({ ...d, region: regionName(d.org.regionCode) })),
    provinces: listProvinces(),
    districts: query.region ? listDistricts(query.region) : [],
  }
}

const ActionSchema = z.object({
  intent: z.enum(['claim', 'release', 'assist', 'leave', 'remove']),
  demandId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  brokerId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  redirectTo: z.string().max(500).optional(),
})

const DONE_KEYS = {
  claim: 'brokers.claims.done.claim',
  release: 'brokers.claims.done.release',
  assist: 'brokers.claims.done.assist',
  leave: 'brokers.claims.done.leave',
  remove: 'brokers.claims.done.remove',
} as const

/**
 * Claim, release, assist, leave, remove an assistant: posted from this list and from a
 * demand's page; the answer is a redirect back with a message (an error one when refused).
 */
export async function action(args: Route.ActionArgs) {
  const user = requireUser(args, 'demand:claim')
  const formData = await args.request.formData()
  const parsed = ActionSchema.safeParse(Object.fromEntries(formData))
  if (!parsed.success) throw new Response(translator(localeFromRequest(args.request))('err.badRequest'), { status: 400 })
  const { intent, demandId, brokerId, redirectTo } = parsed.data
  const back = safeRedirect(redirectTo, `/demands/${demandId}`)
  const ip = args.context.get(clientIpContext)
  try {
    const done =
      intent === 'claim'
        ? await claimDemand({ actor: user, id: demandId, ip })
        : intent === 'release'
          ? await releaseDemand({ actor: user, id: demandId, ip })
          : intent === 'assist'
            ? await assistDemand({ actor: user, id: demandId, ip })
            : intent === 'leave'
              ? await leaveDemand({ actor: user, id: demandId, ip })
              : await removeAssistant({ actor: user, id: demandId, brokerId: brokerId ?? '', ip })
    return redirectWithFlash(back, { key: DONE_KEYS[intent], params: { title: done.title } })
  } catch (error) {
    const e = asAppError(error)
    return redirectWithFlash(back, { key: errorKey(e, args.request), kind: 'error' })
  }
}

const control = filterControl

export default function Claims() {
  const t = useT()
  const locale = useLocale()
  const { query, total, narrowed, hasProfile, specialties, pages, items, provinces, districts } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  const any = t('listings.filter.any')
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
          <h1 className="text-2xl font-semibold">{t('brokers.claims.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('brokers.claims.lead')}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link to="/brokers/mining" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50">
            {t('brokers.mining.title')}
          </Link>
          <Link to="/my/broker-profile" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50">
            {t('brokers.profile.title')}
          </Link>
        </div>
      </div>
      <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
        <aside>
          <Form method="get" aria-label={t('brokers.claims.filters')} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <div>
              <label htmlFor="c-scope" className="mb-1 block text-sm font-medium text-slate-700">
                {t('brokers.claims.scope')}
              </label>
              <select id="c-scope" name="scope" defaultValue={query.scope} key={query.scope} className={control}>
                <option value="mine">{t('brokers.claims.scopeMine')}</option>
                <option value="all">{t('brokers.claims.scopeAll')}</option>
              </select>
            </div>
            <div>
              <label htmlFor="c-q" className="mb-1 block text-sm font-medium text-slate-700">
                {t('listings.filter.q')}
              </label>
              <input id="c-q" type="search" name="q" defaultValue={query.q ?? ''} key={query.q ?? ''} maxLength={100} className={control} />
            </div>
            <Choice id="c-field" name="field" label={t('listings.label.field')} value={query.field} any={any} options={optionsOf(FIELD_KEYS, t)} />
            <Choice id="c-industry" name="industry" label={t('listings.label.industry')} value={query.industry} any={any} options={optionsOf(INDUSTRY_KEYS, t)} />
            <Choice
              id="c-region"
              name="region"
              label={t('listings.filter.region')}
              value={query.region}
              any={t('listings.filter.anyRegion')}
              options={provinces.map((p) => ({ value: p.code, label: p.name }))}
            />
            {districts.length ? (
              <Choice
                id="c-district"
                name="district"
                label={t('brokers.directory.district')}
                value={query.district}
                any={t('brokers.directory.anyDistrict')}
                options={districts.flatMap((g) => g.areas.map((a) => ({ value: a.code, label: a.name })))}
              />
            ) : null}
            <button type="submit" className="w-full rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-sky-800">
              {t('listings.filter.apply')}
            </button>
          </Form>
        </aside>
        <section aria-labelledby="claims-count">
          {narrowed && specialties ? (
            <p className="mb-4 rounded-md border border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-900" data-testid="specialty-note">
              {t('brokers.claims.narrowed', {
                fields: joinList([...specialties.fields.map((f) => t(FIELD_KEYS[f])), ...specialties.industries.map((i) => t(INDUSTRY_KEYS[i]))], locale) || '—',
                regions: joinList(specialties.regions, locale) || t('listings.filter.anyRegion'),
              })}{' '}
              <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), scope: 'all' })}`} className="underline">
                {t('brokers.claims.showAll')}
              </Link>
            </p>
          ) : !hasProfile ? (
            <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
              {t('brokers.claims.noProfile')}{' '}
              <Link to="/my/broker-profile" className="underline">
                {t('brokers.profile.title')}
              </Link>
            </p>
          ) : null}
          <p id="claims-count" className="mb-4 text-sm text-slate-600" data-testid="result-count">
            {t('brokers.claims.count', { count: total })}
          </p>
          {items.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-slate-600">{t('brokers.claims.empty')}</p>
          ) : (
            <ul className="space-y-3">
              {items.map((d) => (
                <li key={d.id}>
                  <article data-testid="claim-row" className="flex flex-wrap items-start justify-between gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                    <div className="min-w-0 flex-1">
                      <h2 className="font-semibold">
                        <Link to={`/demands/${d.id}`} className="hover:text-sky-800 hover:underline">
                          {d.title}
                        </Link>
                      </h2>
                      <p className="mt-1 text-sm text-slate-600">
                        {d.org.name}
                        {d.region ? <span className="text-slate-400"> · {d.region}</span> : null}
                        {d.publishedAt ? <span className="text-slate-400"> · {t('listings.publishedOn', { date: formatDate(d.publishedAt, locale) })}</span> : null}
                      </p>
                      <div className="mt-2 flex flex-wrap items-center gap-1.5 text-xs">
                        <Chip>{t(FIELD_KEYS[d.field])}</Chip>
                        <Chip tone="violet">{t(INDUSTRY_KEYS[d.industry])}</Chip>
                        <span className="text-slate-600">
                          {t('listings.label.budget')} {formatFen(d.budgetFen, locale, t('listings.negotiable'))}
                        </span>
                        {d.deadline ? <span className="text-slate-500">· {t('brokers.claims.deadline', { date: formatDay(d.deadline, locale) })}</span> : null}
                      </div>
                    </div>
                    <Form method="post">
                      <input type="hidden" name="demandId" value={d.id} />
                      <input type="hidden" name="redirectTo" value={`/demands/${d.id}`} />
                      <Button type="submit" name="intent" value="claim" disabled={busy}>
                        {t('brokers.claims.claim')}
                      </Button>
                    </Form>
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
