import { data, redirect } from 'react-router'
import type { z } from 'zod'
import { AppError, isAppError } from '~/domain/errors'
import { msg } from '~/domain/validation/fields'
import { setFlash, type Flash } from '~/infra/http/cookies.server'

/** What the deal routes share: ids from the URL, domain errors as form replies. */

export function dealId(id: string | undefined): string {
  if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Response('Not Found', { status: 404 })
  return id
}

/** A form's error: which form (its intent or a card's id), a message for the form and messages per field. */
export interface FormReply {
  intent?: string
  target?: string
  formError?: string
  fieldErrors?: Record<string, string[]>
}

export function errorKey(error: AppError) {
  return msg(error.message, error.params && Object.keys(error.params).length ? error.params : undefined)
}

/** A zod failure as a 400 reply to one form. */
export function badForm(error: z.ZodError, extra: Omit<FormReply, 'fieldErrors' | 'formError'> = {}) {
  const fieldErrors: Record<string, string[]> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '_')
    ;(fieldErrors[field] ??= []).push(issue.message)
  }
  return data<FormReply>({ ...extra, formError: 'err.invalidForm', fieldErrors }, { status: 400 })
}

/** A domain error as a reply to one form; anything else is rethrown for the error boundary and the log. */
export function domainErrorReply(error: unknown, extra: Omit<FormReply, 'fieldErrors' | 'formError'> = {}) {
  if (!isAppError(error)) throw error
  const fieldErrors = Object.fromEntries(Object.entries(error.fields ?? {}).map(([k, v]) => [k, [v]]))
  return data<FormReply>({ ...extra, formError: errorKey(error), fieldErrors }, { status: error.status })
}

/** A domain error met while loading a page, as the page's error status. */
export function asResponse(error: unknown): Response {
  if (!isAppError(error)) throw error
  return new Response(error.message, { status: error.status })
}

export async function redirectWithFlash(to: string, flash: Flash) {
  return redirect(to, { headers: { 'Set-Cookie': await setFlash(flash) } })
}
