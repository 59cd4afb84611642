import type { DealStage } from '~/generated/prisma/enums'
import type { Translate } from '~/i18n/i18n'
import { STAGE_KEYS } from './stages'

/**
 * The text of a deal's events on its timeline, in the reader's language. The event types are
 * those of events.server.ts and nda.server.ts; an unknown type still reads as an event. (Kept
 * out of the pages: the types look like message keys to the catalogue check, which would then
 * look for them; timeline-text.test.ts checks these keys instead.)
 */
export const EVENT_KEYS: Record<string, string> = {
  'deal.created': 'conv.event.deal.created',
  'deal.stage': 'conv.event.deal.stage',
  'deal.won': 'conv.event.deal.won',
  'deal.lost': 'conv.event.deal.lost',
  'deal.nextStep': 'conv.event.deal.nextStep',
  'deal.owner': 'conv.event.deal.owner',
  'candidate.added': 'conv.event.candidate.added',
  'candidate.restored': 'conv.event.candidate.restored',
  'candidate.shortlisted': 'conv.event.candidate.shortlisted',
  'candidate.unshortlisted': 'conv.event.candidate.unshortlisted',
  'candidate.dropped': 'conv.event.candidate.dropped',
  'candidate.introduced': 'conv.event.candidate.introduced',
  'member.assist': 'conv.event.member.assist',
  'member.removed': 'conv.event.member.removed',
  'member.bureau': 'conv.event.member.bureau',
  'contract.linked': 'conv.event.contract.linked',
  'contract.signed': 'conv.event.contract.signed',
  'followup.scheduled': 'conv.event.followup.scheduled',
  'followup.done': 'conv.event.followup.done',
  'nda.sent': 'conv.event.nda.sent',
  'nda.accepted': 'conv.event.nda.accepted',
  'nda.effective': 'conv.event.nda.effective',
}

export const OTHER_EVENT_KEY = 'conv.event.other'

export const PARTY_KEYS: Record<string, string> = { BUYER: 'conv.party.BUYER', SELLER: 'conv.party.SELLER' }

const text = (v: unknown) => (Array.isArray(v) ? v.map(String).join('、') : v === null || v === undefined ? '' : String(v))

/** An event's parameters in the reader's language: stage codes and sides by name. */
function eventParams(t: Translate, params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(params)) {
    if ((key === 'from' || key === 'to') && typeof value === 'string' && value in STAGE_KEYS) out[key] = t(STAGE_KEYS[value as DealStage])
    else if (key === 'party' && typeof value === 'string' && value in PARTY_KEYS) out[key] = t(PARTY_KEYS[value]!)
    else out[key] = text(value)
  }
  return out
}

export function eventText(t: Translate, event: string, params: Record<string, unknown>) {
  const key = EVENT_KEYS[event]
  return key ? t(key, eventParams(t, params)) : t(OTHER_EVENT_KEY, { type: event })
}
