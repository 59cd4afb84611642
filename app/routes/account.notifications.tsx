import { data, Form, Link, redirect, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/account.notifications'
import {
  ALL_TYPES,
  getNotificationSettings,
  NotificationSettingsSchema,
  settingsFormValues,
  updateNotificationSettings,
} from '~/domain/notifications/notifications.server'
import { typeLabel } from '~/domain/notifications/render'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { setFlash } from '~/infra/http/cookies.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FormError } from '~/ui/form'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('notifyPrefs.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  return { email: user.email, types: ALL_TYPES, settings: await getNotificationSettings({ actor: user }) }
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args)
  const parsed = NotificationSettingsSchema.safeParse(settingsFormValues(await args.request.formData()))
  if (!parsed.success) {
    return data({ formError: parsed.error.issues[0]?.message ?? 'err.badRequest' }, { status: 400 })
  }
  await updateNotificationSettings({ actor: user, input: parsed.data })
  return redirect('/account/notifications', { headers: { 'Set-Cookie': await setFlash({ key: 'notifyPrefs.saved' }) } })
}

// Message keys written out, so that the catalogue test can check each one.
const LOCALE_KEYS: Record<Locale, string> = { 'zh-CN': 'notifyPrefs.localeZh', en: 'notifyPrefs.localeEn' }

export default function NotificationSettings() {
  const t = useT()
  const { email, types, settings } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <p className="text-sm text-slate-500">
        <Link to="/account" className="underline">
          {t('account.title')}
        </Link>{' '}
        ·{' '}
        <Link to="/notifications" className="underline">
          {t('notifications.title')}
        </Link>
      </p>
      <h1 className="mb-2 mt-1 text-2xl font-semibold">{t('notifyPrefs.title')}</h1>
      <p className="max-w-3xl text-sm text-slate-600">{t('notifyPrefs.lead')}</p>
      <p className="mt-1 text-sm text-slate-600">{t('notifyPrefs.emailTo', { email })}</p>

      <Form method="post" className="mt-6 max-w-3xl">
        <FormError message={actionData?.formError} />
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-500">
              <tr>
                <th className="py-2 pr-4 font-medium">{t('notifyPrefs.type')}</th>
                <th className="px-4 py-2 text-center font-medium">{t('notifyPrefs.inApp')}</th>
                <th className="px-4 py-2 text-center font-medium">{t('notifyPrefs.email')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {types.map((type) => {
                const label = typeLabel(t, type)
                return (
                  <tr key={type}>
                    <td className="py-2 pr-4">{label}</td>
                    <td className="px-4 py-2 text-center">
                      <input
                        type="checkbox"
                        name="inApp"
                        value={type}
                        defaultChecked={!settings.muted.includes(type)}
                        aria-label={t('notifyPrefs.inAppLabel', { label })}
                        className="h-4 w-4 accent-sky-700"
                      />
                    </td>
                    <td className="px-4 py-2 text-center">
                      <input
                        type="checkbox"
                        name="email"
                        value={type}
                        defaultChecked={settings.email.includes(type) && !settings.muted.includes(type)}
                        aria-label={t('notifyPrefs.emailLabel', { label })}
                        className="h-4 w-4 accent-sky-700"
                      />
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
        <p className="mt-2 text-xs text-slate-500">{t('notifyPrefs.mutedHint')}</p>

        <div className="mt-6 flex items-start gap-3">
          <input id="dailyDigest" type="checkbox" name="dailyDigest" defaultChecked={settings.dailyDigest} className="mt-1 h-4 w-4 accent-sky-700" />
          <label htmlFor="dailyDigest" className="text-sm">
            <span className="font-medium text-slate-800">{t('notifyPrefs.digest')}</span>
            <span className="block text-slate-500">{t('notifyPrefs.digestHint')}</span>
          </label>
        </div>

        <div className="mt-6 max-w-xs">
          <label htmlFor="locale" className="mb-1 block text-sm font-medium text-slate-700">
            {t('notifyPrefs.locale')}
          </label>
          <select id="locale" name="locale" defaultValue={settings.locale} className="w-full rounded-md border border-slate-300 bg-white px-3 py-2">
            {(Object.keys(LOCALE_KEYS) as Locale[]).map((l) => (
              <option key={l} value={l}>
                {t(LOCALE_KEYS[l])}
              </option>
            ))}
          </select>
        </div>

        <Button type="submit" className="mt-6">
          {t('notifyPrefs.save')}
        </Button>
      </Form>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
