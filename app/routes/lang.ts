import { redirect } from 'react-router'
import type { Route } from './+types/lang'
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE } from '~/i18n/i18n'
import { safeRedirect } from '~/infra/http/auth.server'

/** The language switch: a plain form post, so it works without JavaScript. */
export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData()
  const requested = form.get('locale')
  const locale = isLocale(requested) ? requested : DEFAULT_LOCALE
  const cookie = `${LOCALE_COOKIE}=${encodeURIComponent(locale)}; Path=/; Max-Age=31536000; SameSite=Lax`
  return redirect(safeRedirect(form.get('redirectTo')), { headers: { 'Set-Cookie': cookie } })
}

export function loader() {
  return redirect('/')
}
