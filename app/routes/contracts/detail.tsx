import type { ReactNode } from 'react'
import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/detail'
import {
  completeContract,
  confirmContract,
  getContract,
  partyOf,
  sendForConfirmation,
  submitForRegistration,
  terminateContract,
  type ContractAction,
} from '~/domain/contracts/contracts.server'
import { ConfirmSchema, ReasonSchema } from '~/domain/contracts/schemas'
import type { VersionTerms } from '~/domain/contracts/terms'
import { KIND_PATHS } from '~/domain/listings/kinds'
import { regionName } from '~/domain/orgs/regions.server'
import type { ContractParty, ContractStatus, OrgKind } from '~/generated/prisma/enums'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { Checklist } from '~/ui/contracts/checklist'
import { chinaDateTime, ContractStatusBadge, Money, PARTY_KEYS, RULES_KEYS, classificationText } from '~/ui/contracts/labels'
import { MilestoneTable, TermsFacts } from '~/ui/contracts/terms-view'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { formatDate, formatDay } from '~/ui/listings/format'
import { asAppError, asResponse, contractId, errorKey, redirectWithFlash, termsView } from './helpers.server'

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const c = (data as { contract?: { number: string; title: string } } | undefined)?.contract
  return [{ title: c ? `${c.number} ${c.title} · ${t('app.name')}` : t('app.name') }]
}

const ORG_KIND_KEYS: Record<OrgKind, string> = {
  UNIVERSITY: 'orgKind.UNIVERSITY',
  INSTITUTE: 'orgKind.INSTITUTE',
  ENTERPRISE: 'orgKind.ENTERPRISE',
  BROKER_AGENCY: 'orgKind.BROKER_AGENCY',
  GOVERNMENT: 'orgKind.GOVERNMENT',
  OTHER: 'orgKind.OTHER',
}

/** Statuses from which the payments page (another module) has something to show. */
const PAYABLE: ContractStatus[] = ['SIGNED', 'REGISTRATION_SUBMITTED', 'REGISTERED', 'NOT_REGISTERED', 'COMPLETED', 'TERMINATED']

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const id = contractId(args.params.id)
  let found
  try {
    found = await getContract({ actor: user, id })
  } catch (error) {
    throw asResponse(error)
  }
  const { contract: c, current, confirmedBy, names, actions, checklist } = found
  const org = (o: typeof c.sellerOrg) => ({ name: o.name, creditCode: o.creditCode, kind: o.kind, region: regionName(o.regionCode), verified: o.verified })
  const confirmationsOf = (version: number) =>
    c.confirmations
      .filter((x) => x.version === version)
      .map((x) => ({ party: x.party, userName: x.userName, confirmedAt: x.confirmedAt, termsHash: x.termsHash }))
  return {
    contract: {
      id: c.id,
      number: c.number,
      title: c.title,
      status: c.status,
      seller: org(c.sellerOrg),
      buyer: org(c.buyerOrg),
      broker: c.broker ? { name: c.broker.name, agency: c.brokerOrg?.name ?? null } : null,
      links: { achievementId: c.achievementId, demandId: c.demandId, scenarioId: c.scenarioId },
      terms: termsView(c),
      milestones: c.milestones.map((m) => ({ seq: m.seq, title: m.title, dueDate: m.dueDate, amountFen: Number(m.amountFen), status: m.status })),
      createdAt: c.createdAt,
      signedAt: c.signedAt,
      registrationSubmittedAt: c.registrationSubmittedAt,
      registration: c.registeredAt
        ? {
            number: c.registrationNumber,
            at: c.registeredAt,
            rules: c.registrationRules,
            techAmountFen: c.registeredTechAmountFen === null ? null : Number(c.registeredTechAmountFen),
            type: c.registeredType,
            subtype: c.registeredSubtype,
            by: c.registeredById ? (names[c.registeredById] ?? null) : null,
          }
        : null,
      notRegisteredReason: c.notRegisteredReason,
      completedAt: c.completedAt,
      terminatedAt: c.terminatedAt,
      terminationReason: c.terminationReason,
    },
    current: { version: current.version, termsHash: current.termsHash, termsText: current.termsText, createdAt: current.createdAt },
    confirmations: confirmationsOf(current.version).filter((x) => x.termsHash === current.termsHash),
    confirmedBy,
    versions: c.versions.map((v) => {
      const terms = v.terms as unknown as VersionTerms
      return {
        version: v.version,
        createdAt: v.createdAt,
        by: v.createdById ? (names[v.createdById] ?? null) : null,
        termsHash: v.termsHash,
        termsText: v.termsText,
        amountFen: terms.amountFen,
        techAmountFen: terms.techAmountFen,
        milestones: terms.milestones,
        confirmations: confirmationsOf(v.version),
      }
    }),
    actions,
    myParty: partyOf(user, c),
    checklist,
    showPayments: PAYABLE.includes(c.status),
  }
}

