import { useState, type MouseEvent } from 'react'
import { useT } from '~/i18n/i18n'
import { Button, FieldErrors } from '~/ui/form'

export type DistrictGroups = { city: string; areas: { code: string; name: string }[] }[]
export interface Region {
  code: string
  name: string
}

const control =
  'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200'

/**
 * The regions a broker serves (GB/T 2260): the chosen ones as ticked boxes named `regionCodes`
 * (untick to drop), and a picker for one more, a whole province or one of its districts. With
 * JavaScript the districts load from /resources/regions and 添加 adds in place; without it,
 * 添加 and 换省份 post the form back (intent add-region / pick-province) and the page returns
 * with the form as it was, plus the region. State starts from the props: give the picker a
 * `key` that changes when the server sends other ones.
 */
export function RegionPicker({
  chosen: initialChosen,
  provinces,
  province: initialProvince,
  districts: initialDistricts,
  errors,
}: {
  chosen: Region[]
  provinces: Region[]
  province: string
  districts: DistrictGroups
  errors?: string[] | null
}) {
  const t = useT()
  const [chosen, setChosen] = useState(initialChosen)
  const [province, setProvince] = useState(initialProvince)
  const [districts, setDistricts] = useState(initialDistricts)
  const [pick, setPick] = useState('')

  const provinceName = provinces.find((p) => p.code === province)?.name ?? ''
  async function chooseProvince(code: string) {
    setProvince(code)
    setPick('')
    const response = await fetch(`/resources/regions?province=${code}`)
    if (response.ok) setDistricts(((await response.json()) as { districts: DistrictGroups }).districts)
  }
  function add(event: MouseEvent<HTMLButtonElement>) {
    event.preventDefault()
    const code = pick || `${province}0000`
    if (chosen.some((r) => r.code === code)) return
    let name = provinceName
    for (const group of districts) {
      const area = group.areas.find((a) => a.code === code)
      if (area) name = `${provinceName}${group.city !== provinceName ? group.city : ''}${area.name}`
    }
    setChosen([...chosen, { code, name }])
    setPick('')
  }
  const errorId = errors?.length ? 'regionCodes-error' : undefined
  return (
    <fieldset className="mb-4 sm:col-span-2" aria-describedby={errorId} aria-invalid={errorId ? true : undefined}>
      <legend className="mb-2 block text-sm font-medium text-slate-700">{t('brokers.profile.regions')}</legend>
      {chosen.length ? (
        <ul className="mb-3 flex flex-wrap gap-2" data-testid="chosen-regions">
          {chosen.map((r) => (
            <li key={r.code}>
              <label className="flex cursor-pointer items-center gap-2 rounded-md border border-sky-600 bg-sky-50 px-3 py-1.5 text-sm text-sky-900 has-[:not(:checked)]:border-slate-300 has-[:not(:checked)]:bg-white has-[:not(:checked)]:text-slate-500 has-[:not(:checked)]:line-through">
                <input type="checkbox" name="regionCodes" value={r.code} defaultChecked className="h-4 w-4 accent-sky-700" />
                {r.name}
              </label>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mb-3 text-sm text-slate-500">{t('brokers.profile.noRegions')}</p>
      )}
      <div className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
        <div>
          <label htmlFor="pickProvince" className="mb-0.5 block text-xs text-slate-500">
            {t('brokers.profile.pickProvince')}
          </label>
          <select id="pickProvince" name="pickProvince" value={province} onChange={(e) => void chooseProvince(e.currentTarget.value)} className={control}>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
          <noscript>
            <button type="submit" name="intent" value="pick-province" formNoValidate className="mt-1 text-sm text-sky-700 underline">
              {t('brokers.profile.pickProvinceGo')}
            </button>
          </noscript>
        </div>
        <div>
          <label htmlFor="pickRegion" className="mb-0.5 block text-xs text-slate-500">
            {t('brokers.profile.pickRegion')}
          </label>
          <select id="pickRegion" name="pickRegion" value={pick} onChange={(e) => setPick(e.currentTarget.value)} className={control}>
            <option value="">{t('brokers.profile.wholeProvince', { name: provinceName })}</option>
            {districts.map((group) => (
              <optgroup key={group.city} label={group.city}>
                {group.areas.map((a) => (
                  <option key={a.code} value={a.code}>
                    {a.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <Button type="submit" name="intent" value="add-region" formNoValidate variant="secondary" onClick={add}>
          {t('brokers.profile.addRegion')}
        </Button>
      </div>
      <p className="mt-1 text-xs text-slate-500">{t('brokers.profile.regionsHint')}</p>
      <FieldErrors id={errorId} errors={errors} />
    </fieldset>
  )
}
