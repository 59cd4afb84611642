import { getFormProps, type FormMetadata } from '@conform-to/react'
import type { ReactNode } from 'react'
import { Form, Link, useNavigation } from 'react-router'
import type { ListingStatus } from '~/generated/prisma/enums'
import { useT } from '~/i18n/i18n'
import { Button, FormError } from '~/ui/form'

export interface ListingFormContext {
  /** `new` creates; `edit` changes an existing listing in `status`. */
  mode: 'new' | 'edit'
  status?: ListingStatus
  /** Where 取消 goes. */
  cancelTo: string
  /** Unverified organisations may save drafts but not submit. */
  orgVerified: boolean
  /** The bureau's own scenarios are published on submission, without review. */
  publishesDirectly?: boolean
  /**
   * Only a save button, with this text (a message key): a broker recording a demand for an
   * enterprise saves it for the enterprise to confirm, and never submits it.
   */
  saveOnlyLabel?: string
}

/**
 * The frame every listing form shares: the <Form> (which posts without JavaScript too), the
 * form-level error, notes about what saving does, and the intent buttons.
 */
export function ListingFormShell({
  form,
  context,
  children,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  form: FormMetadata<any, string[]>
  context: ListingFormContext
  children: ReactNode
}) {
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  const { mode, status, orgVerified, publishesDirectly } = context
  const canSubmit = !context.saveOnlyLabel && (mode === 'new' || status === 'DRAFT' || status === 'REJECTED')
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <FormError message={form.errors?.[0] ?? (form.status === 'error' && !form.valid ? 'err.invalidForm' : null)} />
      {!orgVerified ? <Note>{t('listings.form.unverifiedNote')}</Note> : null}
      {status === 'PUBLISHED' ? <Note>{t('listings.form.publishedNote')}</Note> : null}
      {status === 'PENDING_REVIEW' ? <Note>{t('listings.form.pendingNote')}</Note> : null}
      {children}
      <div className="sticky bottom-0 -mx-4 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:static sm:mx-0 sm:border-0 sm:bg-transparent sm:px-0 sm:py-0">
        <Button type="submit" name="intent" value={mode === 'new' ? 'draft' : 'save'} variant={canSubmit ? 'secondary' : 'primary'} disabled={busy}>
          {t(context.saveOnlyLabel ?? (mode === 'new' ? 'listings.form.saveDraft' : 'listings.form.save'))}
        </Button>
        {canSubmit ? (
          <Button type="submit" name="intent" value="submit" disabled={busy || !orgVerified}>
            {t(publishesDirectly ? 'listings.form.publish' : 'listings.form.submit')}
          </Button>
        ) : null}
        <Link to={context.cancelTo} className="ml-auto text-sm text-slate-600 underline hover:text-sky-800">
          {t('listings.form.cancel')}
        </Link>
      </div>
    </Form>
  )
}

function Note({ children }: { children: ReactNode }) {
  return <p className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">{children}</p>
}
