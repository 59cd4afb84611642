import { useEffect } from 'react'
import { data, Form, Link, redirect, useActionData, useFetcher, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/import'
import { AppError, isAppError } from '~/domain/errors'
import { DEFAULT_SOURCE, EXCHANGE_COLUMNS, matchHeader, OWNER_COLUMN, type CellValue, type RowError } from '~/domain/listings/exchange'
import { readExchangeFile } from '~/domain/listings/exchange-files.server'
import { importableKinds, prepareImport, runImport } from '~/domain/listings/import.server'
import { KIND_PATHS, LISTING_KINDS, type ListingKind } from '~/domain/listings/kinds'
import type { Actor } from '~/domain/users/accounts.server'
import { can } from '~/domain/users/permissions'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { Button, FormError } from '~/ui/form'
import { GeneralErrorBoundary } from '~/ui/error-page'
import {
  claimUpload,
  loadFile,
  loadMeta,
  MAX_UPLOAD_BYTES,
  MAX_UPLOAD_MB,
  readLimitedFormData,
  releaseUpload,
  saveMeta,
  saveUpload,
  type UploadMeta,
} from './import.server'

const PREVIEW_ROWS = 20
const LISTED_ERRORS = 500
const CELL_CHARS = 80

const KIND_KEYS: Record<ListingKind, string> = {
  achievement: 'import.kind.achievement',
  demand: 'import.kind.demand',
  scenario: 'import.kind.scenario',
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('import.title')} · ${t('app.name')}` }]
}

function requireImporter(args: Route.LoaderArgs | Route.ActionArgs) {
  const user = requireUser(args, 'listing:import')
  const kinds = importableKinds(user)
  if (kinds.length === 0) throw new Response('Forbidden', { status: 403 })
  return { user, kinds, mode: can(user.role, 'listing:import-any') ? ('bureau' as const) : ('org' as const) }
}

const shorten = (value: CellValue | undefined): string => {
  if (value === null || value === undefined) return ''
  const text = Array.isArray(value) ? value.map((v) => shorten(v)).join(';') : typeof value === 'object' ? JSON.stringify(value) : String(value)
  return text.length > CELL_CHARS ? `${text.slice(0, CELL_CHARS)}…` : text
}

export async function loader(args: Route.LoaderArgs) {
  const { user, kinds, mode } = requireImporter(args)
  const url = new URL(args.request.url)
  const base = { kinds, mode, orgName: user.org?.name ?? null, maxMb: MAX_UPLOAD_MB }
  const id = url.searchParams.get('id')
  if (!id) return { ...base, upload: null, expired: false }
  let upload: UploadMeta
  try {
    upload = await loadMeta(id, user.id)
  } catch (error) {
    if (isAppError(error)) return { ...base, upload: null, expired: true }
    throw error
  }
  const { userId: _owner, ...meta } = upload
  if (url.searchParams.has('poll') || upload.status !== 'ready') return { ...base, upload: { ...meta, format: null, header: [], rows: [], cellErrors: [] as RowError[], errors: [] as RowError[] }, expired: false }

  const file = await loadFile(id)
  if (url.searchParams.get('report') === 'errors') throw errorReport(upload, file.format)
  const shown = new Set(file.rows.slice(0, PREVIEW_ROWS).map((r) => r.row))
  const keys = matchHeader(upload.kind, file.header)
  const header = file.header.map((text, i) => ({ text, key: keys[i] })).filter((h, i) => h.key && keys.indexOf(h.key) === i)
  return {
    ...base,
    expired: false,
    upload: {
      ...meta,
      format: file.format,
      header: header.map((h) => ({ text: h.text, key: h.key! })),
      rows: file.rows.slice(0, PREVIEW_ROWS).map((r) => ({ row: r.row, cells: header.map((h) => shorten(r.values[h.key!])) })),
      // Errors of the rows shown, for the cells; the list below shows the first ones of all.
      cellErrors: upload.preview.errors.filter((e) => shown.has(e.row)),
      errors: upload.preview.errors.slice(0, LISTED_ERRORS),
    },
  }
}

/** Every error of an upload as a CSV file (UTF-8 with BOM, for Excel). */
function errorReport(upload: UploadMeta, format: string) {
  const t = translator('zh-CN')
  const quote = (s: string | number) => `"${String(s).replace(/"/g, '""')}"`
  const lines = [['row', 'column', 'code', 'message'].join(',')]
  for (const e of upload.preview.errors) lines.push([e.row, e.column, e.key.split('?')[0]!, t(e.key)].map(quote).join(','))
  const name = `${upload.fileName.replace(/\.[^.]+$/, '')}-errors.csv`
  return new Response('\uFEFF' + lines.join('\r\n') + '\r\n', {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="import-errors.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'private, no-store',
      'X-Row-Numbering': format === 'json' ? 'index' : 'excel',
    },
  })
}

