import { remindStaleListing } from '~/domain/listings/reminders.server'
import { deliverEmail, emailNotification } from '~/domain/notifications/email.server'
import { recomputeMatches } from '~/domain/matching/stored.server'
import { registerOutboxHandler } from './outbox.server'

/** Every outbox topic and what runs it. */
export function registerOutboxHandlers() {
  registerOutboxHandler('listing.stale', remindStaleListing)
  registerOutboxHandler('email.send', deliverEmail)
  registerOutboxHandler('notification.email', emailNotification)
  registerOutboxHandler('match.recompute', recomputeMatches)
  registerOutboxHandler('search.sync', async (payload) => (await import('~/domain/search/sync.server')).handleSearchSync(payload))
}
