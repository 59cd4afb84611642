import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { ContractStatus, ContractSubtype, ContractType, Industry, IpType, LicenseExclusivity, OrgKind, TechField } from '~/generated/prisma/enums'
import { withCheckCharacter } from '~/domain/orgs/credit-code'
import { createUser, newInvitationCode, type Actor } from '~/domain/users/accounts.server'
import { ROLE_BY_ORG_KIND } from '~/domain/users/permissions'
import { prisma } from '~/infra/db/client.server'
import { rulesInForce } from './classification'
import type { Prisma } from '~/generated/prisma/client'
import { checklistPasses, registrationChecklist } from './checklist'
import { termsColumns } from './contracts.server'
import { termsProblems, type DraftInput, type MilestoneTerms } from './schemas'
import { normalizeText, termsHash, versionTerms } from './terms'

/**
 * The demo contracts: a few years of deals in every state, checked with the same rules as the
 * domain functions (terms, hashes, the registry's checklist) and written in bulk. Deterministic:
 * the same seed and day give the same contracts.
 */

const SOURCE = 'demo-contracts'
const DAY = 24 * 3600 * 1000

interface DemoFile {
  orgs: { key: string; kind: OrgKind; name: string; regionCode: string; code17: string; admin: string }[]
  brokers: { key: string; email?: string; name?: string; org?: string; admin?: boolean; weight: number }[]
  sellers: Record<Zone, string[]>
  buyers: Record<Zone, string[]>
  deals: { type: ContractType; subtype: ContractSubtype; title: string; field: TechField; industry: Industry; ipType?: IpType; seller?: string }[]
  milestoneTitles: { lumpSum: string; instalments: string[]; entryFee: string }
  refusals: string[]
  terminations: string[]
  plan: { year: number; count: number; pipeline?: Partial<Record<ContractStatus, number>> }[]
}
type Zone = 'district' | 'chongqing' | 'sichuan' | 'elsewhere'
type Band = 'usual' | 'large' | 'major'

/** mulberry32: a small, fast, seeded generator; enough for demo data. */
export function seededRandom(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
  const weighted = <T>(entries: readonly (readonly [T, number])[]): T => {
    let r = next() * entries.reduce((s, [, w]) => s + w, 0)
    for (const [v, w] of entries) if ((r -= w) < 0) return v
    return entries[entries.length - 1]![0]
  }
  return { next, int, pick, weighted, chance: (p: number) => next() < p }
}

function readDemoFile(dir: string): DemoFile {
  return JSON.parse(readFileSync(path.join(dir, 'contracts.json'), 'utf8')) as DemoFile
}

const ymd = (d: Date) => new Date(d.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10)
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY)
/** 10:00 in China on a calendar day. */
const morning = (day: string) => new Date(`${day}T02:00:00Z`)

/** Registration is busiest at the end of the year. */
const MONTH_WEIGHTS = [0.5, 0.6, 0.8, 0.8, 0.9, 1, 0.9, 0.9, 1, 1, 1.2, 1.6] as const

/** The administrator of a demo party: they confirm its contracts; nobody signs in as them (a random password). */
async function demoAdmin(email: string, name: string, kind: OrgKind, orgId: string) {
  const db = await prisma()
  const found = await db.user.findUnique({ where: { email }, select: { id: true, role: true, orgId: true, isOrgAdmin: true } })
  if (found) return found
  return createUser({ actor: 'system', input: { email, name, role: ROLE_BY_ORG_KIND[kind], orgId, isOrgAdmin: true, password: randomBytes(24).toString('base64url') } })
}

