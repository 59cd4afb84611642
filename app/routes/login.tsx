import { data, Form, Link, redirect, useActionData, useNavigation, useSearchParams } from 'react-router'
import type { Route } from './+types/login'
import { isAppError } from '~/domain/errors'
import { translator, localeFromRequest, useT } from '~/i18n/i18n'
import { getUser, signIn, safeRedirect, startUserSession } from '~/infra/http/auth.server'
import { Button, Field, FormError } from '~/ui/form'
import { GeneralErrorBoundary } from '~/ui/error-page'

export function meta({ matches }: Route.MetaArgs) {
  const locale = (matches[0]?.data as { locale?: 'zh-CN' | 'en' } | undefined)?.locale ?? 'zh-CN'
  return [{ title: `${translator(locale)('login.title')} · ${translator(locale)('app.name')}` }]
}

export function loader({ request, context }: Route.LoaderArgs) {
  if (getUser(context)) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')))
  }
  return null
}

export async function action({ request, context }: Route.ActionArgs) {
  // FormStrategy consumes the body: read the other fields from a clone first.
  const form = await request.clone().formData()
  const redirectTo = safeRedirect(form.get('redirectTo'))
  const email = String(form.get('email') ?? '').slice(0, 254)
  try {
    const user = await signIn(request, context)
    return await startUserSession(user, { request, context, redirectTo })
  } catch (error) {
    if (error instanceof Response) throw error
    if (!isAppError(error)) throw error
    const t = translator(localeFromRequest(request))
    return data(
      { formError: t(error.message, error.params), email },
      { status: error.status === 401 ? 400 : error.status },
    )
  }
}

export default function Login() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-semibold">{t('login.title')}</h1>
      <Form method="post" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm" noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
        <Field
          label={t('login.email')}
          inputProps={{ id: 'email', name: 'email', type: 'email', autoComplete: 'email', required: true, defaultValue: actionData?.email, maxLength: 254 }}
        />
        <Field
          label={t('login.password')}
          inputProps={{ id: 'password', name: 'password', type: 'password', autoComplete: 'current-password', required: true, maxLength: 128 }}
        />
        <Button type="submit" className="w-full" disabled={busy}>
          {t('login.submit')}
        </Button>
      </Form>
      <p className="mt-4 text-center text-sm text-slate-600">
        {t('login.noAccount')}{' '}
        <Link to="/register" className="text-sky-700 underline">
          {t('login.register')}
        </Link>
      </p>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
