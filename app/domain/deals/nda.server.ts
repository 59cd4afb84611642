import { z } from 'zod'
import { Prisma, type PrismaClient } from '~/generated/prisma/client'
import type { ContractParty, DealStage } from '~/generated/prisma/enums'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import { notify } from '~/domain/notifications/notify.server'
import { authorize, type Actor } from '~/domain/users/accounts.server'
import { msg, requiredText } from '~/domain/validation/fields'
import { prisma } from '~/infra/db/client.server'
import { isBrokerStanding, requireDealAccess, type DealAccessRow, type DealStanding } from './access.server'
import { orgMemberIds } from './events.server'
import { chineseDate, DEFAULT_NDA_TEMPLATE, ndaTextHash, renderNda, templateProblems } from './nda-template'
import { isOpenStage } from './stages'

type Db = Prisma.TransactionClient | PrismaClient
type Tx = Prisma.TransactionClient

/**
 * NDAs (保密协议) in a deal: one per introduced seller organisation, between it and the buyer.
 *
 * - The bureau keeps the standard text as numbered template versions (`nda:template`); a new
 *   version is a new row, older ones stay as the NDAs sent with them.
 * - From INTRODUCED on, a broker of the deal (lead or assist) sends the NDA for one introduced
 *   seller: the current template filled in, stored with its sha256.
 * - Each side accepts in the app: an authorised member — the organisation's administrator, or
 *   the person who posted the listing in the deal (the buyer's demand, one of the seller's
 *   achievements). Their name, the time, the client address and the hash of the text they saw
 *   are stored; a hash that no longer matches the text is refused.
 * - When both sides have accepted, the NDA takes effect: the buyer's organisation may see the
 *   confidential details of the seller's achievements in the deal, the seller's those of the
 *   deal's demand (ConfidentialGrant rows; see disclosure.server.ts).
 *
 * DealEvent types written here (public, each about one seller, so carrying `sellerOrgId`):
 * - nda.sent      { ndaId, sellerOrgId, sellerOrgName, version }
 * - nda.accepted  { ndaId, sellerOrgId, sellerOrgName, party, name, orgName }
 * - nda.effective { ndaId, sellerOrgId, sellerOrgName }
 */

const ENTITY = 'Nda'

/** Stages at which NDAs are sent and accepted: after an introduction, before the deal closes. */
export const NDA_STAGES: readonly DealStage[] = ['INTRODUCED', 'NDA', 'DUE_DILIGENCE', 'NEGOTIATING', 'CONTRACT']

function isUniqueViolation(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
}

// ─── Templates ──────────────────────────────────────────────────────────────────────

/** Writes version 1 of the standard text when there is no template yet; safe to call any time. */
export async function ensureNdaTemplate(db?: Db) {
  const client = db ?? (await prisma())
  if (await client.ndaTemplate.count()) return
  await client.ndaTemplate.createMany({ data: [{ version: 1, title: DEFAULT_NDA_TEMPLATE.title, body: DEFAULT_NDA_TEMPLATE.body }], skipDuplicates: true })
}

async function currentTemplate(db: Db) {
  await ensureNdaTemplate(db)
  return db.ndaTemplate.findFirstOrThrow({ orderBy: { version: 'desc' } })
}

export const NdaTemplateSchema = z
  .object({
    title: requiredText(200, 2),
    body: requiredText(20_000, 50),
  })
  .superRefine((v, ctx) => {
    const problems = templateProblems(v.body)
    if (problems.unknown.length) ctx.addIssue({ code: 'custom', path: ['body'], message: msg('err.nda.unknownVariables', { names: problems.unknown.map((n) => `{{${n}}}`).join('、') }) })
    else if (problems.missing.length) ctx.addIssue({ code: 'custom', path: ['body'], message: msg('err.nda.missingParties') })
    else if (problems.strayBraces) ctx.addIssue({ code: 'custom', path: ['body'], message: msg('err.nda.strayBraces') })
  })
export type NdaTemplateInput = z.output<typeof NdaTemplateSchema>