/** The demo organisations and their administrators, by key (the seed's keys and this file's). */
async function ensureParties(file: DemoFile) {
  const db = await prisma()
  const orgs = new Map<string, { id: string; regionCode: string }>()
  const admins = new Map<string, Actor>()
  const actor = (u: Actor): Actor => ({ id: u.id, role: u.role, orgId: u.orgId, isOrgAdmin: u.isOrgAdmin })
  for (const o of await db.organization.findMany({ where: { source: 'demo' }, select: { id: true, externalId: true, regionCode: true, kind: true } })) {
    orgs.set(o.externalId!, o)
    const admin =
      (await db.user.findFirst({ where: { orgId: o.id, isOrgAdmin: true }, orderBy: { createdAt: 'asc' } })) ??
      (await demoAdmin(`${o.externalId}@contracts.demo.kezhuan.cn`, '测试管理员', o.kind, o.id))
    admins.set(o.externalId!, actor(admin))
  }
  for (const o of file.orgs) {
    const org = await db.organization.upsert({
      where: { source_externalId: { source: SOURCE, externalId: o.key } },
      create: {
        kind: o.kind,
        name: o.name,
        regionCode: o.regionCode,
        creditCode: withCheckCharacter(o.code17),
        verified: true,
        verifiedAt: new Date(),
        invitationCode: newInvitationCode(),
        source: SOURCE,
        externalId: o.key,
      },
      update: {},
      select: { id: true, regionCode: true },
    })
    orgs.set(o.key, org)
    admins.set(o.key, actor(await demoAdmin(`${o.key}@contracts.demo.kezhuan.cn`, o.admin, o.kind, org.id)))
  }
  const brokers: [Actor, number][] = []
  for (const b of file.brokers) {
    let user
    if (b.email) user = await db.user.findUnique({ where: { email: b.email } })
    else if (b.admin) user = await db.user.findUnique({ where: { id: admins.get(b.org!)!.id } })
    else {
      const email = `${b.key}@contracts.demo.kezhuan.cn`
      user =
        (await db.user.findUnique({ where: { email } })) ??
        (await createUser({ actor: 'system', input: { email, name: b.name!, role: 'BROKER', orgId: orgs.get(b.org!)!.id, password: randomBytes(24).toString('base64url') } }))
    }
    if (user) brokers.push([actor(user), b.weight])
  }
  const bureau = admins.get('bureau')!
  return { orgs, admins, brokers, bureau }
}

interface Plan {
  status: ContractStatus
  input: DraftInput
  drafter: Actor
  sellerAdmin: Actor
  buyerAdmin: Actor
  sellerRegion: string
  at: { drafted: Date; sent: Date; sellerConfirms: Date; buyerConfirms: Date; submitted: Date; decided: Date; closed: Date }
  /** Terminated while still being negotiated (the seller's confirmation given or not). */
  terminatedEarly: boolean
  sellerConfirmsOnly: boolean
  registration?: { number: string; techAmountFen: number; type: ContractType; subtype: ContractSubtype }
  reason: string
  paymentDelays: number[]
}

/**
 * Loads the demo contracts when there are none yet (safe to run again). Needs the demo
 * organisations and accounts (seedDemo) and, for links to listings, the demo listings.
 * Every random choice is made first; then the contracts are written in the order they were
 * drafted, so that their numbers, like real ones, follow the calendar.
 */
