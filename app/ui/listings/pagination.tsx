import { Link } from 'react-router'
import { useT } from '~/i18n/i18n'

/** Page numbers around the current page, with the first and the last: 1 … 4 5 [6] 7 8 … 20. */
export function pageWindow(page: number, pages: number): (number | 'gap')[] {
  const shown = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((p) => p >= 1 && p <= pages))
  const sorted = [...shown].sort((a, b) => a - b)
  const out: (number | 'gap')[] = []
  for (const p of sorted) {
    const last = out[out.length - 1]
    if (typeof last === 'number' && p - last > 1) out.push(p - last === 2 ? p - 1 : 'gap')
    out.push(p)
  }
  return out
}

export function Pagination({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  const t = useT()
  if (pages <= 1) return null
  const base = 'min-w-10 items-center justify-center rounded-md border px-3 py-2 text-sm'
  return (
    <nav aria-label={t('listings.pagination')} className="mt-6 flex flex-wrap items-center justify-center gap-1.5">
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev" className={`${base} inline-flex border-slate-300 bg-white hover:bg-slate-50`}>
          {t('common.previous')}
        </Link>
      ) : null}
      {pageWindow(page, pages).map((p, i) =>
        p === 'gap' ? (
          <span key={`gap-${i}`} className="px-1 text-slate-400">
            …
          </span>
        ) : (
          <Link
            key={p}
            to={href(p)}
            aria-current={p === page ? 'page' : undefined}
            aria-label={t('common.page', { page: p })}
            className={`${base} ${p === page || p === 1 || p === pages ? 'inline-flex' : 'hidden sm:inline-flex'} ${p === page ? 'border-sky-700 bg-sky-700 text-white' : 'border-slate-300 bg-white hover:bg-slate-50'}`}
          >
            {p}
          </Link>
        ),
      )}
      {page < pages ? (
        <Link to={href(page + 1)} rel="next" className={`${base} inline-flex border-slate-300 bg-white hover:bg-slate-50`}>
          {t('common.next')}
        </Link>
      ) : null}
      <span className="w-full text-center text-xs text-slate-500 sm:hidden">{t('listings.pageOf', { page, pages })}</span>
    </nav>
  )
}
