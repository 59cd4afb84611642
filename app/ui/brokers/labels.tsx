import type { BrokerGrade } from '~/generated/prisma/enums'
import type { ProfileState } from '~/domain/brokers/rules'
import { useT } from '~/i18n/i18n'

/** Message keys written out, so that the catalogue test sees each one. */
export const GRADE_KEYS: Record<BrokerGrade, string> = {
  JUNIOR: 'brokers.grade.JUNIOR',
  INTERMEDIATE: 'brokers.grade.INTERMEDIATE',
  SENIOR: 'brokers.grade.SENIOR',
}

export const STATE_KEYS: Record<ProfileState, string> = {
  pending: 'brokers.state.pending',
  verified: 'brokers.state.verified',
  refused: 'brokers.state.refused',
}

const GRADE_STYLE: Record<BrokerGrade, string> = {
  JUNIOR: 'bg-slate-100 text-slate-700 ring-slate-200',
  INTERMEDIATE: 'bg-sky-50 text-sky-800 ring-sky-200',
  SENIOR: 'bg-violet-50 text-violet-800 ring-violet-200',
}

export function GradeBadge({ grade }: { grade: BrokerGrade }) {
  const t = useT()
  return (
    <span data-grade={grade} className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${GRADE_STYLE[grade]}`}>
      {t(GRADE_KEYS[grade])}
    </span>
  )
}

const STATE_STYLE: Record<ProfileState, string> = {
  pending: 'bg-amber-50 text-amber-800 ring-amber-200',
  verified: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  refused: 'bg-red-50 text-red-800 ring-red-200',
}

export function StateBadge({ state }: { state: ProfileState }) {
  const t = useT()
  return (
    <span data-state={state} className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATE_STYLE[state]}`}>
      {t(STATE_KEYS[state])}
    </span>
  )
}