const IntentSchema = z.enum(['send', 'confirm', 'submit', 'complete', 'terminate'])
type Intent = z.infer<typeof IntentSchema>

const DONE_KEYS: Record<Intent, string> = {
  send: 'contract.done.sent',
  confirm: 'contract.done.confirmed',
  submit: 'contract.done.submitted',
  complete: 'contract.done.completed',
  terminate: 'contract.done.terminated',
}

export interface ActionError {
  intent?: Intent
  formError?: string
  fieldErrors?: Record<string, string[]>
}

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args)
  const id = contractId(args.params.id)
  const formData = await request.formData()
  const intent = IntentSchema.safeParse(formData.get('intent'))
  if (!intent.success) return data<ActionError>({ formError: 'err.badRequest' }, { status: 400 })
  const ip = context.get(clientIpContext)
  const fail = (fieldErrors: Record<string, string[]>) => data<ActionError>({ intent: intent.data, fieldErrors }, { status: 400 })
  try {
    let key = DONE_KEYS[intent.data]
    let number: string
    switch (intent.data) {
      case 'send':
        number = (await sendForConfirmation({ actor: user, id, ip })).number
        break
      case 'confirm': {
        const parsed = ConfirmSchema.safeParse(Object.fromEntries(formData))
        if (!parsed.success) return fail(z.flattenError(parsed.error).fieldErrors as Record<string, string[]>)
        const result = await confirmContract({ actor: user, id, version: parsed.data.version, termsHash: parsed.data.termsHash, ip })
        number = result.contract.number
        if (result.signed) key = 'contract.done.signed'
        break
      }
      case 'submit':
        number = (await submitForRegistration({ actor: user, id, ip })).number
        break
      case 'complete':
        number = (await completeContract({ actor: user, id, ip })).number
        break
      case 'terminate': {
        const parsed = ReasonSchema.safeParse({ reason: formData.get('reason') ?? '' })
        if (!parsed.success) return fail({ reason: parsed.error.issues.map((i) => (i.message === 'err.required' ? 'err.contract.reasonRequired' : i.message)) })
        number = (await terminateContract({ actor: user, id, reason: parsed.data.reason, ip })).number
        break
      }
    }
    return await redirectWithFlash(`/contracts/${id}`, { key, params: { number } })
  } catch (error) {
    const e = asAppError(error)
    const fieldErrors = Object.fromEntries(Object.entries(e.fields ?? {}).map(([k, v]) => [k, [v]]))
    return data<ActionError>({ intent: intent.data, formError: errorKey(e, request), fieldErrors }, { status: e.status })
  }
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>

