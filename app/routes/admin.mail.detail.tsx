import { data, Form, Link, redirect, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/admin.mail.detail'
import { isAppError } from '~/domain/errors'
import { getEmail, retryEmail } from '~/domain/notifications/email.server'
import { chinaTime } from '~/domain/notifications/render'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { setFlash } from '~/infra/http/cookies.server'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FormError } from '~/ui/form'
import { StatusChip } from './admin.mail.shared'

export function meta({ matches, data }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const subject = (data as { mail?: { subject?: string } } | undefined)?.mail?.subject
  return [{ title: `${subject ? `${subject} · ` : ''}${t('mailLog.title')} · ${t('app.name')}` }]
}

function mailId(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Response('Not Found', { status: 404 })
  return id
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'mail:read')
  try {
    const mail = await getEmail({ actor: user, id: mailId(args.params.id) })
    return {
      mail: {
        id: mail.id,
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        category: mail.category,
        status: mail.status,
        attempts: mail.attempts,
        lastError: mail.lastError,
        messageId: mail.messageId,
        emlPath: mail.emlPath,
        createdAt: chinaTime(mail.createdAt),
        sentAt: mail.sentAt ? chinaTime(mail.sentAt) : null,
      },
    }
  } catch (error) {
    if (isAppError(error)) throw new Response(error.message, { status: error.status })
    throw error
  }
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args, 'mail:read')
  const id = mailId(args.params.id)
  const form = await args.request.formData()
  if (form.get('intent') !== 'retry') return data({ formError: 'err.badRequest' }, { status: 400 })
  try {
    await retryEmail({ actor: user, id, ip: args.context.get(clientIpContext) })
  } catch (error) {
    if (!isAppError(error)) throw error
    if (error.status === 404) throw new Response(error.message, { status: 404 })
    return data({ formError: error.message }, { status: error.status })
  }
  const mail = await getEmail({ actor: user, id })
  return redirect(`/admin/mail/${id}`, { headers: { 'Set-Cookie': await setFlash({ key: 'mailLog.retried', params: { to: mail.to } }) } })
}

export default function MailDetail() {
  const t = useT()
  const { mail } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const rows: [string, string | null][] = [
    [t('mailLog.from'), mail.from],
    [t('mailLog.to'), mail.to],
    [t('mailLog.subject'), mail.subject],
    [t('mailLog.messageId'), mail.messageId],
    [t('mailLog.category'), mail.category],
    [t('mailLog.createdAt'), mail.createdAt],
    [t('mailLog.sentAt'), mail.sentAt],
    [t('mailLog.attempts'), String(mail.attempts)],
    [t('mailLog.file'), mail.emlPath],
  ]
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <Link to="/admin/mail" className="text-sm text-sky-700 underline">
        ← {t('mailLog.back')}
      </Link>
      <div className="mt-3 flex flex-wrap items-start justify-between gap-3">
        <h1 className="text-xl font-semibold">{mail.subject}</h1>
        <StatusChip status={mail.status} />
      </div>
      <FormError message={actionData?.formError} />
      <h2 className="mt-6 mb-2 text-sm font-medium text-slate-500">{t('mailLog.headers')}</h2>
      <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-1 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500">{label}</dt>
            <dd className="break-all">{value ?? '—'}</dd>
          </div>
        ))}
      </dl>
      {mail.lastError ? (
        <div className="mt-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          <p className="font-medium">{t('mailLog.lastError')}</p>
          <p className="mt-1 font-mono text-xs break-all">{mail.lastError}</p>
        </div>
      ) : null}
      <h2 className="mt-6 mb-2 text-sm font-medium text-slate-500">{t('mailLog.body')}</h2>
      <pre className="overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-4 text-sm whitespace-pre-wrap" data-testid="mail-text">
        {mail.text}
      </pre>
      <div className="mt-6 flex flex-wrap gap-3">
        <a href={`/admin/mail/${mail.id}/eml`} download className="inline-flex items-center rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50">
          {t('mailLog.download')}
        </a>
        {mail.status === 'FAILED' ? (
          <Form method="post">
            <Button type="submit" name="intent" value="retry">
              {t('mailLog.retry')}
            </Button>
          </Form>
        ) : null}
      </div>
    </article>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
