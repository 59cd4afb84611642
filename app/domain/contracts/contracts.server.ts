import { Prisma } from '~/generated/prisma/client'
import type { ContractParty, ContractStatus, ContractSubtype, ContractType, RegistrationRules } from '~/generated/prisma/enums'
import { audit } from '~/domain/audit.server'
import { linkContractToDeal, onContractSigned } from '~/domain/deals/contract-link.server'
import { AppError } from '~/domain/errors'
import { todayInChina } from '~/domain/listings/schemas'
import { HOME_DISTRICT } from '~/domain/orgs/regions'
import { authorize, type Actor } from '~/domain/users/accounts.server'
import { can } from '~/domain/users/permissions'
import { msg } from '~/domain/validation/fields'
import { prisma } from '~/infra/db/client.server'
import { checklistPasses, registrationChecklist, type ChecklistContract } from './checklist'
import { subtypeFits } from './classification'
import { isIsoDate, termsProblems, type ContractListQuery, type ContractTerms, type DraftInput, type TermsProblem } from './schemas'
import { normalizeText, termsHash, versionTerms, type PartyTerms, type VersionTerms } from './terms'

type Tx = Prisma.TransactionClient
type Db = Awaited<ReturnType<typeof prisma>>
const ENTITY = 'Contract'

/**
 * Technology contracts (技术合同): drafting, versioned terms, confirmation by both parties,
 * registration by the bureau (认定登记), completion and termination.
 *
 * "Authorised member" of a party: the administrator of that party's organisation (the member
 * who registered it or was made its administrator). Only they draft as the seller, confirm
 * for their side, submit for registration and close a contract; other members read it.
 */

// ─── Who sees and who may act ───────────────────────────────────────────────────────

export function canReadAll(actor: Actor | null | undefined): boolean {
  return !!actor && can(actor.role, 'contract:read-all')
}

/** The contracts an actor may see: their organisation's (as either party) and their own as broker. */
export function contractScope(actor: Actor): Prisma.ContractWhereInput {
  if (canReadAll(actor)) return {}
  const or: Prisma.ContractWhereInput[] = [{ brokerId: actor.id }]
  if (actor.orgId) or.push({ sellerOrgId: actor.orgId }, { buyerOrgId: actor.orgId })
  return { OR: or }
}

/**
 * The only contracts that count toward any total (counts, 成交额, 技术交易额, targets): those
 * the registry registered, still in force or completed. Drafts, contracts awaiting
 * confirmation or registration, refused (未予登记) and terminated contracts never count.
 * Every total in the platform starts from this `where`. Totals by year or month go by
 * `registeredAt`, the registration's calendar date (stored as midnight UTC), and sum
 * `registeredTechAmountFen` (技术交易额 as registered) and `amountFen` (成交额).
 */
export function countableContractWhere(extra?: Prisma.ContractWhereInput): Prisma.ContractWhereInput {
  const base: Prisma.ContractWhereInput = {
    status: { in: ['REGISTERED', 'COMPLETED'] },
    registeredAt: { not: null },
    registeredTechAmountFen: { not: null },
  }
  return extra ? { AND: [base, extra] } : base
}

export function isAuthorisedMember(actor: Actor | null | undefined, orgId: string): boolean {
  return !!actor?.orgId && actor.orgId === orgId && actor.isOrgAdmin
}

type PartiesRow = { sellerOrgId: string; buyerOrgId: string; brokerId: string | null; status: ContractStatus }

/** The party an actor may act for, if they are an authorised member of one. */
export function partyOf(actor: Actor | null | undefined, c: PartiesRow): ContractParty | null {
  if (isAuthorisedMember(actor, c.sellerOrgId)) return 'SELLER'
  if (isAuthorisedMember(actor, c.buyerOrgId)) return 'BUYER'
  return null
}

const EDITABLE: ContractStatus[] = ['DRAFT', 'AWAITING_CONFIRMATION']
const CLOSED: ContractStatus[] = ['COMPLETED', 'TERMINATED']

/** The contract's broker, and either party's authorised member, negotiate the terms. */
export function mayEdit(actor: Actor | null | undefined, c: PartiesRow): boolean {
  return !!actor && ((!!c.brokerId && c.brokerId === actor.id) || partyOf(actor, c) !== null)
}

export type ContractAction = 'edit' | 'send' | 'confirm' | 'submit' | 'register' | 'complete' | 'terminate'

/** What the actor may do with the contract now (the domain functions check again). */
export function contractActions(actor: Actor | null | undefined, c: PartiesRow, confirmedBy: ContractParty[] = []): ContractAction[] {
  if (!actor) return []
  const out: ContractAction[] = []
  const party = partyOf(actor, c)
  if (EDITABLE.includes(c.status) && mayEdit(actor, c)) out.push('edit')
  if (c.status === 'DRAFT' && mayEdit(actor, c)) out.push('send')
  if (c.status === 'AWAITING_CONFIRMATION' && party && !confirmedBy.includes(party)) out.push('confirm')
  if (c.status === 'SIGNED' && party === 'SELLER') out.push('submit')
  if (c.status === 'REGISTRATION_SUBMITTED' && can(actor.role, 'contract:register')) out.push('register')
  if ((c.status === 'REGISTERED' || c.status === 'NOT_REGISTERED') && party) out.push('complete')
  if (!CLOSED.includes(c.status) && (party || (EDITABLE.includes(c.status) && c.brokerId === actor.id))) out.push('terminate')
  return out
}

