import { data, Form, Link, redirect, useActionData, useLoaderData, useSearchParams } from 'react-router'
import type { Route } from './+types/payments'
import { commissionBase, percentToBp, yuanToFen } from '~/domain/payments/commission'
import { readPaymentsForm } from '~/domain/payments/form.server'
import { confirmReceipt, paymentsOverview, rejectReceipt, setCommission, uploadReceipt, type CommissionInput } from '~/domain/payments/payments.server'
import { MAX_RECEIPT_MB } from '~/domain/payments/receipt'
import { startCheckout, stripeGateway } from '~/domain/payments/stripe.server'
import { syncCheckoutSession } from '~/domain/payments/stripe-webhook.server'
import { AppError } from '~/domain/errors'
import type { MilestoneStatus, PaymentChannel } from '~/generated/prisma/enums'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { chinaDateTime, ContractStatusBadge, Money, MILESTONE_STATUS_KEYS, percentText, CONTRACT_STATUS_KEYS } from '~/ui/contracts/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { formatDay } from '~/ui/listings/format'
import { asAppError, asResponse, contractId, errorKey, redirectWithFlash } from './helpers.server'

/**
 * /contracts/:id/payments: the milestones with their status, the buyer's ways to pay (online
 * when Stripe or its stand-in is configured, bank transfer with a receipt always), the
 * seller's confirmation of a transfer or the receipt sent back with a reason (the milestone's
 * receipt history shows both), and the broker's commission. Plain multipart form
 * posts: everything works without JavaScript.
 */

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('payments.title')} · ${t('app.name')}` }]
}

const n = (v: bigint | null | undefined) => (v === null || v === undefined ? null : Number(v))

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args)
  const id = contractId(args.params.id)
  const url = new URL(args.request.url)
  const gateway = stripeGateway()
  // Back from Checkout: converge at once instead of waiting for the webhook (safe any time).
  if (gateway && url.searchParams.get('checkout') === 'success') {
    try {
      const o = await paymentsOverview({ actor: user, id })
      for (const m of o.contract.milestones) {
        if (m.status === 'CHECKOUT_OPEN' && m.stripeSessionId) await syncCheckoutSession(m.stripeSessionId, { gateway })
      }
    } catch (error) {
      if (!(error instanceof AppError)) console.warn('payments: could not sync checkout on return', error)
    }
  }
  let o
  try {
    o = await paymentsOverview({ actor: user, id })
  } catch (error) {
    throw asResponse(error)
  }
  const c = o.contract
  return {
    online: gateway !== null,
    maxMb: MAX_RECEIPT_MB,
    party: o.party,
    payable: o.payable,
    contract: {
      id: c.id,
      number: c.number,
      title: c.title,
      status: c.status,
      seller: c.sellerOrg.name,
      buyer: c.buyerOrg.name,
      broker: c.broker?.name ?? null,
      hasBroker: !!c.brokerId,
      amountFen: Number(c.amountFen),
      base: { fen: Number(commissionBase(c)), registered: c.registeredTechAmountFen !== null },
    },
    commission: {
      basis: c.commissionBasis,
      rateBp: c.commissionRateBp,
      fixedFen: n(c.commissionFixedFen),
      total: Number(o.commission.total),
      accrued: Number(o.commission.accrued),
      paid: Number(o.commission.paid),
      editable: o.commission.editable,
    },
    milestones: c.milestones.map((m) => {
      const history = (o.receiptHistory.get(m.id) ?? []).map((e) => ({ ...e, at: e.at.toISOString() }))
      const last = history.at(-1)
      return {
        id: m.id,
        seq: m.seq,
        title: m.title,
        dueDate: m.dueDate.toISOString(),
        amountFen: Number(m.amountFen),
        status: m.status,
        paidAt: m.paidAt?.toISOString() ?? null,
        paidVia: m.paidVia,
        receiptName: m.receiptName,
        receiptUploadedAt: m.receiptUploadedAt?.toISOString() ?? null,
        commissionFen: n(o.commission.byMilestone.get(m.id)),
        history,
        // Sent back and not uploaded again since: the buyer is told why.
        rejection: m.status === 'PENDING' && last?.kind === 'reject' ? last : null,
      }
    }),
  }
}

type ActionData = { intent?: string; milestoneId?: string; formError?: string; fieldErrors?: Record<string, string[]> }

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args)
  const id = contractId(args.params.id)
  const ip = context.get(clientIpContext)
  const back = `/contracts/${id}/payments`
  let intent: string | undefined
  let milestoneId: string | undefined
  try {
    const form = await readPaymentsForm(request)
    intent = String(form.get('intent') ?? '')
    milestoneId = String(form.get('milestoneId') ?? '') || undefined
    switch (intent) {
      case 'receipt': {
        const file = form.get('receipt')
        const upload = file instanceof File && file.size > 0 ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : null
        await uploadReceipt({ actor: user, contractId: id, milestoneId: milestoneId ?? '', file: upload, ip })
        return await redirectWithFlash(back, { key: 'payments.done.receipt' })
      }
      case 'confirm':
        await confirmReceipt({ actor: user, contractId: id, milestoneId: milestoneId ?? '', receiptAt: receiptAt(form), ip })
        return await redirectWithFlash(back, { key: 'payments.done.confirmed' })
      case 'reject':
        await rejectReceipt({ actor: user, contractId: id, milestoneId: milestoneId ?? '', reason: form.get('reason'), receiptAt: receiptAt(form), ip })
        return await redirectWithFlash(back, { key: 'payments.done.rejected' })
      case 'checkout': {
        let started
        try {
          started = await startCheckout({ actor: user, contractId: id, milestoneId: milestoneId ?? '', origin: new URL(request.url).origin, ip })
        } catch (error) {
          if (error instanceof AppError) throw error
          console.warn('payments: could not start checkout', error)
          throw new AppError('CONFLICT', 'err.payment.onlineUnavailable')
        }
        return redirect(started.url)
      }
      case 'commission': {
        const input = commissionInput(form)
        await setCommission({ actor: user, contractId: id, input, ip })
        return await redirectWithFlash(back, { key: 'payments.done.commission' })
      }
      default:
        return data<ActionData>({ formError: 'err.badRequest' }, { status: 400 })
    }
  } catch (error) {
    const e = asAppError(error)
    const fieldErrors = Object.fromEntries(Object.entries(e.fields ?? {}).map(([k, v]) => [k, [v]]))
    return data<ActionData>({ intent, milestoneId, formError: errorKey(e, request), fieldErrors }, { status: e.status })
  }
}

/** The upload time of the receipt the seller was shown (a replaced receipt is refused, not decided on unseen). */
function receiptAt(form: FormData): string | null {
  const value = form.get('receiptAt')
  return typeof value === 'string' && value ? value : null
}

function commissionInput(form: FormData): CommissionInput {
  const basis = String(form.get('basis') ?? '')
  if (basis === 'NONE') return { basis: 'NONE' }
  if (basis === 'PERCENT') {
    const rateBp = percentToBp(String(form.get('rate') ?? ''))
    if (rateBp === null) throw new AppError('BAD_INPUT', 'err.commission.rate', { fields: { rate: 'err.commission.rate' } })
    return { basis, rateBp }
  }
  if (basis === 'FIXED') {
    const fixedFen = yuanToFen(String(form.get('fixed') ?? ''))
    if (fixedFen === null) throw new AppError('BAD_INPUT', 'err.commission.fixed', { fields: { fixed: 'err.commission.fixed' } })
    return { basis, fixedFen }
  }
  throw new AppError('BAD_INPUT', 'err.commission.basis', { fields: { basis: 'err.commission.basis' } })
}

const BASIS_KEYS = { PERCENT: 'payments.commission.PERCENT', FIXED: 'payments.commission.FIXED', NONE: 'payments.commission.NONE' } as const
const PAID_VIA_KEYS: Record<PaymentChannel, string> = { STRIPE: 'payments.paidVia.STRIPE', BANK_TRANSFER: 'payments.paidVia.BANK_TRANSFER' }
const STATUS_STYLE: Record<MilestoneStatus, string> = {
  PENDING: 'bg-amber-50 text-amber-800 ring-amber-200',
  CHECKOUT_OPEN: 'bg-sky-50 text-sky-800 ring-sky-200',
  RECEIPT_UPLOADED: 'bg-violet-50 text-violet-800 ring-violet-200',
  PAID: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  CANCELLED: 'bg-slate-100 text-slate-600 ring-slate-200',
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>
type MilestoneRow = Loaded['milestones'][number]

export default function ContractPayments() {
  const t = useT()
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const [params] = useSearchParams()
  const { contract: c, milestones } = loaded
  const checkout = params.get('checkout')
  const generalError = actionData?.formError && !actionData.milestoneId && actionData.intent !== 'commission' ? actionData.formError : null
  return (
    <div className="mx-auto max-w-5xl">
      <p className="mb-2 text-sm">
        <Link to={`/contracts/${c.id}`} className="text-sky-700 underline hover:text-sky-900">
          ← {t('payments.back')}
        </Link>
      </p>
      <div className="mb-6 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold text-slate-900">{t('payments.title')}</h1>
        <ContractStatusBadge status={c.status} />
      </div>
      <dl className="mb-6 grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2">
        <div className="sm:col-span-2">
          <dt className="sr-only">{c.number}</dt>
          <dd className="font-medium text-slate-900">
            {c.number} · {c.title}
          </dd>
        </div>
        <Fact label={t('payments.seller')}>{c.seller}</Fact>
        <Fact label={t('payments.buyer')}>{c.buyer}</Fact>
        <Fact label={t('payments.broker')}>{c.broker ?? t('payments.noBroker')}</Fact>
        <Fact label={t('payments.contractAmount')}>
          <Money fen={c.amountFen} exact />
        </Fact>
      </dl>

      {checkout === 'success' ? <Notice>{t('payments.checkout.success')}</Notice> : null}
      {checkout === 'cancelled' ? <Notice>{t('payments.checkout.cancelled')}</Notice> : null}
      {!loaded.payable ? <Notice>{t('payments.notPayable', { status: t(CONTRACT_STATUS_KEYS[c.status]) })}</Notice> : null}
      {loaded.payable && loaded.party === 'BUYER' && !loaded.online ? <Notice>{t('payments.onlineOff')}</Notice> : null}
      <FormError message={generalError} />

      <section aria-labelledby="milestones" className="mb-8">
        <h2 id="milestones" className="mb-3 text-lg font-semibold text-slate-900">
          {t('payments.milestones')}
        </h2>
        {milestones.length === 0 ? (
          <p className="text-sm text-slate-600">{t('payments.noMilestones')}</p>
        ) : (
          <ul className="space-y-3">
            {milestones.map((m) => (
              <MilestoneCard key={m.id} m={m} loaded={loaded} error={actionData?.milestoneId === m.id ? actionData : undefined} />
            ))}
          </ul>
        )}
      </section>

      <CommissionSection loaded={loaded} error={actionData?.intent === 'commission' ? actionData : undefined} />
    </div>
  )
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-slate-900">{children}</dd>
    </div>
  )
}

function Notice({ children }: { children: React.ReactNode }) {
  return <p className="mb-4 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">{children}</p>
}

function MilestoneCard({ m, loaded, error }: { m: MilestoneRow; loaded: Loaded; error?: ActionData }) {
  const t = useT()
  const locale = useLocale()
  const buyerMayPay = loaded.payable && loaded.party === 'BUYER'
  const sellerMayConfirm = loaded.payable && loaded.party === 'SELLER' && m.status === 'RECEIPT_UPLOADED'
  const inputId = `receipt-${m.id}`
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-milestone={m.seq}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-medium text-slate-900">
          {t('payments.col.seq')} {m.seq} · {m.title}
        </h3>
        <span data-status={m.status} className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLE[m.status]}`}>
          {t(MILESTONE_STATUS_KEYS[m.status])}
        </span>
      </div>
      <dl className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
        <Fact label={t('payments.col.amount')}>
          <Money fen={m.amountFen} exact />
        </Fact>
        <Fact label={t('payments.col.due')}>{formatDay(m.dueDate, locale)}</Fact>
        {m.commissionFen !== null ? (
          <Fact label={t('payments.col.commission')}>
            <Money fen={m.commissionFen} exact />
          </Fact>
        ) : null}
      </dl>
      {m.status === 'PAID' && m.paidVia ? (
        <p className="mt-2 text-sm text-emerald-800">{t('payments.paidOn', { via: t(PAID_VIA_KEYS[m.paidVia]), at: chinaDateTime(m.paidAt) })}</p>
      ) : null}
      {m.rejection ? (
        <div className="mt-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="receipt-rejected">
          <p>{t('payments.rejected', { at: chinaDateTime(m.rejection.at), name: m.rejection.name ?? '', reason: m.rejection.reason ?? '' })}</p>
          {loaded.party === 'BUYER' ? <p className="mt-1">{t('payments.rejectedAgain')}</p> : null}
        </div>
      ) : null}
      {m.receiptName && m.status !== 'PAID' ? (
        <p className="mt-2 text-sm text-slate-700">
          <a href={`/contracts/${loaded.contract.id}/payments/receipts/${m.id}`} className="text-sky-700 underline" target="_blank" rel="noreferrer">
            {t('payments.receipt.current', { name: m.receiptName, at: chinaDateTime(m.receiptUploadedAt) })}
          </a>
        </p>
      ) : null}
      {/* A field's error shows beside its field; the card repeats only errors that belong to no field. */}
      <FormError message={error?.fieldErrors && Object.keys(error.fieldErrors).length ? null : error?.formError} />

      {buyerMayPay && (m.status === 'PENDING' || m.status === 'CHECKOUT_OPEN') && loaded.online ? (
        <Form method="post" encType="multipart/form-data" className="mt-3 flex flex-wrap items-center gap-3">
          <input type="hidden" name="intent" value="checkout" />
          <input type="hidden" name="milestoneId" value={m.id} />
          <Button type="submit">{m.status === 'CHECKOUT_OPEN' ? t('payments.resumeOnline') : t('payments.payOnline')}</Button>
          <span className="text-xs text-slate-500">{t('payments.payOnlineHint')}</span>
        </Form>
      ) : null}

      {buyerMayPay && (m.status === 'PENDING' || m.status === 'RECEIPT_UPLOADED') ? (
        <Form method="post" encType="multipart/form-data" className="mt-3 rounded-md border border-slate-200 bg-slate-50 p-3">
          <input type="hidden" name="intent" value="receipt" />
          <input type="hidden" name="milestoneId" value={m.id} />
          <p className="mb-2 text-sm font-medium text-slate-800">{t('payments.bankTransfer')}</p>
          <label htmlFor={inputId} className="block text-sm text-slate-700">
            {t('payments.receipt.label')}
          </label>
          <input
            id={inputId}
            name="receipt"
            type="file"
            required
            accept="image/png,image/jpeg,image/webp,application/pdf,.png,.jpg,.jpeg,.webp,.pdf"
            aria-describedby={`${inputId}-hint`}
            className="mt-1 block text-sm"
          />
          <p id={`${inputId}-hint`} className="mt-1 text-xs text-slate-500">
            {t('payments.receipt.hint', { max: loaded.maxMb })}
          </p>
          <FieldErrors errors={error?.fieldErrors?.receipt} />
          <Button type="submit" variant="secondary" className="mt-2">
            {m.status === 'RECEIPT_UPLOADED' ? t('payments.receipt.replace') : t('payments.receipt.upload')}
          </Button>
        </Form>
      ) : null}

      {loaded.payable && m.status === 'RECEIPT_UPLOADED' && loaded.party === 'BUYER' ? <p className="mt-2 text-sm text-slate-600">{t('payments.waitSeller')}</p> : null}
      {loaded.payable && m.status === 'PENDING' && loaded.party === 'SELLER' ? <p className="mt-2 text-sm text-slate-600">{t('payments.waitBuyer')}</p> : null}

      {sellerMayConfirm ? (
        <>
          <Form method="post" encType="multipart/form-data" className="mt-3 flex flex-wrap items-center gap-3">
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="milestoneId" value={m.id} />
            <input type="hidden" name="receiptAt" value={m.receiptUploadedAt ?? ''} />
            <Button type="submit">{t('payments.confirm')}</Button>
            <span className="text-xs text-slate-500">{t('payments.confirmHint')}</span>
          </Form>
          <RejectReceiptForm milestoneId={m.id} receiptAt={m.receiptUploadedAt} errors={error?.intent === 'reject' ? error.fieldErrors?.reason : undefined} />
        </>
      ) : null}
      <ReceiptHistory history={m.history} />
    </li>
  )
}

