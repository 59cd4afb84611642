import type { ReactNode } from 'react'
import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/registration-form'
import { canReadAll, getContract } from '~/domain/contracts/contracts.server'
import { regionName } from '~/domain/orgs/regions.server'
import type { ContractParty, OrgKind } from '~/generated/prisma/enums'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { chinaDateTime, classificationText, CONTRACT_STATUS_KEYS, EXCLUSIVITY_KEYS, PARTY_KEYS, PAYMENT_METHOD_KEYS, percentText, RULES_KEYS } from '~/ui/contracts/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { formatDate, formatDay, formatFenExact } from '~/ui/listings/format'
import { FIELD_KEYS, INDUSTRY_KEYS, IP_TYPE_KEYS } from '~/ui/listings/labels'
import { asResponse, contractId, termsView } from './helpers.server'

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const number = (data as { c?: { number: string } } | undefined)?.c?.number
  return [{ title: `${t('printForm.title')}${number ? ` ${number}` : ''} · ${t('app.name')}` }]
}

const ORG_KIND_KEYS: Record<OrgKind, string> = {
  UNIVERSITY: 'orgKind.UNIVERSITY',
  INSTITUTE: 'orgKind.INSTITUTE',
  ENTERPRISE: 'orgKind.ENTERPRISE',
  BROKER_AGENCY: 'orgKind.BROKER_AGENCY',
  GOVERNMENT: 'orgKind.GOVERNMENT',
  OTHER: 'orgKind.OTHER',
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const id = contractId(args.params.id)
  let found
  try {
    found = await getContract({ actor: user, id })
  } catch (error) {
    throw asResponse(error)
  }
  const { contract: c, current, names } = found
  // Kind and region as recorded at signing (what the statistics use), the rest as the organisation is now.
  const party = (o: typeof c.sellerOrg, kind: OrgKind, region: string) => ({ name: o.name, creditCode: o.creditCode, kind, region: regionName(region) ?? region })
  return {
    c: {
      number: c.number,
      id: c.id,
      title: c.title,
      status: c.status,
      seller: party(c.sellerOrg, c.sellerKind, c.sellerRegion),
      buyer: party(c.buyerOrg, c.buyerKind, c.buyerRegion),
      broker: c.broker ? `${c.broker.name}${c.brokerOrg ? `（${c.brokerOrg.name}）` : ''}` : null,
      ...termsView(c),
      signedAt: c.signedAt,
      submittedAt: c.registrationSubmittedAt,
      registrationNumber: c.registrationNumber,
      registeredAt: c.registeredAt,
      rules: c.registrationRules,
      registeredTechAmountFen: c.registeredTechAmountFen === null ? null : Number(c.registeredTechAmountFen),
      registeredType: c.registeredType,
      registeredSubtype: c.registeredSubtype,
      registeredBy: c.registeredById ? (names[c.registeredById] ?? null) : null,
      notRegisteredReason: c.notRegisteredReason,
      milestones: c.milestones.map((m) => ({ seq: m.seq, title: m.title, dueDate: m.dueDate, amountFen: Number(m.amountFen) })),
      version: current.version,
      termsHash: current.termsHash,
      confirmations: c.confirmations
        .filter((x) => x.version === current.version && x.termsHash === current.termsHash)
        // The address a confirmation came from is evidence for the registry, not for the other side.
        .map((x) => ({ party: x.party, userName: x.userName, confirmedAt: x.confirmedAt, ip: canReadAll(user) ? x.ip : null })),
    },
    printedAt: new Date(),
  }
}

const PRINT_CSS = `
@page { size: A4; margin: 14mm 14mm 16mm; }
@media print {
  html, body { background: #fff !important; }
  body > header, body > footer, main > [role=status], .no-print { display: none !important; }
  main { max-width: none !important; padding: 0 !important; margin: 0 !important; }
  .sheet { box-shadow: none !important; border: 0 !important; padding: 0 !important; max-width: none !important; }
  .sheet table { page-break-inside: auto; }
  .sheet tr, .sheet .keep { page-break-inside: avoid; break-inside: avoid; }
  a { color: inherit !important; text-decoration: none !important; }
}
`

