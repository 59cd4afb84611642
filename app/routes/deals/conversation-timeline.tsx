import { eventText } from '~/domain/deals/timeline-text'
import { useT } from '~/i18n/i18n'
import { chinaDateTime } from '~/ui/contracts/labels'

/**
 * The conversation's timeline: messages as cards (text shown as text, never as markup), notes
 * marked as the brokers' own, read receipts under each message, and the deal's events as
 * quiet lines between them.
 */

type AuthorSide = 'lead' | 'assist' | 'bureau' | 'buyer' | 'seller'

export interface TimelineMessage {
  type: 'message'
  id: string
  kind: 'MESSAGE' | 'NOTE'
  body: string
  createdAt: Date | string
  mine: boolean
  author: { id: string; name: string; orgName: string | null; side: AuthorSide }
  attachments: { id: string; name: string; mime: string; size: number; sha256: string }[]
  readBy: { id: string; name: string }[]
}

export interface TimelineEvent {
  type: 'event'
  id: string
  at: Date | string
  event: string
  params: Record<string, unknown>
  internal: boolean
  actorName: string | null
}

const SIDE_KEYS: Record<AuthorSide, string> = {
  lead: 'conv.side.lead',
  assist: 'conv.side.assist',
  bureau: 'conv.side.bureau',
  buyer: 'conv.side.buyer',
  seller: 'conv.side.seller',
}

function PaperclipIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true" className="h-4 w-4 shrink-0">
      <path d="M13.5 6.5 7.8 12.2a1.8 1.8 0 0 0 2.5 2.5l6-6a3.5 3.5 0 0 0-5-5l-6.2 6.2a5.2 5.2 0 0 0 7.4 7.4l5-5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}

function fileSize(bytes: number) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} B`
}

export function Timeline({ items, me, standing, dealId }: { items: (TimelineMessage | TimelineEvent)[]; me: string; standing: string; dealId: string }) {
  const t = useT()
  if (!items.length) {
    return <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">{t('conv.empty')}</p>
  }
  return (
    <ol className="space-y-3" aria-label={t('conv.timeline')} data-testid="timeline">
      {items.map((item) =>
        item.type === 'event' ? (
          <li key={`e-${item.id}`} className="flex flex-wrap items-baseline justify-center gap-x-2 px-2 text-center text-xs text-slate-500" data-event={item.event}>
            <span>{item.actorName ? `${item.actorName} · ` : ''}{eventText(t, item.event, item.params)}</span>
            {item.internal && standing !== 'buyer' && standing !== 'seller' ? <span className="rounded bg-slate-100 px-1">{t('conv.internal')}</span> : null}
            <time dateTime={new Date(item.at).toISOString()}>{chinaDateTime(item.at)}</time>
          </li>
        ) : (
          <Message key={item.id} m={item} me={me} dealId={dealId} />
        ),
      )}
    </ol>
  )
}

function Message({ m, me, dealId }: { m: TimelineMessage; me: string; dealId: string }) {
  const t = useT()
  const note = m.kind === 'NOTE'
  const readers = m.readBy.filter((r) => r.id !== me)
  const tone = note ? 'border-amber-300 bg-amber-50' : m.mine ? 'border-sky-200 bg-sky-50' : 'border-slate-200 bg-white'
  return (
    <li id={`m-${m.id}`} className={`rounded-lg border p-4 shadow-sm ${tone} ${m.mine ? 'sm:ml-12' : 'sm:mr-12'}`} data-testid="message" data-kind={m.kind}>
      <header className="mb-1 flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-medium text-slate-900">{m.author.name}</span>
        <span className="text-xs text-slate-500">
          {t(SIDE_KEYS[m.author.side])}
          {m.author.orgName ? ` · ${m.author.orgName}` : ''}
        </span>
        {note ? <span className="rounded bg-amber-200 px-1.5 text-xs font-medium text-amber-900">{t('conv.note')}</span> : null}
        <time className="ml-auto text-xs text-slate-500" dateTime={new Date(m.createdAt).toISOString()}>
          {chinaDateTime(m.createdAt)}
        </time>
      </header>
      {m.body ? <p className="whitespace-pre-wrap break-words text-sm leading-relaxed text-slate-800" data-testid="message-body">{m.body}</p> : null}
      {m.attachments.length ? (
        <ul className="mt-2 space-y-1 text-sm" aria-label={t('conv.attachments')}>
          {m.attachments.map((a) => (
            <li key={a.id} className="flex flex-wrap items-baseline gap-x-2">
              <a href={`/deals/${dealId}/attachments/${a.id}`} className="inline-flex items-center gap-1 text-sky-700 underline hover:text-sky-900" download>
                <PaperclipIcon />
                {a.name}
              </a>
              <span className="text-xs text-slate-500">{fileSize(a.size)}</span>
              <span className="font-mono text-xs text-slate-400" title={a.sha256}>
                SHA-256 {a.sha256.slice(0, 12)}…
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {readers.length ? (
        <p className="mt-2 text-xs text-slate-500" data-testid="read-by">
          {t('conv.readBy', { names: readers.map((r) => r.name).join('、') })}
        </p>
      ) : null}
    </li>
  )
}