export default function ContractDetail() {
  const t = useT()
  const locale = useLocale()
  const loaded = useLoaderData<typeof loader>()
  const { contract: c, current, versions, actions, checklist, showPayments } = loaded
  const actionData = useActionData<typeof action>()
  return (
    <article>
      <Link to="/contracts" className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {t('contract.list.title')}
      </Link>
      <header className="mt-3 mb-6">
        <div className="mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-500">
          <span className="font-mono" data-testid="contract-number">
            {c.number}
          </span>
          <ContractStatusBadge status={c.status} />
          <span>{classificationText(t, c.terms.type, c.terms.subtype)}</span>
        </div>
        <h1 className="text-2xl font-semibold leading-snug sm:text-3xl">{c.title}</h1>
        <p className="mt-2 text-sm text-slate-600">
          {t('contract.detail.draftedOn', { date: formatDate(c.createdAt, locale) })}
          {c.signedAt ? ` · ${t('contract.detail.signedOn', { date: formatDate(c.signedAt, locale) })}` : null}
          {c.broker ? ` · ${t('contract.detail.brokerLine', { name: c.broker.name, agency: c.broker.agency ?? '' })}` : null}
        </p>
      </header>

      <StatusNotice loaded={loaded} />
      {actionData?.formError && !['confirm', 'terminate'].includes(actionData.intent ?? '') ? <FormError message={actionData.formError} /> : null}

      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="min-w-0 space-y-6">
          <Block title={t('contract.detail.parties')}>
            <div className="grid gap-4 sm:grid-cols-2">
              <PartyCard label={t('contract.party.SELLER')} org={c.seller} />
              <PartyCard label={t('contract.party.BUYER')} org={c.buyer} />
            </div>
            <Sources links={c.links} />
          </Block>

          <Block title={t('contract.detail.terms', { version: current.version })} aside={<Hash hash={current.termsHash} />}>
            <TermsFacts terms={c.terms} />
            <h3 className="mt-6 mb-2 text-sm font-semibold text-slate-700">{t('contract.form.milestones')}</h3>
            <MilestoneTable milestones={c.milestones} showStatus={showPayments} />
            <h3 className="mt-6 mb-2 text-sm font-semibold text-slate-700">{t('contract.label.termsText')}</h3>
            <p className="whitespace-pre-line break-words rounded-md bg-slate-50 p-3 text-sm leading-relaxed text-slate-800" data-testid="terms-text">
              {current.termsText}
            </p>
          </Block>

          <Block title={t('contract.detail.confirmations')}>
            <Confirmations loaded={loaded} />
          </Block>

          {c.registration ? (
            <Block title={t('contract.detail.registration')}>
              <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
                <Fact label={t('contract.label.registrationNumber')}>
                  <span className="font-mono">{c.registration.number}</span>
                </Fact>
                <Fact label={t('contract.label.registeredAt')}>{formatDay(c.registration.at, locale)}</Fact>
                <Fact label={t('contract.label.rules')}>{c.registration.rules ? t(RULES_KEYS[c.registration.rules]) : ''}</Fact>
                <Fact label={t('contract.label.registeredClassification')}>
                  {c.registration.type && c.registration.subtype ? classificationText(t, c.registration.type, c.registration.subtype) : ''}
                </Fact>
                <Fact label={t('contract.label.registeredTechAmount')}>
                  <Money fen={c.registration.techAmountFen} exact />
                </Fact>
                {c.registration.by ? <Fact label={t('contract.label.registeredBy')}>{c.registration.by}</Fact> : null}
              </dl>
            </Block>
          ) : null}

          <Block title={t('contract.detail.versions')}>
            <ol className="space-y-3">
              {versions.map((v) => (
                <li key={v.version} className="rounded-md border border-slate-200 p-3 text-sm">
                  <details>
                    <summary className="cursor-pointer">
                      <span className="font-medium">{t('contract.detail.version', { version: v.version })}</span>
                      <span className="text-slate-500">
                        {' · '}
                        {formatDate(v.createdAt, locale)}
                        {v.by ? ` · ${v.by}` : ''} · <Money fen={v.amountFen} />
                      </span>
                      {v.version === current.version ? <span className="ml-2 rounded bg-sky-50 px-1.5 text-xs text-sky-800">{t('contract.detail.currentVersion')}</span> : null}
                      <span className="mt-1 block text-xs text-slate-500">
                        {v.confirmations.length
                          ? v.confirmations.map((x) => t('contract.detail.confirmedBy', { party: t(PARTY_KEYS[x.party]), name: x.userName })).join('；')
                          : t('contract.detail.noConfirmations')}
                        {v.version !== current.version && v.confirmations.length ? ` · ${t('contract.detail.voided')}` : ''}
                      </span>
                    </summary>
                    <div className="mt-3 space-y-3">
                      <Hash hash={v.termsHash} />
                      <MilestoneTable milestones={v.milestones} />
                      <p className="whitespace-pre-line break-words rounded bg-slate-50 p-2 text-slate-700">{v.termsText}</p>
                    </div>
                  </details>
                </li>
              ))}
            </ol>
          </Block>
        </div>

        <aside className="space-y-4">
          <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <p className="text-xs text-slate-500">{t('contract.label.amount')}</p>
            <Money fen={c.terms.amountFen} className="text-2xl font-semibold text-orange-700" />
            <p className="mt-2 text-xs text-slate-500">{t(c.registration ? 'contract.label.registeredTechAmount' : 'contract.label.techAmount')}</p>
            <Money fen={c.registration?.techAmountFen ?? c.terms.techAmountFen} className="text-lg font-semibold text-slate-800" />
          </section>
          <Actions loaded={loaded} actions={actions} error={actionData} />
          {checklist ? (
            <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
              <h2 className="mb-2 text-sm font-semibold">{t('registration.checklist')}</h2>
              <Checklist items={checklist} />
            </section>
          ) : null}
          <nav aria-label={t('contract.detail.more')} className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
            {showPayments ? (
              <Link to={`/contracts/${c.id}/payments`} className="block text-sky-700 underline hover:text-sky-900">
                {t('contract.detail.payments')}
              </Link>
            ) : null}
            <Link to={`/contracts/${c.id}/registration-form`} className="block text-sky-700 underline hover:text-sky-900">
              {t('contract.detail.printForm')}
            </Link>
          </nav>
        </aside>
      </div>
    </article>
  )
}

