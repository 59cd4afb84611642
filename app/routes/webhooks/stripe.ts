import { handleStripeWebhook } from '~/domain/payments/stripe-webhook.server'
import type { Route } from './+types/stripe'

export async function action({ request }: Route.ActionArgs) {
  return handleStripeWebhook(await request.text(), request.headers.get('Stripe-Signature'))
}
