import type { Prisma } from '~/generated/prisma/client'
import type { DealStage, IpType } from '~/generated/prisma/enums'
import { confirmContract, draftContract, sendForConfirmation } from '~/domain/contracts/contracts.server'
import type { DraftInput } from '~/domain/contracts/schemas'
import { todayInChina } from '~/domain/listings/schemas'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { moveStage } from './deals.server'
import { recordFollowUpOutcome } from './followups.server'

/**
 * The demo broker's pipeline (broker@demo.kezhuan.cn): a deal at every stage, the demo
 * enterprise the buyer of several, candidates from the demo achievements (some of the demo
 * university's and institute's), next steps (some overdue), a won deal linked to a signed
 * contract drafted from the deal and signed by both demo administrators, with its follow-up
 * visits, a lost one with its reason, and a deal at the contract stage whose draft was made
 * from the deal. Written as history (dated rows), except what goes through the contracts
 * module: drafting, confirming and winning are done as people do them, on past dates.
 *
 * Left alone on purpose (FREE_DEMO_DEMANDS): the demo enterprise's confidential demands DEMO-D001
 * and DEMO-D002 (the latter with a match list) stay unclaimed, for a broker to claim and start a
 * deal on, as the browser tests do.
 * Safe to run again: nothing is written when deals exist.
 */

const BROKER = 'broker@demo.kezhuan.cn'
const DAY = 86_400_000
/**
 * Kept free for the browser tests and the tour: the demo enterprise's confidential demands a
 * broker may claim. DEMO-D002 has a match list of two: 西南汽车工程学院's 快速换型 grinding system
 * and the demo institute's 恒力打磨工艺包.
 */
export const FREE_DEMO_DEMANDS = ['DEMO-D001', 'DEMO-D002'] as const

type CandidateState = 'considered' | 'shortlisted' | 'introduced' | 'dropped'
interface Plan {
  need: { demand: string } | { scenario: string }
  stage: DealStage
  /** Days ago the deal was started. */
  age: number
  candidates: [string, CandidateState][]
  nextStep: string
  /** Days from today (negative: overdue). */
  due: number
  lostReason?: string
  /** Stages passed on the way, in order (besides LEAD); CONTRACT and WON are reached through the contract. */
  path: DealStage[]
  /** Drafted from the deal (then it is at CONTRACT); signed by both parties' administrators (then WON). */
  contract?: { draftedDaysAgo: number; signedDaysAgo?: number }
}

