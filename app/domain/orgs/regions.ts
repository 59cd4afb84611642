/** Chongqing's province-level code, and the district this platform serves (永川区). */
export const CHONGQING = '50'
export const HOME_DISTRICT = '500118'

/** Where a region lies relative to the district: home district, rest of Chongqing, Sichuan, elsewhere. */
export function regionZone(code: string): 'district' | 'chongqing' | 'sichuan' | 'elsewhere' {
  if (code === HOME_DISTRICT) return 'district'
  if (code.startsWith(CHONGQING)) return 'chongqing'
  if (code.startsWith('51')) return 'sichuan'
  return 'elsewhere'
}
