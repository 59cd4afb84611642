import type { Route } from './+types/export'
import { contentDisposition, CONTENT_TYPES, EXPORT_FORMATS, exportRows, exportStream, type ExportFormat } from '~/domain/listings/export.server'
import { kindFromPath } from '~/domain/listings/kinds'
import { ListQuerySchema, searchParamsToObject } from '~/domain/listings/query'
import { localeFromRequest, translator } from '~/i18n/i18n'
import { getUser } from '~/infra/http/auth.server'

/**
 * GET /export/:kind?format=csv|xlsx|json&<the list page's filters>: the published listings that
 * match, in the exchange format, streamed. The signed-in person (if any) is passed on, but the
 * scope is public and an export never carries confidential details.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const t = translator(localeFromRequest(request))
  const kind = kindFromPath(params.kind)
  const url = new URL(request.url)
  const format = (url.searchParams.get('format') || 'csv') as ExportFormat
  const problem = (error: string, fields?: Record<string, string>) =>
    Response.json(
      { error, message: t(error), ...(fields ? { fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { code: v.split('?')[0], message: t(v) }])) } : {}) },
      { status: 400, headers: { 'Cache-Control': 'no-store' } },
    )
  if (!kind) return problem('err.export.kind')
  if (!EXPORT_FORMATS.includes(format)) return problem('err.export.format')

  const filters = searchParamsToObject(url.searchParams)
  // The whole list, not a page of it.
  for (const key of ['format', 'page', 'pageSize', 'cursor']) delete filters[key]
  const parsed = ListQuerySchema.safeParse(filters)
  if (!parsed.success) {
    const fields: Record<string, string> = {}
    for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message
    return problem('err.invalidForm', fields)
  }

  const rows = exportRows({ actor: getUser(context), kind, query: parsed.data, scope: 'public' })
  return new Response(exportStream(kind, format, rows), {
    headers: {
      'Content-Type': CONTENT_TYPES[format],
      'Content-Disposition': contentDisposition(kind, format),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
