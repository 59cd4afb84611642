import { data } from 'react-router'
import type { Route } from './+types/regions'
import { listDistricts } from '~/domain/orgs/regions.server'

/** Districts of a province, for the region picker. */
export function loader({ request }: Route.LoaderArgs) {
  const province = new URL(request.url).searchParams.get('province') ?? ''
  if (!/^\d{2}$/.test(province)) return data({ error: 'province must be a 2-digit code' }, { status: 400 })
  return data({ districts: listDistricts(province) }, { headers: { 'Cache-Control': 'public, max-age=86400' } })
}