export async function seedDemoContracts({ dir, now = new Date(), seed = 20260123 }: { dir: string; now?: Date; seed?: number }) {
  const db = await prisma()
  if ((await db.contract.count()) > 0) return { created: 0 }
  const file = readDemoFile(dir)
  const { orgs, admins, brokers, bureau } = await ensureParties(file)
  const rng = seededRandom(seed)
  const lastDay = new Date(`${ymd(addDays(now, -2))}T09:00:00Z`)
  const thisYear = Number(ymd(now).slice(0, 4))
  // A step on a working day's hours in China (08:30–17:30), never after `lastDay`.
  const workHours = (d: Date) => {
    const at = new Date(`${ymd(d)}T00:30:00Z`)
    const t = addDays(at, rng.int(0, 540) / (24 * 60))
    return t > lastDay ? lastDay : t
  }

  // Published listings of each organisation, to link some contracts to where they came from.
  const achievements = await db.achievement.findMany({ where: { status: 'PUBLISHED' }, select: { id: true, orgId: true } })
  const demands = await db.demand.findMany({ where: { status: 'PUBLISHED' }, select: { id: true, orgId: true } })
  const zoneOf = (): Zone => rng.weighted([['district', 55], ['chongqing', 18], ['sichuan', 13], ['elsewhere', 14]] as const)

  const plans: Plan[] = []
  let newcoQueued = false
  for (const { year, count, pipeline = {} } of file.plan) {
    if (year > thisYear) continue
    const statuses: ContractStatus[] = Object.entries(pipeline).flatMap(([s, n]) => Array(n).fill(s as ContractStatus))
    const inPipeline = statuses.length
    const age = thisYear - year
    while (statuses.length < count) {
      // The current year has one of each closing state; the rest go by the contract's age.
      const fixed: ContractStatus[] = ['COMPLETED', 'NOT_REGISTERED', 'TERMINATED']
      const i = statuses.length - inPipeline
      if (age === 0 && i < fixed.length) {
        statuses.push(fixed[i]!)
        continue
      }
      const completed = age >= 3 ? 78 : age === 2 ? 55 : age === 1 ? 30 : 5
      statuses.push(rng.weighted([['COMPLETED', completed], ['REGISTERED', 88 - completed], ['NOT_REGISTERED', 7], ['TERMINATED', 5]] as const))
    }

    // Each year's turnover rests on a few large deals, as a district's does: one major, two large.
    let counted = 0
    for (const status of statuses) {
      const countable = status === 'REGISTERED' || status === 'COMPLETED'
      const band: Band = countable && counted++ < 3 ? (counted === 1 ? 'major' : 'large') : 'usual'
      const deal = rng.pick(band === 'usual' ? file.deals : file.deals.filter((d) => d.type === 'DEVELOPMENT' || d.type === 'TRANSFER' || d.type === 'LICENSE'))
      const pipelineState = ['DRAFT', 'AWAITING_CONFIRMATION', 'SIGNED', 'REGISTRATION_SUBMITTED'].includes(status)
      // The parties: at least one of them in the district (it is the district's platform); what
      // waits in this registry's queue is the district's sellers'.
      const sellerKey = deal.seller ?? rng.pick(file.sellers[status === 'REGISTRATION_SUBMITTED' ? 'district' : zoneOf()])
      let buyerKey = rng.pick(file.buyers[zoneOf()])
      if (orgs.get(sellerKey)!.regionCode !== '500118' && orgs.get(buyerKey)!.regionCode !== '500118') buyerKey = rng.pick(file.buyers.district)
      if (buyerKey === sellerKey) buyerKey = sellerKey === 'ent' ? 'yc-huida' : 'ent'
      // The unverified company waits in the queue once, to show a checklist that fails; it
      // never reaches a registration.
      if (status === 'REGISTRATION_SUBMITTED' && !newcoQueued) ((buyerKey = 'newco'), (newcoQueued = true))
      else if (buyerKey === 'newco' && !['DRAFT', 'AWAITING_CONFIRMATION', 'SIGNED', 'NOT_REGISTERED'].includes(status)) buyerKey = 'sc-chuangong'
      const seller = orgs.get(sellerKey)!
      const buyer = orgs.get(buyerKey)!
      const sellerAdmin = admins.get(sellerKey)!
      const broker = rng.chance(0.38) ? rng.weighted(brokers) : null

      // When it happens, anchored on the registry's decision (or, in the pipeline, on recent days).
      let decided: Date
      if (pipelineState) decided = addDays(lastDay, -rng.int(0, 6))
      else {
        const month = rng.weighted(MONTH_WEIGHTS.map((w, i) => [i, w] as const))
        decided = new Date(Date.UTC(year, month, rng.int(1, 28), 2))
        if (decided > lastDay) decided = addDays(lastDay, -rng.int(0, 20))
        if (decided.getUTCFullYear() !== year) decided = new Date(Date.UTC(year, 0, rng.int(10, 28), 2))
      }
      const drafted = workHours(addDays(decided, -rng.int(40, 70)))
      const sent = workHours(addDays(drafted, rng.int(1, 3)))
      const sellerConfirms = workHours(addDays(sent, rng.int(1, 5)))
      const buyerConfirms = workHours(addDays(sellerConfirms, rng.int(1, 5)))
      const submitted = workHours(addDays(buyerConfirms, rng.int(1, 7)))
      decided = workHours(decided)

      const input = dealTerms({ rng, file, deal, year, band, signedDay: ymd(buyerConfirms), drafted })
      input.sellerOrgId = seller.id
      input.buyerOrgId = buyer.id
      if (rng.chance(0.45)) {
        const a = achievements.filter((x) => x.orgId === seller.id)
        const d = demands.filter((x) => x.orgId === buyer.id)
        if (a.length) input.achievementId = rng.pick(a).id
        if (d.length) input.demandId = rng.pick(d).id
      }
      const corrected = rng.chance(0.08) && (input.type === 'DEVELOPMENT' || input.type === 'CONSULTING')
      const reduced = rng.chance(0.15)
      plans.push({
        status,
        input,
        drafter: sellerAdmin.role === 'BROKER' ? sellerAdmin : (broker ?? sellerAdmin),
        sellerAdmin,
        buyerAdmin: admins.get(buyerKey)!,
        sellerRegion: seller.regionCode,
        at: { drafted, sent, sellerConfirms, buyerConfirms, submitted, decided, closed: workHours(addDays(decided, rng.int(30, 200))) },
        terminatedEarly: status === 'TERMINATED' && rng.chance(0.5),
        sellerConfirmsOnly: rng.chance(0.5),
        registration: ['REGISTERED', 'COMPLETED', 'TERMINATED'].includes(status)
          ? {
              number: '',
              techAmountFen: reduced ? Math.round((input.techAmountFen * rng.int(80, 95)) / 100 / 10_000) * 10_000 : input.techAmountFen,
              type: corrected ? 'SERVICE' : input.type,
              subtype: corrected ? 'SERVICE_GENERAL' : input.subtype,
            }
          : undefined,
        reason: rng.pick(status === 'NOT_REGISTERED' ? file.refusals : file.terminations),
        paymentDelays: input.milestones.map(() => rng.int(-3, 12)),
      })
    }
  }

  // Registration numbers in each registry's series, in the order of registration.
  const regSeq = new Map<string, number>()
  for (const p of [...plans].filter((x) => x.registration && !x.terminatedEarly).sort((a, b) => +a.at.decided - +b.at.decided)) {
    const series = `${ymd(p.at.decided).slice(0, 4)}${p.sellerRegion}`
    const seq = (regSeq.get(series) ?? 0) + 1 + (p.at.decided.getUTCDate() % 4)
    regSeq.set(series, seq)
    p.registration!.number = `${series}${String(seq).padStart(6, '0')}`
  }

  await writeContracts(plans.sort((a, b) => +a.at.drafted - +b.at.drafted), { bureau, lastDay })
  return { created: plans.length }
}

