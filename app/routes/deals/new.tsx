import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/new'
import { createDeal, dealEntry } from '~/domain/deals/deals.server'
import { CreateDealSchema } from '~/domain/deals/schemas'
import { KIND_PATHS } from '~/domain/listings/kinds'
import { getListing } from '~/domain/listings/listings.server'
import { todayInChina } from '~/domain/listings/schemas'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { asResponse, errorKey, redirectWithFlash } from './helpers.server'
import { isAppError } from '~/domain/errors'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('deal.new.title')} · ${t('app.name')}` }]
}

const idParam = (v: string | null) => (v && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : null)

/** /deals/new?demand=<id> or ?scenario=<id>: a broker starts a deal from a published need. */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'deal:create')
  const demandId = idParam(args.url.searchParams.get('demand'))
  const scenarioId = demandId ? null : idParam(args.url.searchParams.get('scenario'))
  if (!demandId && !scenarioId) throw new Response('Not Found', { status: 404 })
  const kind: 'demand' | 'scenario' = demandId ? 'demand' : 'scenario'
  const id = (demandId ?? scenarioId)!
  let listing
  try {
    listing = (await getListing({ actor: null, kind, id })).listing
  } catch (error) {
    throw asResponse(error)
  }
  const entry = await dealEntry({ actor: user, kind, id })
  // Already working on it: the deal is the place to be.
  if (entry?.openDeal && !entry.mayStart) throw redirect(`/deals/${entry.openDeal.id}`)
  const inAWeek = todayInChina(new Date(Date.now() + 7 * 86_400_000))
  return {
    kind,
    need: { id, title: listing.title, orgName: listing.org.name },
    entry,
    today: todayInChina(),
    defaultValue: { demandId: demandId ?? '', scenarioId: scenarioId ?? '', title: listing.title, nextStep: '', nextStepDue: inAWeek },
  }
}

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args, 'deal:create')
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: CreateDealSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  try {
    const deal = await createDeal({ actor: user, input: submission.value, ip: context.get(clientIpContext) })
    return await redirectWithFlash(`/deals/${deal.id}`, { key: 'deal.done.created', params: { number: deal.number } })
  } catch (error) {
    if (!isAppError(error)) throw error
    const fieldErrors = Object.fromEntries(Object.entries(error.fields ?? {}).map(([k, v]) => [k, [v]]))
    return data({ result: submission.reply({ formErrors: [errorKey(error)], fieldErrors }) }, { status: error.status })
  }
}

export default function NewDeal() {
  const t = useT()
  const { kind, need, entry, today, defaultValue } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useForm({
    id: 'new-deal',
    lastResult: actionData?.result,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateDealSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const input = 'w-full rounded-md border border-slate-300 px-3 py-2 text-base shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200 aria-[invalid]:border-red-600'
  const blocked = !!entry && !entry.mayStart
  return (
    <div className="mx-auto max-w-2xl">
      <Link to={`/${KIND_PATHS[kind]}/${need.id}`} className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {need.title}
      </Link>
      <h1 className="mt-3 mb-2 text-2xl font-semibold">{t('deal.new.title')}</h1>
      <p className="mb-6 text-sm text-slate-600">{t(kind === 'demand' ? 'deal.new.leadDemand' : 'deal.new.leadScenario', { title: need.title, org: need.orgName })}</p>
      {kind === 'demand' && entry?.unclaimed ? (
        <p className="mb-4 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">{t('deal.new.claimNotice')}</p>
      ) : null}
      {blocked ? (
        <p role="alert" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {entry?.claimedBy ? t('deal.new.claimedBy', { name: entry.claimedBy }) : t('deal.new.otherDeal')}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <FormError message={form.errors?.[0]} />
        <input {...getInputProps(fields.demandId, { type: 'hidden' })} key={fields.demandId.key} />
        <input {...getInputProps(fields.scenarioId, { type: 'hidden' })} key={fields.scenarioId.key} />
        <FieldErrors id={fields.demandId.errorId} errors={fields.demandId.errors} />
        <div>
          <label htmlFor={fields.title.id} className="mb-1 block text-sm font-medium text-slate-700">
            {t('deal.label.title')}
          </label>
          <input {...getInputProps(fields.title, { type: 'text' })} key={fields.title.key} maxLength={200} className={input} />
          <p className="mt-1 text-xs text-slate-500">{t('deal.new.titleHint')}</p>
          <FieldErrors id={fields.title.errorId} errors={fields.title.errors} />
        </div>
        <div>
          <label htmlFor={fields.nextStep.id} className="mb-1 block text-sm font-medium text-slate-700">
            {t('deal.label.nextStep')}
          </label>
          <input
            {...getInputProps(fields.nextStep, { type: 'text' })}
            key={fields.nextStep.key}
            maxLength={500}
            placeholder={t('deal.new.nextStepPlaceholder')}
            className={input}
          />
          <FieldErrors id={fields.nextStep.errorId} errors={fields.nextStep.errors} />
        </div>
        <div>
          <label htmlFor={fields.nextStepDue.id} className="mb-1 block text-sm font-medium text-slate-700">
            {t('deal.label.nextStepDue')}
          </label>
          <input {...getInputProps(fields.nextStepDue, { type: 'date' })} key={fields.nextStepDue.key} min={today} className={`${input} sm:w-56`} />
          <FieldErrors id={fields.nextStepDue.errorId} errors={fields.nextStepDue.errors} />
        </div>
        <div className="flex gap-3 pt-2">
          <Button type="submit" disabled={busy || blocked}>
            {t('deal.new.submit')}
          </Button>
          <Link to={`/${KIND_PATHS[kind]}/${need.id}`} className="inline-flex items-center px-2 text-sm text-slate-600 underline">
            {t('deal.cancel')}
          </Link>
        </div>
      </Form>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
