import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/conversation'
import { ATTACHMENT_EXTENSIONS, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_MB, MAX_ATTACHMENTS } from '~/domain/deals/attachments.server'
import { joinDeal } from '~/domain/deals/deals.server'
import { markConversationRead, MAX_MESSAGE_CHARS, postMessage } from '~/domain/deals/messages.server'
import { conversationView } from '~/domain/deals/timeline.server'
import { AppError } from '~/domain/errors'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { readBoundedForm } from '~/infra/http/forms.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { DealHeader } from './header'
import { asResponse, dealId as dealIdOf, domainErrorReply, redirectWithFlash, type FormReply } from './helpers.server'
import { Timeline } from './conversation-timeline'

/**
 * /deals/:id/conversation: the deal's messages, the brokers' notes (for brokers and the bureau)
 * and its events in one timeline, with a plain multipart form to write (works without
 * JavaScript). Viewing it records a read receipt.
 */

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const deal = (data as { view?: { deal: { number: string; title: string } } } | undefined)?.view?.deal
  return [{ title: deal ? `${t('conv.title')} · ${deal.number} ${deal.title} · ${t('app.name')}` : t('app.name') }]
}

const BeforeSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const id = dealIdOf(args.params.id)
  const before = BeforeSchema.safeParse(args.url.searchParams.get('before'))
  try {
    const view = await conversationView({ actor: user, dealId: id, before: before.success ? before.data : null })
    if (!before.success) await markConversationRead({ actor: user, dealId: id })
    return { view, me: user.id, paged: before.success, limits: { chars: MAX_MESSAGE_CHARS, files: MAX_ATTACHMENTS, mb: MAX_ATTACHMENT_MB, accept: ATTACHMENT_EXTENSIONS.join(',') } }
  } catch (error) {
    throw asResponse(error)
  }
}

/** Slack for the multipart framing and the text around the files. */
const FRAMING = 64 * 1024

const IntentSchema = z.enum(['post', 'join'])

export interface ConversationReply extends FormReply {
  values?: { body: string; kind: string }
}

export async function action(args: Route.ActionArgs) {
  const { request } = args
  const user = requireUser(args)
  const id = dealIdOf(args.params.id)
  let form: FormData
  try {
    form = await readBoundedForm(request, MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + FRAMING, () =>
      new AppError('BAD_INPUT', 'err.conv.requestTooLarge', { params: { max: MAX_ATTACHMENTS * MAX_ATTACHMENT_MB } }),
    )
  } catch (error) {
    return domainErrorReply(error, { intent: 'post' })
  }
  const intent = IntentSchema.safeParse(form.get('intent'))
  if (!intent.success) return data<ConversationReply>({ formError: 'err.badRequest' }, { status: 400 })
  const back = `/deals/${id}/conversation`
  if (intent.data === 'join') {
    try {
      await joinDeal({ actor: user, dealId: id })
      return await redirectWithFlash(back, { key: 'conv.done.joined' })
    } catch (error) {
      return domainErrorReply(error, { intent: 'join' })
    }
  }
  const body = typeof form.get('body') === 'string' ? (form.get('body') as string) : ''
  const kind = typeof form.get('kind') === 'string' ? (form.get('kind') as string) : 'MESSAGE'
  const files = await Promise.all(
    form
      .getAll('files')
      .filter((f): f is File => f instanceof File && (f.size > 0 || f.name !== ''))
      .map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  )
  try {
    const message = await postMessage({ actor: user, dealId: id, input: { body, kind }, files })
    return await redirectWithFlash(`${back}#m-${message.id}`, { key: message.kind === 'NOTE' ? 'conv.done.noted' : 'conv.done.posted' })
  } catch (error) {
    const reply = domainErrorReply(error, { intent: 'post' })
    return data<ConversationReply>({ ...reply.data, values: { body, kind } }, reply.init ?? undefined)
  }
}