/** Every version, newest first, with how many NDAs were sent with each. */
export async function listNdaTemplates({ actor }: { actor: Actor }) {
  authorize(actor, 'nda:template')
  const db = await prisma()
  await ensureNdaTemplate(db)
  const rows = await db.ndaTemplate.findMany({ orderBy: { version: 'desc' }, include: { _count: { select: { ndas: true } } } })
  const ids = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => !!id))]
  const names = new Map((await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]))
  return rows.map((r) => ({
    version: r.version,
    title: r.title,
    body: r.body,
    createdAt: r.createdAt,
    createdBy: r.createdById ? (names.get(r.createdById) ?? null) : null,
    ndaCount: r._count.ndas,
  }))
}

/** Publishes a new version (the current one from now on); NDAs already sent keep their text. */
export async function publishNdaTemplate({ actor, input, ip, now = new Date() }: { actor: Actor; input: NdaTemplateInput | Record<string, unknown>; ip?: string | null; now?: Date }) {
  authorize(actor, 'nda:template')
  const result = NdaTemplateSchema.safeParse(input)
  if (!result.success) {
    const fields: Record<string, string> = {}
    for (const issue of result.error.issues) fields[String(issue.path[0] ?? 'body')] ??= issue.message
    throw new AppError('BAD_INPUT', 'err.invalidForm', { fields })
  }
  const parsed = result.data
  const db = await prisma()
  try {
    return await db.$transaction(async (tx) => {
      const current = await currentTemplate(tx)
      // The form trims what it sends: compare as it would arrive.
      if (current.title.trim() === parsed.title && current.body.trim() === parsed.body) throw new AppError('CONFLICT', 'err.nda.templateUnchanged')
      const created = await tx.ndaTemplate.create({
        data: { version: current.version + 1, title: parsed.title, body: parsed.body, createdById: actor.id, createdAt: now },
      })
      await audit(tx, { actorId: actor.id, action: 'nda.template.publish', entityType: 'NdaTemplate', entityId: String(created.version), after: { version: created.version, title: created.title }, ip })
      return created
    })
  } catch (error) {
    // Two versions published at once: the second is refused rather than numbered the same.
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'err.nda.templateRace')
    throw error
  }
}

// ─── Who signs ──────────────────────────────────────────────────────────────────────

/** The seller's achievements in the deal (candidates not dropped). */
async function sellerAchievements(db: Db, dealId: string, sellerOrgId: string) {
  const candidates = await db.dealCandidate.findMany({ where: { dealId, sellerOrgId, droppedAt: null }, select: { achievementId: true }, orderBy: { createdAt: 'asc' } })
  return db.achievement.findMany({ where: { id: { in: candidates.map((c) => c.achievementId) } }, select: { id: true, title: true, createdById: true } })
}

/**
 * The people who may accept for a side: the organisation's administrators, and whoever posted
 * the side's listing in the deal (the demand for the buyer, an achievement for the seller).
 */
async function signatoryIds(db: Db, deal: { id: string; buyerOrgId: string }, party: ContractParty, sellerOrgId: string): Promise<string[]> {
  const orgId = party === 'BUYER' ? deal.buyerOrgId : sellerOrgId
  let creators: string[]
  if (party === 'BUYER') {
    const d = await db.deal.findUniqueOrThrow({ where: { id: deal.id }, select: { demand: { select: { createdById: true } } } })
    creators = d.demand?.createdById ? [d.demand.createdById] : []
  } else {
    creators = (await sellerAchievements(db, deal.id, sellerOrgId)).flatMap((a) => (a.createdById ? [a.createdById] : []))
  }
  const users = await db.user.findMany({
    where: { orgId, disabledAt: null, OR: [{ isOrgAdmin: true }, { id: { in: creators } }] },
    select: { id: true },
  })
  return users.map((u) => u.id)
}

function partyOf(actor: Actor, deal: { buyerOrgId: string }, nda: { sellerOrgId: string }): ContractParty | null {
  if (!actor.orgId) return null
  if (actor.orgId === deal.buyerOrgId) return 'BUYER'
  if (actor.orgId === nda.sellerOrgId) return 'SELLER'
  return null
}

