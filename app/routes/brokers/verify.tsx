import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/verify'
import { QUEUE_PAGE_SIZE, refuseProfile, verificationQueue, verifyProfile } from '~/domain/brokers/profiles.server'
import { QUEUE_TABS, RefuseSchema } from '~/domain/brokers/schemas'
import { regionName } from '~/domain/orgs/regions.server'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { GradeBadge } from '~/ui/brokers/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { formatDate, joinList } from '~/ui/listings/format'
import { FIELD_KEYS, INDUSTRY_KEYS, VerifiedMark } from '~/ui/listings/labels'
import { Pagination } from '~/ui/listings/pagination'
import { asAppError, errorKey, redirectWithFlash } from '../listings/helpers.server'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('brokers.verify.title')} · ${t('app.name')}` }]
}

const QuerySchema = z.object({
  tab: z.enum(QUEUE_TABS).catch('pending'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})

const TAB_KEYS = { pending: 'brokers.verify.tab.pending', verified: 'brokers.verify.tab.verified', refused: 'brokers.verify.tab.refused' } as const

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'broker:verify')
  const query = QuerySchema.parse(Object.fromEntries(args.url.searchParams))
  const { rows, total, counts } = await verificationQueue({ actor: user, tab: query.tab, page: query.page })
  return {
    ...query,
    total,
    counts,
    pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)),
    rows: rows.map((r) => ({
      userId: r.userId,
      name: r.user.name,
      email: r.user.email,
      agency: r.user.org,
      grade: r.grade,
      certificateNo: r.certificateNo,
      fields: r.fields,
      industries: r.industries,
      regions: r.regionCodes.map((c) => regionName(c) ?? c),
      updatedAt: r.updatedAt,
      verifiedAt: r.verifiedAt,
      verifiedBy: r.verifiedBy?.name ?? null,
      refusal: r.refusal,
    })),
  }
}

const ActionSchema = z.object({
  intent: z.enum(['verify', 'refuse']),
  userId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().max(100).default(''),
})

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args, 'broker:verify')
  const formData = await args.request.formData()
  const parsed = ActionSchema.safeParse(Object.fromEntries(formData))
  if (!parsed.success) return data({ userId: null, formError: 'err.badRequest', reasonErrors: null }, { status: 400 })
  const { intent, userId, name } = parsed.data
  const ip = args.context.get(clientIpContext)
  let reason = ''
  if (intent === 'refuse') {
    const raw = formData.get('reason')
    const r = RefuseSchema.safeParse({ reason: raw ?? '' })
    if (!r.success) {
      const reasonErrors = typeof raw === 'string' && raw.trim() ? r.error.issues.map((i) => i.message) : ['err.reasonRequired']
      return data({ userId, formError: 'err.invalidForm', reasonErrors }, { status: 400 })
    }
    reason = r.data.reason
  }
  try {
    if (intent === 'verify') await verifyProfile({ actor: user, userId, ip })
    else await refuseProfile({ actor: user, userId, reason, ip })
  } catch (error) {
    const e = asAppError(error)
    return data({ userId, formError: errorKey(e, args.request), reasonErrors: e.fields?.reason ? [e.fields.reason] : null }, { status: e.status })
  }
  return redirectWithFlash(args.url.pathname + args.url.search, { key: intent === 'verify' ? 'brokers.verify.verifiedOk' : 'brokers.verify.refusedOk', params: { name } })
}

export default function VerifyBrokers() {
  const t = useT()
  const locale = useLocale()
  const { tab, page, pages, counts, rows } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  return (
    <div>
      <h1 className="text-2xl font-semibold">{t('brokers.verify.title')}</h1>
      <p className="mt-1 mb-4 text-sm text-slate-600">{t('brokers.verify.lead')}</p>
      <nav className="mb-4 flex flex-wrap gap-2" aria-label={t('brokers.verify.title')}>
        {QUEUE_TABS.map((k) => (
          <Link
            key={k}
            to={`?tab=${k}`}
            aria-current={tab === k ? 'page' : undefined}
            className={`inline-flex items-center gap-1.5 rounded-md px-3 py-2 text-sm ${tab === k ? 'bg-sky-700 text-white' : 'border border-slate-300 bg-white text-slate-700 hover:bg-slate-50'}`}
          >
            {t(TAB_KEYS[k])}
            <span className="rounded-full bg-black/10 px-1.5 text-xs tabular-nums">{counts[k]}</span>
          </Link>
        ))}
      </nav>
      {actionData && !actionData.userId ? <FormError message={actionData.formError} /> : null}
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">{t('brokers.verify.empty')}</p>
      ) : (
        <ul className="space-y-3">
          {rows.map((r) => {
            const error = actionData?.userId === r.userId ? actionData : null
            return (
              <li key={r.userId} data-testid="verify-row" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <Link to={`/brokers/${r.userId}`} className="text-lg font-semibold hover:text-sky-800 hover:underline">
                    {r.name}
                  </Link>
                  <GradeBadge grade={r.grade} />
                  <span className="text-sm text-slate-500">{r.email}</span>
                </div>
                <dl className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
                  <Fact label={t('brokers.profile.agency')}>
                    {r.agency?.name ?? '—'}
                    {r.agency?.verified ? <VerifiedMark title={t('listings.verifiedOrg')} /> : <span className="ml-2 text-xs text-amber-800">{t('brokers.verify.agencyUnverified')}</span>}
                  </Fact>
                  <Fact label={t('brokers.profile.certificateNo')}>{r.certificateNo ? <span className="font-mono">{r.certificateNo}</span> : t('brokers.verify.noCertificate')}</Fact>
                  <Fact label={t('brokers.profile.fields')}>{joinList(r.fields.map((f) => t(FIELD_KEYS[f])), locale) || '—'}</Fact>
                  <Fact label={t('brokers.profile.industries')}>{joinList(r.industries.map((i) => t(INDUSTRY_KEYS[i])), locale) || '—'}</Fact>
                  <Fact label={t('brokers.profile.regions')}>{joinList(r.regions, locale) || '—'}</Fact>
                  <Fact label={t('brokers.verify.updated')}>{formatDate(r.updatedAt, locale)}</Fact>
                  {tab !== 'pending' && r.verifiedAt ? (
                    <Fact label={t('brokers.verify.decided')}>
                      {formatDate(r.verifiedAt, locale)}
                      {r.verifiedBy ? ` · ${r.verifiedBy}` : ''}
                    </Fact>
                  ) : null}
                  {r.refusal ? <Fact label={t('brokers.profile.refusalReason')}>{r.refusal.reason}</Fact> : null}
                </dl>
                {error?.formError ? <div className="mt-3"><FormError message={error.formError} /></div> : null}
                <div className="mt-3 flex flex-wrap items-start gap-3 border-t border-slate-100 pt-3">
                  {tab !== 'verified' ? (
                    <Form method="post">
                      <input type="hidden" name="userId" value={r.userId} />
                      <input type="hidden" name="name" value={r.name} />
                      <Button type="submit" name="intent" value="verify" disabled={busy}>
                        {t('brokers.verify.verify')}
                      </Button>
                    </Form>
                  ) : null}
                  {tab !== 'refused' ? (
                    <Form method="post" className="flex min-w-64 flex-1 flex-col gap-2">
                      <input type="hidden" name="userId" value={r.userId} />
                      <input type="hidden" name="name" value={r.name} />
                      <label htmlFor={`reason-${r.userId}`} className="text-sm font-medium text-slate-700">
                        {t(tab === 'verified' ? 'brokers.verify.revokeReason' : 'brokers.verify.refuseReason')}
                      </label>
                      <textarea
                        id={`reason-${r.userId}`}
                        name="reason"
                        rows={2}
                        maxLength={1000}
                        aria-invalid={error?.reasonErrors?.length ? true : undefined}
                        className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200 aria-[invalid]:border-red-600"
                      />
                      <FieldErrors errors={error?.reasonErrors} />
                      <Button type="submit" name="intent" value="refuse" variant="danger" className="self-start" disabled={busy}>
                        {t(tab === 'verified' ? 'brokers.verify.revoke' : 'brokers.verify.refuse')}
                      </Button>
                    </Form>
                  ) : null}
                </div>
              </li>
            )
          })}
        </ul>
      )}
      <Pagination page={page} pages={pages} href={(p) => `?tab=${tab}&page=${p}`} />
    </div>
  )
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="shrink-0 text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
