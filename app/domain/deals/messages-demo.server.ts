import { createHash, randomBytes } from 'node:crypto'
import { mkdir, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Prisma } from '~/generated/prisma/client'
import { prisma } from '~/infra/db/client.server'
import { uploadsDir } from './attachments.server'
import { ensureNdaTemplate } from './nda.server'
import { chineseDate, ndaTextHash, renderNda } from './nda-template'

/**
 * The demo deal's conversation and NDA: in the demo broker's NDA-stage deal (the demo
 * enterprise's confidential demand DEMO-D005, the demo university's achievement DEMO-A005
 * introduced), a few messages with an attachment and a broker's note, read receipts, and an
 * NDA both sides accepted — so the enterprise and the university see each other's confidential
 * details. Written as history (dated rows, no notifications). Safe to run again: nothing is
 * written when the deal already has messages or an NDA.
 */

const DEMAND = 'DEMO-D005'
const ACCOUNTS = { broker: 'broker@demo.kezhuan.cn', buyer: 'enterprise@demo.kezhuan.cn', seller: 'supplier@demo.kezhuan.cn' } as const
const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A one-page PDF with a few lines of ASCII text, byte offsets and all. */
export function demoPdf(lines: string[]): Uint8Array {
  const text = lines.map((l, i) => `BT /F1 12 Tf 72 ${720 - i * 18} Td (${l.replace(/[()\\]/g, '')}) Tj ET`).join('\n')
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out))
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = Buffer.byteLength(out)
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return new TextEncoder().encode(out)
}

