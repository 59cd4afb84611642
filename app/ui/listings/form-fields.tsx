import { getCollectionProps, getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from '@conform-to/react'
import type { ReactNode } from 'react'
import { useT } from '~/i18n/i18n'
import { FieldErrors } from '~/ui/form'

/** Form controls of the listing forms, wired to Conform: label, hint, field errors in the reader's language. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Meta = FieldMetadata<any, any, string[]>

/** A listing form's values as the browser sends them: text, or repeated values of one name. */
export type FormValues<K extends string> = { [P in K]?: string | string[] | null }

const control =
  'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200 aria-[invalid]:border-red-600'

export function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <legend className="-ml-1 px-1 text-base font-semibold text-slate-900">{title}</legend>
      {aside ? <p className="mb-4 text-sm text-slate-500">{aside}</p> : null}
      <div className="grid gap-x-6 sm:grid-cols-2">{children}</div>
    </fieldset>
  )
}

function Label({ htmlFor, label, optional }: { htmlFor: string; label: string; optional?: boolean }) {
  const t = useT()
  return (
    <label htmlFor={htmlFor} className="mb-1 block text-sm font-medium text-slate-700">
      {label}
      {optional ? <span className="ml-2 text-xs font-normal text-slate-500">{t('listings.form.optional')}</span> : null}
    </label>
  )
}

function Hint({ id, children }: { id: string; children?: ReactNode }) {
  return children ? (
    <p id={id} className="mt-1 text-xs text-slate-500">
      {children}
    </p>
  ) : null
}

function describedBy(field: Meta, hint: unknown) {
  return [hint ? field.descriptionId : null, field.errors?.length ? field.errorId : null].filter(Boolean).join(' ') || undefined
}

interface Common {
  field: Meta
  label: string
  hint?: ReactNode
  optional?: boolean
  /** Spans both columns of the section. */
  wide?: boolean
}

export function TextField({
  field,
  label,
  hint,
  optional,
  wide,
  type = 'text',
  ...rest
}: Common & { type?: 'text' | 'email' | 'tel' | 'date'; inputMode?: 'decimal' | 'text'; maxLength?: number; autoComplete?: string; placeholder?: string }) {
  const { key: _key, ...props } = getInputProps(field, { type, ariaDescribedBy: undefined })
  return (
    <div className={`mb-4 ${wide ? 'sm:col-span-2' : ''}`}>
      <Label htmlFor={field.id} label={label} optional={optional} />
      <input {...props} {...rest} aria-describedby={describedBy(field, hint)} className={control} />
      <Hint id={field.descriptionId}>{hint}</Hint>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}

export function TextAreaField({ field, label, hint, optional, rows = 4, maxLength }: Common & { rows?: number; maxLength?: number }) {
  const { key: _key, ...props } = getTextareaProps(field)
  return (
    <div className="mb-4 sm:col-span-2">
      <Label htmlFor={field.id} label={label} optional={optional} />
      <textarea {...props} rows={rows} maxLength={maxLength} aria-describedby={describedBy(field, hint)} className={control} />
      <Hint id={field.descriptionId}>{hint}</Hint>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}

export function SelectField({
  field,
  label,
  hint,
  optional,
  wide,
  options,
  placeholder,
}: Common & { options: { value: string; label: string }[]; placeholder: string }) {
  const { key: _key, ...props } = getSelectProps(field)
  return (
    <div className={`mb-4 ${wide ? 'sm:col-span-2' : ''}`}>
      <Label htmlFor={field.id} label={label} optional={optional} />
      <select {...props} aria-describedby={describedBy(field, hint)} className={control}>
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Hint id={field.descriptionId}>{hint}</Hint>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}

/** A multiple choice as a group of checkboxes, sent as repeated values of one name. */
export function CheckboxGroup({ field, label, hint, options }: Common & { options: { value: string; label: string }[] }) {
  const labels = new Map(options.map((o) => [o.value, o.label]))
  const boxes = getCollectionProps(field, { type: 'checkbox', options: options.map((o) => o.value) })
  return (
    <fieldset className="mb-4 sm:col-span-2" aria-describedby={describedBy(field, hint)} aria-invalid={field.errors?.length ? true : undefined}>
      <legend className="mb-2 block text-sm font-medium text-slate-700">{label}</legend>
      <div className="flex flex-wrap gap-2">
        {boxes.map(({ key, ...box }) => (
          <label
            key={key ?? box.value}
            className="flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm has-[:checked]:border-sky-600 has-[:checked]:bg-sky-50 has-[:checked]:text-sky-900"
          >
            <input {...box} aria-describedby={undefined} aria-invalid={undefined} className="h-4 w-4 accent-sky-700" />
            {labels.get(box.value)}
          </label>
        ))}
      </div>
      <Hint id={field.descriptionId}>{hint}</Hint>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </fieldset>
  )
}

export function CheckboxField({ field, label, hint }: Common) {
  const { key: _key, ...props } = getInputProps(field, { type: 'checkbox' })
  return (
    <div className="mb-4 sm:col-span-2">
      <label className="flex items-start gap-3 text-sm font-medium text-slate-800">
        <input {...props} aria-describedby={describedBy(field, hint)} className="mt-0.5 h-4 w-4 accent-sky-700" />
        <span>{label}</span>
      </label>
      <Hint id={field.descriptionId}>{hint}</Hint>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  )
}

/** Contact fields, the same on every kind of listing. */
export function ContactSection({ fields }: { fields: Record<'contactName' | 'contactPhone' | 'contactEmail', Meta> }) {
  const t = useT()
  return (
    <Section title={t('listings.form.contact')} aside={t('listings.form.contactHint')}>
      <TextField field={fields.contactName} label={t('listings.label.contactName')} maxLength={100} autoComplete="name" optional />
      <TextField field={fields.contactPhone} label={t('listings.label.contactPhone')} type="tel" autoComplete="tel" optional />
      <TextField field={fields.contactEmail} label={t('listings.label.contactEmail')} type="email" autoComplete="email" optional />
    </Section>
  )
}
