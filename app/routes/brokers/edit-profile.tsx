import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/edit-profile'
import { getOwnProfile, saveProfile } from '~/domain/brokers/profiles.server'
import { BIO_MAX, BROKER_GRADES, BrokerProfileSchema, CERTIFICATE_MAX, REGION_CODE, type BrokerProfileInput } from '~/domain/brokers/schemas'
import { CHONGQING } from '~/domain/orgs/regions'
import { isValidRegionCode, listDistricts, listProvinces, regionName } from '~/domain/orgs/regions.server'
import { translator, useLocale, useT, type Locale } from '~/i18n/i18n'
import { requireUser } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { GRADE_KEYS, StateBadge } from '~/ui/brokers/labels'
import { RegionPicker, type Region } from '~/ui/brokers/region-picker'
import { GeneralErrorBoundary } from '~/ui/error-page'
import { Button, FieldErrors, FormError } from '~/ui/form'
import { formatDate } from '~/ui/listings/format'
import { CheckboxGroup, Section, type FormValues } from '~/ui/listings/form-fields'
import { FIELD_KEYS, INDUSTRY_KEYS, optionsOf, VerifiedMark } from '~/ui/listings/labels'
import { redirectWithFlash, replyWithAppError } from '../listings/helpers.server'

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('brokers.profile.title')} · ${t('app.name')}` }]
}

const named = (codes: string[]): Region[] => codes.filter(isValidRegionCode).map((code) => ({ code, name: regionName(code) ?? code }))

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, 'broker:profile')
  const { profile, state, refusal } = await getOwnProfile({ actor: user })
  return {
    agency: user.org ? { name: user.org.name, verified: user.org.verified } : null,
    profile: profile
      ? {
          grade: profile.grade,
          certificateNo: profile.certificateNo ?? '',
          fields: profile.fields,
          industries: profile.industries,
          bio: profile.bio,
          listed: profile.listed ? 'on' : '',
          verifiedAt: profile.verifiedAt,
        }
      : null,
    userId: user.id,
    regions: named(profile?.regionCodes ?? []),
    state,
    refusal,
    provinces: listProvinces(),
    province: CHONGQING,
    districts: listDistricts(CHONGQING),
  }
}

/** The form's own values, to show it again as it was sent (no-JavaScript region picking). */
function formValues(formData: FormData) {
  const text = (name: string) => {
    const v = formData.get(name)
    return typeof v === 'string' ? v : ''
  }
  const all = (name: string) => formData.getAll(name).filter((v): v is string => typeof v === 'string')
  return { grade: text('grade'), certificateNo: text('certificateNo'), bio: text('bio'), listed: text('listed'), fields: all('fields'), industries: all('industries') }
}

export async function action(args: Route.ActionArgs) {
  const { request, context } = args
  const user = requireUser(args, 'broker:profile')
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent === 'add-region' || intent === 'pick-province') {
    const province = String(formData.get('pickProvince') ?? '')
    const valid = /^\d{2}$/.test(province) && isValidRegionCode(`${province}0000`)
    const codes = formData.getAll('regionCodes').filter((v): v is string => typeof v === 'string' && REGION_CODE.test(v))
    if (intent === 'add-region' && valid) {
      const pick = String(formData.get('pickRegion') ?? '')
      const code = pick && pick.startsWith(province) && isValidRegionCode(pick) ? pick : `${province}0000`
      if (!codes.includes(code)) codes.push(code)
    }
    const shown = valid ? province : CHONGQING
    return data({ picked: { values: formValues(formData), regions: named(codes), province: shown, districts: listDistricts(shown) } }, { status: 200 })
  }
  const submission = parseWithZod(formData, { schema: BrokerProfileSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  let saved
  try {
    saved = await saveProfile({ actor: user, input: submission.value, ip: context.get(clientIpContext) })
  } catch (error) {
    const { result, status } = replyWithAppError(request, submission, error)
    return data({ result }, { status })
  }
  const key = saved.created ? 'brokers.profile.created' : saved.requeued ? 'brokers.profile.requeued' : 'brokers.profile.saved'
  return redirectWithFlash('/my/broker-profile', { key })
}

const control =
  'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200 aria-[invalid]:border-red-600'

export default function EditBrokerProfile() {
  const t = useT()
  const locale = useLocale()
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const picked = actionData && 'picked' in actionData ? actionData.picked : null
  const lastResult = actionData && 'result' in actionData ? actionData.result : undefined
  const { agency, profile, state, refusal, userId } = loaded
  const [form, fields] = useForm<FormValues<keyof BrokerProfileInput>, BrokerProfileInput>({
    id: 'broker-profile',
    lastResult,
    defaultValue: picked?.values ?? profile ?? { listed: 'on' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: BrokerProfileSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const regions = picked?.regions ?? loaded.regions
  const province = picked?.province ?? loaded.province
  const districts = picked?.districts ?? loaded.districts
  return (
    <div className="mx-auto max-w-3xl">
      <div className="mb-6 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{t('brokers.profile.title')}</h1>
        {state ? <StateBadge state={state} /> : null}
        {state === 'verified' ? (
          <Link to={`/brokers/${userId}`} className="ml-auto text-sm text-sky-700 underline hover:text-sky-900">
            {t('brokers.profile.viewPublic')}
          </Link>
        ) : null}
      </div>
      <StatusNote state={state} refusal={refusal} verifiedAt={profile?.verifiedAt ?? null} locale={locale} />
      <Form method="post" {...getFormProps(form)} className="space-y-6">
        <FormError message={form.errors?.[0] ?? (form.status === 'error' && !form.valid ? 'err.invalidForm' : null)} />
        <Section title={t('brokers.profile.credentials')} aside={state === 'verified' ? t('brokers.profile.reverifyNote') : undefined}>
          <div className="mb-4">
            <label htmlFor={fields.grade.id} className="mb-1 block text-sm font-medium text-slate-700">
              {t('brokers.profile.grade')}
            </label>
            <select {...getSelectProps(fields.grade)} key={fields.grade.key} className={control}>
              <option value="">{t('common.choose')}</option>
              {BROKER_GRADES.map((g) => (
                <option key={g} value={g}>
                  {t(GRADE_KEYS[g])}
                </option>
              ))}
            </select>
            <FieldErrors id={fields.grade.errorId} errors={fields.grade.errors} />
          </div>
          <div className="mb-4">
            <label htmlFor={fields.certificateNo.id} className="mb-1 block text-sm font-medium text-slate-700">
              {t('brokers.profile.certificateNo')}
              <span className="ml-2 text-xs font-normal text-slate-500">{t('listings.form.optional')}</span>
            </label>
            <input {...getInputProps(fields.certificateNo, { type: 'text' })} key={fields.certificateNo.key} maxLength={CERTIFICATE_MAX} autoComplete="off" className={`${control} uppercase`} />
            <p className="mt-1 text-xs text-slate-500">{t('brokers.profile.certificateHint')}</p>
            <FieldErrors id={fields.certificateNo.errorId} errors={fields.certificateNo.errors} />
          </div>
          <div className="mb-4 sm:col-span-2">
            <p className="mb-1 text-sm font-medium text-slate-700">{t('brokers.profile.agency')}</p>
            <p className="text-slate-900" data-testid="agency">
              {agency ? agency.name : '—'}
              {agency?.verified ? <VerifiedMark title={t('listings.verifiedOrg')} /> : null}
            </p>
            {agency && !agency.verified ? <p className="mt-1 text-xs text-amber-800">{t('brokers.profile.agencyUnverified')}</p> : null}
          </div>
        </Section>
        <Section title={t('brokers.profile.specialties')} aside={t('brokers.profile.specialtiesHint')}>
          <CheckboxGroup field={fields.fields} label={t('brokers.profile.fields')} options={optionsOf(FIELD_KEYS, t)} />
          <CheckboxGroup field={fields.industries} label={t('brokers.profile.industries')} options={optionsOf(INDUSTRY_KEYS, t)} />
          <RegionPicker
            key={regions.map((r) => r.code).join(',') + province}
            chosen={regions}
            provinces={loaded.provinces}
            province={province}
            districts={districts}
            errors={[...new Set(Object.values(fields.regionCodes.allErrors).flat())]}
          />
        </Section>
        <Section title={t('brokers.profile.about')}>
          <div className="mb-4 sm:col-span-2">
            <label htmlFor={fields.bio.id} className="mb-1 block text-sm font-medium text-slate-700">
              {t('brokers.profile.bio')}
              <span className="ml-2 text-xs font-normal text-slate-500">{t('listings.form.optional')}</span>
            </label>
            <textarea {...getTextareaProps(fields.bio)} key={fields.bio.key} rows={6} maxLength={BIO_MAX} className={control} />
            <p className="mt-1 text-xs text-slate-500">{t('brokers.profile.bioHint', { max: BIO_MAX })}</p>
            <FieldErrors id={fields.bio.errorId} errors={fields.bio.errors} />
          </div>
          <div className="mb-2 sm:col-span-2">
            <label className="flex items-start gap-3 text-sm font-medium text-slate-800">
              <input {...getInputProps(fields.listed, { type: 'checkbox' })} key={fields.listed.key} className="mt-0.5 h-4 w-4 accent-sky-700" />
              <span>{t('brokers.profile.listed')}</span>
            </label>
            <p className="mt-1 pl-7 text-xs text-slate-500">{t('brokers.profile.listedHint')}</p>
          </div>
        </Section>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" name="intent" value="save" disabled={busy}>
            {t(profile ? 'brokers.profile.save' : 'brokers.profile.create')}
          </Button>
          <Link to="/brokers" className="ml-auto text-sm text-slate-600 underline hover:text-sky-800">
            {t('brokers.directory.title')}
          </Link>
        </div>
      </Form>
    </div>
  )
}

function StatusNote({
  state,
  refusal,
  verifiedAt,
  locale,
}: {
  state: 'pending' | 'verified' | 'refused' | null
  refusal: { reason: string; at: Date } | null
  verifiedAt: Date | null
  locale: string
}) {
  const t = useT()
  const box = 'mb-6 rounded-md border px-4 py-3 text-sm'
  if (!state) return <p className={`${box} border-sky-200 bg-sky-50 text-sky-900`}>{t('brokers.profile.noneNote')}</p>
  if (state === 'pending') return <p className={`${box} border-amber-200 bg-amber-50 text-amber-900`}>{t('brokers.profile.pendingNote')}</p>
  if (state === 'verified') {
    return <p className={`${box} border-emerald-200 bg-emerald-50 text-emerald-900`}>{t('brokers.profile.verifiedNote', { date: formatDate(verifiedAt, locale) })}</p>
  }
  return (
    <div className={`${box} border-red-200 bg-red-50 text-red-900`} data-testid="refusal">
      <p>{t('brokers.profile.refusedNote')}</p>
      {refusal ? (
        <p className="mt-2 whitespace-pre-line">
          <span className="font-medium">{t('brokers.profile.refusalReason')}</span> {refusal.reason}
        </p>
      ) : null}
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
