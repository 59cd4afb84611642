import type { searchZhCN } from './search.zh-CN'

export const searchEn: Record<keyof typeof searchZhCN, string> = {
  'err.kind': 'Unknown kind',
  'err.priceBucket': 'Unknown price range',
  'err.facet': 'Unknown facet: {name}',
  'err.ambiguousId': 'That id names several listings; use the platform id',
  'match.reason.terms': 'Shared technical points: {terms}',
  'match.reason.synonyms': 'Same thing in other words: {terms}',
  'match.reason.keywords': 'Matching keywords: {keywords}',
  'match.reason.missing': 'Not covered: {terms}',
  'match.reason.field.fit': 'Same technical field ({offer})',
  'match.reason.field.misfit': 'Different field: {offer}, the need is in {need}',
  'match.reason.industry.fit': 'Same industry ({offer})',
  'match.reason.industry.misfit': 'Different industry: {offer}, the need is in {need}',
  'match.reason.trl.fit': 'Readiness TRL {offer} meets the required TRL ≥ {need}',
  'match.reason.trl.misfit': 'Readiness TRL {offer} is below the required TRL {need}',
  'match.reason.price.fit': 'Asking {offer} yuan, within the budget of {need} yuan',
  'match.reason.price.misfit': 'Asking {offer} yuan, above the budget of {need} yuan',
  'match.reason.modes.fit': 'Cooperation modes fit: {modes}',
  'match.reason.modes.misfit': 'Cooperation modes differ: offered {modes}',
}
