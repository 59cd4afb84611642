import { data, Link, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/edit'
import { listBatches } from '~/domain/listings/batches.server'
import { CREATE_PERMISSION, KIND_PATHS, type ListingKind } from '~/domain/listings/kinds'
import { canReview, getListing, transitionListing, updateListing } from '~/domain/listings/listings.server'
import { localeFromRequest, translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { achievementDefaults } from '~/ui/listings/achievement-form'
import { demandDefaults } from '~/ui/listings/demand-form'
import { KIND_TEXT, StatusBadge } from '~/ui/listings/labels'
import { ListingForm } from '~/ui/listings/listing-form'
import { scenarioDefaults } from '~/ui/listings/scenario-form'
import { asAppError, errorKey, kindFromUrl, listingId, parseListingForm, redirectWithFlash, replyWithAppError } from './helpers.server'

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const kind = (data as { kind?: ListingKind } | undefined)?.kind
  return [{ title: kind ? `${t(KIND_TEXT[kind].edit)} · ${t('app.name')}` : t('app.name') }]
}

const DEFAULTS = { achievement: achievementDefaults, demand: demandDefaults, scenario: scenarioDefaults }

export async function loader(args: Route.LoaderArgs) {
  const kind = kindFromUrl(args.url)
  const id = listingId(args.params.id)
  const user = requireUser(args, CREATE_PERMISSION[kind])
  let found
  try {
    found = await getListing({ actor: user, kind, id })
  } catch (error) {
    const e = asAppError(error)
    throw new Response(e.message, { status: e.status })
  }
  const { listing } = found
  // Only the owning organisation edits; reviewers see the listing but do not rewrite it.
  if (listing.orgId !== user.orgId) throw new Response('Forbidden', { status: 403 })
  const detail = `/${KIND_PATHS[kind]}/${id}`
  if (listing.status === 'ARCHIVED') throw await redirectWithFlash(detail, { key: 'err.archivedReadOnly', kind: 'error' })
  const batches = kind === 'scenario' ? (await listBatches({ actor: user })).map(({ id, number, title }) => ({ id, number, title })) : []
  return {
    kind,
    id,
    title: listing.title,
    status: listing.status,
    defaults: DEFAULTS[kind](listing),
    batches,
    orgVerified: !!user.org?.verified,
    publishesDirectly: kind === 'scenario' && canReview(user),
    // A demand a broker recorded is submitted by confirming it on its page, not from the form.
    awaitingConfirmation: kind === 'demand' && !!listing.minedById && !listing.confirmedAt && listing.status === 'DRAFT',
  }
}

export async function action(args: Route.ActionArgs) {
  const { request, context, url } = args
  const kind = kindFromUrl(url)
  const id = listingId(args.params.id)
  const user = requireUser(args, CREATE_PERMISSION[kind])
  const formData = await request.formData()
  const submission = parseListingForm(formData, kind)
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const ip = context.get(clientIpContext)
  let updated
  try {
    updated = await updateListing({ actor: user, kind, id, input: submission.value, ip })
  } catch (error) {
    const { result, status } = replyWithAppError(request, submission, error)
    return data({ result }, { status })
  }
  const to = `/${KIND_PATHS[kind]}/${id}`
  const submit = formData.get('intent') === 'submit' && (updated.status === 'DRAFT' || updated.status === 'REJECTED')
  if (!submit) return redirectWithFlash(to, { key: 'listings.done.updated', params: { title: updated.title } })
  try {
    const after = await transitionListing({ actor: user, kind, id, action: 'submit', ip })
    return await redirectWithFlash(to, { key: after.status === 'PUBLISHED' ? 'listings.done.published' : 'listings.done.submit', params: { title: after.title } })
  } catch (error) {
    const reason = translator(localeFromRequest(request))(errorKey(asAppError(error), request))
    return redirectWithFlash(to, { key: 'listings.done.savedNotSubmitted', params: { reason }, kind: 'error' })
  }
}

export default function EditListing() {
  const t = useT()
  const { kind, id, title, status, defaults, batches, orgVerified, publishesDirectly, awaitingConfirmation } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const detail = `/${KIND_PATHS[kind]}/${id}`
  return (
    <div className="mx-auto max-w-3xl">
      <Link to={detail} className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {title}
      </Link>
      <div className="mt-3 mb-6 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{t(KIND_TEXT[kind].edit)}</h1>
        <StatusBadge status={status} />
      </div>
      <ListingForm
        kind={kind}
        lastResult={actionData?.result}
        defaultValue={defaults}
        context={{ mode: 'edit', status, cancelTo: detail, orgVerified, publishesDirectly, saveOnlyLabel: awaitingConfirmation ? 'listings.form.save' : undefined }}
        batches={batches}
      />
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
