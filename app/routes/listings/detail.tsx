import { Fragment, type ReactNode } from 'react'
import { data, Link, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/detail'
import type { Industry, IpType, ListingStatus, Stage, TechField, TransferMode } from '~/generated/prisma/enums'
import { CREATE_PERMISSION, KIND_PATHS, type ListingKind } from '~/domain/listings/kinds'
import { canReview, canSeeConfidential, getListing, TRANSITIONS, transitionListing, type ListingAction } from '~/domain/listings/listings.server'
import { regionName } from '~/domain/orgs/regions.server'
import { demandBrokerPanel } from '~/domain/brokers/claims.server'
import { can } from '~/domain/users/permissions'
import { canSeeMatches } from '~/domain/matching/match.server'
import { matchesForViewer } from '~/domain/matching/stored.server'
import { dealEntry } from '~/domain/deals/deals.server'
import { getWatch } from '~/domain/saved-searches/saved-searches.server'
import { localeFromRequest, translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { getUser, requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { MatchList } from '~/ui/matching/match-list'
import { formatDate, formatDay, formatFen, formatFenExact, joinList } from '~/ui/listings/format'
import { Chip, FIELD_KEYS, INDUSTRY_KEYS, IP_TYPE_KEYS, KIND_TEXT, LockIcon, MODE_KEYS, StaleBadge, STAGE_KEYS, StatusBadge, TRL_KEYS, VerifiedMark } from '~/ui/listings/labels'
import { ListingActions, type ActionError } from '~/ui/listings/listing-actions'
import { DemandBrokersPanel } from '~/ui/brokers/demand-brokers-panel'
import { WatchMatches } from '../saved-searches.forms'
import { asAppError, errorKey, kindFromUrl, listingId, parseReason, redirectWithFlash } from './helpers.server'
import { AddToDealButton, DealEntryBox } from '../deals/entry'

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const title = (data as { listing?: { title?: string } } | undefined)?.listing?.title
  return [{ title: title ? `${title} · ${t('app.name')}` : t('app.name') }]
}

const CONTACT = ['contactName', 'contactPhone', 'contactEmail'] as const

export async function loader({ request, url, params, context }: Route.LoaderArgs) {
  const kind = kindFromUrl(url)
  const id = listingId(params.id)
  const user = getUser(context)
  let found
  try {
    found = await getListing({ actor: user, kind, id })
  } catch (error) {
    const e = asAppError(error)
    throw new Response(e.message, { status: e.status })
  }
  const { listing } = found
  // A demand's brokers; a mined demand waiting for its enterprise is confirmed there, not submitted.
  const brokers = kind === 'demand' ? await demandBrokerPanel({ actor: user, demand: listing }) : null
  const actions = brokers?.mined ? found.actions.filter((a) => a !== 'submit') : found.actions
  // Contacts are for brokers and the bureau to use in an introduction, not for the public; an
  // effective NDA opens them (and the confidential details) to the other party.
  const privileged = found.disclosed
  const { createdById: _by, source: _source, externalId: _ext, ...shown } = listing as Record<string, unknown>
  if (!privileged) for (const key of CONTACT) delete shown[key]
  const owner = !!user?.orgId && user.orgId === listing.orgId && can(user.role, CREATE_PERMISSION[kind])
  // Matches: for the owner, brokers and the bureau, once the listing is public.
  const matches =
    listing.status === 'PUBLISHED' && canSeeMatches(user, listing) ? await matchesForViewer({ actor: user, kind, id: listing.id, locale: localeFromRequest(request) }) : null
  // Whoever sees the match list may watch it for new matches (see /saved-searches).
  const watch = matches && user ? await getWatch({ actor: user, kind, id: listing.id }) : null
  // Brokers draft contracts from a match; so does the achievement owner's administrator.
  const mayDraft = !!user && can(user.role, 'contract:draft') && (user.role === 'BROKER' || (kind === 'achievement' && owner && user.isOrgAdmin))
  // A broker starts a deal from a published need, or adds its matches to the deal they work on.
  const dealBox = listing.status === 'PUBLISHED' ? await dealEntry({ actor: user, kind, id: listing.id }) : null
  return {
    dealBox,
    mayDraft,
    matches,
    watchId: watch?.id ?? null,
    kind,
    listing: shown as typeof listing,
    region: regionName(listing.org.regionCode),
    actions,
    privileged,
    // Open to this reader's organisation by an effective NDA (not as owner, broker or bureau).
    openedByNda: found.disclosed && !canSeeConfidential(user, listing),
    canEdit: owner && listing.status !== 'ARCHIVED',
    publishesDirectly: kind === 'scenario' && canReview(user),
    brokers,
  }
}

const IntentSchema = z.enum(Object.keys(TRANSITIONS) as [ListingAction, ...ListingAction[]])

const DONE_KEYS: Record<ListingAction, string> = {
  submit: 'listings.done.submit',
  withdraw: 'listings.done.withdraw',
  approve: 'listings.done.approve',
  reject: 'listings.done.reject',
  archive: 'listings.done.archive',
  restore: 'listings.done.restore',
  refresh: 'listings.done.refresh',
}

export async function action(args: Route.ActionArgs) {
  const { request, params, context, url } = args
  const kind = kindFromUrl(url)
  const id = listingId(params.id)
  const user = requireUser(args)
  const formData = await request.formData()
  const intent = IntentSchema.safeParse(formData.get('intent'))
  if (!intent.success) return data<ActionError>({ formError: 'err.badRequest' }, { status: 400 })
  let reason: string | undefined
  if (intent.data === 'reject') {
    const parsed = parseReason(formData)
    if (!parsed.success) return data<ActionError>({ intent: 'reject', fieldErrors: { reason: parsed.errors } }, { status: 400 })
    reason = parsed.reason
  }
  try {
    const after = await transitionListing({ actor: user, kind, id, action: intent.data, reason, ip: context.get(clientIpContext) })
    const key = intent.data === 'submit' && after.status === 'PUBLISHED' ? 'listings.done.published' : DONE_KEYS[intent.data]
    return await redirectWithFlash(`/${KIND_PATHS[kind]}/${id}`, { key, params: { title: after.title } })
  } catch (error) {
    const e = asAppError(error)
    const fieldErrors = Object.fromEntries(Object.entries(e.fields ?? {}).map(([k, v]) => [k, [v]]))
    return data<ActionError>({ intent: intent.data, formError: errorKey(e, request), fieldErrors }, { status: e.status })
  }
}

type Listing = Record<string, unknown> & {
  id: string
  title: string
  status: ListingStatus
  org: { name: string; verified: boolean }
  detailsHidden: boolean
}

export default function ListingDetail() {
  const t = useT()
  const locale = useLocale()
  const { kind, listing: raw, region, actions, privileged, canEdit, publishesDirectly, matches, mayDraft, dealBox, watchId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const l = raw as unknown as Listing
  const text = KIND_TEXT[kind]
  const path = `/${KIND_PATHS[kind]}`
  const price = (kind === 'achievement' ? l.askingPriceFen : l.budgetFen) as number | null
  const publishedAt = l.publishedAt as Date | null
  return (
    <article>
      <Link to={path} className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {t('listings.detail.back')} · {t(text.title)}
      </Link>
      <header className="mt-3 mb-6">
        <div className="mb-2 flex flex-wrap items-center gap-2">
          <StatusBadge status={l.status} />
          {l.staleAt ? <StaleBadge /> : null}
          {kind === 'demand' && l.confidential ? (
            <Chip tone="slate">
              <LockIcon className="mr-1 h-3 w-3" />
              {t('listings.confidentialBadge')}
            </Chip>
          ) : null}
        </div>
        <h1 className="text-2xl font-semibold leading-snug sm:text-3xl">{l.title}</h1>
        <p className="mt-2 text-sm text-slate-600">
          {l.org.name}
          {l.org.verified ? <VerifiedMark title={t('listings.verifiedOrg')} /> : null}
          {region ? <span className="text-slate-400"> · {region}</span> : null}
          {publishedAt ? <span className="text-slate-400"> · {t('listings.publishedOn', { date: formatDate(publishedAt, locale) })}</span> : null}
        </p>
        <p className="mt-2 text-xl font-semibold text-orange-700 lg:hidden">{formatFen(price, locale, t('listings.negotiable'))}</p>
      </header>

      <StatusNotice status={l.status} reason={(l.rejectReason as string | null | undefined) ?? null} />
      {l.staleAt ? <Notice tone="orange">{t('listings.detail.staleNotice')}</Notice> : null}

      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="space-y-6">
          {kind === 'achievement' ? <AchievementBody l={l} /> : kind === 'demand' ? <DemandBody l={l} /> : <ScenarioBody l={l} />}
          {matches ? (
            <MatchList
              kind={kind}
              result={matches}
              contractHref={
                mayDraft
                  ? (otherId) => (kind === 'achievement' ? `/contracts/new?achievement=${l.id}&need=${otherId}` : `/contracts/new?need=${kind}:${l.id}&achievement=${otherId}`)
                  : undefined
              }
              renderAction={
                dealBox?.openDeal && kind !== 'achievement'
                  ? (otherId, title) => <AddToDealButton deal={dealBox.openDeal!} achievementId={otherId} title={title} />
                  : undefined
              }
            />
          ) : null}
          {matches ? <WatchMatches kind={kind} id={l.id} watchId={watchId} redirectTo={`${path}/${l.id}`} /> : null}
        </div>
        <aside className="space-y-4">
          <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <p className="text-xs text-slate-500">{t(kind === 'achievement' ? 'listings.label.askingPrice' : 'listings.label.budget')}</p>
            <p className="text-2xl font-semibold text-orange-700" title={formatFenExact(price, t('listings.negotiable'))}>
              {formatFen(price, locale, t('listings.negotiable'))}
            </p>
            <Facts kind={kind} l={l} />
          </section>
          <ListingActions
            actions={actions}
            editHref={canEdit ? `${path}/${l.id}/edit` : null}
            error={actionData}
            publishesDirectly={publishesDirectly}
          />
          {dealBox && kind !== 'achievement' ? <DealEntryBox entry={dealBox} kind={kind} id={l.id} /> : null}
          <DemandBrokers id={l.id} />
          <Contact l={l} privileged={privileged} />
        </aside>
      </div>
    </article>
  )
}

/** A demand's brokers (app/ui/brokers/demand-brokers-panel.tsx). */
function DemandBrokers({ id }: { id: string }) {
  const { brokers } = useLoaderData<typeof loader>()
  return brokers ? <DemandBrokersPanel panel={brokers} demandId={id} /> : null
}

function Facts({ kind, l }: { kind: ListingKind; l: Listing }) {
  const t = useT()
  const locale = useLocale()
  const rows: [string, ReactNode][] = []
  const field = l.field as TechField | null
  const industry = (kind === 'scenario' ? l.sector : l.industry) as Industry | null
  if (field) rows.push([t('listings.label.field'), t(FIELD_KEYS[field])])
  if (industry) rows.push([t(kind === 'scenario' ? 'listings.label.sector' : 'listings.label.industry'), t(INDUSTRY_KEYS[industry])])
  if (kind === 'achievement') {
    const trl = l.trl as number
    rows.push([t('listings.label.trl'), `${trl} · ${t(TRL_KEYS[trl] ?? '')}`])
    rows.push([t('listings.label.stage'), t(STAGE_KEYS[l.stage as Stage])])
    rows.push([t('listings.label.transferModes'), modes(l.transferModes, t, locale)])
  }
  if (kind === 'demand') {
    const trl = l.trlMin as number | null
    if (trl) rows.push([t('listings.label.trlMin'), `${trl} · ${t(TRL_KEYS[trl] ?? '')}`])
    rows.push([t('listings.label.cooperationModes'), modes(l.cooperationModes, t, locale)])
  }
  if (kind !== 'achievement' && l.deadline) rows.push([t('listings.label.deadline'), formatDay(l.deadline as Date, locale)])
  if (kind === 'scenario') {
    const batch = l.batch as { number: string; title: string } | null
    if (batch) rows.push([t('listings.label.batch'), `${batch.number} · ${batch.title}`])
    if (l.ownerDepartment) rows.push([t('listings.label.ownerDepartment'), l.ownerDepartment as string])
  }
  rows.push([t('listings.label.updatedAt'), formatDate(l.updatedAt as Date, locale)])
  return (
    <dl className="mt-4 grid grid-cols-[minmax(4.5rem,max-content)_1fr] gap-x-4 gap-y-2 border-t border-slate-100 pt-4 text-sm">
      {rows.map(([label, value]) => (
        <Fragment key={label}>
          <dt className="text-slate-500">{label}</dt>
          <dd className="text-slate-900">{value}</dd>
        </Fragment>
      ))}
    </dl>
  )
}

/** In the catalogue's order, whatever order they were ticked in. */
function modes(value: unknown, t: (key: string) => string, locale: string) {
  const chosen = new Set((value as TransferMode[] | undefined) ?? [])
  const names = (Object.keys(MODE_KEYS) as TransferMode[])
    .filter((m) => chosen.has(m))
    .map((m) => t(MODE_KEYS[m]))
  return joinList(names, locale)
}

function Block({ title, children, note }: { title: string; children: ReactNode; note?: string }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      {note ? (
        <p className="mt-0.5 flex items-center gap-1 text-xs text-slate-500">
          <LockIcon className="h-3 w-3" />
          {note}
        </p>
      ) : null}
      <div className="mt-2 text-slate-800">{children}</div>
    </section>
  )
}

function Prose({ text }: { text: unknown }) {
  return <p className="whitespace-pre-line break-words leading-relaxed">{String(text ?? '')}</p>
}

function Keywords({ l }: { l: Listing }) {
  const t = useT()
  const keywords = (l.keywords as string[] | undefined) ?? []
  if (!keywords.length) return null
  return (
    <div className="mt-4 flex flex-wrap items-center gap-1.5">
      <span className="text-xs text-slate-500">{t('listings.label.keywords')}</span>
      {keywords.map((k) => (
        <Chip key={k} tone="slate">
          {k}
        </Chip>
      ))}
    </div>
  )
}

function AchievementBody({ l }: { l: Listing }) {
  const t = useT()
  const locale = useLocale()
  const confidentialNote = useConfidentialNote()
  const ipType = l.ipType as IpType | null
  const ipNumbers = (l.ipNumbers as string[] | undefined) ?? []
  return (
    <>
      <Block title={t('listings.label.summary')}>
        <Prose text={l.summary} />
        <Keywords l={l} />
      </Block>
      {ipType || ipNumbers.length || l.ipStatus ? (
        <Block title={t('listings.detail.ip')}>
          <dl className="space-y-1 text-sm">
            {ipType ? <Row label={t('listings.label.ipType')}>{t(IP_TYPE_KEYS[ipType])}</Row> : null}
            {ipNumbers.length ? <Row label={t('listings.label.ipNumbers')}>{joinList(ipNumbers, locale)}</Row> : null}
            {l.ipStatus ? <Row label={t('listings.label.ipStatus')}>{String(l.ipStatus)}</Row> : null}
          </dl>
        </Block>
      ) : null}
      {typeof l.confidentialDetails === 'string' && l.confidentialDetails ? (
        <Block title={t('listings.label.confidentialDetails')} note={confidentialNote}>
          <Prose text={l.confidentialDetails} />
        </Block>
      ) : null}
    </>
  )
}

/** Who may see the confidential part: the owner's view, or the NDA that opened it to this reader. */
function useConfidentialNote() {
  const t = useT()
  return t(useLoaderData<typeof loader>().openedByNda ? 'conv.disclosure.openedByNda' : 'listings.detail.confidentialNote')
}

function DemandBody({ l }: { l: Listing }) {
  const t = useT()
  const confidentialNote = useConfidentialNote()
  const parts = (['currentSituation', 'targetIndicators', 'constraints'] as const).filter((k) => l[k])
  const labels = {
    currentSituation: t('listings.label.currentSituation'),
    targetIndicators: t('listings.label.targetIndicators'),
    constraints: t('listings.label.constraints'),
  }
  return (
    <>
      <Block title={t('listings.label.description')}>
        <Prose text={l.description} />
        <Keywords l={l} />
      </Block>
      {l.detailsHidden ? (
        <section className="rounded-lg border border-slate-300 bg-slate-100 p-4 sm:p-6" data-testid="details-hidden">
          <p className="flex items-center gap-2 font-medium text-slate-800">
            <LockIcon className="h-4 w-4" />
            {t('listings.detail.hidden')}
          </p>
          <p className="mt-1 text-sm text-slate-600">{t('listings.detail.hiddenHelp')}</p>
        </section>
      ) : parts.length ? (
        <Block title={t('listings.detail.details')} note={l.confidential ? confidentialNote : undefined}>
          <div className="space-y-4">
            {parts.map((k) => (
              <div key={k}>
                <h3 className="text-sm font-medium text-slate-500">{labels[k]}</h3>
                <Prose text={l[k]} />
              </div>
            ))}
          </div>
        </Block>
      ) : null}
    </>
  )
}

function ScenarioBody({ l }: { l: Listing }) {
  const t = useT()
  return (
    <>
      <Block title={t('listings.label.scenarioDescription')}>
        <Prose text={l.description} />
        <Keywords l={l} />
      </Block>
      {l.capability ? (
        <Block title={t('listings.label.capability')}>
          <Prose text={l.capability} />
        </Block>
      ) : null}
    </>
  )
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-2">
      <dt className="text-slate-500">{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function Contact({ l, privileged }: { l: Listing; privileged: boolean }) {
  const t = useT()
  const items = [
    [t('listings.label.contactName'), l.contactName],
    [t('listings.label.contactPhone'), l.contactPhone],
    [t('listings.label.contactEmail'), l.contactEmail],
  ].filter(([, v]) => v) as [string, string][]
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
      <h2 className="mb-2 font-semibold text-slate-900">{t('listings.label.contact')}</h2>
      {privileged ? (
        items.length ? (
          <dl className="space-y-1">
            {items.map(([label, value]) => (
              <Row key={label} label={label}>
                {value}
              </Row>
            ))}
          </dl>
        ) : (
          <p className="text-slate-500">—</p>
        )
      ) : (
        <p className="text-slate-600">{t('listings.detail.contactHidden')}</p>
      )}
    </section>
  )
}

function StatusNotice({ status, reason }: { status: ListingStatus; reason: string | null }) {
  const t = useT()
  if (status === 'PUBLISHED') return null
  if (status === 'REJECTED') {
    return (
      <Notice tone="red">
        <p>{t('listings.detail.rejected')}</p>
        {reason ? (
          <>
            <p className="mt-2 font-medium">{t('listings.label.rejectReason')}</p>
            <p className="whitespace-pre-line" data-testid="reject-reason">
              {reason}
            </p>
          </>
        ) : null}
      </Notice>
    )
  }
  const key = { DRAFT: 'listings.detail.draft', PENDING_REVIEW: 'listings.detail.pending', ARCHIVED: 'listings.detail.archived' }[status]
  return <Notice tone="slate">{t(key)}</Notice>
}

function Notice({ tone, children }: { tone: 'red' | 'orange' | 'slate'; children: ReactNode }) {
  const style = {
    red: 'border-red-200 bg-red-50 text-red-900',
    orange: 'border-orange-200 bg-orange-50 text-orange-900',
    slate: 'border-slate-200 bg-slate-100 text-slate-700',
  }[tone]
  return <div className={`mb-6 rounded-md border px-4 py-3 text-sm ${style}`}>{children}</div>
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}