// ─── Helpers ────────────────────────────────────────────────────────────────────────

const big = (n: number) => BigInt(n)
const day = (d: string | null) => (d ? new Date(`${d}T00:00:00Z`) : null)
const dayText = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null)

function refuseProblems(problems: TermsProblem[]) {
  if (!problems.length) return
  const fields: Record<string, string> = {}
  for (const p of problems) fields[p.path] ??= p.key
  // The first problem is also the form's message, so that a reader without the form sees why.
  throw new AppError('BAD_INPUT', problems.length === 1 ? problems[0]!.key.split('?')[0]! : 'err.invalidForm', {
    fields,
    params: problems.length === 1 ? Object.fromEntries(new URLSearchParams(problems[0]!.key.split('?')[1] ?? '')) : undefined,
  })
}

function badStatus(status: ContractStatus): never {
  throw new AppError('CONFLICT', 'err.contract.badStatus', { params: { status } })
}

const orgParty = { select: { id: true, name: true, creditCode: true, kind: true, regionCode: true, verified: true } } as const

async function loadParties(tx: Tx, sellerOrgId: string, buyerOrgId: string) {
  // One after another: a transaction is one connection, which runs one query at a time.
  const seller = await tx.organization.findUnique({ where: { id: sellerOrgId }, ...orgParty })
  const buyer = await tx.organization.findUnique({ where: { id: buyerOrgId }, ...orgParty })
  const fields: Record<string, string> = {}
  if (!seller) fields.sellerOrgId = 'err.contract.partyUnknown'
  if (!buyer) fields.buyerOrgId = 'err.contract.partyUnknown'
  if (!seller || !buyer) throw new AppError('BAD_INPUT', 'err.invalidForm', { fields })
  return { seller, buyer }
}

const partyTerms = (o: { id: string; name: string; creditCode: string | null }): PartyTerms => ({ orgId: o.id, name: o.name, creditCode: o.creditCode })

async function brokerTerms(tx: Tx, brokerId: string | null): Promise<VersionTerms['broker']> {
  if (!brokerId) return null
  const b = await tx.user.findUnique({ where: { id: brokerId }, select: { id: true, name: true, org: { select: { name: true } } } })
  return b ? { id: b.id, name: b.name, agency: b.org?.name ?? null } : null
}

/** The contract columns that mirror a version's terms. */
export function termsColumns(terms: ContractTerms) {
  return {
    title: terms.title.trim(),
    type: terms.type,
    subtype: terms.subtype,
    exclusivity: terms.exclusivity,
    field: terms.field,
    industry: terms.industry,
    ipType: terms.ipType,
    ipNumbers: terms.ipNumbers,
    amountFen: big(terms.amountFen),
    techAmountFen: big(terms.techAmountFen),
    paymentMethod: terms.paymentMethod,
    royaltyRateBp: terms.royaltyRateBp,
    entryFeeFen: terms.entryFeeFen === null ? null : big(terms.entryFeeFen),
    termStart: day(terms.termStart),
    termEnd: day(terms.termEnd),
  }
}

async function writeVersion(tx: Tx, contractId: string, version: number, vt: VersionTerms, text: string, actorId: string | null, now: Date) {
  const clean = normalizeText(text)
  const hash = termsHash(vt, clean)
  await tx.contractVersion.create({
    data: { contractId, version, terms: JSON.parse(JSON.stringify(vt)) as Prisma.InputJsonValue, termsText: clean, termsHash: hash, createdById: actorId, createdAt: now },
  })
  await tx.milestone.deleteMany({ where: { contractId } })
  if (vt.milestones.length) {
    await tx.milestone.createMany({
      data: vt.milestones.map((m) => ({ contractId, seq: m.seq, title: m.title, dueDate: day(m.dueDate)!, amountFen: big(m.amountFen) })),
    })
  }
  return hash
}

/** KZ-<year>-<6 digits>, the next free number of the year (in China). */
async function nextNumber(tx: Tx, now: Date): Promise<string> {
  const year = todayInChina(now).slice(0, 4)
  const prefix = `KZ-${year}-`
  const last = await tx.contract.findFirst({ where: { number: { startsWith: prefix } }, orderBy: { number: 'desc' }, select: { number: true } })
  const next = (last ? Number(last.number.slice(prefix.length)) : 0) + 1
  if (next > 999_999) throw new AppError('CONFLICT', 'err.contract.numbersExhausted')
  return `${prefix}${String(next).padStart(6, '0')}`
}

function isUniqueViolation(error: unknown, field?: string) {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === 'P2002' &&
    (!field || JSON.stringify(error.meta ?? {}).includes(field))
  )
}

