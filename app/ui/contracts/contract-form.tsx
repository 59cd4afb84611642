import { getFormProps, getInputProps, getSelectProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { ReactNode } from 'react'
import { Form, Link, useNavigation } from 'react-router'
import { ContractDraftSchema, ContractTermsSchema } from '~/domain/contracts/schemas'
import { useT } from '~/i18n/i18n'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { Section, SelectField, TextAreaField, TextField } from '~/ui/listings/form-fields'
import { FIELD_KEYS, INDUSTRY_KEYS, IP_TYPE_KEYS, optionsOf } from '~/ui/listings/labels'
import { CONTRACT_SUBTYPE_KEYS, CONTRACT_TYPE_KEYS, EXCLUSIVITY_KEYS, PAYMENT_METHOD_KEYS, SUBTYPES_BY_TYPE } from './labels'

export interface PartyOption {
  id: string
  name: string
  region: string | null
  verified: boolean
}

export type ContractFormValues = Record<string, unknown>

/** Rows the milestone table shows at least, so that a browser without JavaScript can fill several. */
export const MIN_MILESTONE_ROWS = 3

const blankRow = { title: '', dueDate: '', amount: '' }

export function withBlankRows(values: ContractFormValues): ContractFormValues {
  const rows = ((values.milestones as unknown[] | undefined) ?? []).slice()
  while (rows.length < MIN_MILESTONE_ROWS) rows.push({ ...blankRow })
  return { ...values, milestones: rows }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Meta = FieldMetadata<any, any, string[]>
type Row = { title: string; dueDate: string; amount: string }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FormShape = Record<string, any> & { milestones: Row[] }

const control =
  'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200 aria-[invalid]:border-red-600'

/**
 * The terms of a contract: a draft (with the parties) or a new version (without). Posts without
 * JavaScript too; rows are added and removed with Conform's intents, which the server answers.
 */
export function ContractForm({
  mode,
  lastResult,
  defaultValue,
  parties = [],
  fixedSeller,
  partiesText,
  links,
  cancelTo,
}: {
  mode: 'new' | 'edit'
  lastResult?: SubmissionResult<string[]> | null
  defaultValue: ContractFormValues
  parties?: PartyOption[]
  /** The seller's own member drafts: the seller is their organisation. */
  fixedSeller?: PartyOption | null
  /** In edit mode, the parties as text (they do not change). */
  partiesText?: ReactNode
  links?: Partial<Record<'matchId' | 'achievementId' | 'demandId' | 'scenarioId' | 'dealId', string | null>>
  cancelTo: string
}) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const schema = mode === 'new' ? ContractDraftSchema : ContractTermsSchema
  const [form, fields] = useForm<FormShape>({
    id: `contract-${mode}`,
    lastResult,
    defaultValue: defaultValue as FormShape,
    // The two schemas differ only by the parties; the form's shape is loose on purpose.
    onValidate: ({ formData }) => parseWithZod(formData, { schema }) as never,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const f = fields as unknown as Record<string, Meta>
  const list = fields.milestones as unknown as FieldMetadata<Row[], FormShape, string[]>
  const choose = t('common.choose')
  const rows = list.getFieldList()
  const partyOptions = parties.map((p) => ({ value: p.id, label: partyLabel(t, p) }))
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <FormError message={form.errors?.[0] ?? (form.status === 'error' && !form.valid ? 'err.invalidForm' : null)} />
      {mode === 'new' ? (
        <Section title={t('contract.form.parties')} aside={t('contract.form.partiesHint')}>
          {fixedSeller ? (
            <div className="mb-4">
              <p className="mb-1 block text-sm font-medium text-slate-700">{t('contract.label.seller')}</p>
              <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2">{partyLabel(t, fixedSeller)}</p>
              <input type="hidden" name={f.sellerOrgId!.name} value={fixedSeller.id} />
            </div>
          ) : (
            <SelectField field={f.sellerOrgId!} label={t('contract.label.seller')} options={partyOptions} placeholder={choose} />
          )}
          <SelectField field={f.buyerOrgId!} label={t('contract.label.buyer')} options={partyOptions.filter((o) => o.value !== fixedSeller?.id)} placeholder={choose} />
          {Object.entries(links ?? {}).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
        </Section>
      ) : partiesText ? (
        <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm sm:p-6">{partiesText}</section>
      ) : null}

      <Section title={t('contract.form.basics')}>
        <TextField field={f.title!} label={t('contract.label.title')} maxLength={200} wide />
        <SelectField field={f.type!} label={t('contract.label.type')} options={optionsOf(CONTRACT_TYPE_KEYS, t)} placeholder={choose} />
        <SubtypeSelect field={f.subtype!} label={t('contract.label.subtype')} placeholder={choose} />
        <SelectField
          field={f.exclusivity!}
          label={t('contract.label.exclusivity')}
          hint={t('contract.form.exclusivityHint')}
          options={optionsOf(EXCLUSIVITY_KEYS, t)}
          placeholder={t('contract.form.notLicence')}
          optional
        />
        <SelectField field={f.field!} label={t('listings.label.field')} options={optionsOf(FIELD_KEYS, t)} placeholder={choose} optional />
        <SelectField field={f.industry!} label={t('listings.label.industry')} options={optionsOf(INDUSTRY_KEYS, t)} placeholder={choose} optional />
        <SelectField field={f.ipType!} label={t('listings.label.ipType')} options={optionsOf(IP_TYPE_KEYS, t)} placeholder={choose} optional />
        <TextField field={f.ipNumbers!} label={t('contract.label.ipNumbers')} hint={t('contract.form.ipNumbersHint')} optional />
      </Section>

      <Section title={t('contract.form.money')}>
        <TextField field={f.amount!} label={t('contract.label.amountYuan')} hint={t('contract.form.amountHint')} inputMode="decimal" />
        <TextField field={f.techAmount!} label={t('contract.label.techAmountYuan')} hint={t('contract.form.techAmountHint')} inputMode="decimal" />
        <SelectField field={f.paymentMethod!} label={t('contract.label.paymentMethod')} options={optionsOf(PAYMENT_METHOD_KEYS, t)} placeholder={choose} />
        <div className="hidden sm:block" />
        <TextField field={f.royaltyRate!} label={t('contract.label.royaltyRate')} hint={t('contract.form.royaltyOnlyHint')} inputMode="decimal" optional />
        <TextField field={f.entryFee!} label={t('contract.label.entryFeeYuan')} hint={t('contract.form.royaltyOnlyHint')} inputMode="decimal" optional />
        <TextField field={f.termStart!} label={t('contract.label.termStart')} type="date" optional />
        <TextField field={f.termEnd!} label={t('contract.label.termEnd')} type="date" optional />
      </Section>

      <fieldset className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6" aria-describedby={`${f.milestones!.id}-rules`}>
        <legend className="-ml-1 px-1 text-base font-semibold text-slate-900">{t('contract.form.milestones')}</legend>
        <p id={`${f.milestones!.id}-rules`} className="mb-4 text-sm text-slate-500">
          {t('contract.form.milestonesHint')}
        </p>
        <FieldErrors id={f.milestones!.errorId} errors={f.milestones!.errors} />
        <div aria-hidden="true" className="mb-1 hidden gap-2 text-xs font-medium text-slate-500 sm:grid sm:grid-cols-[2rem_1fr_10rem_10rem_auto]">
          <span />
          <span>{t('contract.label.milestoneTitle')}</span>
          <span>{t('contract.label.dueDate')}</span>
          <span>{t('contract.label.milestoneAmountYuan')}</span>
          <span className="w-12" />
        </div>
        <ol className="space-y-3">
          {rows.map((row, index) => {
            const cells = row.getFieldset() as unknown as Record<'title' | 'dueDate' | 'amount', Meta>
            return (
              <li key={row.key} className="grid gap-2 rounded-md border border-slate-100 bg-slate-50 p-3 sm:grid-cols-[2rem_1fr_10rem_10rem_auto] sm:items-start sm:border-0 sm:bg-transparent sm:p-0">
                <span className="pt-2 text-sm text-slate-500 tabular-nums">{index + 1}.</span>
                <Cell field={cells.title} label={t('contract.label.milestoneTitle')} />
                <Cell field={cells.dueDate} label={t('contract.label.dueDate')} type="date" />
                <Cell field={cells.amount} label={t('contract.label.milestoneAmountYuan')} inputMode="decimal" />
                <button
                  {...form.remove.getButtonProps({ name: list.name, index })}
                  className="justify-self-start rounded px-2 py-2 text-sm text-slate-500 underline hover:text-red-700"
                  aria-label={t('contract.form.removeRowN', { n: index + 1 })}
                >
                  {t('contract.form.removeRow')}
                </button>
              </li>
            )
          })}
        </ol>
        <button
          {...form.insert.getButtonProps({ name: list.name, defaultValue: blankRow })}
          className="mt-3 rounded-md border border-dashed border-slate-400 px-3 py-2 text-sm text-slate-700 hover:bg-slate-50"
        >
          + {t('contract.form.addRow')}
        </button>
      </fieldset>

      <Section title={t('contract.form.text')} aside={t('contract.form.textHint')}>
        <TextAreaField field={f.termsText!} label={t('contract.label.termsText')} rows={10} maxLength={20_000} />
      </Section>

      <div className="sticky bottom-0 -mx-4 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:static sm:mx-0 sm:border-0 sm:bg-transparent sm:px-0 sm:py-0">
        <Button type="submit" name="intent" value="save" variant={mode === 'new' ? 'secondary' : 'primary'} disabled={busy}>
          {t(mode === 'new' ? 'contract.form.saveDraft' : 'contract.form.saveVersion')}
        </Button>
        {mode === 'new' ? (
          <Button type="submit" name="intent" value="send" disabled={busy}>
            {t('contract.form.saveAndSend')}
          </Button>
        ) : null}
        <Link to={cancelTo} className="ml-auto text-sm text-slate-600 underline hover:text-sky-800">
          {t('listings.form.cancel')}
        </Link>
      </div>
    </Form>
  )
}

function partyLabel(t: (key: string) => string, p: PartyOption) {
  return `${p.name}${p.region ? `（${p.region}）` : ''}${p.verified ? '' : ` · ${t('contract.form.unverified')}`}`
}

function Cell({ field, label, type = 'text', inputMode }: { field: Meta; label: string; type?: 'text' | 'date'; inputMode?: 'decimal' }) {
  const { key: _key, ...props } = getInputProps(field, { type })
  return (
    <div>
      <label htmlFor={field.id} className="mb-1 block text-xs text-slate-500 sm:sr-only">
        {label}
      </label>
      <input {...props} inputMode={inputMode} placeholder={label} className={control} />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}

export function SubtypeSelect({ field, label, placeholder }: { field: Meta; label: string; placeholder: string }) {
  const t = useT()
  const { key: _key, ...props } = getSelectProps(field)
  return (
    <div className="mb-4">
      <label htmlFor={field.id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select {...props} className={control}>
        <option value="">{placeholder}</option>
        {Object.entries(SUBTYPES_BY_TYPE).map(([type, subtypes]) => (
          <optgroup key={type} label={t(CONTRACT_TYPE_KEYS[type as keyof typeof CONTRACT_TYPE_KEYS])}>
            {subtypes.map((s) => (
              <option key={s} value={s}>
                {t(CONTRACT_SUBTYPE_KEYS[s])}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}
