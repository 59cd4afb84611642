import { parseWithZod } from '@conform-to/zod/v4'
import { data, Link, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/mining-new'
import { getMiningTarget, mineDemand } from '~/domain/brokers/mining.server'
import { DemandInputSchema } from '~/domain/listings/schemas'
import { regionName } from '~/domain/orgs/regions.server'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { VerifiedMark } from '~/ui/listings/labels'
import { ListingForm } from '~/ui/listings/listing-form'
import { asAppError, listingId, redirectWithFlash, replyWithAppError } from '../listings/helpers.server'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('brokers.mining.new')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'demand:mine')
  const orgId = listingId(args.params.orgId)
  let org
  try {
    org = await getMiningTarget({ actor: user, orgId })
  } catch (error) {
    const e = asAppError(error)
    throw new Response(e.message, { status: e.status })
  }
  return { org: { id: org.id, name: org.name, region: regionName(org.regionCode) } }
}

/** The usual demand form (the same schema and component as /demands/new), saved for the enterprise to confirm. */
export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args, 'demand:mine')
  const orgId = listingId(args.params.orgId)
  const submission = parseWithZod(await request.formData(), { schema: DemandInputSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  let created
  try {
    created = await mineDemand({ actor: user, orgId, input: submission.value, ip: context.get(clientIpContext) })
  } catch (error) {
    const { result, status } = replyWithAppError(request, submission, error)
    return data({ result }, { status })
  }
  return redirectWithFlash('/brokers/mining', { key: 'brokers.mining.saved', params: { title: created.title, org: created.orgName } })
}

export default function MineDemand() {
  const t = useT()
  const { org } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-3xl">
      <Link to="/brokers/mining" className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {t('brokers.mining.title')}
      </Link>
      <h1 className="mt-3 text-2xl font-semibold">{t('brokers.mining.new')}</h1>
      <p className="mt-2 mb-2 text-slate-700" data-testid="mining-org">
        {t('brokers.mining.for')} <span className="font-medium">{org.name}</span>
        <VerifiedMark title={t('listings.verifiedOrg')} />
        {org.region ? <span className="text-slate-500"> · {org.region}</span> : null}
      </p>
      <p className="mb-6 rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-900">{t('brokers.mining.formNote')}</p>
      <ListingForm
        kind="demand"
        lastResult={actionData?.result}
        context={{ mode: 'new', cancelTo: '/brokers/mining', orgVerified: true, saveOnlyLabel: 'brokers.mining.save' }}
      />
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
