import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/new'
import { draftContract, sendForConfirmation } from '~/domain/contracts/contracts.server'
import { ContractDraftSchema, draftFormToInput } from '~/domain/contracts/schemas'
import { draftDefaults, draftSources, drafterRole, partyOptions, sourceOptions } from '~/domain/contracts/sources.server'
import { dealDraftSource } from '~/domain/deals/deals.server'
import { KIND_PATHS } from '~/domain/listings/kinds'
import { localeFromRequest, translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { ContractForm, withBlankRows } from '~/ui/contracts/contract-form'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { fenToYuanInput } from '~/ui/listings/format'
import { asAppError, asResponse, errorKey, redirectWithFlash, replyWithAppError } from './helpers.server'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('contract.new.title')} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'contract:draft')
  const role = drafterRole(user)
  if (!role) throw new Response('Forbidden', { status: 403 })
  const params = args.url.searchParams
  const id = (key: string) => {
    const v = params.get(key)
    return v && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : null
  }
  // The picker sends the need as `need=demand:<id>` or `need=scenario:<id>`; a match list may send the bare id.
  const [needKind, needId] = (params.get('need') ?? '').includes(':') ? (params.get('need') ?? '').split(':') : ['', params.get('need') ?? '']
  const need = needId && /^[A-Za-z0-9_-]{1,64}$/.test(needId) ? needId : null
  const source = {
    matchId: id('match'),
    achievementId: id('achievement'),
    demandId: needKind === 'demand' ? need : id('demand'),
    scenarioId: needKind === 'scenario' ? need : id('scenario'),
    needId: needKind ? null : need,
  }
  // From a deal (`deal=<id>`, optionally `achievement=<id>` of an introduced candidate): the
  // deal's need and achievement, and the deal is linked when the draft is saved.
  let deal: Awaited<ReturnType<typeof dealDraftSource>>['deal'] | null = null
  if (id('deal')) {
    try {
      const fromDeal = await dealDraftSource({ actor: user, dealId: id('deal')!, achievementId: source.achievementId })
      deal = fromDeal.deal
      Object.assign(source, { matchId: null, needId: null, demandId: fromDeal.demandId, scenarioId: fromDeal.scenarioId, achievementId: fromDeal.achievementId })
    } catch (error) {
      throw asResponse(error)
    }
  }
  const given = Object.values(source).some(Boolean)
  let defaults: Awaited<ReturnType<typeof draftDefaults>> | null = null
  if (given) {
    try {
      defaults = await draftDefaults({ actor: user, source })
    } catch (error) {
      throw asResponse(error)
    }
  }
  const [parties, sources, options] = await Promise.all([partyOptions(), given ? [] : draftSources({ actor: user }), given ? null : sourceOptions({ actor: user })])
  const v = defaults?.values
  const yuan = fenToYuanInput(v?.amountFen ?? null)
  return {
    role,
    parties,
    fixedSeller: role === 'seller' ? (parties.find((p) => p.id === user.orgId) ?? null) : null,
    sources,
    options,
    source: defaults?.source ?? null,
    links: defaults ? { ...defaults.links, dealId: deal?.id ?? null } : null,
    deal,
    defaultValue: withBlankRows({
      sellerOrgId: v?.sellerOrgId ?? '',
      buyerOrgId: v?.buyerOrgId ?? '',
      title: v?.title ?? '',
      type: v?.type ?? '',
      subtype: v?.subtype ?? '',
      exclusivity: v?.exclusivity ?? '',
      field: v?.field ?? '',
      industry: v?.industry ?? '',
      ipType: v?.ipType ?? '',
      ipNumbers: (v?.ipNumbers ?? []).join('; '),
      amount: yuan,
      techAmount: yuan,
      paymentMethod: 'LUMP_SUM',
      milestones: [],
    }),
  }
}

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args, 'contract:draft')
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: ContractDraftSchema })
  // A row added or removed (Conform's intents) comes back to the form without an error status.
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: submission.status === 'error' ? 400 : 200 })
  const ip = context.get(clientIpContext)
  let created
  try {
    created = await draftContract({ actor: user, input: draftFormToInput(submission.value), ip })
  } catch (error) {
    const { result, status } = replyWithAppError(request, submission, error)
    return data({ result }, { status })
  }
  const to = `/contracts/${created.id}`
  if (formData.get('intent') !== 'send') return redirectWithFlash(to, { key: 'contract.done.drafted', params: { number: created.number } })
  try {
    await sendForConfirmation({ actor: user, id: created.id, ip })
    return await redirectWithFlash(to, { key: 'contract.done.sent', params: { number: created.number } })
  } catch (error) {
    const reason = translator(localeFromRequest(request))(errorKey(asAppError(error), request))
    return redirectWithFlash(to, { key: 'contract.done.draftedNotSent', params: { number: created.number, reason }, kind: 'error' })
  }
}

