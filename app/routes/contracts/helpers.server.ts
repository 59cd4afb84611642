import type { SubmissionResult } from '@conform-to/react'
import { redirect } from 'react-router'
import type { ChecklistKey } from '~/domain/contracts/checklist'
import { AppError, isAppError } from '~/domain/errors'
import { msg } from '~/domain/validation/fields'
import type { ContractStatus, ContractSubtype, ContractType, Industry, IpType, LicenseExclusivity, PaymentMethod, TechField } from '~/generated/prisma/enums'
import { localeFromRequest, translator } from '~/i18n/i18n'
import { setFlash, type Flash } from '~/infra/http/cookies.server'
import { CHECKLIST_LABEL_KEYS, CONTRACT_STATUS_KEYS } from '~/ui/contracts/labels'

/** Helpers the contract routes share: ids from the URL, domain errors as form replies. */

/** Route ids are cuids; anything longer or stranger is simply not found. */
export function contractId(id: string | undefined): string {
  if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Response('Not Found', { status: 404 })
  return id
}

/**
 * A domain error's key with its parameters, as the translator reads it; a status or checklist
 * items in the parameters are named in the reader's language.
 */
export function errorKey(error: AppError, request: Request): string {
  const t = translator(localeFromRequest(request))
  const params: Record<string, string | number> = { ...error.params }
  if (typeof params.status === 'string' && params.status in CONTRACT_STATUS_KEYS) params.status = t(CONTRACT_STATUS_KEYS[params.status as ContractStatus])
  if (typeof params.items === 'string') {
    params.items = params.items
      .split(',')
      .map((k) => (k in CHECKLIST_LABEL_KEYS ? t(CHECKLIST_LABEL_KEYS[k as ChecklistKey]) : k))
      .join('、')
  }
  return msg(error.message, Object.keys(params).length ? params : undefined)
}

/** A domain error as a Conform reply: field errors on their fields, the message on the form. */
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

/** A domain error met while loading a page, as the page's error status. */
export function asResponse(error: unknown): Response {
  const e = asAppError(error)
  return new Response(e.message, { status: e.status })
}

export async function redirectWithFlash(to: string, flash: Flash) {
  return redirect(to, { headers: { 'Set-Cookie': await setFlash(flash) } })
}

/** A contract's terms as pages show them: money as numbers of fen. */
export function termsView(c: {
  type: ContractType
  subtype: ContractSubtype
  exclusivity: LicenseExclusivity | null
  field: TechField | null
  industry: Industry | null
  ipType: IpType | null
  ipNumbers: string[]
  amountFen: bigint
  techAmountFen: bigint
  paymentMethod: PaymentMethod
  royaltyRateBp: number | null
  entryFeeFen: bigint | null
  termStart: Date | null
  termEnd: Date | null
}) {
  return {
    type: c.type,
    subtype: c.subtype,
    exclusivity: c.exclusivity,
    field: c.field,
    industry: c.industry,
    ipType: c.ipType,
    ipNumbers: c.ipNumbers,
    amountFen: Number(c.amountFen),
    techAmountFen: Number(c.techAmountFen),
    paymentMethod: c.paymentMethod,
    royaltyRateBp: c.royaltyRateBp,
    entryFeeFen: c.entryFeeFen === null ? null : Number(c.entryFeeFen),
    termStart: c.termStart,
    termEnd: c.termEnd,
  }
}
