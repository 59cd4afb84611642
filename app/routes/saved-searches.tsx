import { data, Form, Link, redirect, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/saved-searches'
import { isAppError, type AppError } from '~/domain/errors'
import type { ListingKind } from '~/domain/listings/kinds'
import { deleteSavedSearch, listSavedSearches, renameSavedSearch, saveSearch, setSavedSearchAlert, watchMatches } from '~/domain/saved-searches/saved-searches.server'
import { NAME_MAX, RenameSchema, SaveSearchSchema, WatchSchema } from '~/domain/saved-searches/schemas'
import { chinaTime } from '~/domain/notifications/render'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser, safeRedirect } from '~/infra/http/auth.server'
import { setFlash, type Flash } from '~/infra/http/cookies.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { SaveSearchFields } from './saved-searches.forms'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('savedSearches.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const rows = await listSavedSearches({ actor: user })
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      q: r.params.q ?? null,
      searchKind: (r.params.kind as ListingKind | undefined) ?? null,
      filters: Object.keys(r.params).filter((k) => k !== 'q' && k !== 'kind' && k !== 'sort').length,
      alert: r.alert,
      hits: r.hits,
      href: r.href,
      createdAt: chinaTime(r.createdAt).slice(0, 5),
    })),
  }
}

type ActionData = { intent: string; id?: string; formError?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> }

const redirectWithFlash = async (to: string, flash: Flash) => redirect(to, { headers: { 'Set-Cookie': await setFlash(flash) } })

/** Field errors of a zod failure as message keys per field. */
function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form')
    out[key] = [...(out[key] ?? []), issue.message]
  }
  return out
}

/** Someone else's saved search, or a forged id, is simply not found. */
function notFoundOr(error: unknown, intent: string) {
  if (!isAppError(error)) throw error
  const e = error as AppError
  if (e.status === 404 || e.status === 403) throw new Response(e.message, { status: e.status })
  return data<ActionData>({ intent, formError: e.message, fieldErrors: Object.fromEntries(Object.entries(e.fields ?? {}).map(([k, v]) => [k, [v]])) }, { status: e.status })
}

const IntentSchema = z.enum(['save', 'watch', 'rename', 'alert', 'delete'])
const IdOnly = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) })

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args)
  const form = await args.request.formData()
  const values = Object.fromEntries([...form].filter((e): e is [string, string] => typeof e[1] === 'string'))
  const intent = IntentSchema.safeParse(values.intent)
  if (!intent.success) return data<ActionData>({ intent: '', formError: 'err.badRequest' }, { status: 400 })
  const back = safeRedirect(values.redirectTo, '/saved-searches')

  switch (intent.data) {
    case 'save': {
      const parsed = SaveSearchSchema.safeParse(values)
      // The name as typed comes back to the form, cut to what the field allows.
      const echo = { name: (values.name ?? '').slice(0, NAME_MAX), query: values.query ?? '', redirectTo: back }
      if (!parsed.success) return data<ActionData>({ intent: 'save', formError: 'savedSearches.fix', fieldErrors: fieldErrorsOf(parsed.error), values: echo }, { status: 400 })
      try {
        const saved = await saveSearch({ actor: user, input: parsed.data })
        return await redirectWithFlash(back, { key: 'savedSearches.saved', params: { name: saved.name } })
      } catch (error) {
        if (!isAppError(error)) throw error
        return data<ActionData>({ intent: 'save', formError: error.message, fieldErrors: {}, values: echo }, { status: error.status })
      }
    }
    case 'watch': {
      const parsed = WatchSchema.safeParse(values)
      if (!parsed.success) return data<ActionData>({ intent: 'watch', formError: 'err.badRequest' }, { status: 400 })
      try {
        const watch = await watchMatches({ actor: user, kind: parsed.data.kind, id: parsed.data.id })
        return await redirectWithFlash(back, { key: 'savedSearches.watched', params: { name: watch.name } })
      } catch (error) {
        return notFoundOr(error, 'watch')
      }
    }
    case 'rename': {
      const parsed = RenameSchema.safeParse(values)
      if (!parsed.success) {
        const fieldErrors = fieldErrorsOf(parsed.error)
        if (fieldErrors.id) throw new Response('Not Found', { status: 404 })
        return data<ActionData>({ intent: 'rename', id: values.id, formError: 'savedSearches.fix', fieldErrors }, { status: 400 })
      }
      try {
        const row = await renameSavedSearch({ actor: user, id: parsed.data.id, name: parsed.data.name })
        return await redirectWithFlash('/saved-searches', { key: 'savedSearches.renamed', params: { name: row.name } })
      } catch (error) {
        return notFoundOr(error, 'rename')
      }
    }
    case 'alert':
    case 'delete': {
      const parsed = IdOnly.safeParse(values)
      if (!parsed.success) throw new Response('Not Found', { status: 404 })
      try {
        if (intent.data === 'delete') {
          const row = await deleteSavedSearch({ actor: user, id: parsed.data.id })
          return await redirectWithFlash(back, { key: 'savedSearches.deleted', params: { name: row.name } })
        }
        const on = values.alert === 'on'
        const row = await setSavedSearchAlert({ actor: user, id: parsed.data.id, alert: on })
        return await redirectWithFlash('/saved-searches', { key: on ? 'savedSearches.alertChangedOn' : 'savedSearches.alertChangedOff', params: { name: row.name } })
      } catch (error) {
        return notFoundOr(error, intent.data)
      }
    }
  }
}

