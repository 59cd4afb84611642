import { Form, useFetcher } from 'react-router'
import type { ListingKind } from '~/domain/listings/kinds'
import { NAME_MAX } from '~/domain/saved-searches/schemas'
import { useT } from '~/i18n/i18n'
import { Button, FieldErrors, FormError } from '~/ui/form'

/**
 * The forms other pages use to save a search or watch a match list; they post to
 * /saved-searches (not a route of its own). Plain forms: they work without JavaScript.
 */

interface SaveProps {
  /** The search page's query string. */
  query: string
  /** Where to go back to once saved. */
  redirectTo: string
  defaultName: string
  formError?: string | null
  fieldErrors?: Record<string, string[]>
  as?: typeof Form
}

export function SaveSearchFields({ query, redirectTo, defaultName, formError, fieldErrors, as: FormComponent = Form }: SaveProps) {
  const t = useT()
  const nameErrors = fieldErrors?.name
  const otherErrors = [...(fieldErrors?.query ?? []), ...(fieldErrors?.form ?? [])]
  return (
    <FormComponent method="post" action="/saved-searches" className="space-y-2">
      <FormError message={formError} />
      <input type="hidden" name="query" value={query} />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <FieldErrors errors={otherErrors} />
      <label htmlFor="saved-search-name" className="block text-sm font-medium text-slate-700">
        {t('savedSearches.name')}
      </label>
      <div className="flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-1">
          <input
            id="saved-search-name"
            name="name"
            defaultValue={defaultName}
            maxLength={NAME_MAX}
            required
            aria-invalid={nameErrors?.length ? true : undefined}
            aria-describedby={nameErrors?.length ? 'saved-search-name-error' : undefined}
            className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid]:border-red-600"
          />
          <FieldErrors id="saved-search-name-error" errors={nameErrors} />
        </div>
        <Button type="submit" name="intent" value="save">
          {t('savedSearches.saveSubmit')}
        </Button>
      </div>
      <p className="text-xs text-slate-500">{t('savedSearches.saveHint')}</p>
    </FormComponent>
  )
}

/** "保存搜索" on the search page: opens a small form; errors stay on the page with JavaScript. */
export function SaveSearch({ query, redirectTo, defaultName }: { query: string; redirectTo: string; defaultName: string }) {
  const t = useT()
  const fetcher = useFetcher<{ formError?: string; fieldErrors?: Record<string, string[]> }>()
  return (
    <details className="group relative" open={fetcher.data?.formError ? true : undefined}>
      <summary className="cursor-pointer list-none rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50">
        ☆ {t('savedSearches.save')}
      </summary>
      <div className="absolute right-0 z-10 mt-2 w-80 rounded-lg border border-slate-200 bg-white p-4 shadow-lg">
        <SaveSearchFields
          as={fetcher.Form as typeof Form}
          query={query}
          redirectTo={redirectTo}
          defaultName={defaultName}
          formError={fetcher.data?.formError}
          fieldErrors={fetcher.data?.fieldErrors}
        />
      </div>
    </details>
  )
}

/** "关注匹配" in a listing's match section: watch the list, or stop watching it. */
export function WatchMatches({ kind, id, watchId, redirectTo }: { kind: ListingKind; id: string; watchId: string | null; redirectTo: string }) {
  const t = useT()
  return (
    <Form method="post" action="/saved-searches" className="flex flex-wrap items-center gap-3 text-sm">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      {watchId ? (
        <>
          <span className="text-emerald-800">★ {t('savedSearches.watching')}</span>
          <input type="hidden" name="id" value={watchId} />
          <Button type="submit" name="intent" value="delete" variant="secondary">
            {t('savedSearches.unwatch')}
          </Button>
        </>
      ) : (
        <>
          <input type="hidden" name="kind" value={kind} />
          <input type="hidden" name="id" value={id} />
          <Button type="submit" name="intent" value="watch" variant="secondary">
            ☆ {t('savedSearches.watch')}
          </Button>
          <span className="text-slate-500">{t('savedSearches.watchHint')}</span>
        </>
      )}
    </Form>
  )
}
