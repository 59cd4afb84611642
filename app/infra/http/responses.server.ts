import { data } from 'react-router'
import { isAppError } from '~/domain/errors'

/** Throws a response with the status when the condition fails (404 by default). */
export function invariantResponse(condition: unknown, message = 'Not Found', init: ResponseInit = { status: 404 }): asserts condition {
  if (!condition) throw new Response(message, init)
}

/**
 * Turns a domain error into what a form shows: status, a form-level message key and field
 * message keys. Anything else is rethrown, so the error boundary and the log see it.
 */
export function formError(error: unknown) {
  if (!isAppError(error)) throw error
  return data(
    { formError: error.message, formErrorParams: error.params ?? null, fieldErrors: error.fields ?? {} },
    { status: error.status },
  )
}