export async function seedDemoConversation({ now = new Date() }: { now?: Date } = {}) {
  const db = await prisma()
  await ensureNdaTemplate(db)
  const deal = await db.deal.findFirst({
    where: { demand: { source: 'demo', externalId: DEMAND }, stage: { in: ['NDA', 'DUE_DILIGENCE', 'NEGOTIATING', 'CONTRACT'] } },
    include: {
      buyerOrg: { select: { id: true, name: true, creditCode: true } },
      candidates: { where: { introducedAt: { not: null }, droppedAt: null }, include: { sellerOrg: { select: { id: true, name: true, creditCode: true } } } },
    },
  })
  const candidate = deal?.candidates[0]
  if (!deal || !candidate?.introducedAt) return { written: false }
  if ((await db.dealMessage.count({ where: { dealId: deal.id } })) || (await db.nda.count({ where: { dealId: deal.id } }))) return { written: false }
  const users = await db.user.findMany({ where: { email: { in: Object.values(ACCOUNTS) } }, select: { id: true, email: true, name: true, orgId: true } })
  const user = (email: string) => users.find((u) => u.email === email)
  const broker = user(ACCOUNTS.broker)
  const buyer = user(ACCOUNTS.buyer)
  const seller = user(ACCOUNTS.seller)
  if (!broker || !buyer || !seller || deal.ownerId !== broker.id || buyer.orgId !== deal.buyerOrgId || seller.orgId !== candidate.sellerOrgId) return { written: false }
  const achievement = await db.achievement.findUniqueOrThrow({ where: { id: candidate.achievementId }, select: { id: true, title: true } })

  // The story runs from the introduction to a day before now, whatever the dates of the deal.
  const start = candidate.introducedAt.getTime()
  const span = Math.max(now.getTime() - DAY - start, 6 * HOUR)
  const when = (share: number) => new Date(start + Math.round(span * share))

  const template = await db.ndaTemplate.findFirstOrThrow({ orderBy: { version: 'desc' } })
  const sentAt = when(0.3)
  const text = renderNda(template.body, {
    买方: deal.buyerOrg.name,
    买方信用代码: deal.buyerOrg.creditCode ?? '—',
    卖方: candidate.sellerOrg.name,
    卖方信用代码: candidate.sellerOrg.creditCode ?? '—',
    项目: deal.title,
    编号: deal.number,
    成果: achievement.title,
    日期: chineseDate(sentAt),
  })
  const textHash = ndaTextHash(text)

  const pdf = demoPdf(['KeZhuan demo: team profile', 'Harmonic reducer and gear metrology lab', 'Yuxi University of Technology'])
  const relative = path.posix.join('deals', deal.id, `${randomBytes(12).toString('hex')}.pdf`)
  const absolute = path.join(uploadsDir(), ...relative.split('/'))
  await mkdir(path.dirname(absolute), { recursive: true })
  await writeFile(absolute, pdf, { mode: 0o600 })

  const messages: { at: Date; author: string; kind?: 'NOTE'; body: string; file?: boolean }[] = [
    {
      at: when(0.05),
      author: broker.id,
      body: `${buyer.name}、${seller.name}好：我是本项目的技术经纪人${broker.name}。贵司希望用国产方案替代进口齿轮测量中心，${seller.name}团队在精密传动件的制造与检测方面积累较多。建议先在“保密协议”页面确认保密协议，再开放检测精度要求等详细资料。`,
    },
    {
      at: when(0.15),
      author: buyer.id,
      body: '李经理好，陈教授好。我们现在用的进口齿轮测量中心维护周期长、备件贵，希望先了解贵团队检测方案在 5 级精度齿轮上的重复性数据。',
    },
    {
      at: when(0.2),
      author: seller.id,
      body: '张总好。我们实验室有齿形、齿向和周节误差的检测样机，重复性数据可以在保密协议生效后提供。先附上团队简介。',
      file: true,
    },
    {
      at: when(0.25),
      author: broker.id,
      kind: 'NOTE',
      body: '内部备注：企业预算约 80 万元，倾向分两期付款；陈教授团队下月出差，现场考察尽量安排在 20 日前。',
    },
    { at: when(0.7), author: broker.id, body: '保密协议已经生效，双方可以在需求和成果页面查看详细资料。建议下周安排一次线上技术交流。' },
    { at: when(0.8), author: buyer.id, body: '收到，我们下周二、周三下午都可以。' },
  ]

  try {
    await db.$transaction(async (tx) => {
      for (const m of messages) {
        await tx.dealMessage.create({
          data: {
            dealId: deal.id,
            authorId: m.author,
            kind: m.kind ?? 'MESSAGE',
            body: m.body,
            createdAt: m.at,
            ...(m.file
              ? { attachments: { create: [{ name: '团队简介.pdf', mime: 'application/pdf', size: pdf.byteLength, sha256: createHash('sha256').update(pdf).digest('hex'), path: relative, createdAt: m.at }] } }
              : {}),
          },
        })
      }
      const buyerAt = when(0.45)
      const sellerAt = when(0.6)
      const nda = await tx.nda.create({
        data: { dealId: deal.id, sellerOrgId: candidate.sellerOrgId, templateVersion: template.version, text, textHash, effectiveAt: sellerAt, createdById: broker.id, createdAt: sentAt },
      })
      await tx.ndaAcceptance.createMany({
        data: [
          { ndaId: nda.id, party: 'BUYER', orgId: deal.buyerOrgId, userId: buyer.id, userName: buyer.name, ip: '127.0.0.1', textHash, acceptedAt: buyerAt },
          { ndaId: nda.id, party: 'SELLER', orgId: candidate.sellerOrgId, userId: seller.id, userName: seller.name, ip: '127.0.0.1', textHash, acceptedAt: sellerAt },
        ],
      })
      const sellerAchievements = await tx.dealCandidate.findMany({ where: { dealId: deal.id, sellerOrgId: candidate.sellerOrgId, droppedAt: null }, select: { achievementId: true } })
      await tx.confidentialGrant.createMany({
        data: [
          ...sellerAchievements.map((c) => ({ orgId: deal.buyerOrgId, listingKind: 'achievement', listingId: c.achievementId, ndaId: nda.id, createdAt: sellerAt })),
          ...(deal.demandId ? [{ orgId: candidate.sellerOrgId, listingKind: 'demand', listingId: deal.demandId, ndaId: nda.id, createdAt: sellerAt }] : []),
        ],
        skipDuplicates: true,
      })
      const base = { ndaId: nda.id, sellerOrgId: candidate.sellerOrgId, sellerOrgName: candidate.sellerOrg.name }
      const events: Prisma.DealEventCreateManyInput[] = [
        { dealId: deal.id, actorId: broker.id, type: 'nda.sent', params: { ...base, version: template.version }, createdAt: sentAt },
        { dealId: deal.id, actorId: buyer.id, type: 'nda.accepted', params: { ...base, party: 'BUYER', name: buyer.name, orgName: deal.buyerOrg.name }, createdAt: buyerAt },
        { dealId: deal.id, actorId: seller.id, type: 'nda.accepted', params: { ...base, party: 'SELLER', name: seller.name, orgName: candidate.sellerOrg.name }, createdAt: sellerAt },
        { dealId: deal.id, actorId: seller.id, type: 'nda.effective', params: base, createdAt: sellerAt },
      ]
      await tx.dealEvent.createMany({ data: events })
      const last = messages[messages.length - 1]!.at
      await tx.dealRead.createMany({
        data: [
          { dealId: deal.id, userId: broker.id, lastReadAt: last },
          { dealId: deal.id, userId: buyer.id, lastReadAt: last },
          { dealId: deal.id, userId: seller.id, lastReadAt: when(0.75) },
        ],
        skipDuplicates: true,
      })
      await tx.auditLog.create({ data: { actorId: null, action: 'nda.demo', entityType: 'Nda', entityId: nda.id, after: { dealId: deal.id, textHash } } })
    })
  } catch (error) {
    // The file written for the attachment goes with the refused history.
    await unlink(absolute).catch(() => undefined)
    throw error
  }
  return { written: true, dealId: deal.id }
}
