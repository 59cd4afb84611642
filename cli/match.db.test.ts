import { beforeAll, describe, expect, it } from 'vitest'
import { createListing, delegate, transitionListing } from '~/domain/listings/listings.server'
import { AchievementInputSchema, DemandInputSchema } from '~/domain/listings/schemas'
import type { Actor } from '~/domain/users/accounts.server'
import { prisma } from '~/infra/db/client.server'
import { makeUser } from '../tests/factories'
import { kezhuan } from './test-support'

// `kezhuan match …` as the issue names it: one listing's matches as text or JSON, every
// published demand as JSON lines, and clear errors for a wrong id or limit.

const ids: Record<string, string> = {}

beforeAll(async () => {
  const supplier: Actor = await makeUser({ role: 'SUPPLIER' })
  const enterprise: Actor = await makeUser({ role: 'ENTERPRISE' })
  const bureau: Actor = await makeUser({ role: 'BUREAU' })
  const publish = async (kind: 'achievement' | 'demand', input: Record<string, unknown>, owner: Actor, externalId: string) => {
    const schema = kind === 'achievement' ? AchievementInputSchema : DemandInputSchema
    const row = await createListing({ actor: owner, kind, input: schema.parse(input), submit: true })
    await transitionListing({ actor: bureau, kind, id: row.id, action: 'approve' })
    // An external id comes with an import; given here directly.
    await delegate(await prisma(), kind).update({ where: { id: row.id }, data: { externalId } })
    ids[externalId] = row.id
  }
  await publish(
    'achievement',
    {
      title: '压铸件内部气孔X射线在线检测系统',
      summary: '基于X射线成像与深度学习的铝合金压铸件气孔、缩孔缺陷在线检测，单件检测节拍 20 秒，漏检率低于 0.5%。',
      field: '先进制造与自动化', industry: '汽车及零部件', trl: 7, transferModes: ['许可', '技术服务'], askingPrice: 800000,
      keywords: ['压铸件', '气孔', '在线检测', 'X射线'],
    },
    supplier,
    'CLI-A1',
  )
  await publish(
    'demand',
    {
      title: '压铸件气孔太多，想上在线检测',
      description: '我们做新能源汽车铝合金压铸件，气孔和砂眼多，现在靠人工抽检跟不上，想上一套在线检测，节拍 30 秒以内。',
      field: '先进制造与自动化', industry: '汽车及零部件', budget: 1000000, cooperationModes: ['技术服务', '合作开发'], trlMin: 6,
    },
    enterprise,
    'CLI-D1',
  )
  await publish(
    'demand',
    {
      title: '白酒窖池老化的微生物修复',
      description: '我们酒厂的窖泥出现老化板结，想找能修复窖池微生物群落的技术。',
      field: '生物与新医药', industry: '特色轻工', budget: 300000, cooperationModes: ['合作开发'],
    },
    enterprise,
    'CLI-D2',
  )
})

describe('kezhuan match', () => {
  it('lists a demand\'s matches with their reasons, by external id or platform id', async () => {
    const text = await kezhuan('match', 'demand', 'CLI-D1')
    expect(text).toMatchObject({ code: 0, stderr: '' })
    expect(text.stdout).toContain('压铸件气孔太多，想上在线检测 (CLI-D1)')
    expect(text.stdout).toMatch(/1\. \[0\.\d\d (strong|possible)\] 压铸件内部气孔X射线在线检测系统 \(CLI-A1\)/)

    const json = await kezhuan('match', 'demand', ids['CLI-D1']!, '--json', '--limit', '1')
    expect(json.code).toBe(0)
    const result = JSON.parse(json.stdout)
    expect(result).toMatchObject({ demand: { id: ids['CLI-D1'], externalId: 'CLI-D1' }, noGoodMatch: false })
    expect(result.matches).toHaveLength(1)
    expect(result.matches[0]).toMatchObject({ achievement: { id: ids['CLI-A1'], externalId: 'CLI-A1', title: '压铸件内部气孔X射线在线检测系统' } })
    expect(result.matches[0].score).toBeGreaterThan(0)
    expect(result.matches[0].score).toBeLessThanOrEqual(1)
    expect(result.matches[0].reasons.join(' ')).toContain('压铸件')
  })

  it('says so when nothing fits, and who needs an achievement', async () => {
    const none = await kezhuan('match', 'demand', 'CLI-D2')
    expect(none.stdout).toContain('没有足够好的匹配')
    const whoNeeds = JSON.parse((await kezhuan('match', 'achievement', 'CLI-A1', '--json')).stdout)
    expect(whoNeeds.achievement.externalId).toBe('CLI-A1')
    expect(whoNeeds.matches.map((m: { demand: { externalId: string } }) => m.demand.externalId)).toContain('CLI-D1')
  })

  it('prints one JSON line per published demand with --all', async () => {
    const result = await kezhuan('match', 'demands', '--all', '--json')
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => l.demand.externalId).sort()).toEqual(['CLI-D1', 'CLI-D2'])
    for (const line of lines) expect(Object.keys(line).sort()).toEqual(['demand', 'matches', 'noGoodMatch'])
    expect(lines.find((l) => l.demand.externalId === 'CLI-D2')).toMatchObject({ noGoodMatch: true, matches: [] })
  })

  it('answers a wrong id with a message in words, and a wrong limit with the usage', async () => {
    const missing = await kezhuan('match', 'demand', 'NO-SUCH-DEMAND')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('error: 未找到 (NOT_FOUND err.notFound)')
    expect(missing.stdout).toBe('')
    for (const limit of ['0', 'ten', '101']) {
      const wrong = await kezhuan('match', 'demand', 'CLI-D1', '--limit', limit)
      expect(wrong).toMatchObject({ code: 2, stderr: expect.stringContaining('--limit takes a whole number from 1 to 100') })
    }
    expect((await kezhuan('match', 'demands', '--json')).code).toBe(2)
  })
})
