import type { Prisma } from '~/generated/prisma/client'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import type { Actor } from '~/domain/users/accounts.server'
import { can } from '~/domain/users/permissions'
import { prisma } from '~/infra/db/client.server'

/**
 * The commission ledger: a broker sees their own entries (earned = every entry, due, paid);
 * bureau staff and administrators (commission:read-all) see everyone's and mark an entry
 * paid once the commission has been paid out.
 */

export function readsAllCommissions(actor: Actor) {
  return can(actor.role, 'commission:read-all')
}

export async function commissionLedger({ actor, take = 200 }: { actor: Actor; take?: number }) {
  const all = readsAllCommissions(actor)
  if (!all && actor.role !== 'BROKER') throw new AppError('FORBIDDEN', 'err.forbidden')
  const where: Prisma.CommissionEntryWhereInput = all ? {} : { brokerId: actor.id }
  const db = await prisma()
  const [entries, sums] = await Promise.all([
    db.commissionEntry.findMany({
      where,
      orderBy: [{ status: 'asc' }, { createdAt: 'desc' }],
      take,
      include: {
        contract: { select: { id: true, number: true, title: true } },
        milestone: { select: { seq: true, title: true } },
      },
    }),
    db.commissionEntry.groupBy({ by: ['status'], where, _sum: { amountFen: true }, _count: true }),
  ])
  const brokerIds = [...new Set(entries.map((e) => e.brokerId))]
  const brokers = brokerIds.length ? await db.user.findMany({ where: { id: { in: brokerIds } }, select: { id: true, name: true } }) : []
  const names = new Map(brokers.map((b) => [b.id, b.name]))
  const sum = (status: 'DUE' | 'PAID') => sums.find((s) => s.status === status)?._sum.amountFen ?? 0n
  const due = sum('DUE')
  const paid = sum('PAID')
  return {
    all,
    mayMarkPaid: all,
    totals: { earned: due + paid, due, paid, count: sums.reduce((n, s) => n + s._count, 0) },
    entries: entries.map((e) => ({ ...e, brokerName: names.get(e.brokerId) ?? null })),
  }
}

/** Bureau staff record that a due entry was paid out to the broker. */
export async function markCommissionPaid({ actor, entryId, ip, now = new Date() }: { actor: Actor; entryId: string; ip?: string | null; now?: Date }) {
  if (!readsAllCommissions(actor)) throw new AppError('FORBIDDEN', 'err.forbidden')
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const entry = await tx.commissionEntry.findUnique({ where: { id: entryId } })
    if (!entry) throw new AppError('NOT_FOUND', 'err.notFound')
    const { count } = await tx.commissionEntry.updateMany({ where: { id: entryId, status: 'DUE' }, data: { status: 'PAID', paidAt: now } })
    if (count === 0) throw new AppError('CONFLICT', 'err.commission.alreadyPaid')
    await audit(tx, {
      actorId: actor.id,
      action: 'commission.paid',
      entityType: 'CommissionEntry',
      entityId: entryId,
      before: { status: entry.status },
      after: { status: 'PAID', paidAt: now, amountFen: entry.amountFen, brokerId: entry.brokerId },
      ip,
    })
    return { ...entry, status: 'PAID' as const, paidAt: now }
  })
}
