import type { ComponentProps, ReactNode } from 'react'
import { useT } from '~/i18n/i18n'

/** Field errors arrive as message keys (see app/domain/validation/fields.ts). */
export function FieldErrors({ id, errors }: { id?: string; errors?: string[] | null }) {
  const t = useT()
  if (!errors?.length) return null
  return (
    <ul id={id} className="mt-1 text-sm text-red-700" role="alert">
      {errors.map((e) => (
        <li key={e}>{t(e)}</li>
      ))}
    </ul>
  )
}

export function Field({
  label,
  hint,
  errors,
  inputProps,
}: {
  label: ReactNode
  hint?: ReactNode
  errors?: string[] | null
  inputProps: ComponentProps<'input'> & { id: string }
}) {
  const errorId = errors?.length ? `${inputProps.id}-error` : undefined
  return (
    <div className="mb-4">
      <label htmlFor={inputProps.id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        {...inputProps}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        className="w-full rounded-md border border-slate-300 px-3 py-2 text-base shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200 aria-[invalid]:border-red-600"
      />
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  )
}

export function SelectField({
  label,
  errors,
  selectProps,
  children,
}: {
  label: ReactNode
  errors?: string[] | null
  selectProps: ComponentProps<'select'> & { id: string }
  children: ReactNode
}) {
  const errorId = errors?.length ? `${selectProps.id}-error` : undefined
  return (
    <div className="mb-4">
      <label htmlFor={selectProps.id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        {...selectProps}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200 aria-[invalid]:border-red-600"
      >
        {children}
      </select>
      <FieldErrors id={errorId} errors={errors} />
    </div>
  )
}

export function FormError({ message, params }: { message?: string | null; params?: Record<string, string | number> | null }) {
  const t = useT()
  if (!message) return null
  return (
    <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {t(message, params ?? undefined)}
    </p>
  )
}

export function Button({ className = '', variant = 'primary', ...props }: ComponentProps<'button'> & { variant?: 'primary' | 'secondary' | 'danger' }) {
  const styles = {
    primary: 'bg-sky-700 text-white hover:bg-sky-800',
    secondary: 'border border-slate-300 bg-white text-slate-800 hover:bg-slate-50',
    danger: 'border border-red-300 bg-white text-red-700 hover:bg-red-50',
  }[variant]
  return (
    <button
      {...props}
      className={`inline-flex items-center justify-center rounded-md px-4 py-2 text-sm font-medium shadow-sm focus:outline-none focus:ring-2 focus:ring-sky-300 disabled:opacity-60 ${styles} ${className}`}
    />
  )
}