async function dealEventRow(tx: Tx, e: { dealId: string; actorId: string; type: 'nda.sent' | 'nda.accepted' | 'nda.effective'; params: Record<string, string | number>; at: Date }) {
  await tx.dealEvent.create({ data: { dealId: e.dealId, actorId: e.actorId, type: e.type, params: e.params, internal: false, createdAt: e.at } })
}

async function lockDeal(tx: Tx, dealId: string) {
  await tx.$queryRaw`SELECT id FROM "Deal" WHERE id = ${dealId} FOR UPDATE`
}

// ─── Sending ────────────────────────────────────────────────────────────────────────

export const SendNdaSchema = z.object({ sellerOrgId: z.string({ error: msg('err.nda.sellerRequired') }).regex(/^[A-Za-z0-9_-]{1,64}$/, { error: msg('err.nda.sellerRequired') }) })

/** A broker of the deal sends the NDA for one introduced seller; both sides' signatories are told. */
export async function sendNda({
  actor,
  dealId,
  sellerOrgId,
  ip,
  now = new Date(),
}: {
  actor: Actor
  dealId: string
  sellerOrgId: string
  ip?: string | null
  now?: Date
}) {
  const db = await prisma()
  await ensureNdaTemplate(db)
  try {
    return await db.$transaction(async (tx) => {
      await lockDeal(tx, dealId)
      const { deal, standing } = await requireDealAccess(tx, actor, dealId)
      if (!isBrokerStanding(standing)) throw new AppError('FORBIDDEN', 'err.nda.brokersOnly')
      if (!NDA_STAGES.includes(deal.stage)) throw new AppError('CONFLICT', 'err.nda.stage', { params: { stage: deal.stage } })
      if (!deal.candidates.some((c) => c.sellerOrgId === sellerOrgId && c.introducedAt && !c.droppedAt)) {
        throw new AppError('BAD_INPUT', 'err.nda.notIntroduced', { fields: { sellerOrgId: 'err.nda.notIntroduced' } })
      }
      if (await tx.nda.findUnique({ where: { dealId_sellerOrgId: { dealId, sellerOrgId } }, select: { id: true } })) {
        throw new AppError('CONFLICT', 'err.nda.exists')
      }
      const template = await currentTemplate(tx)
      const full = await tx.deal.findUniqueOrThrow({
        where: { id: dealId },
        select: { number: true, title: true, buyerOrg: { select: { name: true, creditCode: true } } },
      })
      const seller = await tx.organization.findUniqueOrThrow({ where: { id: sellerOrgId }, select: { name: true, creditCode: true } })
      const achievements = await sellerAchievements(tx, dealId, sellerOrgId)
      const text = renderNda(template.body, {
        买方: full.buyerOrg.name,
        买方信用代码: full.buyerOrg.creditCode ?? '—',
        卖方: seller.name,
        卖方信用代码: seller.creditCode ?? '—',
        项目: full.title,
        编号: full.number,
        成果: achievements.map((a) => a.title).join('、') || '—',
        日期: chineseDate(now),
      })
      const nda = await tx.nda.create({
        data: { dealId, sellerOrgId, templateVersion: template.version, text, textHash: ndaTextHash(text), createdById: actor.id, createdAt: now },
      })
      await dealEventRow(tx, { dealId, actorId: actor.id, type: 'nda.sent', params: { ndaId: nda.id, sellerOrgId, sellerOrgName: seller.name, version: template.version }, at: now })
      await audit(tx, { actorId: actor.id, action: 'nda.send', entityType: ENTITY, entityId: nda.id, after: { dealId, sellerOrgId, version: template.version, textHash: nda.textHash }, ip })
      await notify(tx, {
        userIds: [...(await signatoryIds(tx, deal, 'BUYER', sellerOrgId)), ...(await signatoryIds(tx, deal, 'SELLER', sellerOrgId))],
        type: 'nda.requested',
        params: { deal: full.number, dealTitle: full.title },
        link: `/deals/${dealId}/nda`,
        exceptUserId: actor.id,
      })
      return nda
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'err.nda.exists')
    throw error
  }
}

// ─── Accepting ──────────────────────────────────────────────────────────────────────

export const AcceptNdaSchema = z.object({
  ndaId: z.string({ error: msg('err.badRequest') }).regex(/^[A-Za-z0-9_-]{1,64}$/, { error: msg('err.badRequest') }),
  textHash: z.string({ error: msg('err.badRequest') }).regex(/^[0-9a-f]{64}$/, { error: msg('err.badRequest') }),
  agree: z.literal('on', { error: msg('err.nda.agreeRequired') }),
})

/**
 * An authorised member of one side accepts the NDA text they saw (its hash). The second
 * acceptance makes it effective and opens the confidential details to both organisations.
 */
export async function acceptNda({
  actor,
  dealId,
  ndaId,
  textHash,
  ip,
  now = new Date(),
}: {
  actor: Actor
  dealId: string
  ndaId: string
  textHash: string
  ip?: string | null
  now?: Date
}) {
  const db = await prisma()
  try {
    return await db.$transaction(async (tx) => {
      // One acceptance at a time per deal: the second one sees the first, and the NDA takes effect once.
      await lockDeal(tx, dealId)
      const { deal, standing } = await requireDealAccess(tx, actor, dealId)
      const nda = await tx.nda.findFirst({ where: { id: ndaId, dealId }, include: { sellerOrg: { select: { name: true } }, acceptances: { select: { party: true } } } })
      const party = nda ? partyOf(actor, deal, nda) : null
      // Another seller's NDA is none of a seller's business: not found, as if it did not exist.
      if (!nda || (standing === 'seller' && party !== 'SELLER')) throw new AppError('NOT_FOUND', 'err.notFound')
      if (!party) throw new AppError('FORBIDDEN', 'err.nda.notParty')
      if (!isOpenStage(deal.stage)) throw new AppError('CONFLICT', 'err.nda.closed')
      // Who the actor is now, not what their session remembered.
      const user = await tx.user.findUnique({ where: { id: actor.id }, select: { name: true, orgId: true, disabledAt: true, org: { select: { name: true } } } })
      const signatories = await signatoryIds(tx, deal, party, nda.sellerOrgId)
      if (!user || user.disabledAt || !signatories.includes(actor.id)) throw new AppError('FORBIDDEN', 'err.nda.notAuthorised')
      if (nda.acceptances.some((a) => a.party === party)) throw new AppError('CONFLICT', 'err.nda.alreadyAccepted')
      if (textHash !== nda.textHash) throw new AppError('CONFLICT', 'err.nda.textChanged')
      if (ndaTextHash(nda.text) !== nda.textHash) throw new AppError('CONFLICT', 'err.nda.tampered')
      const orgId = party === 'BUYER' ? deal.buyerOrgId : nda.sellerOrgId
      const acceptance = await tx.ndaAcceptance.create({
        data: { ndaId, party, orgId, userId: actor.id, userName: user.name, ip: ip ?? null, textHash, acceptedAt: now },
      })
      const base = { ndaId, sellerOrgId: nda.sellerOrgId, sellerOrgName: nda.sellerOrg.name }
      await dealEventRow(tx, { dealId, actorId: actor.id, type: 'nda.accepted', params: { ...base, party, name: user.name, orgName: user.org?.name ?? '' }, at: now })
      await audit(tx, { actorId: actor.id, action: 'nda.accept', entityType: ENTITY, entityId: ndaId, after: { party, textHash }, ip })
      const effective = nda.acceptances.length + 1 === 2
      if (effective) await takeEffect(tx, { actor, deal, nda: { id: ndaId, sellerOrgId: nda.sellerOrgId, sellerOrgName: nda.sellerOrg.name }, ip, now })
      return { acceptance, effective }
    })
  } catch (error) {
    // The same side accepting twice at once: the unique (ndaId, party) decides.
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'err.nda.alreadyAccepted')
    throw error
  }
}

