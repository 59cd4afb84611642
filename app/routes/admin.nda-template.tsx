import { data, Form, redirect, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/admin.nda-template'
import { listNdaTemplates, NdaTemplateSchema, publishNdaTemplate } from '~/domain/deals/nda.server'
import { NDA_VARIABLES } from '~/domain/deals/nda-template'
import { isAppError } from '~/domain/errors'
import { msg } from '~/domain/validation/fields'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { setFlash } from '~/infra/http/cookies.server'
import { chinaDateTime } from '~/ui/contracts/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'

/**
 * /admin/nda-template: the bureau's standard NDA text. Publishing makes a new version the one
 * sent from now on; earlier versions stay, as do the NDAs sent with them.
 */

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('nda.template.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'nda:template')
  return { versions: await listNdaTemplates({ actor: user }) }
}

interface Reply {
  formError?: string
  fieldErrors?: Record<string, string[]>
  values?: { title: string; body: string }
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args, 'nda:template')
  const form = await args.request.formData()
  const values = { title: String(form.get('title') ?? ''), body: String(form.get('body') ?? '') }
  const parsed = NdaTemplateSchema.safeParse(values)
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {}
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? '_')] ??= []).push(issue.message)
    return data<Reply>({ formError: 'err.invalidForm', fieldErrors, values }, { status: 400 })
  }
  try {
    const created = await publishNdaTemplate({ actor: user, input: parsed.data, ip: args.context.get(clientIpContext) })
    return redirect('/admin/nda-template', { headers: { 'Set-Cookie': await setFlash({ key: 'nda.template.published', params: { version: created.version } }) } })
  } catch (error) {
    if (!isAppError(error)) throw error
    return data<Reply>({ formError: msg(error.message, error.params), values }, { status: error.status })
  }
}

const VARIABLE_KEYS: Record<(typeof NDA_VARIABLES)[number], string> = {
  买方: 'nda.var.buyer',
  买方信用代码: 'nda.var.buyerCode',
  卖方: 'nda.var.seller',
  卖方信用代码: 'nda.var.sellerCode',
  项目: 'nda.var.deal',
  编号: 'nda.var.number',
  成果: 'nda.var.achievements',
  日期: 'nda.var.date',
}

export default function NdaTemplateAdmin() {
  const t = useT()
  const { versions } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>() as Reply | undefined
  const busy = useNavigation().state === 'submitting'
  const current = versions[0]!
  const values = reply?.values ?? { title: current.title, body: current.body }
  return (
    <article className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">{t('nda.template.title')}</h1>
        <p className="mt-2 max-w-3xl text-sm text-slate-600">{t('nda.template.intro', { version: current.version })}</p>
      </header>

      <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6" aria-labelledby="publish-heading">
        <h2 id="publish-heading" className="mb-3 text-base font-semibold">
          {t('nda.template.publish', { version: current.version + 1 })}
        </h2>
        <Form method="post" className="space-y-3" aria-label={t('nda.template.publish', { version: current.version + 1 })}>
          <FormError message={reply?.formError && reply.formError !== 'err.invalidForm' ? reply.formError : null} />
          <div>
            <label htmlFor="template-title" className="mb-1 block text-sm font-medium text-slate-700">
              {t('nda.template.name')}
            </label>
            <input
              id="template-title"
              name="title"
              defaultValue={values.title}
              maxLength={200}
              required
              aria-invalid={reply?.fieldErrors?.title ? true : undefined}
              className="w-full rounded-md border border-slate-300 px-3 py-2 text-base shadow-sm"
            />
            <FieldErrors errors={reply?.fieldErrors?.title} />
          </div>
          <div>
            <label htmlFor="template-body" className="mb-1 block text-sm font-medium text-slate-700">
              {t('nda.template.body')}
            </label>
            <textarea
              id="template-body"
              name="body"
              rows={22}
              maxLength={20_000}
              defaultValue={values.body}
              required
              aria-invalid={reply?.fieldErrors?.body ? true : undefined}
              aria-describedby="template-variables"
              className="w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm leading-relaxed shadow-sm"
            />
            <FieldErrors errors={reply?.fieldErrors?.body} />
          </div>
          <div id="template-variables" className="rounded-md bg-slate-50 p-3 text-sm">
            <p className="mb-1 font-medium text-slate-700">{t('nda.template.variables')}</p>
            <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-2">
              {NDA_VARIABLES.map((v) => (
                <div key={v} className="flex gap-2">
                  <dt>
                    <code className="font-mono text-slate-900">{`{{${v}}}`}</code>
                  </dt>
                  <dd className="text-slate-600">{t(VARIABLE_KEYS[v])}</dd>
                </div>
              ))}
            </dl>
          </div>
          <Button type="submit" disabled={busy}>
            {t('nda.template.submit')}
          </Button>
        </Form>
      </section>

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading" className="mb-3 text-base font-semibold">
          {t('nda.template.versions')}
        </h2>
        <ol className="space-y-3">
          {versions.map((v) => (
            <li key={v.version} className="rounded-md border border-slate-200 bg-white p-3 text-sm" data-testid="template-version">
              <details>
                <summary className="cursor-pointer">
                  <span className="font-medium">{t('nda.template.version', { version: v.version })}</span>
                  <span className="text-slate-500">
                    {' · '}
                    {v.title} · {chinaDateTime(v.createdAt)}
                    {v.createdBy ? ` · ${v.createdBy}` : ` · ${t('nda.template.builtIn')}`} · {t('nda.template.used', { count: v.ndaCount })}
                  </span>
                  {v.version === current.version ? <span className="ml-2 rounded bg-sky-50 px-1.5 text-xs text-sky-800">{t('nda.template.current')}</span> : null}
                </summary>
                <pre className="mt-3 max-h-96 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-3 font-sans text-slate-700">{v.body}</pre>
              </details>
            </li>
          ))}
        </ol>
      </section>
    </article>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