type ActionData = { formError: string }

export async function action(args: Route.ActionArgs) {
  const { user, kinds } = requireImporter(args)
  let form: FormData
  try {
    form = await readLimitedFormData(args.request)
  } catch (error) {
    if (isAppError(error)) return data<ActionData>({ formError: error.message }, { status: 413 })
    throw error
  }
  const intent = form.get('intent')
  try {
    if (intent === 'confirm') return await confirm(user, String(form.get('id') ?? ''), form.get('skipInvalid') === 'on')
    const kind = String(form.get('kind') ?? '') as ListingKind
    if (!kinds.includes(kind)) return data<ActionData>({ formError: 'err.import.kind' }, { status: 400 })
    const file = form.get('file')
    if (!(file instanceof File) || file.size === 0 || !file.name) return data<ActionData>({ formError: 'err.import.noFile' }, { status: 400 })
    if (file.size > MAX_UPLOAD_BYTES) return data<ActionData>({ formError: `err.import.tooLarge?max=${MAX_UPLOAD_MB}` }, { status: 413 })
    const source = String(form.get('source') ?? '').trim() || DEFAULT_SOURCE
    const parsed = await readExchangeFile(kind, new Uint8Array(await file.arrayBuffer()), file.name)
    const plan = await prepareImport({ actor: user, kind, file: parsed, source })
    const saved = await saveUpload(
      {
        userId: user.id,
        kind,
        source: plan.source,
        fileName: file.name.split(/[\\/]/).pop()!.slice(0, 200),
        preview: {
          total: plan.total,
          valid: plan.records.length,
          invalidRows: plan.invalidRows,
          updates: plan.updates,
          errors: plan.errors,
          newOrgs: plan.newOrgs.map((o) => o.name),
          newBatches: plan.newBatches,
          status: plan.status,
          notes: parsed.notes,
        },
      },
      parsed,
    )
    return redirect(`/import?id=${saved.id}`)
  } catch (error) {
    if (!isAppError(error)) throw error
    return data<ActionData>({ formError: error.message }, { status: error.status === 404 ? 400 : error.status })
  }
}

/** Checks the kept file again (the database may have changed) and writes it; the page then shows the result. */
async function confirm(user: Actor, id: string, skipInvalid: boolean) {
  const meta = await loadMeta(id, user.id)
  if (meta.status !== 'ready') throw new AppError('CONFLICT', 'err.import.busy')
  if (meta.preview.errors.length > 0 && !skipInvalid) throw new AppError('BAD_INPUT', 'err.import.hasErrors')
  if (meta.preview.valid === 0) throw new AppError('BAD_INPUT', 'err.import.nothingValid')
  if (!(await claimUpload(meta))) throw new AppError('CONFLICT', 'err.import.busy')
  let current: UploadMeta = { ...meta, status: 'checking' }
  let writes = Promise.resolve()
  const save = (next: UploadMeta) => {
    current = next
    writes = writes.then(() => saveMeta(next)).catch(() => {})
  }
  try {
    const plan = await prepareImport({ actor: user, kind: meta.kind, file: await loadFile(id), source: meta.source })
    if (plan.errors.length > 0 && !skipInvalid) {
      save({ ...meta, status: 'ready' })
      throw new AppError('BAD_INPUT', 'err.import.hasErrors')
    }
    save({ ...current, status: 'running', progress: { done: 0, total: plan.records.length } })
    const summary = await runImport({
      actor: user,
      plan,
      skipInvalid,
      onProgress: (done, total) => save({ ...current, progress: { done, total } }),
    })
    const { errors, ...counts } = summary
    save({ ...current, status: summary.written ? 'done' : 'failed', result: { ...counts, errorCount: errors.length }, failure: summary.written ? undefined : 'import.nothingWritten' })
  } catch (error) {
    if (current.status !== 'ready') save({ ...current, status: 'failed', failure: isAppError(error) ? error.message : 'error.500' })
    if (!isAppError(error)) console.error('[import]', error)
    if (isAppError(error) && error.message === 'err.import.hasErrors') throw error
  } finally {
    await writes
    releaseUpload(id)
  }
  return redirect(`/import?id=${id}`)
}

