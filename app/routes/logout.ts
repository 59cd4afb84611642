import { redirect } from 'react-router'
import type { Route } from './+types/logout'
import { endUserSession } from '~/infra/http/auth.server'

export async function action({ context }: Route.ActionArgs) {
  return endUserSession(context)
}

/** Signing out changes state, so it takes a POST; a GET just goes home. */
export function loader() {
  return redirect('/')
}
