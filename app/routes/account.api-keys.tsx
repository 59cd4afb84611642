import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/account.api-keys'
import { createApiKey, listApiKeys, revokeApiKey } from '~/domain/api-keys/api-keys.server'
import { ApiKeyInputSchema } from '~/domain/api-keys/schemas'
import { isAppError } from '~/domain/errors'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { setFlash } from '~/infra/http/cookies.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, Field, FormError } from '~/ui/form'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('apiKeys.title')} · ${t('app.name')}` }]
}

/** Organisation administrators only; everyone else gets the 403 page. */
function requireOrgAdmin(args: Route.LoaderArgs | Route.ActionArgs) {
  const user = requireUser(args)
  if (!user.orgId || !user.isOrgAdmin) throw new Response('Forbidden', { status: 403 })
  return user
}

/** China time, the same on the server and in the browser. */
function chinaTime(date: Date | null): string | null {
  return date ? new Date(date.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ') : null
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireOrgAdmin(args)
  const keys = await listApiKeys({ actor: user })
  return {
    orgName: user.org?.name ?? '',
    keys: keys.map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      createdBy: k.createdByName,
      createdAt: chinaTime(k.createdAt),
      lastUsedAt: chinaTime(k.lastUsedAt),
      revokedAt: chinaTime(k.revokedAt),
    })),
  }
}

export async function action(args: Route.ActionArgs) {
  const user = requireOrgAdmin(args)
  const formData = await args.request.formData()
  const ip = args.context.get(clientIpContext)
  if (formData.get('intent') === 'revoke') {
    const id = String(formData.get('id') ?? '')
    try {
      const key = await revokeApiKey({ actor: user, id, ip })
      return redirect('/account/api-keys', { headers: { 'Set-Cookie': await setFlash({ key: 'apiKeys.revoked', params: { name: key.name } }) } })
    } catch (error) {
      if (isAppError(error)) throw new Response(error.message, { status: error.status })
      throw error
    }
  }
  const submission = parseWithZod(formData, { schema: ApiKeyInputSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), created: null }, { status: 400 })
  const { key, secret } = await createApiKey({ actor: user, input: submission.value, ip })
  // Shown in this response only: the key is not kept anywhere it could be read again.
  return data(
    { result: submission.reply({ resetForm: true }), created: { name: key.name, secret } },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export default function ApiKeys() {
  const t = useT()
  const { orgName, keys } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ApiKeyInputSchema }),
    shouldValidate: 'onBlur',
  })
  const created = actionData?.created
  return (
    <div className="space-y-8">
      <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <p className="text-sm text-slate-500">
          <Link to="/account" className="underline">
            {t('account.title')}
          </Link>{' '}
          · {orgName}
        </p>
        <h1 className="mb-2 mt-1 text-2xl font-semibold">{t('apiKeys.title')}</h1>
        <p className="max-w-3xl text-sm text-slate-600">{t('apiKeys.lead')}</p>
        <p className="mt-2 text-sm">
          <a href="/api/v1/openapi.json" className="text-sky-700 underline">
            {t('apiKeys.docs')}
          </a>
        </p>
        {created ? (
          <div role="status" className="mt-6 rounded-md border border-emerald-200 bg-emerald-50 p-4">
            <p className="text-sm text-emerald-900">{t('apiKeys.created', { name: created.name })}</p>
            <p className="mt-2 select-all break-all rounded bg-white px-3 py-2 font-mono text-sm" data-testid="api-key-secret">
              {created.secret}
            </p>
          </div>
        ) : null}
        <h2 className="mb-3 mt-6 font-medium">{t('apiKeys.new')}</h2>
        <Form method="post" {...getFormProps(form)} className="max-w-lg">
          <FormError message={form.errors?.[0]} />
          <Field label={t('apiKeys.name')} errors={fields.name.errors} inputProps={{ ...getInputProps(fields.name, { type: 'text' }), autoComplete: 'off' }} />
          <Button type="submit" name="intent" value="create">
            {t('apiKeys.create')}
          </Button>
        </Form>
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h2 className="mb-4 text-xl font-semibold">{t('apiKeys.keys')}</h2>
        {keys.length === 0 ? (
          <p className="text-sm text-slate-500">{t('apiKeys.none')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-slate-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">{t('apiKeys.nameColumn')}</th>
                  <th className="py-2 pr-4 font-medium">{t('apiKeys.key')}</th>
                  <th className="py-2 pr-4 font-medium">{t('apiKeys.createdBy')}</th>
                  <th className="py-2 pr-4 font-medium">{t('apiKeys.createdAt')}</th>
                  <th className="py-2 pr-4 font-medium">{t('apiKeys.lastUsed')}</th>
                  <th className="py-2 pr-4 font-medium">{t('apiKeys.status')}</th>
                  <th className="py-2" />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.map((k) => (
                  <tr key={k.id}>
                    <td className="py-2 pr-4">{k.name}</td>
                    <td className="py-2 pr-4 font-mono">{k.prefix}…</td>
                    <td className="py-2 pr-4">{k.createdBy ?? '—'}</td>
                    <td className="py-2 pr-4 whitespace-nowrap">{k.createdAt}</td>
                    <td className="py-2 pr-4 whitespace-nowrap">{k.lastUsedAt ?? t('apiKeys.never')}</td>
                    <td className="py-2 pr-4">
                      {k.revokedAt ? (
                        <span className="text-slate-500">{t('apiKeys.revokedAt', { time: k.revokedAt })}</span>
                      ) : (
                        <span className="rounded bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">{t('apiKeys.active')}</span>
                      )}
                    </td>
                    <td className="py-2 text-right">
                      {k.revokedAt ? null : (
                        <Form method="post">
                          <input type="hidden" name="id" value={k.id} />
                          <Button type="submit" name="intent" value="revoke" variant="danger" aria-label={t('apiKeys.revokeLabel', { name: k.name })}>
                            {t('apiKeys.revoke')}
                          </Button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
