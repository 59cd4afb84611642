import { z } from 'zod'
import type { Prisma } from '~/generated/prisma/client'
import type { OrgKind } from '~/generated/prisma/enums'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import { isValidRegionCode } from '~/domain/orgs/regions.server'
import { authorize, newInvitationCode, type Actor } from '~/domain/users/accounts.server'
import { syncSearchDocuments } from '~/domain/search/documents.server'
import { can } from '~/domain/users/permissions'
import { msg } from '~/domain/validation/fields'
import { prisma } from '~/infra/db/client.server'
import { CONFIDENTIAL_FIELDS, DEFAULT_SOURCE, validateRows, type ExchangeRecord, type ParsedFile, type RowError } from './exchange'
import { CREATE_PERMISSION, LISTING_KINDS, type ListingKind } from './kinds'
import { delegate, listingData } from './listings.server'


/**
 * Imports listings from an exchange file (docs/exchange-format.md). Two steps: `prepareImport`
 * checks every row (schemas, duplicate ids, organisations, ids owned by others) without writing;
 * `runImport` writes the valid rows as idempotent upserts by (source, externalId), in short
 * transactions of BATCH_SIZE rows. A file with any invalid row writes nothing unless the caller
 * asks to skip invalid rows.
 */

export { DEFAULT_SOURCE }

/** The CLI and the demo seed act for the bureau without an account. */
export type Importer = Actor | 'system'

export const BATCH_SIZE = 500
/** Where an organisation named by a file is placed when the file does not say (永川区). */
export const DEFAULT_REGION = '500118'

export const SourceSchema = z
  .string({ error: msg('err.import.source') })
  .trim()
  .regex(/^[\p{L}\p{N}_.\-]{1,64}$/u, { error: msg('err.import.source') })

type Tx = Prisma.TransactionClient
type Db = Awaited<ReturnType<typeof prisma>>

/**
 * Bureau staff, administrators and the CLI import any kind for any organisation (the file names
 * the owners). An organisation's administrator imports the kinds their organisation publishes,
 * always as their own organisation, whatever the owner column says.
 */
export type ImportScope = { mode: 'bureau' } | { mode: 'org'; orgId: string }

export function importScope(actor: Importer, kind: ListingKind): ImportScope {
  if (actor === 'system') return { mode: 'bureau' }
  authorize(actor, 'listing:import')
  if (can(actor.role, 'listing:import-any')) return { mode: 'bureau' }
  if (!actor.isOrgAdmin || !actor.orgId || !can(actor.role, CREATE_PERMISSION[kind])) throw new AppError('FORBIDDEN', 'err.forbidden')
  return { mode: 'org', orgId: actor.orgId }
}

/** The kinds an actor may import, for the import page. */
export function importableKinds(actor: Actor | null | undefined): ListingKind[] {
  if (!actor) return []
  return LISTING_KINDS.filter((kind) => {
    try {
      importScope(actor, kind)
      return true
    } catch {
      return false
    }
  })
}

/** UNIVERSITY if the name has 大学/学院, INSTITUTE if 研究院/研究所/中心, else the default. */
export function orgKindFromName(name: string, fallback: OrgKind = 'OTHER'): OrgKind {
  if (/大学|学院/.test(name)) return 'UNIVERSITY'
  if (/研究院|研究所|中心/.test(name)) return 'INSTITUTE'
  return fallback
}

export interface ImportPlan {
  kind: ListingKind
  source: string
  scope: ImportScope
  format: ParsedFile['format']
  total: number
  records: ExchangeRecord[]
  errors: RowError[]
  invalidRows: number
  notes: string[]
  /** Organisations the import will create (unverified). */
  newOrgs: { name: string; kind: OrgKind; regionCode: string }[]
  /** Scenario batches the import will create, and the bureau organisation that owns scenarios. */
  newBatches: string[]
  bureauOrgId: string | null
  /** How many valid rows update an existing listing. */
  updates: number
  /** Status imported listings get: published for the bureau, review for an organisation. */
  status: 'PUBLISHED' | 'PENDING_REVIEW'
}

