import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { RouterContextProvider } from 'react-router'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { registerOutboxHandlers } from '~/domain/events/handlers.server'
import { drainOutbox, MAX_ATTEMPTS } from '~/domain/events/outbox.server'
import { markStaleListings } from '~/domain/listings/listings.server'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { prisma } from '~/infra/db/client.server'
import { resetEnv } from '~/infra/env.server'
import { authContext } from '~/infra/http/context'
import { makeUser } from '../../../tests/factories'
import * as detailRoute from '../../routes/admin.mail.detail'
import * as emlRoute from '../../routes/admin.mail.eml'
import * as listRoute from '../../routes/admin.mail'
import { notify } from './notify.server'

const ORIGIN = 'http://localhost'
let dataDir: string

async function context(user?: { id: string }) {
  const ctx = new RouterContextProvider()
  if (user) ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
  return ctx
}
const args = async (request: Request, user?: { id: string }, params: Record<string, string> = {}) => ({ request, params, context: await context(user) }) as never

async function rejection(promise: Promise<unknown>): Promise<Response> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(Response)
  return error as Response
}

function useTransport(url: string | undefined) {
  if (url) process.env.KZ_SMTP_URL = url
  else delete process.env.KZ_SMTP_URL
  resetEnv()
}

/** Runs every due outbox row, as the worker would, until nothing more is due. */
async function drainAll() {
  let total = { done: 0, failed: 0 }
  for (let i = 0; i < 20; i++) {
    const run = await drainOutbox(50)
    total = { done: total.done + run.done, failed: total.failed + run.failed }
    if (run.done + run.failed === 0) break
  }
  return total
}

/** Makes the outbox's waiting retries due now (the backoff has "passed"). */
async function retriesAreDue() {
  const db = await prisma()
  await db.outbox.updateMany({ where: { status: 'PENDING' }, data: { runAt: new Date(Date.now() - 1000) } })
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function notifyOne(userId: string, type: 'nda.requested' | 'deal.stage' = 'nda.requested') {
  const db = await prisma()
  return db.$transaction((tx) => notify(tx, { userIds: [userId], type, params: { deal: 'd1', dealTitle: '精密减速器', stage: 'NDA' }, link: '/deals/d1' }))
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kz-mail-'))
  process.env.KZ_DATA_DIR = dataDir
  process.env.KZ_PUBLIC_URL = 'https://kz.example.cn'
  resetEnv()
  registerOutboxHandlers()
})

afterAll(() => {
  delete process.env.KZ_SMTP_URL
  delete process.env.KZ_PUBLIC_URL
  delete process.env.KZ_DATA_DIR
  resetEnv()
  rmSync(dataDir, { recursive: true, force: true })
})

beforeEach(async () => {
  useTransport(undefined)
  await drainAll()
})

