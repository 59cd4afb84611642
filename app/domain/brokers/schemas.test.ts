import { describe, expect, it } from 'vitest'
import { BrokerProfileSchema, ClaimsQuerySchema, DirectoryQuerySchema, regionAncestors, regionFilter, regionPrefix, RefuseSchema } from './schemas'

const valid = {
  grade: 'SENIOR',
  certificateNo: 'cqjj-2021-0158',
  fields: ['ADVANCED_MANUFACTURING', '新材料'],
  industries: 'INTELLIGENT_EQUIPMENT',
  regionCodes: ['500118', '510000'],
  bio: '  从事技术转移十二年。\n擅长装备制造。  ',
  listed: 'on',
}

const issues = (input: Record<string, unknown>) => {
  const r = BrokerProfileSchema.safeParse(input)
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]))
}

describe('BrokerProfileSchema', () => {
  it('reads a form: codes or Chinese names, one value or many, a ticked box', () => {
    expect(BrokerProfileSchema.parse(valid)).toEqual({
      grade: 'SENIOR',
      certificateNo: 'CQJJ-2021-0158',
      fields: ['ADVANCED_MANUFACTURING', 'NEW_MATERIALS'],
      industries: ['INTELLIGENT_EQUIPMENT'],
      regionCodes: ['500118', '510000'],
      bio: '从事技术转移十二年。\n擅长装备制造。',
      listed: true,
    })
  })

  it('takes absent lists, certificate and bio as empty, and an unticked box as not listed', () => {
    expect(BrokerProfileSchema.parse({ grade: 'JUNIOR' })).toEqual({ grade: 'JUNIOR', fields: [], industries: [], regionCodes: [], listed: false })
    expect(BrokerProfileSchema.parse({ grade: 'JUNIOR', certificateNo: '', bio: '' })).toMatchObject({ certificateNo: undefined, bio: '' })
  })

  it('refuses an unknown or missing grade with the grade message', () => {
    expect(issues({ ...valid, grade: 'EXPERT' })).toEqual({ grade: 'err.broker.grade' })
    expect(issues({ ...valid, grade: undefined })).toEqual({ grade: 'err.broker.grade' })
  })

  it('accepts certificate numbers of letters, digits and inner dashes up to 64', () => {
    for (const ok of ['A1', '2021-0158', 'CQ-JJ-2021-0158', 'X'.repeat(64)]) expect(issues({ ...valid, certificateNo: ok }), ok).toEqual({})
    for (const bad of ['-A1', 'A1-', 'A--1', 'CQ 2021', 'CQ_2021', '证书2021', 'A/1']) {
      expect(issues({ ...valid, certificateNo: bad }), bad).toEqual({ certificateNo: 'err.broker.certificate' })
    }
    expect(issues({ ...valid, certificateNo: 'X'.repeat(65) })).toEqual({ certificateNo: 'err.tooLong?max=64' })
  })

  it('refuses a bio over 2000 characters, and one with HTML tags, but not a lone "<"', () => {
    expect(issues({ ...valid, bio: '长'.repeat(10_000) })).toEqual({ bio: 'err.tooLong?max=2000' })
    expect(issues({ ...valid, bio: '长'.repeat(2000) })).toEqual({})
    for (const html of ['<script>alert(1)</script>', '你好<b>加粗</b>', '<img src=x onerror=alert(1)>', '<!-- 注释 -->', '< a href="x">链接']) {
      expect(issues({ ...valid, bio: html }), html).toEqual({ bio: 'err.broker.bioMarkup' })
    }
    expect(issues({ ...valid, bio: '误差 <0.01 mm，效率 > 95%' })).toEqual({})
  })

  it('refuses region codes that are not six digits, unknown fields and industries', () => {
    expect(issues({ ...valid, regionCodes: ['5001'] })).toEqual({ regionCodes: 'err.broker.regions' })
    expect(issues({ ...valid, regionCodes: ['500118', '重庆'] })).toEqual({ regionCodes: 'err.broker.regions' })
    expect(issues({ ...valid, fields: ['MAGIC'] })).toEqual({ fields: 'err.field' })
    expect(issues({ ...valid, industries: ['MINING'] })).toEqual({ industries: 'err.industry' })
  })

  it('drops duplicates and caps the number of regions', () => {
    expect(BrokerProfileSchema.parse({ ...valid, regionCodes: ['500118', '500118'] }).regionCodes).toEqual(['500118'])
    const many = Array.from({ length: 31 }, (_, i) => `5001${String(i + 1).padStart(2, '0')}`)
    expect(issues({ ...valid, regionCodes: many })).toEqual({ regionCodes: 'err.tooMany?max=30' })
  })
})

describe('RefuseSchema', () => {
  it('needs a reason of at least four characters', () => {
    expect(RefuseSchema.safeParse({ reason: '  ' }).success).toBe(false)
    expect(RefuseSchema.safeParse({ reason: '不符' }).success).toBe(false)
    expect(RefuseSchema.parse({ reason: ' 证书编号不符 ' })).toEqual({ reason: '证书编号不符' })
  })
})

describe('directory and claims filters', () => {
  it('drop wrong values instead of failing', () => {
    expect(DirectoryQuerySchema.parse({ grade: 'EXPERT', field: 'NEW_MATERIALS', region: '5', district: 'abc', page: '-1' })).toEqual({
      field: 'NEW_MATERIALS',
      page: 1,
    })
    expect(ClaimsQuerySchema.parse({})).toEqual({ scope: 'mine', page: 1 })
    expect(ClaimsQuerySchema.parse({ scope: 'everything', page: '3' })).toEqual({ scope: 'mine', page: 3 })
  })

  it('use the district only inside the chosen province', () => {
    expect(regionFilter({ region: '50', district: '500118' })).toBe('500118')
    expect(regionFilter({ region: '51', district: '500118' })).toBe('51')
    expect(regionFilter({ district: '500118' })).toBe('500118')
    expect(regionFilter({})).toBeUndefined()
  })
})

describe('regions', () => {
  it('turn a code into the prefix of what it contains', () => {
    expect(regionPrefix('500000')).toBe('50')
    expect(regionPrefix('510100')).toBe('5101')
    expect(regionPrefix('500118')).toBe('500118')
  })

  it('list a district, its city and its province as what contains it', () => {
    expect(regionAncestors('510107')).toEqual(['510107', '510100', '510000'])
    expect(regionAncestors('500000')).toEqual(['500000'])
  })
})
