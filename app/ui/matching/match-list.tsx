import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { KIND_PATHS, type ListingKind } from '~/domain/listings/kinds'
import { useT } from '~/i18n/i18n'

export interface MatchView {
  noGoodMatch: boolean
  computedAt: string | Date | null
  matches: {
    listing: { kind: ListingKind; id: string; title: string; orgName: string }
    score: number
    confidence: 'strong' | 'possible'
    reasons: { code: string; fit: boolean; text: string }[]
  }[]
}

/** A listing's matches, each with its score and the reasons a person can check. */
export function MatchList({
  kind,
  result,
  contractHref,
  renderAction,
}: {
  kind: ListingKind
  result: MatchView
  contractHref?: (otherId: string) => string | null
  /** Another action beside a match (e.g. a broker's "add to deal"). */
  renderAction?: (otherId: string, title: string) => ReactNode
}) {
  const t = useT()
  return (
    <section aria-labelledby="matches-title" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="matches-title" className="mb-1 text-lg font-semibold">
        {t(kind === 'achievement' ? 'match.title.whoNeeds' : 'match.title.achievements')}
      </h2>
      <p className="mb-4 text-xs text-slate-500">{t('match.explain')}</p>
      {result.noGoodMatch ? (
        <p className="rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-700" data-testid="no-good-match">
          {t('match.none')}
        </p>
      ) : (
        <ol className="space-y-4">
          {result.matches.map((m) => {
            const href = contractHref?.(m.listing.id) ?? null
            return (
              <li key={m.listing.id} className="border-b border-slate-100 pb-4 last:border-0 last:pb-0" data-testid="match">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <Link to={`/${KIND_PATHS[m.listing.kind]}/${m.listing.id}`} className="font-medium text-sky-800 hover:underline">
                    {m.listing.title}
                  </Link>
                  <span className="flex items-center gap-2 text-sm">
                    <span
                      className={`rounded px-2 py-0.5 text-xs ${m.confidence === 'strong' ? 'bg-emerald-100 text-emerald-800' : 'bg-amber-100 text-amber-800'}`}
                    >
                      {t(m.confidence === 'strong' ? 'match.strong' : 'match.possible')}
                    </span>
                    <span className="tabular-nums text-slate-600" title={t('match.scoreHelp')}>
                      {Math.round(m.score * 100)}
                    </span>
                  </span>
                </div>
                <p className="text-xs text-slate-500">{m.listing.orgName}</p>
                <div className="mt-1 h-1.5 w-full rounded bg-slate-100" aria-hidden>
                  <div className="h-1.5 rounded bg-sky-600" style={{ width: `${Math.round(m.score * 100)}%` }} />
                </div>
                <ul className="mt-2 space-y-0.5 text-sm">
                  {m.reasons.map((r, i) => (
                    <li key={i} className={r.fit ? 'text-slate-700' : 'text-slate-500'}>
                      <span aria-hidden className={r.fit ? 'text-emerald-600' : 'text-orange-600'}>
                        {r.fit ? '✓ ' : '✗ '}
                      </span>
                      {r.text}
                    </li>
                  ))}
                </ul>
                {href ? (
                  <Link to={href} className="mt-2 inline-block text-sm text-sky-700 underline">
                    {t('match.draftContract')}
                  </Link>
                ) : null}
                {renderAction ? <span className="ml-3">{renderAction(m.listing.id, m.listing.title)}</span> : null}
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}