const PLANS: Plan[] = [
  {
    need: { demand: 'DEMO-D007' },
    stage: 'LEAD',
    age: 4,
    candidates: [],
    nextStep: '上门调研电机壳体现有压铸工艺和减重目标',
    due: 5,
    path: [],
  },
  {
    need: { scenario: 'DEMO-S004' },
    stage: 'LEAD',
    age: 9,
    candidates: [['DEMO-A044', 'considered']],
    nextStep: '与区农业农村委确认示范茶园选址和建设周期',
    due: 10,
    path: [],
  },
  {
    need: { demand: 'DEMO-D004' },
    stage: 'SHORTLISTED',
    age: 21,
    candidates: [
      ['DEMO-A006', 'shortlisted'],
      ['DEMO-A049', 'considered'],
    ],
    nextStep: '请大数据产业研究院确认预测性维护系统能否接入 60 台不同品牌的数控设备',
    due: -3,
    path: ['SHORTLISTED'],
  },
  {
    need: { demand: 'DEMO-D014' },
    stage: 'INTRODUCED',
    age: 30,
    candidates: [['DEMO-A036', 'introduced']],
    nextStep: '组织双方线上交流，演示自清洁涂层的挂片试验数据',
    due: 2,
    path: ['SHORTLISTED', 'INTRODUCED'],
  },
  {
    need: { demand: 'DEMO-D015' },
    stage: 'INTRODUCED',
    age: 26,
    candidates: [['DEMO-A025', 'introduced']],
    nextStep: '寄送冷泡茶样品给企业品控部门试饮并反馈',
    due: -6,
    path: ['SHORTLISTED', 'INTRODUCED'],
  },
  {
    need: { demand: 'DEMO-D005' },
    stage: 'NDA',
    age: 38,
    candidates: [
      ['DEMO-A005', 'introduced'],
      ['DEMO-A022', 'dropped'],
    ],
    nextStep: '推动双方确认保密协议文本，开放齿轮检测精度要求等详细资料',
    due: 3,
    path: ['SHORTLISTED', 'INTRODUCED', 'NDA'],
  },
  {
    need: { demand: 'DEMO-D006' },
    stage: 'DUE_DILIGENCE',
    age: 55,
    candidates: [['DEMO-A009', 'introduced']],
    nextStep: '组织现场试样检测，核实气孔检出率和节拍',
    due: -10,
    path: ['SHORTLISTED', 'INTRODUCED', 'NDA', 'DUE_DILIGENCE'],
  },
  {
    need: { demand: 'DEMO-D010' },
    stage: 'NEGOTIATING',
    age: 70,
    candidates: [
      ['DEMO-A023', 'introduced'],
      ['DEMO-A018', 'dropped'],
    ],
    nextStep: '协调许可费与分期付款方案，形成条款清单',
    due: 7,
    path: ['SHORTLISTED', 'INTRODUCED', 'DUE_DILIGENCE', 'NEGOTIATING'],
  },
  {
    need: { demand: 'DEMO-D012' },
    stage: 'CONTRACT',
    age: 90,
    candidates: [['DEMO-A033', 'introduced']],
    nextStep: '催双方确认合同草稿并安排签约',
    due: 4,
    path: ['SHORTLISTED', 'INTRODUCED', 'NDA', 'DUE_DILIGENCE', 'NEGOTIATING'],
    contract: { draftedDaysAgo: 2 },
  },
  {
    need: { demand: 'DEMO-D003' },
    stage: 'WON',
    age: 160,
    candidates: [['DEMO-A001', 'introduced']],
    nextStep: '第二次回访：了解补偿系统运行效果和尾款支付情况',
    due: -5,
    path: ['SHORTLISTED', 'INTRODUCED', 'NDA', 'NEGOTIATING'],
    contract: { draftedDaysAgo: 104, signedDaysAgo: 95 },
  },
  {
    need: { demand: 'DEMO-D013' },
    stage: 'LOST',
    age: 120,
    candidates: [['DEMO-A035', 'introduced']],
    nextStep: '与企业财务部门确认余热发电项目投资预算',
    due: -40,
    lostReason: '企业今年压缩技改投资，余热发电项目推迟到明年再议；已约定明年一季度回访。',
    path: ['SHORTLISTED', 'INTRODUCED', 'NEGOTIATING'],
  },
]

