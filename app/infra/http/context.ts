import { createContext } from 'react-router'
import type { SessionUser } from '~/domain/users/sessions.server'

/** The client's address, set by the server adapter (null under the dev server). */
export const clientIpContext = createContext<string | null>(null)

/** The signed-in user and session, set by the root middleware. */
export const authContext = createContext<{ user: SessionUser; sessionId: string } | null>(null)
