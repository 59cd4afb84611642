import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/account'
import { isAppError } from '~/domain/errors'
import { getOwnOrganization, rotateInvitationCode } from '~/domain/orgs/orgs.server'
import { changePassword } from '~/domain/users/accounts.server'
import { ChangePasswordSchema } from '~/domain/users/schemas'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { authContext, clientIpContext } from '~/infra/http/context'
import { setFlash } from '~/infra/http/cookies.server'
import { Button, Field, FormError } from '~/ui/form'
import { GeneralErrorBoundary } from '~/ui/error-page'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('account.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  return { user, org: await getOwnOrganization({ actor: user }) }
}

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args)
  const formData = await request.formData()
  const ip = context.get(clientIpContext)
  const intent = formData.get('intent')
  if (intent === 'rotate-invitation') {
    try {
      await rotateInvitationCode({ actor: user, ip })
    } catch (error) {
      if (isAppError(error)) throw new Response(error.message, { status: error.status })
      throw error
    }
    return redirect('/account', { headers: { 'Set-Cookie': await setFlash({ key: 'account.rotated' }) } })
  }
  const submission = parseWithZod(formData, { schema: ChangePasswordSchema })
  const hideFields = ['currentPassword', 'newPassword', 'confirmPassword']
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields }) }, { status: 400 })
  try {
    await changePassword({ actor: user, input: submission.value, sessionId: context.get(authContext)?.sessionId, ip })
  } catch (error) {
    if (!isAppError(error)) throw error
    const fieldErrors = Object.fromEntries(Object.entries(error.fields ?? {}).map(([k, v]) => [k, [v]]))
    return data({ result: submission.reply({ formErrors: [error.message], fieldErrors, hideFields }) }, { status: error.status })
  }
  return redirect('/account', { headers: { 'Set-Cookie': await setFlash({ key: 'account.passwordChanged' }) } })
}

export default function Account() {
  const t = useT()
  const { user, org } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordSchema }),
    shouldValidate: 'onBlur',
  })
  return (
    <div className="grid gap-8 lg:grid-cols-2">
      <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="mb-4 text-2xl font-semibold">{t('account.title')}</h1>
        <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">{t('register.name')}</dt>
          <dd>{user.name}</dd>
          <dt className="text-slate-500">{t('register.email')}</dt>
          <dd>{user.email}</dd>
          <dt className="text-slate-500">{t('account.role')}</dt>
          <dd>
            {t(`role.${user.role}`)}
            {user.isOrgAdmin ? ` · ${t('account.orgAdmin')}` : ''}
          </dd>
          {org ? (
            <>
              <dt className="text-slate-500">{t('account.org')}</dt>
              <dd>
                {org.name}{' '}
                <span className={`ml-1 rounded px-2 py-0.5 text-xs ${org.verified ? 'bg-emerald-100 text-emerald-800' : 'bg-amber-100 text-amber-800'}`}>
                  {t(org.verified ? 'account.verified' : 'account.unverified')}
                </span>
              </dd>
              <dt className="text-slate-500">{t('orgs.kind')}</dt>
              <dd>{t(`orgKind.${org.kind}`)}</dd>
              <dt className="text-slate-500">{t('orgs.region')}</dt>
              <dd>{org.regionName ?? org.regionCode}</dd>
              {org.creditCode ? (
                <>
                  <dt className="text-slate-500">{t('orgs.creditCode')}</dt>
                  <dd className="font-mono">{org.creditCode}</dd>
                </>
              ) : null}
            </>
          ) : null}
        </dl>
        {org?.invitationCode ? (
          <div className="mt-6 rounded-md bg-slate-50 p-4">
            <p className="text-sm font-medium">{t('account.invitationCode')}</p>
            <p className="my-2 font-mono text-lg tracking-widest" data-testid="invitation-code">
              {org.invitationCode}
            </p>
            <p className="text-xs text-slate-500">{t('account.invitationHelp')}</p>
            <Form method="post" className="mt-3">
              <Button type="submit" name="intent" value="rotate-invitation" variant="secondary">
                {t('account.rotate')}
              </Button>
            </Form>
          </div>
        ) : null}
        {org && user.isOrgAdmin ? (
          <p className="mt-6 text-sm">
            <Link to="/account/api-keys" className="text-sky-700 underline">
              {t('apiKeys.manage')}
            </Link>
          </p>
        ) : null}
        {org ? (
          <div className="mt-6">
            <h2 className="mb-2 font-medium">{t('account.members')}</h2>
            <ul className="divide-y divide-slate-100 text-sm">
              {org.members.map((m) => (
                <li key={m.id} className="flex justify-between py-2">
                  <span>
                    {m.name}
                    {m.isOrgAdmin ? <span className="ml-2 text-xs text-slate-500">{t('account.orgAdmin')}</span> : null}
                  </span>
                  <span className="text-slate-500">{m.email}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h2 className="mb-4 text-xl font-semibold">{t('account.changePassword')}</h2>
        <Form method="post" {...getFormProps(form)}>
          <FormError message={form.errors?.[0]} />
          <Field label={t('account.currentPassword')} errors={fields.currentPassword.errors} inputProps={{ ...getInputProps(fields.currentPassword, { type: 'password' }), autoComplete: 'current-password' }} />
          <Field label={t('account.newPassword')} errors={fields.newPassword.errors} inputProps={{ ...getInputProps(fields.newPassword, { type: 'password' }), autoComplete: 'new-password' }} />
          <Field label={t('account.confirmPassword')} errors={fields.confirmPassword.errors} inputProps={{ ...getInputProps(fields.confirmPassword, { type: 'password' }), autoComplete: 'new-password' }} />
          <Button type="submit" name="intent" value="change-password">
            {t('account.save')}
          </Button>
        </Form>
      </section>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
