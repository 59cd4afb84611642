/**
 * Every kind of notification, with the parameters its text uses. The text lives in the
 * catalogues as `notify.<type>` (and `notify.<type>.subject` for e-mail), filled with params.
 */
export const NOTIFICATION_TYPES = {
  /** A new message in a deal: { deal, dealTitle, author } */
  'deal.message': { email: true },
  /** A deal moved to another stage: { deal, dealTitle, stage } (stage is a DealStage) */
  'deal.stage': { email: false },
  /** The party's organisation was introduced in a deal: { deal, dealTitle, broker } */
  'deal.introduced': { email: true },
  /** A broker was added to a deal: { deal, dealTitle } */
  'deal.assigned': { email: true },
  /** The next step of a deal is overdue: { deal, dealTitle, nextStep, due } */
  'deal.overdue': { email: true },
  /** An NDA waits for the party's acceptance: { deal, dealTitle } */
  'nda.requested': { email: true },
  /** Both sides accepted an NDA; details are open: { deal, dealTitle } */
  'nda.effective': { email: true },
  /** A broker recorded a demand for the enterprise, to confirm: { demand, demandTitle, broker } */
  'demand.confirm': { email: true },
  /** The enterprise confirmed a mined demand: { demand, demandTitle } */
  'demand.confirmed': { email: false },
  /** A broker claimed the organisation's demand: { demand, demandTitle, broker } */
  'demand.claimed': { email: false },
  /** The bureau verified the broker's profile: {} */
  'broker.verified': { email: true },
  /** The bureau refused the broker's profile, or withdrew its verification: { reason } */
  'broker.refused': { email: true },
  /** The enterprise declined a demand the broker recorded for it: { demand, demandTitle, reason } */
  'demand.declined': { email: true },
  /** The seller rejected the bank-transfer receipt the buyer uploaded: { contract, contractTitle, milestone, reason } */
  'payment.receiptRejected': { email: true },
  /** A follow-up visit is due: { deal, dealTitle, due } */
  'followup.due': { email: true },
  /** New listings match a saved search or join a watched match list: { search, name, count, title } (title: the first new listing's) */
  'search.alert': { email: true },
} as const satisfies Record<string, { email: boolean }>

export type NotificationType = keyof typeof NOTIFICATION_TYPES

export function isNotificationType(value: unknown): value is NotificationType {
  return typeof value === 'string' && Object.hasOwn(NOTIFICATION_TYPES, value)
}