// Message keys written out, so that the catalogue test can check each one.
const KIND_KEYS = { SEARCH: 'savedSearches.kind.SEARCH', MATCHES: 'savedSearches.kind.MATCHES' } as const
const SEARCH_KIND_KEYS: Record<ListingKind, string> = {
  achievement: 'search.kind.achievement',
  demand: 'search.kind.demand',
  scenario: 'search.kind.scenario',
}

export default function SavedSearches() {
  const t = useT()
  const { items } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  return (
    <div className="space-y-6">
      {actionData?.intent === 'save' && actionData.values ? (
        // A save from the search page that did not pass: the same form again, with the reasons.
        <section className="rounded-lg border border-red-200 bg-white p-6 shadow-sm">
          <h2 className="mb-3 text-lg font-semibold">{t('savedSearches.saveTitle')}</h2>
          <SaveSearchFields
            query={actionData.values.query ?? ''}
            redirectTo={actionData.values.redirectTo ?? '/saved-searches'}
            defaultName={actionData.values.name ?? ''}
            formError={actionData.formError}
            fieldErrors={actionData.fieldErrors}
          />
          <Link to={actionData.values.redirectTo ?? '/search'} className="text-sm text-sky-700 underline">
            {t('savedSearches.backToSearch')}
          </Link>
        </section>
      ) : null}

      <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <p className="text-sm text-slate-500">
          <Link to="/notifications" className="underline">
            {t('notifications.title')}
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-semibold">{t('savedSearches.title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">{t('savedSearches.lead')}</p>
        {actionData && actionData.intent !== 'save' && actionData.intent !== 'rename' ? <FormError message={actionData.formError} /> : null}

        {items.length === 0 ? (
          <p className="py-10 text-center text-slate-500">{t('savedSearches.empty')}</p>
        ) : (
          <ul className="mt-6 divide-y divide-slate-100" data-testid="saved-searches">
            {items.map((s) => {
              const renameErrors = actionData?.intent === 'rename' && actionData.id === s.id ? actionData.fieldErrors?.name : undefined
              return (
                <li key={s.id} className="py-4" data-testid="saved-search">
                  <div className="flex flex-wrap items-baseline justify-between gap-3">
                    <div className="min-w-0">
                      <p className="flex flex-wrap items-center gap-2">
                        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{t(KIND_KEYS[s.kind])}</span>
                        <Link to={s.href} className="font-medium text-sky-800 hover:underline">
                          {s.name}
                        </Link>
                        <span className={`rounded px-2 py-0.5 text-xs ${s.alert ? 'bg-emerald-100 text-emerald-800' : 'bg-slate-100 text-slate-500'}`}>
                          {t(s.alert ? 'savedSearches.alertOn' : 'savedSearches.alertOff')}
                        </span>
                      </p>
                      <p className="mt-1 text-sm text-slate-500">
                        {s.kind === 'SEARCH' ? (
                          <>
                            {s.q ? t('savedSearches.words', { q: s.q }) : t('savedSearches.allListings')}
                            {s.searchKind ? ` · ${t(SEARCH_KIND_KEYS[s.searchKind])}` : null}
                            {s.filters ? ` · ${t('savedSearches.moreFilters', { count: s.filters })}` : null}
                            {' · '}
                          </>
                        ) : null}
                        {t('savedSearches.hits', { count: s.hits })} · {t('savedSearches.createdAt', { date: s.createdAt })}
                      </p>
                    </div>
                    <div className="flex flex-wrap items-center gap-2">
                      <Link to={s.href} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
                        {t('savedSearches.open')}
                      </Link>
                      <Form method="post">
                        <input type="hidden" name="id" value={s.id} />
                        <input type="hidden" name="alert" value={s.alert ? 'off' : 'on'} />
                        <Button type="submit" name="intent" value="alert" variant="secondary">
                          {t(s.alert ? 'savedSearches.turnOff' : 'savedSearches.turnOn')}
                        </Button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="id" value={s.id} />
                        <Button type="submit" name="intent" value="delete" variant="danger" aria-label={t('savedSearches.deleteLabel', { name: s.name })}>
                          {t('savedSearches.delete')}
                        </Button>
                      </Form>
                    </div>
                  </div>
                  <Form method="post" className="mt-2 flex flex-wrap items-start gap-2">
                    <input type="hidden" name="id" value={s.id} />
                    <label htmlFor={`name-${s.id}`} className="sr-only">
                      {t('savedSearches.renameLabel', { name: s.name })}
                    </label>
                    <div>
                      <input
                        id={`name-${s.id}`}
                        name="name"
                        defaultValue={s.name}
                        maxLength={NAME_MAX}
                        aria-invalid={renameErrors ? true : undefined}
                        aria-describedby={renameErrors ? `name-${s.id}-error` : undefined}
                        className="w-72 rounded-md border border-slate-300 px-3 py-1.5 text-sm aria-[invalid]:border-red-600"
                      />
                      <FieldErrors id={`name-${s.id}-error`} errors={renameErrors} />
                    </div>
                    <Button type="submit" name="intent" value="rename" variant="secondary">
                      {t('savedSearches.rename')}
                    </Button>
                  </Form>
                </li>
              )
            })}
          </ul>
        )}
      </section>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
