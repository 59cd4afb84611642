import { Form, redirect, useLoaderData } from 'react-router'
import type { Route } from './+types/checkout'
import { settleStandinSession, standinSession } from '~/domain/payments/standin.server'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { Money } from '~/ui/contracts/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button } from '~/ui/form'
import { asResponse } from '../contracts/helpers.server'

/**
 * /dev/checkout/:sessionId: the local stand-in for Stripe's hosted checkout page, served only
 * with KZ_STRIPE_STANDIN=on outside production (404 otherwise). Clearly marked as a test page;
 * "paying" posts a correctly signed checkout.session.completed event to the webhook handler.
 */

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: t('checkout.standin.banner') }, { name: 'robots', content: 'noindex' }]
}

export async function loader({ params }: Route.LoaderArgs) {
  try {
    const s = await standinSession(params.sessionId)
    return { id: s.id, status: s.status, title: s.title, amountFen: s.amountTotal ?? 0, currency: s.currency, cancelUrl: s.cancelUrl }
  } catch (error) {
    throw asResponse(error)
  }
}

export async function action({ params, request }: Route.ActionArgs) {
  const form = await request.formData()
  const outcome = form.get('outcome') === 'pay' ? 'pay' : 'cancel'
  try {
    return redirect(await settleStandinSession(params.sessionId, outcome))
  } catch (error) {
    throw asResponse(error)
  }
}

export default function StandinCheckout() {
  const t = useT()
  const s = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-lg py-2">
      <p role="note" className="mb-6 rounded-md border-2 border-dashed border-red-400 bg-red-50 px-4 py-3 text-center text-lg font-bold text-red-700">
        {t('checkout.standin.banner')}
      </p>
      <h1 className="mb-2 text-xl font-semibold text-slate-900">{t('checkout.standin.title')}</h1>
      <p className="mb-4 text-sm text-slate-600">{t('checkout.standin.explain')}</p>
      <dl className="mb-6 space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <div className="flex gap-2">
          <dt className="text-slate-500">{t('checkout.standin.item')}</dt>
          <dd>{s.title}</dd>
        </div>
        <div className="flex gap-2">
          <dt className="text-slate-500">{t('checkout.standin.amount')}</dt>
          <dd>
            <Money fen={s.amountFen} exact /> {s.currency?.toUpperCase()}
          </dd>
        </div>
      </dl>
      {s.status === 'open' ? (
        <div className="flex gap-3">
          <Form method="post">
            <input type="hidden" name="outcome" value="pay" />
            <Button type="submit">{t('checkout.standin.pay')}</Button>
          </Form>
          <Form method="post">
            <input type="hidden" name="outcome" value="cancel" />
            <Button type="submit" variant="secondary">
              {t('checkout.standin.cancel')}
            </Button>
          </Form>
        </div>
      ) : (
        <>
          <p className="mb-3 text-sm text-slate-700">{t('checkout.standin.closed', { status: s.status ?? '' })}</p>
          <a href={s.cancelUrl} className="text-sky-700 underline">
            {t('checkout.standin.back')}
          </a>
        </>
      )}
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