describe('e-mail through the outbox', () => {
  it('writes the notification as an e-mail in the reader’s language, logs it and sends it (.eml without SMTP)', async () => {
    const user = await makeUser({ role: 'ENTERPRISE' })
    const db = await prisma()
    await db.user.update({ where: { id: user.id }, data: { locale: 'en' } })
    const [notificationId] = await notifyOne(user.id)
    await drainAll()
    const mail = await db.emailMessage.findFirstOrThrow({ where: { to: user.email } })
    expect(mail).toMatchObject({ status: 'SENT', category: 'notification', attempts: 1, lastError: null, subject: '[KeZhuan] Please accept the NDA of the deal "精密减速器"' })
    expect(mail.text).toContain(`https://kz.example.cn/notifications/${notificationId}/open`)
    expect(mail.text).toContain('https://kz.example.cn/account/notifications')
    expect(mail.emlPath).toMatch(/^mail\/.+\.eml$/)
    const eml = readFileSync(path.join(dataDir, mail.emlPath!), 'utf8')
    expect(eml).toContain(`To: ${user.email}`)
    expect(eml).toContain(`Message-ID: ${mail.messageId}`)
  })

  it('keeps the e-mail when the mail server is down, and sends it on a later try', async () => {
    const user = await makeUser({ role: 'SUPPLIER' })
    useTransport(`smtp://127.0.0.1:${await closedPort()}`)
    await notifyOne(user.id)
    await drainAll()
    const db = await prisma()
    const failed = await db.emailMessage.findFirstOrThrow({ where: { to: user.email } })
    expect(failed.status).toBe('QUEUED')
    expect(failed.attempts).toBe(1)
    expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i)
    expect(failed.sentAt).toBeNull()
    const outboxRow = () => db.outbox.findFirstOrThrow({ where: { topic: 'email.send', payload: { equals: { emailId: failed.id } } } })
    const waiting = await outboxRow()
    expect(waiting).toMatchObject({ status: 'PENDING', attempts: 1, blockedBy: 'smtp' })
    expect(waiting.runAt.getTime()).toBeGreaterThan(Date.now())
    // Down for longer than the outbox's retries: the e-mail still waits.
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await retriesAreDue()
      await drainAll()
    }
    expect(await outboxRow()).toMatchObject({ status: 'PENDING', attempts: MAX_ATTEMPTS + 1, blockedBy: 'smtp' })
    expect(await db.emailMessage.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ status: 'QUEUED', attempts: MAX_ATTEMPTS + 1 })

    // The mail server is back (a real SMTP server on this machine).
    const received: string[] = []
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        let message = ''
        stream.setEncoding('utf8')
        stream.on('data', (chunk: string) => (message += chunk))
        stream.on('end', () => {
          received.push(message)
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      useTransport(`smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`)
      await retriesAreDue()
      await drainAll()
      const sent = await db.emailMessage.findUniqueOrThrow({ where: { id: failed.id } })
      expect(sent).toMatchObject({ status: 'SENT', attempts: MAX_ATTEMPTS + 2, lastError: null, emlPath: null, messageId: failed.messageId })
      expect(received).toHaveLength(1)
      expect(received[0]).toContain(`Message-ID: ${failed.messageId}`)
      expect(received[0]).toContain(`To: ${user.email}`)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('marks an e-mail the server refuses FAILED when the outbox gives up, and an administrator can send it again', async () => {
    const user = await makeUser({ role: 'BROKER' })
    const admin = await makeUser({ role: 'ADMIN' })
    // A real SMTP server that refuses the recipient for good (550).
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }))
      },
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const db = await prisma()
    let mail
    try {
      useTransport(`smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`)
      await notifyOne(user.id)
      await drainAll()
      mail = await db.emailMessage.findFirstOrThrow({ where: { to: user.email } })
      expect(mail).toMatchObject({ status: 'QUEUED', attempts: 1 })
      expect(mail.lastError).toMatch(/mailbox unavailable/)
      const row = await db.outbox.findFirstOrThrow({ where: { topic: 'email.send', payload: { equals: { emailId: mail.id } } } })
      expect(row).toMatchObject({ status: 'PENDING', blockedBy: null })
      // Nine tries have failed already; the tenth is the last.
      await db.outbox.update({ where: { id: row.id }, data: { attempts: MAX_ATTEMPTS - 1, runAt: new Date(Date.now() - 1000) } })
      await drainAll()
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
    expect(await db.emailMessage.findUniqueOrThrow({ where: { id: mail.id } })).toMatchObject({ status: 'FAILED', attempts: 2 })
    expect((await db.outbox.findFirstOrThrow({ where: { topic: 'email.send', payload: { equals: { emailId: mail.id } } } })).status).toBe('FAILED')

    const listed = await listRoute.loader(await args(new Request(`${ORIGIN}/admin/mail?status=FAILED&q=${encodeURIComponent(user.email.toUpperCase())}`), admin))
    expect(listed.items.map((m) => m.id)).toEqual([mail.id])
    expect(listed.counts.FAILED).toBeGreaterThanOrEqual(1)

    useTransport(undefined)
    const retry = (await detailRoute.action(await args(new Request(`${ORIGIN}/admin/mail/${mail.id}`, { method: 'POST', body: new URLSearchParams({ intent: 'retry' }) }), admin, { id: mail.id }))) as Response
    expect(retry.status).toBe(302)
    expect(await db.emailMessage.findUniqueOrThrow({ where: { id: mail.id } })).toMatchObject({ status: 'QUEUED' })
    expect(await db.auditLog.count({ where: { action: 'mail.retry', entityId: mail.id, actorId: admin.id } })).toBe(1)
    // A second retry of a queued e-mail is refused: one outbox row per try.
    const again = (await detailRoute.action(await args(new Request(`${ORIGIN}/admin/mail/${mail.id}`, { method: 'POST', body: new URLSearchParams({ intent: 'retry' }) }), admin, { id: mail.id }))) as unknown as { init: ResponseInit; data: { formError: string } }
    expect(again.init.status).toBe(409)
    expect(again.data.formError).toBe('err.mail.notFailed')
    await drainAll()
    expect(await db.emailMessage.findUniqueOrThrow({ where: { id: mail.id } })).toMatchObject({ status: 'SENT', attempts: 3, lastError: null })
  })

  it('puts the stale-listing reminder in the log too, one e-mail per person', async () => {
    const owner = await makeUser({ role: 'SUPPLIER', isOrgAdmin: true })
    const db = await prisma()
    const achievement = await db.achievement.create({
      data: {
        orgId: owner.orgId!,
        createdById: owner.id,
        title: '老旧成果',
        summary: '很久没有更新的成果',
        field: 'NEW_MATERIALS',
        industry: 'ENERGY_MATERIALS',
        trl: 4,
        stage: 'LAB',
        status: 'PUBLISHED',
        publishedAt: new Date('2024-01-01'),
        refreshedAt: new Date('2024-01-01'),
      },
    })
    await markStaleListings()
    await drainAll()
    const mails = await db.emailMessage.findMany({ where: { category: 'listing.stale', to: owner.email } })
    expect(mails).toHaveLength(1)
    expect(mails[0]).toMatchObject({ status: 'SENT', subject: '【科转】请更新您的科技成果：老旧成果' })
    expect(mails[0]!.text).toContain(`https://kz.example.cn/achievements/${achievement.id}`)
  })
})

