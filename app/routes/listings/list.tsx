import { Link, useLoaderData, useSearchParams } from 'react-router'
import type { Route } from './+types/list'
import type { Industry, Stage, TechField, TransferMode } from '~/generated/prisma/enums'
import { listPublishedBatches } from '~/domain/listings/batches.server'
import { CREATE_PERMISSION, KIND_PATHS, type ListingKind } from '~/domain/listings/kinds'
import { listListings, type ListingDto } from '~/domain/listings/listings.server'
import { parseListQueryLenient, searchParamsToObject } from '~/domain/listings/query'
import { listProvinces, regionName } from '~/domain/orgs/regions.server'
import { can } from '~/domain/users/permissions'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { getUser } from '~/infra/http/auth.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { FILTER_PARAMS, FilterPanel, SortSelect, SORTS_BY_KIND } from '~/ui/listings/filter-panel'
import { joinList } from '~/ui/listings/format'
import { KIND_TEXT } from '~/ui/listings/labels'
import { ListingCard, type CardItem } from '~/ui/listings/listing-card'
import { Pagination } from '~/ui/listings/pagination'
import { kindFromUrl } from './helpers.server'

const PAGE_SIZE = 20

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const kind = (data as { kind?: ListingKind } | undefined)?.kind
  return [{ title: kind ? `${t(KIND_TEXT[kind].title)} · ${t('app.name')}` : t('app.name') }]
}

export async function loader({ url, context }: Route.LoaderArgs) {
  const kind = kindFromUrl(url)
  const user = getUser(context)
  const params = url.searchParams
  const { query, invalid } = parseListQueryLenient(params)
  // Pages are numbered and 20 long; the API's cursor and page size are not for this page.
  const page = { ...query, pageSize: PAGE_SIZE, cursor: undefined, status: undefined }
  if (!SORTS_BY_KIND[kind].includes(page.sort)) page.sort = 'newest'
  const [{ items, total }, batches] = await Promise.all([
    listListings({ actor: user, kind, query: page, scope: 'public' }),
    kind === 'scenario' ? listPublishedBatches() : Promise.resolve([]),
  ])
  // The form shows what the person typed (yuan, not fen), minus what was dropped as invalid.
  const values = searchParamsToObject(params)
  for (const key of invalid) delete values[key]
  return {
    kind,
    items: items.map((l) => toCard(kind, l)),
    total,
    page: page.page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    sort: page.sort,
    values,
    invalid,
    provinces: listProvinces(),
    batches,
    canCreate: !!user && can(user.role, CREATE_PERMISSION[kind]),
  }
}

function toCard(kind: ListingKind, l: ListingDto): CardItem {
  // The DTO is one shape for three tables; read each kind's own columns.
  const x = l as Record<string, unknown>
  const get = <T,>(key: string) => (x[key] ?? null) as T | null
  return {
    id: l.id,
    title: l.title,
    orgName: l.org.name,
    region: regionName(l.org.regionCode),
    field: get<TechField>('field'),
    industry: get<Industry>(kind === 'scenario' ? 'sector' : 'industry'),
    stage: kind === 'achievement' ? get<Stage>('stage') : null,
    trl: kind === 'achievement' ? get<number>('trl') : kind === 'demand' ? get<number>('trlMin') : null,
    priceFen: get<number>(kind === 'achievement' ? 'askingPriceFen' : 'budgetFen'),
    modes: (kind === 'achievement' ? get<TransferMode[]>('transferModes') : kind === 'demand' ? get<TransferMode[]>('cooperationModes') : null) ?? [],
    keywords: get<string[]>('keywords') ?? [],
    deadline: kind === 'achievement' ? null : get<Date>('deadline'),
    publishedAt: get<Date>('publishedAt'),
    stale: !!x.staleAt,
    confidential: kind === 'demand' && !!x.confidential,
  }
}

/** Which label names a URL parameter, for the notice about dropped filters. */
const PARAM_LABELS: Record<string, string> = {
  q: 'listings.filter.q',
  field: 'listings.label.field',
  industry: 'listings.label.industry',
  stage: 'listings.label.stage',
  mode: 'listings.label.transferModes',
  trlMin: 'listings.label.trl',
  trlMax: 'listings.label.trl',
  priceMin: 'listings.label.askingPrice',
  priceMax: 'listings.label.askingPrice',
  region: 'listings.filter.region',
  batch: 'listings.filter.batch',
  stale: 'listings.filter.stale',
  sort: 'listings.filter.sort',
  page: 'listings.pagination',
}

export default function ListingList() {
  const t = useT()
  const locale = useLocale()
  const { kind, items, total, page, pages, sort, values, invalid, provinces, batches, canCreate } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const text = KIND_TEXT[kind]
  const activeCount = FILTER_PARAMS.filter((p) => values[p]).length
  const pageHref = (p: number) => {
    const next = new URLSearchParams(params)
    if (p === 1) next.delete('page')
    else next.set('page', String(p))
    return `?${next}`
  }
  const exportQuery = new URLSearchParams(Object.entries(values).filter(([k]) => k !== 'page'))
  const exportHref = (format: 'csv' | 'xlsx') => `/export/${KIND_PATHS[kind]}?${new URLSearchParams([['format', format], ...exportQuery])}`
  const invalidNames = joinList([...new Set(invalid.map((p) => t(PARAM_LABELS[p] ?? 'listings.filter.title')))], locale)
  return (
    <div>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="max-w-3xl">
          <h1 className="text-2xl font-semibold">{t(text.title)}</h1>
          <p className="mt-1 text-sm text-slate-600">{t(text.lead)}</p>
        </div>
        {canCreate ? (
          <Link to={`/${KIND_PATHS[kind]}/new`} className="rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-sky-800">
            {t(text.new)}
          </Link>
        ) : null}
      </div>
      <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
        <aside>
          <FilterPanel kind={kind} values={values} provinces={provinces} batches={batches} activeCount={activeCount} />
        </aside>
        <section aria-labelledby="results-heading">
          {invalid.length ? (
            <p role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
              {t('listings.filter.invalid', { names: invalidNames })}
            </p>
          ) : null}
          <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
            <p id="results-heading" className="text-sm text-slate-600" data-testid="result-count">
              {t('listings.count', { count: total })}
            </p>
            <div className="flex flex-wrap items-center gap-3">
              <SortSelect kind={kind} value={sort} />
              <a href={exportHref('csv')} className="text-sm text-sky-700 underline hover:text-sky-900">
                {t('listings.exportCsv')}
              </a>
              <a href={exportHref('xlsx')} className="text-sm text-sky-700 underline hover:text-sky-900">
                {t('listings.exportXlsx')}
              </a>
            </div>
          </div>
          {items.length === 0 ? (
            <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
              <p className="text-slate-600">{t(activeCount || page > 1 ? text.emptyFiltered : text.empty)}</p>
              {activeCount || page > 1 ? (
                <Link to="?" className="mt-3 inline-block text-sm text-sky-700 underline">
                  {t('listings.showAll')}
                </Link>
              ) : null}
            </div>
          ) : (
            <ul className="space-y-3">
              {items.map((item) => (
                <li key={item.id}>
                  <ListingCard kind={kind} item={item} />
                </li>
              ))}
            </ul>
          )}
          <Pagination page={page} pages={pages} href={pageHref} />
        </section>
      </div>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
