import type { Route } from './+types/nda-download'
import { ndaRecord, type NdaRecord } from '~/domain/deals/nda.server'
import { localeFromRequest, translator, type Translate } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { chinaDateTime } from '~/ui/contracts/labels'
import { asResponse, dealId } from './helpers.server'

/**
 * /deals/:id/nda/:ndaId/download: the NDA as a record to keep or print — the full text, the
 * parties, each acceptance with its time, client address and the hash of the text accepted.
 * A self-contained HTML page (printable), or plain text with ?format=txt.
 */
export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const id = dealId(args.params.id)
  const ndaId = dealId(args.params.ndaId)
  let record: NdaRecord
  try {
    record = await ndaRecord({ actor: user, dealId: id, ndaId })
  } catch (error) {
    throw asResponse(error)
  }
  const t = translator(localeFromRequest(args.request))
  const txt = args.url.searchParams.get('format') === 'txt'
  const name = `${t('nda.file')}-${record.deal.number}-${record.seller.name}.${txt ? 'txt' : 'html'}`
  const ascii = `nda-${record.deal.number}.${txt ? 'txt' : 'html'}`
  return new Response(txt ? plainText(t, record) : html(t, record), {
    headers: {
      'Content-Type': txt ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8',
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      // The page needs its own styles and nothing else.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    },
  })
}

const PARTIES = ['BUYER', 'SELLER'] as const

function facts(t: Translate, r: NdaRecord): [string, string][] {
  return [
    [t('nda.doc.deal'), `${r.deal.number} ${r.deal.title}`],
    [t('conv.party.BUYER'), `${r.buyer.name}（${r.buyer.creditCode ?? '—'}）`],
    [t('conv.party.SELLER'), `${r.seller.name}（${r.seller.creditCode ?? '—'}）`],
    [t('nda.doc.version'), String(r.templateVersion)],
    [t('nda.doc.sent'), chinaDateTime(r.createdAt)],
    [t('nda.doc.status'), r.effectiveAt ? t('nda.status.effective', { at: chinaDateTime(r.effectiveAt) }) : t('nda.status.pending')],
    ['SHA-256', r.textHash],
  ]
}

function acceptanceLines(t: Translate, r: NdaRecord): [string, string][] {
  return PARTIES.map((p) => {
    const a = r.acceptances.find((x) => x.party === p)
    const label = `${t(p === 'BUYER' ? 'conv.party.BUYER' : 'conv.party.SELLER')}（${p === 'BUYER' ? r.buyer.name : r.seller.name}）`
    return [
      label,
      a ? t('nda.doc.acceptance', { name: a.userName, at: chinaDateTime(a.acceptedAt), ip: a.ip ?? '—', hash: a.textHash }) : t('nda.notAccepted'),
    ]
  })
}

function plainText(t: Translate, r: NdaRecord): string {
  const rule = '─'.repeat(40)
  return [
    t('nda.doc.title'),
    rule,
    ...facts(t, r).map(([k, v]) => `${k}：${v}`),
    rule,
    r.text.trimEnd(),
    rule,
    t('nda.doc.acceptances'),
    ...acceptanceLines(t, r).map(([k, v]) => `${k}：${v}`),
    '',
    t('nda.doc.note'),
    '',
  ].join('\n')
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

function html(t: Translate, r: NdaRecord): string {
  const rows = (list: [string, string][]) => list.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('\n')
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escape(`${t('nda.doc.title')} ${r.deal.number}`)}</title>
<style>
  body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #111; line-height: 1.7; }
  h1 { font-size: 1.4rem; text-align: center; }
  h2 { font-size: 1.05rem; margin-top: 2rem; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; }
  th, td { border: 1px solid #999; padding: .35rem .5rem; text-align: left; vertical-align: top; word-break: break-all; }
  th { width: 9rem; background: #f3f3f3; font-weight: normal; }
  .text { white-space: pre-wrap; border: 1px solid #999; padding: 1rem; }
  .note { font-size: .8rem; color: #555; }
  @media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>${escape(t('nda.doc.title'))}</h1>
<table>
${rows(facts(t, r))}
</table>
<h2>${escape(t('nda.doc.text'))}</h2>
<div class="text">${escape(r.text.trimEnd())}</div>
<h2>${escape(t('nda.doc.acceptances'))}</h2>
<table>
${rows(acceptanceLines(t, r))}
</table>
<p class="note">${escape(t('nda.doc.note'))}</p>
</body>
</html>
`
}
