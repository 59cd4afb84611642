import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { redirect } from 'react-router'
import { AppError, isAppError } from '~/domain/errors'
import { kindFromPath, type ListingKind } from '~/domain/listings/kinds'
import { AchievementInputSchema, DemandInputSchema, RejectSchema, ScenarioInputSchema } from '~/domain/listings/schemas'
import { msg } from '~/domain/validation/fields'
import type { ListingStatus } from '~/generated/prisma/enums'
import { localeFromRequest, translator } from '~/i18n/i18n'
import { setFlash, type Flash } from '~/infra/http/cookies.server'
import { STATUS_KEYS } from '~/ui/listings/labels'

/** Helpers the listing routes share: the kind from the URL, domain errors as form replies. */

/**
 * The kind is the first path segment (/achievements/…); anything else is not a page. It is read
 * from the args' `url`, the page's address: `request.url` of a client-side navigation ends in `.data`.
 */
export function kindFromUrl(url: URL): ListingKind {
  const kind = kindFromPath(url.pathname.split('/')[1] ?? '')
  if (!kind) throw new Response('Not Found', { status: 404 })
  return kind
}

/** Route ids are cuids; anything longer or stranger is simply not found. */
export function listingId(id: string | undefined): string {
  if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Response('Not Found', { status: 404 })
  return id
}

/**
 * A domain error's key with its parameters, as the translator reads it (`err.x?status=草稿`);
 * a status parameter is named in the reader's language rather than as its code.
 */
export function errorKey(error: AppError, request: Request): string {
  const params = { ...error.params }
  if (typeof params.status === 'string' && params.status in STATUS_KEYS) {
    params.status = translator(localeFromRequest(request))(STATUS_KEYS[params.status as ListingStatus])
  }
  return msg(error.message, Object.keys(params).length ? params : undefined)
}

/**
 * A domain error as a Conform reply: field errors on their fields, the message on the form.
 * Anything that is not an AppError is rethrown, for the error boundary and the log.
 */
export function replyWithAppError(
  request: Request,
  submission: { reply: (options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]> }) => SubmissionResult<string[]> },
  error: unknown,
) {
  if (!isAppError(error)) throw error
  const fieldErrors = Object.fromEntries(Object.entries(error.fields ?? {}).map(([k, v]) => [k, [v]]))
  return { result: submission.reply({ formErrors: [errorKey(error, request)], fieldErrors }), status: error.status }
}

/** Rethrows anything that is not a domain error. */
export function asAppError(error: unknown): AppError {
  if (!isAppError(error)) throw error
  return error
}

export async function redirectWithFlash(to: string, flash: Flash) {
  return redirect(to, { headers: { 'Set-Cookie': await setFlash(flash) } })
}

/** A listing form, parsed with its kind's schema (the same one the browser validates with). */
export function parseListingForm(formData: FormData, kind: ListingKind) {
  if (kind === 'achievement') return parseWithZod(formData, { schema: AchievementInputSchema })
  if (kind === 'demand') return parseWithZod(formData, { schema: DemandInputSchema })
  return parseWithZod(formData, { schema: ScenarioInputSchema })
}

/** The reason for sending a listing back; a blank one gets the domain's own message. */
export function parseReason(formData: FormData): { success: true; reason: string } | { success: false; errors: string[] } {
  const raw = formData.get('reason')
  if (typeof raw !== 'string' || !raw.trim()) return { success: false, errors: ['err.reasonRequired'] }
  const parsed = RejectSchema.safeParse({ reason: raw })
  return parsed.success ? { success: true, reason: parsed.data.reason } : { success: false, errors: parsed.error.issues.map((i) => i.message) }
}
