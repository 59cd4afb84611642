import { confirmContract, draftContract, registerContract, sendForConfirmation, submitForRegistration, terminateContract } from '~/domain/contracts/contracts.server'
import type { ContractTerms, DraftInput } from '~/domain/contracts/schemas'
import { todayInChina } from '~/domain/listings/schemas'
import type { ContractStatus } from '~/generated/prisma/enums'
import { prisma } from '~/infra/db/client.server'
import { resetEnv } from '~/infra/env.server'
import { makeOrg, makeUser } from '../../../tests/factories'
import { tempDirForFile } from '../../../tests/temp-dirs'

/** Shared by the payments tests: the parties, a contract taken to a status, a private data dir. */

export function useTempDataDir(extra: Record<string, string | undefined> = {}) {
  const dir = tempDirForFile('kz-payments-')
  process.env.KZ_DATA_DIR = dir
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  resetEnv()
  return dir
}

export async function parties() {
  const sellerOrg = await makeOrg({ kind: 'UNIVERSITY', verified: true })
  const buyerOrg = await makeOrg({ kind: 'ENTERPRISE', verified: true })
  const agency = await makeOrg({ kind: 'BROKER_AGENCY', verified: true })
  const seller = await makeUser({ role: 'SUPPLIER', orgId: sellerOrg.id, isOrgAdmin: true })
  const sellerMember = await makeUser({ role: 'SUPPLIER', orgId: sellerOrg.id, isOrgAdmin: false })
  const buyer = await makeUser({ role: 'ENTERPRISE', orgId: buyerOrg.id, isOrgAdmin: true })
  const buyerMember = await makeUser({ role: 'ENTERPRISE', orgId: buyerOrg.id, isOrgAdmin: false })
  const broker = await makeUser({ role: 'BROKER', orgId: agency.id, isOrgAdmin: true })
  const otherBroker = await makeUser({ role: 'BROKER', isOrgAdmin: true })
  const bureau = await makeUser({ role: 'BUREAU', isOrgAdmin: true })
  const stranger = await makeUser({ role: 'ENTERPRISE', isOrgAdmin: true })
  return { sellerOrg, buyerOrg, agency, seller, sellerMember, buyer, buyerMember, broker, otherBroker, bureau, stranger }
}
export type Parties = Awaited<ReturnType<typeof parties>>

/** ¥1,000,000.01 in three milestones (¥333,333.33 + ¥333,333.33 + ¥333,333.35), 技术交易额 ¥900,000. */
export const terms = (over: Partial<ContractTerms> = {}): ContractTerms => ({
  title: '数控机床热误差补偿专利权转让',
  type: 'TRANSFER',
  subtype: 'TRANSFER_PATENT',
  exclusivity: null,
  field: 'ADVANCED_MANUFACTURING',
  industry: 'INTELLIGENT_EQUIPMENT',
  ipType: 'INVENTION_PATENT',
  ipNumbers: ['ZL202210345678.1'],
  amountFen: 100_000_001,
  techAmountFen: 90_000_000,
  paymentMethod: 'INSTALMENTS',
  royaltyRateBp: null,
  entryFeeFen: null,
  termStart: '2026-01-01',
  termEnd: '2027-12-31',
  milestones: [
    { title: '首付款', dueDate: '2026-02-01', amountFen: 33_333_333 },
    { title: '中期款', dueDate: '2026-04-01', amountFen: 33_333_333 },
    { title: '尾款', dueDate: '2026-06-30', amountFen: 33_333_335 },
  ],
  termsText: '第一条 转让标的：发明专利 ZL202210345678.1。\n第二条 价款及支付方式：分三期支付。',
  ...over,
})

async function versionOf(id: string) {
  const db = await prisma()
  const c = await db.contract.findUniqueOrThrow({ where: { id } })
  const v = await db.contractVersion.findUniqueOrThrow({ where: { contractId_version: { contractId: id, version: c.currentVersion } } })
  return { version: v.version, termsHash: v.termsHash }
}

/** Drafted by the broker, taken as far as `to` (SIGNED, REGISTERED, TERMINATED, DRAFT, AWAITING_CONFIRMATION). */
export async function contractIn(p: Parties, to: ContractStatus, over: Partial<ContractTerms> = {}) {
  const input: DraftInput = { ...terms(over), sellerOrgId: p.sellerOrg.id, buyerOrgId: p.buyerOrg.id }
  const c = await draftContract({ actor: p.broker, input })
  if (to === 'DRAFT') return c.id
  await sendForConfirmation({ actor: p.broker, id: c.id })
  if (to === 'AWAITING_CONFIRMATION') return c.id
  await confirmContract({ actor: p.seller, id: c.id, ...(await versionOf(c.id)) })
  await confirmContract({ actor: p.buyer, id: c.id, ...(await versionOf(c.id)) })
  if (to === 'SIGNED') return c.id
  if (to === 'TERMINATED') {
    await terminateContract({ actor: p.seller, id: c.id, reason: '双方协商解除合同' })
    return c.id
  }
  await submitForRegistration({ actor: p.seller, id: c.id })
  if (to === 'REGISTRATION_SUBMITTED') return c.id
  await registerContract({
    actor: p.bureau,
    id: c.id,
    input: {
      registrationNumber: `2026500118${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
      registeredAt: todayInChina(new Date()),
      rules: 'RULES_2026',
      registeredTechAmountFen: 80_000_000,
      registeredType: 'TRANSFER',
      registeredSubtype: 'TRANSFER_PATENT',
    },
  })
  return c.id
}

export async function milestonesOf(contractId: string) {
  const db = await prisma()
  return db.milestone.findMany({ where: { contractId }, orderBy: { seq: 'asc' } })
}

/** Minimal files of each kind, by their first bytes. */
export const FILES = {
  png: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  jpeg: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]),
  webp: Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38]),
  pdf: new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'),
  // A Windows executable (MZ header) renamed .pdf.
  exe: Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]),
}