// ─── Page ───────────────────────────────────────────────────────────────────────────

export default function ImportPage() {
  const t = useT()
  const loaderData = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const { kinds, mode, orgName, upload, expired, maxMb } = loaderData
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">{t('import.title')}</h1>
        <p className="mt-2 max-w-3xl text-slate-600">{t('import.lead')}</p>
        <p className="mt-2 max-w-3xl text-sm text-slate-600">{mode === 'bureau' ? t('import.bureauNote') : t('import.orgNote', { org: orgName ?? '' })}</p>
      </header>
      <FormError message={actionData?.formError ?? (expired ? 'err.import.expired' : null)} />
      {!upload ? (
        <UploadForm kinds={kinds} maxMb={maxMb} />
      ) : upload.status === 'ready' ? (
        <Preview upload={upload as PreviewUpload} />
      ) : (
        <Outcome upload={upload} />
      )}
      <Columns kinds={kinds} ownerColumn={mode === 'bureau'} />
    </div>
  )
}

type LoaderUpload = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['upload']>
type PreviewUpload = LoaderUpload

function UploadForm({ kinds, maxMb }: { kinds: ListingKind[]; maxMb: number }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  return (
    <Form method="post" encType="multipart/form-data" className="max-w-xl rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <input type="hidden" name="intent" value="upload" />
      <div className="mb-4">
        <label htmlFor="kind" className="mb-1 block text-sm font-medium text-slate-700">
          {t('import.kind')}
        </label>
        <select id="kind" name="kind" className="w-full rounded-md border border-slate-300 bg-white px-3 py-2" defaultValue={kinds[0]}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(KIND_KEYS[k])}
            </option>
          ))}
        </select>
      </div>
      <div className="mb-4">
        <label htmlFor="file" className="mb-1 block text-sm font-medium text-slate-700">
          {t('import.file')}
        </label>
        <input
          id="file"
          name="file"
          type="file"
          required
          accept=".csv,.xlsx,.json,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-sky-50 file:px-3 file:py-2 file:text-sky-800 hover:file:bg-sky-100"
          aria-describedby="file-hint"
        />
        <p id="file-hint" className="mt-1 text-xs text-slate-500">
          {t('import.fileHint', { max: maxMb })}
        </p>
      </div>
      <div className="mb-4">
        <label htmlFor="source" className="mb-1 block text-sm font-medium text-slate-700">
          {t('import.source')}
        </label>
        <input id="source" name="source" type="text" defaultValue={DEFAULT_SOURCE} maxLength={64} className="w-full rounded-md border border-slate-300 px-3 py-2" aria-describedby="source-hint" />
        <p id="source-hint" className="mt-1 text-xs text-slate-500">
          {t('import.sourceHint')}
        </p>
      </div>
      <Button type="submit" disabled={busy}>
        {t('import.upload')}
      </Button>
    </Form>
  )
}