export async function seedDemoDeals({ now = new Date() }: { now?: Date } = {}) {
  const db = await prisma()
  if ((await db.deal.count()) > 0) return { created: 0 }
  const broker = await db.user.findUnique({ where: { email: BROKER }, select: { id: true, role: true, orgId: true, isOrgAdmin: true, name: true } })
  if (!broker) return { created: 0 }
  const actor: Actor = { id: broker.id, role: broker.role, orgId: broker.orgId, isOrgAdmin: broker.isOrgAdmin }
  const externalIds = PLANS.flatMap((p) => ['demand' in p.need ? p.need.demand : p.need.scenario, ...p.candidates.map(([a]) => a)])
  const [demands, scenarios, achievements] = await Promise.all([
    db.demand.findMany({ where: { source: 'demo', externalId: { in: externalIds }, status: 'PUBLISHED' }, select: { id: true, externalId: true, title: true, orgId: true, leadBrokerId: true } }),
    db.scenario.findMany({ where: { source: 'demo', externalId: { in: externalIds }, status: 'PUBLISHED' }, select: { id: true, externalId: true, title: true, orgId: true } }),
    db.achievement.findMany({
      where: { source: 'demo', externalId: { in: externalIds }, status: 'PUBLISHED' },
      select: { id: true, externalId: true, title: true, orgId: true, ipType: true, ipNumbers: true, org: { select: { name: true } } },
    }),
  ])
  const byExt = <T extends { externalId: string | null }>(rows: T[]) => new Map(rows.map((r) => [r.externalId!, r]))
  const demandOf = byExt(demands)
  const scenarioOf = byExt(scenarios)
  const achievementOf = byExt(achievements)

  const seq = new Map<string, number>()
  const number = (createdAt: Date) => {
    const year = todayInChina(createdAt).slice(0, 4)
    const n = (seq.get(year) ?? 0) + 1
    seq.set(year, n)
    return `D-${year}-${String(n).padStart(6, '0')}`
  }
  const daysAgo = (n: number, hour = 2) => new Date(`${todayInChina(new Date(now.getTime() - n * DAY))}T${String(hour).padStart(2, '0')}:00:00Z`)
  const dayOf = (offset: number) => new Date(`${todayInChina(new Date(now.getTime() + offset * DAY))}T00:00:00Z`)

  const plans = [...PLANS].sort((a, b) => b.age - a.age)
  const toContract: { plan: Plan; deal: { id: string; title: string; buyerOrgId: string; demandId: string }; achievement: (typeof achievements)[number] }[] = []
  let created = 0
  await db.$transaction(
    async (tx) => {
      for (const plan of plans) {
        const need = 'demand' in plan.need ? demandOf.get(plan.need.demand) : scenarioOf.get(plan.need.scenario)
        if (!need) continue
        const createdAt = daysAgo(plan.age)
        if ('demand' in plan.need) {
          const d = need as (typeof demands)[number]
          // Another demo broker leads it (the brokers' demo data): not this broker's deal to start.
          if (d.leadBrokerId && d.leadBrokerId !== broker.id) continue
          await tx.demand.updateMany({ where: { id: d.id, leadBrokerId: null }, data: { leadBrokerId: broker.id, claimedAt: createdAt } })
        }
        const candidates = plan.candidates.flatMap(([ext, state]) => {
          const a = achievementOf.get(ext)
          return a && a.orgId !== need.orgId ? [{ a, state }] : []
        })
        // The steps of the path spread between the start and the last step (the contract's draft, or a few days ago).
        const lastAt = plan.contract ? daysAgo(plan.contract.draftedDaysAgo + 3) : daysAgo(Math.min(plan.age, 3))
        const steps = Math.max(plan.path.length, 1)
        const stepAt = (i: number) => new Date(createdAt.getTime() + Math.round(((i + 1) * (lastAt.getTime() - createdAt.getTime())) / (steps + 1)))
        const stage: DealStage = plan.contract ? 'NEGOTIATING' : plan.stage
        const closedAt = plan.stage === 'LOST' ? stepAt(steps) : null
        const deal = await tx.deal.create({
          data: {
            number: number(createdAt),
            title: need.title,
            demandId: 'demand' in plan.need ? need.id : null,
            scenarioId: 'scenario' in plan.need ? need.id : null,
            buyerOrgId: need.orgId,
            ownerId: broker.id,
            stage,
            nextStep: plan.nextStep,
            nextStepDue: dayOf(plan.due),
            lostReason: plan.lostReason ?? null,
            closedAt,
            createdAt,
            updatedAt: closedAt ?? lastAt,
          },
        })
        const events: Prisma.DealEventCreateManyInput[] = [
          { dealId: deal.id, actorId: broker.id, type: 'deal.created', params: { number: deal.number, title: deal.title, demandId: deal.demandId, scenarioId: deal.scenarioId }, createdAt },
        ]
        const introducedAt = stepAt(Math.max(0, plan.path.indexOf('INTRODUCED')))
        for (const { a, state } of candidates) {
          const params = { achievementId: a.id, achievementTitle: a.title, sellerOrgId: a.orgId, sellerOrgName: a.org.name }
          const introduced = state === 'introduced'
          await tx.dealCandidate.create({
            data: {
              dealId: deal.id,
              achievementId: a.id,
              sellerOrgId: a.orgId,
              shortlisted: state === 'shortlisted' || introduced,
              introducedAt: introduced ? introducedAt : null,
              droppedAt: state === 'dropped' ? stepAt(steps - 1) : null,
              createdAt,
            },
          })
          events.push({ dealId: deal.id, actorId: broker.id, type: 'candidate.added', params, internal: true, createdAt })
          if (introduced) events.push({ dealId: deal.id, actorId: broker.id, type: 'candidate.introduced', params, createdAt: introducedAt })
          if (state === 'dropped') events.push({ dealId: deal.id, actorId: broker.id, type: 'candidate.dropped', params, internal: true, createdAt: stepAt(steps - 1) })
        }
        let from: DealStage = 'LEAD'
        plan.path.forEach((to, i) => {
          events.push({ dealId: deal.id, actorId: broker.id, type: 'deal.stage', params: { from, to }, createdAt: stepAt(i) })
          from = to
        })
        if (closedAt) events.push({ dealId: deal.id, actorId: broker.id, type: 'deal.lost', params: { from }, createdAt: closedAt })
        events.push({
          dealId: deal.id,
          actorId: broker.id,
          type: 'deal.nextStep',
          params: { nextStep: plan.nextStep, due: todayInChina(dayOf(plan.due)) },
          internal: true,
          createdAt: stepAt(steps - 1),
        })
        await tx.dealEvent.createMany({ data: events })
        await tx.auditLog.create({ data: { actorId: null, action: 'deal.demo', entityType: 'Deal', entityId: deal.id, after: { number: deal.number, stage } } })
        const chosen = candidates.find((c) => c.state === 'introduced')
        if (plan.contract && chosen && deal.demandId) toContract.push({ plan, deal: { id: deal.id, title: deal.title, buyerOrgId: deal.buyerOrgId, demandId: deal.demandId }, achievement: chosen.a })
        created++
      }
    },
    { timeout: 60_000 },
  )

  // Deals at CONTRACT and WON go there as a broker's do: the contract is drafted from the deal
  // (which links it and moves the deal on), and, for the won one, confirmed by both parties'
  // administrators, which schedules its follow-up visits.
  for (const { plan, deal, achievement } of toContract) {
    const drafted = daysAgo(plan.contract!.draftedDaysAgo, 3)
    const input = contractDraft({ deal, achievement, drafted })
    const contract = await draftContract({ actor, input, now: drafted })
    const signedDaysAgo = plan.contract!.signedDaysAgo
    if (signedDaysAgo === undefined) continue
    const [seller, buyer] = await Promise.all([orgAdmin(achievement.orgId), orgAdmin(deal.buyerOrgId)])
    if (!seller || !buyer) continue
    await sendForConfirmation({ actor, id: contract.id, now: new Date(drafted.getTime() + 2 * 3_600_000) })
    const version = await db.contractVersion.findFirstOrThrow({ where: { contractId: contract.id, version: 1 }, select: { termsHash: true } })
    await confirmContract({ actor: seller, id: contract.id, version: 1, termsHash: version.termsHash, ip: '10.0.8.21', now: daysAgo(signedDaysAgo + 1, 7) })
    const signedAt = daysAgo(signedDaysAgo, 3)
    await confirmContract({ actor: buyer, id: contract.id, version: 1, termsHash: version.termsHash, ip: '10.0.8.35', now: signedAt })
    // The first visit is done when its day has passed; the second is the deal's next step.
    const [first] = await db.followUp.findMany({ where: { dealId: deal.id }, orderBy: { dueDate: 'asc' } })
    if (first && first.dueDate.getTime() < now.getTime() - 3 * DAY) {
      await recordFollowUpOutcome({
        actor,
        dealId: deal.id,
        followUpId: first.id,
        outcome: '已回访：补偿系统已在两台卧式加工中心上试运行，夏季午后孔系同轴度合格率提升明显，企业计划推广到全部设备。',
        now: new Date(first.dueDate.getTime() + 2 * DAY + 6 * 3_600_000),
      })
    }
    await moveStage({ actor, dealId: deal.id, input: { to: 'WON', from: 'CONTRACT' }, now: new Date(signedAt.getTime() + 2 * DAY) })
  }
  return { created }
}

