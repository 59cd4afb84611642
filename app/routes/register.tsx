import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { useEffect, useState } from 'react'
import { data, Form, Link, redirect, useActionData, useLoaderData, useNavigation, useSearchParams } from 'react-router'
import type { Route } from './+types/register'
import { isAppError } from '~/domain/errors'
import { CHONGQING, HOME_DISTRICT } from '~/domain/orgs/regions'
import { listDistricts, listProvinces } from '~/domain/orgs/regions.server'
import { registerAccount } from '~/domain/users/accounts.server'
import { SELF_REGISTERED_ORG_KINDS } from '~/domain/users/permissions'
import { RegisterSchema } from '~/domain/users/schemas'
import { translator, useT, type Locale } from '~/i18n/i18n'
import { getUser, startUserSession } from '~/infra/http/auth.server'
import { clientIpContext } from '~/infra/http/context'
import { Button, Field, FormError, SelectField } from '~/ui/form'
import { GeneralErrorBoundary } from '~/ui/error-page'

type Districts = ReturnType<typeof listDistricts>

export function meta({ matches }: Route.MetaArgs) {
  const t = translator(((matches[0]?.data as { locale?: Locale } | undefined)?.locale) ?? 'zh-CN')
  return [{ title: `${t('register.title')} · ${t('app.name')}` }]
}

export function loader({ context }: Route.LoaderArgs) {
  if (getUser(context)) throw redirect('/')
  return { provinces: listProvinces(), districts: listDistricts(CHONGQING) }
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await request.formData()
  // Without JavaScript, choosing a province posts the form back to refresh the district list.
  if (formData.get('intent') === 'pick-province') {
    const province = String(formData.get('province') ?? '')
    const values = Object.fromEntries([...formData].filter(([k, v]) => typeof v === 'string' && k !== 'password' && k !== 'intent')) as Record<string, string>
    return data({ result: undefined, values, province, districts: /^\d{2}$/.test(province) ? listDistricts(province) : null }, { status: 200 })
  }
  const submission = parseWithZod(formData, { schema: RegisterSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  }
  try {
    const user = await registerAccount({ input: submission.value, ip: context.get(clientIpContext) })
    return await startUserSession(user, { request, context, redirectTo: '/' })
  } catch (error) {
    if (!isAppError(error)) throw error
    return data(
      { result: submission.reply({ formErrors: [error.message], fieldErrors: mapFields(error.fields), hideFields: ['password'] }) },
      { status: error.status === 409 ? 400 : error.status },
    )
  }
}

const mapFields = (fields?: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields ?? {}).map(([k, v]) => [k, [v]]))