function Preview({ upload }: { upload: PreviewUpload }) {
  const t = useT()
  const confirm = useFetcher()
  const poll = useFetcher<typeof loader>()
  const { preview } = upload
  const running = confirm.state !== 'idle'
  const confirmError = (confirm.data as ActionData | undefined)?.formError

  // While the confirmation runs in its request, ask how far it got.
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => {
      if (poll.state === 'idle') poll.load(`/import?id=${upload.id}&poll=1`)
    }, 700)
    return () => clearInterval(timer)
  }, [running, poll, upload.id])

  const invalid = new Map<string, string>()
  for (const e of upload.cellErrors) if (!invalid.has(`${e.row}:${e.column}`)) invalid.set(`${e.row}:${e.column}`, t(e.key))
  const errorRows = new Set(upload.cellErrors.map((e) => e.row))
  const rowLabel = (e: RowError) =>
    t(upload.format === 'json' ? 'import.errorAtIndex' : 'import.errorAt', { row: e.row, column: e.column, message: t(e.key) })
  const progress = poll.data?.upload?.progress

  return (
    <section aria-labelledby="preview-title" className="space-y-4">
      <h2 id="preview-title" className="text-xl font-semibold">
        {t('import.preview', { file: upload.fileName })}
      </h2>
      <p data-testid="import-stats">
        {t('import.stats', {
          total: preview.total,
          valid: preview.valid,
          invalid: preview.invalidRows,
          created: preview.valid - preview.updates,
          updated: preview.updates,
        })}{' '}
        {t(preview.status === 'PUBLISHED' ? 'import.statusPublished' : 'import.statusReview')}
      </p>
      {preview.notes?.length ? (
        <ul className="list-disc pl-6 text-sm text-slate-600" aria-label={t('import.notes')}>
          {preview.notes.map((n) => (
            <li key={n}>{t(n)}</li>
          ))}
        </ul>
      ) : null}
      {preview.newOrgs.length ? (
        <p className="text-sm">
          {t('import.newOrgs')} {preview.newOrgs.join('、')}
        </p>
      ) : null}
      {preview.newBatches.length ? (
        <p className="text-sm">
          {t('import.newBatches')} {preview.newBatches.join('、')}
        </p>
      ) : null}

      <div>
        <h3 className="mb-2 font-medium">{t('import.firstRows', { count: Math.min(PREVIEW_ROWS, preview.total) })}</h3>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-sm" data-testid="import-preview">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">{t('import.rowNumber')}</th>
                {upload.header.map((h) => (
                  <th key={h.key} className="px-3 py-2 whitespace-nowrap">
                    {h.text}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {upload.rows.map((r) => (
                <tr key={r.row} data-invalid={errorRows.has(r.row) || undefined} className={errorRows.has(r.row) ? 'bg-red-50/40' : undefined}>
                  <th scope="row" className="px-3 py-2 text-left font-normal text-slate-500">
                    {r.row}
                  </th>
                  {r.cells.map((cell, i) => {
                    const problem = invalid.get(`${r.row}:${upload.header[i]!.key}`)
                    return (
                      <td
                        key={upload.header[i]!.key}
                        aria-invalid={problem ? true : undefined}
                        title={problem}
                        className={`max-w-xs px-3 py-2 align-top ${problem ? 'bg-red-100 font-medium text-red-800 ring-1 ring-inset ring-red-400' : ''}`}
                      >
                        {cell}
                        {problem ? <span className="sr-only">（{problem}）</span> : null}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>

      {preview.errors.length ? (
        <div className="rounded-lg border border-red-200 bg-red-50 p-4">
          <h3 className="font-medium text-red-900">{t('import.errors', { count: preview.errors.length })}</h3>
          <ul className="mt-2 max-h-96 list-disc overflow-y-auto pl-6 text-sm text-red-900" data-testid="import-errors">
            {upload.errors.map((e, i) => (
              <li key={i}>
                {rowLabel(e)} <span className="text-red-700/70">({e.key.split('?')[0]})</span>
              </li>
            ))}
          </ul>
          {preview.errors.length > upload.errors.length ? <p className="mt-2 text-sm">{t('import.errorsMore', { count: preview.errors.length - upload.errors.length })}</p> : null}
          <a href={`/import?id=${upload.id}&report=errors`} className="mt-2 inline-block text-sm text-sky-700 underline" download>
            {t('import.errorReport')}
          </a>
        </div>
      ) : null}

      <FormError message={confirmError} />
      {running ? (
        <div role="status" className="rounded-lg border border-slate-200 bg-white p-4">
          <p>{progress && progress.total ? t('import.progress', { done: progress.done, total: progress.total }) : t('import.running')}</p>
          <progress className="mt-2 h-3 w-full" max={progress?.total || 1} value={progress?.done ?? undefined} aria-label={t('import.running')} />
        </div>
      ) : (
        <confirm.Form method="post" className="flex flex-wrap items-center gap-4 rounded-lg border border-slate-200 bg-white p-4">
          <input type="hidden" name="intent" value="confirm" />
          <input type="hidden" name="id" value={upload.id} />
          {preview.errors.length && preview.valid > 0 ? (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="skipInvalid" />
              {t('import.skipInvalid', { count: preview.valid })}
            </label>
          ) : null}
          <Button type="submit" disabled={preview.valid === 0}>
            {t('import.confirm')}
          </Button>
          <Link to="/import" className="text-sm text-sky-700 underline">
            {t('import.another')}
          </Link>
        </confirm.Form>
      )}
    </section>
  )
}

function Outcome({ upload }: { upload: LoaderUpload }) {
  const t = useT()
  const poll = useFetcher<typeof loader>()
  const busy = upload.status === 'running' || upload.status === 'checking'
  // Someone reloaded the page while the import runs: follow it until it ends.
  useEffect(() => {
    if (!busy) return
    const timer = setInterval(() => {
      if (poll.state === 'idle') poll.load(`/import?id=${upload.id}&poll=1`)
    }, 1000)
    return () => clearInterval(timer)
  }, [busy, poll, upload.id])
  const current = poll.data?.upload ?? upload
  if (current.status === 'running' || current.status === 'checking') {
    return (
      <div role="status" className="rounded-lg border border-slate-200 bg-white p-4">
        <p>{current.status === 'checking' ? t('import.checking') : t('import.running')}</p>
        {current.progress ? <progress className="mt-2 h-3 w-full" max={current.progress.total || 1} value={current.progress.done} /> : null}
      </div>
    )
  }
  const result = current.result
  const ok = current.status === 'done'
  return (
    <section role="status" className={`rounded-lg border p-6 ${ok ? 'border-emerald-200 bg-emerald-50' : 'border-red-200 bg-red-50'}`}>
      <h2 className="text-xl font-semibold">{t(ok ? 'import.doneTitle' : 'import.failedTitle')}</h2>
      {result ? <p className="mt-2">{t('import.result', { created: result.created, updated: result.updated, skipped: result.skipped })}</p> : null}
      {!ok && current.failure ? <p className="mt-2">{t(current.failure)}</p> : null}
      <p className="mt-4 flex gap-4">
        {ok ? (
          <Link to={`/${KIND_PATHS[current.kind]}`} className="text-sky-700 underline">
            {t('import.viewList', { kind: t(KIND_KEYS[current.kind]) })}
          </Link>
        ) : null}
        <Link to="/import" className="text-sky-700 underline">
          {t('import.another')}
        </Link>
      </p>
    </section>
  )
}

function Columns({ kinds, ownerColumn }: { kinds: ListingKind[]; ownerColumn: boolean }) {
  const t = useT()
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <summary className="cursor-pointer font-medium">{t('import.columns')}</summary>
      <p className="mt-2 text-slate-600">{t('import.columnsLead')}</p>
      <div className="mt-3 grid gap-6 md:grid-cols-3">
        {LISTING_KINDS.filter((k) => kinds.includes(k)).map((kind) => (
          <table key={kind} className="text-left">
            <caption className="mb-1 text-left font-medium">{t(KIND_KEYS[kind])}</caption>
            <thead className="text-slate-500">
              <tr>
                <th className="pr-3">{t('import.column')}</th>
                <th>{t('import.columnLabel')}</th>
              </tr>
            </thead>
            <tbody>
              {EXCHANGE_COLUMNS[kind]
                .filter((c) => ownerColumn || (c.key !== OWNER_COLUMN[kind]?.name && c.key !== OWNER_COLUMN[kind]?.region))
                .map((c) => (
                  <tr key={c.key}>
                    <td className="pr-3 font-mono">
                      {c.key}
                      {c.required ? '*' : ''}
                    </td>
                    <td>{c.label}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        ))}
      </div>
    </details>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
