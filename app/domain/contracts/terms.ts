import { createHash } from 'node:crypto'
import type { ContractTerms, MilestoneTerms } from './schemas'

/**
 * A version of a contract as both parties confirm it: the terms, who the parties are, and the
 * text. Its hash is what a confirmation names, so the JSON must be canonical: the same terms
 * always give the same bytes, whatever the order their keys were written in.
 */
export interface PartyTerms {
  orgId: string
  name: string
  creditCode: string | null
}

export interface VersionTerms extends Omit<ContractTerms, 'termsText' | 'milestones'> {
  seller: PartyTerms
  buyer: PartyTerms
  broker: { id: string; name: string; agency: string | null } | null
  milestones: (MilestoneTerms & { seq: number })[]
}

/** JSON with object keys sorted at every depth; undefined members left out, as JSON does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return JSON.stringify(value.toString())
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: not a finite number')
    return JSON.stringify(value)
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** Line endings as a browser's form sends them (CRLF) or not: the text a party reads is the same. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim()
}

/** sha256 (hex) of the canonical terms and the text: what a confirmation names. */
export function termsHash(terms: VersionTerms, text: string): string {
  return createHash('sha256').update(canonicalJson({ terms, text: normalizeText(text) }), 'utf8').digest('hex')
}

/** Milestones in the order they fall due (the order entered, for equal dates), numbered from 1. */
export function orderMilestones(milestones: MilestoneTerms[]): (MilestoneTerms & { seq: number })[] {
  return milestones
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.dueDate < b.m.dueDate ? -1 : a.m.dueDate > b.m.dueDate ? 1 : a.i - b.i))
    .map(({ m }, i) => ({ seq: i + 1, title: m.title.trim(), dueDate: m.dueDate, amountFen: m.amountFen }))
}

/** The version's terms from the contract's terms and its parties. */
export function versionTerms(
  terms: ContractTerms,
  parties: { seller: PartyTerms; buyer: PartyTerms; broker: VersionTerms['broker'] },
): VersionTerms {
  // Named one by one: a caller's object may carry more (the parties' ids, links) than the terms.
  return {
    title: terms.title.trim(),
    type: terms.type,
    subtype: terms.subtype,
    exclusivity: terms.exclusivity ?? null,
    field: terms.field ?? null,
    industry: terms.industry ?? null,
    ipType: terms.ipType ?? null,
    ipNumbers: [...terms.ipNumbers],
    amountFen: terms.amountFen,
    techAmountFen: terms.techAmountFen,
    paymentMethod: terms.paymentMethod,
    royaltyRateBp: terms.royaltyRateBp ?? null,
    entryFeeFen: terms.entryFeeFen ?? null,
    termStart: terms.termStart ?? null,
    termEnd: terms.termEnd ?? null,
    seller: parties.seller,
    buyer: parties.buyer,
    broker: parties.broker,
    milestones: orderMilestones(terms.milestones),
  }
}
