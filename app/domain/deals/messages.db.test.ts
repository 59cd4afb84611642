import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { RouterContextProvider } from 'react-router'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createApiKey } from '~/domain/api-keys/api-keys.server'
import { joinDeal, moveStage } from '~/domain/deals/deals.server'
import { AppError } from '~/domain/errors'
import { SAMPLES } from '~/domain/files/file-samples'
import { ErrorResponseSchema } from '~/domain/listings/openapi'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import * as messagesApi from '../../routes/api/deal-messages'
import { MAX_ATTACHMENT_BYTES } from './attachments.server'
import { DealMessageItemSchema, DealMessageListSchema } from './messages-api'
import { attachmentFile, listMessages, markConversationRead, postMessage } from './messages.server'
import { dealWorld, ndaInEffect, useTempDataDir, type DealWorld } from './nda.test-support'
import { conversationView } from './timeline.server'

async function refused(promise: Promise<unknown>, code: AppError['code'], message?: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error, 'expected a refusal').toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe(code)
  if (message) expect((error as AppError).message).toBe(message)
  return error as AppError
}

const post = (actor: Actor, body: string, extra: { kind?: string; files?: { name: string; bytes: Uint8Array }[] } = {}) =>
  postMessage({ actor, dealId: w.dealId, input: { body, kind: extra.kind ?? 'MESSAGE' }, files: extra.files ?? [] })

const bodiesFor = async (actor: Actor) => (await listMessages({ actor, dealId: w.dealId, limit: 100 })).items.map((m) => m.body)

async function counts() {
  const db = await prisma()
  const dir = path.join(dataDir, 'uploads', 'deals', w.dealId)
  return {
    messages: await db.dealMessage.count({ where: { dealId: w.dealId } }),
    attachments: await db.dealAttachment.count({ where: { message: { dealId: w.dealId } } }),
    files: existsSync(dir) ? readdirSync(dir).length : 0,
  }
}

