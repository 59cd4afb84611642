import { randomBytes } from 'node:crypto'
import type { BrokerGrade, Industry, TechField } from '~/generated/prisma/enums'
import { DemandInputSchema } from '~/domain/listings/schemas'
import { withCheckCharacter } from '~/domain/orgs/credit-code'
import { createUser, newInvitationCode, type Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { assistDemand, claimDemand } from './claims.server'
import { mineDemand } from './mining.server'
import { refuseProfile, saveProfile, verifyProfile } from './profiles.server'

/**
 * The demo broker workspace: profiles for the demo broker and a handful of colleagues in three
 * agencies (every grade; verified, awaiting the bureau, refused, unlisted), a few claims on
 * other enterprises' demands, and one demand the demo broker mined that waits for the demo
 * enterprise's confirmation. The demo enterprise's published demands stay unclaimed: they are
 * what a broker's day (and the deals) start from. Everything goes through the domain functions,
 * so the audit log and notifications are as real use leaves them. Safe to run again.
 */

const SOURCE = 'demo-brokers'

interface DemoBroker {
  /** An existing account (the demo broker, the contracts demo's brokers) or a new one. */
  email: string
  name: string
  /** The agency: `demo:<key>` (seed), `demo-contracts:<key>` (contracts demo) or `demo-brokers:<key>` (below). */
  agency: string
  grade: BrokerGrade
  certificateNo?: string
  fields: TechField[]
  industries: Industry[]
  regionCodes: string[]
  bio: string
  listed?: boolean
  decision: 'verify' | 'pending' | 'refuse'
}

const AGENCIES = [
  { key: 'tianfu', name: '成都天府技术经纪事务所有限公司', regionCode: '510107', code17: '91510107MA7B2C3D4' },
]

export const DEMO_BROKERS: DemoBroker[] = [
  {
    email: 'broker@demo.kezhuan.cn',
    name: '李经纪',
    agency: 'demo:agency',
    grade: 'SENIOR',
    certificateNo: 'CQJJ-2021-0158',
    fields: ['ADVANCED_MANUFACTURING', 'NEW_MATERIALS', 'ELECTRONIC_INFORMATION'],
    industries: ['INTELLIGENT_EQUIPMENT', 'AUTOMOTIVE', 'ENERGY_MATERIALS'],
    regionCodes: ['500000', '510000'],
    bio: '从事技术转移工作十二年，长期服务永川及渝西地区装备制造、汽车零部件企业。\n擅长把企业的生产问题梳理成可对接的技术需求，促成高校院所成果在中试和产业化阶段落地。',
    decision: 'verify',
  },
  {
    email: 'sun@contracts.demo.kezhuan.cn',
    name: '孙经纪',
    agency: 'demo:agency',
    grade: 'INTERMEDIATE',
    certificateNo: 'CQJJ-2022-0371',
    fields: ['BIO_MEDICINE', 'RESOURCES_ENVIRONMENT'],
    industries: ['BIO_MEDICINE', 'MODERN_AGRICULTURE', 'LIGHT_INDUSTRY'],
    regionCodes: ['500118', '500151', '500152'],
    bio: '关注生物医药与农产品加工，熟悉中药配方颗粒、茶叶深加工领域的检测与标准化服务。',
    decision: 'verify',
  },
  {
    email: 'cq-ljtt@contracts.demo.kezhuan.cn',
    name: '赵经理',
    agency: 'demo-contracts:cq-ljtt',
    grade: 'SENIOR',
    certificateNo: 'CQJL-2020-0027',
    fields: ['ELECTRONIC_INFORMATION', 'HIGH_TECH_SERVICES'],
    industries: ['BIG_DATA_SOFTWARE', 'ELECTRONIC_INFORMATION'],
    regionCodes: ['500000'],
    bio: '两江新区技术转移机构负责人，专注工业软件、数据服务与电子信息产业的技术许可和作价入股。',
    decision: 'verify',
  },
  {
    email: 'qianli@brokers.demo.kezhuan.cn',
    name: '钱立',
    agency: 'demo-contracts:cq-ljtt',
    grade: 'INTERMEDIATE',
    certificateNo: 'CQJJ-2023-0865',
    fields: ['NEW_ENERGY', 'NEW_MATERIALS'],
    industries: ['ENERGY_MATERIALS', 'AUTOMOTIVE'],
    regionCodes: ['500112', '500118'],
    bio: '材料学背景，服务新能源电池材料与汽车轻量化项目。',
    decision: 'verify',
  },
  {
    email: 'wutong@brokers.demo.kezhuan.cn',
    name: '吴桐',
    agency: 'demo-brokers:tianfu',
    grade: 'INTERMEDIATE',
    certificateNo: 'SCJJ-2022-1093',
    fields: ['AEROSPACE', 'ADVANCED_MANUFACTURING'],
    industries: ['INTELLIGENT_EQUIPMENT'],
    regionCodes: ['510000'],
    bio: '服务成渝地区航空航天配套与智能装备企业，熟悉军民两用技术转化流程。',
    decision: 'verify',
  },
  {
    email: 'fengxue@brokers.demo.kezhuan.cn',
    name: '冯雪',
    agency: 'demo:agency',
    grade: 'INTERMEDIATE',
    certificateNo: 'CQJJ-2022-0502',
    fields: ['HIGH_TECH_SERVICES'],
    industries: ['LIGHT_INDUSTRY'],
    regionCodes: ['500118'],
    bio: '主要承担机构内部的合同登记与政策申报工作，暂不对外接单。',
    listed: false,
    decision: 'verify',
  },
  {
    email: 'zhoumin@brokers.demo.kezhuan.cn',
    name: '周敏',
    agency: 'demo:agency',
    grade: 'JUNIOR',
    certificateNo: 'CQJJ-2025-0412',
    fields: ['RESOURCES_ENVIRONMENT'],
    industries: ['MODERN_AGRICULTURE', 'LIGHT_INDUSTRY'],
    regionCodes: ['500118'],
    bio: '2025 年取得初级技术经纪人证书，跟随机构服务永川茶叶、蔬菜等现代农业企业。',
    decision: 'pending',
  },
  {
    email: 'zhengran@brokers.demo.kezhuan.cn',
    name: '郑然',
    agency: 'demo-brokers:tianfu',
    grade: 'JUNIOR',
    certificateNo: 'SCJJ-2025-2210',
    fields: ['ELECTRONIC_INFORMATION'],
    industries: ['ELECTRONIC_INFORMATION', 'BIG_DATA_SOFTWARE'],
    regionCodes: ['510107', '500118'],
    bio: '电子信息专业硕士，关注工业视觉检测与数据采集。',
    decision: 'pending',
  },
  {
    email: 'hechuan@brokers.demo.kezhuan.cn',
    name: '何川',
    agency: 'demo-contracts:cq-ljtt',
    grade: 'SENIOR',
    certificateNo: 'CQJJ-2024-0999',
    fields: ['ADVANCED_MANUFACTURING'],
    industries: ['AUTOMOTIVE'],
    regionCodes: ['500000'],
    bio: '汽车零部件行业从业十五年。',
    decision: 'refuse',
  },
]

/** A demand the demo broker recorded at the demo enterprise, waiting for its confirmation. */
export const DEMO_MINED_DEMAND = {
  title: '数控车床主轴温升导致加工尺寸漂移',
  description: '走访时企业反映：数控车床连续加工 2 小时后主轴温升约 12 °C，外圆尺寸漂移 0.015 mm，需要热误差补偿或冷却改造方案。',
  currentSituation: '目前靠首件检测后人工补偿刀偏，夜班漏补时批量超差。',
  targetIndicators: '连续加工 8 小时尺寸漂移 ≤ 0.005 mm；改造后节拍不变。',
  field: 'ADVANCED_MANUFACTURING',
  industry: 'INTELLIGENT_EQUIPMENT',
  keywords: '数控车床; 热误差补偿; 主轴温升',
  trlMin: '6',
  budget: '300000',
  cooperationModes: ['TECH_SERVICE', 'CO_DEVELOPMENT'],
  confidential: 'on',
  contactName: '张总工',
}

/** Demands of other enterprises the demo brokers already work on: [title contains, lead, assistant]. */
const DEMO_CLAIMS: [string, string, string | null][] = [
  ['小批量多品种智能排产', 'cq-ljtt@contracts.demo.kezhuan.cn', 'zhengran@brokers.demo.kezhuan.cn'],
  ['中药配方颗粒质量一致性', 'sun@contracts.demo.kezhuan.cn', null],
]

const actorOf = (u: { id: string; role: Actor['role']; orgId: string | null; isOrgAdmin: boolean }): Actor => ({ id: u.id, role: u.role, orgId: u.orgId, isOrgAdmin: u.isOrgAdmin })
const userSelect = { id: true, role: true, orgId: true, isOrgAdmin: true } as const

async function agencyIds() {
  const db = await prisma()
  const ids = new Map<string, string>()
  for (const org of await db.organization.findMany({ where: { kind: 'BROKER_AGENCY', source: { in: ['demo', 'demo-contracts'] } }, select: { id: true, source: true, externalId: true } })) {
    ids.set(`${org.source}:${org.externalId}`, org.id)
  }
  for (const a of AGENCIES) {
    const org = await db.organization.upsert({
      where: { source_externalId: { source: SOURCE, externalId: a.key } },
      create: {
        kind: 'BROKER_AGENCY',
        name: a.name,
        regionCode: a.regionCode,
        creditCode: withCheckCharacter(a.code17),
        verified: true,
        verifiedAt: new Date(),
        invitationCode: newInvitationCode(),
        source: SOURCE,
        externalId: a.key,
      },
      update: {},
      select: { id: true },
    })
    ids.set(`${SOURCE}:${a.key}`, org.id)
  }
  return ids
}

export async function seedDemoBrokers() {
  const db = await prisma()
  const bureauUser = await db.user.findUnique({ where: { email: 'bureau@demo.kezhuan.cn' }, select: userSelect })
  if (!bureauUser) return { profiles: 0 }
  const bureau = actorOf(bureauUser)
  const agencies = await agencyIds()
  let profiles = 0
  for (const b of DEMO_BROKERS) {
    const orgId = agencies.get(b.agency)
    if (!orgId) continue
    const user =
      (await db.user.findUnique({ where: { email: b.email }, select: userSelect })) ??
      (await createUser({ actor: 'system', input: { email: b.email, name: b.name, role: 'BROKER', orgId, password: randomBytes(24).toString('base64url') } }))
    if (user.role !== 'BROKER' || (await db.brokerProfile.count({ where: { userId: user.id } }))) continue
    const actor = actorOf(user)
    await saveProfile({
      actor,
      input: {
        grade: b.grade,
        certificateNo: b.certificateNo,
        fields: b.fields,
        industries: b.industries,
        regionCodes: b.regionCodes,
        bio: b.bio,
        listed: b.listed ?? true,
      },
    })
    if (b.decision === 'verify') await verifyProfile({ actor: bureau, userId: user.id })
    if (b.decision === 'refuse') await refuseProfile({ actor: bureau, userId: user.id, reason: '证书编号与人社部门登记信息不一致，请核对后重新提交，并在简介中写明主要服务案例。' })
    profiles++
  }

  for (const [title, leadEmail, assistEmail] of DEMO_CLAIMS) {
    const demand = await db.demand.findFirst({ where: { title: { contains: title }, status: 'PUBLISHED', leadBrokerId: null }, select: { id: true } })
    const lead = await db.user.findUnique({ where: { email: leadEmail }, select: userSelect })
    if (!demand || !lead) continue
    await claimDemand({ actor: actorOf(lead), id: demand.id })
    const assistant = assistEmail ? await db.user.findUnique({ where: { email: assistEmail }, select: userSelect }) : null
    if (assistant) await assistDemand({ actor: actorOf(assistant), id: demand.id })
  }

  const broker = await db.user.findUnique({ where: { email: 'broker@demo.kezhuan.cn' }, select: userSelect })
  const enterprise = await db.organization.findUnique({ where: { source_externalId: { source: 'demo', externalId: 'ent' } }, select: { id: true } })
  if (broker && enterprise && !(await db.demand.count({ where: { source: SOURCE, externalId: 'mined-1' } }))) {
    const mined = await mineDemand({ actor: actorOf(broker), orgId: enterprise.id, input: DemandInputSchema.parse(DEMO_MINED_DEMAND) })
    await db.demand.update({ where: { id: mined.id }, data: { source: SOURCE, externalId: 'mined-1' } })
  }
  return { profiles }
}