/** Listings the contract came from: they must name the same parties (the achievement the seller's, the need the buyer's). */
async function resolveLinks(tx: Tx, input: DraftInput) {
  let { achievementId = null, demandId = null, scenarioId = null } = input
  const matchId = input.matchId ?? null
  if (matchId) {
    const match = await tx.listingMatch.findUnique({ where: { id: matchId } })
    if (!match) throw new AppError('BAD_INPUT', 'err.contract.matchUnknown')
    const need = match.needKind === 'scenario' ? 'scenario' : 'demand'
    if ((achievementId && achievementId !== match.offerId) || (need === 'demand' ? demandId && demandId !== match.needId : scenarioId && scenarioId !== match.needId)) {
      throw new AppError('BAD_INPUT', 'err.contract.linkMismatch')
    }
    achievementId = match.offerId
    if (need === 'demand') demandId = match.needId
    else scenarioId = match.needId
  }
  if (demandId && scenarioId) throw new AppError('BAD_INPUT', 'err.contract.linkMismatch')
  const achievement = achievementId ? await tx.achievement.findUnique({ where: { id: achievementId }, select: { orgId: true } }) : null
  const demand = demandId ? await tx.demand.findUnique({ where: { id: demandId }, select: { orgId: true } }) : null
  const scenario = scenarioId ? await tx.scenario.findUnique({ where: { id: scenarioId }, select: { orgId: true } }) : null
  if ((achievementId && !achievement) || (demandId && !demand) || (scenarioId && !scenario)) throw new AppError('BAD_INPUT', 'err.contract.linkUnknown')
  if (achievement && achievement.orgId !== input.sellerOrgId) throw new AppError('BAD_INPUT', 'err.contract.linkSeller')
  if ((demand && demand.orgId !== input.buyerOrgId) || (scenario && scenario.orgId !== input.buyerOrgId)) throw new AppError('BAD_INPUT', 'err.contract.linkBuyer')
  return { matchId, achievementId, demandId, scenarioId }
}

// ─── Drafting and negotiating ───────────────────────────────────────────────────────

/**
 * Drafts a contract (version 1, status DRAFT): by the seller's authorised member, or by a
 * broker, who is then recorded with their agency. Optionally from a match, a demand or
 * scenario, and an achievement, which must belong to the parties.
 */
export async function draftContract({ actor, input, ip, now = new Date() }: { actor: Actor; input: DraftInput; ip?: string | null; now?: Date }) {
  authorize(actor, 'contract:draft')
  const broker = actor.role === 'BROKER'
  if (!broker && !isAuthorisedMember(actor, input.sellerOrgId)) throw new AppError('FORBIDDEN', 'err.contract.draftSellerOnly')
  refuseProblems(termsProblems(input))
  if (input.sellerOrgId === input.buyerOrgId) {
    throw new AppError('BAD_INPUT', 'err.contract.sameParty', { fields: { buyerOrgId: 'err.contract.sameParty' } })
  }
  const db = await prisma()
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const { seller, buyer } = await loadParties(tx, input.sellerOrgId, input.buyerOrgId)
        const links = await resolveLinks(tx, input)
        const brokerId = broker ? actor.id : null
        const number = await nextNumber(tx, now)
        const contract = await tx.contract.create({
          data: {
            number,
            ...termsColumns(input),
            sellerOrgId: seller.id,
            buyerOrgId: buyer.id,
            sellerKind: seller.kind,
            sellerRegion: seller.regionCode,
            buyerKind: buyer.kind,
            buyerRegion: buyer.regionCode,
            brokerId,
            brokerOrgId: broker ? actor.orgId : null,
            ...links,
            currentVersion: 1,
            status: 'DRAFT',
            createdById: actor.id,
            createdAt: now,
          },
        })
        const vt = versionTerms(input, { seller: partyTerms(seller), buyer: partyTerms(buyer), broker: await brokerTerms(tx, brokerId) })
        const hash = await writeVersion(tx, contract.id, 1, vt, input.termsText, actor.id, now)
        if (input.dealId) await linkContractToDeal(tx, { actor, dealId: input.dealId, contract, ip, now })
        await audit(tx, {
          actorId: actor.id,
          action: 'contract.draft',
          entityType: ENTITY,
          entityId: contract.id,
          after: { number, status: 'DRAFT', version: 1, termsHash: hash, ...links, amountFen: input.amountFen, techAmountFen: input.techAmountFen },
          ip,
        })
        return contract
      })
    } catch (error) {
      // Two drafts racing for the same number: the loser takes the next one.
      if (attempt < 5 && isUniqueViolation(error, 'number')) continue
      throw error
    }
  }
}

async function findScoped(tx: Tx | Db, actor: Actor, id: string) {
  const c = await tx.contract.findFirst({ where: { AND: [{ id }, contractScope(actor)] } })
  if (!c) throw new AppError('NOT_FOUND', 'err.notFound')
  return c
}

/**
 * New terms: a new version. Any change voids the confirmations given so far (they name the
 * old version), so both parties confirm again. The parties themselves do not change.
 */
