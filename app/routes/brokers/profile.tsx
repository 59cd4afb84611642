import type { ReactNode } from 'react'
import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/profile'
import { getBrokerProfile } from '~/domain/brokers/profiles.server'
import { regionName } from '~/domain/orgs/regions.server'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { getUser } from '~/infra/http/auth.server'
import { GradeBadge, StateBadge } from '~/ui/brokers/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { formatDate, formatFen, formatFenExact } from '~/ui/listings/format'
import { Chip, FIELD_KEYS, INDUSTRY_KEYS, VerifiedMark } from '~/ui/listings/labels'
import { asAppError, listingId } from '../listings/helpers.server'

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const name = (data as { name?: string } | undefined)?.name
  return [{ title: name ? `${name} · ${t('brokers.directory.title')} · ${t('app.name')}` : t('app.name') }]
}

export async function loader({ params, context }: Route.LoaderArgs) {
  const id = listingId(params.id)
  let found
  try {
    found = await getBrokerProfile({ actor: getUser(context), userId: id })
  } catch (error) {
    const e = asAppError(error)
    throw new Response(e.message, { status: e.status })
  }
  const { profile, name, agency, state, isPublic, own, record, led } = found
  return {
    id,
    name,
    agency,
    state,
    isPublic,
    own,
    grade: profile.grade,
    certificateNo: profile.certificateNo,
    fields: profile.fields,
    industries: profile.industries,
    regions: profile.regionCodes.map((c) => regionName(c) ?? c),
    bio: profile.bio,
    verifiedAt: profile.verifiedAt,
    record,
    led,
  }
}

export default function BrokerProfilePage() {
  const t = useT()
  const locale = useLocale()
  const d = useLoaderData<typeof loader>()
  return (
    <article>
      <Link to="/brokers" className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {t('brokers.directory.title')}
      </Link>
      <header className="mt-3 mb-6">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold sm:text-3xl">{d.name}</h1>
          <GradeBadge grade={d.grade} />
          {d.state !== 'verified' ? <StateBadge state={d.state} /> : null}
        </div>
        <p className="mt-2 text-sm text-slate-600">
          {d.agency?.name ?? '—'}
          {d.agency?.verified ? <VerifiedMark title={t('listings.verifiedOrg')} /> : null}
        </p>
        {d.own ? (
          <Link to="/my/broker-profile" className="mt-3 inline-block text-sm text-sky-700 underline hover:text-sky-900">
            {t('brokers.profile.edit')}
          </Link>
        ) : null}
      </header>
      {!d.isPublic ? (
        <p className="mb-6 rounded-md border border-slate-200 bg-slate-100 px-4 py-3 text-sm text-slate-700" data-testid="not-public">
          {t('brokers.public.notPublic')}
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="space-y-6">
          <Block title={t('brokers.public.record')}>
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3" data-testid="track-record">
              <Stat label={t('brokers.record.contracts')} value={String(d.record.contracts)} />
              <Stat
                label={t('brokers.record.techAmount')}
                value={formatFen(d.record.techAmountFen, locale, '—')}
                title={formatFenExact(d.record.techAmountFen, '—')}
              />
              <Stat label={t('brokers.record.dealsWon')} value={String(d.record.dealsWon)} />
              <Stat label={t('brokers.record.dealsOpen')} value={String(d.record.dealsOpen)} />
              <Stat label={t('brokers.record.demandsMined')} value={String(d.record.demandsMined)} />
              <Stat label={t('brokers.record.demandsLed')} value={String(d.record.demandsLed)} />
            </dl>
            <p className="mt-3 text-xs text-slate-500">{t('brokers.record.note')}</p>
          </Block>
          {d.bio ? (
            <Block title={t('brokers.profile.bio')}>
              <p className="whitespace-pre-line break-words leading-relaxed" data-testid="bio">
                {d.bio}
              </p>
            </Block>
          ) : null}
          {d.led.length ? (
            <Block title={t('brokers.public.led')}>
              <ul className="divide-y divide-slate-100">
                {d.led.map((demand) => (
                  <li key={demand.id} className="py-2">
                    <Link to={`/demands/${demand.id}`} className="font-medium text-slate-900 hover:text-sky-800 hover:underline">
                      {demand.title}
                    </Link>
                    <p className="text-xs text-slate-500">
                      {demand.org.name} · {t(FIELD_KEYS[demand.field])} · {t(INDUSTRY_KEYS[demand.industry])}
                    </p>
                  </li>
                ))}
              </ul>
            </Block>
          ) : null}
        </div>
        <aside className="space-y-4">
          <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
            <dl className="space-y-3">
              <Row label={t('brokers.profile.grade')}>
                <GradeBadge grade={d.grade} />
              </Row>
              <Row label={t('brokers.profile.certificateNo')}>{d.certificateNo ? <span className="font-mono">{d.certificateNo}</span> : '—'}</Row>
              {d.state === 'verified' && d.verifiedAt ? <Row label={t('brokers.public.verifiedOn')}>{formatDate(d.verifiedAt, locale)}</Row> : null}
              <Row label={t('brokers.profile.fields')}>
                <Chips items={d.fields.map((f) => t(FIELD_KEYS[f]))} />
              </Row>
              <Row label={t('brokers.profile.industries')}>
                <Chips items={d.industries.map((i) => t(INDUSTRY_KEYS[i]))} tone="violet" />
              </Row>
              <Row label={t('brokers.profile.regions')}>
                <Chips items={d.regions} tone="slate" />
              </Row>
            </dl>
          </section>
        </aside>
      </div>
    </article>
  )
}

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <h2 className="mb-3 text-base font-semibold text-slate-900">{title}</h2>
      {children}
    </section>
  )
}

function Stat({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums text-slate-900" title={title}>
        {value}
      </dd>
    </div>
  )
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="mb-1 text-xs text-slate-500">{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function Chips({ items, tone = 'sky' }: { items: string[]; tone?: 'sky' | 'slate' | 'violet' }) {
  if (!items.length) return <span>—</span>
  return (
    <span className="flex flex-wrap gap-1.5">
      {items.map((x) => (
        <Chip key={x} tone={tone}>
          {x}
        </Chip>
      ))}
    </span>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
