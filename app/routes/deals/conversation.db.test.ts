/**
 * The conversation page, its attachment downloads, the NDA page and its printable record, and
 * the bureau's template page, called as React Router calls them: real Requests (multipart
 * forms with files), params and a context holding a real session's user.
 */
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { createRoutesStub, RouterContextProvider } from 'react-router'
import { beforeAll, describe, expect, it } from 'vitest'
import { SAMPLES } from '~/domain/files/file-samples'
import { dealWorld, useTempDataDir, type DealWorld } from '~/domain/deals/nda.test-support'
import { createSession, getSessionUser } from '~/domain/users/sessions.server'
import { prisma } from '~/infra/db/client.server'
import { authContext, clientIpContext } from '~/infra/http/context'
import * as templateRoute from '../admin.nda-template'
import * as attachmentRoute from './attachment'
import Conversation, * as conversationRoute from './conversation'
import * as downloadRoute from './nda-download'
import NdaPage, * as ndaRoute from './nda'

const ORIGIN = 'http://localhost'

async function context(user: { id: string }, ip = '203.0.113.9') {
  const ctx = new RouterContextProvider()
  ctx.set(authContext, await getSessionUser((await createSession(user.id)).id))
  ctx.set(clientIpContext, ip)
  return ctx
}

type Handler = (args: never) => unknown
async function call(fn: Handler, request: Request, user: { id: string }, params: Record<string, string>) {
  const url = new URL(request.url)
  return settle(fn({ request, url, pattern: url.pathname, params, context: await context(user) } as never))
}

interface Settled {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any
  body?: Uint8Array
}
async function settle(promise: unknown): Promise<Settled> {
  let value: unknown
  try {
    value = await promise
  } catch (error) {
    value = error
  }
  if (value instanceof Response) {
    const body = new Uint8Array(await value.arrayBuffer())
    return { status: value.status, headers: value.headers, data: new TextDecoder().decode(body), body }
  }
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'DataWithResponseInit') {
    const { data, init } = value as { data: unknown; init: ResponseInit | null }
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), data }
  }
  if (value instanceof Error) throw value
  return { status: 200, headers: new Headers(), data: value }
}

function multipart(fields: Record<string, string>, files: { name: string; bytes: Uint8Array; type?: string }[] = []) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  for (const f of files) form.append('files', new File([new Uint8Array(f.bytes)], f.name, { type: f.type ?? 'application/octet-stream' }))
  return form
}

const postForm = (path: string, form: FormData | URLSearchParams) => new Request(`${ORIGIN}${path}`, { method: 'POST', body: form })

type Page = Parameters<typeof createRoutesStub>[0][number]['Component']
function render(path: string, pattern: string, Component: Page, loaderData: unknown) {
  const Stub = createRoutesStub([{ path: pattern, Component, HydrateFallback: () => null, loader: () => loaderData }])
  return renderToString(createElement(Stub, { initialEntries: [path], hydrationData: { loaderData: { '0': loaderData } } }))
}

let w: DealWorld
let conv: string
let nda: string

beforeAll(async () => {
  useTempDataDir()
  w = await dealWorld()
  conv = `/deals/${w.dealId}/conversation`
  nda = `/deals/${w.dealId}/nda`
})

