import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/review'
import type { Industry, TechField } from '~/generated/prisma/enums'
import { KIND_PATHS, LISTING_KINDS, type ListingKind } from '~/domain/listings/kinds'
import { listListings, reviewCounts, transitionListing } from '~/domain/listings/listings.server'
import { ListQuerySchema } from '~/domain/listings/query'
import { regionName } from '~/domain/orgs/regions.server'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { formatDate, formatFen } from '~/ui/listings/format'
import { Chip, FIELD_KEYS, INDUSTRY_KEYS, KIND_TEXT, VerifiedMark } from '~/ui/listings/labels'
import { Pagination } from '~/ui/listings/pagination'
import { asAppError, errorKey, parseReason, redirectWithFlash } from './helpers.server'

const PAGE_SIZE = 20

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('listings.review.title')} · ${t('app.name')}` }]
}

const QuerySchema = z.object({
  kind: z.enum(LISTING_KINDS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  q: z.string().trim().max(200).optional().catch(undefined),
})

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'listing:review')
  const q = QuerySchema.parse(Object.fromEntries(args.url.searchParams))
  const counts = await reviewCounts({ actor: user })
  // Without a choice, open the first kind that has work waiting.
  const kind = q.kind ?? LISTING_KINDS.find((k) => counts[k] > 0) ?? 'achievement'
  // The queue is first come, first served; the search finds one listing in a long queue.
  const query = ListQuerySchema.parse({ page: q.page, pageSize: PAGE_SIZE, sort: 'oldest', q: q.q || undefined })
  const { items, total } = await listListings({ actor: user, kind, scope: 'review', query })
  return {
    kind,
    q: q.q ?? '',
    counts,
    page: q.page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    items: items.map((l) => {
      const x = l as Record<string, unknown>
      return {
        id: l.id,
        title: l.title,
        orgName: l.org.name,
        orgVerified: l.org.verified,
        region: regionName(l.org.regionCode),
        field: (x.field ?? null) as TechField | null,
        industry: ((kind === 'scenario' ? x.sector : x.industry) ?? null) as Industry | null,
        priceFen: ((kind === 'achievement' ? x.askingPriceFen : x.budgetFen) ?? null) as number | null,
        summary: String((kind === 'achievement' ? x.summary : x.description) ?? ''),
        submittedAt: x.updatedAt as Date,
      }
    }),
  }
}

const DecisionSchema = z.object({
  kind: z.enum(LISTING_KINDS),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  intent: z.enum(['approve', 'reject']),
  title: z.string().max(200).default(''),
})

type DecisionError = { id?: string; formError?: string; fieldErrors?: Record<string, string[]> }

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args, 'listing:review')
  const formData = await request.formData()
  const parsed = DecisionSchema.safeParse(Object.fromEntries([...formData].filter(([, v]) => typeof v === 'string')))
  if (!parsed.success) return data<DecisionError>({ formError: 'err.badRequest' }, { status: 400 })
  const { kind, id, intent, title } = parsed.data
  const q = args.url.searchParams.get('q')
  let reason: string | undefined
  if (intent === 'reject') {
    const r = parseReason(formData)
    if (!r.success) return data<DecisionError>({ id, fieldErrors: { reason: r.errors } }, { status: 400 })
    reason = r.reason
  }
  try {
    await transitionListing({ actor: user, kind, id, action: intent, reason, ip: context.get(clientIpContext) })
  } catch (error) {
    const e = asAppError(error)
    const fieldErrors = Object.fromEntries(Object.entries(e.fields ?? {}).map(([k, v]) => [k, [v]]))
    return data<DecisionError>({ id, formError: errorKey(e, request), fieldErrors }, { status: e.status })
  }
  const back = `/review?${new URLSearchParams({ kind, ...(q ? { q } : {}) })}`
  return redirectWithFlash(back, { key: intent === 'approve' ? 'listings.done.approve' : 'listings.done.reject', params: { title } })
}

export default function Review() {
  const t = useT()
  const locale = useLocale()
  const { kind, q, counts, page, pages, items } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const path = `/${KIND_PATHS[kind]}`
  return (
    <div>
      <h1 className="text-2xl font-semibold">{t('listings.review.title')}</h1>
      <p className="mt-1 mb-6 max-w-3xl text-sm text-slate-600">{t('listings.review.lead')}</p>
      <nav className="-mx-4 mb-4 flex gap-2 overflow-x-auto px-4 pb-1 sm:mx-0 sm:px-0" aria-label={t('listings.review.title')}>
        {LISTING_KINDS.map((k) => (
          <Link
            key={k}
            to={`?kind=${k}`}
            aria-current={k === kind ? 'page' : undefined}
            className={`inline-flex shrink-0 items-center gap-1.5 rounded-md px-3 py-2 text-sm ${k === kind ? 'bg-sky-700 text-white' : 'border border-slate-300 bg-white text-slate-700 hover:bg-slate-50'}`}
          >
            {t(KIND_TEXT[k].title)}
            <span className={`rounded-full px-1.5 text-xs tabular-nums ${counts[k] ? (k === kind ? 'bg-white/25' : 'bg-amber-100 text-amber-900') : 'bg-black/10'}`}>
              {counts[k]}
            </span>
          </Link>
        ))}
      </nav>
      <Form method="get" role="search" className="mb-4 flex max-w-md gap-2">
        <input type="hidden" name="kind" value={kind} />
        <label htmlFor="review-q" className="sr-only">
          {t('listings.filter.q')}
        </label>
        <input
          id="review-q"
          type="search"
          name="q"
          defaultValue={q}
          key={q}
          maxLength={200}
          placeholder={t('listings.filter.qPlaceholder')}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200"
        />
        <Button type="submit" variant="secondary">
          {t('listings.filter.apply')}
        </Button>
      </Form>
      {actionData?.formError && !actionData.id ? <FormError message={actionData.formError} /> : null}
      {items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">{t(KIND_TEXT[kind].reviewEmpty)}</p>
      ) : (
        <ul className="space-y-3">
          {items.map((item) => {
            const error = actionData?.id === item.id ? actionData : null
            return (
              <li key={item.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="review-row">
                <div className="flex flex-col gap-1 sm:flex-row sm:items-start sm:justify-between sm:gap-4">
                  <h2 className="font-semibold leading-snug">
                    <Link to={`${path}/${item.id}`} className="hover:text-sky-800 hover:underline">
                      {item.title}
                    </Link>
                  </h2>
                  <p className="shrink-0 font-medium text-orange-700">{formatFen(item.priceFen, locale, t('listings.negotiable'))}</p>
                </div>
                <p className="mt-1 text-sm text-slate-600">
                  {item.orgName}
                  {item.orgVerified ? <VerifiedMark title={t('listings.verifiedOrg')} /> : null}
                  {item.region ? <span className="text-slate-400"> · {item.region}</span> : null}
                  <span className="text-slate-400"> · {t('listings.review.submittedOn', { date: formatDate(item.submittedAt, locale) })}</span>
                </p>
                <div className="mt-2 flex flex-wrap gap-1.5">
                  {item.field ? <Chip>{t(FIELD_KEYS[item.field])}</Chip> : null}
                  {item.industry ? <Chip tone="violet">{t(INDUSTRY_KEYS[item.industry])}</Chip> : null}
                </div>
                <p className="mt-2 line-clamp-2 text-sm text-slate-700">{item.summary}</p>
                <FormError message={error?.formError} />
                <div className="mt-3 flex flex-wrap items-start gap-2">
                  <Form method="post">
                    <Hidden kind={kind} id={item.id} title={item.title} />
                    <Button type="submit" name="intent" value="approve" disabled={busy}>
                      {t('listings.action.approve')}
                    </Button>
                  </Form>
                  <details className="group min-w-0 flex-1" open={!!error?.fieldErrors?.reason}>
                    <summary className="inline-flex cursor-pointer list-none items-center rounded-md border border-red-300 bg-white px-4 py-2 text-sm font-medium text-red-700 shadow-sm hover:bg-red-50 [&::-webkit-details-marker]:hidden">
                      {t('listings.action.reject')}…
                    </summary>
                    <Form method="post" className="mt-2 max-w-xl">
                      <Hidden kind={kind} id={item.id} title={item.title} />
                      <label htmlFor={`reason-${item.id}`} className="mb-1 block text-sm font-medium text-slate-700">
                        {t('listings.action.rejectReason')}
                      </label>
                      <textarea
                        id={`reason-${item.id}`}
                        name="reason"
                        rows={2}
                        maxLength={1000}
                        aria-invalid={error?.fieldErrors?.reason ? true : undefined}
                        aria-describedby={error?.fieldErrors?.reason ? `reason-${item.id}-error` : undefined}
                        className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200 aria-[invalid]:border-red-600"
                      />
                      <FieldErrors id={`reason-${item.id}-error`} errors={error?.fieldErrors?.reason} />
                      <Button type="submit" name="intent" value="reject" variant="danger" className="mt-2" disabled={busy}>
                        {t('listings.action.rejectConfirm')}
                      </Button>
                    </Form>
                  </details>
                </div>
              </li>
            )
          })}
        </ul>
      )}
      <Pagination page={page} pages={pages} href={(p) => `?${new URLSearchParams({ kind, ...(q ? { q } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`} />
    </div>
  )
}

function Hidden({ kind, id, title }: { kind: ListingKind; id: string; title: string }) {
  return (
    <>
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="title" value={title} />
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
