import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { sniffFile } from '~/domain/files/file-types'
import { getListing } from '~/domain/listings/listings.server'
import { seedDemo } from '~/domain/seed/demo.server'
import { prisma } from '~/infra/db/client.server'
import { attachmentFile, listMessages } from './messages.server'
import { seedDemoConversation } from './messages-demo.server'
import { ndaTextHash } from './nda-template'
import { useTempDataDir } from './nda.test-support'
import { conversationView } from './timeline.server'

const actor = async (email: string) => (await prisma()).user.findUniqueOrThrow({ where: { email }, select: { id: true, role: true, orgId: true, isOrgAdmin: true } })

describe('the demo conversation', () => {
  let dealId: string

  beforeAll(async () => {
    useTempDataDir()
    await seedDemo()
    const db = await prisma()
    dealId = (await db.deal.findFirstOrThrow({ where: { demand: { externalId: 'DEMO-D005' } }, select: { id: true } })).id
  }, 240_000)

  it('has an NDA both demo parties accepted, whose hash is its text’s', async () => {
    const db = await prisma()
    const nda = await db.nda.findFirstOrThrow({ where: { dealId }, include: { acceptances: true } })
    expect(nda.effectiveAt).toBeInstanceOf(Date)
    expect(nda.textHash).toBe(ndaTextHash(nda.text))
    expect(nda.acceptances.map((a) => a.party).sort()).toEqual(['BUYER', 'SELLER'])
    expect(nda.acceptances.every((a) => a.textHash === nda.textHash)).toBe(true)
  })

  it('opens the demand’s confidential details to the university, not to the institute', async () => {
    const db = await prisma()
    const demand = await db.demand.findFirstOrThrow({ where: { externalId: 'DEMO-D005' }, select: { id: true, currentSituation: true, confidential: true } })
    expect(demand.confidential).toBe(true)
    const supplier = await getListing({ actor: await actor('supplier@demo.kezhuan.cn'), kind: 'demand', id: demand.id })
    expect(supplier.listing.currentSituation).toBe(demand.currentSituation)
    const institute = await getListing({ actor: await actor('institute@demo.kezhuan.cn'), kind: 'demand', id: demand.id })
    expect(institute.listing.detailsHidden).toBe(true)
  })

  it('has messages with a real PDF, a note only the brokers see, and read receipts', async () => {
    const broker = await actor('broker@demo.kezhuan.cn')
    const buyer = await actor('enterprise@demo.kezhuan.cn')
    const brokerView = await listMessages({ actor: broker, dealId, limit: 50 })
    const buyerView = await listMessages({ actor: buyer, dealId, limit: 50 })
    expect(brokerView.items.some((m) => m.kind === 'NOTE')).toBe(true)
    expect(buyerView.items.some((m) => m.kind === 'NOTE')).toBe(false)
    expect(buyerView.items.length).toBeGreaterThanOrEqual(4)
    const withFile = buyerView.items.find((m) => m.attachments.length)!
    const file = await attachmentFile({ actor: buyer, dealId, attachmentId: withFile.attachments[0]!.id })
    expect(sniffFile(readFileSync(file.path))?.id).toBe('pdf')
    expect(buyerView.items.some((m) => m.readBy.length > 0)).toBe(true)
    const events = (await conversationView({ actor: buyer, dealId })).items.filter((i) => i.type === 'event').map((i) => (i as { event: string }).event)
    expect(events).toEqual(expect.arrayContaining(['nda.sent', 'nda.accepted', 'nda.effective']))
  })

  it('is written once, however often the seed runs', async () => {
    expect(await seedDemoConversation()).toEqual({ written: false })
    const db = await prisma()
    expect(await db.nda.count({ where: { dealId } })).toBe(1)
  })
})