describe('the conversation page', () => {
  it('posts a message with a PDF from a multipart form and redirects to it', async () => {
    const form = multipart({ intent: 'post', body: '<script>alert("x")</script>请看技术方案', kind: 'MESSAGE' }, [{ name: '技术方案.pdf', bytes: SAMPLES.pdf, type: 'application/pdf' }])
    const res = await call(conversationRoute.action as Handler, postForm(conv, form), w.broker, { id: w.dealId })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toMatch(new RegExp(`^${conv}#m-`))
    const db = await prisma()
    const m = await db.dealMessage.findFirstOrThrow({ where: { dealId: w.dealId }, include: { attachments: true } })
    expect(m.attachments.map((a) => a.name)).toEqual(['技术方案.pdf'])
  })

  it('shows the buyer the message as text, never as markup, with its attachment link, and records the buyer’s read receipt', async () => {
    const page = await call(conversationRoute.loader as Handler, new Request(`${ORIGIN}${conv}`), w.buyer, { id: w.dealId })
    expect(page.status).toBe(200)
    const html = render(conv, '/deals/:id/conversation', Conversation as Page, page.data)
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;请看技术方案')
    expect(html).not.toContain('<script>alert')
    expect(html).toContain('技术方案.pdf')
    expect(html).toMatch(/enctype="multipart\/form-data"/i)
    expect(html).not.toContain('内部备注（仅经纪人和区科技局可见）')
    const brokerPage = await call(conversationRoute.loader as Handler, new Request(`${ORIGIN}${conv}`), w.broker, { id: w.dealId })
    const brokerHtml = render(conv, '/deals/:id/conversation', Conversation as Page, brokerPage.data)
    expect(brokerHtml).toContain(`已读：${w.buyer.name}`)
    expect(brokerHtml).toContain('内部备注（仅经纪人和区科技局可见）')
  })

  it('downloads the attachment as an attachment, with the sniffed type and nosniff; not for a stranger', async () => {
    const db = await prisma()
    const a = await db.dealAttachment.findFirstOrThrow({ where: { message: { dealId: w.dealId } } })
    const path = `/deals/${w.dealId}/attachments/${a.id}`
    const res = await call(attachmentRoute.loader as Handler, new Request(`${ORIGIN}${path}`), w.buyer, { id: w.dealId, attachmentId: a.id })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/pdf')
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; /)
    expect(res.headers.get('Content-Disposition')).toContain(encodeURIComponent('技术方案.pdf'))
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(Buffer.from(res.body!)).toEqual(Buffer.from(SAMPLES.pdf))
    const stranger = await call(attachmentRoute.loader as Handler, new Request(`${ORIGIN}${path}`), w.third, { id: w.dealId, attachmentId: a.id })
    expect(stranger.status).toBe(404)
  })

  it('answers a refused file with a clear Chinese message on the form, keeping the text', async () => {
    const form = multipart({ intent: 'post', body: '报价单见附件', kind: 'MESSAGE' }, [{ name: '报价单.pdf', bytes: SAMPLES.exe }])
    const res = await call(conversationRoute.action as Handler, postForm(conv, form), w.buyer, { id: w.dealId })
    expect(res.status).toBe(400)
    expect(res.data.values.body).toBe('报价单见附件')
    expect(res.data.fieldErrors.files).toEqual(['err.conv.fileType'])
    expect(res.data.formError).toBe('err.conv.fileType?name=%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf')
  })

  it('lets the bureau read, then join and write; a party asking for a note is refused', async () => {
    const bureauPage = await call(conversationRoute.loader as Handler, new Request(`${ORIGIN}${conv}`), w.bureau, { id: w.dealId })
    expect(bureauPage.data.view.may).toEqual({ post: false, note: false, join: true })
    expect(render(conv, '/deals/:id/conversation', Conversation as Page, bureauPage.data)).toContain('加入沟通')
    const early = await call(conversationRoute.action as Handler, postForm(conv, multipart({ intent: 'post', body: '你好' })), w.bureau, { id: w.dealId })
    expect(early.status).toBe(403)
    const joined = await call(conversationRoute.action as Handler, postForm(conv, new URLSearchParams({ intent: 'join' })), w.bureau, { id: w.dealId })
    expect(joined.status).toBe(302)
    const after = await call(conversationRoute.action as Handler, postForm(conv, multipart({ intent: 'post', body: '区科技局已加入' })), w.bureau, { id: w.dealId })
    expect(after.status).toBe(302)
    const note = await call(conversationRoute.action as Handler, postForm(conv, multipart({ intent: 'post', body: '备注', kind: 'NOTE' })), w.sellerA, { id: w.dealId })
    expect(note.status).toBe(403)
    expect(note.data.formError).toBe('err.conv.notesBrokersOnly')
  })

  it('is not found for someone outside the deal', async () => {
    const res = await call(conversationRoute.loader as Handler, new Request(`${ORIGIN}${conv}`), w.third, { id: w.dealId })
    expect(res.status).toBe(404)
  })
})

