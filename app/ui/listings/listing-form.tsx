import type { SubmissionResult } from '@conform-to/react'
import type { ListingKind } from '~/domain/listings/kinds'
import { AchievementForm } from './achievement-form'
import { DemandForm } from './demand-form'
import type { ListingFormContext } from './form-shell'
import type { FormValues } from './form-fields'
import { ScenarioForm } from './scenario-form'

/** The form of a kind of listing, the same for creating and editing. */
export function ListingForm({
  kind,
  lastResult,
  defaultValue,
  context,
  batches = [],
}: {
  kind: ListingKind
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: FormValues<string>
  context: ListingFormContext
  batches?: { id: string; number: string; title: string }[]
}) {
  if (kind === 'achievement') return <AchievementForm lastResult={lastResult} defaultValue={defaultValue} context={context} />
  if (kind === 'demand') return <DemandForm lastResult={lastResult} defaultValue={defaultValue} context={context} />
  return <ScenarioForm lastResult={lastResult} defaultValue={defaultValue} context={context} batches={batches} />
}
