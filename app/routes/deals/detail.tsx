import type { ReactNode } from 'react'
import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/detail'
import {
  addAssistant,
  addCandidate,
  brokerOptions,
  candidateOptions,
  dropCandidate,
  getDeal,
  introduceCandidate,
  joinDeal,
  leaveDeal,
  moveStage,
  reassignDeal,
  removeAssistant,
  setNextStep,
  setShortlisted,
} from '~/domain/deals/deals.server'
import { recordFollowUpOutcome } from '~/domain/deals/followups.server'
import { AddCandidateSchema, BrokerSchema, CandidateSchema, FollowUpOutcomeSchema, MoveStageSchema, NextStepSchema } from '~/domain/deals/schemas'
import { STAGE_KEYS } from '~/domain/deals/stages'
import { KIND_PATHS } from '~/domain/listings/kinds'
import { todayInChina } from '~/domain/listings/schemas'
import { localeFromRequest, translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { CONTRACT_STATUS_KEYS } from '~/ui/contracts/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { formatDate, formatDay, formatFen, joinList } from '~/ui/listings/format'
import { Chip, FIELD_KEYS, INDUSTRY_KEYS, LockIcon, MODE_KEYS } from '~/ui/listings/labels'
import { DealHeader } from './header'
import { asResponse, badForm, dealId, domainErrorReply, redirectWithFlash, type FormReply } from './helpers.server'

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const d = (data as { view?: { deal: { number: string; title: string } } } | undefined)?.view?.deal
  return [{ title: d ? `${d.number} ${d.title} · ${t('app.name')}` : t('app.name') }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const id = dealId(args.params.id)
  const locale = localeFromRequest(args.request)
  let view
  try {
    view = await getDeal({ actor: user, id, locale })
  } catch (error) {
    throw asResponse(error)
  }
  const editing = view.actions.includes('edit')
  const [options, brokers] = await Promise.all([
    editing ? candidateOptions({ actor: user, dealId: id, locale }) : null,
    view.actions.includes('assign') ? brokerOptions({ actor: user }) : null,
  ])
  return { view, options, brokers: brokers?.filter((b) => b.id !== view.deal.owner.id) ?? null, today: todayInChina(), me: user.id }
}

const INTENTS = [
  'addCandidate',
  'shortlist',
  'unshortlist',
  'drop',
  'introduce',
  'move',
  'won',
  'lost',
  'nextStep',
  'assist',
  'unassist',
  'reassign',
  'join',
  'leave',
  'followUp',
] as const
type Intent = (typeof INTENTS)[number]
const IntentSchema = z.enum(INTENTS)

const DONE_KEYS: Record<Intent, string> = {
  addCandidate: 'deal.done.candidateAdded',
  shortlist: 'deal.done.shortlisted',
  unshortlist: 'deal.done.unshortlisted',
  drop: 'deal.done.dropped',
  introduce: 'deal.done.introduced',
  move: 'deal.done.moved',
  won: 'deal.done.won',
  lost: 'deal.done.lost',
  nextStep: 'deal.done.nextStep',
  assist: 'deal.done.assist',
  unassist: 'deal.done.unassist',
  reassign: 'deal.done.reassigned',
  join: 'deal.done.joined',
  leave: 'deal.done.left',
  followUp: 'deal.done.followUp',
}

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args)
  const id = dealId(args.params.id)
  const formData = await request.formData()
  const fields = Object.fromEntries(formData)
  const intent = IntentSchema.safeParse(formData.get('intent'))
  if (!intent.success) return data<FormReply>({ formError: 'err.badRequest' }, { status: 400 })
  const ip = context.get(clientIpContext)
  const target = typeof fields.candidateId === 'string' ? fields.candidateId : typeof fields.followUpId === 'string' ? fields.followUpId : undefined
  const reply = { intent: intent.data, target }
  const t = translator(localeFromRequest(request))
  let params: Record<string, string> = {}
  try {
    switch (intent.data) {
      case 'addCandidate': {
        const parsed = AddCandidateSchema.safeParse(fields)
        if (!parsed.success) return badForm(parsed.error, reply)
        await addCandidate({ actor: user, dealId: id, input: parsed.data })
        break
      }
      case 'shortlist':
      case 'unshortlist': {
        const parsed = CandidateSchema.safeParse(fields)
        if (!parsed.success) return badForm(parsed.error, reply)
        await setShortlisted({ actor: user, dealId: id, candidateId: parsed.data.candidateId, shortlisted: intent.data === 'shortlist' })
        break
      }
      case 'drop':
      case 'introduce': {
        const parsed = CandidateSchema.safeParse(fields)
        if (!parsed.success) return badForm(parsed.error, reply)
        const fn = intent.data === 'drop' ? dropCandidate : introduceCandidate
        await fn({ actor: user, dealId: id, candidateId: parsed.data.candidateId, ip })
        break
      }
      case 'move':
      case 'won':
      case 'lost': {
        const to = intent.data === 'won' ? 'WON' : intent.data === 'lost' ? 'LOST' : fields.to
        const parsed = MoveStageSchema.safeParse({ ...fields, to })
        if (!parsed.success) return badForm(parsed.error, reply)
        const moved = await moveStage({ actor: user, dealId: id, input: parsed.data, ip })
        params = { stage: t(STAGE_KEYS[moved.stage]) }
        break
      }
      case 'nextStep': {
        const parsed = NextStepSchema.safeParse(fields)
        if (!parsed.success) return badForm(parsed.error, reply)
        await setNextStep({ actor: user, dealId: id, input: parsed.data })
        break
      }
      case 'assist':
      case 'unassist':
      case 'reassign': {
        const parsed = BrokerSchema.safeParse(fields)
        if (!parsed.success) return badForm(parsed.error, reply)
        const fn = intent.data === 'assist' ? addAssistant : intent.data === 'unassist' ? removeAssistant : reassignDeal
        await fn({ actor: user, dealId: id, brokerId: parsed.data.brokerId, ip })
        break
      }
      case 'join':
        await joinDeal({ actor: user, dealId: id })
        break
      case 'leave':
        await leaveDeal({ actor: user, dealId: id })
        break
      case 'followUp': {
        const parsed = FollowUpOutcomeSchema.safeParse(fields)
        if (!parsed.success) return badForm(parsed.error, reply)
        await recordFollowUpOutcome({ actor: user, dealId: id, followUpId: parsed.data.followUpId, outcome: parsed.data.outcome, ip })
        break
      }
    }
  } catch (error) {
    return domainErrorReply(error, reply)
  }
  // A reassigned deal may no longer be the actor's to read (a bureau member who left still reads it).
  return redirectWithFlash(`/deals/${id}`, { key: DONE_KEYS[intent.data], params })
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>
type View = Loaded['view']

