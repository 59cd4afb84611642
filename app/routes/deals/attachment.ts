import { readFile } from 'node:fs/promises'
import type { Route } from './+types/attachment'
import { attachmentFile } from '~/domain/deals/messages.server'
import { requireUser } from '~/infra/http/auth.server'
import { asResponse, dealId } from './helpers.server'

/**
 * A message's attachment, for whoever may read the message: always a download (never shown
 * inline, so an uploaded file cannot act as a page of this site), with the type detected on
 * upload and no sniffing by the browser.
 */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const id = dealId(args.params.id)
  const attachmentId = dealId(args.params.attachmentId)
  let file
  try {
    file = await attachmentFile({ actor: user, dealId: id, attachmentId })
  } catch (error) {
    throw asResponse(error)
  }
  const ascii = file.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return new Response(await readFile(file.path), {
    headers: {
      'Content-Type': file.mime,
      'Content-Length': String(file.size),
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