/**
 * Writes the planned contracts in one transaction, as the domain functions would have left
 * them step by step (drafted, sent, confirmed, signed, submitted, decided, closed), after
 * checking them with the same rules: the terms, the hash both parties confirm, the registry's
 * checklist. A first start loads them in a second instead of running hundreds of transactions.
 */
async function writeContracts(plans: Plan[], { bureau, lastDay }: { bureau: Actor; lastDay: Date }) {
  const db = await prisma()
  const orgIds = [...new Set(plans.flatMap((p) => [p.input.sellerOrgId, p.input.buyerOrgId]))]
  const orgs = new Map((await db.organization.findMany({ where: { id: { in: orgIds } } })).map((o) => [o.id, o]))
  const userIds = [...new Set(plans.flatMap((p) => [p.drafter.id, p.sellerAdmin.id, p.buyerAdmin.id]))]
  const users = new Map((await db.user.findMany({ where: { id: { in: userIds } }, include: { org: { select: { name: true } } } })).map((u) => [u.id, u]))
  const calendarDay = (d: Date) => new Date(`${ymd(d)}T00:00:00Z`)
  const seqByYear = new Map<string, number>()

  const rows = plans.map((p, index) => {
    const { status, at, input } = p
    const fail = (why: string) => new Error(`demo contract ${index + 1}: ${why}`)
    const problems = termsProblems(input)
    if (problems.length) throw fail(problems.map((x) => `${x.path} ${x.key}`).join(', '))
    const seller = orgs.get(input.sellerOrgId)!
    const buyer = orgs.get(input.buyerOrgId)!
    if (seller.id === buyer.id) throw fail('buyer = seller')
    const drafter = users.get(p.drafter.id)!
    const broker = drafter.role === 'BROKER' ? { id: drafter.id, name: drafter.name, agency: drafter.org?.name ?? null } : null
    const year = ymd(at.drafted).slice(0, 4)
    const seq = (seqByYear.get(year) ?? 0) + 1
    seqByYear.set(year, seq)
    const vt = versionTerms(input, {
      seller: { orgId: seller.id, name: seller.name, creditCode: seller.creditCode },
      buyer: { orgId: buyer.id, name: buyer.name, creditCode: buyer.creditCode },
      broker,
    })
    const text = normalizeText(input.termsText)
    const hash = termsHash(vt, text)

    const reached = (s: ContractStatus) => STEPS.indexOf(stepOf(p)) >= STEPS.indexOf(s)
    const confirmations: { party: 'SELLER' | 'BUYER'; admin: Actor; at: Date }[] = []
    if (reached('SIGNED') || (p.sellerConfirmsOnly && reached('AWAITING_CONFIRMATION'))) confirmations.push({ party: 'SELLER', admin: p.sellerAdmin, at: at.sellerConfirms })
    if (reached('SIGNED')) confirmations.push({ party: 'BUYER', admin: p.buyerAdmin, at: at.buyerConfirms })
    const r = p.registration && !p.terminatedEarly ? p.registration : null
    if (r) {
      const decided = ymd(at.decided)
      if (r.techAmountFen <= 0 || r.techAmountFen > input.amountFen || decided < ymd(at.submitted) || at.decided > lastDay) throw fail('registration')
      const checklist = registrationChecklist(
        { ...input, seller: { verified: seller.verified, regionCode: seller.regionCode }, buyer: { verified: buyer.verified }, confirmedIntact: true },
        { type: r.type, subtype: r.subtype },
      )
      if (!checklistPasses(checklist)) throw fail(`checklist ${checklist.filter((c) => !c.ok && c.required).map((c) => c.key)}`)
    }

    // Payments are another module's: here they are simply recorded as made by bank transfer.
    let lastPaid = at.decided
    const milestones = vt.milestones.map((m, i) => {
      const due = new Date(`${m.dueDate}T00:00:00Z`)
      const paidAt = addDays(new Date(`${m.dueDate}T02:00:00Z`), p.paymentDelays[i] ?? 0)
      const paid = !!r && (status === 'COMPLETED' || paidAt <= addDays(lastDay, -15))
      if (paid && paidAt > lastPaid) lastPaid = paidAt
      const state = paid ? ('PAID' as const) : status === 'TERMINATED' ? ('CANCELLED' as const) : ('PENDING' as const)
      return { seq: m.seq, title: m.title, dueDate: due, amountFen: BigInt(m.amountFen), status: state, paidAt: paid ? paidAt : null, paidVia: paid ? ('BANK_TRANSFER' as const) : null }
    })
    const completedAt = status === 'COMPLETED' ? minDate(addDays(lastPaid, 5 + (at.closed.getUTCDate() % 30)), lastDay) : null
    const terminatedAt = status === 'TERMINATED' ? (p.terminatedEarly ? at.buyerConfirms : at.closed) : null

    return {
      contract: {
        number: `KZ-${year}-${String(seq).padStart(6, '0')}`,
        ...termsColumns(input),
        sellerOrgId: seller.id,
        buyerOrgId: buyer.id,
        sellerKind: seller.kind,
        sellerRegion: seller.regionCode,
        buyerKind: buyer.kind,
        buyerRegion: buyer.regionCode,
        brokerId: broker?.id ?? null,
        brokerOrgId: broker ? drafter.orgId : null,
        achievementId: input.achievementId ?? null,
        demandId: input.demandId ?? null,
        currentVersion: 1,
        status,
        signedAt: reached('SIGNED') ? at.buyerConfirms : null,
        registrationSubmittedAt: reached('REGISTRATION_SUBMITTED') ? at.submitted : null,
        registrationNumber: r?.number ?? null,
        registeredAt: r ? calendarDay(at.decided) : null,
        registeredById: r ? bureau.id : null,
        registrationRules: r ? rulesInForce(calendarDay(at.decided)) : null,
        registeredTechAmountFen: r ? BigInt(r.techAmountFen) : null,
        registeredType: r?.type ?? null,
        registeredSubtype: r?.subtype ?? null,
        notRegisteredReason: status === 'NOT_REGISTERED' ? p.reason : null,
        completedAt,
        terminatedAt,
        terminationReason: terminatedAt ? p.reason : null,
        createdById: drafter.id,
        createdAt: at.drafted,
        source: SOURCE,
        externalId: `demo-${String(index + 1).padStart(3, '0')}`,
      },
      version: { version: 1, terms: JSON.parse(JSON.stringify(vt)) as Prisma.InputJsonValue, termsText: text, termsHash: hash, createdById: drafter.id, createdAt: at.drafted },
      confirmations: confirmations.map((c) => ({
        version: 1,
        party: c.party,
        orgId: c.admin.orgId!,
        userId: c.admin.id,
        userName: users.get(c.admin.id)!.name,
        ip: `10.${c.at.getUTCDate()}.${c.at.getUTCHours()}.${c.at.getUTCMinutes() + 1}`,
        termsHash: hash,
        confirmedAt: c.at,
      })),
      milestones,
    }
  })

  await db.$transaction(
    async (tx) => {
      const created = await tx.contract.createManyAndReturn({ data: rows.map((r) => r.contract), select: { id: true, externalId: true, number: true, status: true } })
      const ids = new Map(created.map((c) => [c.externalId!, c.id]))
      const idOf = (r: (typeof rows)[number]) => ids.get(r.contract.externalId)!
      await tx.contractVersion.createMany({ data: rows.map((r) => ({ ...r.version, contractId: idOf(r) })) })
      await tx.contractConfirmation.createMany({ data: rows.flatMap((r) => r.confirmations.map((c) => ({ ...c, contractId: idOf(r) }))) })
      await tx.milestone.createMany({ data: rows.flatMap((r) => r.milestones.map((m) => ({ ...m, contractId: idOf(r) }))) })
      // One entry per contract says where it came from; the steps themselves are the demo's story.
      await tx.auditLog.createMany({
        data: created.map((c) => ({ actorId: null, action: 'contract.demo', entityType: 'Contract', entityId: c.id, after: { number: c.number, status: c.status, source: SOURCE } })),
      })
    },
    { timeout: 60_000 },
  )
}

