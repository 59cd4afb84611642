import { Form, Link, useNavigation } from 'react-router'
import type { ListingAction } from '~/domain/listings/listings.server'
import { useT } from '~/i18n/i18n'
import { Button, FieldErrors, FormError } from '~/ui/form'

export const ACTION_KEYS: Record<ListingAction, string> = {
  submit: 'listings.action.submit',
  withdraw: 'listings.action.withdraw',
  approve: 'listings.action.approve',
  reject: 'listings.action.reject',
  archive: 'listings.action.archive',
  restore: 'listings.action.restore',
  refresh: 'listings.action.refresh',
}

const VARIANT: Record<ListingAction, 'primary' | 'secondary' | 'danger'> = {
  submit: 'primary',
  approve: 'primary',
  withdraw: 'secondary',
  restore: 'secondary',
  refresh: 'secondary',
  archive: 'secondary',
  reject: 'danger',
}

export interface ActionError {
  intent?: string
  formError?: string | null
  fieldErrors?: Record<string, string[]>
}

/**
 * One small POST form per allowed action, each naming its `intent`; sending back needs a reason.
 * The server decides what is allowed (getListing's `actions`); this only shows it.
 */
export function ListingActions({
  actions,
  editHref,
  error,
  publishesDirectly,
}: {
  actions: ListingAction[]
  editHref: string | null
  error?: ActionError | null
  publishesDirectly?: boolean
}) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  if (!actions.length && !editHref) return null
  const simple = actions.filter((a) => a !== 'reject')
  return (
    <section aria-labelledby="actions-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="actions-heading" className="mb-3 text-sm font-semibold text-slate-900">
        {t('listings.detail.actions')}
      </h2>
      <FormError message={error?.formError} />
      <div className="flex flex-wrap gap-2">
        {editHref ? (
          <Link to={editHref} className="inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50">
            {t('listings.action.edit')}
          </Link>
        ) : null}
        {simple.map((action) => (
          <Form method="post" key={action}>
            <Button type="submit" name="intent" value={action} variant={VARIANT[action]} disabled={busy}>
              {t(action === 'submit' && publishesDirectly ? 'listings.action.publish' : ACTION_KEYS[action])}
            </Button>
          </Form>
        ))}
      </div>
      {actions.includes('reject') ? <RejectForm errors={error?.intent === 'reject' ? error.fieldErrors?.reason : undefined} busy={busy} /> : null}
    </section>
  )
}

export function RejectForm({ errors, busy, id = 'reject-reason', hidden }: { errors?: string[]; busy: boolean; id?: string; hidden?: Record<string, string> }) {
  const t = useT()
  const errorId = errors?.length ? `${id}-error` : undefined
  return (
    <Form method="post" className="mt-4 border-t border-slate-100 pt-4">
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {t('listings.action.rejectReason')}
      </label>
      <textarea
        id={id}
        name="reason"
        rows={3}
        maxLength={1000}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200 aria-[invalid]:border-red-600"
      />
      <FieldErrors id={errorId} errors={errors} />
      <Button type="submit" name="intent" value="reject" variant="danger" className="mt-2" disabled={busy}>
        {t('listings.action.rejectConfirm')}
      </Button>
    </Form>
  )
}
