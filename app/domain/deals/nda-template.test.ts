import { describe, expect, it } from 'vitest'
import { chineseDate, DEFAULT_NDA_TEMPLATE, ndaTextHash, renderNda, templateProblems, variablesIn, type NdaValues } from './nda-template'

const VALUES: NdaValues = {
  买方: '重庆永锋精密机械有限公司',
  买方信用代码: '91500118MA5U7K3X2A',
  卖方: '渝西理工大学',
  卖方信用代码: '12500118MB2345678B',
  项目: '主轴箱体孔系加工精度提升',
  编号: 'D-2026-000042',
  成果: '数控机床热误差实时补偿系统、主轴温升预测模型',
  日期: '2026年3月5日',
}

describe('the NDA template', () => {
  it('fills every variable, with or without spaces inside the braces', () => {
    const text = renderNda('甲方：{{买方}}；乙方：{{ 卖方 }}；项目：{{项目}}（{{编号}}），{{日期}}', VALUES)
    expect(text).toBe('甲方：重庆永锋精密机械有限公司；乙方：渝西理工大学；项目：主轴箱体孔系加工精度提升（D-2026-000042），2026年3月5日')
  })

  it('inserts values as plain text: braces or markup in a value are not read again', () => {
    const text = renderNda('{{买方}} / {{卖方}}', { ...VALUES, 买方: '{{卖方}}<b>公司</b>', 卖方: '$& $1' })
    expect(text).toBe('{{卖方}}<b>公司</b> / $& $1')
  })

  it('refuses to render an unknown variable instead of leaving it in the text', () => {
    expect(() => renderNda('{{甲方}}', VALUES)).toThrow(/甲方/)
  })

  it('the standard text uses known variables only, names both parties and leaves nothing unfilled', () => {
    expect(templateProblems(DEFAULT_NDA_TEMPLATE.body)).toEqual({ unknown: [], missing: [], strayBraces: false })
    const text = renderNda(DEFAULT_NDA_TEMPLATE.body, VALUES)
    expect(text).not.toMatch(/\{\{|\}\}/)
    for (const value of Object.values(VALUES)) expect(text).toContain(value)
  })

  it('reports unknown variables, missing parties and stray braces of a new version', () => {
    expect(variablesIn('{{买方}} {{ 甲方 }} {{买方}}')).toEqual(['买方', '甲方'])
    expect(templateProblems('{{买方}} {{甲方}} {{卖方')).toEqual({ unknown: ['甲方'], missing: ['卖方'], strayBraces: true })
    expect(templateProblems('没有变量').missing).toEqual(['买方', '卖方'])
  })

  it('hashes the exact text: one character more is another hash', () => {
    const hash = ndaTextHash('保密协议')
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(hash).toBe(ndaTextHash('保密协议'))
    expect(ndaTextHash('保密协议 ')).not.toBe(hash)
    // sha256("abc"), the FIPS 180-2 example.
    expect(ndaTextHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('dates in China time', () => {
    expect(chineseDate(new Date('2026-03-04T16:30:00Z'))).toBe('2026年3月5日')
    expect(chineseDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026年12月31日')
  })
})
