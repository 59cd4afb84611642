/**
 * The one error type the domain throws. `message` is a message-catalogue key (see app/i18n),
 * so every layer can show it in the reader's language; `fields` maps form fields to keys.
 */
export type AppErrorCode =
  | 'BAD_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'

export const STATUS_BY_CODE: Record<AppErrorCode, number> = {
  BAD_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
}

export class AppError extends Error {
  readonly code: AppErrorCode
  readonly fields?: Record<string, string>
  readonly params?: Record<string, string | number>

  constructor(
    code: AppErrorCode,
    message: string,
    options: { fields?: Record<string, string>; params?: Record<string, string | number> } = {},
  ) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.fields = options.fields
    this.params = options.params
  }

  get status() {
    return STATUS_BY_CODE[this.code]
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}
