import { data, Link, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/new'
import { listBatches } from '~/domain/listings/batches.server'
import { CREATE_PERMISSION, KIND_PATHS, type ListingKind } from '~/domain/listings/kinds'
import { canReview, createListing, transitionListing } from '~/domain/listings/listings.server'
import { localeFromRequest, translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { KIND_TEXT } from '~/ui/listings/labels'
import { ListingForm } from '~/ui/listings/listing-form'
import { asAppError, errorKey, kindFromUrl, parseListingForm, redirectWithFlash, replyWithAppError } from './helpers.server'

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const kind = (data as { kind?: ListingKind } | undefined)?.kind
  return [{ title: kind ? `${t(KIND_TEXT[kind].new)} · ${t('app.name')}` : t('app.name') }]
}

export async function loader(args: Route.LoaderArgs) {
  const kind = kindFromUrl(args.url)
  const user = requireUser(args, CREATE_PERMISSION[kind])
  const batches = kind === 'scenario' ? (await listBatches({ actor: user })).map(({ id, number, title }) => ({ id, number, title })) : []
  // /scenarios/new?batch=… comes from a batch's "add a scenario" link.
  const batch = args.url.searchParams.get('batch')
  return {
    kind,
    batches,
    defaultBatch: batches.some((b) => b.id === batch) ? batch : null,
    orgVerified: !!user.org?.verified,
    publishesDirectly: kind === 'scenario' && canReview(user),
  }
}

export async function action(args: Route.ActionArgs) {
  const { request, context, url } = args
  const kind = kindFromUrl(url)
  const user = requireUser(args, CREATE_PERMISSION[kind])
  const formData = await request.formData()
  const submission = parseListingForm(formData, kind)
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const ip = context.get(clientIpContext)
  let created
  try {
    created = await createListing({ actor: user, kind, input: submission.value, ip })
  } catch (error) {
    const { result, status } = replyWithAppError(request, submission, error)
    return data({ result }, { status })
  }
  const to = `/${KIND_PATHS[kind]}/${created.id}`
  if (formData.get('intent') !== 'submit') return redirectWithFlash(to, { key: 'listings.done.saved', params: { title: created.title } })
  // Saved first, submitted second: a refusal to submit (an unverified organisation) keeps the draft.
  try {
    const after = await transitionListing({ actor: user, kind, id: created.id, action: 'submit', ip })
    return await redirectWithFlash(to, { key: after.status === 'PUBLISHED' ? 'listings.done.published' : 'listings.done.submit', params: { title: after.title } })
  } catch (error) {
    const reason = translator(localeFromRequest(request))(errorKey(asAppError(error), request))
    return redirectWithFlash(to, { key: 'listings.done.savedNotSubmitted', params: { reason }, kind: 'error' })
  }
}

export default function NewListing() {
  const t = useT()
  const { kind, batches, defaultBatch, orgVerified, publishesDirectly } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const path = `/${KIND_PATHS[kind]}`
  return (
    <div className="mx-auto max-w-3xl">
      <Link to={path} className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {t(KIND_TEXT[kind].title)}
      </Link>
      <h1 className="mt-3 mb-6 text-2xl font-semibold">{t(KIND_TEXT[kind].new)}</h1>
      <ListingForm
        kind={kind}
        lastResult={actionData?.result}
        defaultValue={defaultBatch ? { batchId: defaultBatch } : undefined}
        context={{ mode: 'new', cancelTo: path, orgVerified, publishesDirectly }}
        batches={batches}
      />
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
