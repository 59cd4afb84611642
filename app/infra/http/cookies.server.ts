import { createCookie } from 'react-router'
import { getEnv } from '~/infra/env.server'

let sessionCookie: ReturnType<typeof createCookie> | undefined

/** The cookie holds the session id only, signed; the session itself is a database row. */
export function getSessionCookie() {
  const env = getEnv()
  sessionCookie ??= createCookie('kz_session', {
    httpOnly: true,
    sameSite: 'lax',
    secure: env.NODE_ENV === 'production',
    path: '/',
    secrets: [env.sessionSecret],
    maxAge: 30 * 24 * 60 * 60,
  })
  return sessionCookie
}

const flashCookie = createCookie('kz_flash', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 })

export interface Flash {
  key: string
  params?: Record<string, string | number>
  kind?: 'success' | 'error'
}

export function setFlash(flash: Flash) {
  return flashCookie.serialize(flash)
}

export async function readFlash(request: Request): Promise<{ flash: Flash | null; clear: string | null }> {
  const flash = (await flashCookie.parse(request.headers.get('Cookie'))) as Flash | null
  if (!flash || typeof flash.key !== 'string') return { flash: null, clear: null }
  return { flash, clear: await flashCookie.serialize('', { maxAge: 0 }) }
}
