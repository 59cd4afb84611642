import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/commissions'
import { commissionLedger, markCommissionPaid } from '~/domain/payments/commissions.server'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { chinaDateTime, Money } from '~/ui/contracts/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FormError } from '~/ui/form'
import { asAppError, asResponse, errorKey, redirectWithFlash } from './contracts/helpers.server'

/** /commissions: a broker's own commission ledger; bureau staff see everyone's and mark entries paid. */

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('commissions.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  let ledger
  try {
    ledger = await commissionLedger({ actor: user })
  } catch (error) {
    throw asResponse(error)
  }
  return {
    all: ledger.all,
    mayMarkPaid: ledger.mayMarkPaid,
    totals: { earned: Number(ledger.totals.earned), due: Number(ledger.totals.due), paid: Number(ledger.totals.paid) },
    entries: ledger.entries.map((e) => ({
      id: e.id,
      contract: e.contract,
      milestone: e.milestone,
      brokerName: e.brokerName,
      amountFen: Number(e.amountFen),
      status: e.status,
      createdAt: e.createdAt.toISOString(),
      paidAt: e.paidAt?.toISOString() ?? null,
    })),
  }
}

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args)
  const form = await request.formData()
  const entryId = String(form.get('entryId') ?? '')
  try {
    await markCommissionPaid({ actor: user, entryId, ip: context.get(clientIpContext) })
    return await redirectWithFlash('/commissions', { key: 'commissions.done.paid' })
  } catch (error) {
    const e = asAppError(error)
    return data({ entryId, formError: errorKey(e, request) }, { status: e.status })
  }
}

export default function Commissions() {
  const t = useT()
  const { all, mayMarkPaid, totals, entries } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div>
      <h1 className="mb-1 text-2xl font-semibold text-slate-900">{t('commissions.title')}</h1>
      <p className="mb-6 text-sm text-slate-600">{t(all ? 'commissions.scopeAll' : 'commissions.scopeMine')}</p>
      <dl className="mb-6 grid grid-cols-3 gap-4">
        {(
          [
            ['commissions.earned', totals.earned],
            ['commissions.due', totals.due],
            ['commissions.paid', totals.paid],
          ] as const
        ).map(([key, fen]) => (
          <div key={key} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <dt className="text-sm text-slate-500">{t(key)}</dt>
            <dd className="mt-1 text-xl font-semibold text-slate-900">
              <Money fen={fen} exact />
            </dd>
          </div>
        ))}
      </dl>
      <FormError message={actionData?.formError} />
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600">{t('commissions.empty')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2 font-medium">{t('commissions.col.contract')}</th>
                <th className="px-3 py-2 font-medium">{t('commissions.col.milestone')}</th>
                {all ? <th className="px-3 py-2 font-medium">{t('commissions.col.broker')}</th> : null}
                <th className="px-3 py-2 text-right font-medium">{t('commissions.col.amount')}</th>
                <th className="px-3 py-2 font-medium">{t('commissions.col.status')}</th>
                <th className="px-3 py-2 font-medium">{t('commissions.col.accrued')}</th>
                <th className="px-3 py-2 font-medium">{t('commissions.col.paidAt')}</th>
                {mayMarkPaid ? <th className="px-3 py-2" /> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 bg-white">
              {entries.map((e) => (
                <tr key={e.id} data-status={e.status}>
                  <td className="px-3 py-2">
                    <Link to={`/contracts/${e.contract.id}/payments`} className="text-sky-700 underline hover:text-sky-900">
                      {e.contract.number}
                    </Link>
                    <div className="text-xs text-slate-500">{e.contract.title}</div>
                  </td>
                  <td className="px-3 py-2">{e.milestone ? `${e.milestone.seq}. ${e.milestone.title}` : ''}</td>
                  {all ? <td className="px-3 py-2">{e.brokerName ?? ''}</td> : null}
                  <td className="px-3 py-2 text-right">
                    <Money fen={e.amountFen} exact />
                  </td>
                  <td className="px-3 py-2">{t(e.status === 'PAID' ? 'commissions.status.PAID' : 'commissions.status.DUE')}</td>
                  <td className="px-3 py-2 whitespace-nowrap">{chinaDateTime(e.createdAt)}</td>
                  <td className="px-3 py-2 whitespace-nowrap">{chinaDateTime(e.paidAt)}</td>
                  {mayMarkPaid ? (
                    <td className="px-3 py-2">
                      {e.status === 'DUE' ? (
                        <Form method="post">
                          <input type="hidden" name="entryId" value={e.id} />
                          <Button type="submit" variant="secondary">
                            {t('commissions.markPaid')}
                          </Button>
                        </Form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