/** Checks a whole file against the rules and the database; writes nothing. */
export async function prepareImport({
  actor,
  kind,
  file,
  source: givenSource = DEFAULT_SOURCE,
  bureauOrgId: givenBureauOrgId,
}: {
  actor: Importer
  kind: ListingKind
  file: ParsedFile
  source?: string
  /** The organisation that owns imported scenarios (default: see bureauOrg). */
  bureauOrgId?: string
}): Promise<ImportPlan> {
  const scope = importScope(actor, kind)
  const parsedSource = SourceSchema.safeParse(givenSource)
  if (!parsedSource.success) throw new AppError('BAD_INPUT', 'err.import.source')
  const source = parsedSource.data
  const db = await prisma()
  if (scope.mode === 'org') {
    const org = await db.organization.findUnique({ where: { id: scope.orgId }, select: { verified: true } })
    if (!org?.verified) throw new AppError('FORBIDDEN', 'err.orgNotVerified')
  }
  const checked = validateRows(kind, file, { ownersFromFile: scope.mode === 'bureau' })
  const errors = [...checked.errors]
  const bad = new Set<number>()
  const reject = (record: ExchangeRecord, column: string, key: string) => {
    errors.push({ row: record.row, column, key })
    bad.add(record.row)
  }

  // Organisations named by the file: known ones by exact name, the others created unverified.
  const newOrgs = new Map<string, ImportPlan['newOrgs'][number]>()
  if (scope.mode === 'bureau' && kind !== 'scenario') {
    const regionColumn = kind === 'achievement' ? 'ownerRegion' : 'enterpriseRegion'
    for (const record of checked.records) {
      if (record.owner?.region && !isValidRegionCode(record.owner.region)) reject(record, regionColumn, 'err.region')
    }
    const known = await findOrgsByName(db, [...new Set(checked.records.map((r) => r.owner!.name))])
    for (const record of checked.records) {
      const name = record.owner!.name
      if (known.has(name) || newOrgs.has(name) || bad.has(record.row)) continue
      newOrgs.set(name, {
        name,
        kind: orgKindFromName(name, kind === 'demand' ? 'ENTERPRISE' : 'OTHER'),
        regionCode: record.owner!.region ?? DEFAULT_REGION,
      })
    }
  }

  // Ids already imported from this source: an organisation may only update its own.
  let updates = 0
  for (const ids of chunks(checked.records.map((r) => r.externalId), 1000)) {
    const existing = await delegate(db, kind).findMany({ where: { source, externalId: { in: ids } }, select: { externalId: true, orgId: true } })
    const owners = new Map(existing.map((e) => [e.externalId as string, e.orgId]))
    for (const record of checked.records.filter((r) => owners.has(r.externalId))) {
      if (scope.mode === 'org' && owners.get(record.externalId) !== scope.orgId) reject(record, 'id', 'err.import.idTaken')
      else if (!bad.has(record.row)) updates++
    }
  }

  let bureauOrgId: string | null = null
  let newBatches: string[] = []
  if (kind === 'scenario') {
    bureauOrgId = givenBureauOrgId ?? (await bureauOrg(db, actor))
    const numbers = [...new Set(checked.records.map((r) => r.batch).filter((b): b is string => !!b))]
    const existing = await db.scenarioBatch.findMany({ where: { orgId: bureauOrgId, number: { in: numbers } }, select: { number: true } })
    const have = new Set(existing.map((b) => b.number))
    newBatches = numbers.filter((n) => !have.has(n))
  }

  const records = checked.records.filter((r) => !bad.has(r.row))
  const usedNames = new Set(records.map((r) => r.owner?.name))
  return {
    kind,
    source,
    scope,
    format: file.format,
    total: file.rows.length,
    records,
    errors: errors.sort((a, b) => a.row - b.row),
    invalidRows: checked.invalidRows + bad.size,
    notes: file.notes,
    newOrgs: [...newOrgs.values()].filter((o) => usedNames.has(o.name)),
    newBatches,
    bureauOrgId,
    updates,
    status: scope.mode === 'bureau' ? 'PUBLISHED' : 'PENDING_REVIEW',
  }
}