/** The administrator of an organisation: who confirms its contracts. */
async function orgAdmin(orgId: string): Promise<Actor | null> {
  const db = await prisma()
  return db.user.findFirst({ where: { orgId, isOrgAdmin: true, disabledAt: null }, orderBy: { createdAt: 'asc' }, select: { id: true, role: true, orgId: true, isOrgAdmin: true } })
}

type DemoAchievement = { id: string; title: string; orgId: string; ipType: IpType | null; ipNumbers: string[] }

/** A contract's terms for a demo deal: a patent licence when the achievement is a patent, else co-operative development. */
function contractDraft({
  deal,
  achievement,
  drafted,
}: {
  deal: { id: string; title: string; buyerOrgId: string; demandId: string }
  achievement: DemoAchievement
  drafted: Date
}): DraftInput {
  const day = (offset: number) => todayInChina(new Date(drafted.getTime() + offset * DAY))
  const licence = achievement.ipType === 'INVENTION_PATENT'
  const amountFen = licence ? 38_000_000 : 86_000_000
  const common = {
    field: null,
    industry: null,
    ipNumbers: [],
    royaltyRateBp: null,
    entryFeeFen: null,
    termStart: day(14),
    termEnd: day(14 + 3 * 365),
    sellerOrgId: achievement.orgId,
    buyerOrgId: deal.buyerOrgId,
    achievementId: achievement.id,
    demandId: deal.demandId,
    dealId: deal.id,
  }
  if (licence) {
    return {
      ...common,
      title: `${achievement.title}专利实施许可合同`,
      type: 'LICENSE',
      subtype: 'LICENSE_PATENT',
      exclusivity: 'ORDINARY',
      ipType: 'INVENTION_PATENT',
      ipNumbers: achievement.ipNumbers.slice(0, 20),
      amountFen,
      techAmountFen: amountFen,
      paymentMethod: 'INSTALMENTS',
      milestones: [
        { title: '合同生效后首付款', dueDate: day(30), amountFen: 19_000_000 },
        { title: '系统验收后尾款', dueDate: day(150), amountFen: 19_000_000 },
      ],
      termsText: [
        `第一条 许可标的：「${achievement.title}」相关发明专利的普通实施许可。`,
        '第二条 许可范围：被许可方在其永川生产基地实施，不得转许可。',
        '第三条 技术服务：许可方提供工艺调试与人员培训。',
        '第四条 保密：双方对履行中知悉的技术秘密和商业秘密负有保密义务。',
        '第五条 价款及支付方式：见付款节点。',
        '第六条 争议解决：协商不成的，提交合同签订地人民法院诉讼解决。',
      ].join('\n'),
    }
  }
  return {
    ...common,
    title: `${deal.title}合作开发合同`,
    type: 'DEVELOPMENT',
    subtype: 'DEV_COOPERATIVE',
    exclusivity: null,
    ipType: null,
    amountFen,
    techAmountFen: 80_000_000,
    paymentMethod: 'INSTALMENTS',
    milestones: [
      { title: '合同生效后首付款', dueDate: day(30), amountFen: 43_000_000 },
      { title: '中试验收后尾款', dueDate: day(240), amountFen: 43_000_000 },
    ],
    termsText: [
      `第一条 合作内容：围绕「${deal.title}」，以「${achievement.title}」为基础共同开发量产工艺。`,
      '第二条 分工：成果方负责配方与工艺参数，需求方提供产线与中试条件。',
      '第三条 验收标准：按附件技术指标由双方共同验收。',
      '第四条 保密：双方对履行中知悉的技术秘密和商业秘密负有保密义务。',
      '第五条 价款及支付方式：见付款节点。',
      '第六条 争议解决：协商不成的，提交合同签订地人民法院诉讼解决。',
    ].join('\n'),
  }
}
