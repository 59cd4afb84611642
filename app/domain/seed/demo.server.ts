import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { OrgKind, Role } from '~/generated/prisma/enums'
import { seedDemoBrokers } from '~/domain/brokers/demo.server'
import { seedDemoContracts } from '~/domain/contracts/demo.server'
import { seedDemoDeals } from '~/domain/deals/demo.server'
import { seedDemoConversation } from '~/domain/deals/messages-demo.server'
import { seedDemoNotifications } from '~/domain/notifications/demo.server'
import { AppError } from '~/domain/errors'
import type { ParsedFile } from '~/domain/listings/exchange'
import { readExchangeFile } from '~/domain/listings/exchange-files.server'
import { importListings } from '~/domain/listings/import.server'
import type { ListingKind } from '~/domain/listings/kinds'
import { todayInChina } from '~/domain/listings/schemas'
import { withCheckCharacter } from '~/domain/orgs/credit-code'
import { createUser, newInvitationCode } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'

/** Shown on first start and in the README; demo data is never loaded in production unless forced. */
export const DEMO_PASSWORD = 'kezhuan-demo'
const SOURCE = 'demo'

interface DemoOrg {
  key: string
  kind: OrgKind
  name: string
  regionCode: string
  /** The first 17 characters of the credit code; the check character is computed. */
  code17: string
  verified: boolean
}

export const DEMO_ORGS: DemoOrg[] = [
  { key: 'bureau', kind: 'GOVERNMENT', name: '重庆市永川区科学技术局', regionCode: '500118', code17: '11500118MB1234567', verified: true },
  { key: 'univ', kind: 'UNIVERSITY', name: '渝西理工大学', regionCode: '500118', code17: '12500118MB2345678', verified: true },
  { key: 'inst', kind: 'INSTITUTE', name: '永川智能装备研究院', regionCode: '500118', code17: '12500118MB3456789', verified: true },
  { key: 'ent', kind: 'ENTERPRISE', name: '重庆永锋精密机械有限公司', regionCode: '500118', code17: '91500118MA5U7K3X2', verified: true },
  { key: 'agency', kind: 'BROKER_AGENCY', name: '渝西技术转移服务中心', regionCode: '500118', code17: '52500118MJ0P1Q2R3', verified: true },
  { key: 'newco', kind: 'ENTERPRISE', name: '成都锦川新材料科技有限公司', regionCode: '510107', code17: '91510107MA6C8D9E0', verified: false },
]

export const DEMO_ACCOUNTS: { email: string; name: string; role: Role; org: string | null; label: string; orgAdmin: boolean }[] = [
  { email: 'admin@demo.kezhuan.cn', name: '平台管理员', role: 'ADMIN', org: null, label: '平台管理员 admin', orgAdmin: false },
  { email: 'bureau@demo.kezhuan.cn', name: '刘科长', role: 'BUREAU', org: 'bureau', label: '区科技局 bureau staff', orgAdmin: true },
  { email: 'supplier@demo.kezhuan.cn', name: '陈教授', role: 'SUPPLIER', org: 'univ', label: '高校成果方 university supplier', orgAdmin: true },
  { email: 'institute@demo.kezhuan.cn', name: '王研究员', role: 'SUPPLIER', org: 'inst', label: '科研院所 institute supplier', orgAdmin: true },
  { email: 'enterprise@demo.kezhuan.cn', name: '张总工', role: 'ENTERPRISE', org: 'ent', label: '企业会员 enterprise member', orgAdmin: true },
  { email: 'broker@demo.kezhuan.cn', name: '李经纪', role: 'BROKER', org: 'agency', label: '技术经纪人 broker', orgAdmin: true },
]

export async function shouldSeedDemo(setting: 'auto' | 'on' | 'off', nodeEnv: string): Promise<boolean> {
  if (setting === 'off') return false
  if (setting === 'auto' && nodeEnv !== 'development') return false
  const db = await prisma()
  return (await db.user.count()) === 0
}

/** The demo listings, in the exchange format (docs/exchange-format.md), loaded through the importer. */
export const DEMO_FILES: { kind: ListingKind; file: string }[] = [
  { kind: 'achievement', file: 'achievements.csv' },
  { kind: 'demand', file: 'demands.json' },
  { kind: 'scenario', file: 'scenarios.csv' },
]

/** prisma/demo, found from this module (app/… under tsx, build/server/… when built) or the working directory. */
export function demoDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'prisma', 'demo')
    if (existsSync(path.join(candidate, DEMO_FILES[0]!.file))) return candidate
    dir = path.dirname(dir)
  }
  return path.resolve('prisma', 'demo')
}

/** Deadlines in the files are fixed dates: a demo loaded years later moves them on by whole years. */
export function keepDeadlinesAhead(file: ParsedFile, today = todayInChina()): ParsedFile {
  for (const row of file.rows) {
    const deadline = row.values.deadline
    if (typeof deadline !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(deadline)) continue
    let [year, rest] = [Number(deadline.slice(0, 4)), deadline.slice(4)]
    while (`${year}${rest}` < today) year++
    row.values.deadline = `${year}${rest === '-02-29' ? '-02-28' : rest}`
  }
  return file
}

/** Loads the demo listings through the importer (as the bureau, source "demo"); safe to run again. */
export async function seedDemoListings({ bureauOrgId }: { bureauOrgId?: string } = {}) {
  const dir = demoDir()
  const results: { kind: ListingKind; created: number; updated: number }[] = []
  for (const { kind, file } of DEMO_FILES) {
    const parsed = keepDeadlinesAhead(await readExchangeFile(kind, readFileSync(path.join(dir, file)), file))
    const { plan, summary } = await importListings({ actor: 'system', kind, file: parsed, source: SOURCE, bureauOrgId })
    // The demo data is part of the product: a row the rules refuse is a bug to fix, not to skip.
    if (!summary.written) {
      const first = plan.errors[0]
      throw new AppError('BAD_INPUT', `demo data ${file}: row ${first?.row} ${first?.column}: ${first?.key}`)
    }
    results.push({ kind, created: summary.created, updated: summary.updated })
  }
  return results
}

/** Loads the demo organisations, one account per role and the demo listings; safe to run again. */
export async function seedDemo() {
  const db = await prisma()
  const orgIds = new Map<string, string>()
  for (const org of DEMO_ORGS) {
    const row = await db.organization.upsert({
      where: { source_externalId: { source: SOURCE, externalId: org.key } },
      create: {
        kind: org.kind,
        name: org.name,
        regionCode: org.regionCode,
        creditCode: withCheckCharacter(org.code17),
        verified: org.verified,
        verifiedAt: org.verified ? new Date() : null,
        invitationCode: newInvitationCode(),
        source: SOURCE,
        externalId: org.key,
      },
      update: {},
      select: { id: true },
    })
    orgIds.set(org.key, row.id)
  }
  for (const account of DEMO_ACCOUNTS) {
    if (await db.user.findUnique({ where: { email: account.email }, select: { id: true } })) continue
    await createUser({
      actor: 'system',
      input: {
        email: account.email,
        name: account.name,
        role: account.role,
        password: DEMO_PASSWORD,
        orgId: account.org ? orgIds.get(account.org) : undefined,
        isOrgAdmin: account.orgAdmin,
      },
    })
  }
  await seedDemoListings({ bureauOrgId: orgIds.get('bureau') })
  await seedDemoContracts({ dir: demoDir() })
  await seedDemoBrokers()
  await seedDemoDeals()
  await seedDemoConversation()
  await seedDemoNotifications()
  return DEMO_ACCOUNTS
}