export default function Conversation() {
  const t = useT()
  const { view, me, paged, limits } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>() as ConversationReply | undefined
  const { deal, may, standing } = view
  return (
    <article>
      <DealHeader deal={deal} current="conversation" />
      {view.closed ? (
        <p className="mb-4 rounded-md border border-slate-300 bg-slate-100 px-4 py-3 text-sm text-slate-700" role="status">
          {t(deal.stage === 'WON' ? 'conv.closed.won' : 'conv.closed.lost')}
        </p>
      ) : null}
      {standing === 'bureau' ? (
        <section className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-900">
          <p>{t(may.join ? 'conv.bureau.readOnly' : 'conv.bureau.readOnlyClosed')}</p>
          {may.join ? (
            <Form method="post">
              <input type="hidden" name="intent" value="join" />
              <Button type="submit">{t('conv.bureau.join')}</Button>
            </Form>
          ) : null}
          {reply?.intent === 'join' ? <FormError message={reply.formError} /> : null}
        </section>
      ) : null}

      {view.earlier ? (
        <p className="mb-4 text-center text-sm">
          <Link to={`?before=${encodeURIComponent(view.earlier)}`} className="text-sky-700 underline hover:text-sky-900">
            {t('conv.earlier')}
          </Link>
        </p>
      ) : null}
      {paged ? (
        <p className="mb-4 text-center text-sm">
          <Link to="." className="text-sky-700 underline hover:text-sky-900">
            {t('conv.latest')}
          </Link>
        </p>
      ) : null}

      <Timeline items={view.items} me={me} standing={standing} dealId={deal.id} />

      {may.post && !paged ? (
        // A new message remounts the form, so that it starts empty again (with JavaScript, the page stays).
        <Composer key={lastMessageId(view.items)} limits={limits} may={may} standing={standing} reply={reply?.intent === 'post' ? reply : undefined} />
      ) : null}
    </article>
  )
}

function lastMessageId(items: { type: string; id: string }[]) {
  return items.findLast((i) => i.type === 'message')?.id ?? 'none'
}

function Composer({
  limits,
  may,
  standing,
  reply,
}: {
  limits: { chars: number; files: number; mb: number; accept: string }
  may: { note: boolean }
  standing: string
  reply?: ConversationReply
}) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const bodyErrors = reply?.fieldErrors?.body
  const fileErrors = reply?.fieldErrors?.files
  const audience = standing === 'buyer' ? 'conv.audience.buyer' : standing === 'seller' ? 'conv.audience.seller' : 'conv.audience.staff'
  return (
    <section aria-labelledby="composer-heading" className="mt-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <h2 id="composer-heading" className="mb-3 text-base font-semibold text-slate-900">
        {t('conv.compose.title')}
      </h2>
      <Form method="post" encType="multipart/form-data" className="space-y-3" aria-label={t('conv.compose.title')}>
        <input type="hidden" name="intent" value="post" />
        {reply?.formError && reply.formError !== 'err.invalidForm' ? <FormError message={reply.formError} /> : null}
        <label htmlFor="message-body" className="block text-sm font-medium text-slate-700">
          {t('conv.compose.body')}
        </label>
        <textarea
          id="message-body"
          name="body"
          rows={4}
          maxLength={limits.chars}
          defaultValue={reply?.values?.body ?? ''}
          aria-invalid={bodyErrors?.length ? true : undefined}
          aria-describedby="message-body-hint"
          className="w-full rounded-md border border-slate-300 px-3 py-2 text-base shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200"
        />
        <p id="message-body-hint" className="text-xs text-slate-500">
          {t('conv.compose.bodyHint', { max: limits.chars })} {t(audience)}
        </p>
        <FieldErrors errors={bodyErrors} />
        <div>
          <label htmlFor="message-files" className="block text-sm font-medium text-slate-700">
            {t('conv.compose.files')}
          </label>
          <input
            id="message-files"
            name="files"
            type="file"
            multiple
            accept={limits.accept}
            aria-describedby="message-files-hint"
            className="mt-1 block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm"
          />
          <p id="message-files-hint" className="mt-1 text-xs text-slate-500">
            {t('conv.compose.filesHint', { max: limits.files, mb: limits.mb })}
          </p>
          <FieldErrors errors={fileErrors} />
        </div>
        {may.note ? (
          <fieldset className="flex flex-wrap gap-4 text-sm">
            <legend className="sr-only">{t('conv.compose.kind')}</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="kind" value="MESSAGE" defaultChecked={reply?.values?.kind !== 'NOTE'} className="accent-sky-700" />
              {t('conv.compose.kindMessage')}
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="kind" value="NOTE" defaultChecked={reply?.values?.kind === 'NOTE'} className="accent-amber-600" />
              {t('conv.compose.kindNote')}
            </label>
          </fieldset>
        ) : null}
        <Button type="submit" disabled={busy}>
          {t('conv.compose.send')}
        </Button>
      </Form>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
