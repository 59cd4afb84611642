/**
 * On a phone, a panel folded away behind a toggle (filters, so that the results come first).
 * A checkbox and its label, so that it works without JavaScript and does not flash open while
 * the page hydrates. Put the panel right after it and give it `hidden peer-checked:block lg:block`;
 * from `lg` up the toggle is hidden and the panel always shown.
 */
export function FoldToggle({ id, label, note, className = '' }: { id: string; label: string; note?: string | null; className?: string }) {
  return (
    <>
      <input type="checkbox" id={id} className="peer sr-only" />
      <label
        htmlFor={id}
        className={`flex cursor-pointer items-center justify-between rounded-md border border-slate-300 bg-white font-medium peer-focus-visible:ring-2 peer-focus-visible:ring-sky-300 lg:hidden ${className}`}
      >
        <span>
          {label}
          {note ? <span className="ml-2 font-normal text-sky-700">{note}</span> : null}
        </span>
        <span aria-hidden="true">▾</span>
      </label>
    </>
  )
}