/** Both sides accepted: the NDA is effective, the grants are written, both sides are told. */
async function takeEffect(
  tx: Tx,
  { actor, deal, nda, ip, now }: { actor: Actor; deal: DealAccessRow; nda: { id: string; sellerOrgId: string; sellerOrgName: string }; ip?: string | null; now: Date },
) {
  const { count } = await tx.nda.updateMany({ where: { id: nda.id, effectiveAt: null }, data: { effectiveAt: now } })
  if (!count) throw new AppError('CONFLICT', 'err.nda.alreadyAccepted')
  const full = await tx.deal.findUniqueOrThrow({ where: { id: deal.id }, select: { number: true, title: true, demandId: true } })
  const achievements = await sellerAchievements(tx, deal.id, nda.sellerOrgId)
  const grants = [
    ...achievements.map((a) => ({ orgId: deal.buyerOrgId, listingKind: 'achievement', listingId: a.id, ndaId: nda.id, createdAt: now })),
    ...(full.demandId ? [{ orgId: nda.sellerOrgId, listingKind: 'demand', listingId: full.demandId, ndaId: nda.id, createdAt: now }] : []),
  ]
  if (grants.length) await tx.confidentialGrant.createMany({ data: grants, skipDuplicates: true })
  await dealEventRow(tx, { dealId: deal.id, actorId: actor.id, type: 'nda.effective', params: { ndaId: nda.id, sellerOrgId: nda.sellerOrgId, sellerOrgName: nda.sellerOrgName }, at: now })
  await audit(tx, {
    actorId: actor.id,
    action: 'nda.effective',
    entityType: ENTITY,
    entityId: nda.id,
    after: { grants: grants.map((g) => `${g.orgId}:${g.listingKind}:${g.listingId}`) },
    ip,
  })
  const brokers = [deal.ownerId, ...deal.members.filter((m) => m.role !== 'BUREAU').map((m) => m.userId)]
  await notify(tx, {
    userIds: [...brokers, ...(await orgMemberIds(tx, [deal.buyerOrgId, nda.sellerOrgId]))],
    type: 'nda.effective',
    params: { deal: full.number, dealTitle: full.title },
    link: `/deals/${deal.id}/nda`,
    exceptUserId: actor.id,
  })
}

