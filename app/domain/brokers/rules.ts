import type { Prisma } from '~/generated/prisma/client'
import type { BrokerGrade, Industry, ListingStatus, TechField } from '~/generated/prisma/enums'
import { regionPrefix } from './schemas'

/** The broker workspace's rules that need no database: profile states, specialties, mined demands. */

export type ProfileState = 'pending' | 'verified' | 'refused'

export function profileState(p: { verified: boolean; verifiedAt: Date | null }): ProfileState {
  if (p.verified) return 'verified'
  return p.verifiedAt ? 'refused' : 'pending'
}

/** Whether saving `next` over `before` sends the profile back to the bureau. */
export function needsReverification(
  before: { verified: boolean; verifiedAt: Date | null; grade: BrokerGrade; certificateNo: string | null },
  next: { grade: BrokerGrade; certificateNo: string | null },
): boolean {
  const state = profileState(before)
  if (state === 'refused') return true
  if (state === 'pending') return false
  return before.grade !== next.grade || (before.certificateNo ?? null) !== next.certificateNo
}

export function isPublicProfile(p: { verified: boolean; listed: boolean }) {
  return p.verified && p.listed
}

/** The part of a broker's profile that says which demands fit them. */
export interface Specialties {
  fields: TechField[]
  industries: Industry[]
  regionCodes: string[]
}

/**
 * Demands fitting a broker's specialties: the field or the industry is one of theirs (either
 * is enough: they describe one expertise from two sides), and the enterprise lies in one of
 * the regions they serve. An empty list does not narrow; null when nothing narrows.
 */
export function specialtyWhere(s: Specialties): Prisma.DemandWhereInput | null {
  const and: Prisma.DemandWhereInput[] = []
  const topic: Prisma.DemandWhereInput[] = []
  if (s.fields.length) topic.push({ field: { in: s.fields } })
  if (s.industries.length) topic.push({ industry: { in: s.industries } })
  if (topic.length) and.push({ OR: topic })
  if (s.regionCodes.length) and.push({ OR: s.regionCodes.map((c) => ({ org: { regionCode: { startsWith: regionPrefix(c) } } })) })
  return and.length ? { AND: and } : null
}

/** A mined demand nobody at the enterprise has confirmed yet. */
export function awaitingConfirmation(row: { minedById: string | null; confirmedAt: Date | null; status: ListingStatus }) {
  return !!row.minedById && !row.confirmedAt && row.status === 'DRAFT'
}
