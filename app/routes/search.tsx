import { useEffect, useRef, useState } from 'react'
import { Form, Link, useLoaderData, useNavigation, useRouteLoaderData, useSearchParams, useSubmit } from 'react-router'
import type { Route } from './+types/search'
import { KIND_PATHS, LISTING_KINDS, type ListingKind } from '~/domain/listings/kinds'
import type { Segment } from '~/domain/search/highlight'
import { searchListings, SearchQuerySchema, type SearchOutcome } from '~/domain/search/search.server'
import { searchParamsToObject } from '~/domain/listings/query'
import { listProvinces } from '~/domain/orgs/regions.server'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { getUser } from '~/infra/http/auth.server'
import type { PriceBucket, SearchSort } from '~/infra/search/engine'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { FoldToggle } from '~/ui/fold-toggle'
import { formatFen } from '~/ui/listings/format'
import { FIELD_KEYS, INDUSTRY_KEYS, MODE_KEYS, STAGE_KEYS } from '~/ui/listings/labels'
import { SaveSearch } from './saved-searches.forms'

export function meta({ matches, data }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const q = (data as { q?: string } | undefined)?.q
  return [{ title: `${q ? `${q} · ` : ''}${t('search.title')} · ${t('app.name')}` }]
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const params = new URL(request.url).searchParams
  const raw = searchParamsToObject(params)
  const parsed = SearchQuerySchema.safeParse(raw)
  // A wrong filter in a shared link is dropped, not an error page.
  const invalid = parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => String(i.path[0])))]
  const query = parsed.success
    ? parsed.data
    : SearchQuerySchema.parse(Object.fromEntries(Object.entries(raw).filter(([k]) => !invalid.includes(k))))
  const result = await searchListings({ actor: getUser(context), query })
  return { q: query.q, query, result, invalid, provinces: listProvinces() }
}

// Message keys written out, so that the catalogue test can check each one.
const PRICE_KEYS: Record<PriceBucket, string> = {
  negotiable: 'search.price.negotiable',
  lt100k: 'search.price.lt100k',
  '100k-500k': 'search.price.100k-500k',
  '500k-1m': 'search.price.500k-1m',
  '1m-5m': 'search.price.1m-5m',
  gte5m: 'search.price.gte5m',
}
const KIND_KEYS: Record<ListingKind, string> = {
  achievement: 'search.kind.achievement',
  demand: 'search.kind.demand',
  scenario: 'search.kind.scenario',
}
/** One result's kind: singular where the language has a plural (the tabs). */
const BADGE_KEYS: Record<ListingKind, string> = {
  achievement: 'search.badge.achievement',
  demand: 'search.badge.demand',
  scenario: 'search.badge.scenario',
}
const SORT_KEYS: Record<SearchSort, string> = {
  relevance: 'search.sort.relevance',
  newest: 'search.sort.newest',
  price_asc: 'search.sort.price_asc',
  price_desc: 'search.sort.price_desc',
}
const FACET_KEYS = {
  field: 'search.facet.field',
  industry: 'search.facet.industry',
  trl: 'search.facet.trl',
  stage: 'search.facet.stage',
  modes: 'search.facet.modes',
  province: 'search.facet.province',
  priceBucket: 'search.facet.priceBucket',
} as const

const FACET_ORDER = ['field', 'industry', 'trl', 'stage', 'modes', 'province', 'priceBucket'] as const
const FACET_PARAM: Record<(typeof FACET_ORDER)[number], string> = {
  field: 'field',
  industry: 'industry',
  trl: 'trl',
  stage: 'stage',
  modes: 'mode',
  province: 'province',
  priceBucket: 'price',
}

