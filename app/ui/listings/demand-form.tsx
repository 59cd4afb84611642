import { useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { z } from 'zod'
import { DemandInputSchema, type DemandInput } from '~/domain/listings/schemas'
import { useT } from '~/i18n/i18n'
import { ListingFormShell, type ListingFormContext } from './form-shell'
import { CheckboxField, CheckboxGroup, ContactSection, Section, SelectField, TextAreaField, TextField } from './form-fields'
import type { FormValues } from './form-fields'
import { dayInputValue, fenToYuanInput } from './format'
import { FIELD_KEYS, INDUSTRY_KEYS, MODE_KEYS, optionsOf, trlOptions } from './labels'

export function demandDefaults(l: Record<string, unknown>) {
  return {
    title: l.title as string,
    description: l.description as string,
    currentSituation: (l.currentSituation as string | null) ?? '',
    targetIndicators: (l.targetIndicators as string | null) ?? '',
    constraints: (l.constraints as string | null) ?? '',
    field: l.field as string,
    industry: l.industry as string,
    keywords: ((l.keywords as string[] | undefined) ?? []).join('; '),
    trlMin: l.trlMin ? String(l.trlMin) : '',
    budget: fenToYuanInput(l.budgetFen as number | null),
    deadline: dayInputValue(l.deadline as Date | string | null),
    cooperationModes: (l.cooperationModes as string[] | undefined) ?? [],
    confidential: l.confidential ? 'on' : '',
    contactName: (l.contactName as string | null) ?? '',
    contactPhone: (l.contactPhone as string | null) ?? '',
    contactEmail: (l.contactEmail as string | null) ?? '',
  }
}

export function DemandForm({
  lastResult,
  defaultValue,
  context,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: FormValues<string>
  context: ListingFormContext
}) {
  const t = useT()
  const [form, fields] = useForm<z.input<typeof DemandInputSchema>, DemandInput>({
    id: 'demand-form',
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DemandInputSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const choose = t('common.choose')
  return (
    <ListingFormShell form={form} context={context}>
      <Section title={t('listings.form.basics')}>
        <TextField field={fields.title} label={t('listings.label.title')} maxLength={200} wide />
        <TextAreaField field={fields.description} label={t('listings.label.description')} hint={t('listings.form.summaryHint')} rows={6} maxLength={5000} />
        <TextField field={fields.keywords} label={t('listings.label.keywords')} hint={t('listings.form.keywordsHint')} optional wide />
      </Section>
      <Section title={t('listings.form.details')}>
        <TextAreaField field={fields.currentSituation} label={t('listings.label.currentSituation')} rows={3} maxLength={5000} optional />
        <TextAreaField field={fields.targetIndicators} label={t('listings.label.targetIndicators')} rows={3} maxLength={5000} optional />
        <TextAreaField field={fields.constraints} label={t('listings.label.constraints')} rows={3} maxLength={5000} optional />
        <CheckboxField field={fields.confidential} label={t('listings.label.confidential')} hint={t('listings.form.confidentialHint')} />
      </Section>
      <Section title={t('listings.form.classification')}>
        <SelectField field={fields.field} label={t('listings.label.field')} options={optionsOf(FIELD_KEYS, t)} placeholder={choose} />
        <SelectField field={fields.industry} label={t('listings.label.industry')} options={optionsOf(INDUSTRY_KEYS, t)} placeholder={choose} />
        <SelectField field={fields.trlMin} label={t('listings.label.trlMin')} hint={t('listings.form.trlHint')} options={trlOptions(t)} placeholder={choose} optional />
      </Section>
      <Section title={t('listings.form.cooperation')}>
        <CheckboxGroup field={fields.cooperationModes} label={t('listings.label.cooperationModes')} options={optionsOf(MODE_KEYS, t)} />
        <TextField field={fields.budget} label={t('listings.filter.budgetRange')} hint={t('listings.form.priceHint')} inputMode="decimal" optional />
        <TextField field={fields.deadline} label={t('listings.label.deadline')} hint={t('listings.form.deadlineHint')} type="date" optional />
      </Section>
      <ContactSection fields={fields} />
    </ListingFormShell>
  )
}
