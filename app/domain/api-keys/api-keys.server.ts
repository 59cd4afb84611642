import { createHash, randomBytes } from 'node:crypto'
import { audit } from '~/domain/audit.server'
import { AppError } from '~/domain/errors'
import type { Actor } from '~/domain/users/accounts.server'
import { ROLE_BY_ORG_KIND } from '~/domain/users/permissions'
import { prisma } from '~/infra/db/client.server'
import type { ApiKeyInput } from './schemas'

/**
 * API keys let an organisation's systems use the JSON API. A key acts for its organisation
 * with the role the organisation's kind gives, in the name of the person who created it (so
 * audit rows name a person). Only the key's sha256 and its first characters are stored: the
 * full key is shown once, when it is created.
 */
export const API_KEY_PREFIX = 'kz_'
const KEY_SHAPE = /^kz_[A-Za-z0-9_-]{43}$/
/** Characters of the key kept to recognise it in a list: `kz_` and 8 more. */
const SHOWN_CHARS = 11
/** Writing lastUsedAt on every request would turn each read into a write. */
const TOUCH_EVERY_MS = 60 * 1000

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

function requireOrgAdmin(actor: Actor): string {
  if (!actor.orgId || !actor.isOrgAdmin) throw new AppError('FORBIDDEN', 'err.forbidden')
  return actor.orgId
}

const keySelect = { id: true, name: true, prefix: true, createdById: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const

/** Creates a key for the actor's organisation; the returned `secret` is never available again. */
export async function createApiKey({ actor, input, ip }: { actor: Actor; input: ApiKeyInput; ip?: string | null }) {
  const orgId = requireOrgAdmin(actor)
  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`
  const db = await prisma()
  const key = await db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: { orgId, createdById: actor.id, name: input.name, prefix: secret.slice(0, SHOWN_CHARS), keyHash: hashApiKey(secret) },
      select: keySelect,
    })
    await audit(tx, {
      actorId: actor.id,
      action: 'apiKey.create',
      entityType: 'ApiKey',
      entityId: created.id,
      after: { orgId, name: created.name, prefix: created.prefix },
      ip,
    })
    return created
  })
  return { key, secret }
}

/** The organisation's keys, newest first, revoked ones included, with their creators' names. */
export async function listApiKeys({ actor }: { actor: Actor }) {
  const orgId = requireOrgAdmin(actor)
  const db = await prisma()
  const keys = await db.apiKey.findMany({ where: { orgId }, select: keySelect, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] })
  const people = await db.user.findMany({
    where: { id: { in: [...new Set(keys.map((k) => k.createdById))] } },
    select: { id: true, name: true },
  })
  const names = new Map(people.map((p) => [p.id, p.name]))
  return keys.map((k) => ({ ...k, createdByName: names.get(k.createdById) ?? null }))
}

/** Revokes a key of the actor's organisation; revoking it again changes nothing. */
export async function revokeApiKey({ actor, id, ip }: { actor: Actor; id: string; ip?: string | null }) {
  const orgId = requireOrgAdmin(actor)
  const db = await prisma()
  return db.$transaction(async (tx) => {
    const before = await tx.apiKey.findFirst({ where: { id, orgId }, select: keySelect })
    if (!before) throw new AppError('NOT_FOUND', 'err.notFound')
    if (before.revokedAt) return before
    const after = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, select: keySelect })
    await audit(tx, {
      actorId: actor.id,
      action: 'apiKey.revoke',
      entityType: 'ApiKey',
      entityId: id,
      before: { revokedAt: null },
      after: { orgId, name: after.name, prefix: after.prefix, revokedAt: after.revokedAt },
      ip,
    })
    return after
  })
}

/**
 * The actor a key stands for, or null when the key is malformed, unknown or revoked, or while
 * the account of the person it acts in the name of is disabled (as that person's sessions end).
 * A key belongs to its organisation: it outlives its creator's membership (docs/api.md).
 * Records its use at most once a minute (a conditional update, so concurrent requests write once).
 */
export async function actorForApiKey(secret: string, now = new Date()): Promise<(Actor & { apiKeyId: string }) | null> {
  if (!KEY_SHAPE.test(secret)) return null
  const db = await prisma()
  const key = await db.apiKey.findUnique({
    where: { keyHash: hashApiKey(secret) },
    select: { id: true, orgId: true, createdById: true, revokedAt: true, lastUsedAt: true, org: { select: { kind: true } } },
  })
  if (!key || key.revokedAt) return null
  const creator = await db.user.findUnique({ where: { id: key.createdById }, select: { disabledAt: true } })
  if (!creator || creator.disabledAt) return null
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    const stale = new Date(now.getTime() - TOUCH_EVERY_MS)
    await db.apiKey.updateMany({
      where: { id: key.id, revokedAt: null, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: stale } }] },
      data: { lastUsedAt: now },
    })
  }
  return { id: key.createdById, role: ROLE_BY_ORG_KIND[key.org.kind], orgId: key.orgId, isOrgAdmin: false, apiKeyId: key.id }
}