export interface ImportSummary {
  created: number
  updated: number
  skipped: number
  errors: RowError[]
  /** False when invalid rows stopped the import: nothing was written. */
  written: boolean
}

/**
 * Writes a prepared import. With errors and without `skipInvalid`, writes nothing. Each batch of
 * rows is one short transaction; running the same file again updates the same listings.
 */
export async function runImport({
  actor,
  plan,
  skipInvalid = false,
  onProgress,
}: {
  actor: Importer
  plan: ImportPlan
  skipInvalid?: boolean
  onProgress?: (done: number, total: number) => void
}): Promise<ImportSummary> {
  const { kind, source, records } = plan
  const stopped = plan.errors.length > 0 && (!skipInvalid || records.length === 0)
  if (stopped) return { created: 0, updated: 0, skipped: plan.total, errors: plan.errors, written: false }
  const actorId = actor === 'system' ? null : actor.id
  const actorOrgId = actor === 'system' ? null : actor.orgId
  const db = await prisma()
  const now = new Date()

  const orgIds = plan.scope.mode === 'bureau' && kind !== 'scenario' ? await ensureOrgs(db, plan, actorId) : new Map<string, string>()
  const batchIds = kind === 'scenario' ? await ensureBatches(db, plan, actorId, now) : new Map<string, string>()
  const ownerOf = (record: ExchangeRecord): string => {
    if (plan.scope.mode === 'org') return plan.scope.orgId
    if (kind === 'scenario') return plan.bureauOrgId!
    return orgIds.get(record.owner!.name)!
  }

  let created = 0
  let updated = 0
  onProgress?.(0, records.length)
  for (const chunk of chunks(records, BATCH_SIZE)) {
    const result = await db.$transaction(
      async (tx) => {
        const table = delegate(tx, kind)
        const existing = await table.findMany({
          where: { source, externalId: { in: chunk.map((r) => r.externalId) } },
          select: { id: true, externalId: true, orgId: true, status: true, publishedAt: true },
        })
        const byExternalId = new Map(existing.map((e) => [e.externalId as string, e]))
        const creates: Record<string, unknown>[] = []
        const updatedIds: string[] = []
        const touched: string[] = []
        for (const record of chunk) {
          const data = listingData(kind, record.input)
          if (kind === 'scenario') data.batchId = record.batch ? batchIds.get(record.batch)! : null
          const orgId = ownerOf(record)
          const before = byExternalId.get(record.externalId)
          if (!before) {
            creates.push({
              ...data,
              orgId,
              // The creator hears about the listing later (staleness reminders): only someone of the owning organisation.
              createdById: actorOrgId === orgId ? actorId : null,
              status: plan.status,
              publishedAt: plan.status === 'PUBLISHED' ? now : null,
              refreshedAt: now,
              source,
              externalId: record.externalId,
            })
            continue
          }
          // Confidential details are never exported: a re-imported export must not erase them.
          for (const field of CONFIDENTIAL_FIELDS[kind]) if (data[field] === null) delete data[field]
          await table.update({
            where: plan.scope.mode === 'org' ? { id: before.id, orgId } : { id: before.id },
            data: {
              ...data,
              orgId,
              status: plan.status,
              publishedAt: plan.status === 'PUBLISHED' ? (before.publishedAt ?? now) : before.publishedAt,
              refreshedAt: now,
              staleAt: null,
              rejectReason: null,
            },
          })
          updatedIds.push(record.externalId)
          touched.push(before.id)
        }
        const created = creates.length
          ? await (tx[kind] as unknown as { createManyAndReturn(args: object): Promise<{ id: string }[]> }).createManyAndReturn({ data: creates, select: { id: true } })
          : []
        await syncSearchDocuments(tx, kind, [...created.map((c) => c.id), ...touched])
        await audit(tx, {
          actorId,
          action: `${kind}.import`,
          entityType: 'Import',
          entityId: source,
          after: { source, status: plan.status, created: creates.map((c) => c.externalId), updated: updatedIds },
        })
        return { created: creates.length, updated: updatedIds.length }
      },
      { timeout: 60_000, maxWait: 30_000 },
    )
    created += result.created
    updated += result.updated
    onProgress?.(created + updated, records.length)
  }
  return { created, updated, skipped: plan.total - created - updated, errors: plan.errors, written: true }
}