export default function DealDetail() {
  const t = useT()
  const loaded = useLoaderData<typeof loader>()
  const { view } = loaded
  const { deal, standing } = view
  const reply = useActionData<typeof action>()
  const editing = view.actions.includes('edit')
  const party = standing === 'buyer' || standing === 'seller'
  return (
    <article>
      <DealHeader
        deal={{ id: deal.id, number: deal.number, title: deal.title, stage: deal.stage, buyerOrgName: deal.buyerOrg.name, ownerName: deal.owner.name }}
        current="overview"
      />
      <Flags view={view} />
      {reply?.formError && !reply.intent ? <FormError message={reply.formError} /> : null}
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          <NeedBlock view={view} />
          <Candidates loaded={loaded} reply={reply} />
          {editing ? <AddCandidates loaded={loaded} reply={reply} /> : null}
          {!party && view.followUps.length ? <FollowUps loaded={loaded} reply={reply} /> : null}
        </div>
        <aside className="space-y-4">
          {!party ? <NextStep loaded={loaded} reply={reply} /> : null}
          {deal.stage === 'LOST' && deal.lostReason ? (
            <Box title={t('deal.lost.title')}>
              <p className="text-sm whitespace-pre-line text-slate-800" data-testid="lost-reason">
                {deal.lostReason}
              </p>
            </Box>
          ) : null}
          {view.nextStages.length || view.actions.includes('draftContract') ? <StageBox loaded={loaded} reply={reply} /> : null}
          {view.contract ? <ContractBox view={view} /> : null}
          <People loaded={loaded} reply={reply} />
        </aside>
      </div>
    </article>
  )
}

