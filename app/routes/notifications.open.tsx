import { redirect } from 'react-router'
import type { Route } from './+types/notifications.open'
import { isAppError } from '~/domain/errors'
import { markRead } from '~/domain/notifications/notifications.server'
import { requireUser, safeRedirect } from '~/infra/http/auth.server'
import { GeneralErrorBoundary } from '~/ui/error-page'

/**
 * Opens a notification: marks it read and follows its link (the list and the e-mails link here).
 * Marking read is harmless to repeat, so a plain link works without JavaScript.
 */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const id = args.params.id
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Response('Not Found', { status: 404 })
  try {
    const { link } = await markRead({ actor: user, id })
    return redirect(safeRedirect(link, '/notifications'))
  } catch (error) {
    if (isAppError(error)) throw new Response(error.message, { status: error.status })
    throw error
  }
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}

/** Never shown: the loader always redirects or fails. */
export default function OpenNotification() {
  return null
}
