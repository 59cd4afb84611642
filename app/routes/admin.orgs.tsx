import { data, Form, Link, redirect, useLoaderData, useSearchParams } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/admin.orgs'
import { isAppError } from '~/domain/errors'
import { listOrganizations, setOrganizationVerified } from '~/domain/orgs/orgs.server'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { setFlash } from '~/infra/http/cookies.server'
import { Button } from '~/ui/form'
import { GeneralErrorBoundary } from '~/ui/error-page'

const PAGE_SIZE = 50
const QuerySchema = z.object({
  tab: z.enum(['pending', 'verified']).catch('pending'),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
})

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('orgs.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'org:list')
  const query = QuerySchema.parse(Object.fromEntries(new URL(args.request.url).searchParams))
  const result = await listOrganizations({ actor: user, verified: query.tab === 'verified', page: query.page, pageSize: PAGE_SIZE })
  return { ...query, ...result }
}

const ActionSchema = z.object({
  orgId: z.string().min(1).max(64),
  intent: z.enum(['verify', 'unverify']),
  name: z.string().max(200).default(''),
})

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args, 'org:verify')
  const parsed = ActionSchema.safeParse(Object.fromEntries(await args.request.formData()))
  if (!parsed.success) return data({ error: 'err.badRequest' }, { status: 400 })
  const { orgId, intent, name } = parsed.data
  try {
    await setOrganizationVerified({ actor: user, orgId, verified: intent === 'verify', ip: args.context.get(clientIpContext) })
  } catch (error) {
    if (isAppError(error)) throw new Response(error.message, { status: error.status })
    throw error
  }
  const flash = await setFlash({ key: intent === 'verify' ? 'orgs.verifiedOk' : 'orgs.unverifiedOk', params: { name } })
  return redirect(args.url.pathname + args.url.search, { headers: { 'Set-Cookie': flash } })
}

export default function AdminOrgs() {
  const t = useT()
  const locale = useLocale()
  const { rows, total, tab, page } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
  const pageLink = (p: number) => {
    const next = new URLSearchParams(params)
    next.set('page', String(p))
    return `?${next}`
  }
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">{t('orgs.title')}</h1>
      <div className="mb-4 flex items-center gap-2">
        {(['pending', 'verified'] as const).map((k) => (
          <Link
            key={k}
            to={`?tab=${k}`}
            className={`rounded-md px-3 py-2 text-sm ${tab === k ? 'bg-sky-700 text-white' : 'border border-slate-300 bg-white'}`}
          >
            {t(k === 'pending' ? 'orgs.pending' : 'orgs.verifiedTab')}
          </Link>
        ))}
        <span className="ml-auto text-sm text-slate-500">{t('orgs.total', { count: total })}</span>
      </div>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">{t('orgs.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-4 py-3">{t('orgs.name')}</th>
                <th className="px-4 py-3">{t('orgs.kind')}</th>
                <th className="px-4 py-3">{t('orgs.creditCode')}</th>
                <th className="px-4 py-3">{t('orgs.region')}</th>
                <th className="px-4 py-3">{t('orgs.members')}</th>
                <th className="px-4 py-3">{t('orgs.registered')}</th>
                <th className="px-4 py-3" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((org) => (
                <tr key={org.id}>
                  <td className="px-4 py-3 font-medium">{org.name}</td>
                  <td className="px-4 py-3">{t(`orgKind.${org.kind}`)}</td>
                  <td className="px-4 py-3 font-mono">{org.creditCode ?? '—'}</td>
                  <td className="px-4 py-3">{org.regionName ?? org.regionCode}</td>
                  <td className="px-4 py-3">{org._count.members}</td>
                  <td className="px-4 py-3 whitespace-nowrap">{new Date(org.createdAt).toLocaleDateString(locale, { timeZone: 'Asia/Shanghai' })}</td>
                  <td className="px-4 py-3 text-right">
                    <Form method="post">
                      <input type="hidden" name="orgId" value={org.id} />
                      <input type="hidden" name="name" value={org.name} />
                      {org.verified ? (
                        <Button type="submit" name="intent" value="unverify" variant="danger">
                          {t('orgs.unverify')}
                        </Button>
                      ) : (
                        <Button type="submit" name="intent" value="verify">
                          {t('orgs.verify')}
                        </Button>
                      )}
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav className="mt-4 flex items-center gap-4 text-sm">
          {page > 1 ? <Link to={pageLink(page - 1)}>{t('common.previous')}</Link> : null}
          <span>{t('common.page', { page })}</span>
          {page < pages ? <Link to={pageLink(page + 1)}>{t('common.next')}</Link> : null}
        </nav>
      ) : null}
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
