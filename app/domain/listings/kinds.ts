/** The three kinds of listing, as they appear in URLs, the API and import commands. */
export const LISTING_KINDS = ['achievement', 'demand', 'scenario'] as const
export type ListingKind = (typeof LISTING_KINDS)[number]

export const KIND_PATHS: Record<ListingKind, string> = {
  achievement: 'achievements',
  demand: 'demands',
  scenario: 'scenarios',
}

export function kindFromPath(path: string): ListingKind | undefined {
  return (Object.keys(KIND_PATHS) as ListingKind[]).find((k) => KIND_PATHS[k] === path)
}

/** Who may create a listing of a kind. */
export const CREATE_PERMISSION = {
  achievement: 'achievement:create',
  demand: 'demand:create',
  scenario: 'scenario:create',
} as const

/** Days after which a published listing that nobody refreshed is marked stale. */
export const STALE_AFTER_DAYS = 180