export async function updateTerms({ actor, id, input, ip, now = new Date() }: { actor: Actor; id: string; input: ContractTerms; ip?: string | null; now?: Date }) {
  refuseProblems(termsProblems(input))
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const before = await findScoped(tx, actor, id)
    if (!mayEdit(actor, before)) throw new AppError('FORBIDDEN', 'err.contract.notAuthorised')
    if (!EDITABLE.includes(before.status)) throw new AppError('CONFLICT', 'err.contract.notEditable', { params: { status: before.status } })
    const { seller, buyer } = await loadParties(tx, before.sellerOrgId, before.buyerOrgId)
    const vt = versionTerms(input, { seller: partyTerms(seller), buyer: partyTerms(buyer), broker: await brokerTerms(tx, before.brokerId) })
    const current = await tx.contractVersion.findUniqueOrThrow({ where: { contractId_version: { contractId: id, version: before.currentVersion } } })
    if (termsHash(vt, input.termsText) === current.termsHash) return { contract: before, changed: false }
    const version = before.currentVersion + 1
    // Conditional on the version read: a confirmation or another edit in between wins, this one retries.
    const { count } = await tx.contract.updateMany({
      where: { id, currentVersion: before.currentVersion, status: before.status },
      data: { ...termsColumns(input), currentVersion: version, updatedAt: now },
    })
    if (!count) throw new AppError('CONFLICT', 'err.contract.changedMeanwhile')
    const hash = await writeVersion(tx, id, version, vt, input.termsText, actor.id, now)
    const voided = await tx.contractConfirmation.count({ where: { contractId: id, version: before.currentVersion } })
    await audit(tx, {
      actorId: actor.id,
      action: 'contract.update',
      entityType: ENTITY,
      entityId: id,
      before: { version: before.currentVersion, termsHash: current.termsHash, amountFen: before.amountFen, techAmountFen: before.techAmountFen },
      after: { version, termsHash: hash, amountFen: input.amountFen, techAmountFen: input.techAmountFen, voidedConfirmations: voided },
      ip,
    })
    return { contract: await tx.contract.findUniqueOrThrow({ where: { id } }), changed: true }
  })
}

/** DRAFT → AWAITING_CONFIRMATION: the draft goes to both parties to confirm. */
export async function sendForConfirmation({ actor, id, ip, now = new Date() }: { actor: Actor; id: string; ip?: string | null; now?: Date }) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const c = await findScoped(tx, actor, id)
    if (!mayEdit(actor, c)) throw new AppError('FORBIDDEN', 'err.contract.notAuthorised')
    if (c.status !== 'DRAFT') badStatus(c.status)
    await transition(tx, c, 'AWAITING_CONFIRMATION', { updatedAt: now })
    await audit(tx, { actorId: actor.id, action: 'contract.send', entityType: ENTITY, entityId: id, before: { status: c.status }, after: { status: 'AWAITING_CONFIRMATION', version: c.currentVersion }, ip })
    return tx.contract.findUniqueOrThrow({ where: { id } })
  })
}

/** Moves a contract on only if nobody moved it first (the status read is the status changed). */
async function transition(tx: Tx, c: { id: string; status: ContractStatus }, to: ContractStatus, data: Prisma.ContractUpdateManyMutationInput = {}) {
  const { count } = await tx.contract.updateMany({ where: { id: c.id, status: c.status }, data: { ...data, status: to } })
  if (!count) throw new AppError('CONFLICT', 'err.contract.changedMeanwhile')
}

// ─── Signing ────────────────────────────────────────────────────────────────────────

/**
 * An authorised member confirms the exact version for their side: the version and hash they
 * saw must be the current ones (else CONFLICT: the terms changed under them). Name, time,
 * address and hash are stored. The second confirmation signs the contract, and the parties'
 * kind and region are recorded as they are at that moment.
 */
