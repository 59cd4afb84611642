import type { ReactNode } from 'react'
import {
  data,
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from 'react-router'
import type { Route } from './+types/root'
import { CREATE_PERMISSION, LISTING_KINDS } from '~/domain/listings/kinds'
import { canReview, reviewCounts } from '~/domain/listings/listings.server'
import { countPendingConfirmations } from '~/domain/brokers/mining.server'
import { AppError } from '~/domain/errors'
import { can } from '~/domain/users/permissions'
import { unreadCount } from '~/domain/notifications/notifications.server'
import { DEFAULT_LOCALE, localeFromRequest, translator, useT, type Locale } from '~/i18n/i18n'
import { apiErrorResponse } from '~/infra/http/api.server'
import { getUser, loadAuth } from '~/infra/http/auth.server'
import { authContext } from '~/infra/http/context'
import { readFlash } from '~/infra/http/cookies.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import './app.css'

/** Refuses state-changing requests from other sites (SameSite=Lax cookies are the first line). */
const sameOriginMiddleware: Route.MiddlewareFunction = async ({ request }) => {
  if (request.method === 'GET' || request.method === 'HEAD') return
  const origin = request.headers.get('Origin')
  const host = request.headers.get('Host') ?? new URL(request.url).host
  const crossSite = origin
    ? !URL.canParse(origin) || new URL(origin).host !== host
    : request.headers.get('Sec-Fetch-Site') === 'cross-site'
  if (crossSite) {
    // The JSON API answers every error in its own JSON shape.
    if (new URL(request.url).pathname.startsWith('/api/')) throw apiErrorResponse(request, new AppError('FORBIDDEN', 'err.crossSite'))
    const t = translator(localeFromRequest(request))
    throw new Response(t('err.crossSite'), { status: 403 })
  }
}

const authMiddleware: Route.MiddlewareFunction = async ({ request, context }) => {
  context.set(authContext, await loadAuth(request))
}

export const middleware: Route.MiddlewareFunction[] = [sameOriginMiddleware, authMiddleware]

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = getUser(context)
  const { flash, clear } = await readFlash(request)
  // Three indexed counts for reviewers only: cheap enough for the header badge on every page.
  const pending = user && canReview(user) ? Object.values(await reviewCounts({ actor: user })).reduce((a, b) => a + b, 0) : 0
  // The bell: one count on the (userId, readAt, createdAt) index.
  const unreadNotifications = user ? await unreadCount(user.id) : 0
  return data(
    {
      locale: localeFromRequest(request),
      flash,
      user: user
        ? {
            name: user.name,
            role: user.role,
            orgName: user.org?.name ?? null,
            canPost: !!user.orgId && LISTING_KINDS.some((k) => can(user.role, CREATE_PERMISSION[k])),
            canReview: canReview(user),
            // Bureau staff import for anyone; organisation administrators for their organisation.
            canImport: can(user.role, 'listing:import-any') || (user.isOrgAdmin && can(user.role, 'listing:import')),
            canCommissions: user.role === 'BROKER' || can(user.role, 'commission:read-all'),
            canContracts: !!user.orgId || can(user.role, 'contract:read-all'),
            pendingReviews: pending,
            // Demands brokers recorded for the enterprise, awaiting a member's confirmation (0 without a query for others).
            pendingDemandConfirmations: await countPendingConfirmations(user),
            canClaim: can(user.role, 'demand:claim'),
            unreadNotifications,
          }
        : null,
    },
    clear ? { headers: { 'Set-Cookie': clear } } : undefined,
  )
}

export const meta: Route.MetaFunction = ({ data }) => {
  const t = translator((data?.locale as Locale | undefined) ?? DEFAULT_LOCALE)
  return [{ title: `${t('app.name')} · ${t('app.tagline')}` }]
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRouteLoaderData<typeof loader>('root')
  return (
    <html lang={root?.locale ?? DEFAULT_LOCALE}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col bg-slate-50 font-sans text-slate-900 antialiased">
        <Header />
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8">
          {children}
        </main>
        <Footer />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  )
}

