import type { ReactNode } from 'react'
import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/nda'
import { acceptNda, AcceptNdaSchema, ndaOverview, sendNda, SendNdaSchema } from '~/domain/deals/nda.server'
import { KIND_PATHS, type ListingKind } from '~/domain/listings/kinds'
import { can } from '~/domain/users/permissions'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { chinaDateTime } from '~/ui/contracts/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { DealHeader } from './header'
import { asResponse, badForm, dealId as dealIdOf, domainErrorReply, redirectWithFlash, type FormReply } from './helpers.server'

/**
 * /deals/:id/nda: the deal's NDAs. Brokers send one per introduced seller; each side's
 * authorised member reads the text and accepts it; once both have, the confidential details
 * open to both organisations. Parties see their own NDAs, brokers and the bureau all of them.
 */

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const deal = (data as { overview?: { deal: { number: string; title: string } } } | undefined)?.overview?.deal
  return [{ title: deal ? `${t('nda.title')} · ${deal.number} ${deal.title} · ${t('app.name')}` : t('app.name') }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const id = dealIdOf(args.params.id)
  try {
    const overview = await ndaOverview({ actor: user, dealId: id })
    return { overview, mayEditTemplate: can(user.role, 'nda:template') }
  } catch (error) {
    throw asResponse(error)
  }
}

const IntentSchema = z.enum(['send', 'accept'])

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args)
  const id = dealIdOf(args.params.id)
  const form = await request.formData()
  const intent = IntentSchema.safeParse(form.get('intent'))
  if (!intent.success) return data<FormReply>({ formError: 'err.badRequest' }, { status: 400 })
  const ip = context.get(clientIpContext)
  const back = `/deals/${id}/nda`
  if (intent.data === 'send') {
    const parsed = SendNdaSchema.safeParse({ sellerOrgId: form.get('sellerOrgId') ?? undefined })
    if (!parsed.success) return badForm(parsed.error, { intent: 'send' })
    try {
      await sendNda({ actor: user, dealId: id, sellerOrgId: parsed.data.sellerOrgId, ip })
      return await redirectWithFlash(back, { key: 'nda.done.sent' })
    } catch (error) {
      return domainErrorReply(error, { intent: 'send' })
    }
  }
  const target = typeof form.get('ndaId') === 'string' ? (form.get('ndaId') as string) : undefined
  const parsed = AcceptNdaSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) return badForm(parsed.error, { intent: 'accept', target })
  try {
    const result = await acceptNda({ actor: user, dealId: id, ndaId: parsed.data.ndaId, textHash: parsed.data.textHash, ip })
    return await redirectWithFlash(`${back}#nda-${parsed.data.ndaId}`, { key: result.effective ? 'nda.done.effective' : 'nda.done.accepted' })
  } catch (error) {
    return domainErrorReply(error, { intent: 'accept', target })
  }
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>
type NdaView = Loaded['overview']['ndas'][number]

