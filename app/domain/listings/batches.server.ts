import { Prisma } from '~/generated/prisma/client'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import { authorize, type Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import type { BatchInput } from './batch-schemas'
import { CREATE_PERMISSION } from './kinds'

/**
 * Scenario batches: the bureau publishes its application-scenario list in numbered batches
 * (DOMAIN.md). A batch is the bureau organisation's own; publishing it publishes every
 * scenario of the batch that is still a draft or waiting for review, in one transaction.
 */

function requireBureau(actor: Actor): asserts actor is Actor & { orgId: string } {
  authorize(actor, CREATE_PERMISSION.scenario)
  if (!actor.orgId) throw new AppError('FORBIDDEN', 'err.noOrg')
}

const PUBLISHABLE = ['DRAFT', 'PENDING_REVIEW'] as const

export async function createBatch({ actor, input, ip }: { actor: Actor; input: BatchInput; ip?: string | null }) {
  requireBureau(actor)
  const db = await prisma()
  try {
    return await db.$transaction(async (tx) => {
      const batch = await tx.scenarioBatch.create({
        data: { orgId: actor.orgId, number: input.number, title: input.title },
        select: { id: true, number: true, title: true, publishedAt: true },
      })
      await audit(tx, { actorId: actor.id, action: 'scenarioBatch.create', entityType: 'ScenarioBatch', entityId: batch.id, after: batch, ip })
      return batch
    })
  } catch (error) {
    // The number is unique per organisation; two people creating the same batch meet here.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('CONFLICT', 'err.invalidForm', { fields: { number: 'err.batchNumberTaken' } })
    }
    throw error
  }
}

/** The organisation's batches, newest first, with their scenarios (title and status). */
export async function listBatches({ actor }: { actor: Actor }) {
  requireBureau(actor)
  const db = await prisma()
  const batches = await db.scenarioBatch.findMany({
    where: { orgId: actor.orgId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: 200,
    select: {
      id: true,
      number: true,
      title: true,
      publishedAt: true,
      createdAt: true,
      scenarios: { select: { id: true, title: true, status: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    },
  })
  return batches.map((b) => ({
    ...b,
    publishable: b.scenarios.filter((s) => (PUBLISHABLE as readonly string[]).includes(s.status)).length,
  }))
}

/** Published batches of any organisation, for the public filter of the scenario list. */
export async function listPublishedBatches() {
  const db = await prisma()
  return db.scenarioBatch.findMany({
    where: { publishedAt: { not: null } },
    orderBy: [{ publishedAt: 'desc' }, { id: 'asc' }],
    take: 100,
    select: { id: true, number: true, title: true },
  })
}

/**
 * Publishes a batch: every DRAFT or PENDING_REVIEW scenario in it becomes PUBLISHED, each with
 * its own audit entry, and the batch records when it was first published. Publishing again
 * later publishes scenarios added since; with nothing left to publish it is a conflict.
 */
export async function publishBatch({ actor, id, ip, now = new Date() }: { actor: Actor; id: string; ip?: string | null; now?: Date }) {
  requireBureau(actor)
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const batch = await tx.scenarioBatch.findFirst({
      where: { id, orgId: actor.orgId },
      select: { id: true, number: true, title: true, publishedAt: true, org: { select: { verified: true } } },
    })
    if (!batch) throw new AppError('NOT_FOUND', 'err.notFound')
    if (!batch.org.verified) throw new AppError('FORBIDDEN', 'err.orgNotVerified')
    const scenarios = await tx.scenario.findMany({
      where: { batchId: batch.id, orgId: actor.orgId, status: { in: [...PUBLISHABLE] } },
      select: { id: true, status: true },
      orderBy: { id: 'asc' },
    })
    if (scenarios.length === 0) throw new AppError('CONFLICT', 'err.batchNothingToPublish')
    for (const s of scenarios) {
      // The status in the `where` guards against a concurrent change since the read above.
      const { count } = await tx.scenario.updateMany({
        where: { id: s.id, status: s.status },
        data: { status: 'PUBLISHED', publishedAt: now, refreshedAt: now, staleAt: null, rejectReason: null },
      })
      if (count !== 1) throw new AppError('CONFLICT', 'err.batchChanged')
      await audit(tx, {
        actorId: actor.id,
        action: 'scenario.publish',
        entityType: 'Scenario',
        entityId: s.id,
        before: { status: s.status },
        after: { status: 'PUBLISHED', batchId: batch.id },
        ip,
      })
    }
    const publishedAt = batch.publishedAt ?? now
    await tx.scenarioBatch.update({ where: { id: batch.id }, data: { publishedAt } })
    await audit(tx, {
      actorId: actor.id,
      action: 'scenarioBatch.publish',
      entityType: 'ScenarioBatch',
      entityId: batch.id,
      before: { publishedAt: batch.publishedAt },
      after: { publishedAt, scenarios: scenarios.map((s) => s.id) },
      ip,
    })
    return { id: batch.id, number: batch.number, title: batch.title, publishedAt, published: scenarios.length }
  })
}