/** The seller sends a receipt back with a reason (a disclosure: works without JavaScript). */
function RejectReceiptForm({ milestoneId, receiptAt, errors }: { milestoneId: string; receiptAt: string | null; errors?: string[] }) {
  const t = useT()
  const reasonId = `reject-reason-${milestoneId}`
  return (
    <details className="mt-3 text-sm" open={errors?.length ? true : undefined}>
      <summary className="cursor-pointer text-red-700">{t('payments.reject.open')}</summary>
      <Form method="post" encType="multipart/form-data" className="mt-2 space-y-2 rounded-md border border-red-200 bg-white p-3">
        <input type="hidden" name="intent" value="reject" />
        <input type="hidden" name="milestoneId" value={milestoneId} />
        <input type="hidden" name="receiptAt" value={receiptAt ?? ''} />
        <label htmlFor={reasonId} className="block text-slate-700">
          {t('payments.reject.reason')}
        </label>
        <textarea
          id={reasonId}
          name="reason"
          rows={2}
          maxLength={500}
          required
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={`${reasonId}-hint${errors?.length ? ` ${reasonId}-error` : ''}`}
          className="w-full rounded-md border border-slate-300 px-3 py-2 aria-[invalid]:border-red-600"
        />
        <p id={`${reasonId}-hint`} className="text-xs text-slate-500">
          {t('payments.reject.hint')}
        </p>
        <FieldErrors id={`${reasonId}-error`} errors={errors} />
        <Button type="submit" variant="danger">
          {t('payments.reject.submit')}
        </Button>
      </Form>
    </details>
  )
}