export async function confirmContract({
  actor,
  id,
  version,
  termsHash: hash,
  ip,
  now = new Date(),
}: {
  actor: Actor
  id: string
  version: number
  termsHash: string
  ip?: string | null
  now?: Date
}) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const c = await findScoped(tx, actor, id)
    // Who the actor is now, not what their session remembered.
    const user = await tx.user.findUnique({ where: { id: actor.id }, select: { name: true, orgId: true, isOrgAdmin: true, disabledAt: true } })
    const me = user && !user.disabledAt ? { ...actor, orgId: user.orgId, isOrgAdmin: user.isOrgAdmin } : null
    const party = partyOf(me, c)
    if (!party || !user) throw new AppError('FORBIDDEN', 'err.contract.notAuthorised')
    if (c.status !== 'AWAITING_CONFIRMATION') {
      throw new AppError('CONFLICT', c.status === 'DRAFT' ? 'err.contract.notSent' : 'err.contract.badStatus', { params: { status: c.status } })
    }
    // Locks the row at the version confirmed: an edit committing first makes this one stale.
    const { count } = await tx.contract.updateMany({ where: { id, status: 'AWAITING_CONFIRMATION', currentVersion: version }, data: { updatedAt: now } })
    if (!count) throw new AppError('CONFLICT', 'err.contract.staleVersion')
    const current = await tx.contractVersion.findUniqueOrThrow({ where: { contractId_version: { contractId: id, version } } })
    if (current.termsHash !== hash) throw new AppError('CONFLICT', 'err.contract.staleVersion')
    if (termsHash(current.terms as unknown as VersionTerms, current.termsText) !== current.termsHash) {
      throw new AppError('CONFLICT', 'err.contract.termsTampered')
    }
    const already = await tx.contractConfirmation.findMany({ where: { contractId: id, version }, select: { party: true } })
    if (already.some((a) => a.party === party)) throw new AppError('CONFLICT', 'err.contract.alreadyConfirmed')
    await tx.contractConfirmation.create({
      data: { contractId: id, version, party, orgId: me!.orgId!, userId: actor.id, userName: user.name, ip: ip ?? null, termsHash: hash, confirmedAt: now },
    })
    await audit(tx, { actorId: actor.id, action: 'contract.confirm', entityType: ENTITY, entityId: id, after: { version, party, termsHash: hash }, ip })
    const signed = already.length + 1 === 2
    if (signed) {
      const { seller, buyer } = await loadParties(tx, c.sellerOrgId, c.buyerOrgId)
      await transition(tx, { id, status: 'AWAITING_CONFIRMATION' }, 'SIGNED', {
        signedAt: now,
        sellerKind: seller.kind,
        sellerRegion: seller.regionCode,
        buyerKind: buyer.kind,
        buyerRegion: buyer.regionCode,
      })
      await audit(tx, {
        actorId: actor.id,
        action: 'contract.sign',
        entityType: ENTITY,
        entityId: id,
        before: { status: 'AWAITING_CONFIRMATION' },
        after: { status: 'SIGNED', version, termsHash: hash, sellerKind: seller.kind, sellerRegion: seller.regionCode, buyerKind: buyer.kind, buyerRegion: buyer.regionCode },
        ip,
      })
      await onContractSigned(tx, { contractId: id, number: c.number, signedAt: now, actorId: actor.id })
    }
    return { party, signed, contract: await tx.contract.findUniqueOrThrow({ where: { id } }) }
  })
}

// ─── Registration (认定登记) ────────────────────────────────────────────────────────

/** SIGNED → REGISTRATION_SUBMITTED: the seller's authorised member submits the signed contract. */
export async function submitForRegistration({ actor, id, ip, now = new Date() }: { actor: Actor; id: string; ip?: string | null; now?: Date }) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const c = await findScoped(tx, actor, id)
    if (partyOf(actor, c) !== 'SELLER') throw new AppError('FORBIDDEN', 'err.contract.sellerOnly')
    if (c.status !== 'SIGNED') {
      throw new AppError('CONFLICT', EDITABLE.includes(c.status) ? 'err.contract.notSigned' : 'err.contract.badStatus', { params: { status: c.status } })
    }
    await transition(tx, c, 'REGISTRATION_SUBMITTED', { registrationSubmittedAt: now })
    await audit(tx, { actorId: actor.id, action: 'contract.submit', entityType: ENTITY, entityId: id, before: { status: c.status }, after: { status: 'REGISTRATION_SUBMITTED' }, ip })
    return tx.contract.findUniqueOrThrow({ where: { id } })
  })
}

const checklistInclude = {
  sellerOrg: orgParty,
  buyerOrg: orgParty,
  milestones: { orderBy: { seq: 'asc' } },
  versions: true,
  confirmations: true,
} as const satisfies Prisma.ContractInclude

type ChecklistRow = Prisma.ContractGetPayload<{ include: typeof checklistInclude }>

function checklistInput(c: ChecklistRow): ChecklistContract {
  const current = c.versions.find((v) => v.version === c.currentVersion)
  const intact = !!current && termsHash(current.terms as unknown as VersionTerms, current.termsText) === current.termsHash
  const confirmed = c.confirmations.filter((x) => x.version === c.currentVersion && x.termsHash === current?.termsHash)
  return {
    type: c.type,
    subtype: c.subtype,
    exclusivity: c.exclusivity,
    ipType: c.ipType,
    ipNumbers: c.ipNumbers,
    amountFen: Number(c.amountFen),
    techAmountFen: Number(c.techAmountFen),
    paymentMethod: c.paymentMethod,
    royaltyRateBp: c.royaltyRateBp,
    entryFeeFen: c.entryFeeFen === null ? null : Number(c.entryFeeFen),
    milestones: c.milestones.map((m) => ({ title: m.title, dueDate: dayText(m.dueDate)!, amountFen: Number(m.amountFen) })),
    seller: { verified: c.sellerOrg.verified, regionCode: c.sellerOrg.regionCode },
    buyer: { verified: c.buyerOrg.verified },
    confirmedIntact: intact && (['SELLER', 'BUYER'] as const).every((p) => confirmed.some((x) => x.party === p && x.orgId === (p === 'SELLER' ? c.sellerOrgId : c.buyerOrgId))),
  }
}

/** The bureau's queue: submitted contracts, oldest first, each with its checklist. */
export async function registrationQueue({ actor, take = 100 }: { actor: Actor; take?: number }) {
  authorize(actor, 'contract:register')
  const db = await prisma()
  const rows = await db.contract.findMany({
    where: { status: 'REGISTRATION_SUBMITTED' },
    orderBy: [{ registrationSubmittedAt: 'asc' }, { id: 'asc' }],
    include: { ...checklistInclude, broker: { select: { name: true } } },
    take,
  })
  const total = await db.contract.count({ where: { status: 'REGISTRATION_SUBMITTED' } })
  return { total, items: rows.map((c) => ({ contract: c, checklist: registrationChecklist(checklistInput(c)) })) }
}

