import type { ChecklistItem } from '~/domain/contracts/checklist'
import { useT } from '~/i18n/i18n'
import { CHECKLIST_LABEL_KEYS } from './labels'

/** The registration checklist: ✓ for a check that holds, ✗ for one that fails, ! for a note. */
export function Checklist({ items, compact = false }: { items: ChecklistItem[]; compact?: boolean }) {
  const t = useT()
  return (
    <ul className={compact ? 'flex flex-wrap gap-x-4 gap-y-1 text-xs' : 'space-y-1.5 text-sm'} data-testid="checklist">
      {items.map((i) => {
        const mark = i.ok ? '✓' : i.required ? '✗' : '!'
        const tone = i.ok ? 'text-emerald-700' : i.required ? 'text-red-700' : 'text-amber-700'
        const state = i.ok ? 'registration.check.ok' : i.required ? 'registration.check.failed' : 'registration.check.note'
        return (
          <li key={i.key} data-check={i.key} data-ok={i.ok} className="flex items-start gap-2">
            <span aria-hidden="true" className={`w-4 shrink-0 text-center font-bold ${tone}`}>
              {mark}
            </span>
            <span className={i.ok ? 'text-slate-700' : tone}>
              {t(CHECKLIST_LABEL_KEYS[i.key])}
              <span className="sr-only">（{t(state)}）</span>
            </span>
          </li>
        )
      })}
    </ul>
  )
}