/** Checks and writes in one call (the CLI, the demo seed, tests). */
export async function importListings({
  actor,
  kind,
  file,
  source,
  bureauOrgId,
  skipInvalid,
  onProgress,
}: {
  actor: Importer
  kind: ListingKind
  file: ParsedFile
  source?: string
  bureauOrgId?: string
  skipInvalid?: boolean
  onProgress?: (done: number, total: number) => void
}) {
  const plan = await prepareImport({ actor, kind, file, source, bureauOrgId })
  return { plan, summary: await runImport({ actor, plan, skipInvalid, onProgress }) }
}

// ─── Helpers ────────────────────────────────────────────────────────────────────────

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** By exact name; of several with one name, the verified one, then the oldest. */
async function findOrgsByName(db: Db | Tx, names: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  for (const part of chunks(names, 1000)) {
    const rows = await db.organization.findMany({
      where: { name: { in: part } },
      select: { id: true, name: true },
      orderBy: [{ verified: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
    })
    for (const row of rows) if (!found.has(row.name)) found.set(row.name, row.id)
  }
  return found
}

async function ensureOrgs(db: Db, plan: ImportPlan, actorId: string | null): Promise<Map<string, string>> {
  const names = [...new Set(plan.records.map((r) => r.owner!.name))]
  return db.$transaction(async (tx) => {
    // Looked up again: another import may have created some since the plan was made.
    const ids = await findOrgsByName(tx, names)
    for (const org of plan.newOrgs) {
      if (ids.has(org.name)) continue
      const row = await tx.organization.create({
        data: { name: org.name, kind: org.kind, regionCode: org.regionCode, verified: false, invitationCode: newInvitationCode() },
      })
      await audit(tx, { actorId, action: 'org.import', entityType: 'Organization', entityId: row.id, after: { ...row, source: plan.source } })
      ids.set(org.name, row.id)
    }
    return ids
  })
}

async function ensureBatches(db: Db, plan: ImportPlan, actorId: string | null, now: Date): Promise<Map<string, string>> {
  const numbers = [...new Set(plan.records.map((r) => r.batch).filter((b): b is string => !!b))]
  const orgId = plan.bureauOrgId!
  return db.$transaction(async (tx) => {
    const existing = await tx.scenarioBatch.findMany({ where: { orgId, number: { in: numbers } }, select: { id: true, number: true } })
    const ids = new Map(existing.map((b) => [b.number, b.id]))
    for (const number of numbers) {
      if (ids.has(number)) continue
      const batch = await tx.scenarioBatch.create({
        data: { orgId, number, title: `应用场景清单（${number}）`, publishedAt: plan.status === 'PUBLISHED' ? now : null },
      })
      await audit(tx, { actorId, action: 'scenarioBatch.import', entityType: 'ScenarioBatch', entityId: batch.id, after: batch })
      ids.set(number, batch.id)
    }
    return ids
  })
}

/** The organisation that owns scenarios: the bureau member's own, else the oldest verified government body. */
async function bureauOrg(db: Db, actor: Importer): Promise<string> {
  if (actor !== 'system' && actor.role === 'BUREAU' && actor.orgId) return actor.orgId
  const org = await db.organization.findFirst({
    where: { kind: 'GOVERNMENT', verified: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
  })
  if (!org) throw new AppError('BAD_INPUT', 'err.import.noBureauOrg')
  return org.id
}

