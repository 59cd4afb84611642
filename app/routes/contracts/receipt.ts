import { readFile } from 'node:fs/promises'
import type { Route } from './+types/receipt'
import { isAppError } from '~/domain/errors'
import { receiptFile } from '~/domain/payments/payments.server'
import { requireUser } from '~/infra/http/auth.server'

/** A bank-transfer receipt, for the contract's parties, its broker and the bureau. */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  try {
    const file = await receiptFile({ actor: user, contractId: args.params.id, milestoneId: args.params.milestoneId })
    return new Response(await readFile(file.path), {
      headers: {
        'Content-Type': file.mime,
        'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    })
  } catch (error) {
    if (isAppError(error)) throw new Response(error.message, { status: error.status })
    throw error
  }
}
