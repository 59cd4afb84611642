import { describe, expect, it } from 'vitest'
import { CATALOGUES, translator } from '~/i18n/i18n'
import { groupForDigest, notificationSubject, notificationText, NOTIFY_KEYS, renderDigest, renderNotificationEmail, typeLabel, type DigestItem } from './render'
import { NOTIFICATION_TYPES } from './types'

const zh = translator('zh-CN')
const en = translator('en')

describe('notification texts', () => {
  it('has a text, an e-mail subject and a label in both languages for every type', () => {
    expect(Object.keys(NOTIFY_KEYS).sort()).toEqual(Object.keys(NOTIFICATION_TYPES).sort())
    for (const keys of Object.values(NOTIFY_KEYS)) {
      for (const key of [keys.text, keys.subject, keys.label]) {
        expect(CATALOGUES['zh-CN'][key], key).toBeTruthy()
        expect(CATALOGUES.en[key], key).toBeTruthy()
      }
    }
  })

  it('writes a notification in the reader’s language with its parameters', () => {
    const n = { type: 'deal.message', params: { deal: 'd1', dealTitle: '压铸件在线检测', author: '李经纪' } }
    expect(notificationText(zh, n)).toBe('李经纪 在项目「压铸件在线检测」中发来新消息')
    expect(notificationText(en, n)).toBe('李经纪 wrote in the deal "压铸件在线检测"')
    expect(notificationSubject(zh, n)).toBe('【科转】项目「压铸件在线检测」有新消息')
    expect(notificationSubject(en, n)).toBe('[KeZhuan] New message in the deal "压铸件在线检测"')
  })

  it('names a deal stage in the reader’s language, not as its code', () => {
    const n = { type: 'deal.stage', params: { deal: 'd1', dealTitle: '伺服驱动', stage: 'NEGOTIATING' } }
    expect(notificationText(zh, n)).toContain(`“${zh('deal.stage.NEGOTIATING')}”`)
    expect(notificationText(zh, n)).not.toContain('NEGOTIATING')
  })

  it('shows a dash for a missing parameter, ignores objects in params, and survives an unknown type', () => {
    const n = { type: 'search.alert', params: { name: '机器人', count: 2, title: { evil: true } } }
    expect(notificationText(zh, n)).toBe('“机器人”有 2 条新结果，最新：—')
    expect(notificationText(zh, { type: 'no.such.type', params: {} })).toBe('一条消息')
    expect(typeLabel(en, 'no.such.type')).toBe('A notification')
    expect(notificationText(en, { type: 'broker.verified', params: null })).toBe('The bureau verified your broker profile')
  })

  it('does not read parameter values as placeholders', () => {
    const n = { type: 'demand.claimed', params: { demand: 'x', demandTitle: '{broker}<b>', broker: '王' } }
    expect(notificationText(zh, n)).toBe('王 认领了贵单位的需求「{broker}<b>」')
  })

  it('renders an e-mail with a greeting, the text, the absolute link and where to change the settings', () => {
    const mail = renderNotificationEmail({
      t: en,
      name: 'Zhang',
      notification: { type: 'nda.requested', params: { deal: 'd1', dealTitle: 'Gearbox' } },
      url: 'https://kz.example.cn/notifications/n1/open',
      prefsUrl: 'https://kz.example.cn/account/notifications',
    })
    expect(mail.subject).toBe('[KeZhuan] Please accept the NDA of the deal "Gearbox"')
    expect(mail.text.split('\n')).toEqual([
      'Hello Zhang,',
      '',
      'An NDA in the deal "Gearbox" waits for your acceptance',
      '',
      'Open: https://kz.example.cn/notifications/n1/open',
      '',
      '——',
      'This e-mail was sent by KeZhuan. Choose which notifications are e-mailed: https://kz.example.cn/account/notifications',
    ])
  })
})

describe('the daily digest', () => {
  const at = (iso: string) => new Date(iso)
  const item = (type: string, createdAt: string, params: Record<string, unknown> = {}): DigestItem => ({ type, params, createdAt: at(createdAt), url: `https://kz/${type}/${createdAt}` })

  it('groups by type in the order of the types, newest first within a group', () => {
    const items = [
      item('search.alert', '2026-03-01T01:00:00Z'),
      item('deal.stage', '2026-03-01T02:00:00Z'),
      item('search.alert', '2026-03-01T03:00:00Z'),
      item('deal.stage', '2026-03-01T00:30:00Z'),
      item('demand.claimed', '2026-03-01T04:00:00Z'),
    ]
    const groups = groupForDigest(items)
    expect(groups.map((g) => g.type)).toEqual(['deal.stage', 'demand.claimed', 'search.alert'])
    expect(groups[0]!.items.map((i) => i.createdAt.toISOString())).toEqual(['2026-03-01T02:00:00.000Z', '2026-03-01T00:30:00.000Z'])
    expect(groups[2]!.items.map((i) => i.createdAt.toISOString())).toEqual(['2026-03-01T03:00:00.000Z', '2026-03-01T01:00:00.000Z'])
  })

  it('puts an unknown type last instead of losing it', () => {
    const groups = groupForDigest([item('zzz.old', '2026-03-01T00:00:00Z'), item('deal.message', '2026-03-01T00:00:00Z')])
    expect(groups.map((g) => g.type)).toEqual(['deal.message', 'zzz.old'])
  })

  it('writes one e-mail with a heading per type, China times and links, in each language', () => {
    const items = [
      item('deal.stage', '2026-03-01T02:00:00Z', { dealTitle: '伺服驱动', stage: 'NDA' }),
      item('demand.claimed', '2026-03-01T04:05:00Z', { demandTitle: '压铸件检测', broker: '李经纪' }),
      item('deal.stage', '2026-03-01T00:30:00Z', { dealTitle: '伺服驱动', stage: 'INTRODUCED' }),
    ]
    const zhMail = renderDigest({ t: zh, name: '张总工', items, listUrl: 'https://kz/notifications', prefsUrl: 'https://kz/account/notifications' })
    expect(zhMail.subject).toBe('【科转】每日消息摘要：3 条未读')
    const lines = zhMail.text.split('\n')
    expect(lines).toContain('■ 项目阶段变化（2）')
    expect(lines).toContain('■ 需求被认领（1）')
    expect(lines).toContain('  · 李经纪 认领了贵单位的需求「压铸件检测」（03-01 12:05）')
    expect(lines.indexOf('■ 项目阶段变化（2）')).toBeLessThan(lines.indexOf('■ 需求被认领（1）'))
    expect(zhMail.text).toContain('https://kz/deal.stage/2026-03-01T02:00:00Z')
    expect(zhMail.text).toContain('查看全部消息：https://kz/notifications')

    const enMail = renderDigest({ t: en, name: 'Zhang', items, listUrl: 'https://kz/notifications', prefsUrl: 'https://kz/account/notifications' })
    expect(enMail.subject).toBe('[KeZhuan] Daily digest: 3 unread')
    expect(enMail.text).toContain('■ Deal stage changes (2)')
    expect(enMail.text).toContain('The deal "伺服驱动" moved to "NDA"')
  })
})
