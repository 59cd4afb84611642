import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/home'
import { listOrganizations, organizationCounts } from '~/domain/orgs/orgs.server'
import { can } from '~/domain/users/permissions'
import { useT } from '~/i18n/i18n'
import { getUser } from '~/infra/http/auth.server'
import { GeneralErrorBoundary } from '~/ui/error-page'

export async function loader({ context }: Route.LoaderArgs) {
  const user = getUser(context)
  const counts = await organizationCounts()
  const pending = user && can(user.role, 'org:list') ? (await listOrganizations({ actor: user, verified: false, pageSize: 1 })).total : null
  return {
    counts,
    pending,
    me: user ? { name: user.name, orgName: user.org?.name ?? null, orgVerified: user.org?.verified ?? null } : null,
  }
}

export default function Home() {
  const t = useT()
  const { counts, pending, me } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-10">
      <section className="rounded-xl bg-gradient-to-br from-sky-800 to-sky-600 px-6 py-10 text-white shadow sm:px-10">
        {me ? (
          <>
            <h1 className="text-2xl font-semibold sm:text-3xl">{t('home.welcome', { name: me.name })}</h1>
            {me.orgName ? <p className="mt-3 text-sky-100">{t('home.yourOrg', { org: me.orgName })}</p> : null}
            {me.orgVerified === false ? <p className="mt-2 text-amber-200">{t('home.orgPending')}</p> : null}
            {me.orgVerified ? <p className="mt-2 text-sky-100">{t('home.orgVerified')}</p> : null}
            {pending ? (
              <Link to="/admin/orgs" className="mt-5 inline-block rounded-md bg-white px-4 py-2 text-sm font-medium text-sky-800">
                {t('home.queue', { count: pending })}
              </Link>
            ) : null}
          </>
        ) : (
          <>
            <h1 className="text-3xl font-semibold sm:text-4xl">{t('home.title')}</h1>
            <p className="mt-4 max-w-3xl text-sky-100">{t('home.lead')}</p>
            <div className="mt-6 flex flex-wrap gap-3">
              <Link to="/register" className="rounded-md bg-white px-4 py-2 font-medium text-sky-800 hover:bg-sky-50">
                {t('home.ctaRegister')}
              </Link>
              <Link to="/login" className="rounded-md border border-white/60 px-4 py-2 font-medium text-white hover:bg-white/10">
                {t('home.ctaLogin')}
              </Link>
            </div>
          </>
        )}
      </section>
      <section className="grid gap-6 md:grid-cols-2">
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="mb-4 text-lg font-semibold">{t('home.stats')}</h2>
          <dl className="grid grid-cols-2 gap-4">
            <div>
              <dt className="text-sm text-slate-500">{t('home.statsVerified')}</dt>
              <dd className="text-3xl font-bold text-sky-800" data-testid="verified-orgs">{counts.verified}</dd>
            </div>
            <div>
              <dt className="text-sm text-slate-500">{t('home.statsMembers')}</dt>
              <dd className="text-3xl font-bold text-sky-800">{counts.members}</dd>
            </div>
          </dl>
          <ul className="mt-4 flex flex-wrap gap-2 text-xs text-slate-600">
            {Object.entries(counts.byKind).map(([kind, n]) => (
              <li key={kind} className="rounded bg-slate-100 px-2 py-1">
                {t(`orgKind.${kind}`)} {n}
              </li>
            ))}
          </ul>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="mb-4 text-lg font-semibold">{t('home.targets')}</h2>
          <ul className="list-disc space-y-2 pl-5 text-slate-700">
            <li>{t('home.targetTurnover')}</li>
            <li>{t('home.targetCount')}</li>
            <li>{t('home.targetBrokers')}</li>
          </ul>
        </div>
      </section>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