function StatusNotice({ loaded }: { loaded: Loaded }) {
  const t = useT()
  const locale = useLocale()
  const { contract: c, current, confirmedBy } = loaded
  const box = (tone: string, children: ReactNode) => <div className={`mb-6 rounded-md border px-4 py-3 text-sm ${tone}`}>{children}</div>
  switch (c.status) {
    case 'DRAFT':
      return box('border-slate-200 bg-white text-slate-700', t('contract.notice.draft'))
    case 'AWAITING_CONFIRMATION':
      return box('border-amber-200 bg-amber-50 text-amber-900', t('contract.notice.awaiting', { version: current.version, count: confirmedBy.length }))
    case 'SIGNED':
      return box('border-sky-200 bg-sky-50 text-sky-900', t('contract.notice.signed'))
    case 'REGISTRATION_SUBMITTED':
      return box('border-violet-200 bg-violet-50 text-violet-900', t('contract.notice.submitted', { date: formatDate(c.registrationSubmittedAt, locale) }))
    case 'REGISTERED':
      return box('border-emerald-200 bg-emerald-50 text-emerald-900', t('contract.notice.registered'))
    case 'NOT_REGISTERED':
      return box('border-red-200 bg-red-50 text-red-900', t('contract.notice.notRegistered', { reason: c.notRegisteredReason ?? '' }))
    case 'COMPLETED':
      return box('border-emerald-200 bg-emerald-50 text-emerald-900', t('contract.notice.completed', { date: formatDate(c.completedAt, locale) }))
    case 'TERMINATED':
      return box('border-slate-300 bg-slate-100 text-slate-800', t('contract.notice.terminated', { date: formatDate(c.terminatedAt, locale), reason: c.terminationReason ?? '' }))
  }
}

function Block({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  )
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[8.5rem_1fr] gap-2">
      <dt className="text-slate-500">{label}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  )
}

function Hash({ hash }: { hash: string }) {
  const t = useT()
  return (
    <span className="text-xs text-slate-500" title={hash}>
      {t('contract.detail.hash')} <code className="font-mono">{hash.slice(0, 12)}…</code>
    </span>
  )
}

function PartyCard({ label, org }: { label: string; org: Loaded['contract']['seller'] }) {
  const t = useT()
  return (
    <div className="rounded-md bg-slate-50 p-3 text-sm">
      <p className="text-xs text-slate-500">{label}</p>
      <p className="font-medium text-slate-900">
        {org.name}
        {org.verified ? (
          <span className="ml-1 text-emerald-700" title={t('listings.verifiedOrg')}>
            ✓
          </span>
        ) : (
          <span className="ml-1 text-xs text-amber-700">{t('contract.form.unverified')}</span>
        )}
      </p>
      <p className="text-slate-600">
        {t(ORG_KIND_KEYS[org.kind])}
        {org.region ? ` · ${org.region}` : ''}
      </p>
      {org.creditCode ? <p className="font-mono text-xs text-slate-500">{org.creditCode}</p> : null}
    </div>
  )
}

function Sources({ links }: { links: Loaded['contract']['links'] }) {
  const t = useT()
  const items: [string, string][] = []
  if (links.demandId) items.push([t('contract.new.fromDemand'), `/${KIND_PATHS.demand}/${links.demandId}`])
  if (links.scenarioId) items.push([t('contract.new.fromScenario'), `/${KIND_PATHS.scenario}/${links.scenarioId}`])
  if (links.achievementId) items.push([t('contract.new.fromAchievement'), `/${KIND_PATHS.achievement}/${links.achievementId}`])
  if (!items.length) return null
  return (
    <p className="mt-3 flex flex-wrap gap-x-4 text-sm">
      {items.map(([label, href]) => (
        <Link key={href} to={href} className="text-sky-700 underline hover:text-sky-900">
          {label}
          {t('contract.detail.view')}
        </Link>
      ))}
    </p>
  )
}