/** One submitted contract with its checklist, for the registration form. */
export async function registrationCase({ actor, id }: { actor: Actor; id: string }) {
  authorize(actor, 'contract:register')
  const db = await prisma()
  const c = await db.contract.findUnique({ where: { id }, include: { ...checklistInclude, broker: { select: { name: true } } } })
  if (!c) throw new AppError('NOT_FOUND', 'err.notFound')
  return { contract: c, checklist: registrationChecklist(checklistInput(c)) }
}

export interface RegisterDecision {
  registrationNumber: string
  /** YYYY-MM-DD */
  registeredAt: string
  rules: RegistrationRules
  registeredTechAmountFen: number
  registeredType: ContractType
  registeredSubtype: ContractSubtype
}

/** The next number in the registry's own series: <year>500118<6 digits>, the district's code in the middle. */
export async function suggestRegistrationNumber({ now = new Date() }: { now?: Date } = {}) {
  const prefix = `${todayInChina(now).slice(0, 4)}${HOME_DISTRICT}`
  const db = await prisma()
  const rows = await db.contract.findMany({
    where: { registrationNumber: { startsWith: prefix } },
    select: { registrationNumber: true },
    orderBy: { registrationNumber: 'desc' },
    take: 50,
  })
  const last = rows.map((r) => r.registrationNumber!.slice(prefix.length)).find((rest) => /^\d{6}$/.test(rest))
  return `${prefix}${String((last ? Number(last) : 0) + 1).padStart(6, '0')}`
}

/** Status problems of a registration decision, in words a registry officer understands. */
function requireSubmitted(status: ContractStatus) {
  if (status === 'REGISTRATION_SUBMITTED') return
  if (status === 'DRAFT' || status === 'AWAITING_CONFIRMATION') throw new AppError('CONFLICT', 'err.contract.registerUnsigned')
  if (status === 'SIGNED') throw new AppError('CONFLICT', 'err.contract.notSubmitted')
  if (status === 'REGISTERED' || status === 'NOT_REGISTERED' || status === 'COMPLETED') throw new AppError('CONFLICT', 'err.contract.alreadyDecided')
  badStatus(status)
}

/**
 * Registers a submitted contract: number, date, the rule set it was judged under, the
 * classification as the registry judged it and the registered 技术交易额 (never above the
 * contract amount). Refused when the checklist fails on a required item.
 */
export async function registerContract({ actor, id, input, ip, now = new Date() }: { actor: Actor; id: string; input: RegisterDecision; ip?: string | null; now?: Date }) {
  authorize(actor, 'contract:register')
  const fields: Record<string, string> = {}
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{3,63}$/.test(input.registrationNumber)) fields.registrationNumber = 'err.contract.registrationNumber'
  if (!isIsoDate(input.registeredAt)) fields.registeredAt = 'err.date'
  else if (input.registeredAt > todayInChina(now)) fields.registeredAt = 'err.contract.registeredInFuture'
  else if (input.rules === 'RULES_2026' && input.registeredAt < '2026-01-23') fields.rules = 'err.contract.rulesNotInForce'
  if (!subtypeFits(input.registeredType, input.registeredSubtype)) fields.registeredSubtype = 'err.contract.subtypeMismatch'
  const amount = input.registeredTechAmountFen
  if (!Number.isSafeInteger(amount) || amount <= 0) fields.registeredTechAmount = 'err.contract.amountPositive'
  if (Object.keys(fields).length) throw new AppError('BAD_INPUT', 'err.invalidForm', { fields })
  const db = await prisma()
  try {
    return await db.$transaction(async (tx) => {
      const c = await tx.contract.findUnique({ where: { id }, include: checklistInclude })
      if (!c) throw new AppError('NOT_FOUND', 'err.notFound')
      requireSubmitted(c.status)
      if (big(amount) > c.amountFen) {
        throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { registeredTechAmount: 'err.contract.techAboveAmount' } })
      }
      const submitted = todayInChina(c.registrationSubmittedAt ?? c.signedAt ?? now)
      if (input.registeredAt < submitted) {
        throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { registeredAt: msg('err.contract.registeredBeforeSubmitted', { date: submitted }) } })
      }
      const checklist = registrationChecklist(checklistInput(c), { type: input.registeredType, subtype: input.registeredSubtype })
      if (!checklistPasses(checklist)) {
        throw new AppError('CONFLICT', 'err.contract.checklistFailed', { params: { items: checklist.filter((i) => i.required && !i.ok).map((i) => i.key).join(',') } })
      }
      if (await tx.contract.findUnique({ where: { registrationNumber: input.registrationNumber }, select: { id: true } })) {
        throw new AppError('CONFLICT', 'err.invalidForm', { fields: { registrationNumber: 'err.contract.registrationNumberTaken' } })
      }
      await transition(tx, c, 'REGISTERED', {
        registrationNumber: input.registrationNumber,
        registeredAt: day(input.registeredAt),
        registeredById: actor.id,
        registrationRules: input.rules,
        registeredTechAmountFen: big(amount),
        registeredType: input.registeredType,
        registeredSubtype: input.registeredSubtype,
      })
      await audit(tx, {
        actorId: actor.id,
        action: 'contract.register',
        entityType: ENTITY,
        entityId: id,
        before: { status: c.status, type: c.type, subtype: c.subtype, techAmountFen: c.techAmountFen },
        after: {
          status: 'REGISTERED',
          registrationNumber: input.registrationNumber,
          registeredAt: input.registeredAt,
          rules: input.rules,
          registeredType: input.registeredType,
          registeredSubtype: input.registeredSubtype,
          registeredTechAmountFen: amount,
        },
        ip,
      })
      return tx.contract.findUniqueOrThrow({ where: { id } })
    })
  } catch (error) {
    if (isUniqueViolation(error, 'registrationNumber')) {
      throw new AppError('CONFLICT', 'err.invalidForm', { fields: { registrationNumber: 'err.contract.registrationNumberTaken' } })
    }
    throw error
  }
}