export default function NewContract() {
  const t = useT()
  const { parties, fixedSeller, sources, options, source, links, defaultValue, deal } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-4xl">
      <Link to="/contracts" className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {t('contract.list.title')}
      </Link>
      <h1 className="mt-3 mb-2 text-2xl font-semibold">{t('contract.new.title')}</h1>
      <p className="mb-6 text-sm text-slate-600">{t('contract.new.lead')}</p>

      {source ? (
        <section className="mb-6 rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm text-sky-950">
          <h2 className="font-medium">{t('contract.new.from')}</h2>
          <ul className="mt-2 space-y-1">
            {deal ? (
              <li>
                {t('contract.new.fromDeal')}
                <Link to={`/deals/${deal.id}`} className="underline">
                  {deal.number} {deal.title}
                </Link>
              </li>
            ) : null}
            {source.need ? (
              <li>
                {t(source.need.kind === 'demand' ? 'contract.new.fromDemand' : 'contract.new.fromScenario')}
                <Link to={`/${KIND_PATHS[source.need.kind]}/${source.need.id}`} className="underline">
                  {source.need.title}
                </Link>
              </li>
            ) : null}
            {source.achievement ? (
              <li>
                {t('contract.new.fromAchievement')}
                <Link to={`/achievements/${source.achievement.id}`} className="underline">
                  {source.achievement.title}
                </Link>
              </li>
            ) : null}
          </ul>
          <Link to="/contracts/new" className="mt-2 inline-block text-xs underline">
            {t('contract.new.changeSource')}
          </Link>
        </section>
      ) : (
        <>
          {sources.length ? (
            <section aria-labelledby="sources-heading" className="mb-8">
              <h2 id="sources-heading" className="text-lg font-semibold">
                {t('contract.new.sources')}
              </h2>
              <p className="mb-3 text-sm text-slate-600">{t('contract.new.sourcesLead')}</p>
              <ul className="grid gap-3 md:grid-cols-2">
                {sources.map((s) => (
                  <li key={s.matchId} className="flex flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                    <p className="text-xs text-slate-500">
                      {t(s.need.kind === 'demand' ? 'contract.new.fromDemand' : 'contract.new.fromScenario')}
                      {s.need.orgName}
                    </p>
                    <p className="font-medium text-slate-900">{s.need.title}</p>
                    <p className="mt-2 text-xs text-slate-500">
                      {t('contract.new.fromAchievement')}
                      {s.achievement.orgName}
                    </p>
                    <p className="font-medium text-slate-900">{s.achievement.title}</p>
                    <div className="mt-auto flex items-center justify-between gap-2 pt-3">
                      <span className="text-xs text-slate-500">{t(s.confidence === 'strong' ? 'contract.new.strong' : 'contract.new.possible')}</span>
                      <Link
                        to={`/contracts/new?match=${s.matchId}`}
                        className="rounded-md border border-sky-700 px-3 py-1.5 text-sm font-medium text-sky-800 hover:bg-sky-50"
                        aria-label={t('contract.new.useMatchFor', { need: s.need.title, achievement: s.achievement.title })}
                      >
                        {t('contract.new.useMatch')}
                      </Link>
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {options && (options.demands.length || options.scenarios.length) && options.achievements.length ? (
            <Form method="get" className="mb-8 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6" aria-labelledby="pick-heading">
              <h2 id="pick-heading" className="text-lg font-semibold">
                {t('contract.new.pick')}
              </h2>
              <p className="mb-3 text-sm text-slate-600">{t('contract.new.pickLead')}</p>
              <div className="grid gap-4 sm:grid-cols-2">
                <label className="block text-sm">
                  <span className="mb-1 block font-medium text-slate-700">{t('contract.new.pickNeed')}</span>
                  <select name="need" required defaultValue="" className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base">
                    <option value="">{t('common.choose')}</option>
                    <optgroup label={t('nav.demands')}>
                      {options.demands.map((o) => (
                        <option key={o.id} value={`demand:${o.id}`}>
                          {o.label}
                        </option>
                      ))}
                    </optgroup>
                    {options.scenarios.length ? (
                      <optgroup label={t('nav.scenarios')}>
                        {options.scenarios.map((o) => (
                          <option key={o.id} value={`scenario:${o.id}`}>
                            {o.label}
                          </option>
                        ))}
                      </optgroup>
                    ) : null}
                  </select>
                </label>
                <label className="block text-sm">
                  <span className="mb-1 block font-medium text-slate-700">{t('contract.new.pickAchievement')}</span>
                  <select name="achievement" required defaultValue="" className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base">
                    <option value="">{t('common.choose')}</option>
                    {options.achievements.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              <button type="submit" className="mt-4 rounded-md bg-slate-800 px-4 py-2 text-sm font-medium text-white hover:bg-slate-900">
                {t('contract.new.pickButton')}
              </button>
            </Form>
          ) : null}
          <h2 className="mb-4 text-lg font-semibold">{t('contract.new.blank')}</h2>
        </>
      )}

      {/* A new source is a new form: Conform keeps its first default values otherwise. */}
      <ContractForm
        key={links ? Object.values(links).join('|') : 'blank'}
        mode="new"
        lastResult={actionData?.result}
        defaultValue={defaultValue}
        parties={parties}
        fixedSeller={fixedSeller}
        links={links ?? undefined}
        cancelTo={deal ? `/deals/${deal.id}` : '/contracts'}
      />
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
