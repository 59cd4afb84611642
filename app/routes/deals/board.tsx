import { useState } from 'react'
import { data, Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/board'
import { boardDeals, moveStage, ownerOptions } from '~/domain/deals/deals.server'
import { idSchema, MoveStageSchema } from '~/domain/deals/schemas'
import { STAGE_KEYS } from '~/domain/deals/stages'
import { localeFromRequest, translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { FormError } from '~/ui/form'
import { formatDay } from '~/ui/listings/format'
import { DealStageBadge } from './header'
import { asResponse, badForm, domainErrorReply, redirectWithFlash, type FormReply } from './helpers.server'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('deal.board.title')} · ${t('app.name')}` }]
}

const OwnerParam = z.union([z.literal('me'), idSchema]).optional().catch(undefined)

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const owner = OwnerParam.parse(args.url.searchParams.get('owner') || undefined)
  let board
  try {
    board = await boardDeals({ actor: user, owner })
  } catch (error) {
    throw asResponse(error)
  }
  return { ...board, owner: owner ?? null, owners: board.bureau ? await ownerOptions({ actor: user }) : [] }
}

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args)
  const formData = await request.formData()
  const fields = Object.fromEntries(formData)
  const id = idSchema.safeParse(fields.dealId)
  if (!id.success) return data<FormReply>({ formError: 'err.badRequest' }, { status: 400 })
  const reply = { intent: 'move', target: id.data }
  const parsed = MoveStageSchema.safeParse(fields)
  if (!parsed.success) return badForm(parsed.error, reply)
  let moved
  try {
    moved = await moveStage({ actor: user, dealId: id.data, input: parsed.data, ip: context.get(clientIpContext) })
  } catch (error) {
    return domainErrorReply(error, reply)
  }
  const owner = OwnerParam.parse(fields.owner || undefined)
  const t = translator(localeFromRequest(request))
  return redirectWithFlash(`/deals/board${owner ? `?owner=${owner}` : ''}`, {
    key: 'deal.done.movedDeal',
    params: { number: moved.number, stage: t(STAGE_KEYS[moved.stage]) },
  })
}

export default function DealBoard() {
  const t = useT()
  const locale = useLocale()
  const { columns, bureau, owner, owners } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const count = columns.reduce((n, c) => n + c.cards.length, 0)
  // Drag and drop, once scripts run: the same move as the card's form, to a column it may go to.
  const submit = useSubmit()
  const [dragged, setDragged] = useState<{ id: string; stage: string; moves: string[] } | null>(null)
  const drop = (stage: string) => {
    if (!dragged || !dragged.moves.includes(stage)) return
    submit({ dealId: dragged.id, from: dragged.stage, to: stage, ...(owner ? { owner } : {}) }, { method: 'post' })
    setDragged(null)
  }
  return (
    <div>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{t('deal.board.title')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t(bureau ? 'deal.board.leadBureau' : 'deal.board.leadBroker')}</p>
        </div>
        <div className="flex flex-wrap items-end gap-2">
          {bureau ? (
            <Form method="get" className="flex items-end gap-2">
              <label className="text-sm">
                <span className="mb-1 block text-slate-600">{t('deal.label.owner')}</span>
                <select name="owner" defaultValue={owner ?? ''} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
                  <option value="">{t('deal.list.allOwners')}</option>
                  {owners.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="rounded-md bg-slate-800 px-4 py-2 text-sm font-medium text-white hover:bg-slate-900">
                {t('deal.list.filter')}
              </button>
            </Form>
          ) : null}
          <Link to="/deals" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
            {t('deal.board.asList')}
          </Link>
        </div>
      </div>
      {reply?.formError && !reply.target ? <FormError message={reply.formError} /> : null}
      {count === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">{t(bureau ? 'deal.board.emptyBureau' : 'deal.list.emptyBroker')}</p>
      ) : null}
      <div className="relative mt-6 flex gap-3 overflow-x-auto pb-4" data-testid="deal-board">
        {columns.map((col) => (
          <section
            key={col.stage}
            aria-labelledby={`col-${col.stage}`}
            className={`flex w-64 shrink-0 flex-col rounded-lg p-2 ${dragged?.moves.includes(col.stage) ? 'bg-sky-100 ring-2 ring-sky-400' : 'bg-slate-100'}`}
            data-column={col.stage}
            onDragOver={(e) => {
              if (dragged?.moves.includes(col.stage)) e.preventDefault()
            }}
            onDrop={(e) => {
              e.preventDefault()
              drop(col.stage)
            }}
          >
            <h2 id={`col-${col.stage}`} className="mb-2 flex items-center justify-between px-1 text-sm font-semibold text-slate-700">
              <DealStageBadge stage={col.stage} />
              <span className="tabular-nums text-slate-500" aria-label={t('deal.board.count', { count: col.cards.length })}>
                {col.cards.length}
              </span>
            </h2>
            <ol className="space-y-2">
              {col.cards.map((card) => {
                const error = reply?.target === card.id ? reply : null
                return (
                  <li
                    key={card.id}
                    className={`rounded-md border bg-white p-3 text-sm shadow-sm ${card.overdue ? 'border-red-300' : 'border-slate-200'}`}
                    data-testid="deal-card"
                    data-deal={card.number}
                    draggable={card.moves.length > 0}
                    onDragStart={() => setDragged({ id: card.id, stage: card.stage, moves: card.moves })}
                    onDragEnd={() => setDragged(null)}
                  >
                    <p className="font-mono text-xs text-slate-500">{card.number}</p>
                    <Link to={`/deals/${card.id}`} className="mt-0.5 block font-medium leading-snug text-sky-800 hover:underline">
                      {card.title}
                    </Link>
                    <p className="mt-1 text-xs text-slate-600">{card.buyerOrg.name}</p>
                    {bureau ? <p className="text-xs text-slate-500">{t('deal.header.owner', { name: card.owner.name })}</p> : null}
                    {card.nextStep ? (
                      <div className={`mt-2 rounded px-2 py-1 text-xs ${card.overdue ? 'bg-red-50 text-red-900' : 'bg-slate-50 text-slate-700'}`}>
                        <p className="line-clamp-2">{card.nextStep}</p>
                        <p className="mt-0.5">
                          {t('deal.nextStep.dueOn', { date: formatDay(card.nextStepDue, locale) })}
                          {card.overdue ? <span className="ml-1 font-semibold text-red-700">{t('deal.overdue')}</span> : null}
                        </p>
                      </div>
                    ) : null}
                    {card.moves.length ? (
                      <Form method="post" className="mt-2 flex gap-1">
                        <input type="hidden" name="dealId" value={card.id} />
                        <input type="hidden" name="from" value={card.stage} />
                        {owner ? <input type="hidden" name="owner" value={owner} /> : null}
                        <label className="min-w-0 flex-1">
                          <span className="sr-only">{t('deal.board.moveLabel', { number: card.number })}</span>
                          <select name="to" required defaultValue="" className="w-full rounded border border-slate-300 bg-white px-1.5 py-1 text-xs">
                            <option value="" disabled>
                              {t('deal.stageBox.to')}
                            </option>
                            {card.moves.map((s) => (
                              <option key={s} value={s}>
                                {t(STAGE_KEYS[s])}
                              </option>
                            ))}
                          </select>
                        </label>
                        <button type="submit" disabled={busy} className="rounded bg-slate-800 px-2 py-1 text-xs font-medium text-white hover:bg-slate-900 disabled:opacity-60">
                          {t('deal.stageBox.move')}
                        </button>
                      </Form>
                    ) : null}
                    {error?.formError ? (
                      <p role="alert" className="mt-2 text-xs text-red-700">
                        {t(error.formError)}
                        {Object.values(error.fieldErrors ?? {})
                          .flat()
                          .map((e) => ` ${t(e)}`)}
                      </p>
                    ) : null}
                  </li>
                )
              })}
            </ol>
          </section>
        ))}
      </div>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
