import type { ContractStatus, DealStage } from '~/generated/prisma/enums'

/** The stages in pipeline order (the board's columns). */
export const DEAL_STAGES = ['LEAD', 'SHORTLISTED', 'INTRODUCED', 'NDA', 'DUE_DILIGENCE', 'NEGOTIATING', 'CONTRACT', 'WON', 'LOST'] as const satisfies readonly DealStage[]

export const OPEN_STAGES = ['LEAD', 'SHORTLISTED', 'INTRODUCED', 'NDA', 'DUE_DILIGENCE', 'NEGOTIATING', 'CONTRACT'] as const satisfies readonly DealStage[]

/** Message keys of the stages, written out for the catalogue test. */
export const STAGE_KEYS: Record<DealStage, string> = {
  LEAD: 'deal.stage.LEAD',
  SHORTLISTED: 'deal.stage.SHORTLISTED',
  INTRODUCED: 'deal.stage.INTRODUCED',
  NDA: 'deal.stage.NDA',
  DUE_DILIGENCE: 'deal.stage.DUE_DILIGENCE',
  NEGOTIATING: 'deal.stage.NEGOTIATING',
  CONTRACT: 'deal.stage.CONTRACT',
  WON: 'deal.stage.WON',
  LOST: 'deal.stage.LOST',
}

export function isOpenStage(stage: DealStage) {
  return stage !== 'WON' && stage !== 'LOST'
}

/**
 * The moves a broker may make by hand, besides LOST (from any open stage, with a reason) and WON
 * (from CONTRACT, once the contract is signed). Before the introduction the pipeline goes step
 * by step; after it a deal may skip ahead (not every deal needs an NDA or due diligence, a
 * technical service may go straight to a contract). One step back is allowed where a later step
 * can fall through: an introduction declined, diligence reopened, a draft contract abandoned.
 */
const MOVES: Record<DealStage, readonly DealStage[]> = {
  LEAD: ['SHORTLISTED'],
  SHORTLISTED: ['LEAD', 'INTRODUCED'],
  INTRODUCED: ['SHORTLISTED', 'NDA', 'DUE_DILIGENCE', 'NEGOTIATING', 'CONTRACT'],
  NDA: ['INTRODUCED', 'DUE_DILIGENCE', 'NEGOTIATING', 'CONTRACT'],
  DUE_DILIGENCE: ['NDA', 'NEGOTIATING', 'CONTRACT'],
  NEGOTIATING: ['DUE_DILIGENCE', 'CONTRACT'],
  CONTRACT: ['NEGOTIATING'],
  WON: [],
  LOST: [],
}

/** The state of the contract linked to a deal, as the stage rules see it. */
export type LinkedContract = 'none' | 'draft' | 'signed' | 'terminated'

/** A linked contract's state from its status and signing time. */
export function contractState(c: { status: ContractStatus; signedAt: Date | null } | null | undefined): LinkedContract {
  if (!c) return 'none'
  if (c.status === 'TERMINATED') return 'terminated'
  return c.signedAt ? 'signed' : 'draft'
}

/** What the deal looks like to the transition rules. */
export interface StageFacts {
  /** Candidates that are not dropped. */
  activeCandidates: number
  /** Candidates introduced and not dropped. */
  introducedCandidates: number
  /** The linked contract: none, being drafted or confirmed, signed (or later), or terminated. */
  contract: LinkedContract
}

/** Why a move is refused: a catalogue key. */
export type StageRefusal =
  | 'err.deal.stageClosed'
  | 'err.deal.stageNotAllowed'
  | 'err.deal.needsCandidate'
  | 'err.deal.needsIntroduction'
  | 'err.deal.needsContract'
  | 'err.deal.contractNotSigned'
  | 'err.deal.contractSigned'
  | 'err.deal.lostReasonRequired'
  | 'err.deal.sameStage'