export default function Register() {
  const t = useT()
  const { provinces, districts: initialDistricts } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const mode = params.get('mode') === 'join' ? 'join' : 'create'
  const busy = useNavigation().state === 'submitting'

  const lastResult = actionData && 'result' in actionData ? actionData.result : undefined
  const picked = actionData && 'province' in actionData ? actionData : null
  const [form, fields] = useForm({
    lastResult,
    defaultValue: picked?.values ?? { mode, regionCode: HOME_DISTRICT },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RegisterSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const f = fields as unknown as Record<string, typeof fields.name>

  const [province, setProvince] = useState(picked?.province ?? String(f.regionCode?.initialValue ?? HOME_DISTRICT).slice(0, 2))
  const [districts, setDistricts] = useState<Districts>(picked?.districts ?? initialDistricts)
  useEffect(() => {
    if (picked?.districts) setDistricts(picked.districts)
  }, [picked])
  async function chooseProvince(code: string) {
    setProvince(code)
    const response = await fetch(`/resources/regions?province=${code}`)
    if (response.ok) setDistricts(((await response.json()) as { districts: Districts }).districts)
  }

  return (
    <div className="mx-auto max-w-xl">
      <h1 className="mb-4 text-2xl font-semibold">{t('register.title')}</h1>
      <div className="mb-6 flex gap-2" role="tablist">
        {(['create', 'join'] as const).map((m) => (
          <Link
            key={m}
            to={m === 'join' ? '?mode=join' : '?'}
            role="tab"
            aria-selected={mode === m}
            className={`rounded-md px-3 py-2 text-sm ${mode === m ? 'bg-sky-700 text-white' : 'border border-slate-300 bg-white text-slate-700'}`}
          >
            {t(m === 'create' ? 'register.modeCreate' : 'register.modeJoin')}
          </Link>
        ))}
      </div>
      <Form method="post" {...getFormProps(form)} className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <FormError message={form.errors?.[0]} />
        <input type="hidden" name="mode" value={mode} />
        <fieldset>
          <legend className="mb-3 text-lg font-medium">{t('register.person')}</legend>
          <Field label={t('register.name')} errors={f.name.errors} inputProps={{ ...getInputProps(f.name, { type: 'text' }), autoComplete: 'name', maxLength: 100 }} />
          <Field label={t('register.email')} errors={f.email.errors} inputProps={{ ...getInputProps(f.email, { type: 'email' }), autoComplete: 'email' }} />
          <Field label={t('register.phone')} errors={f.phone.errors} inputProps={{ ...getInputProps(f.phone, { type: 'tel' }), autoComplete: 'tel' }} />
          <Field label={t('register.password')} errors={f.password.errors} inputProps={{ ...getInputProps(f.password, { type: 'password' }), autoComplete: 'new-password' }} />
        </fieldset>
        <fieldset className="mt-4 border-t border-slate-200 pt-4">
          <legend className="mb-3 text-lg font-medium">{t('register.org')}</legend>
          {mode === 'join' ? (
            <Field
              label={t('register.invitationCode')}
              hint={t('register.invitationHint')}
              errors={f.invitationCode.errors}
              inputProps={{ ...getInputProps(f.invitationCode, { type: 'text' }), autoComplete: 'off' }}
            />
          ) : (
            <>
              <p className="mb-4 text-sm text-slate-600">{t('register.roleNote')}</p>
              <SelectField label={t('register.orgKind')} errors={f.orgKind.errors} selectProps={getSelectProps(f.orgKind)}>
                <option value="">{t('common.choose')}</option>
                {SELF_REGISTERED_ORG_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`orgKind.${k}`)}
                  </option>
                ))}
              </SelectField>
              <Field label={t('register.orgName')} errors={f.orgName.errors} inputProps={{ ...getInputProps(f.orgName, { type: 'text' }), autoComplete: 'organization', maxLength: 200 }} />
              <Field
                label={t('register.creditCode')}
                hint={t('register.creditCodeHint')}
                errors={f.creditCode.errors}
                inputProps={{ ...getInputProps(f.creditCode, { type: 'text' }), autoComplete: 'off', maxLength: 18, className: 'uppercase' }}
              />
              <div className="grid gap-x-4 sm:grid-cols-2">
                <div>
                  <SelectField
                    label={t('register.province')}
                    selectProps={{ id: 'province', name: 'province', value: province, onChange: (e) => void chooseProvince(e.currentTarget.value) }}
                  >
                    {provinces.map((p) => (
                      <option key={p.code} value={p.code}>
                        {p.name}
                      </option>
                    ))}
                  </SelectField>
                  <noscript>
                    <button type="submit" name="intent" value="pick-province" formNoValidate className="-mt-2 mb-4 text-sm text-sky-700 underline">
                      {t('register.pickProvince')}
                    </button>
                  </noscript>
                </div>
                <SelectField label={t('register.region')} errors={f.regionCode.errors} selectProps={getSelectProps(f.regionCode)}>
                  <option value="">{t('common.choose')}</option>
                  {districts.map((group) => (
                    <optgroup key={group.city} label={group.city}>
                      {group.areas.map((a) => (
                        <option key={a.code} value={a.code}>
                          {a.name}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </SelectField>
              </div>
            </>
          )}
        </fieldset>
        <Button type="submit" className="mt-2 w-full" disabled={busy}>
          {t('register.submit')}
        </Button>
      </Form>
      <p className="mt-4 text-center text-sm text-slate-600">
        {t('register.haveAccount')}{' '}
        <Link to="/login" className="text-sky-700 underline">
          {t('nav.login')}
        </Link>
      </p>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
