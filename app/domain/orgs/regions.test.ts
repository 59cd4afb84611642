import { describe, expect, it } from 'vitest'
import { CHONGQING, HOME_DISTRICT, isValidRegionCode, listDistricts, listProvinces, regionName, regionZone } from './regions.server'

describe('regions (GB/T 2260)', () => {
  it('names districts with province, city and district', () => {
    expect(regionName('500118')).toBe('重庆市永川区')
    expect(regionName('510107')).toBe('四川省成都市武侯区')
    expect(regionName('110101')).toBe('北京市东城区')
  })

  it('names provinces and cities on their own', () => {
    expect(regionName('500000')).toBe('重庆市')
    expect(regionName('510000')).toBe('四川省')
    expect(regionName('510100')).toBe('四川省成都市')
  })

  it('refuses codes that are malformed or not in the list', () => {
    for (const code of ['', '50011', '5001180', 'abcdef', '50011８', ' 500118', '999999', '500199', '990000', '519900']) {
      expect(isValidRegionCode(code), JSON.stringify(code)).toBe(false)
      expect(regionName(code), JSON.stringify(code)).toBeNull()
    }
  })

  it('lists 永川区 among the districts of Chongqing', () => {
    expect(HOME_DISTRICT).toBe('500118')
    const areas = listDistricts(CHONGQING).flatMap((g) => g.areas)
    expect(areas).toContainEqual({ code: '500118', name: '永川区' })
    expect(areas.every((a) => a.code.startsWith('50') && isValidRegionCode(a.code))).toBe(true)
    // Municipalities are grouped under their own name, not under the placeholder 市辖区.
    expect(listDistricts(CHONGQING).map((g) => g.city)).not.toContain('市辖区')
  })

  it('groups a province by city', () => {
    const sichuan = listDistricts('51')
    const chengdu = sichuan.find((g) => g.city === '成都市')
    expect(chengdu?.areas).toContainEqual({ code: '510107', name: '武侯区' })
    expect(listDistricts('99')).toEqual([])
  })

  it('lists the provinces, Chongqing and Sichuan among them', () => {
    const provinces = listProvinces()
    expect(provinces.length).toBeGreaterThanOrEqual(31)
    expect(provinces).toContainEqual({ code: '50', name: '重庆市' })
    expect(provinces).toContainEqual({ code: '51', name: '四川省' })
  })

  it('places a region relative to the district', () => {
    expect(regionZone('500118')).toBe('district')
    expect(regionZone('500101')).toBe('chongqing')
    expect(regionZone('500000')).toBe('chongqing')
    expect(regionZone('510107')).toBe('sichuan')
    expect(regionZone('110101')).toBe('elsewhere')
  })
})