function Header() {
  const root = useRouteLoaderData<typeof loader>('root')
  const t = useT()
  const location = useLocation()
  const user = root?.user
  const here = location.pathname + location.search
  const navClass = ({ isActive }: { isActive: boolean }) =>
    `rounded px-3 py-2 text-sm ${isActive ? 'bg-sky-50 font-semibold text-sky-800' : 'text-slate-700 hover:text-sky-800'}`
  // The public pages, in the main navigation.
  const mainLinks: { to: string; label: string; end?: boolean }[] = [
    { to: '/search', label: t('nav.search') },
    { to: '/achievements', label: t('nav.achievements') },
    { to: '/demands', label: t('nav.demands') },
    { to: '/scenarios', label: t('nav.scenarios') },
    { to: '/brokers', label: t('brokers.nav'), end: true },
    { to: '/stats', label: t('stats.nav') },
  ]
  // The signed-in person's own pages, those their role has.
  const badge = 'ml-1.5 rounded-full bg-amber-500 px-1.5 py-0.5 text-xs font-semibold text-white tabular-nums'
  const workLinks: { to: string; label: string; shown: boolean; badge?: ReactNode }[] = user
    ? [
        { to: '/brokers/claims', label: t('brokers.nav.claims'), shown: !!user.canClaim },
        {
          to: '/my/pending-demands',
          label: t('brokers.nav.pending'),
          shown: !!user.pendingDemandConfirmations,
          badge: <span className={badge}>{user.pendingDemandConfirmations}</span>,
        },
        { to: '/my/listings', label: t('nav.myListings'), shown: !!user.canPost },
        {
          to: '/review',
          label: t('nav.review'),
          shown: !!user.canReview,
          badge: user.pendingReviews ? (
            <span className={badge}>
              <span aria-hidden="true">{user.pendingReviews}</span>
              <span className="sr-only">{t('nav.reviewPending', { count: user.pendingReviews })}</span>
            </span>
          ) : null,
        },
        { to: '/import', label: t('import.title'), shown: !!user.canImport },
        { to: '/deals', label: t('deal.nav'), shown: true },
        { to: '/contracts', label: t('nav.contracts'), shown: !!user.canContracts },
        { to: '/commissions', label: t('nav.commissions'), shown: !!user.canCommissions },
        { to: '/admin/orgs', label: t('nav.verifyOrgs'), shown: can(user.role, 'org:verify') },
        { to: '/admin/nda-template', label: t('nda.template.nav'), shown: can(user.role, 'nda:template') },
        { to: '/admin/mail', label: t('mailLog.nav'), shown: can(user.role, 'mail:read') },
      ]
    : []
  return (
    <header className="border-b border-slate-200 bg-white">
      <a href="#main" className="sr-only focus:not-sr-only">
        {t('app.skipToContent')}
      </a>
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link to="/" className="flex items-baseline gap-2">
          <span className="text-xl font-bold text-sky-800">{t('app.name')}</span>
          <span className="hidden text-xs text-slate-500 2xl:inline">{t('app.tagline')}</span>
        </Link>
        <nav aria-label={t('nav.main')} className="order-last -mx-4 flex w-full items-center gap-1 overflow-x-auto px-4 whitespace-nowrap md:order-none md:mx-0 md:w-auto md:flex-1 md:flex-wrap md:px-0">
          {mainLinks.map((link) => (
            <NavLink key={link.to} to={link.to} end={link.end} className={navClass}>
              {link.label}
            </NavLink>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <Form method="post" action="/lang">
            <input type="hidden" name="locale" value={root?.locale === 'en' ? 'zh-CN' : 'en'} />
            <input type="hidden" name="redirectTo" value={here} />
            <button type="submit" className="rounded px-2 py-1 text-sm text-slate-600 hover:text-sky-800" aria-label={t('lang.label')}>
              {t('lang.switch')}
            </button>
          </Form>
          {user ? (
            <>
              <NotificationBell count={user.unreadNotifications} />
              <NavLink to="/account" className={navClass}>
                {user.name}
              </NavLink>
              <Form method="post" action="/logout">
                <button type="submit" className="rounded px-3 py-2 text-sm text-slate-700 hover:text-sky-800">
                  {t('nav.logout')}
                </button>
              </Form>
            </>
          ) : (
            <>
              <NavLink to="/login" className={navClass}>
                {t('nav.login')}
              </NavLink>
              <Link to="/register" className="rounded-md bg-sky-700 px-3 py-2 text-sm font-medium text-white hover:bg-sky-800">
                {t('nav.register')}
              </Link>
            </>
          )}
        </div>
      </div>
      {/* The signed-in person's own pages, by role: a second row, so that the first stays one line. */}
      {user ? (
        <div className="border-t border-slate-100 bg-slate-50/70">
          <nav aria-label={t('nav.work')} className="mx-auto flex max-w-6xl items-center gap-1 overflow-x-auto px-4 py-1 whitespace-nowrap md:flex-wrap">
            {workLinks
              .filter((link) => link.shown)
              .map((link) => (
                <NavLink key={link.to} to={link.to} className={navClass}>
                  {link.label}
                  {link.badge}
                </NavLink>
              ))}
          </nav>
        </div>
      ) : null}
    </header>
  )
}

/** The bell in the header: the signed-in user's unread notifications. */
function NotificationBell({ count }: { count: number }) {
  const t = useT()
  return (
    <NavLink
      to="/notifications"
      className={({ isActive }) => `relative rounded p-2 ${isActive ? 'bg-sky-50 text-sky-800' : 'text-slate-600 hover:text-sky-800'}`}
      aria-label={count ? t('notifications.bell', { count }) : t('notifications.title')}
      title={count ? t('notifications.bell', { count }) : t('notifications.title')}
      data-testid="notification-bell"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" className="h-5 w-5">
        <path strokeLinecap="round" strokeLinejoin="round" d="M15 17h5l-1.4-1.4A2 2 0 0 1 18 14.2V11a6 6 0 1 0-12 0v3.2a2 2 0 0 1-.6 1.4L4 17h5m6 0v1a3 3 0 1 1-6 0v-1m6 0H9" />
      </svg>
      {count ? (
        <span aria-hidden="true" data-testid="notification-count" className="absolute -top-0.5 -right-0.5 min-w-[1.1rem] rounded-full bg-red-600 px-1 text-center text-[0.7rem] leading-[1.1rem] font-semibold text-white tabular-nums">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </NavLink>
  )
}

function Footer() {
  const t = useT()
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto max-w-6xl px-4 py-6 text-sm text-slate-500">
        <p>{t('footer.about')}</p>
        <p className="mt-2 flex flex-wrap gap-4">
          <span>{t('footer.operator')}</span>
          <a href="/healthz" className="underline">
            {t('footer.health')}
          </a>
        </p>
      </div>
    </footer>
  )
}

function Flash() {
  const root = useRouteLoaderData<typeof loader>('root')
  const t = useT()
  const flash = root?.flash
  if (!flash) return null
  return (
    <p
      role="status"
      className={`mb-6 rounded-md border px-4 py-3 text-sm ${flash.kind === 'error' ? 'border-red-200 bg-red-50 text-red-800' : 'border-emerald-200 bg-emerald-50 text-emerald-800'}`}
    >
      {t(flash.key, flash.params)}
    </p>
  )
}

export default function App() {
  return (
    <>
      <Flash />
      <Outlet />
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
