import { describe, expect, it } from 'vitest'
import type { DealStage } from '~/generated/prisma/enums'
import {
  chinaDay,
  checkTransition,
  contractState,
  DEAL_STAGES,
  followUpDates,
  isOverdue,
  mayDraftContract,
  nextStages,
  OPEN_STAGES,
  type StageFacts,
} from './stages'

const none: StageFacts = { activeCandidates: 0, introducedCandidates: 0, contract: 'none' }
const shortlisted: StageFacts = { activeCandidates: 2, introducedCandidates: 0, contract: 'none' }
const introduced: StageFacts = { activeCandidates: 2, introducedCandidates: 1, contract: 'none' }
const drafted: StageFacts = { ...introduced, contract: 'draft' }
const signed: StageFacts = { ...introduced, contract: 'signed' }
const terminated: StageFacts = { ...introduced, contract: 'terminated' }

describe('deal stage transitions', () => {
  it('goes step by step before the introduction', () => {
    expect(checkTransition('LEAD', 'SHORTLISTED', shortlisted)).toBeNull()
    expect(checkTransition('LEAD', 'INTRODUCED', introduced)).toBe('err.deal.stageNotAllowed')
    expect(checkTransition('LEAD', 'NEGOTIATING', introduced)).toBe('err.deal.stageNotAllowed')
    expect(checkTransition('SHORTLISTED', 'INTRODUCED', introduced)).toBeNull()
    expect(checkTransition('SHORTLISTED', 'NDA', introduced)).toBe('err.deal.stageNotAllowed')
  })

  it('needs a candidate to shortlist and an introduced candidate for INTRODUCED, NDA and later', () => {
    expect(checkTransition('LEAD', 'SHORTLISTED', none)).toBe('err.deal.needsCandidate')
    expect(checkTransition('SHORTLISTED', 'INTRODUCED', shortlisted)).toBe('err.deal.needsIntroduction')
    expect(checkTransition('INTRODUCED', 'NDA', shortlisted)).toBe('err.deal.needsIntroduction')
    expect(checkTransition('INTRODUCED', 'NDA', introduced)).toBeNull()
    expect(checkTransition('NDA', 'DUE_DILIGENCE', introduced)).toBeNull()
    expect(checkTransition('DUE_DILIGENCE', 'NEGOTIATING', shortlisted)).toBe('err.deal.needsIntroduction')
  })

  it('may skip ahead after the introduction, but never back more than one step', () => {
    expect(checkTransition('INTRODUCED', 'NEGOTIATING', introduced)).toBeNull()
    expect(checkTransition('INTRODUCED', 'DUE_DILIGENCE', introduced)).toBeNull()
    expect(checkTransition('NDA', 'NEGOTIATING', introduced)).toBeNull()
    expect(checkTransition('NEGOTIATING', 'DUE_DILIGENCE', introduced)).toBeNull()
    expect(checkTransition('NEGOTIATING', 'NDA', introduced)).toBe('err.deal.stageNotAllowed')
    expect(checkTransition('NEGOTIATING', 'INTRODUCED', introduced)).toBe('err.deal.stageNotAllowed')
    expect(checkTransition('NDA', 'INTRODUCED', introduced)).toBeNull()
    expect(checkTransition('INTRODUCED', 'SHORTLISTED', introduced)).toBeNull()
    expect(checkTransition('SHORTLISTED', 'LEAD', shortlisted)).toBeNull()
    expect(checkTransition('DUE_DILIGENCE', 'LEAD', introduced)).toBe('err.deal.stageNotAllowed')
  })

  it('reaches CONTRACT only with a live contract, and leaves it back only while unsigned', () => {
    expect(checkTransition('NEGOTIATING', 'CONTRACT', introduced)).toBe('err.deal.needsContract')
    expect(checkTransition('NEGOTIATING', 'CONTRACT', terminated)).toBe('err.deal.needsContract')
    expect(checkTransition('NEGOTIATING', 'CONTRACT', drafted)).toBeNull()
    expect(checkTransition('NEGOTIATING', 'CONTRACT', { ...drafted, introducedCandidates: 0 })).toBe('err.deal.needsIntroduction')
    expect(checkTransition('CONTRACT', 'NEGOTIATING', drafted)).toBeNull()
    expect(checkTransition('CONTRACT', 'NEGOTIATING', terminated)).toBeNull()
    expect(checkTransition('CONTRACT', 'NEGOTIATING', signed)).toBe('err.deal.contractSigned')
  })

  it('is WON only from CONTRACT with the contract signed', () => {
    expect(checkTransition('CONTRACT', 'WON', signed)).toBeNull()
    expect(checkTransition('CONTRACT', 'WON', drafted)).toBe('err.deal.contractNotSigned')
    expect(checkTransition('CONTRACT', 'WON', terminated)).toBe('err.deal.contractNotSigned')
    for (const from of OPEN_STAGES.filter((s) => s !== 'CONTRACT')) expect(checkTransition(from, 'WON', signed), from).toBe('err.deal.stageNotAllowed')
  })

  it('is LOST from any open stage, with a reason that is not blank', () => {
    for (const from of OPEN_STAGES) {
      expect(checkTransition(from, 'LOST', none, '企业暂缓投资'), from).toBeNull()
      expect(checkTransition(from, 'LOST', none), from).toBe('err.deal.lostReasonRequired')
      expect(checkTransition(from, 'LOST', none, '   '), from).toBe('err.deal.lostReasonRequired')
    }
  })

  it('never moves a closed deal, nor to the stage it is at', () => {
    for (const from of ['WON', 'LOST'] as DealStage[]) {
      for (const to of DEAL_STAGES) expect(checkTransition(from, to, signed, 'x'), `${from}→${to}`).toBe('err.deal.stageClosed')
    }
    expect(checkTransition('NDA', 'NDA', introduced)).toBe('err.deal.sameStage')
  })

  it('lists the moves that are allowed now, LOST always for open deals', () => {
    expect(nextStages('LEAD', none)).toEqual(['LOST'])
    expect(nextStages('LEAD', shortlisted)).toEqual(['SHORTLISTED', 'LOST'])
    expect(nextStages('SHORTLISTED', introduced)).toEqual(['LEAD', 'INTRODUCED', 'LOST'])
    expect(nextStages('INTRODUCED', introduced)).toEqual(['SHORTLISTED', 'NDA', 'DUE_DILIGENCE', 'NEGOTIATING', 'LOST'])
    expect(nextStages('NEGOTIATING', drafted)).toEqual(['DUE_DILIGENCE', 'CONTRACT', 'LOST'])
    expect(nextStages('CONTRACT', signed)).toEqual(['WON', 'LOST'])
    expect(nextStages('CONTRACT', drafted)).toEqual(['NEGOTIATING', 'LOST'])
    expect(nextStages('WON', signed)).toEqual([])
    // Every listed move passes the check.
    for (const from of DEAL_STAGES) {
      for (const facts of [none, shortlisted, introduced, drafted, signed, terminated]) {
        for (const to of nextStages(from, facts)) expect(checkTransition(from, to, facts, 'reason'), `${from}→${to}`).toBeNull()
      }
    }
  })

  it('drafts a contract from the introduction on, unless one is live', () => {
    expect(mayDraftContract('SHORTLISTED', introduced)).toBe(false)
    expect(mayDraftContract('INTRODUCED', introduced)).toBe(true)
    expect(mayDraftContract('NEGOTIATING', introduced)).toBe(true)
    expect(mayDraftContract('NEGOTIATING', shortlisted)).toBe(false)
    expect(mayDraftContract('NEGOTIATING', drafted)).toBe(false)
    expect(mayDraftContract('CONTRACT', terminated)).toBe(true)
    expect(mayDraftContract('CONTRACT', signed)).toBe(false)
    expect(mayDraftContract('WON', introduced)).toBe(false)
  })

  it('reads a contract as none, draft, signed or terminated', () => {
    expect(contractState(null)).toBe('none')
    expect(contractState({ status: 'DRAFT', signedAt: null })).toBe('draft')
    expect(contractState({ status: 'AWAITING_CONFIRMATION', signedAt: null })).toBe('draft')
    expect(contractState({ status: 'REGISTERED', signedAt: new Date() })).toBe('signed')
    expect(contractState({ status: 'TERMINATED', signedAt: new Date() })).toBe('terminated')
  })
})

describe('deal dates', () => {
  it('takes the calendar day in China (UTC+8)', () => {
    expect(chinaDay(new Date('2026-03-01T15:59:59Z')).toISOString()).toBe('2026-03-01T00:00:00.000Z')
    expect(chinaDay(new Date('2026-03-01T16:00:00Z')).toISOString()).toBe('2026-03-02T00:00:00.000Z')
  })

  it('calls a next step overdue once its day has passed in China, not on the day itself', () => {
    const due = new Date('2026-03-10T00:00:00Z')
    expect(isOverdue(due, new Date('2026-03-10T15:59:00Z'))).toBe(false) // 23:59 on the 10th in China
    expect(isOverdue(due, new Date('2026-03-10T16:00:00Z'))).toBe(true) // 00:00 on the 11th
    expect(isOverdue('2026-03-10', new Date('2026-03-09T12:00:00Z'))).toBe(false)
    expect(isOverdue(null)).toBe(false)
  })

  it('schedules follow-up visits 30 and 90 days after the signing day', () => {
    expect(followUpDates(new Date('2026-01-31T17:00:00Z')).map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-03-03', '2026-05-02'])
  })
})
