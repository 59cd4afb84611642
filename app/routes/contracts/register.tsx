import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/register'
import { rulesInForce } from '~/domain/contracts/classification'
import { refuseRegistration, registerContract, registrationCase, suggestRegistrationNumber } from '~/domain/contracts/contracts.server'
import { ReasonSchema, RegisterSchema } from '~/domain/contracts/schemas'
import { todayInChina } from '~/domain/listings/schemas'
import { regionName } from '~/domain/orgs/regions.server'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { Checklist } from '~/ui/contracts/checklist'
import { SubtypeSelect } from '~/ui/contracts/contract-form'
import { CONTRACT_TYPE_KEYS, ContractStatusBadge, Money, RULES_KEYS } from '~/ui/contracts/labels'
import { MilestoneTable, TermsFacts } from '~/ui/contracts/terms-view'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { Section, SelectField, TextField } from '~/ui/listings/form-fields'
import { fenToYuanInput } from '~/ui/listings/format'
import { optionsOf } from '~/ui/listings/labels'
import { asAppError, asResponse, contractId, errorKey, redirectWithFlash, replyWithAppError, termsView } from './helpers.server'

export function meta({ data, matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  const number = (data as { contract?: { number: string } } | undefined)?.contract?.number
  return [{ title: `${t('registration.form.title')}${number ? ` ${number}` : ''} · ${t('app.name')}` }]
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'contract:register')
  const id = contractId(args.params.id)
  let found
  try {
    found = await registrationCase({ actor: user, id })
  } catch (error) {
    throw asResponse(error)
  }
  const { contract: c, checklist } = found
  const today = todayInChina()
  return {
    contract: {
      id: c.id,
      number: c.number,
      title: c.title,
      status: c.status,
      seller: `${c.sellerOrg.name}（${regionName(c.sellerOrg.regionCode) ?? c.sellerOrg.regionCode}）`,
      buyer: `${c.buyerOrg.name}（${regionName(c.buyerOrg.regionCode) ?? c.buyerOrg.regionCode}）`,
      terms: termsView(c),
      milestones: c.milestones.map((m) => ({ seq: m.seq, title: m.title, dueDate: m.dueDate, amountFen: Number(m.amountFen) })),
    },
    checklist,
    defaultValue: {
      registrationNumber: await suggestRegistrationNumber(),
      registeredAt: today,
      rules: rulesInForce(new Date(`${today}T00:00:00Z`)),
      registeredTechAmount: fenToYuanInput(Number(c.techAmountFen)),
      registeredType: c.type,
      registeredSubtype: c.subtype,
    },
  }
}