/** How far a planned contract went before it was closed. */
const STEPS: ContractStatus[] = ['DRAFT', 'AWAITING_CONFIRMATION', 'SIGNED', 'REGISTRATION_SUBMITTED', 'REGISTERED']
function stepOf(p: Plan): ContractStatus {
  if (p.status === 'TERMINATED') return p.terminatedEarly ? 'AWAITING_CONFIRMATION' : 'REGISTERED'
  if (p.status === 'NOT_REGISTERED') return 'REGISTRATION_SUBMITTED'
  if (p.status === 'COMPLETED') return 'REGISTERED'
  return p.status
}

const minDate = (a: Date, b: Date) => (a < b ? a : b)

function ipNumber(rng: ReturnType<typeof seededRandom>, ipType: IpType | undefined, year: number): string[] {
  const yy = year - rng.int(1, 3)
  const digits = (n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('')
  switch (ipType) {
    case 'INVENTION_PATENT':
      return [`ZL${yy}1${digits(7)}.${rng.int(0, 9)}`]
    case 'UTILITY_MODEL':
      return [`ZL${yy}2${digits(7)}.${rng.int(0, 9)}`]
    case 'SOFTWARE_COPYRIGHT':
      return [`${yy}SR${digits(7)}`]
    default:
      return []
  }
}

/** Round fen to whole thousands of yuan. */
const thousands = (fen: number) => Math.max(1, Math.round(fen / 100_000)) * 100_000

function dealTerms({
  rng,
  file,
  deal,
  year,
  band,
  signedDay,
  drafted,
}: {
  rng: ReturnType<typeof seededRandom>
  file: DemoFile
  deal: DemoFile['deals'][number]
  year: number
  band: Band
  signedDay: string
  drafted: Date
}): DraftInput {
  const small = deal.type === 'CONSULTING' || deal.subtype === 'SERVICE_TRAINING' || deal.subtype === 'SERVICE_INTERMEDIARY'
  const [lo, hi] = band === 'usual' ? [1e5, 4e6] : band === 'large' ? [8e6, 2.5e7] : [3e7, 6e7]
  // Deals grow year by year, as the plan wants them to.
  const growth = 1 + 0.12 * Math.max(0, year - 2021)
  const yuan = Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo))) * (small && band === 'usual' ? 0.25 : 1) * growth
  const amountFen = thousands(Math.max(2e4, yuan) * 100)
  const share = deal.type === 'DEVELOPMENT' ? rng.int(75, 95) : deal.type === 'TRANSFER' || deal.type === 'LICENSE' ? 100 : rng.int(90, 100)
  const techAmountFen = Math.min(amountFen, Math.round((amountFen * share) / 100 / 10_000) * 10_000)

  const signed = morning(signedDay)
  const royaltyOk = deal.type === 'TRANSFER' || deal.type === 'LICENSE'
  const paymentMethod = royaltyOk && rng.chance(0.35) ? 'ROYALTY' : rng.chance(0.45) ? 'LUMP_SUM' : 'INSTALMENTS'
  const milestones: MilestoneTerms[] = []
  let royaltyRateBp: number | null = null
  let entryFeeFen: number | null = null
  if (paymentMethod === 'LUMP_SUM') {
    milestones.push({ title: file.milestoneTitles.lumpSum, dueDate: ymd(addDays(signed, rng.int(15, 45))), amountFen })
  } else if (paymentMethod === 'INSTALMENTS') {
    const n = rng.int(2, 4)
    const parts = Array.from({ length: n }, () => rng.int(2, 5))
    const whole = parts.reduce((a, b) => a + b, 0)
    let due = addDays(signed, rng.int(10, 30))
    let left = amountFen
    parts.forEach((p, i) => {
      const amount = i === n - 1 ? left : thousands((amountFen * p) / whole)
      left -= amount
      milestones.push({ title: file.milestoneTitles.instalments[i]!, dueDate: ymd(due), amountFen: amount })
      due = addDays(due, rng.int(60, 150))
    })
    if (milestones.some((m) => m.amountFen <= 0)) {
      // Tiny contracts: fall back to one payment in two halves.
      milestones.length = 0
      const half = Math.floor(amountFen / 2)
      milestones.push({ title: file.milestoneTitles.instalments[0]!, dueDate: ymd(addDays(signed, 20)), amountFen: half })
      milestones.push({ title: file.milestoneTitles.instalments[2]!, dueDate: ymd(addDays(signed, 120)), amountFen: amountFen - half })
    }
  } else {
    royaltyRateBp = rng.int(4, 16) * 50
    if (rng.chance(0.7)) {
      entryFeeFen = thousands((amountFen * rng.int(20, 40)) / 100)
      milestones.push({ title: file.milestoneTitles.entryFee, dueDate: ymd(addDays(signed, rng.int(15, 30))), amountFen: entryFeeFen })
    }
  }
  const exclusivity: LicenseExclusivity | null = deal.type === 'LICENSE' ? rng.weighted([['EXCLUSIVE', 2], ['SOLE', 3], ['ORDINARY', 5]] as const) : null
  const years = deal.type === 'CONSULTING' || deal.type === 'SERVICE' ? 1 : rng.int(1, 3)
  const ipNumbers = ipNumber(rng, deal.ipType, year)
  return {
    title: deal.title,
    type: deal.type,
    subtype: deal.subtype,
    exclusivity,
    field: deal.field,
    industry: deal.industry,
    ipType: deal.ipType ?? null,
    ipNumbers,
    amountFen,
    techAmountFen,
    paymentMethod,
    royaltyRateBp,
    entryFeeFen,
    termStart: signedDay,
    termEnd: ymd(addDays(signed, years * 365 - 1)),
    milestones,
    termsText: [
      `第一条 合同标的：${deal.title}。`,
      ipNumbers.length ? `第二条 涉及知识产权：${ipNumbers.join('、')}。` : '第二条 技术内容、范围和要求以附件技术方案为准。',
      '第三条 履行期限、地点和方式：自合同生效之日起按附件进度计划履行。',
      '第四条 验收标准和方法：按附件所列技术指标，由双方共同验收。',
      '第五条 保密：双方对履行中知悉的技术秘密和商业秘密负有保密义务。',
      `第六条 价款及支付方式：见付款节点（起草于 ${ymd(drafted)}）。`,
      '第七条 违约责任及争议解决：协商不成的，提交合同签订地人民法院诉讼解决。',
    ].join('\n'),
    sellerOrgId: '',
    buyerOrgId: '',
  }
}
