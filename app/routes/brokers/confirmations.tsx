import { Link, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/confirmations'
import { confirmMinedDemand, declineMinedDemand, pendingConfirmations } from '~/domain/brokers/mining.server'
import { DeclineSchema } from '~/domain/brokers/schemas'
import { localeFromRequest, translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser, safeRedirect } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { ConfirmForms } from '~/ui/brokers/demand-brokers-panel'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { formatDate, formatFen } from '~/ui/listings/format'
import { Chip, FIELD_KEYS, INDUSTRY_KEYS } from '~/ui/listings/labels'
import { asAppError, errorKey, redirectWithFlash } from '../listings/helpers.server'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('brokers.confirm.title')} · ${t('app.name')}` }]
}

/** 待确认的需求: demands brokers recorded for the enterprise, for a member to confirm or decline. */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'demand:create')
  if (!user.orgId) throw new Response('Forbidden', { status: 403 })
  const rows = await pendingConfirmations({ actor: user })
  return {
    rows: rows.map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description.length > 200 ? `${r.description.slice(0, 200)}…` : r.description,
      field: r.field,
      industry: r.industry,
      budgetFen: r.budgetFen === null ? null : Number(r.budgetFen),
      minedAt: r.minedAt,
      broker: r.minedBy ? { id: r.minedBy.id, name: r.minedBy.name, agency: r.minedBy.org?.name ?? null } : null,
    })),
  }
}

const ActionSchema = z.object({
  intent: z.enum(['confirm', 'decline']),
  demandId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  redirectTo: z.string().max(500).optional(),
})

/** Confirm (and submit for review) or decline: posted from this page and from the demand's page. */
export async function action(args: Route.ActionArgs) {
  const user = requireUser(args, 'demand:create')
  const formData = await args.request.formData()
  const parsed = ActionSchema.safeParse(Object.fromEntries(formData))
  if (!parsed.success) throw new Response(translator(localeFromRequest(args.request))('err.badRequest'), { status: 400 })
  const { intent, demandId, redirectTo } = parsed.data
  const back = safeRedirect(redirectTo, '/my/pending-demands')
  const ip = args.context.get(clientIpContext)
  try {
    if (intent === 'decline') {
      const reason = DeclineSchema.safeParse({ reason: formData.get('reason') ?? undefined })
      if (!reason.success) return redirectWithFlash(back, { key: reason.error.issues[0]!.message, kind: 'error' })
      const done = await declineMinedDemand({ actor: user, id: demandId, reason: reason.data.reason, ip })
      return redirectWithFlash(back, { key: 'brokers.confirm.declined', params: { title: done.title } })
    }
    const done = await confirmMinedDemand({ actor: user, id: demandId, ip })
    if (done.submitted) return redirectWithFlash(`/demands/${demandId}`, { key: 'brokers.confirm.confirmed', params: { title: done.title } })
    const reason = translator(localeFromRequest(args.request))
    return redirectWithFlash(`/demands/${demandId}`, {
      key: 'brokers.confirm.confirmedNotSubmitted',
      params: { title: done.title, reason: reason(errorKey(done.error, args.request)) },
      kind: 'error',
    })
  } catch (error) {
    const e = asAppError(error)
    return redirectWithFlash(back, { key: errorKey(e, args.request), kind: 'error' })
  }
}

export default function PendingDemands() {
  const t = useT()
  const locale = useLocale()
  const { rows } = useLoaderData<typeof loader>()
  return (
    <div>
      <h1 className="text-2xl font-semibold">{t('brokers.confirm.title')}</h1>
      <p className="mt-1 mb-6 max-w-3xl text-sm text-slate-600">{t('brokers.confirm.lead')}</p>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">{t('brokers.confirm.empty')}</p>
      ) : (
        <ul className="space-y-3">
          {rows.map((r) => (
            <li key={r.id} data-testid="pending-demand" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
              <h2 className="text-lg font-semibold">
                <Link to={`/demands/${r.id}`} className="hover:text-sky-800 hover:underline">
                  {r.title}
                </Link>
              </h2>
              <p className="mt-1 text-sm text-slate-600">
                {r.broker ? t('brokers.confirm.minedBy', { broker: r.broker.name, agency: r.broker.agency ?? '—', date: formatDate(r.minedAt, locale) }) : null}
              </p>
              <p className="mt-2 whitespace-pre-line break-words text-sm text-slate-800">{r.description}</p>
              <div className="mt-2 flex flex-wrap items-center gap-1.5 text-xs">
                <Chip>{t(FIELD_KEYS[r.field])}</Chip>
                <Chip tone="violet">{t(INDUSTRY_KEYS[r.industry])}</Chip>
                <span className="text-slate-600">
                  {t('listings.label.budget')} {formatFen(r.budgetFen, locale, t('listings.negotiable'))}
                </span>
              </div>
              <ConfirmForms demandId={r.id} editHref={`/demands/${r.id}/edit`} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
