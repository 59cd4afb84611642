import { useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { z } from 'zod'
import { AchievementInputSchema, type AchievementInput } from '~/domain/listings/schemas'
import { useT } from '~/i18n/i18n'
import { ListingFormShell, type ListingFormContext } from './form-shell'
import { CheckboxGroup, ContactSection, Section, SelectField, TextAreaField, TextField } from './form-fields'
import type { FormValues } from './form-fields'
import { fenToYuanInput } from './format'
import { FIELD_KEYS, INDUSTRY_KEYS, IP_TYPE_KEYS, MODE_KEYS, optionsOf, STAGE_KEYS, trlOptions } from './labels'

/** What the form starts with when editing: the listing as a form would have sent it. */
export function achievementDefaults(l: Record<string, unknown>) {
  return {
    title: l.title as string,
    summary: l.summary as string,
    field: l.field as string,
    industry: l.industry as string,
    keywords: ((l.keywords as string[] | undefined) ?? []).join('; '),
    trl: String(l.trl ?? ''),
    stage: (l.stage as string | null) ?? '',
    ipType: (l.ipType as string | null) ?? '',
    ipNumbers: ((l.ipNumbers as string[] | undefined) ?? []).join('; '),
    ipStatus: (l.ipStatus as string | null) ?? '',
    transferModes: (l.transferModes as string[] | undefined) ?? [],
    askingPrice: fenToYuanInput(l.askingPriceFen as number | null),
    confidentialDetails: (l.confidentialDetails as string | null | undefined) ?? '',
    contactName: (l.contactName as string | null) ?? '',
    contactPhone: (l.contactPhone as string | null) ?? '',
    contactEmail: (l.contactEmail as string | null) ?? '',
  }
}

export function AchievementForm({
  lastResult,
  defaultValue,
  context,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: FormValues<string>
  context: ListingFormContext
}) {
  const t = useT()
  const [form, fields] = useForm<z.input<typeof AchievementInputSchema>, AchievementInput>({
    id: 'achievement-form',
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AchievementInputSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const choose = t('common.choose')
  return (
    <ListingFormShell form={form} context={context}>
      <Section title={t('listings.form.basics')}>
        <TextField field={fields.title} label={t('listings.label.title')} maxLength={200} wide />
        <TextAreaField field={fields.summary} label={t('listings.label.summary')} hint={t('listings.form.summaryHint')} rows={6} maxLength={5000} />
        <TextField field={fields.keywords} label={t('listings.label.keywords')} hint={t('listings.form.keywordsHint')} optional wide />
      </Section>
      <Section title={t('listings.form.classification')}>
        <SelectField field={fields.field} label={t('listings.label.field')} options={optionsOf(FIELD_KEYS, t)} placeholder={choose} />
        <SelectField field={fields.industry} label={t('listings.label.industry')} options={optionsOf(INDUSTRY_KEYS, t)} placeholder={choose} />
        <SelectField field={fields.trl} label={t('listings.label.trl')} hint={t('listings.form.trlHint')} options={trlOptions(t)} placeholder={choose} />
        <SelectField field={fields.stage} label={t('listings.label.stage')} hint={t('listings.form.stageHint')} options={optionsOf(STAGE_KEYS, t)} placeholder={choose} optional />
      </Section>
      <Section title={t('listings.form.ip')}>
        <SelectField field={fields.ipType} label={t('listings.label.ipType')} options={optionsOf(IP_TYPE_KEYS, t)} placeholder={choose} optional />
        <TextField field={fields.ipStatus} label={t('listings.label.ipStatus')} maxLength={100} optional />
        <TextField field={fields.ipNumbers} label={t('listings.label.ipNumbers')} hint={t('listings.form.ipNumbersHint')} optional wide />
      </Section>
      <Section title={t('listings.form.terms')}>
        <CheckboxGroup field={fields.transferModes} label={t('listings.label.transferModes')} options={optionsOf(MODE_KEYS, t)} />
        <TextField field={fields.askingPrice} label={t('listings.filter.priceRange')} hint={t('listings.form.priceHint')} inputMode="decimal" optional />
        <TextAreaField
          field={fields.confidentialDetails}
          label={t('listings.label.confidentialDetails')}
          hint={t('listings.form.confidentialDetailsHint')}
          rows={3}
          maxLength={5000}
          optional
        />
      </Section>
      <ContactSection fields={fields} />
    </ListingFormShell>
  )
}
