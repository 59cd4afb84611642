import { z } from 'zod'
import { LISTING_KINDS } from '~/domain/listings/kinds'
import { msg, requiredText } from '~/domain/validation/fields'

/** The forms of saved searches: shared by the pages (browser) and the domain. */
export const MAX_SAVED = 100
export const NAME_MAX = 100
export const QUERY_MAX = 4000

export const SavedSearchNameSchema = requiredText(NAME_MAX)
export const SavedSearchIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)

export const SaveSearchSchema = z.object({
  name: SavedSearchNameSchema,
  /** The query string of the search page, with or without its leading `?`. */
  query: z.string().max(QUERY_MAX, { error: msg('err.savedSearch.params') }).default(''),
})
export type SaveSearchInput = z.output<typeof SaveSearchSchema>

export const RenameSchema = z.object({ id: SavedSearchIdSchema, name: SavedSearchNameSchema })
export const WatchSchema = z.object({ kind: z.enum(LISTING_KINDS, { error: msg('err.kind') }), id: SavedSearchIdSchema })
