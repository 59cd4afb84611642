import type { FormEvent, ReactNode } from 'react'
import { Form, Link, useNavigate } from 'react-router'
import type { ListingKind } from '~/domain/listings/kinds'
import { useT } from '~/i18n/i18n'
import { FoldToggle } from '~/ui/fold-toggle'
import { FIELD_KEYS, INDUSTRY_KEYS, MODE_KEYS, optionsOf, SORT_KEYS, STAGE_KEYS, TRL_KEYS } from './labels'

export const FILTER_FORM_ID = 'listing-filters'

/** The filters that narrow a list (sort and page only order and cut it). */
export const FILTER_PARAMS = ['q', 'field', 'industry', 'stage', 'mode', 'trlMin', 'trlMax', 'priceMin', 'priceMax', 'region', 'batch', 'stale'] as const

/** Sorts that mean something for a kind: achievements have no deadline, scenarios no TRL. */
export const SORTS_BY_KIND: Record<ListingKind, (keyof typeof SORT_KEYS)[]> = {
  achievement: ['newest', 'oldest', 'price_asc', 'price_desc', 'trl_desc'],
  demand: ['newest', 'oldest', 'price_asc', 'price_desc', 'trl_desc', 'deadline'],
  scenario: ['newest', 'oldest', 'price_asc', 'price_desc', 'deadline'],
}

const control =
  'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200'

/** Without JavaScript the form sends every field, empty ones too; with it, the URL keeps only those set. */
function useCleanGetSubmit() {
  const navigate = useNavigate()
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter)
    const params = new URLSearchParams()
    for (const [key, value] of data) {
      if (typeof value !== 'string' || value.trim() === '' || (key === 'sort' && value === 'newest')) continue
      params.append(key, value.trim())
    }
    navigate(`?${params}`)
  }
}

/**
 * The filter panel: a GET form, so filters live in the URL and work without JavaScript. On a
 * phone it folds away behind a toggle (a checkbox and CSS, no script needed).
 */
export function FilterPanel({
  kind,
  values,
  provinces,
  batches,
  activeCount,
}: {
  kind: ListingKind
  values: Record<string, string>
  provinces: { code: string; name: string }[]
  batches: { id: string; number: string; title: string }[]
  activeCount: number
}) {
  const t = useT()
  const onSubmit = useCleanGetSubmit()
  const any = t('listings.filter.any')
  const v = (name: string) => values[name] ?? ''
  const trl = Object.keys(TRL_KEYS).map((level) => ({ value: level, label: level }))
  return (
    <div>
      <FoldToggle
        id="filters-toggle"
        label={t('listings.filter.toggle')}
        note={activeCount ? t('listings.filter.active', { count: activeCount }) : null}
        className="px-4 py-2.5 text-sm shadow-sm"
      />
      <Form
        method="get"
        id={FILTER_FORM_ID}
        onSubmit={onSubmit}
        aria-label={t('listings.filter.title')}
        className="mt-3 hidden space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm peer-checked:block lg:mt-0 lg:block"
      >
        <h2 className="hidden text-sm font-semibold text-slate-900 lg:block">{t('listings.filter.title')}</h2>
        <Item label={t('listings.filter.q')} htmlFor="f-q">
          <input id="f-q" type="search" name="q" defaultValue={v('q')} key={v('q')} maxLength={200} placeholder={t('listings.filter.qPlaceholder')} className={control} />
        </Item>
        <Select id="f-field" name="field" label={t('listings.label.field')} value={v('field')} any={any} options={optionsOf(FIELD_KEYS, t)} />
        <Select
          id="f-industry"
          name="industry"
          label={t(kind === 'scenario' ? 'listings.label.sector' : 'listings.label.industry')}
          value={v('industry')}
          any={any}
          options={optionsOf(INDUSTRY_KEYS, t)}
        />
        {kind === 'achievement' ? (
          <Select id="f-stage" name="stage" label={t('listings.label.stage')} value={v('stage')} any={any} options={optionsOf(STAGE_KEYS, t)} />
        ) : null}
        {kind !== 'scenario' ? (
          <Range label={t(kind === 'achievement' ? 'listings.filter.trlRange' : 'listings.filter.trlMinRange')}>
            <Select id="f-trlMin" name="trlMin" label={t('listings.filter.min')} value={v('trlMin')} any={any} options={trl} compact />
            <Select id="f-trlMax" name="trlMax" label={t('listings.filter.max')} value={v('trlMax')} any={any} options={trl} compact />
          </Range>
        ) : null}
        {kind !== 'scenario' ? (
          <Select
            id="f-mode"
            name="mode"
            label={t(kind === 'achievement' ? 'listings.label.transferModes' : 'listings.label.cooperationModes')}
            value={v('mode')}
            any={any}
            options={optionsOf(MODE_KEYS, t)}
          />
        ) : null}
        <Range label={t(kind === 'achievement' ? 'listings.filter.priceRange' : 'listings.filter.budgetRange')}>
          <Amount id="f-priceMin" name="priceMin" label={t('listings.filter.min')} value={v('priceMin')} />
          <Amount id="f-priceMax" name="priceMax" label={t('listings.filter.max')} value={v('priceMax')} />
        </Range>
        <Select
          id="f-region"
          name="region"
          label={t('listings.filter.region')}
          value={v('region')}
          any={t('listings.filter.anyRegion')}
          options={provinces.map((p) => ({ value: p.code, label: p.name }))}
        />
        {kind === 'scenario' && batches.length ? (
          <Select
            id="f-batch"
            name="batch"
            label={t('listings.filter.batch')}
            value={v('batch')}
            any={any}
            options={batches.map((b) => ({ value: b.id, label: `${b.number} · ${b.title}` }))}
          />
        ) : null}
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="stale" value="1" defaultChecked={v('stale') === '1'} key={v('stale')} className="h-4 w-4 accent-sky-700" />
          {t('listings.filter.stale')}
        </label>
        {/* The sort select sits beside the results but belongs to this form (form="…"). */}
        <div className="flex items-center gap-3 pt-1">
          <button type="submit" className="flex-1 rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-sky-800 focus:outline-none focus:ring-2 focus:ring-sky-300">
            {t('listings.filter.apply')}
          </button>
          {activeCount ? (
            <Link to="?" className="text-sm text-slate-600 underline hover:text-sky-800">
              {t('listings.filter.clear')}
            </Link>
          ) : null}
        </div>
      </Form>
    </div>
  )
}

