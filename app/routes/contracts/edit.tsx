import { parseWithZod } from '@conform-to/zod/v4'
import { data, Link, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/edit'
import { getContract, updateTerms } from '~/domain/contracts/contracts.server'
import { ContractTermsSchema, formToTerms } from '~/domain/contracts/schemas'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { ContractForm, withBlankRows } from '~/ui/contracts/contract-form'
import { percentText } from '~/ui/contracts/labels'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { dayInputValue, fenToYuanInput } from '~/ui/listings/format'
import { asResponse, contractId, redirectWithFlash, replyWithAppError } from './helpers.server'

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const number = (data as { number?: string } | undefined)?.number
  return [{ title: `${t('contract.edit.title')}${number ? ` ${number}` : ''} · ${t('app.name')}` }]
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
  const { contract: c, current, confirmedBy, actions } = found
  if (!actions.includes('edit')) throw await redirectWithFlash(`/contracts/${id}`, { key: 'err.contract.notEditableHere', kind: 'error' })
  return {
    id,
    number: c.number,
    version: current.version,
    confirmed: confirmedBy.length,
    seller: c.sellerOrg.name,
    buyer: c.buyerOrg.name,
    defaultValue: withBlankRows({
      title: c.title,
      type: c.type,
      subtype: c.subtype,
      exclusivity: c.exclusivity ?? '',
      field: c.field ?? '',
      industry: c.industry ?? '',
      ipType: c.ipType ?? '',
      ipNumbers: c.ipNumbers.join('; '),
      amount: fenToYuanInput(Number(c.amountFen)),
      techAmount: fenToYuanInput(Number(c.techAmountFen)),
      paymentMethod: c.paymentMethod,
      royaltyRate: percentText(c.royaltyRateBp).replace('%', ''),
      entryFee: fenToYuanInput(c.entryFeeFen === null ? null : Number(c.entryFeeFen)),
      termStart: dayInputValue(c.termStart),
      termEnd: dayInputValue(c.termEnd),
      milestones: c.milestones.map((m) => ({ title: m.title, dueDate: dayInputValue(m.dueDate), amount: fenToYuanInput(Number(m.amountFen)) })),
      termsText: current.termsText,
    }),
  }
}

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args)
  const id = contractId(args.params.id)
  const submission = parseWithZod(await request.formData(), { schema: ContractTermsSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: submission.status === 'error' ? 400 : 200 })
  let result
  try {
    result = await updateTerms({ actor: user, id, input: formToTerms(submission.value), ip: context.get(clientIpContext) })
  } catch (error) {
    const { result, status } = replyWithAppError(request, submission, error)
    return data({ result }, { status })
  }
  const { contract, changed } = result
  return redirectWithFlash(`/contracts/${id}`, {
    key: changed ? 'contract.done.updated' : 'contract.done.unchanged',
    params: { number: contract.number, version: contract.currentVersion },
  })
}

export default function EditContract() {
  const t = useT()
  const { id, number, version, confirmed, seller, buyer, defaultValue } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-4xl">
      <Link to={`/contracts/${id}`} className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {number}
      </Link>
      <h1 className="mt-3 mb-2 text-2xl font-semibold">{t('contract.edit.title')}</h1>
      <p className="mb-6 text-sm text-slate-600">{t('contract.edit.lead', { version, next: version + 1 })}</p>
      {confirmed ? (
        <p role="note" className="mb-6 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {t('contract.edit.voidsConfirmations', { count: confirmed })}
        </p>
      ) : null}
      <ContractForm
        mode="edit"
        lastResult={actionData?.result}
        defaultValue={defaultValue}
        partiesText={
          <dl className="grid gap-2 sm:grid-cols-2">
            <div>
              <dt className="text-xs text-slate-500">{t('contract.party.SELLER')}</dt>
              <dd className="font-medium">{seller}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">{t('contract.party.BUYER')}</dt>
              <dd className="font-medium">{buyer}</dd>
            </div>
          </dl>
        }
        cancelTo={`/contracts/${id}`}
      />
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