/**
 * Checks a stage move: null when allowed, else why not. `reason` is the lost reason (required
 * when moving to LOST).
 */
export function checkTransition(from: DealStage, to: DealStage, facts: StageFacts, reason?: string | null): StageRefusal | null {
  if (!isOpenStage(from)) return 'err.deal.stageClosed'
  if (from === to) return 'err.deal.sameStage'
  if (to === 'LOST') return reason && reason.trim() ? null : 'err.deal.lostReasonRequired'
  if (to === 'WON') {
    if (from !== 'CONTRACT') return 'err.deal.stageNotAllowed'
    return facts.contract === 'signed' ? null : 'err.deal.contractNotSigned'
  }
  if (!MOVES[from].includes(to)) return 'err.deal.stageNotAllowed'
  // A signed contract is not undone by moving the deal back: it is won, or lost.
  if (from === 'CONTRACT' && facts.contract === 'signed') return 'err.deal.contractSigned'
  return requirementsOf(to, facts)
}

/** What a stage needs of the deal, whichever way the deal arrives there. */
function requirementsOf(stage: DealStage, facts: StageFacts): StageRefusal | null {
  switch (stage) {
    case 'SHORTLISTED':
      return facts.activeCandidates > 0 ? null : 'err.deal.needsCandidate'
    case 'CONTRACT':
      if (facts.introducedCandidates === 0) return 'err.deal.needsIntroduction'
      return facts.contract === 'draft' || facts.contract === 'signed' ? null : 'err.deal.needsContract'
    case 'INTRODUCED':
    case 'NDA':
    case 'DUE_DILIGENCE':
    case 'NEGOTIATING':
      return facts.introducedCandidates > 0 ? null : 'err.deal.needsIntroduction'
    default:
      return null
  }
}

/** The stages a deal may move to from here by hand, LOST included for open deals. */
export function nextStages(from: DealStage, facts: StageFacts): DealStage[] {
  if (!isOpenStage(from)) return []
  const out: DealStage[] = DEAL_STAGES.filter((to) => to !== 'LOST' && checkTransition(from, to, facts) === null)
  out.push('LOST')
  return out
}

/**
 * Whether a contract may be drafted from the deal now: the deal would then move to CONTRACT,
 * so it must be at a stage from which CONTRACT is a move, with an introduced candidate and no
 * live contract yet. Also true at CONTRACT when the linked contract was terminated.
 */
export function mayDraftContract(from: DealStage, facts: StageFacts): boolean {
  if (!isOpenStage(from) || facts.introducedCandidates === 0) return false
  if (facts.contract === 'draft' || facts.contract === 'signed') return false
  return from === 'CONTRACT' || MOVES[from].includes('CONTRACT')
}

/** The stage's position in the pipeline, for "forward" / "back" labels. */
export function isForward(from: DealStage, to: DealStage) {
  return DEAL_STAGES.indexOf(to) > DEAL_STAGES.indexOf(from)
}

/** Days after signing at which follow-up visits (回访) are scheduled. */
export const FOLLOW_UP_DAYS = [30, 90] as const

/** A day (UTC midnight, the way @db.Date columns come back) `days` after `from`'s China day. */
export function followUpDates(signedAt: Date): Date[] {
  const day = chinaDay(signedAt)
  return FOLLOW_UP_DAYS.map((d) => new Date(day.getTime() + d * 86_400_000))
}

/** The calendar day in China (UTC+8, no daylight saving) of an instant, as UTC midnight. */
export function chinaDay(at: Date): Date {
  const shifted = new Date(at.getTime() + 8 * 3_600_000)
  return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()))
}

/** Whether a next step due on `due` (a date column) is overdue at `now`: its day has passed in China. */
export function isOverdue(due: Date | string | null | undefined, now: Date = new Date()) {
  if (!due) return false
  const d = typeof due === 'string' ? new Date(due) : due
  return d.getTime() < chinaDay(now).getTime()
}
