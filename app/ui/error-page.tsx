import { isRouteErrorResponse, Link, useRouteError } from 'react-router'
import { useT } from '~/i18n/i18n'

/** One error page for every route: a message per status, never a stack trace. */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  const t = useT()
  const status = isRouteErrorResponse(error) ? error.status : 500
  if (!isRouteErrorResponse(error) && typeof document !== 'undefined') console.error(error)
  const known = [400, 401, 403, 404].includes(status) ? status : 500
  const detailKey = known === 403 || known === 404 || known === 500 ? `error.${known}.detail` : null
  return (
    <div className="mx-auto max-w-xl py-16 text-center" data-status={status}>
      <p className="text-6xl font-bold text-slate-300">{status}</p>
      <h1 className="mt-4 text-2xl font-semibold text-slate-900">{t(`error.${known}`)}</h1>
      {detailKey ? <p className="mt-3 text-slate-600">{t(detailKey)}</p> : null}
      <Link to="/" className="mt-8 inline-block text-sky-700 underline">
        {t('error.home')}
      </Link>
    </div>
  )
}
