import { describe, expect, it } from 'vitest'
import { yuanToFen } from '~/domain/listings/schemas'
import { dayInputValue, fenToYuanInput, formatDate, formatDay, formatFen, formatFenExact } from './format'

describe('formatFen', () => {
  it('uses 万 and 亿 in Chinese', () => {
    expect(formatFen(null, 'zh-CN', '面议')).toBe('面议')
    expect(formatFen(0, 'zh-CN', '面议')).toBe('¥0')
    expect(formatFen(850_000, 'zh-CN', '面议')).toBe('¥8,500')
    expect(formatFen(1_200_000_00, 'zh-CN', '面议')).toBe('¥120万')
    expect(formatFen(1_200_000_50, 'zh-CN', '面议')).toBe('¥120万')
    expect(formatFen(1_234_500_0, 'zh-CN', '面议')).toBe('¥12.35万')
    expect(formatFen(150_000_000_00, 'zh-CN', '面议')).toBe('¥1.5亿')
  })

  it('uses compact notation in English', () => {
    expect(formatFen(null, 'en', 'Negotiable')).toBe('Negotiable')
    expect(formatFen(850_000, 'en', '')).toBe('¥8,500')
    expect(formatFen(1_200_000_00, 'en', '')).toBe('¥1.2M')
    expect(formatFen(150_000_000_00, 'en', '')).toBe('¥150M')
  })

  it('shows the exact amount with cents only when there are any', () => {
    expect(formatFenExact(1_200_000_50, '面议')).toBe('¥1,200,000.50')
    expect(formatFenExact(1_200_000_00, '面议')).toBe('¥1,200,000')
    expect(formatFenExact(null, '面议')).toBe('面议')
  })
})

describe('fenToYuanInput', () => {
  it('round-trips through the schema', () => {
    for (const fen of [0, 1, 10, 99, 100, 12_345, 120_000_050, 1_000_000_000_000]) {
      expect(yuanToFen.parse(fenToYuanInput(fen))).toBe(fen)
    }
    expect(fenToYuanInput(null)).toBe('')
    expect(fenToYuanInput(12_350)).toBe('123.5')
  })
})

describe('dates', () => {
  it('shows moments in China time and calendar dates as stored', () => {
    expect(formatDate(new Date('2026-03-01T17:00:00Z'), 'zh-CN')).toBe('2026/03/02')
    expect(formatDay(new Date('2026-03-01T00:00:00Z'), 'zh-CN')).toBe('2026/03/01')
    expect(formatDate(null, 'zh-CN')).toBe('')
    expect(dayInputValue(new Date('2026-12-31T00:00:00Z'))).toBe('2026-12-31')
    expect(dayInputValue('nonsense')).toBe('')
  })
})
