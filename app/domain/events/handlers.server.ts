import { remindStaleListing } from '~/domain/listings/reminders.server'
import { registerOutboxHandler } from './outbox.server'

/** Every outbox topic and what runs it. */
export function registerOutboxHandlers() {
  registerOutboxHandler('listing.stale', remindStaleListing)
}
