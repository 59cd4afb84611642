import { Form, Link } from 'react-router'
import { useT } from '~/i18n/i18n'

/** What a need's detail page shows a broker about deals (see dealEntry in deals.server.ts). */
export interface DealEntryView {
  openDeal: { id: string; number: string; candidateIds: string[] } | null
  mayStart: boolean
  claimedBy: string | null
  unclaimed: boolean
  otherDeal: boolean
}

/** The "start a deal" box of a demand's or scenario's page, for brokers. */
export function DealEntryBox({ entry, kind, id }: { entry: DealEntryView; kind: 'demand' | 'scenario'; id: string }) {
  const t = useT()
  return (
    <section className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm text-sky-950 shadow-sm" data-testid="deal-entry">
      <h2 className="mb-2 font-semibold">{t('deal.entry.title')}</h2>
      {entry.openDeal ? (
        <p className="mb-2">
          {t('deal.entry.working')}{' '}
          <Link to={`/deals/${entry.openDeal.id}`} className="font-mono underline">
            {entry.openDeal.number}
          </Link>
        </p>
      ) : null}
      {entry.mayStart ? (
        <>
          {kind === 'demand' && entry.unclaimed ? <p className="mb-2 text-xs text-sky-900">{t('deal.entry.unclaimed')}</p> : null}
          <Link
            to={`/deals/new?${kind}=${id}`}
            className="inline-flex items-center rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800"
          >
            {t('deal.entry.start')}
          </Link>
        </>
      ) : !entry.openDeal ? (
        <p className="text-slate-700">{entry.claimedBy ? t('deal.new.claimedBy', { name: entry.claimedBy }) : t('deal.new.otherDeal')}</p>
      ) : null}
    </section>
  )
}

/** "Add to deal" beside a match: posts to the deal's page, which shows the result. */
export function AddToDealButton({ deal, achievementId, title }: { deal: { id: string; number: string; candidateIds: string[] }; achievementId: string; title: string }) {
  const t = useT()
  if (deal.candidateIds.includes(achievementId)) {
    return <span className="mt-2 inline-block text-xs text-slate-500">{t('deal.entry.inDeal', { number: deal.number })}</span>
  }
  return (
    <Form method="post" action={`/deals/${deal.id}`} className="mt-2 inline-block">
      <input type="hidden" name="intent" value="addCandidate" />
      <input type="hidden" name="achievementId" value={achievementId} />
      <button
        type="submit"
        className="rounded-md border border-sky-700 px-3 py-1 text-xs font-medium text-sky-800 hover:bg-sky-50"
        aria-label={t('deal.entry.addThis', { title, number: deal.number })}
      >
        {t('deal.entry.add', { number: deal.number })}
      </button>
    </Form>
  )
}