// ─── Pieces ─────────────────────────────────────────────────────────────────────────

function Box({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id={id} className="mb-3 text-sm font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  )
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

const FLAG_STYLE: Record<string, string> = {
  overdue: 'border-red-200 bg-red-50 text-red-900',
  noNextStep: 'border-amber-200 bg-amber-50 text-amber-900',
  noIntroduced: 'border-amber-200 bg-amber-50 text-amber-900',
  contractSigned: 'border-emerald-200 bg-emerald-50 text-emerald-900',
  contractTerminated: 'border-amber-200 bg-amber-50 text-amber-900',
  followUpDue: 'border-sky-200 bg-sky-50 text-sky-900',
}
const FLAG_KEYS: Record<string, string> = {
  overdue: 'deal.flag.overdue',
  noNextStep: 'deal.flag.noNextStep',
  noIntroduced: 'deal.flag.noIntroduced',
  contractSigned: 'deal.flag.contractSigned',
  contractTerminated: 'deal.flag.contractTerminated',
  followUpDue: 'deal.flag.followUpDue',
}

function Flags({ view }: { view: View }) {
  const t = useT()
  const locale = useLocale()
  if (!view.flags.length) return null
  return (
    <ul className="mb-6 space-y-2" data-testid="deal-flags">
      {view.flags.map((f) => (
        <li key={f} data-flag={f} className={`rounded-md border px-4 py-2 text-sm ${FLAG_STYLE[f] ?? ''}`}>
          {t(FLAG_KEYS[f] ?? f, { due: formatDay(view.deal.nextStepDue, locale) })}
        </li>
      ))}
    </ul>
  )
}

function NeedBlock({ view }: { view: View }) {
  const t = useT()
  const locale = useLocale()
  const need = view.need
  if (!need) return null
  const l = need.listing
  const modes = l.cooperationModes.map((m) => t(MODE_KEYS[m]))
  return (
    <Block
      title={t(need.kind === 'demand' ? 'deal.need.demand' : 'deal.need.scenario')}
      aside={
        <Link to={`/${KIND_PATHS[need.kind]}/${l.id}`} className="text-sm text-sky-700 underline">
          {t('deal.need.open')}
        </Link>
      }
    >
      <p className="font-medium text-slate-900">{l.title}</p>
      <p className="text-sm text-slate-500">{l.org.name}</p>
      <p className="mt-2 text-sm leading-relaxed whitespace-pre-line text-slate-800">{l.description}</p>
      <dl className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        <Fact label={t('listings.label.budget')}>{formatFen(l.budgetFen, locale, t('listings.negotiable'))}</Fact>
        {l.deadline ? <Fact label={t('listings.label.deadline')}>{formatDay(l.deadline, locale)}</Fact> : null}
        {l.field ? <Fact label={t('listings.label.field')}>{t(FIELD_KEYS[l.field])}</Fact> : null}
        {l.industry ? <Fact label={t(need.kind === 'scenario' ? 'listings.label.sector' : 'listings.label.industry')}>{t(INDUSTRY_KEYS[l.industry])}</Fact> : null}
        {modes.length ? <Fact label={t('listings.label.cooperationModes')}>{joinList(modes, locale)}</Fact> : null}
      </dl>
      {l.confidential ? (
        <p className="mt-3 flex items-center gap-1 text-xs text-slate-500">
          <LockIcon className="h-3 w-3" />
          {t('deal.need.confidential')}
        </p>
      ) : null}
    </Block>
  )
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[6.5rem_1fr] gap-2">
      <dt className="text-slate-500">{label}</dt>
      <dd className="break-words text-slate-900">{children}</dd>
    </div>
  )
}

/** A one-button form for an intent on a candidate (or another target). */
function IntentButton({
  intent,
  label,
  hidden = {},
  variant = 'secondary',
  ariaLabel,
}: {
  intent: string
  label: string
  hidden?: Record<string, string>
  variant?: 'primary' | 'secondary' | 'danger'
  ariaLabel?: string
}) {
  const busy = useNavigation().state === 'submitting'
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <Button type="submit" variant={variant} disabled={busy} aria-label={ariaLabel} className="px-3 py-1 text-xs">
        {label}
      </Button>
    </Form>
  )
}