interface RefuseError {
  refuse: true
  formError?: string
  fieldErrors?: Record<string, string[]>
}

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args, 'contract:register')
  const id = contractId(args.params.id)
  const formData = await request.formData()
  const ip = context.get(clientIpContext)
  if (formData.get('intent') === 'refuse') {
    const parsed = ReasonSchema.safeParse({ reason: formData.get('reason') ?? '' })
    if (!parsed.success) {
      const messages = parsed.error.issues.map((i) => (i.message === 'err.required' ? 'err.contract.reasonRequired' : i.message))
      return data<RefuseError>({ refuse: true, fieldErrors: { reason: messages } }, { status: 400 })
    }
    try {
      const c = await refuseRegistration({ actor: user, id, reason: parsed.data.reason, ip })
      return await redirectWithFlash('/registration', { key: 'registration.done.refused', params: { number: c.number } })
    } catch (error) {
      const e = asAppError(error)
      const fieldErrors = Object.fromEntries(Object.entries(e.fields ?? {}).map(([k, v]) => [k, [v]]))
      return data<RefuseError>({ refuse: true, formError: errorKey(e, request), fieldErrors }, { status: e.status })
    }
  }
  const submission = parseWithZod(formData, { schema: RegisterSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const v = submission.value
  try {
    const c = await registerContract({
      actor: user,
      id,
      input: {
        registrationNumber: v.registrationNumber,
        registeredAt: v.registeredAt,
        rules: v.rules,
        registeredTechAmountFen: v.registeredTechAmount,
        registeredType: v.registeredType,
        registeredSubtype: v.registeredSubtype,
      },
      ip,
    })
    return await redirectWithFlash('/registration', { key: 'registration.done.registered', params: { number: c.number, registrationNumber: c.registrationNumber ?? '' } })
  } catch (error) {
    const { result, status } = replyWithAppError(request, submission, error)
    return data({ result }, { status })
  }
}

export default function RegisterContract() {
  const t = useT()
  const { contract: c, checklist, defaultValue } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { result?: SubmissionResult<string[]> } | RefuseError | undefined
  const refuse = actionData && 'refuse' in actionData ? actionData : null
  const result = actionData && 'result' in actionData ? actionData.result : undefined
  const open = c.status === 'REGISTRATION_SUBMITTED'
  return (
    <div className="mx-auto max-w-5xl">
      <Link to="/registration" className="text-sm text-sky-700 underline hover:text-sky-900">
        ← {t('registration.queue.title')}
      </Link>
      <div className="mt-3 mb-6">
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-500">
          <span className="font-mono">{c.number}</span>
          <ContractStatusBadge status={c.status} />
        </p>
        <h1 className="mt-1 text-2xl font-semibold">{t('registration.form.title')}</h1>
        <p className="mt-1 text-slate-700">
          <Link to={`/contracts/${c.id}`} className="text-sky-800 underline">
            {c.title}
          </Link>
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm sm:p-6">
            <h2 className="mb-3 text-base font-semibold">{t('registration.form.declared')}</h2>
            <p className="mb-3 text-slate-700">
              {t('contract.party.SELLER')}：{c.seller}
              <br />
              {t('contract.party.BUYER')}：{c.buyer}
            </p>
            <TermsFacts terms={c.terms} />
            <div className="mt-4">
              <MilestoneTable milestones={c.milestones} />
            </div>
          </section>
          {open ? <RegisterForm lastResult={result} defaultValue={defaultValue} amountFen={c.terms.amountFen} /> : (
            <p className="rounded-md border border-slate-200 bg-white p-4 text-sm text-slate-700">{t('registration.form.decided')}</p>
          )}
        </div>
        <aside className="space-y-4">
          <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <h2 className="mb-2 text-sm font-semibold">{t('registration.checklist')}</h2>
            <Checklist items={checklist} />
            <p className="mt-3 text-xs text-slate-500">{t('registration.checklistHint')}</p>
          </section>
          {open ? <RefuseForm error={refuse} /> : null}
        </aside>
      </div>
    </div>
  )
}

function RegisterForm({ lastResult, defaultValue, amountFen }: { lastResult?: SubmissionResult<string[]>; defaultValue: Record<string, string>; amountFen: number }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useForm({
    id: 'register',
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RegisterSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <FormError message={form.errors?.[0] ?? (form.status === 'error' && !form.valid ? 'err.invalidForm' : null)} />
      <Section title={t('registration.form.decision')} aside={t('registration.form.decisionHint')}>
        <TextField field={fields.registrationNumber} label={t('contract.label.registrationNumber')} maxLength={64} />
        <TextField field={fields.registeredAt} label={t('contract.label.registeredAt')} type="date" />
        <SelectField field={fields.rules} label={t('contract.label.rules')} options={optionsOf(RULES_KEYS, t)} placeholder={t('common.choose')} wide />
        <SelectField field={fields.registeredType} label={t('contract.label.registeredType')} options={optionsOf(CONTRACT_TYPE_KEYS, t)} placeholder={t('common.choose')} />
        <SubtypeSelect field={fields.registeredSubtype} label={t('contract.label.registeredSubtype')} placeholder={t('common.choose')} />
        <TextField
          field={fields.registeredTechAmount}
          label={t('contract.label.registeredTechAmountYuan')}
          hint={<>{t('registration.form.techAmountHint')} <Money fen={amountFen} exact /></>}
          inputMode="decimal"
          wide
        />
      </Section>
      <Button type="submit" name="intent" value="register" disabled={busy}>
        {t('registration.form.register')}
      </Button>
    </Form>
  )
}

function RefuseForm({ error }: { error: RefuseError | null }) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const errors = error?.fieldErrors?.reason
  return (
    <Form method="post" className="space-y-2 rounded-lg border border-red-200 bg-white p-4 shadow-sm">
      <h2 className="text-sm font-semibold text-red-800">{t('registration.form.refuse')}</h2>
      <p className="text-xs text-slate-500">{t('registration.form.refuseHint')}</p>
      <FormError message={error?.formError} />
      <input type="hidden" name="intent" value="refuse" />
      <label htmlFor="refuse-reason" className="block text-sm text-slate-700">
        {t('contract.label.refuseReason')}
      </label>
      <textarea
        id="refuse-reason"
        name="reason"
        rows={3}
        maxLength={1000}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? 'refuse-reason-error' : undefined}
        className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid]:border-red-600"
      />
      <FieldErrors id="refuse-reason-error" errors={errors} />
      <Button type="submit" variant="danger" disabled={busy} className="w-full">
        {t('registration.form.refuseButton')}
      </Button>
    </Form>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