export default function NdaPage() {
  const t = useT()
  const { overview, mayEditTemplate } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>() as FormReply | undefined
  const { deal, ndas, sendable, template, stageTooEarly, standing } = overview
  const broker = standing === 'lead' || standing === 'assist'
  return (
    <article>
      <DealHeader deal={deal} current="nda" />
      <p className="mb-6 max-w-3xl text-sm text-slate-600">{t('nda.intro')}</p>

      {broker ? (
        <section className="mb-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6" aria-labelledby="send-heading">
          <h2 id="send-heading" className="mb-2 text-base font-semibold text-slate-900">
            {t('nda.send.title')}
          </h2>
          {stageTooEarly ? (
            <p className="text-sm text-slate-600">{t('nda.send.tooEarly')}</p>
          ) : sendable.length && template ? (
            <Form method="post" className="flex flex-wrap items-end gap-3" aria-label={t('nda.send.title')}>
              <input type="hidden" name="intent" value="send" />
              <div>
                <label htmlFor="nda-seller" className="mb-1 block text-sm font-medium text-slate-700">
                  {t('nda.send.seller')}
                </label>
                <select id="nda-seller" name="sellerOrgId" required className="rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm">
                  {sendable.map((s) => (
                    <option key={s.sellerOrgId} value={s.sellerOrgId}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </div>
              <SubmitButton label={t('nda.send.submit')} />
              <p className="basis-full text-xs text-slate-500">{t('nda.send.template', { version: template.version, title: template.title })}</p>
              {reply?.intent === 'send' ? (
                <div className="basis-full">
                  <FormError message={reply.formError} />
                  <FieldErrors errors={reply.fieldErrors?.sellerOrgId} />
                </div>
              ) : null}
            </Form>
          ) : (
            <p className="text-sm text-slate-600">{t(ndas.length ? 'nda.send.allSent' : 'nda.send.noneIntroduced')}</p>
          )}
          {mayEditTemplate ? <TemplateLink /> : null}
        </section>
      ) : mayEditTemplate ? (
        <p className="mb-6 text-sm">
          <TemplateLink />
        </p>
      ) : null}

      {ndas.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600" data-testid="no-ndas">
          {t(broker ? 'nda.none.broker' : 'nda.none.party')}
        </p>
      ) : (
        <div className="space-y-6">
          {ndas.map((n) => (
            <NdaCard key={n.id} nda={n} deal={deal} reply={reply?.intent === 'accept' && reply.target === n.id ? reply : undefined} />
          ))}
        </div>
      )}
    </article>
  )
}

function TemplateLink() {
  const t = useT()
  return (
    <Link to="/admin/nda-template" className="mt-3 inline-block text-sm text-sky-700 underline hover:text-sky-900">
      {t('nda.template.manage')}
    </Link>
  )
}

function SubmitButton({ label }: { label: string }) {
  const busy = useNavigation().state === 'submitting'
  return (
    <Button type="submit" disabled={busy}>
      {label}
    </Button>
  )
}

const PARTIES = ['BUYER', 'SELLER'] as const
const LISTING_KIND_KEYS: Record<string, string> = { achievement: 'nda.grant.achievement', demand: 'nda.grant.demand' }

function NdaCard({ nda, deal, reply }: { nda: NdaView; deal: Loaded['overview']['deal']; reply?: FormReply }) {
  const t = useT()
  const names = { BUYER: deal.buyerOrgName, SELLER: nda.seller.name }
  return (
    <section id={`nda-${nda.id}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6" data-testid="nda" data-effective={!!nda.effectiveAt}>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-base font-semibold text-slate-900">{t('nda.card.title', { seller: nda.seller.name })}</h2>
        {nda.effectiveAt ? (
          <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-emerald-200">
            {t('nda.status.effective', { at: chinaDateTime(nda.effectiveAt) })}
          </span>
        ) : (
          <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-200">{t('nda.status.pending')}</span>
        )}
      </div>
      <ul className="mb-4 grid gap-3 sm:grid-cols-2" data-testid="acceptances">
        {PARTIES.map((p) => {
          const a = nda.acceptances.find((x) => x.party === p)
          return (
            <li key={p} className={`rounded-md border p-3 text-sm ${a ? 'border-emerald-200 bg-emerald-50' : 'border-slate-200 bg-slate-50'}`} data-party={p} data-accepted={!!a}>
              <p className="text-xs text-slate-500">
                {t(p === 'BUYER' ? 'conv.party.BUYER' : 'conv.party.SELLER')} · {names[p]}
              </p>
              {a ? (
                <p className="text-emerald-900">✓ {t('nda.accepted', { name: a.userName, at: chinaDateTime(a.acceptedAt) })}</p>
              ) : (
                <p className="text-slate-600">{t('nda.notAccepted')}</p>
              )}
            </li>
          )
        })}
      </ul>
      <details className="mb-4" open={nda.mayAccept}>
        <summary className="cursor-pointer text-sm font-medium text-slate-700">{t('nda.text', { version: nda.templateVersion })}</summary>
        <pre className="mt-2 max-h-96 overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 font-sans text-sm leading-relaxed text-slate-800" data-testid="nda-text">
          {nda.text}
        </pre>
      </details>
      <p className="mb-4 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500">
        <span title={nda.textHash}>
          SHA-256 <code className="font-mono">{nda.textHash}</code>
        </span>
      </p>
      <p className="mb-4 flex flex-wrap gap-4 text-sm">
        <a href={`/deals/${deal.id}/nda/${nda.id}/download`} className="text-sky-700 underline hover:text-sky-900">
          {t('nda.download.html')}
        </a>
        <a href={`/deals/${deal.id}/nda/${nda.id}/download?format=txt`} className="text-sky-700 underline hover:text-sky-900">
          {t('nda.download.txt')}
        </a>
      </p>
      {nda.mayAccept ? (
        <Form method="post" className="space-y-3 rounded-md border border-amber-200 bg-amber-50 p-3" aria-label={t('nda.accept.submit')}>
          <FormError message={reply?.formError && reply.formError !== 'err.invalidForm' ? reply.formError : null} />
          <input type="hidden" name="intent" value="accept" />
          <input type="hidden" name="ndaId" value={nda.id} />
          <input type="hidden" name="textHash" value={nda.textHash} />
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="agree" required className="mt-1 h-4 w-4 accent-sky-700" />
            <span>{t('nda.accept.agree', { org: nda.myParty ? names[nda.myParty] : '' })}</span>
          </label>
          <FieldErrors errors={reply?.fieldErrors?.agree} />
          <SubmitButton label={t('nda.accept.submit')} />
        </Form>
      ) : nda.awaitsSignatory ? (
        <p className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700">{t('nda.accept.signatoryOnly')}</p>
      ) : reply?.formError ? (
        <FormError message={reply.formError} />
      ) : null}
      {nda.effectiveAt && nda.grants.length ? (
        <Block title={t('nda.grants')}>
          <ul className="space-y-1 text-sm">
            {nda.grants.map((g) => (
              <li key={`${g.listingKind}:${g.listingId}`}>
                <span className="text-slate-500">{t(LISTING_KIND_KEYS[g.listingKind] ?? 'nda.grant.achievement')} · </span>
                <Link to={`/${KIND_PATHS[g.listingKind as ListingKind]}/${g.listingId}`} className="text-sky-700 underline hover:text-sky-900">
                  {g.title}
                </Link>
              </li>
            ))}
          </ul>
        </Block>
      ) : null}
    </section>
  )
}

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mt-4 border-t border-slate-100 pt-4">
      <h3 className="mb-2 text-sm font-semibold text-slate-700">{title}</h3>
      {children}
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