/** Every receipt uploaded for a milestone and every one sent back, as the audit log has them. */
function ReceiptHistory({ history }: { history: MilestoneRow['history'] }) {
  const t = useT()
  if (!history.length) return null
  return (
    <details className="mt-3 text-sm text-slate-600">
      <summary className="cursor-pointer">{t('payments.history.title', { count: history.length })}</summary>
      <ol className="mt-1 list-inside list-decimal space-y-0.5" data-testid="receipt-history">
        {history.map((e, i) => (
          <li key={i}>
            {e.kind === 'upload'
              ? t('payments.history.upload', { at: chinaDateTime(e.at), by: e.by ?? '', name: e.name ?? '' })
              : t('payments.history.reject', { at: chinaDateTime(e.at), by: e.by ?? '', name: e.name ?? '', reason: e.reason ?? '' })}
          </li>
        ))}
      </ol>
    </details>
  )
}

function CommissionSection({ loaded, error }: { loaded: Loaded; error?: ActionData }) {
  const t = useT()
  const { contract: c, commission: k } = loaded
  if (!c.hasBroker) return null
  const basisText =
    k.basis === 'PERCENT' ? `${t('payments.commission.PERCENT')} ${percentText(k.rateBp)}` : k.basis === 'FIXED' ? t('payments.commission.FIXED') : t('payments.commission.none')
  return (
    <section aria-labelledby="commission" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="commission" className="mb-3 text-lg font-semibold text-slate-900">
        {t('payments.commission.title')}
      </h2>
      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        <Fact label={t('payments.commission.basis')}>{basisText}</Fact>
        {k.basis === 'PERCENT' ? (
          <Fact label={t(c.base.registered ? 'payments.commission.baseRegistered' : 'payments.commission.baseDeclared')}>
            <Money fen={c.base.fen} exact />
          </Fact>
        ) : null}
        <Fact label={t('payments.commission.total')}>
          <Money fen={k.total} exact />
        </Fact>
        <Fact label={t('payments.commission.accrued')}>
          <Money fen={k.accrued} exact />
        </Fact>
        <Fact label={t('payments.commission.paid')}>
          <Money fen={k.paid} exact />
        </Fact>
      </dl>
      <p className="mt-2 text-xs text-slate-500">{t('payments.commission.explain')}</p>
      {k.editable ? (
        <Form method="post" encType="multipart/form-data" className="mt-4 space-y-3 border-t border-slate-100 pt-4">
          <input type="hidden" name="intent" value="commission" />
          <FormError message={error?.formError} />
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">{t('payments.commission.basis')}</legend>
            <div className="mt-1 flex flex-wrap gap-4 text-sm">
              {(['PERCENT', 'FIXED', 'NONE'] as const).map((b) => (
                <label key={b} className="inline-flex items-center gap-1">
                  <input type="radio" name="basis" value={b} defaultChecked={(k.basis ?? 'NONE') === b} />
                  {t(BASIS_KEYS[b])}
                </label>
              ))}
            </div>
            <FieldErrors errors={error?.fieldErrors?.basis} />
          </fieldset>
          <div className="flex flex-wrap gap-4">
            <label className="block text-sm">
              {t('payments.commission.rate')}
              <input name="rate" inputMode="decimal" defaultValue={k.rateBp ? (k.rateBp / 100).toString() : ''} className="mt-1 block w-32 rounded-md border border-slate-300 px-2 py-1" />
              <FieldErrors errors={error?.fieldErrors?.rate} />
            </label>
            <label className="block text-sm">
              {t('payments.commission.fixed')}
              <input name="fixed" inputMode="decimal" defaultValue={k.fixedFen ? (k.fixedFen / 100).toFixed(2) : ''} className="mt-1 block w-40 rounded-md border border-slate-300 px-2 py-1" />
              <FieldErrors errors={error?.fieldErrors?.fixed} />
            </label>
          </div>
          <Button type="submit">{t('payments.commission.save')}</Button>
        </Form>
      ) : k.accrued > 0 || loaded.milestones.some((m) => m.status === 'PAID') ? (
        <p className="mt-2 text-sm text-slate-600">{t('payments.commission.locked')}</p>
      ) : null}
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
