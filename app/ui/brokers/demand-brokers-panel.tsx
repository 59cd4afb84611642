import { Form, Link, useNavigation } from 'react-router'
import type { BrokerRef, DemandBrokerPanel } from '~/domain/brokers/claims.server'
import { useLocale, useT } from '~/i18n/i18n'
import { Button } from '~/ui/form'
import { formatDate } from '~/ui/listings/format'
import { GradeBadge } from './labels'

/**
 * A demand's brokers on its page: the lead and the assistants, with claim / release / assist /
 * leave / remove for brokers (posted to /brokers/claims), and, while a mined demand waits for
 * the enterprise, who recorded it and the confirm / decline forms for its members.
 */
export function DemandBrokersPanel({ panel, demandId }: { panel: DemandBrokerPanel; demandId: string }) {
  const t = useT()
  const locale = useLocale()
  const busy = useNavigation().state === 'submitting'
  const here = `/demands/${demandId}`
  const { lead, assists, can, mined } = panel
  const act = (intent: string, label: string, variant: 'primary' | 'secondary' | 'danger' = 'secondary', brokerId?: string) => (
    <Form method="post" action="/brokers/claims">
      <input type="hidden" name="demandId" value={demandId} />
      <input type="hidden" name="redirectTo" value={here} />
      {brokerId ? <input type="hidden" name="brokerId" value={brokerId} /> : null}
      <Button type="submit" name="intent" value={intent} variant={variant} disabled={busy}>
        {label}
      </Button>
    </Form>
  )
  return (
    <>
      {mined ? (
        <section className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900" data-testid="mined-notice">
          <p>{t('brokers.panel.mined', { broker: mined.by.name, agency: mined.by.agency ?? '—', date: formatDate(mined.at, locale) })}</p>
          {can.confirm ? (
            <>
              <p className="mt-1">{t('brokers.panel.confirmHelp')}</p>
              <ConfirmForms demandId={demandId} editHref={`${here}/edit`} redirectTo={here} />
            </>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="demand-brokers" className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm" data-testid="demand-brokers">
        <h2 id="demand-brokers" className="mb-2 font-semibold text-slate-900">
          {t('brokers.panel.title')}
        </h2>
        {lead ? (
          <div>
            <p className="text-xs text-slate-500">{t('brokers.panel.lead')}</p>
            <BrokerLine broker={lead} />
            {panel.claimedAt ? <p className="text-xs text-slate-500">{t('brokers.panel.claimedOn', { date: formatDate(panel.claimedAt, locale) })}</p> : null}
          </div>
        ) : (
          <p className="text-slate-600">{t('brokers.panel.noLead')}</p>
        )}
        {assists.length ? (
          <div className="mt-3">
            <p className="text-xs text-slate-500">{t('brokers.panel.assists')}</p>
            <ul className="space-y-1">
              {assists.map((a) => (
                <li key={a.id} className="flex flex-wrap items-center justify-between gap-2">
                  <BrokerLine broker={a} />
                  {can.remove ? act('remove', t('brokers.panel.remove'), 'danger', a.id) : null}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {can.claim || can.release || can.assist || can.leave ? (
          <div className="mt-3 flex flex-wrap gap-2 border-t border-slate-100 pt-3">
            {can.claim ? act('claim', t('brokers.claims.claim'), 'primary') : null}
            {can.assist ? act('assist', t('brokers.panel.assist')) : null}
            {can.leave ? act('leave', t('brokers.panel.leave')) : null}
            {can.release ? act('release', t('brokers.panel.release'), 'danger') : null}
          </div>
        ) : null}
      </section>
    </>
  )
}

function BrokerLine({ broker }: { broker: BrokerRef }) {
  return (
    <p className="flex flex-wrap items-center gap-2">
      {broker.linked ? (
        <Link to={`/brokers/${broker.id}`} className="font-medium text-sky-800 hover:underline">
          {broker.name}
        </Link>
      ) : (
        <span className="font-medium">{broker.name}</span>
      )}
      {broker.grade ? <GradeBadge grade={broker.grade} /> : null}
      {broker.agency ? <span className="text-xs text-slate-500">{broker.agency}</span> : null}
    </p>
  )
}

/** Confirm / edit / decline a mined demand; posted to /my/pending-demands, from that list and from the demand's page. */
export function ConfirmForms({ demandId, editHref, redirectTo }: { demandId: string; editHref: string; redirectTo?: string }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="mt-3 flex flex-wrap items-start gap-3 border-t border-black/5 pt-3">
      <Form method="post" action="/my/pending-demands">
        <input type="hidden" name="demandId" value={demandId} />
        {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
        <Button type="submit" name="intent" value="confirm" disabled={busy}>
          {t('brokers.confirm.confirm')}
        </Button>
      </Form>
      <Link to={editHref} className="inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50">
        {t('listings.action.edit')}
      </Link>
      <details className="min-w-60 flex-1">
        <summary className="cursor-pointer py-2 text-sm text-red-700 underline">{t('brokers.confirm.decline')}</summary>
        <Form method="post" action="/my/pending-demands" className="mt-2 space-y-2">
          <input type="hidden" name="demandId" value={demandId} />
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <label htmlFor={`decline-${demandId}`} className="block text-sm font-medium text-slate-700">
            {t('brokers.confirm.declineReason')}
            <span className="ml-2 text-xs font-normal text-slate-500">{t('listings.form.optional')}</span>
          </label>
          <textarea
            id={`decline-${demandId}`}
            name="reason"
            rows={2}
            maxLength={1000}
            className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200"
          />
          <Button type="submit" name="intent" value="decline" variant="danger" disabled={busy}>
            {t('brokers.confirm.declineConfirm')}
          </Button>
        </Form>
      </details>
    </div>
  )
}