/** Refuses registration (未予登记): the contract is judged not technical; it never counts. */
export async function refuseRegistration({ actor, id, reason, ip, now = new Date() }: { actor: Actor; id: string; reason: string; ip?: string | null; now?: Date }) {
  authorize(actor, 'contract:register')
  const why = reason.trim()
  if (why.length < 2) throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { reason: 'err.contract.reasonRequired' } })
  if (why.length > 1000) throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { reason: msg('err.tooLong', { max: 1000 }) } })
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const c = await tx.contract.findUnique({ where: { id } })
    if (!c) throw new AppError('NOT_FOUND', 'err.notFound')
    requireSubmitted(c.status)
    await transition(tx, c, 'NOT_REGISTERED', { notRegisteredReason: why, updatedAt: now })
    await audit(tx, { actorId: actor.id, action: 'contract.refuse', entityType: ENTITY, entityId: id, before: { status: c.status }, after: { status: 'NOT_REGISTERED', reason: why }, ip })
    return tx.contract.findUniqueOrThrow({ where: { id } })
  })
}

// ─── Closing ────────────────────────────────────────────────────────────────────────

/** Performed: every milestone paid (or cancelled). Either party's authorised member closes it. */
export async function completeContract({ actor, id, ip, now = new Date() }: { actor: Actor; id: string; ip?: string | null; now?: Date }) {
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const c = await findScoped(tx, actor, id)
    if (!partyOf(actor, c)) throw new AppError('FORBIDDEN', 'err.contract.notAuthorised')
    if (c.status !== 'REGISTERED' && c.status !== 'NOT_REGISTERED') badStatus(c.status)
    const open = await tx.milestone.count({ where: { contractId: id, status: { notIn: ['PAID', 'CANCELLED'] } } })
    if (open) throw new AppError('CONFLICT', 'err.contract.milestonesOpen', { params: { count: open } })
    await transition(tx, c, 'COMPLETED', { completedAt: now })
    await audit(tx, { actorId: actor.id, action: 'contract.complete', entityType: ENTITY, entityId: id, before: { status: c.status }, after: { status: 'COMPLETED' }, ip })
    return tx.contract.findUniqueOrThrow({ where: { id } })
  })
}

/**
 * Ends a contract early, with a reason: either party's authorised member at any time before it
 * is closed, the broker while it is still being negotiated. Unpaid milestones are cancelled;
 * a terminated contract never counts, even if it was registered.
 */
export async function terminateContract({ actor, id, reason, ip, now = new Date() }: { actor: Actor; id: string; reason: string; ip?: string | null; now?: Date }) {
  const why = reason.trim()
  if (why.length < 2) throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { reason: 'err.contract.reasonRequired' } })
  if (why.length > 1000) throw new AppError('BAD_INPUT', 'err.invalidForm', { fields: { reason: msg('err.tooLong', { max: 1000 }) } })
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const c = await findScoped(tx, actor, id)
    const broker = !!c.brokerId && c.brokerId === actor.id && EDITABLE.includes(c.status)
    if (!partyOf(actor, c) && !broker) throw new AppError('FORBIDDEN', 'err.contract.notAuthorised')
    if (CLOSED.includes(c.status)) badStatus(c.status)
    await transition(tx, c, 'TERMINATED', { terminatedAt: now, terminationReason: why })
    const cancelled = await tx.milestone.updateMany({ where: { contractId: id, status: 'PENDING' }, data: { status: 'CANCELLED' } })
    await audit(tx, {
      actorId: actor.id,
      action: 'contract.terminate',
      entityType: ENTITY,
      entityId: id,
      before: { status: c.status },
      after: { status: 'TERMINATED', reason: why, cancelledMilestones: cancelled.count },
      ip,
    })
    return tx.contract.findUniqueOrThrow({ where: { id } })
  })
}

// ─── Reading ────────────────────────────────────────────────────────────────────────