describe('the NDA pages', () => {
  it('a broker sends the NDA to seller A from the page; the buyer and seller A accept it from the page with their address', async () => {
    const sent = await call(ndaRoute.action as Handler, postForm(nda, new URLSearchParams({ intent: 'send', sellerOrgId: w.sellerOrgA.id })), w.broker, { id: w.dealId })
    expect(sent.status).toBe(302)
    const buyerPage = await call(ndaRoute.loader as Handler, new Request(`${ORIGIN}${nda}`), w.buyer, { id: w.dealId })
    const card = buyerPage.data.overview.ndas[0]
    expect(card).toMatchObject({ mayAccept: true, myParty: 'BUYER' })
    const html = render(nda, '/deals/:id/nda', NdaPage as Page, buyerPage.data)
    expect(html).toContain('确认保密协议')
    expect(html).toContain(w.sellerOrgA.name)

    const noAgree = await call(ndaRoute.action as Handler, postForm(nda, new URLSearchParams({ intent: 'accept', ndaId: card.id, textHash: card.textHash })), w.buyer, { id: w.dealId })
    expect(noAgree.status).toBe(400)
    expect(noAgree.data.fieldErrors.agree).toEqual(['err.nda.agreeRequired'])
    const stale = await call(ndaRoute.action as Handler, postForm(nda, new URLSearchParams({ intent: 'accept', ndaId: card.id, textHash: '0'.repeat(64), agree: 'on' })), w.buyer, { id: w.dealId })
    expect(stale.status).toBe(409)
    expect(stale.data.formError).toBe('err.nda.textChanged')

    for (const user of [w.buyer, w.sellerA]) {
      const res = await call(ndaRoute.action as Handler, postForm(nda, new URLSearchParams({ intent: 'accept', ndaId: card.id, textHash: card.textHash, agree: 'on' })), user, { id: w.dealId })
      expect(res.status).toBe(302)
    }
    const db = await prisma()
    expect(await db.ndaAcceptance.findMany({ where: { ndaId: card.id }, select: { ip: true } })).toEqual([{ ip: '203.0.113.9' }, { ip: '203.0.113.9' }])
    const sellerPage = await call(ndaRoute.loader as Handler, new Request(`${ORIGIN}${nda}`), w.sellerA, { id: w.dealId })
    const effective = render(nda, '/deals/:id/nda', NdaPage as Page, sellerPage.data)
    expect(effective).toContain('已生效')
    expect(effective).toContain('已开放的保密信息')
  })

  it('the printable record has the full text, the parties and each acceptance with time, address and hash', async () => {
    const db = await prisma()
    const row = await db.nda.findFirstOrThrow({ where: { dealId: w.dealId } })
    const path = `/deals/${w.dealId}/nda/${row.id}/download`
    const htmlRes = await call(downloadRoute.loader as Handler, new Request(`${ORIGIN}${path}`), w.buyer, { id: w.dealId, ndaId: row.id })
    expect(htmlRes.status).toBe(200)
    expect(htmlRes.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(htmlRes.headers.get('Content-Disposition')).toMatch(/^attachment; /)
    expect(htmlRes.data).toContain(w.buyerOrg.name)
    expect(htmlRes.data).toContain(w.sellerOrgA.name)
    expect(htmlRes.data).toContain('203.0.113.9')
    expect(htmlRes.data).toContain(row.textHash)
    expect(htmlRes.data).toContain('第一条 保密信息')
    const txt = await call(downloadRoute.loader as Handler, new Request(`${ORIGIN}${path}?format=txt`), w.sellerA, { id: w.dealId, ndaId: row.id })
    expect(txt.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(txt.data).toContain(row.text.trimEnd())
    expect(txt.data.match(/203\.0\.113\.9/g)).toHaveLength(2)
    const sellerB = await call(downloadRoute.loader as Handler, new Request(`${ORIGIN}${path}`), w.sellerB, { id: w.dealId, ndaId: row.id })
    expect(sellerB.status).toBe(404)
  })

  it('the template page is the bureau’s: others are refused; a bad version is answered on the form', async () => {
    const page = '/admin/nda-template'
    expect((await call(templateRoute.loader as Handler, new Request(`${ORIGIN}${page}`), w.broker, {})).status).toBe(403)
    const loaded = await call(templateRoute.loader as Handler, new Request(`${ORIGIN}${page}`), w.bureau, {})
    expect(loaded.data.versions[0].version).toBeGreaterThanOrEqual(1)
    const bad = await call(templateRoute.action as Handler, postForm(page, new URLSearchParams({ title: '第二版', body: '本协议由{{甲方}}与{{卖方}}签订。'.repeat(5) })), w.bureau, {})
    expect(bad.status).toBe(400)
    expect(bad.data.fieldErrors.body[0]).toMatch(/^err\.nda\.unknownVariables/)
    const good = await call(
      templateRoute.action as Handler,
      postForm(page, new URLSearchParams({ title: '第二版保密协议', body: `${loaded.data.versions[0].body}\n第十一条 {{买方}}与{{卖方}}各执电子文本。` })),
      w.bureau,
      {},
    )
    expect(good.status).toBe(302)
  })
})