export default function RegistrationFormPrint() {
  const t = useT()
  const locale = useLocale()
  const { c, printedAt } = useLoaderData<typeof loader>()
  const money = (fen: number | null) => (fen === null ? '—' : formatFenExact(fen, '—'))
  const parties: [ContractParty, typeof c.seller][] = [
    ['SELLER', c.seller],
    ['BUYER', c.buyer],
  ]
  return (
    <>
      <style>{PRINT_CSS}</style>
      <div className="no-print mb-4 flex flex-wrap items-center justify-between gap-2 text-sm">
        <Link to={`/contracts/${c.id}`} className="text-sky-700 underline hover:text-sky-900">
          ← {c.number}
        </Link>
        <span className="text-slate-500">{t('printForm.howToPrint')}</span>
      </div>
      <article className="sheet mx-auto max-w-[210mm] border border-slate-300 bg-white p-[12mm] text-[13px] leading-snug text-black shadow-sm">
        <header className="mb-4 text-center">
          <h1 className="text-xl font-bold tracking-widest">{t('printForm.title')}</h1>
          <p className="mt-1 text-xs">{t('printForm.subtitle')}</p>
        </header>
        <table className="form-grid w-full border-collapse">
          <tbody>
            <Row label={t('contract.label.number')} value={<span className="font-mono">{c.number}</span>} label2={t('contract.label.status')} value2={t(CONTRACT_STATUS_KEYS[c.status])} />
            <Row label={t('contract.label.registrationNumber')} value={<span className="font-mono">{c.registrationNumber ?? ''}</span>} label2={t('contract.label.registeredAt')} value2={formatDay(c.registeredAt, locale)} />
            <Row label={t('contract.label.title')} value={c.title} wide />
            <Row label={t('contract.label.rules')} value={c.rules ? t(RULES_KEYS[c.rules]) : ''} wide />
          </tbody>
        </table>

        <Heading>{t('printForm.parties')}</Heading>
        <table className="w-full border-collapse">
          <tbody>
            {parties.map(([p, o]) => (
              <tr key={p} className="keep">
                <Th>{t(PARTY_KEYS[p])}</Th>
                <Td>
                  <div className="font-medium">{o.name}</div>
                  <div>
                    {t('printForm.creditCode')}：<span className="font-mono">{o.creditCode ?? ''}</span>
                  </div>
                  <div>
                    {t('printForm.kind')}：{t(ORG_KIND_KEYS[o.kind])}　{t('printForm.region')}：{o.region}
                  </div>
                </Td>
              </tr>
            ))}
            <tr>
              <Th>{t('contract.label.broker')}</Th>
              <Td>{c.broker ?? '—'}</Td>
            </tr>
          </tbody>
        </table>

        <Heading>{t('printForm.classification')}</Heading>
        <table className="w-full border-collapse">
          <tbody>
            <Row label={t('printForm.declaredType')} value={classificationText(t, c.type, c.subtype)} label2={t('printForm.registeredType')} value2={c.registeredType && c.registeredSubtype ? classificationText(t, c.registeredType, c.registeredSubtype) : ''} />
            <Row label={t('contract.label.exclusivity')} value={c.exclusivity ? t(EXCLUSIVITY_KEYS[c.exclusivity]) : '—'} label2={t('listings.label.field')} value2={c.field ? t(FIELD_KEYS[c.field]) : '—'} />
            <Row label={t('listings.label.industry')} value={c.industry ? t(INDUSTRY_KEYS[c.industry]) : '—'} label2={t('listings.label.ipType')} value2={c.ipType ? t(IP_TYPE_KEYS[c.ipType]) : '—'} />
            <Row label={t('contract.label.ipNumbers')} value={c.ipNumbers.length ? c.ipNumbers.join('；') : '—'} wide />
          </tbody>
        </table>

        <Heading>{t('printForm.amounts')}</Heading>
        <table className="w-full border-collapse">
          <tbody>
            <Row label={t('contract.label.amount')} value={money(c.amountFen)} label2={t('contract.label.techAmount')} value2={money(c.techAmountFen)} />
            <Row label={t('contract.label.registeredTechAmount')} value={<strong>{money(c.registeredTechAmountFen)}</strong>} label2={t('contract.label.paymentMethod')} value2={t(PAYMENT_METHOD_KEYS[c.paymentMethod])} />
            <Row
              label={t('contract.label.royaltyRate')}
              value={c.royaltyRateBp !== null ? percentText(c.royaltyRateBp) : '—'}
              label2={t('contract.label.entryFee')}
              value2={c.entryFeeFen !== null ? money(c.entryFeeFen) : '—'}
            />
            <Row label={t('contract.label.term')} value={`${formatDay(c.termStart, locale) || '—'} — ${formatDay(c.termEnd, locale) || '—'}`} wide />
          </tbody>
        </table>

        <table className="mt-2 w-full border-collapse">
          <caption className="pb-1 text-left text-sm font-medium">{t('contract.form.milestones')}</caption>
          <thead>
            <tr>
              <Th>#</Th>
              <Th>{t('contract.label.milestoneTitle')}</Th>
              <Th>{t('contract.label.dueDate')}</Th>
              <Th>{t('contract.label.milestoneAmount')}</Th>
            </tr>
          </thead>
          <tbody>
            {c.milestones.length ? (
              c.milestones.map((m) => (
                <tr key={m.seq}>
                  <Td>{m.seq}</Td>
                  <Td>{m.title}</Td>
                  <Td>{formatDay(m.dueDate, locale)}</Td>
                  <Td className="text-right">{money(m.amountFen)}</Td>
                </tr>
              ))
            ) : (
              <tr>
                <Td colSpan={4}>{t('contract.detail.noMilestones')}</Td>
              </tr>
            )}
          </tbody>
        </table>

        <Heading>{t('printForm.signing')}</Heading>
        <table className="w-full border-collapse">
          <tbody>
            <Row label={t('printForm.version')} value={String(c.version)} label2={t('printForm.signedAt')} value2={c.signedAt ? `${formatDate(c.signedAt, locale)}` : '—'} />
            <Row label={t('printForm.termsHash')} value={<span className="font-mono text-[11px] break-all">{c.termsHash}</span>} wide />
            {parties.map(([p]) => {
              const x = c.confirmations.find((y) => y.party === p)
              return (
                <Row
                  key={p}
                  label={t('printForm.confirmedBy', { party: t(PARTY_KEYS[p]) })}
                  value={x ? `${x.userName}　${chinaDateTime(x.confirmedAt)}${x.ip ? `　IP ${x.ip}` : ''}` : '—'}
                  wide
                />
              )
            })}
            <Row label={t('printForm.submittedAt')} value={formatDate(c.submittedAt, locale) || '—'} label2={t('contract.label.registeredBy')} value2={c.registeredBy ?? '—'} />
            {c.notRegisteredReason ? <Row label={t('contract.label.refuseReason')} value={c.notRegisteredReason} wide /> : null}
          </tbody>
        </table>

        <div className="keep mt-6 grid grid-cols-3 gap-4 text-sm">
          <Signature label={t('printForm.sellerSeal')} />
          <Signature label={t('printForm.buyerSeal')} />
          <Signature label={t('printForm.registrySeal')} />
        </div>
        <p className="mt-6 text-right text-[11px] text-slate-600">{t('printForm.printedAt', { date: formatDate(printedAt, locale) })}</p>
      </article>
    </>
  )
}