// ─── Reading ────────────────────────────────────────────────────────────────────────

const ndaInclude = {
  sellerOrg: { select: { id: true, name: true, creditCode: true } },
  acceptances: { select: { party: true, orgId: true, userName: true, ip: true, textHash: true, acceptedAt: true }, orderBy: { acceptedAt: 'asc' } },
  grants: { select: { orgId: true, listingKind: true, listingId: true } },
} satisfies Prisma.NdaInclude

type NdaRow = Prisma.NdaGetPayload<{ include: typeof ndaInclude }>

/** The NDAs of a deal the actor may see: all of them, except for a seller (only its own). */
function visibleNdasWhere(actor: Actor, dealId: string, standing: DealStanding): Prisma.NdaWhereInput {
  return standing === 'seller' ? { dealId, sellerOrgId: actor.orgId! } : { dealId }
}

async function listingTitles(db: Db, grants: NdaRow['grants']) {
  const ids = (kind: string) => grants.filter((g) => g.listingKind === kind).map((g) => g.listingId)
  const [achievements, demands] = await Promise.all([
    db.achievement.findMany({ where: { id: { in: ids('achievement') } }, select: { id: true, title: true } }),
    db.demand.findMany({ where: { id: { in: ids('demand') } }, select: { id: true, title: true } }),
  ])
  return new Map([...achievements, ...demands].map((l) => [l.id, l.title]))
}