const detailInclude = {
  sellerOrg: orgParty,
  buyerOrg: orgParty,
  brokerOrg: { select: { id: true, name: true } },
  broker: { select: { id: true, name: true } },
  versions: { orderBy: { version: 'desc' } },
  confirmations: { orderBy: { confirmedAt: 'asc' } },
  milestones: { orderBy: { seq: 'asc' } },
} as const satisfies Prisma.ContractInclude

/** One contract the actor may see, with its versions, confirmations and milestones. */
export async function getContract({ actor, id }: { actor: Actor; id: string }) {
  const db = await prisma()
  const c = await db.contract.findFirst({ where: { AND: [{ id }, contractScope(actor)] }, include: detailInclude })
  if (!c) throw new AppError('NOT_FOUND', 'err.notFound')
  const current = c.versions.find((v) => v.version === c.currentVersion)!
  const confirmedBy = c.confirmations.filter((x) => x.version === c.currentVersion && x.termsHash === current.termsHash).map((x) => x.party)
  const authors = await db.user.findMany({
    where: { id: { in: [...new Set(c.versions.map((v) => v.createdById).concat(c.registeredById ?? []).filter((x): x is string => !!x))] } },
    select: { id: true, name: true },
  })
  return {
    contract: c,
    current,
    confirmedBy,
    names: Object.fromEntries(authors.map((a) => [a.id, a.name])) as Record<string, string>,
    actions: contractActions(actor, c, confirmedBy),
    checklist: can(actor.role, 'contract:register') ? registrationChecklist(checklistInput(c)) : null,
  }
}

/** The moment a year starts and ends in China (UTC+8). */
function yearRange(year: number) {
  return { gte: new Date(Date.UTC(year - 1, 11, 31, 16)), lt: new Date(Date.UTC(year, 11, 31, 16)) }
}

/** A contract's year: registered in it, else signed in it, else drafted in it. */
function yearWhere(year: number): Prisma.ContractWhereInput {
  const r = yearRange(year)
  // Registration dates are calendar dates (midnight UTC), the others moments.
  const registered = { gte: new Date(Date.UTC(year, 0, 1)), lt: new Date(Date.UTC(year + 1, 0, 1)) }
  return {
    OR: [
      { registeredAt: registered },
      { registeredAt: null, signedAt: r },
      { registeredAt: null, signedAt: null, createdAt: r },
    ],
  }
}

export const CONTRACT_PAGE_SIZE = 20

/** The contracts the actor may see, newest first, filtered by status, year and text. */
export async function listContracts({ actor, query }: { actor: Actor; query: ContractListQuery }) {
  const db = await prisma()
  const and: Prisma.ContractWhereInput[] = [contractScope(actor)]
  if (query.status) and.push({ status: query.status })
  if (query.year) and.push(yearWhere(query.year))
  if (query.q) {
    and.push({
      OR: [
        { number: { contains: query.q, mode: 'insensitive' } },
        { title: { contains: query.q, mode: 'insensitive' } },
        { sellerOrg: { name: { contains: query.q } } },
        { buyerOrg: { name: { contains: query.q } } },
        { registrationNumber: { contains: query.q } },
      ],
    })
  }
  const where = { AND: and }
  const [items, total] = await Promise.all([
    db.contract.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (query.page - 1) * CONTRACT_PAGE_SIZE,
      take: CONTRACT_PAGE_SIZE,
      select: {
        id: true,
        number: true,
        title: true,
        type: true,
        subtype: true,
        status: true,
        amountFen: true,
        techAmountFen: true,
        registeredTechAmountFen: true,
        signedAt: true,
        registeredAt: true,
        createdAt: true,
        sellerOrg: { select: { name: true } },
        buyerOrg: { select: { name: true } },
        broker: { select: { name: true } },
      },
    }),
    db.contract.count({ where }),
  ])
  return { items, total, pages: Math.max(1, Math.ceil(total / CONTRACT_PAGE_SIZE)) }
}

/** Registered totals of a year (registration date), through countableContractWhere. */
export async function registeredTotals({ actor, year }: { actor: Actor; year: number }) {
  const db = await prisma()
  const where = countableContractWhere({ AND: [contractScope(actor), { registeredAt: { gte: new Date(Date.UTC(year, 0, 1)), lt: new Date(Date.UTC(year + 1, 0, 1)) } }] })
  const sum = await db.contract.aggregate({ where, _count: { _all: true }, _sum: { amountFen: true, registeredTechAmountFen: true } })
  return { count: sum._count._all, amountFen: Number(sum._sum.amountFen ?? 0n), techAmountFen: Number(sum._sum.registeredTechAmountFen ?? 0n) }
}

/** Years that have contracts the actor may see, newest first (for the year filter). */
export async function contractYears({ actor }: { actor: Actor }) {
  const db = await prisma()
  const first = await db.contract.findFirst({ where: contractScope(actor), orderBy: { createdAt: 'asc' }, select: { createdAt: true } })
  const from = first ? Number(todayInChina(first.createdAt).slice(0, 4)) : Number(todayInChina().slice(0, 4))
  const to = Number(todayInChina().slice(0, 4))
  return Array.from({ length: Math.max(1, to - from + 1) }, (_, i) => to - i)
}
