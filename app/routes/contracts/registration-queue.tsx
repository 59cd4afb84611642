import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/registration-queue'
import { checklistPasses } from '~/domain/contracts/checklist'
import { registrationQueue } from '~/domain/contracts/contracts.server'
import { regionName } from '~/domain/orgs/regions.server'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { Checklist } from '~/ui/contracts/checklist'
import { classificationText, Money } from '~/ui/contracts/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { formatDate } from '~/ui/listings/format'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('registration.queue.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'contract:register')
  const { total, items } = await registrationQueue({ actor: user })
  return {
    total,
    items: items.map(({ contract: c, checklist }) => ({
      id: c.id,
      number: c.number,
      title: c.title,
      type: c.type,
      subtype: c.subtype,
      seller: `${c.sellerOrg.name}（${regionName(c.sellerOrg.regionCode) ?? c.sellerOrg.regionCode}）`,
      buyer: `${c.buyerOrg.name}（${regionName(c.buyerOrg.regionCode) ?? c.buyerOrg.regionCode}）`,
      broker: c.broker?.name ?? null,
      amountFen: Number(c.amountFen),
      techAmountFen: Number(c.techAmountFen),
      submittedAt: c.registrationSubmittedAt,
      checklist,
      ready: checklistPasses(checklist),
    })),
  }
}

export default function RegistrationQueue() {
  const t = useT()
  const locale = useLocale()
  const { total, items } = useLoaderData<typeof loader>()
  return (
    <div>
      <Link to="/contracts" className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {t('contract.list.title')}
      </Link>
      <h1 className="mt-3 text-2xl font-semibold">{t('registration.queue.title')}</h1>
      <p className="mt-1 text-sm text-slate-600">{t('registration.queue.lead', { count: total })}</p>
      {items.length ? (
        <ul className="mt-6 space-y-4">
          {items.map((c) => (
            <li key={c.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-contract={c.number}>
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <p className="text-xs text-slate-500">
                    <span className="font-mono">{c.number}</span> · {classificationText(t, c.type, c.subtype)} ·{' '}
                    {t('registration.queue.submittedOn', { date: formatDate(c.submittedAt, locale) })}
                  </p>
                  <h2 className="mt-1 font-medium">
                    <Link to={`/contracts/${c.id}`} className="text-sky-800 hover:underline">
                      {c.title}
                    </Link>
                  </h2>
                  <p className="mt-1 text-sm text-slate-600">
                    {t('contract.party.SELLER')}：{c.seller}
                    <br />
                    {t('contract.party.BUYER')}：{c.buyer}
                    {c.broker ? (
                      <>
                        <br />
                        {t('contract.label.broker')}：{c.broker}
                      </>
                    ) : null}
                  </p>
                </div>
                <div className="text-right">
                  <Money fen={c.amountFen} className="text-lg font-semibold text-orange-700" />
                  <p className="text-xs text-slate-500">
                    {t('contract.list.tech')} <Money fen={c.techAmountFen} />
                  </p>
                </div>
              </div>
              <div className="mt-3 flex flex-wrap items-end justify-between gap-3 border-t border-slate-100 pt-3">
                <Checklist items={c.checklist} compact />
                <Link
                  to={`/registration/${c.id}`}
                  className={`rounded-md px-4 py-2 text-sm font-medium ${c.ready ? 'bg-sky-700 text-white hover:bg-sky-800' : 'border border-slate-300 bg-white text-slate-800 hover:bg-slate-50'}`}
                  aria-label={t('registration.queue.reviewFor', { number: c.number })}
                >
                  {t('registration.queue.review')}
                </Link>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">{t('registration.queue.empty')}</p>
      )}
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
