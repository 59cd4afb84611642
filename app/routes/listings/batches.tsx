import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/batches'
import { BatchInputSchema } from '~/domain/listings/batch-schemas'
import { createBatch, listBatches, publishBatch } from '~/domain/listings/batches.server'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FormError } from '~/ui/form'
import { TextField } from '~/ui/listings/form-fields'
import { formatDate } from '~/ui/listings/format'
import { StatusBadge } from '~/ui/listings/labels'
import { asAppError, errorKey, redirectWithFlash, replyWithAppError } from './helpers.server'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('listings.batches.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'scenario:create')
  return { batches: await listBatches({ actor: user }) }
}

const PublishSchema = z.object({ batchId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) })

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args, 'scenario:create')
  const formData = await request.formData()
  const ip = context.get(clientIpContext)
  if (formData.get('intent') === 'publish') {
    const parsed = PublishSchema.safeParse({ batchId: formData.get('batchId') })
    if (!parsed.success) return data({ publish: { batchId: null, error: 'err.badRequest' } }, { status: 400 })
    try {
      const done = await publishBatch({ actor: user, id: parsed.data.batchId, ip })
      return await redirectWithFlash('/scenario-batches', { key: 'listings.batches.published', params: { number: done.number, count: done.published } })
    } catch (error) {
      const e = asAppError(error)
      return data({ publish: { batchId: parsed.data.batchId, error: errorKey(e, request) } }, { status: e.status })
    }
  }
  const submission = parseWithZod(formData, { schema: BatchInputSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  try {
    const batch = await createBatch({ actor: user, input: submission.value, ip })
    return await redirectWithFlash('/scenario-batches', { key: 'listings.batches.created', params: { number: batch.number } })
  } catch (error) {
    const { result, status } = replyWithAppError(request, submission, error)
    return data({ result }, { status })
  }
}

export default function ScenarioBatches() {
  const t = useT()
  const locale = useLocale()
  const { batches } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useForm({
    id: 'batch-form',
    lastResult: actionData && 'result' in actionData ? actionData.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: BatchInputSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const publishError = actionData && 'publish' in actionData ? actionData.publish : null
  return (
    <div>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="max-w-3xl">
          <h1 className="text-2xl font-semibold">{t('listings.batches.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('listings.batches.lead')}</p>
        </div>
        <Link to="/scenarios" className="text-sm text-sky-700 underline hover:text-sky-900">
          {t('listings.batches.viewPublic')}
        </Link>
      </div>
      <div className="grid items-start gap-6 lg:grid-cols-[20rem_1fr]">
        <Form method="post" {...getFormProps(form)} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
          <h2 className="mb-4 text-base font-semibold">{t('listings.batches.new')}</h2>
          <FormError message={form.errors?.[0]} />
          <div className="grid">
            <TextField field={fields.number} label={t('listings.batches.number')} hint={t('listings.batches.numberHint')} maxLength={50} wide />
            <TextField field={fields.title} label={t('listings.batches.batchTitle')} hint={t('listings.batches.batchTitleHint')} maxLength={200} wide />
          </div>
          <Button type="submit" name="intent" value="create" className="w-full" disabled={busy}>
            {t('listings.batches.create')}
          </Button>
        </Form>
        <section className="space-y-4">
          {publishError && !publishError.batchId ? <FormError message={publishError.error} /> : null}
          {batches.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">{t('listings.batches.empty')}</p>
          ) : (
            batches.map((b) => (
              <article key={b.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="batch">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div>
                    <h2 className="text-lg font-semibold">{b.number}</h2>
                    <p className="text-sm text-slate-600">{b.title}</p>
                    <p className="mt-1 text-xs text-slate-500">
                      {b.publishedAt ? t('listings.batches.publishedOn', { date: formatDate(b.publishedAt, locale) }) : t('listings.batches.notPublished')}
                      {b.publishable ? <span className="ml-2 text-amber-800">{t('listings.batches.toPublish', { count: b.publishable })}</span> : null}
                    </p>
                  </div>
                  <div className="flex flex-wrap gap-2">
                    <Link
                      to={`/scenarios/new?batch=${b.id}`}
                      className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50"
                    >
                      {t('listings.batches.addScenario')}
                    </Link>
                    {b.publishable ? (
                      <Form method="post">
                        <input type="hidden" name="batchId" value={b.id} />
                        <Button type="submit" name="intent" value="publish" disabled={busy}>
                          {t('listings.batches.publish')}
                        </Button>
                      </Form>
                    ) : null}
                  </div>
                </div>
                {publishError?.batchId === b.id ? (
                  <div className="mt-3">
                    <FormError message={publishError.error} />
                  </div>
                ) : null}
                {b.scenarios.length === 0 ? (
                  <p className="mt-3 text-sm text-slate-500">{t('listings.batches.noScenarios')}</p>
                ) : (
                  <ul className="mt-3 divide-y divide-slate-100 border-t border-slate-100">
                    {b.scenarios.map((s) => (
                      <li key={s.id} className="flex items-center gap-2 py-2 text-sm">
                        <StatusBadge status={s.status} />
                        <Link to={`/scenarios/${s.id}`} className="min-w-0 truncate hover:text-sky-800 hover:underline">
                          {s.title}
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
              </article>
            ))
          )}
        </section>
      </div>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
