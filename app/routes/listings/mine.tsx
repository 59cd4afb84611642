import { Link, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/mine'
import type { ListingStatus } from '~/generated/prisma/enums'
import { LISTING_STATUSES, codesOf } from '~/domain/listings/classifications'
import { CREATE_PERMISSION, KIND_PATHS, LISTING_KINDS, type ListingKind } from '~/domain/listings/kinds'
import { listListings } from '~/domain/listings/listings.server'
import { ListQuerySchema } from '~/domain/listings/query'
import { can } from '~/domain/users/permissions'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { formatDate } from '~/ui/listings/format'
import { KIND_TEXT, StaleBadge, STATUS_KEYS, StatusBadge } from '~/ui/listings/labels'
import { Pagination } from '~/ui/listings/pagination'

const PAGE_SIZE = 20
const STATUSES = codesOf(LISTING_STATUSES)

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('listings.mine.title')} · ${t('app.name')}` }]
}

const QuerySchema = z.object({
  kind: z.enum(LISTING_KINDS).optional().catch(undefined),
  status: z.enum(STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const kinds = LISTING_KINDS.filter((k) => can(user.role, CREATE_PERMISSION[k]))
  if (!kinds.length || !user.orgId) throw new Response('Forbidden', { status: 403 })
  const q = QuerySchema.parse(Object.fromEntries(args.url.searchParams))
  const kind = q.kind && kinds.includes(q.kind) ? q.kind : kinds[0]!
  const list = (status: ListingStatus | undefined, page: number, pageSize: number) =>
    listListings({ actor: user, kind, scope: 'mine', query: ListQuerySchema.parse({ status, page, pageSize }) })
  const [rows, all, ...byStatus] = await Promise.all([
    list(q.status, q.page, PAGE_SIZE),
    list(undefined, 1, 1),
    ...STATUSES.map((s) => list(s, 1, 1)),
  ])
  return {
    kinds,
    kind,
    status: q.status ?? null,
    page: q.page,
    pages: Math.max(1, Math.ceil(rows.total / PAGE_SIZE)),
    counts: { all: all.total, ...Object.fromEntries(STATUSES.map((s, i) => [s, byStatus[i]!.total])) } as Record<ListingStatus | 'all', number>,
    items: rows.items.map((l) => ({
      id: l.id,
      title: l.title,
      status: l.status,
      updatedAt: l.updatedAt as Date,
      stale: !!l.staleAt,
      rejectReason: (l.rejectReason as string | null | undefined) ?? null,
    })),
    isBureau: can(user.role, 'scenario:create'),
  }
}

export default function MyListings() {
  const t = useT()
  const locale = useLocale()
  const { kinds, kind, status, page, pages, counts, items, isBureau } = useLoaderData<typeof loader>()
  const path = `/${KIND_PATHS[kind]}`
  const href = (next: { kind?: ListingKind; status?: ListingStatus | null; page?: number }) => {
    const params = new URLSearchParams()
    const k = next.kind ?? kind
    if (kinds.length > 1) params.set('kind', k)
    const s = next.status === undefined ? status : next.status
    if (s) params.set('status', s)
    if (next.page && next.page > 1) params.set('page', String(next.page))
    return `?${params}`
  }
  const tab = (active: boolean) =>
    `inline-flex shrink-0 items-center gap-1.5 rounded-md px-3 py-2 text-sm ${active ? 'bg-sky-700 text-white' : 'border border-slate-300 bg-white text-slate-700 hover:bg-slate-50'}`
  return (
    <div>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{t('listings.mine.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('listings.mine.lead')}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {isBureau ? (
            <Link to="/scenario-batches" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50">
              {t('listings.mine.batches')}
            </Link>
          ) : null}
          <Link to={`${path}/new`} className="rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-sky-800">
            {t(KIND_TEXT[kind].new)}
          </Link>
        </div>
      </div>
      {kinds.length > 1 ? (
        <nav className="mb-3 flex gap-2 overflow-x-auto" aria-label={t('listings.mine.title')}>
          {kinds.map((k) => (
            <Link key={k} to={href({ kind: k, status: null })} className={tab(k === kind)} aria-current={k === kind ? 'page' : undefined}>
              {t(KIND_TEXT[k].title)}
            </Link>
          ))}
        </nav>
      ) : null}
      <nav className="-mx-4 mb-4 flex gap-2 overflow-x-auto px-4 pb-1 sm:mx-0 sm:flex-wrap sm:px-0" aria-label={t('listings.label.status')}>
        <Link to={href({ status: null })} className={tab(!status)} aria-current={!status ? 'page' : undefined}>
          {t('listings.mine.all')} <Count n={counts.all} />
        </Link>
        {STATUSES.map((s) => (
          <Link key={s} to={href({ status: s })} className={tab(status === s)} aria-current={status === s ? 'page' : undefined}>
            {t(STATUS_KEYS[s])} <Count n={counts[s]} />
          </Link>
        ))}
      </nav>
      {items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">{t(KIND_TEXT[kind].mineEmpty)}</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm">
          {items.map((item) => (
            <li key={item.id} className="flex items-start justify-between gap-3 p-4 sm:items-center">
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2">
                  <StatusBadge status={item.status} />
                  {item.stale ? <StaleBadge /> : null}
                  <Link to={`${path}/${item.id}`} className="font-medium text-slate-900 hover:text-sky-800 hover:underline">
                    {item.title}
                  </Link>
                </div>
                <p className="mt-1 text-xs text-slate-500">{t('listings.updatedOn', { date: formatDate(item.updatedAt, locale) })}</p>
                {item.status === 'REJECTED' && item.rejectReason ? (
                  <p className="mt-1 text-sm text-red-800">
                    {t('listings.label.rejectReason')} · {item.rejectReason}
                  </p>
                ) : null}
              </div>
              {item.status !== 'ARCHIVED' ? (
                <Link to={`${path}/${item.id}/edit`} className="shrink-0 rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50">
                  {t('listings.action.edit')}
                </Link>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} href={(p) => href({ page: p })} />
    </div>
  )
}

function Count({ n }: { n: number }) {
  return <span className="rounded-full bg-black/10 px-1.5 text-xs tabular-nums">{n}</span>
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