function replyFor(reply: FormReply | undefined, intents: string[], target?: string) {
  if (!reply?.intent || !intents.includes(reply.intent)) return null
  if (target !== undefined && reply.target !== target) return null
  return reply
}

function Candidates({ loaded, reply }: { loaded: Loaded; reply: FormReply | undefined }) {
  const t = useT()
  const locale = useLocale()
  const { view } = loaded
  const editing = view.actions.includes('edit')
  const draft = view.actions.includes('draftContract')
  const party = view.standing === 'buyer' || view.standing === 'seller'
  return (
    <Block title={t(party ? 'deal.candidates.partyTitle' : 'deal.candidates.title')}>
      {view.candidates.length === 0 ? (
        <p className="text-sm text-slate-600">{t(party ? 'deal.candidates.noneParty' : 'deal.candidates.none')}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {view.candidates.map((c) => {
            const r = replyFor(reply, ['shortlist', 'unshortlist', 'drop', 'introduce'], c.id)
            return (
              <li key={c.id} className={`py-3 ${c.droppedAt ? 'opacity-60' : ''}`} data-testid="candidate" data-candidate={c.id}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <div className="min-w-0">
                    {c.achievement.published ? (
                      <Link to={`/achievements/${c.achievement.id}`} className="font-medium text-sky-800 hover:underline">
                        {c.achievement.title}
                      </Link>
                    ) : (
                      <span className="font-medium text-slate-800">{c.achievement.title || t('deal.candidates.unavailable')}</span>
                    )}
                    <p className="text-xs text-slate-500">
                      {c.sellerOrg.name}
                      {c.achievement.trl ? ` · TRL ${c.achievement.trl}` : ''}
                      {' · '}
                      {formatFen(c.achievement.askingPriceFen, locale, t('listings.negotiable'))}
                    </p>
                  </div>
                  <span className="flex flex-wrap items-center gap-1.5 text-xs">
                    {c.droppedAt ? (
                      <Chip tone="slate">{t('deal.candidates.dropped')}</Chip>
                    ) : c.introducedAt ? (
                      <Chip tone="violet">{t('deal.candidates.introducedOn', { date: formatDate(c.introducedAt, locale) })}</Chip>
                    ) : c.shortlisted ? (
                      <Chip>{t('deal.candidates.shortlisted')}</Chip>
                    ) : (
                      <Chip tone="slate">{t('deal.candidates.considered')}</Chip>
                    )}
                    {c.match ? (
                      <span className="rounded bg-slate-100 px-1.5 py-0.5 tabular-nums text-slate-700" title={t('match.scoreHelp')}>
                        {t('deal.candidates.score', { score: Math.round(c.match.score * 100) })}
                      </span>
                    ) : null}
                  </span>
                </div>
                {c.note ? <p className="mt-1 text-sm text-slate-700">{c.note}</p> : null}
                {c.match?.reasons.length ? (
                  <details className="mt-1 text-sm">
                    <summary className="cursor-pointer text-xs text-slate-500">{t('deal.candidates.reasons')}</summary>
                    <ul className="mt-1 space-y-0.5">
                      {c.match.reasons.map((reason, i) => (
                        <li key={i} className={reason.fit ? 'text-slate-700' : 'text-slate-500'}>
                          <span aria-hidden className={reason.fit ? 'text-emerald-600' : 'text-orange-600'}>
                            {reason.fit ? '✓ ' : '✗ '}
                          </span>
                          {reason.text}
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
                {editing && !c.droppedAt ? (
                  <div className="mt-2 flex flex-wrap gap-2">
                    {!c.introducedAt && c.shortlisted ? (
                      <IntentButton intent="introduce" label={t('deal.candidates.introduce')} variant="primary" hidden={{ candidateId: c.id }} ariaLabel={t('deal.candidates.introduceThis', { title: c.achievement.title })} />
                    ) : null}
                    {!c.introducedAt ? (
                      <IntentButton
                        intent={c.shortlisted ? 'unshortlist' : 'shortlist'}
                        label={t(c.shortlisted ? 'deal.candidates.unshortlist' : 'deal.candidates.shortlist')}
                        hidden={{ candidateId: c.id }}
                      />
                    ) : null}
                    {draft && c.introducedAt ? (
                      <Link
                        to={`/contracts/new?deal=${view.deal.id}&achievement=${c.achievement.id}`}
                        className="inline-flex items-center rounded-md border border-teal-700 px-3 py-1 text-xs font-medium text-teal-800 hover:bg-teal-50"
                      >
                        {t('deal.candidates.draftContract')}
                      </Link>
                    ) : null}
                    <IntentButton intent="drop" label={t('deal.candidates.drop')} variant="danger" hidden={{ candidateId: c.id }} ariaLabel={t('deal.candidates.dropThis', { title: c.achievement.title })} />
                  </div>
                ) : editing && c.droppedAt ? (
                  <div className="mt-2">
                    <IntentButton intent="addCandidate" label={t('deal.candidates.restore')} hidden={{ achievementId: c.achievement.id }} />
                  </div>
                ) : null}
                {r?.formError ? (
                  <div className="mt-2">
                    <FormError message={r.formError} />
                  </div>
                ) : null}
              </li>
            )
          })}
        </ul>
      )}
    </Block>
  )
}

function AddCandidates({ loaded, reply }: { loaded: Loaded; reply: FormReply | undefined }) {
  const t = useT()
  const options = loaded.options
  const r = replyFor(reply, ['addCandidate'])
  return (
    <Block title={t('deal.add.title')}>
      {r?.formError ? <FormError message={r.formError} /> : null}
      {options && options.matches.length ? (
        <ol className="mb-4 space-y-3" aria-label={t('deal.add.fromMatches')}>
          {options.matches.map((m) => (
            <li key={m.listing.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-slate-50 p-3" data-testid="match-option">
              <div className="min-w-0">
                <Link to={`/achievements/${m.listing.id}`} className="font-medium text-sky-800 hover:underline">
                  {m.listing.title}
                </Link>
                <p className="text-xs text-slate-500">
                  {m.listing.orgName} · {t(m.confidence === 'strong' ? 'match.strong' : 'match.possible')} · {Math.round(m.score * 100)}
                </p>
                <p className="text-xs text-slate-600">{m.reasons.filter((x) => x.fit).slice(0, 3).map((x) => x.text).join('；')}</p>
              </div>
              <IntentButton intent="addCandidate" label={t('deal.add.add')} hidden={{ achievementId: m.listing.id }} ariaLabel={t('deal.add.addThis', { title: m.listing.title })} />
            </li>
          ))}
        </ol>
      ) : (
        <p className="mb-4 text-sm text-slate-600">{t('deal.add.noMatches')}</p>
      )}
      <Form method="post" className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="intent" value="addCandidate" />
        <label className="block min-w-0 flex-1 text-sm">
          <span className="mb-1 block font-medium text-slate-700">{t('deal.add.byId')}</span>
          <input
            name="achievementId"
            required
            maxLength={64}
            placeholder={t('deal.add.byIdPlaceholder')}
            aria-invalid={r?.fieldErrors?.achievementId ? true : undefined}
            className="w-full rounded-md border border-slate-300 px-3 py-2 text-base aria-[invalid]:border-red-600"
          />
        </label>
        <Button type="submit" variant="secondary">
          {t('deal.add.add')}
        </Button>
        <div className="w-full">
          <FieldErrors errors={r?.fieldErrors?.achievementId} />
        </div>
      </Form>
    </Block>
  )
}

function FollowUps({ loaded, reply }: { loaded: Loaded; reply: FormReply | undefined }) {
  const t = useT()
  const locale = useLocale()
  const { view } = loaded
  const editing = view.standing === 'lead' || view.standing === 'assist'
  return (
    <Block title={t('deal.followUps.title')}>
      <ul className="divide-y divide-slate-100">
        {view.followUps.map((f) => {
          const r = replyFor(reply, ['followUp'], f.id)
          return (
            <li key={f.id} className="py-3 text-sm" data-testid="follow-up">
              <p className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{t('deal.followUps.due', { date: formatDay(f.dueDate, locale) })}</span>
                <span className="text-slate-500">{f.assignee}</span>
                {f.doneAt ? (
                  <Chip tone="slate">{t('deal.followUps.doneOn', { date: formatDate(f.doneAt, locale) })}</Chip>
                ) : f.due ? (
                  <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900">{t('deal.followUps.isDue')}</span>
                ) : null}
              </p>
              {f.outcome ? <p className="mt-1 whitespace-pre-line text-slate-700">{f.outcome}</p> : null}
              {!f.doneAt && editing ? (
                <Form method="post" className="mt-2 space-y-2">
                  <input type="hidden" name="intent" value="followUp" />
                  <input type="hidden" name="followUpId" value={f.id} />
                  <label className="block">
                    <span className="sr-only">{t('deal.followUps.outcome')}</span>
                    <textarea
                      name="outcome"
                      rows={2}
                      maxLength={2000}
                      placeholder={t('deal.followUps.outcomePlaceholder')}
                      aria-invalid={r?.fieldErrors?.outcome ? true : undefined}
                      className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid]:border-red-600"
                    />
                  </label>
                  <FieldErrors errors={r?.fieldErrors?.outcome} />
                  {r?.formError && !r.fieldErrors?.outcome ? <FormError message={r.formError} /> : null}
                  <Button type="submit" variant="secondary" className="px-3 py-1 text-xs">
                    {t('deal.followUps.record')}
                  </Button>
                </Form>
              ) : null}
            </li>
          )
        })}
      </ul>
    </Block>
  )
}

function NextStep({ loaded, reply }: { loaded: Loaded; reply: FormReply | undefined }) {
  const t = useT()
  const locale = useLocale()
  const { view, today } = loaded
  const { deal } = view
  const editing = view.actions.includes('edit')
  const r = replyFor(reply, ['nextStep'])
  return (
    <Box title={t('deal.nextStep.title')} id="next-step-title">
      {deal.nextStep ? (
        <div className={`rounded-md p-3 text-sm ${deal.overdue ? 'bg-red-50 text-red-900' : 'bg-slate-50 text-slate-800'}`} data-testid="next-step">
          <p className="font-medium">{deal.nextStep}</p>
          <p className="mt-1 text-xs">
            {t('deal.nextStep.dueOn', { date: formatDay(deal.nextStepDue, locale) })}
            {deal.overdue ? <span className="ml-2 font-semibold text-red-700">{t('deal.overdue')}</span> : null}
          </p>
        </div>
      ) : (
        <p className="text-sm text-slate-600">{t('deal.nextStep.none')}</p>
      )}
      {editing ? (
        <Form method="post" className="mt-3 space-y-2" aria-labelledby="next-step-title">
          <input type="hidden" name="intent" value="nextStep" />
          <label className="block text-sm">
            <span className="mb-1 block text-slate-700">{t('deal.label.nextStep')}</span>
            <input
              name="nextStep"
              maxLength={500}
              defaultValue={deal.nextStep ?? ''}
              aria-invalid={r?.fieldErrors?.nextStep ? true : undefined}
              className="w-full rounded-md border border-slate-300 px-3 py-2 text-base aria-[invalid]:border-red-600"
            />
          </label>
          <FieldErrors errors={r?.fieldErrors?.nextStep} />
          <label className="block text-sm">
            <span className="mb-1 block text-slate-700">{t('deal.label.nextStepDue')}</span>
            <input
              type="date"
              name="nextStepDue"
              min={today}
              defaultValue={deal.nextStepDue && deal.nextStepDue >= today ? deal.nextStepDue : ''}
              aria-invalid={r?.fieldErrors?.nextStepDue ? true : undefined}
              className="w-full rounded-md border border-slate-300 px-3 py-2 text-base aria-[invalid]:border-red-600"
            />
          </label>
          <FieldErrors errors={r?.fieldErrors?.nextStepDue} />
          {r?.formError && !r.fieldErrors ? <FormError message={r.formError} /> : null}
          <Button type="submit" variant="secondary" className="w-full">
            {t('deal.nextStep.save')}
          </Button>
        </Form>
      ) : null}
    </Box>
  )
}

function StageBox({ loaded, reply }: { loaded: Loaded; reply: FormReply | undefined }) {
  const t = useT()
  const { view } = loaded
  const { deal } = view
  const moves = view.nextStages.filter((s) => s !== 'LOST' && s !== 'WON')
  const move = replyFor(reply, ['move', 'won'])
  const lost = replyFor(reply, ['lost'])
  const draftTo = view.candidates.filter((c) => c.introducedAt && !c.droppedAt)
  return (
    <Box title={t('deal.stageBox.title')} id="stage-title">
      {move?.formError ? <FormError message={move.formError} /> : null}
      {moves.length ? (
        <Form method="post" className="flex gap-2" aria-labelledby="stage-title">
          <input type="hidden" name="intent" value="move" />
          <input type="hidden" name="from" value={deal.stage} />
          <label className="min-w-0 flex-1">
            <span className="sr-only">{t('deal.stageBox.to')}</span>
            <select name="to" required defaultValue="" className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
              <option value="" disabled>
                {t('deal.stageBox.to')}
              </option>
              {moves.map((s) => (
                <option key={s} value={s}>
                  {t(STAGE_KEYS[s])}
                </option>
              ))}
            </select>
          </label>
          <Button type="submit">{t('deal.stageBox.move')}</Button>
        </Form>
      ) : null}
      {view.actions.includes('draftContract') ? (
        <div className="mt-3 rounded-md bg-teal-50 p-3 text-sm text-teal-950">
          <p>{t('deal.stageBox.contractHint')}</p>
          <div className="mt-2 flex flex-wrap gap-2">
            {draftTo.map((c) => (
              <Link
                key={c.id}
                to={`/contracts/new?deal=${deal.id}&achievement=${c.achievement.id}`}
                className="inline-flex items-center rounded-md bg-teal-700 px-3 py-1.5 text-xs font-medium text-white hover:bg-teal-800"
              >
                {draftTo.length > 1 ? t('deal.stageBox.draftWith', { org: c.sellerOrg.name }) : t('deal.stageBox.draft')}
              </Link>
            ))}
          </div>
        </div>
      ) : null}
      {view.actions.includes('won') ? (
        <Form method="post" className="mt-3">
          <input type="hidden" name="intent" value="won" />
          <input type="hidden" name="from" value={deal.stage} />
          <Button type="submit" className="w-full bg-emerald-700 hover:bg-emerald-800">
            {t('deal.stageBox.won')}
          </Button>
        </Form>
      ) : null}
      {view.nextStages.includes('LOST') ? (
        <details className="mt-3 text-sm" open={!!lost}>
          <summary className="cursor-pointer text-red-700">{t('deal.stageBox.lost')}</summary>
          <Form method="post" className="mt-2 space-y-2">
            <input type="hidden" name="intent" value="lost" />
            <input type="hidden" name="from" value={deal.stage} />
            <label className="block">
              <span className="mb-1 block text-slate-700">{t('deal.label.lostReason')}</span>
              <textarea
                name="reason"
                rows={3}
                maxLength={1000}
                aria-invalid={lost?.fieldErrors?.reason ? true : undefined}
                className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid]:border-red-600"
              />
            </label>
            <FieldErrors errors={lost?.fieldErrors?.reason} />
            {lost?.formError && !lost.fieldErrors?.reason ? <FormError message={lost.formError} /> : null}
            <Button type="submit" variant="danger" className="w-full">
              {t('deal.stageBox.markLost')}
            </Button>
          </Form>
        </details>
      ) : null}
    </Box>
  )
}

function ContractBox({ view }: { view: View }) {
  const t = useT()
  const locale = useLocale()
  const c = view.contract!
  return (
    <Box title={t('deal.contract.title')}>
      <Link to={`/contracts/${c.id}`} className="font-mono text-sm text-sky-700 underline" data-testid="deal-contract">
        {c.number}
      </Link>
      <p className="text-sm text-slate-700">{c.title}</p>
      <p className="mt-1 text-xs text-slate-500">
        {t(CONTRACT_STATUS_KEYS[c.status])}
        {c.signedAt ? ` · ${t('deal.contract.signedOn', { date: formatDate(c.signedAt, locale) })}` : ''}
      </p>
    </Box>
  )
}

const ROLE_KEYS: Record<string, string> = { LEAD: 'deal.people.assist', ASSIST: 'deal.people.assist', BUREAU: 'deal.people.bureau' }

function People({ loaded, reply }: { loaded: Loaded; reply: FormReply | undefined }) {
  const t = useT()
  const { view, brokers } = loaded
  const { deal } = view
  const lead = view.standing === 'lead'
  const r = replyFor(reply, ['assist', 'unassist', 'reassign', 'join', 'leave'])
  const sellers = [...new Map(view.candidates.filter((c) => c.introducedAt && !c.droppedAt).map((c) => [c.sellerOrg.id, c.sellerOrg.name])).values()]
  const open = deal.stage !== 'WON' && deal.stage !== 'LOST'
  return (
    <Box title={t('deal.people.title')}>
      {r?.formError ? <FormError message={r.formError} /> : null}
      <dl className="space-y-2 text-sm">
        <div>
          <dt className="text-xs text-slate-500">{t('deal.people.buyer')}</dt>
          <dd>{deal.buyerOrg.name}</dd>
        </div>
        {sellers.length ? (
          <div>
            <dt className="text-xs text-slate-500">{t('deal.people.sellers')}</dt>
            {sellers.map((s) => (
              <dd key={s}>{s}</dd>
            ))}
          </div>
        ) : null}
        <div>
          <dt className="text-xs text-slate-500">{t('deal.people.owner')}</dt>
          <dd>
            {deal.owner.name}
            {deal.owner.agency ? <span className="text-slate-500"> · {deal.owner.agency}</span> : null}
          </dd>
        </div>
        {view.members.length ? (
          <div>
            <dt className="text-xs text-slate-500">{t('deal.people.members')}</dt>
            {view.members.map((m) => (
              <dd key={m.userId} className="flex items-center justify-between gap-2">
                <span>
                  {m.name} <span className="text-xs text-slate-500">{t(ROLE_KEYS[m.role] ?? m.role)}</span>
                </span>
                {lead && m.role === 'ASSIST' ? (
                  <IntentButton intent="unassist" label={t('deal.people.remove')} hidden={{ brokerId: m.userId }} ariaLabel={t('deal.people.removeThis', { name: m.name })} />
                ) : null}
              </dd>
            ))}
          </div>
        ) : null}
      </dl>
      {lead && open && brokers?.length ? (
        <div className="mt-4 space-y-3 border-t border-slate-100 pt-3">
          <BrokerForm intent="assist" label={t('deal.people.addAssist')} button={t('deal.people.add')} brokers={brokers} errors={replyFor(reply, ['assist'])?.fieldErrors?.brokerId} />
          <BrokerForm intent="reassign" label={t('deal.people.reassign')} button={t('deal.people.handOver')} brokers={brokers} errors={replyFor(reply, ['reassign'])?.fieldErrors?.brokerId} />
        </div>
      ) : null}
      {view.actions.includes('join') ? (
        <div className="mt-4 border-t border-slate-100 pt-3">
          <p className="mb-2 text-xs text-slate-500">{t('deal.people.joinHint')}</p>
          <IntentButton intent="join" label={t('deal.people.join')} />
        </div>
      ) : null}
      {view.actions.includes('leave') ? (
        <div className="mt-4 border-t border-slate-100 pt-3">
          <IntentButton intent="leave" label={t('deal.people.leave')} />
        </div>
      ) : null}
    </Box>
  )
}

function BrokerForm({ intent, label, button, brokers, errors }: { intent: string; label: string; button: string; brokers: { id: string; name: string; agency: string | null }[]; errors?: string[] }) {
  const t = useT()
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <label className="block text-sm">
        <span className="mb-1 block text-slate-700">{label}</span>
        <span className="flex gap-2">
          <select name="brokerId" required defaultValue="" className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
            <option value="" disabled>
              {t('common.choose')}
            </option>
            {brokers.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
                {b.agency ? `（${b.agency}）` : ''}
              </option>
            ))}
          </select>
          <Button type="submit" variant="secondary" className="px-3 py-1.5 text-xs">
            {button}
          </Button>
        </span>
      </label>
      <FieldErrors errors={errors} />
    </Form>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
