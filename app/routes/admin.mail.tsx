import { Form, Link, useLoaderData } from 'react-router'
import type { Route } from './+types/admin.mail'
import { listEmails } from '~/domain/notifications/email.server'
import { EMAIL_STATUSES, MailQuerySchema } from '~/domain/notifications/mail-log'
import { chinaTime } from '~/domain/notifications/render'
import { searchParamsToObject } from '~/domain/listings/query'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { STATUS_KEYS, StatusChip } from './admin.mail.shared'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('mailLog.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'mail:read')
  const raw = searchParamsToObject(new URL(args.request.url).searchParams)
  const parsed = MailQuerySchema.safeParse(raw)
  // A wrong filter in a link is dropped and named, not an error page.
  const invalid = parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => String(i.path[0])))]
  const query = parsed.success ? parsed.data : MailQuerySchema.parse(Object.fromEntries(Object.entries(raw).filter(([k]) => !invalid.includes(k))))
  const list = await listEmails({ actor: user, query })
  return {
    query,
    invalid,
    total: list.total,
    pages: list.pages,
    counts: list.counts,
    items: list.items.map((m) => ({ ...m, createdAt: chinaTime(m.createdAt), sentAt: m.sentAt ? chinaTime(m.sentAt) : null })),
  }
}

export default function MailLog() {
  const t = useT()
  const { query, invalid, total, pages, counts, items } = useLoaderData<typeof loader>()
  const link = (changes: Record<string, string | number | undefined>) => {
    const next = { status: query.status, q: query.q, page: query.page > 1 ? query.page : undefined, ...changes }
    const params = new URLSearchParams(Object.entries(next).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '').map(([k, v]) => [k, String(v)]))
    const s = params.toString()
    return s ? `?${s}` : '/admin/mail'
  }
  const all = counts.QUEUED + counts.SENT + counts.FAILED
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-2xl font-semibold">{t('mailLog.title')}</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">{t('mailLog.lead')}</p>
      {invalid.length ? (
        <p role="status" className="mt-3 text-sm text-amber-800">
          {t('mailLog.invalidFilters', { names: invalid.join(', ') })}
        </p>
      ) : null}

      <div className="mt-6 flex flex-wrap items-center justify-between gap-3">
        <nav aria-label={t('mailLog.statusFilter')} className="flex flex-wrap gap-2 text-sm">
          <Link to={link({ status: undefined, page: undefined })} className={tab(!query.status)} aria-current={!query.status ? 'page' : undefined}>
            {t('mailLog.all')} <span className="opacity-80">{all}</span>
          </Link>
          {EMAIL_STATUSES.map((s) => (
            <Link key={s} to={link({ status: s, page: undefined })} className={tab(query.status === s)} aria-current={query.status === s ? 'page' : undefined}>
              {t(STATUS_KEYS[s])} <span className="opacity-80">{counts[s]}</span>
            </Link>
          ))}
        </nav>
        <Form method="get" role="search" className="flex gap-2">
          {query.status ? <input type="hidden" name="status" value={query.status} /> : null}
          <label htmlFor="mail-q" className="sr-only">
            {t('mailLog.search')}
          </label>
          <input
            id="mail-q"
            type="search"
            name="q"
            defaultValue={query.q ?? ''}
            maxLength={254}
            placeholder={t('mailLog.searchPlaceholder')}
            className="w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
          />
          <button type="submit" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800">
            {t('mailLog.searchButton')}
          </button>
        </Form>
      </div>

      <p className="mt-4 text-sm text-slate-500" data-testid="mail-total">
        {t('mailLog.total', { count: total })}
      </p>
      {items.length === 0 ? (
        <p className="py-10 text-center text-slate-500">{t('mailLog.empty')}</p>
      ) : (
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-500">
              <tr>
                <th className="py-2 pr-4 font-medium">{t('mailLog.createdAt')}</th>
                <th className="py-2 pr-4 font-medium">{t('mailLog.to')}</th>
                <th className="py-2 pr-4 font-medium">{t('mailLog.subject')}</th>
                <th className="py-2 pr-4 font-medium">{t('mailLog.category')}</th>
                <th className="py-2 pr-4 font-medium">{t('mailLog.status')}</th>
                <th className="py-2 pr-4 text-right font-medium">{t('mailLog.attempts')}</th>
                <th className="py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((m) => (
                <tr key={m.id} data-testid="mail-row">
                  <td className="py-2 pr-4 whitespace-nowrap tabular-nums">{m.createdAt}</td>
                  <td className="py-2 pr-4">{m.to}</td>
                  <td className="max-w-md py-2 pr-4">
                    <Link to={`/admin/mail/${m.id}`} className="text-sky-800 hover:underline">
                      {m.subject}
                    </Link>
                    {m.lastError && m.status !== 'SENT' ? <p className="truncate text-xs text-red-700" title={m.lastError}>{m.lastError}</p> : null}
                  </td>
                  <td className="py-2 pr-4 font-mono text-xs text-slate-600">{m.category}</td>
                  <td className="py-2 pr-4">
                    <StatusChip status={m.status} />
                  </td>
                  <td className="py-2 pr-4 text-right tabular-nums">{m.attempts}</td>
                  <td className="py-2 text-right whitespace-nowrap">
                    {m.status === 'FAILED' ? (
                      <Form method="post" action={`/admin/mail/${m.id}`} className="inline">
                        <button
                          type="submit"
                          name="intent"
                          value="retry"
                          className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
                          aria-label={t('mailLog.retryLabel', { to: m.to })}
                        >
                          {t('mailLog.retry')}
                        </button>
                      </Form>
                    ) : (
                      <Link to={`/admin/mail/${m.id}`} className="text-xs text-sky-700 underline">
                        {t('mailLog.open')}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {pages > 1 ? (
        <nav aria-label={t('mailLog.pages')} className="mt-6 flex items-center justify-center gap-4 text-sm">
          {query.page > 1 ? (
            <Link to={link({ page: query.page - 1 })} className="text-sky-700 underline">
              {t('common.previous')}
            </Link>
          ) : null}
          <span>{t('mailLog.pageOf', { page: query.page, pages })}</span>
          {query.page < pages ? (
            <Link to={link({ page: query.page + 1 })} className="text-sky-700 underline">
              {t('common.next')}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  )
}

const tab = (active: boolean) => `rounded-md px-3 py-1.5 ${active ? 'bg-sky-700 text-white' : 'text-slate-700 hover:bg-slate-100'}`

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