function Highlighted({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.hit ? (
          <mark key={i} className="rounded bg-amber-100 px-0.5 text-inherit">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  )
}

export default function Search() {
  const t = useT()
  const locale = useLocale()
  const { query, result, invalid, provinces } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const submit = useSubmit()
  const navigation = useNavigation()
  const [text, setText] = useState(query.q)
  const formRef = useRef<HTMLFormElement>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => setText(query.q), [query.q])

  // Results as you type (with JavaScript); the plain form works without it.
  function onType(value: string) {
    setText(value)
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      if (formRef.current) submit(formRef.current, { replace: true, preventScrollReset: true })
    }, 250)
  }

  const link = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params)
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k)
      else next.set(k, v)
    }
    if (!('page' in changes)) next.delete('page')
    return `?${next}`
  }
  const provinceName = (code: string) => provinces.find((p) => p.code === code)?.name ?? code
  const facetLabel = (facet: (typeof FACET_ORDER)[number], value: string): string => {
    switch (facet) {
      case 'field':
        return t(FIELD_KEYS[value as keyof typeof FIELD_KEYS] ?? value)
      case 'industry':
        return t(INDUSTRY_KEYS[value as keyof typeof INDUSTRY_KEYS] ?? value)
      case 'stage':
        return t(STAGE_KEYS[value as keyof typeof STAGE_KEYS] ?? value)
      case 'modes':
        return t(MODE_KEYS[value as keyof typeof MODE_KEYS] ?? value)
      case 'trl':
        return `TRL ${value}`
      case 'province':
        return provinceName(value)
      case 'priceBucket':
        return t(PRICE_KEYS[value as PriceBucket] ?? value)
    }
  }
  const pages = Math.max(1, Math.ceil(Math.min(result.total, 1000 * query.pageSize) / query.pageSize))
  const busy = navigation.state === 'loading' && navigation.location?.pathname === '/search'
  const activeFilters = FACET_ORDER.filter((f) => params.get(FACET_PARAM[f]))
  const signedIn = !!(useRouteLoaderData('root') as { user?: unknown } | undefined)?.user

  return (
    <div>
      <h1 className="sr-only">{t('search.title')}</h1>
      <Form ref={formRef} method="get" role="search" className="mb-4 flex gap-2">
        {[...params].filter(([k]) => k !== 'q' && k !== 'page').map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <input
          type="search"
          name="q"
          value={text}
          onChange={(e) => onType(e.currentTarget.value)}
          maxLength={10000}
          placeholder={t('search.placeholder')}
          aria-label={t('search.title')}
          className="min-w-0 flex-1 rounded-md border border-slate-300 px-4 py-3 text-base shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200"
        />
        <button type="submit" className="rounded-md bg-sky-700 px-5 py-3 font-medium text-white hover:bg-sky-800">
          {t('search.submit')}
        </button>
      </Form>

      {result.degraded ? <p role="status" className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">{t('search.degraded')}</p> : null}
      {invalid.length ? <p role="status" className="mb-3 text-sm text-amber-800">{t('search.invalidFilters', { names: invalid.join(', ') })}</p> : null}
      {result.relaxed ? <p className="mb-3 text-sm text-slate-600">{t('search.relaxed')}</p> : null}
      {result.pruned ? <p className="mb-3 text-sm text-slate-600">{t('search.pruned', { terms: result.terms.join(' ') })}</p> : null}

      <nav aria-label={t('search.kinds')} className="mb-4 flex flex-wrap gap-2 border-b border-slate-200 pb-2">
        <Link to={link({ kind: null })} className={tabClass(!query.kind)} aria-current={!query.kind ? 'page' : undefined}>
          {t('search.kind.all')} <span className="text-xs opacity-80">{sum(result.kindCounts)}</span>
        </Link>
        {LISTING_KINDS.map((k) => (
          <Link key={k} to={link({ kind: k })} className={tabClass(query.kind === k)} aria-current={query.kind === k ? 'page' : undefined}>
            {t(KIND_KEYS[k])} <span className="text-xs opacity-80" data-testid={`count-${k}`}>{result.kindCounts[k]}</span>
          </Link>
        ))}
      </nav>

      <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
        <aside aria-label={t('search.filters')} className="text-sm">
          <FoldToggle
            id="show-filters"
            label={t('search.filters')}
            note={activeFilters.length ? t('search.filtersChosen', { count: activeFilters.length }) : null}
            className="px-3 py-2 text-slate-700 peer-checked:mb-4"
          />
          <div className="hidden space-y-4 peer-checked:block lg:block">
            {activeFilters.length ? (
              <Link to={link(Object.fromEntries(activeFilters.map((f) => [FACET_PARAM[f], null])))} className="block text-sky-700 underline">
                {t('search.clearFilters')}
              </Link>
            ) : null}
            {FACET_ORDER.map((facet) => {
              const counts = result.facets[facet] ?? {}
              const entries = Object.entries(counts).sort((a, b) => b[1] - a[1])
              const param = FACET_PARAM[facet]
              const active = params.get(param)
              if (!entries.length && !active) return null
              return (
                <section key={facet}>
                  <h2 className="mb-1 font-medium text-slate-700">{t(FACET_KEYS[facet])}</h2>
                  <ul className="space-y-0.5">
                    {entries.map(([value, count]) => (
                      <li key={value}>
                        <Link
                          to={link({ [param]: active === value ? null : value })}
                          className={`flex justify-between rounded px-2 py-1 ${active === value ? 'bg-sky-100 font-medium text-sky-900' : 'hover:bg-slate-100'}`}
                          aria-pressed={active === value}
                        >
                          <span>{facetLabel(facet, value)}</span>
                          <span className="text-slate-500">{count}</span>
                        </Link>
                      </li>
                    ))}
                  </ul>
                </section>
              )
            })}
          </div>
        </aside>

        <section aria-live="polite" aria-busy={busy} className={busy ? 'opacity-60' : ''}>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
            <span data-testid="result-total">{t('search.total', { count: result.total })}</span>
            {signedIn ? (
              <SaveSearch query={params.toString()} redirectTo={`/search?${params}`} defaultName={query.q.trim().slice(0, 100) || t('savedSearches.defaultName')} />
            ) : null}
            <Form method="get" className="flex items-center gap-2">
              {[...params].filter(([k]) => k !== 'sort' && k !== 'page').map(([k, v]) => (
                <input key={k} type="hidden" name={k} value={v} />
              ))}
              <label htmlFor="sort">{t('search.sort')}</label>
              <select
                id="sort"
                name="sort"
                defaultValue={query.sort}
                onChange={(e) => submit(e.currentTarget.form)}
                className="rounded border border-slate-300 bg-white px-2 py-1"
              >
                {(['relevance', 'newest', 'price_asc', 'price_desc'] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(SORT_KEYS[s])}
                  </option>
                ))}
              </select>
              <noscript>
                <button type="submit" className="rounded border border-slate-300 px-2 py-1">{t('search.apply')}</button>
              </noscript>
            </Form>
          </div>

          {result.items.length === 0 ? (
            <EmptyState result={result} link={link} />
          ) : (
            <ol className="space-y-3">
              {result.items.map((item) => (
                <li key={`${item.kind}-${item.id}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                  <div className="mb-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
                    <span className="rounded bg-slate-100 px-2 py-0.5 text-slate-700">{t(BADGE_KEYS[item.kind as ListingKind])}</span>
                    {item.field ? <span>{t(FIELD_KEYS[item.field as keyof typeof FIELD_KEYS])}</span> : null}
                    {item.industry ? <span>· {t(INDUSTRY_KEYS[item.industry as keyof typeof INDUSTRY_KEYS])}</span> : null}
                    {item.trl ? <span>· TRL {item.trl}</span> : null}
                  </div>
                  <h3 className="text-lg font-medium">
                    <Link to={`/${KIND_PATHS[item.kind as ListingKind]}/${item.id}`} className="text-sky-800 hover:underline">
                      <Highlighted segments={item.title} />
                    </Link>
                  </h3>
                  <p className="mt-1 text-sm leading-relaxed text-slate-700">
                    <Highlighted segments={item.snippet} />
                  </p>
                  <p className="mt-2 flex flex-wrap gap-x-4 text-sm text-slate-500">
                    <span>{item.orgName}</span>
                    <span>{formatFen(item.priceFen, locale, t('listings.negotiable'))}</span>
                    {item.deadline ? <span>{t('search.deadline', { date: item.deadline })}</span> : null}
                  </p>
                </li>
              ))}
            </ol>
          )}

          {pages > 1 ? (
            <nav aria-label={t('search.pages')} className="mt-6 flex items-center justify-center gap-4 text-sm">
              {query.page > 1 ? <Link to={link({ page: String(query.page - 1) })} className="text-sky-700 underline">{t('common.previous')}</Link> : null}
              <span>{t('search.pageOf', { page: query.page, pages })}</span>
              {query.page < pages ? <Link to={link({ page: String(query.page + 1) })} className="text-sky-700 underline">{t('common.next')}</Link> : null}
            </nav>
          ) : null}
        </section>
      </div>
    </div>
  )
}

function EmptyState({ result, link }: { result: SearchOutcome; link: (c: Record<string, string | null>) => string }) {
  const t = useT()
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
      <p className="text-lg">{t('search.empty')}</p>
      {result.suggestions.terms.length ? (
        <p className="mt-3">
          {t('search.didYouMean')}{' '}
          {result.suggestions.terms.map((term) => (
            <Link key={term} to={link({ q: term })} className="mx-1 text-sky-700 underline">
              {term}
            </Link>
          ))}
        </p>
      ) : null}
      {result.suggestions.withoutFilters ? (
        <p className="mt-3">
          <Link to={link({ field: null, industry: null, trl: null, stage: null, mode: null, province: null, price: null })} className="text-sky-700 underline">
            {t('search.withoutFilters', { count: result.suggestions.withoutFilters })}
          </Link>
        </p>
      ) : null}
      <p className="mt-4 text-sm">{t('search.askBroker')}</p>
    </div>
  )
}

const tabClass = (active: boolean) =>
  `rounded-md px-3 py-1.5 text-sm ${active ? 'bg-sky-700 text-white' : 'text-slate-700 hover:bg-slate-100'}`

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