async function api(method: 'GET' | 'POST', query: string, key: string, body?: unknown) {
  const request = new Request(`http://localhost/api/v1/deals/${w.dealId}/messages${query}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  const handler = method === 'GET' ? messagesApi.loader : messagesApi.action
  const response = (await handler({ request, params: { id: w.dealId }, context: new RouterContextProvider() } as never)) as Response
  return { status: response.status, json: (await response.json()) as any }
}

function conforms(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value)
  expect(result.success, result.success ? '' : z.prettifyError(result.error)).toBe(true)
}

let w: DealWorld
let dataDir: string
let keys: Record<'broker' | 'buyer' | 'sellerA' | 'third', string>

beforeAll(async () => {
  dataDir = useTempDataDir()
  w = await dealWorld()
  const key = async (actor: Actor) => (await createApiKey({ actor, input: { name: 'sync' } })).secret
  keys = { broker: await key(w.broker), buyer: await key(w.buyer), sellerA: await key(w.sellerA), third: await key(w.third) }
})

describe('messages', () => {
  it('brokers and parties write; everyone reads the brokers’ and the buyer’s messages; a seller never reads another seller’s', async () => {
    await post(w.broker, '各位好，这是项目沟通群。')
    await post(w.buyer, '我们希望下月安排现场考察。')
    await post(w.sellerA, 'A 方报价另行发送。')
    await post(w.sellerB, 'B 方可提供中试数据。')
    expect(await bodiesFor(w.broker)).toHaveLength(4)
    expect(await bodiesFor(w.buyer)).toHaveLength(4)
    expect(await bodiesFor(w.sellerA)).toEqual(['A 方报价另行发送。', '我们希望下月安排现场考察。', '各位好，这是项目沟通群。'])
    expect(await bodiesFor(w.sellerB)).not.toContain('A 方报价另行发送。')
  })

  it('notifies those who may read a message, never its author nor a competing seller', async () => {
    const db = await prisma()
    const before = async (u: { id: string }) => db.notification.count({ where: { userId: u.id, type: 'deal.message' } })
    const start = { broker: await before(w.broker), assist: await before(w.assist), buyer: await before(w.buyer), sellerA: await before(w.sellerA), sellerB: await before(w.sellerB), third: await before(w.third) }
    await post(w.sellerA, 'A 方补充：可以提供样件。')
    expect(await before(w.broker)).toBe(start.broker + 1)
    expect(await before(w.assist)).toBe(start.assist + 1)
    expect(await before(w.buyer)).toBe(start.buyer + 1)
    expect(await before(w.sellerA)).toBe(start.sellerA)
    expect(await before(w.sellerB)).toBe(start.sellerB)
    expect(await before(w.third)).toBe(start.third)
    const n = await db.notification.findFirstOrThrow({ where: { userId: w.buyer.id, type: 'deal.message' }, orderBy: { createdAt: 'desc' } })
    expect(n.link).toBe(`/deals/${w.dealId}/conversation`)
    expect(n.params).toMatchObject({ deal: w.dealNumber, author: w.sellerA.name })
  })

  it('keeps markup as the text it is', async () => {
    const html = '<script>alert("x")</script><img src=x onerror=alert(1)> & 完'
    const m = await post(w.buyer, html)
    expect(m.body).toBe(html)
    expect((await listMessages({ actor: w.broker, dealId: w.dealId, limit: 1 })).items[0]!.body).toBe(html)
  })

  it('refuses an empty message, one over 5000 characters, and people outside the deal', async () => {
    const start = await counts()
    await refused(post(w.buyer, '   '), 'BAD_INPUT', 'err.conv.empty')
    const long = await refused(post(w.buyer, '长'.repeat(5001)), 'BAD_INPUT')
    expect(long.fields?.body).toMatch(/^err\.tooLong/)
    await refused(post(w.third, '我也想参与'), 'NOT_FOUND')
    await refused(post(w.otherBroker, '我来协助'), 'NOT_FOUND')
    expect(await counts()).toEqual(start)
  })
})

describe('attachments', () => {
  it('stores PDF, Word and image files under the data directory with their type and sha256, for whoever reads the message', async () => {
    const m = await post(w.sellerA, '技术资料见附件', {
      files: [
        { name: '技术方案.pdf', bytes: SAMPLES.pdf },
        { name: '参数表.docx', bytes: SAMPLES.docx },
        { name: '样件照片.PNG', bytes: SAMPLES.png },
      ],
    })
    expect(m.attachments.map((a) => [a.name, a.mime])).toEqual([
      ['技术方案.pdf', 'application/pdf'],
      ['参数表.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['样件照片.PNG', 'image/png'],
    ])
    const file = await attachmentFile({ actor: w.buyer, dealId: w.dealId, attachmentId: m.attachments[0]!.id })
    expect(file.path.startsWith(path.join(dataDir, 'uploads', 'deals', w.dealId) + path.sep)).toBe(true)
    expect(readFileSync(file.path)).toEqual(Buffer.from(SAMPLES.pdf))
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/)
    // A competing seller may not fetch it, even knowing its id; nor may a stranger.
    await refused(attachmentFile({ actor: w.sellerB, dealId: w.dealId, attachmentId: m.attachments[0]!.id }), 'NOT_FOUND')
    await refused(attachmentFile({ actor: w.third, dealId: w.dealId, attachmentId: m.attachments[0]!.id }), 'NOT_FOUND')
  })

  it('refuses an .exe renamed .pdf, a mismatched extension, an empty file, more than 10 MB and more than three files; nothing is left behind', async () => {
    const start = await counts()
    const one = (name: string, bytes: Uint8Array) => post(w.buyer, '附件', { files: [{ name, bytes }] })
    const exe = await refused(one('报价单.pdf', SAMPLES.exe), 'BAD_INPUT', 'err.conv.fileType')
    expect(exe.params).toMatchObject({ name: '报价单.pdf' })
    expect(exe.fields).toEqual({ files: 'err.conv.fileType' })
    const word = await refused(one('合同.pdf', SAMPLES.docx), 'BAD_INPUT', 'err.conv.fileExtension')
    expect(word.params).toMatchObject({ ext: '.pdf', type: 'Word (.docx)' })
    await refused(one('图片.jpg', SAMPLES.png), 'BAD_INPUT', 'err.conv.fileExtension')
    await refused(one('没有扩展名', SAMPLES.pdf), 'BAD_INPUT', 'err.conv.fileExtension')
    await refused(one('压缩包.zip', SAMPLES.zip), 'BAD_INPUT', 'err.conv.fileType')
    await refused(one('空.pdf', new Uint8Array()), 'BAD_INPUT', 'err.conv.fileEmpty')
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1)
    big.set(SAMPLES.pdf)
    await refused(one('大文件.pdf', big), 'BAD_INPUT', 'err.conv.fileTooLarge')
    const four = Array.from({ length: 4 }, (_, i) => ({ name: `${i}.pdf`, bytes: SAMPLES.pdf }))
    await refused(post(w.buyer, '四个附件', { files: four }), 'BAD_INPUT', 'err.conv.tooManyFiles')
    // A valid file with a refused one: neither is kept.
    await refused(post(w.buyer, '两个附件', { files: [{ name: 'ok.pdf', bytes: SAMPLES.pdf }, { name: 'bad.pdf', bytes: SAMPLES.exe }] }), 'BAD_INPUT', 'err.conv.fileType')
    expect(await counts()).toEqual(start)
  })

  it('a file of exactly 10 MB is accepted', async () => {
    const bytes = new Uint8Array(MAX_ATTACHMENT_BYTES)
    bytes.set(SAMPLES.pdf)
    const m = await post(w.broker, '', { files: [{ name: '完整报告.pdf', bytes }] })
    expect(m.attachments[0]!.size).toBe(MAX_ATTACHMENT_BYTES)
  })
})

describe('notes, the bureau and the timeline', () => {
  it('only the deal’s brokers write notes; parties never read them, not even through the API; the bureau does', async () => {
    const note = await post(w.assist, '内部：A 方报价偏高，可压价 15%', { kind: 'NOTE', files: [{ name: '比价.xlsx', bytes: SAMPLES.xlsx }] })
    expect(note.kind).toBe('NOTE')
    await refused(post(w.buyer, '我也写备注', { kind: 'NOTE' }), 'FORBIDDEN', 'err.conv.notesBrokersOnly')
    await refused(post(w.sellerA, '我也写备注', { kind: 'NOTE' }), 'FORBIDDEN', 'err.conv.notesBrokersOnly')
    for (const party of [w.buyer, w.buyerMember, w.sellerA, w.sellerB]) {
      expect(await bodiesFor(party)).not.toContain(note.body)
      const view = await conversationView({ actor: party, dealId: w.dealId })
      expect(JSON.stringify(view)).not.toContain('可压价')
      await refused(attachmentFile({ actor: party, dealId: w.dealId, attachmentId: note.attachments[0]!.id }), 'NOT_FOUND')
    }
    expect(await bodiesFor(w.broker)).toContain(note.body)
    expect(await bodiesFor(w.bureau)).toContain(note.body)
    const buyerApi = await api('GET', '?limit=100', keys.buyer)
    expect(buyerApi.status).toBe(200)
    conforms(DealMessageListSchema, buyerApi.json)
    expect(buyerApi.json.data.some((m: { kind: string }) => m.kind === 'NOTE')).toBe(false)
    const brokerApi = await api('GET', '?limit=100', keys.broker)
    expect(brokerApi.json.data.some((m: { body: string }) => m.body === note.body)).toBe(true)
  })

  it('bureau staff read without joining, write only after joining, and never write notes', async () => {
    await refused(post(w.bureau, '区科技局关注本项目'), 'FORBIDDEN', 'err.conv.joinFirst')
    expect((await conversationView({ actor: w.bureau, dealId: w.dealId })).may).toEqual({ post: false, note: false, join: true })
    // Reading leaves no read receipt before joining.
    expect(await markConversationRead({ actor: w.bureau, dealId: w.dealId })).toBe(false)
    await joinDeal({ actor: w.bureau, dealId: w.dealId })
    const m = await post(w.bureau, '区科技局关注本项目，欢迎申报技术合同登记。')
    expect((await listMessages({ actor: w.sellerA, dealId: w.dealId, limit: 1 })).items[0]).toMatchObject({ id: m.id, author: { side: 'bureau' } })
    await refused(post(w.bureau, '备注', { kind: 'NOTE' }), 'FORBIDDEN', 'err.conv.notesBrokersOnly')
    const events = (await conversationView({ actor: w.buyer, dealId: w.dealId })).items.filter((i) => i.type === 'event').map((i) => (i as { event: string }).event)
    expect(events).toContain('member.bureau')
  })

  it('the timeline merges messages and events; parties see no internal event and no other seller’s NDA', async () => {
    await ndaInEffect(w)
    const eventsOf = async (actor: Actor) =>
      (await conversationView({ actor, dealId: w.dealId })).items.flatMap((i) => (i.type === 'event' ? [{ event: i.event, internal: i.internal, params: i.params }] : []))
    const broker = await eventsOf(w.broker)
    expect(broker.some((e) => e.internal)).toBe(true)
    expect(broker.map((e) => e.event)).toEqual(expect.arrayContaining(['deal.created', 'candidate.added', 'candidate.introduced', 'nda.sent', 'nda.effective']))
    const buyer = await eventsOf(w.buyer)
    expect(buyer.some((e) => e.internal)).toBe(false)
    expect(buyer.map((e) => e.event)).toEqual(expect.arrayContaining(['nda.sent', 'nda.accepted', 'nda.effective']))
    const sellerB = await eventsOf(w.sellerB)
    expect(sellerB.some((e) => e.internal)).toBe(false)
    expect(sellerB.some((e) => e.params.sellerOrgId === w.sellerOrgA.id)).toBe(false)
    // Messages and events in time order.
    const view = await conversationView({ actor: w.broker, dealId: w.dealId })
    const times = view.items.map((i) => new Date(i.at).getTime())
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })
})

describe('read receipts', () => {
  it('record how far each member has read, and show a seller no reader of a competing seller', async () => {
    const m = await post(w.broker, '请各方确认收到。')
    expect((await listMessages({ actor: w.broker, dealId: w.dealId, limit: 1 })).items[0]!.readBy).toEqual([])
    await markConversationRead({ actor: w.buyer, dealId: w.dealId })
    await markConversationRead({ actor: w.sellerB, dealId: w.dealId })
    const readers = async (actor: Actor) => (await listMessages({ actor, dealId: w.dealId, limit: 10 })).items.find((x) => x.id === m.id)!.readBy.map((r) => r.id)
    expect((await readers(w.broker)).sort()).toEqual([w.buyer.id, w.sellerB.id].sort())
    expect(await readers(w.sellerA)).toEqual([w.buyer.id])
    const db = await prisma()
    const read = await db.dealRead.findUniqueOrThrow({ where: { dealId_userId: { dealId: w.dealId, userId: w.buyer.id } } })
    expect(read.lastReadAt.getTime()).toBeGreaterThanOrEqual(m.createdAt.getTime())
  })

  it('count only brokers and the bureau as readers of a note', async () => {
    const note = await post(w.broker, '内部：下周催企业确认预算', { kind: 'NOTE' })
    await markConversationRead({ actor: w.buyer, dealId: w.dealId })
    await markConversationRead({ actor: w.assist, dealId: w.dealId })
    const readers = (await listMessages({ actor: w.broker, dealId: w.dealId, limit: 5 })).items.find((x) => x.id === note.id)!.readBy.map((r) => r.id)
    expect(readers).toContain(w.assist.id)
    expect(readers).not.toContain(w.buyer.id)
  })
})

describe('the JSON API', () => {
  it('pages back with a cursor and posts a text message', async () => {
    const first = await api('GET', '?limit=2', keys.buyer)
    expect(first.status).toBe(200)
    expect(first.json.data).toHaveLength(2)
    const second = await api('GET', `?limit=2&cursor=${first.json.page.nextCursor}`, keys.buyer)
    expect(second.json.data.map((m: { id: string }) => m.id)).not.toContain(first.json.data[1].id)
    const created = await api('POST', '', keys.buyer, { body: '<b>通过接口</b>发送' })
    expect(created.status).toBe(201)
    conforms(DealMessageItemSchema, created.json)
    expect(created.json.data).toMatchObject({ body: '<b>通过接口</b>发送', kind: 'MESSAGE', author: { id: w.buyer.id, side: 'buyer' } })
  })

  it('answers refusals in the API’s error shape: notes by a party, bad input, strangers, a bad cursor', async () => {
    const note = await api('POST', '', keys.buyer, { body: '备注', kind: 'NOTE' })
    expect(note.status).toBe(403)
    conforms(ErrorResponseSchema, note.json)
    expect(note.json.error.message).toBe('只有本项目的技术经纪人可以写内部备注')
    expect((await api('POST', '', keys.buyer, { body: '' })).status).toBe(400)
    expect((await api('POST', '', keys.buyer, { body: '长'.repeat(5001) })).status).toBe(400)
    expect((await api('POST', '', keys.buyer, { body: 'x', extra: 1 })).status).toBe(400)
    expect((await api('POST', '', keys.buyer, '{not json')).status).toBe(400)
    expect((await api('GET', '', keys.third)).status).toBe(404)
    expect((await api('GET', '?cursor=nope', keys.buyer)).status).toBe(400)
    expect((await api('GET', '?limit=0', keys.buyer)).status).toBe(400)
  })
})

describe('a closed deal', () => {
  it('takes no message, through the domain or the API, and leaves no file behind', async () => {
    await moveStage({ actor: w.broker, dealId: w.dealId, input: { to: 'LOST', reason: '企业预算取消' } })
    const start = await counts()
    await refused(post(w.buyer, '还能发吗？'), 'CONFLICT', 'err.conv.closed')
    await refused(post(w.broker, '归档', { files: [{ name: 'a.pdf', bytes: SAMPLES.pdf }] }), 'CONFLICT', 'err.conv.closed')
    const viaApi = await api('POST', '', keys.buyer, { body: '还能发吗？' })
    expect(viaApi.status).toBe(409)
    expect(viaApi.json.error.message).toBe('项目已成交或关闭，不能再发送消息')
    expect(await counts()).toEqual(start)
    expect((await conversationView({ actor: w.buyer, dealId: w.dealId })).may.post).toBe(false)
    expect((await bodiesFor(w.buyer)).length).toBeGreaterThan(0)
  })
})