function Confirmations({ loaded }: { loaded: Loaded }) {
  const t = useT()
  const locale = useLocale()
  const { confirmations, current } = loaded
  const parties: ContractParty[] = ['SELLER', 'BUYER']
  return (
    <ul className="grid gap-3 sm:grid-cols-2" data-testid="confirmations">
      {parties.map((p) => {
        const x = confirmations.find((c) => c.party === p)
        return (
          <li key={p} className={`rounded-md border p-3 text-sm ${x ? 'border-emerald-200 bg-emerald-50' : 'border-slate-200 bg-slate-50'}`} data-party={p} data-confirmed={!!x}>
            <p className="text-xs text-slate-500">{t(PARTY_KEYS[p])}</p>
            {x ? (
              <p className="text-emerald-900">
                ✓ {t('contract.detail.confirmedLine', { name: x.userName, at: chinaDateTime(x.confirmedAt), version: current.version })}
              </p>
            ) : (
              <p className="text-slate-600">{t('contract.detail.notConfirmed', { version: current.version })}</p>
            )}
          </li>
        )
      })}
    </ul>
  )
}

function Actions({ loaded, actions, error }: { loaded: Loaded; actions: ContractAction[]; error?: ActionError }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const { contract: c, current, myParty } = loaded
  if (!actions.length) return null
  return (
    <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-labelledby="actions-heading">
      <h2 id="actions-heading" className="text-sm font-semibold">
        {t('contract.detail.actions')}
      </h2>
      {actions.includes('confirm') ? (
        <Form method="post" className="space-y-3 rounded-md border border-amber-200 bg-amber-50 p-3">
          <FormError message={error?.intent === 'confirm' ? error.formError : null} />
          <input type="hidden" name="intent" value="confirm" />
          <input type="hidden" name="version" value={current.version} />
          <input type="hidden" name="termsHash" value={current.termsHash} />
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="agree" required className="mt-1 h-4 w-4 accent-sky-700" />
            <span>{t('contract.detail.agree', { version: current.version, party: myParty ? t(PARTY_KEYS[myParty]) : '' })}</span>
          </label>
          <FieldErrors errors={error?.intent === 'confirm' ? error.fieldErrors?.agree : null} />
          <Button type="submit" disabled={busy} className="w-full">
            {t('contract.action.confirm', { version: current.version })}
          </Button>
        </Form>
      ) : null}
      {actions.includes('edit') ? (
        <Link to={`/contracts/${c.id}/edit`} className="block rounded-md border border-slate-300 px-4 py-2 text-center text-sm font-medium text-slate-800 hover:bg-slate-50">
          {t('contract.action.edit')}
        </Link>
      ) : null}
      {actions.includes('send') ? <IntentButton intent="send" label={t('contract.action.send')} busy={busy} /> : null}
      {actions.includes('submit') ? <IntentButton intent="submit" label={t('contract.action.submit')} busy={busy} /> : null}
      {actions.includes('register') ? (
        <Link to={`/registration/${c.id}`} className="block rounded-md bg-sky-700 px-4 py-2 text-center text-sm font-medium text-white hover:bg-sky-800">
          {t('contract.action.register')}
        </Link>
      ) : null}
      {actions.includes('complete') ? <IntentButton intent="complete" label={t('contract.action.complete')} busy={busy} variant="secondary" /> : null}
      {actions.includes('terminate') ? (
        <details className="text-sm" open={error?.intent === 'terminate'}>
          <summary className="cursor-pointer text-red-700">{t('contract.action.terminate')}</summary>
          <Form method="post" className="mt-2 space-y-2">
            <FormError message={error?.intent === 'terminate' ? error.formError : null} />
            <input type="hidden" name="intent" value="terminate" />
            <label htmlFor="terminate-reason" className="block text-slate-700">
              {t('contract.label.terminationReason')}
            </label>
            <textarea
              id="terminate-reason"
              name="reason"
              rows={3}
              maxLength={1000}
              aria-invalid={error?.intent === 'terminate' && error.fieldErrors?.reason ? true : undefined}
              className="w-full rounded-md border border-slate-300 px-3 py-2"
            />
            <FieldErrors errors={error?.intent === 'terminate' ? error.fieldErrors?.reason : null} />
            <Button type="submit" variant="danger" disabled={busy} className="w-full">
              {t('contract.action.terminateConfirm')}
            </Button>
          </Form>
        </details>
      ) : null}
    </section>
  )
}

function IntentButton({ intent, label, busy, variant = 'primary' }: { intent: string; label: string; busy: boolean; variant?: 'primary' | 'secondary' }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button type="submit" disabled={busy} variant={variant} className="w-full">
        {label}
      </Button>
    </Form>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