/** The sort choice: changing it re-submits the filter form (without JavaScript, press the button). */
export function SortSelect({ kind, value }: { kind: ListingKind; value: string }) {
  const t = useT()
  return (
    <div className="flex items-center gap-2">
      <label htmlFor="f-sort" className="shrink-0 text-sm text-slate-600">
        {t('listings.filter.sort')}
      </label>
      <select
        id="f-sort"
        name="sort"
        form={FILTER_FORM_ID}
        defaultValue={value}
        key={value}
        onChange={(e) => e.currentTarget.form?.requestSubmit()}
        className="rounded-md border border-slate-300 bg-white py-1.5 pl-2 pr-8 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200"
      >
        {SORTS_BY_KIND[kind].map((s) => (
          <option key={s} value={s}>
            {t(SORT_KEYS[s])}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" form={FILTER_FORM_ID} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
          {t('listings.filter.apply')}
        </button>
      </noscript>
    </div>
  )
}

function Item({ label, htmlFor, children }: { label: string; htmlFor: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={htmlFor} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
    </div>
  )
}

function Range({ label, children }: { label: string; children: ReactNode }) {
  return (
    <fieldset>
      <legend className="mb-1 block text-sm font-medium text-slate-700">{label}</legend>
      <div className="grid grid-cols-2 gap-2">{children}</div>
    </fieldset>
  )
}

function Select({
  id,
  name,
  label,
  value,
  any,
  options,
  compact,
}: {
  id: string
  name: string
  label: string
  value: string
  any: string
  options: { value: string; label: string }[]
  compact?: boolean
}) {
  return (
    <div>
      <label htmlFor={id} className={compact ? 'mb-0.5 block text-xs text-slate-500' : 'mb-1 block text-sm font-medium text-slate-700'}>
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} key={value} className={control}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}

function Amount({ id, name, label, value }: { id: string; name: string; label: string; value: string }) {
  return (
    <div>
      <label htmlFor={id} className="mb-0.5 block text-xs text-slate-500">
        {label}
      </label>
      <input id={id} name={name} type="text" inputMode="decimal" defaultValue={value} key={value} maxLength={20} className={control} />
    </div>
  )
}
