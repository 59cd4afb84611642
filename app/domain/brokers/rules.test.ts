import { describe, expect, it } from 'vitest'
import { awaitingConfirmation, isPublicProfile, needsReverification, profileState, specialtyWhere } from './rules'

const at = new Date('2026-03-01T02:00:00Z')

describe('profile states', () => {
  it('follow the bureau decision columns', () => {
    expect(profileState({ verified: false, verifiedAt: null })).toBe('pending')
    expect(profileState({ verified: true, verifiedAt: at })).toBe('verified')
    expect(profileState({ verified: false, verifiedAt: at })).toBe('refused')
  })

  it('are public only when verified and listed', () => {
    expect(isPublicProfile({ verified: true, listed: true })).toBe(true)
    expect(isPublicProfile({ verified: true, listed: false })).toBe(false)
    expect(isPublicProfile({ verified: false, listed: true })).toBe(false)
  })
})

describe('needsReverification', () => {
  const verified = { verified: true, verifiedAt: at, grade: 'INTERMEDIATE' as const, certificateNo: 'CQJJ-1' }
  it('sends a verified profile back when the grade or the certificate changes', () => {
    expect(needsReverification(verified, { grade: 'SENIOR', certificateNo: 'CQJJ-1' })).toBe(true)
    expect(needsReverification(verified, { grade: 'INTERMEDIATE', certificateNo: 'CQJJ-2' })).toBe(true)
    expect(needsReverification(verified, { grade: 'INTERMEDIATE', certificateNo: null })).toBe(true)
  })
  it('keeps it verified when the credentials stay the same', () => {
    expect(needsReverification(verified, { grade: 'INTERMEDIATE', certificateNo: 'CQJJ-1' })).toBe(false)
  })
  it('sends a refused profile back on any save, and leaves a pending one pending', () => {
    expect(needsReverification({ ...verified, verified: false }, { grade: 'INTERMEDIATE', certificateNo: 'CQJJ-1' })).toBe(true)
    expect(needsReverification({ ...verified, verified: false, verifiedAt: null }, { grade: 'SENIOR', certificateNo: 'X' })).toBe(false)
  })
})

describe('specialtyWhere', () => {
  it('matches the field or the industry, within the regions served (as prefixes)', () => {
    expect(specialtyWhere({ fields: ['NEW_MATERIALS'], industries: ['AUTOMOTIVE'], regionCodes: ['500000', '510100', '500118'] })).toEqual({
      AND: [
        { OR: [{ field: { in: ['NEW_MATERIALS'] } }, { industry: { in: ['AUTOMOTIVE'] } }] },
        {
          OR: [
            { org: { regionCode: { startsWith: '50' } } },
            { org: { regionCode: { startsWith: '5101' } } },
            { org: { regionCode: { startsWith: '500118' } } },
          ],
        },
      ],
    })
  })
  it('does not narrow by what the profile leaves empty', () => {
    expect(specialtyWhere({ fields: [], industries: ['AUTOMOTIVE'], regionCodes: [] })).toEqual({ AND: [{ OR: [{ industry: { in: ['AUTOMOTIVE'] } }] }] })
    expect(specialtyWhere({ fields: [], industries: [], regionCodes: [] })).toBeNull()
  })
})

describe('awaitingConfirmation', () => {
  it('is a mined draft nobody confirmed', () => {
    expect(awaitingConfirmation({ minedById: 'b', confirmedAt: null, status: 'DRAFT' })).toBe(true)
    expect(awaitingConfirmation({ minedById: 'b', confirmedAt: at, status: 'DRAFT' })).toBe(false)
    expect(awaitingConfirmation({ minedById: 'b', confirmedAt: null, status: 'ARCHIVED' })).toBe(false)
    expect(awaitingConfirmation({ minedById: null, confirmedAt: null, status: 'DRAFT' })).toBe(false)
  })
})
