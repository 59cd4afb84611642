import { useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { z } from 'zod'
import { Link } from 'react-router'
import { ScenarioInputSchema, type ScenarioInput } from '~/domain/listings/schemas'
import { useT } from '~/i18n/i18n'
import { ListingFormShell, type ListingFormContext } from './form-shell'
import { ContactSection, Section, SelectField, TextAreaField, TextField } from './form-fields'
import type { FormValues } from './form-fields'
import { dayInputValue, fenToYuanInput } from './format'
import { FIELD_KEYS, INDUSTRY_KEYS, optionsOf } from './labels'

export function scenarioDefaults(l: Record<string, unknown>) {
  return {
    title: l.title as string,
    description: l.description as string,
    sector: l.sector as string,
    field: (l.field as string | null) ?? '',
    capability: (l.capability as string | null) ?? '',
    keywords: ((l.keywords as string[] | undefined) ?? []).join('; '),
    budget: fenToYuanInput(l.budgetFen as number | null),
    deadline: dayInputValue(l.deadline as Date | string | null),
    ownerDepartment: (l.ownerDepartment as string | null) ?? '',
    batchId: (l.batchId as string | null) ?? '',
    contactName: (l.contactName as string | null) ?? '',
    contactPhone: (l.contactPhone as string | null) ?? '',
    contactEmail: (l.contactEmail as string | null) ?? '',
  }
}

export function ScenarioForm({
  lastResult,
  defaultValue,
  context,
  batches,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: FormValues<string>
  context: ListingFormContext
  batches: { id: string; number: string; title: string }[]
}) {
  const t = useT()
  const [form, fields] = useForm<z.input<typeof ScenarioInputSchema>, ScenarioInput>({
    id: 'scenario-form',
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ScenarioInputSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const choose = t('common.choose')
  return (
    <ListingFormShell form={form} context={context}>
      <Section title={t('listings.form.basics')}>
        <TextField field={fields.title} label={t('listings.label.title')} maxLength={200} wide />
        <TextAreaField field={fields.description} label={t('listings.label.scenarioDescription')} hint={t('listings.form.summaryHint')} rows={6} maxLength={5000} />
        <TextAreaField field={fields.capability} label={t('listings.label.capability')} rows={3} maxLength={5000} optional />
        <TextField field={fields.keywords} label={t('listings.label.keywords')} hint={t('listings.form.keywordsHint')} optional wide />
      </Section>
      <Section title={t('listings.form.scenarioClass')}>
        <SelectField field={fields.sector} label={t('listings.label.sector')} options={optionsOf(INDUSTRY_KEYS, t)} placeholder={choose} />
        <SelectField field={fields.field} label={t('listings.label.field')} options={optionsOf(FIELD_KEYS, t)} placeholder={choose} optional />
        <SelectField
          field={fields.batchId}
          label={t('listings.label.batch')}
          hint={
            <Link to="/scenario-batches" className="text-sky-700 underline">
              {t('listings.form.manageBatches')}
            </Link>
          }
          options={batches.map((b) => ({ value: b.id, label: `${b.number} · ${b.title}` }))}
          placeholder={t('listings.form.noBatch')}
          optional
        />
        <TextField field={fields.ownerDepartment} label={t('listings.label.ownerDepartment')} maxLength={200} optional />
      </Section>
      <Section title={t('listings.form.budgetDeadline')}>
        <TextField field={fields.budget} label={t('listings.filter.budgetRange')} hint={t('listings.form.priceHint')} inputMode="decimal" optional />
        <TextField field={fields.deadline} label={t('listings.label.deadline')} hint={t('listings.form.deadlineHint')} type="date" optional />
      </Section>
      <ContactSection fields={fields} />
    </ListingFormShell>
  )
}
