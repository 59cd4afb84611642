import { data, Form, Link, redirect, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/notifications'
import { isAppError } from '~/domain/errors'
import { listNotifications, markAllRead, markRead } from '~/domain/notifications/notifications.server'
import { chinaTime, notificationText, typeLabel } from '~/domain/notifications/render'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { setFlash } from '~/infra/http/cookies.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button } from '~/ui/form'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('notifications.title')} · ${t('app.name')}` }]
}

const QuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  show: z.enum(['all', 'unread']).catch('all'),
})

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const url = new URL(args.request.url)
  const query = QuerySchema.parse({ page: url.searchParams.get('page') ?? undefined, show: url.searchParams.get('show') ?? undefined })
  const list = await listNotifications({ actor: user, page: query.page, unreadOnly: query.show === 'unread' })
  return {
    query,
    ...list,
    items: list.items.map((n) => ({ id: n.id, type: n.type, params: n.params, read: !!n.readAt, time: chinaTime(n.createdAt) })),
  }
}

const ActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read'), id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
  z.object({ intent: z.literal('read-all') }),
])

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args)
  const form = await args.request.formData()
  const parsed = ActionSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) return data({ formError: 'err.badRequest' }, { status: 400 })
  // Back to the same page and filter the button was on.
  const back = new URL(args.request.url)
  const to = `/notifications${back.search}`
  if (parsed.data.intent === 'read-all') {
    const count = await markAllRead({ actor: user })
    return redirect(to, { headers: { 'Set-Cookie': await setFlash({ key: 'notifications.markedAll', params: { count } }) } })
  }
  try {
    await markRead({ actor: user, id: parsed.data.id })
  } catch (error) {
    if (isAppError(error)) throw new Response(error.message, { status: error.status })
    throw error
  }
  return redirect(to, { headers: { 'Set-Cookie': await setFlash({ key: 'notifications.marked' }) } })
}

export default function Notifications() {
  const t = useT()
  const { items, unread, pages, query } = useLoaderData<typeof loader>()
  const pageLink = (page: number) => `?${new URLSearchParams({ ...(query.show === 'unread' ? { show: 'unread' } : {}), page: String(page) })}`
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{t('notifications.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('notifications.lead')}</p>
          <p className="mt-2 text-sm">
            <Link to="/account/notifications" className="text-sky-700 underline">
              {t('notifications.settings')}
            </Link>
            <span className="mx-2 text-slate-300">|</span>
            <Link to="/saved-searches" className="text-sky-700 underline">
              {t('notifications.savedSearches')}
            </Link>
          </p>
        </div>
        {unread > 0 ? (
          <Form method="post">
            <Button type="submit" name="intent" value="read-all" variant="secondary">
              {t('notifications.markAllRead')}
            </Button>
          </Form>
        ) : null}
      </div>

      <nav aria-label={t('notifications.filters')} className="mt-6 flex gap-2 border-b border-slate-200 pb-2 text-sm">
        <Link to="/notifications" className={tab(query.show === 'all')} aria-current={query.show === 'all' ? 'page' : undefined}>
          {t('notifications.filter.all')}
        </Link>
        <Link to="?show=unread" className={tab(query.show === 'unread')} aria-current={query.show === 'unread' ? 'page' : undefined}>
          {t('notifications.filter.unread')}{' '}
          <span className="text-xs opacity-80" data-testid="unread-count" aria-label={t('notifications.unreadCount', { count: unread })}>
            {unread}
          </span>
        </Link>
      </nav>

      {items.length === 0 ? (
        <p className="py-10 text-center text-slate-500">{t(query.show === 'unread' ? 'notifications.emptyUnread' : 'notifications.empty')}</p>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="notifications">
          {items.map((n) => {
            const text = notificationText(t, n)
            return (
              <li
                key={n.id}
                data-read={n.read}
                className={`flex flex-wrap items-start gap-3 py-4 pl-3 ${n.read ? 'border-l-4 border-transparent' : 'border-l-4 border-sky-600 bg-sky-50/60'}`}
              >
                <span aria-hidden className={`mt-2 h-2 w-2 shrink-0 rounded-full ${n.read ? 'bg-transparent' : 'bg-sky-600'}`} />
                <div className="min-w-0 flex-1">
                  <p className="text-xs text-slate-500">
                    <span className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700">{typeLabel(t, n.type)}</span> <time>{n.time}</time>
                    {n.read ? null : <span className="ml-2 font-medium text-sky-800">{t('notifications.unread')}</span>}
                  </p>
                  <p className={`mt-1 ${n.read ? 'text-slate-700' : 'font-medium text-slate-900'}`}>
                    {/* Following the link marks the notification read (the open route does it, also from e-mails). */}
                    <a href={`/notifications/${n.id}/open`} className="hover:text-sky-800 hover:underline">
                      {text}
                    </a>
                  </p>
                </div>
                {n.read ? null : (
                  <Form method="post">
                    <input type="hidden" name="id" value={n.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="read"
                      className="rounded px-2 py-1 text-sm text-sky-700 hover:bg-sky-100"
                      aria-label={t('notifications.markReadLabel', { text })}
                    >
                      {t('notifications.markRead')}
                    </button>
                  </Form>
                )}
              </li>
            )
          })}
        </ul>
      )}

      {pages > 1 ? (
        <nav aria-label={t('notifications.pages')} className="mt-6 flex items-center justify-center gap-4 text-sm">
          {query.page > 1 ? (
            <Link to={pageLink(query.page - 1)} className="text-sky-700 underline">
              {t('common.previous')}
            </Link>
          ) : null}
          <span>{t('notifications.pageOf', { page: query.page, pages })}</span>
          {query.page < pages ? (
            <Link to={pageLink(query.page + 1)} className="text-sky-700 underline">
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
