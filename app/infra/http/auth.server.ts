import { Authenticator } from 'remix-auth'
import { FormStrategy } from 'remix-auth-form'
import { redirect, type RouterContextProvider } from 'react-router'
import { AppError } from '~/domain/errors'
import { authenticate } from '~/domain/users/accounts.server'
import { can, type Permission } from '~/domain/users/permissions'
import { LoginSchema } from '~/domain/users/schemas'
import { createSession, getSessionUser, revokeSession, type SessionUser } from '~/domain/users/sessions.server'
import { authContext, clientIpContext } from './context'
import { getSessionCookie } from './cookies.server'

const authenticator = new Authenticator<SessionUser>()

// The strategy sees only the request; the client address travels beside it.
const clientIps = new WeakMap<Request, string | null>()

authenticator.use(
  new FormStrategy(async ({ form, request }) => {
    const parsed = LoginSchema.safeParse({ email: form.get('email') ?? undefined, password: form.get('password') ?? undefined })
    if (!parsed.success) throw new AppError('BAD_INPUT', 'err.badCredentials')
    return authenticate({ email: parsed.data.email, password: parsed.data.password, ip: clientIps.get(request) ?? null })
  }),
  'form',
)

export function signIn(request: Request, context: Readonly<RouterContextProvider>) {
  clientIps.set(request, context.get(clientIpContext))
  return authenticator.authenticate('form', request)
}

/** Reads the session cookie and loads its user; used once per request by the root middleware. */
export async function loadAuth(request: Request) {
  const sessionId = await getSessionCookie().parse(request.headers.get('Cookie'))
  if (typeof sessionId !== 'string' || !sessionId) return null
  return getSessionUser(sessionId)
}

export function getUser(context: Readonly<RouterContextProvider>): SessionUser | null {
  return context.get(authContext)?.user ?? null
}

/**
 * The signed-in user, or a redirect to the sign-in page; with a permission, a 403 when the
 * user's role lacks it. The domain checks again: this only picks the right page.
 */
export function requireUser(
  { request, context, url }: { request: Request; context: Readonly<RouterContextProvider>; url?: URL },
  permission?: Permission,
): SessionUser {
  const user = getUser(context)
  if (!user) {
    // `url` is the page's address; `request.url` of a client-side navigation ends in `.data`.
    const { pathname, search } = url ?? new URL(request.url)
    const redirectTo = pathname + search
    throw redirect(`/login?${new URLSearchParams({ redirectTo })}`)
  }
  if (permission && !can(user.role, permission)) throw new Response('Forbidden', { status: 403 })
  return user
}

export async function startUserSession(
  user: SessionUser,
  { request, context, redirectTo }: { request: Request; context: Readonly<RouterContextProvider>; redirectTo: string },
) {
  const session = await createSession(user.id, {
    ip: context.get(clientIpContext),
    userAgent: request.headers.get('User-Agent'),
  })
  return redirect(redirectTo, { headers: { 'Set-Cookie': await getSessionCookie().serialize(session.id) } })
}

export async function endUserSession(context: Readonly<RouterContextProvider>) {
  const auth = context.get(authContext)
  if (auth) await revokeSession(auth.sessionId)
  return redirect('/', { headers: { 'Set-Cookie': await getSessionCookie().serialize('', { maxAge: 0 }) } })
}

/** Only same-site paths: never redirect a person to another host after sign-in. */
export function safeRedirect(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  // Browsers drop tabs and newlines from a URL ("/\t/evil.com" is //evil.com): judge it as they
  // would, and hand back the path as they would read it.
  const base = 'http://same-site.invalid'
  const url = URL.canParse(to, base) ? new URL(to, base) : null
  if (!url || url.origin !== base) return fallback
  return url.pathname + url.search + url.hash
}
