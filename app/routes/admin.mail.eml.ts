import type { Route } from './+types/admin.mail.eml'
import { isAppError } from '~/domain/errors'
import { emailAsEml } from '~/domain/notifications/email.server'
import { requireUser } from '~/infra/http/auth.server'

/** Downloads one logged e-mail as an .eml file (administrators only). */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'mail:read')
  const id = args.params.id
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return new Response('Not Found', { status: 404 })
  try {
    const { eml, filename } = await emailAsEml({ actor: user, id })
    return new Response(new Uint8Array(eml), {
      headers: {
        'Content-Type': 'message/rfc822',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    })
  } catch (error) {
    if (isAppError(error)) return new Response(error.message, { status: error.status })
    throw error
  }
}
