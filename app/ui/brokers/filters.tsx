import type { ReactNode } from 'react'

/** Controls of the brokers' filter forms (directory, claims): one look, one markup. */
export const filterControl =
  'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200'

export function Labelled({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
    </div>
  )
}

/** A select whose first option (`any`) means no filter; it follows the URL when the page reloads. */
export function Choice({ id, name, label, value, any, options }: { id: string; name: string; label: string; value?: string; any: string; options: { value: string; label: string }[] }) {
  return (
    <Labelled id={id} label={label}>
      <select id={id} name={name} defaultValue={value ?? ''} key={value ?? ''} className={filterControl}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Labelled>
  )
}