/** The NDA page: the deal's NDAs as the actor may see them, what they may do, what may be sent. */
export async function ndaOverview({ actor, dealId }: { actor: Actor | null | undefined; dealId: string }) {
  const db = await prisma()
  const { deal, standing } = await requireDealAccess(db, actor, dealId)
  const me = actor!
  const header = await db.deal.findUniqueOrThrow({
    where: { id: dealId },
    select: { id: true, number: true, title: true, stage: true, buyerOrg: { select: { id: true, name: true, creditCode: true } }, owner: { select: { name: true } } },
  })
  const rows = await db.nda.findMany({ where: visibleNdasWhere(me, dealId, standing), include: ndaInclude, orderBy: { createdAt: 'asc' } })
  const titles = await listingTitles(db, rows.flatMap((r) => r.grants))
  const open = isOpenStage(deal.stage)
  const ndas = await Promise.all(
    rows.map(async (r) => {
      const party = partyOf(me, deal, r)
      const accepted = party ? r.acceptances.some((a) => a.party === party) : false
      const maySign = party && !accepted && open ? (await signatoryIds(db, deal, party, r.sellerOrgId)).includes(me.id) : false
      return {
        id: r.id,
        seller: { id: r.sellerOrg.id, name: r.sellerOrg.name, creditCode: r.sellerOrg.creditCode },
        templateVersion: r.templateVersion,
        text: r.text,
        textHash: r.textHash,
        createdAt: r.createdAt,
        effectiveAt: r.effectiveAt,
        acceptances: r.acceptances,
        /** The listings the NDA opened, for the pages that show them. */
        grants: r.grants.map((g) => ({ ...g, title: titles.get(g.listingId) ?? '' })),
        myParty: party,
        /** The actor's side has not accepted yet and the actor may accept for it. */
        mayAccept: !!maySign,
        /** The actor's side has not accepted yet, but the actor is not among its signatories. */
        awaitsSignatory: !!party && !accepted && open && !maySign,
      }
    }),
  )
  let sendable: { sellerOrgId: string; name: string }[] = []
  let template: { version: number; title: string } | null = null
  if (isBrokerStanding(standing) && NDA_STAGES.includes(deal.stage)) {
    const sent = new Set(rows.map((r) => r.sellerOrgId))
    const introduced = [...new Set(deal.candidates.filter((c) => c.introducedAt && !c.droppedAt).map((c) => c.sellerOrgId))].filter((o) => !sent.has(o))
    const orgs = await db.organization.findMany({ where: { id: { in: introduced } }, select: { id: true, name: true }, orderBy: { name: 'asc' } })
    sendable = orgs.map((o) => ({ sellerOrgId: o.id, name: o.name }))
    const t = await currentTemplate(db)
    template = { version: t.version, title: t.title }
  }
  return {
    deal: {
      id: header.id,
      number: header.number,
      title: header.title,
      stage: header.stage,
      buyerOrgName: header.buyerOrg.name,
      buyerCreditCode: header.buyerOrg.creditCode,
      ownerName: header.owner.name,
    },
    standing,
    ndas,
    sendable,
    template,
    /** Why nothing can be sent yet (brokers only): the stage is before INTRODUCED, or the deal is closed. */
    stageTooEarly: isBrokerStanding(standing) && !NDA_STAGES.includes(deal.stage) && open,
  }
}

/** One NDA with everything its printable record shows. */
export async function ndaRecord({ actor, dealId, ndaId }: { actor: Actor | null | undefined; dealId: string; ndaId: string }) {
  const db = await prisma()
  const { standing } = await requireDealAccess(db, actor, dealId)
  const row = await db.nda.findFirst({
    where: { AND: [visibleNdasWhere(actor!, dealId, standing), { id: ndaId }] },
    include: { ...ndaInclude, deal: { select: { number: true, title: true, buyerOrg: { select: { name: true, creditCode: true } } } } },
  })
  if (!row) throw new AppError('NOT_FOUND', 'err.notFound')
  const titles = await listingTitles(db, row.grants)
  return {
    id: row.id,
    deal: { number: row.deal.number, title: row.deal.title },
    buyer: { name: row.deal.buyerOrg.name, creditCode: row.deal.buyerOrg.creditCode },
    seller: { name: row.sellerOrg.name, creditCode: row.sellerOrg.creditCode },
    templateVersion: row.templateVersion,
    text: row.text,
    textHash: row.textHash,
    createdAt: row.createdAt,
    effectiveAt: row.effectiveAt,
    acceptances: row.acceptances,
    grants: row.grants.map((g) => ({ ...g, title: titles.get(g.listingId) ?? '' })),
  }
}
export type NdaRecord = Awaited<ReturnType<typeof ndaRecord>>