describe('/admin/mail', () => {
  it('is for administrators only: others get 403, visitors are sent to sign in', async () => {
    const anonymous = await rejection(listRoute.loader(await args(new Request(`${ORIGIN}/admin/mail`))))
    expect(anonymous.status).toBe(302)
    for (const role of ['BUREAU', 'ENTERPRISE', 'BROKER', 'SUPPLIER'] as const) {
      const user = await makeUser({ role })
      expect((await rejection(listRoute.loader(await args(new Request(`${ORIGIN}/admin/mail`), user)))).status).toBe(403)
      expect((await rejection(detailRoute.loader(await args(new Request(`${ORIGIN}/admin/mail/x`), user, { id: 'x' })))).status).toBe(403)
      expect((await rejection(emlRoute.loader(await args(new Request(`${ORIGIN}/admin/mail/x/eml`), user, { id: 'x' })))).status).toBe(403)
    }
  })

  it('lists, filters, opens and downloads an e-mail; a wrong filter is dropped; an unknown id is 404', async () => {
    const admin = await makeUser({ role: 'ADMIN' })
    const user = await makeUser({ role: 'ENTERPRISE' })
    await notifyOne(user.id)
    await drainAll()
    const db = await prisma()
    const mail = await db.emailMessage.findFirstOrThrow({ where: { to: user.email } })
    const page = await listRoute.loader(await args(new Request(`${ORIGIN}/admin/mail?status=SENT&page=1`), admin))
    expect(page.items.some((m) => m.id === mail.id)).toBe(true)
    expect(page.items.every((m) => m.status === 'SENT')).toBe(true)
    const bad = await listRoute.loader(await args(new Request(`${ORIGIN}/admin/mail?status=LOST&page=-3`), admin))
    expect(bad.invalid.sort()).toEqual(['page', 'status'])
    expect(bad.query).toEqual({ page: 1 })

    const detail = await detailRoute.loader(await args(new Request(`${ORIGIN}/admin/mail/${mail.id}`), admin, { id: mail.id }))
    expect(detail.mail).toMatchObject({ to: user.email, subject: mail.subject, status: 'SENT' })
    expect(detail.mail.from).toContain('@')

    const download = (await emlRoute.loader(await args(new Request(`${ORIGIN}/admin/mail/${mail.id}/eml`), admin, { id: mail.id }))) as Response
    expect(download.status).toBe(200)
    expect(download.headers.get('Content-Type')).toBe('message/rfc822')
    expect(download.headers.get('Content-Disposition')).toContain('.eml')
    expect(await download.text()).toContain(`To: ${user.email}`)

    expect((await rejection(detailRoute.loader(await args(new Request(`${ORIGIN}/admin/mail/nope`), admin, { id: 'nope' })))).status).toBe(404)
    expect(((await emlRoute.loader(await args(new Request(`${ORIGIN}/admin/mail/nope/eml`), admin, { id: 'nope' }))) as Response).status).toBe(404)
  })
})
