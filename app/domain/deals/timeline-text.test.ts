import { describe, expect, it } from 'vitest'
import { CATALOGUES, translator } from '~/i18n/i18n'
import { DEAL_EVENT_TYPES } from './events.server'
import { EVENT_KEYS, eventText, OTHER_EVENT_KEY, PARTY_KEYS } from './timeline-text'

describe('the timeline’s event texts', () => {
  it('have a text in both languages for every event type of the deal module and the NDA', () => {
    const types = [...DEAL_EVENT_TYPES, 'nda.sent', 'nda.accepted', 'nda.effective']
    for (const type of types) expect(EVENT_KEYS[type], type).toBeDefined()
    for (const key of [...Object.values(EVENT_KEYS), OTHER_EVENT_KEY, ...Object.values(PARTY_KEYS)]) {
      expect(CATALOGUES['zh-CN'][key], key).toBeTruthy()
      expect(CATALOGUES.en[key], key).toBeTruthy()
    }
  })

  it('names stages and sides in the reader’s language and fills every placeholder', () => {
    const zh = translator('zh-CN')
    expect(eventText(zh, 'deal.stage', { from: 'INTRODUCED', to: 'NDA' })).toBe('阶段：已引荐 → 保密协议')
    expect(eventText(translator('en'), 'nda.accepted', { party: 'SELLER', name: '陈教授', orgName: '渝西理工大学' })).toBe('accepted the NDA for 渝西理工大学 (Seller)')
    expect(eventText(zh, 'followup.scheduled', { dates: ['2026-04-01', '2026-06-01'] })).toBe('安排回访：2026-04-01、2026-06-01')
    expect(eventText(zh, 'something.new', {})).toBe('项目事件：something.new')
    expect(eventText(zh, 'nda.effective', { sellerOrgName: '<b>机构</b>' })).toContain('<b>机构</b>')
  })
})
