import { useMutation } from 'urql'
import { ConfirmDialog } from '../components/dialogs'
import { graphql } from '../gql'
import { errorText } from '../lib/errors'

export const DeleteWebhookMutation = graphql(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id)
  }
`)

/** DeleteWebhookDialog confirms and deletes a webhook (its waiting calls are canceled). */
export function DeleteWebhookDialog({
  webhook,
  onClose,
  onDeleted,
}: {
  webhook: { id: string; name: string } | null
  onClose: () => void
  onDeleted?: (id: string) => void
}) {
  const [res, del] = useMutation(DeleteWebhookMutation)
  return (
    <ConfirmDialog
      open={webhook !== null}
      title="Delete webhook?"
      confirmLabel="Delete webhook"
      busy={res.fetching}
      error={res.error ? errorText(res.error) : undefined}
      onCancel={onClose}
      onConfirm={async () => {
        if (!webhook) return
        const r = await del({ id: webhook.id })
        if (!r.error) {
          onDeleted?.(webhook.id)
          onClose()
        }
      }}
    >
      <p>
        <strong className="font-semibold">{webhook?.name}</strong> will no longer be called. Calls still waiting are canceled; the call logs stay. This cannot be
        undone.
      </p>
    </ConfirmDialog>
  )
}