function Heading({ children }: { children: ReactNode }) {
  return <h2 className="mt-4 mb-1 border-b-2 border-black pb-0.5 text-sm font-bold">{children}</h2>
}

function Th({ children }: { children: ReactNode }) {
  return <th className="w-[22%] border border-slate-500 bg-slate-100 px-2 py-1 text-left align-top font-medium">{children}</th>
}

function Td({ children, colSpan, className = '' }: { children: ReactNode; colSpan?: number; className?: string }) {
  return (
    <td colSpan={colSpan} className={`border border-slate-500 px-2 py-1 align-top ${className}`}>
      {children}
    </td>
  )
}

function Row({ label, value, label2, value2, wide }: { label: string; value: ReactNode; label2?: string; value2?: ReactNode; wide?: boolean }) {
  return (
    <tr className="keep">
      <Th>{label}</Th>
      {wide ? (
        <Td colSpan={3}>{value}</Td>
      ) : (
        <>
          <Td>{value}</Td>
          <Th>{label2}</Th>
          <Td>{value2}</Td>
        </>
      )}
    </tr>
  )
}

function Signature({ label }: { label: string }) {
  const t = useT()
  return (
    <div className="h-28 border border-slate-500 p-2">
      <p className="font-medium">{label}</p>
      <p className="mt-14 text-xs text-slate-600">{t('printForm.date')}：　　年　　月　　日</p>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
