import type { AnyVariables, TypedDocumentNode } from '@urql/core';
import { useToast } from 'primevue/usetoast';
import { ref } from 'vue';
import { type UserErrorLike, useMutationForm } from './use-mutation-form';

/**
 * A second admin approving a staff account (`approveTherapist`, `approveAdmin`). The API refuses
 * the inviting admin's own approval with a userError: its message is kept in `refusal` for the
 * page to show; a success is toasted.
 *
 *   const approval = useApproval(ApproveTherapistDocument, (data) => data.approveTherapist);
 *   await approval.approve({ input: { therapistId } }, 'Dr. Lena Braun');
 */
export function useApproval<TData, TVars extends AnyVariables, TPayload extends { userErrors: readonly UserErrorLike[] }>(
  document: TypedDocumentNode<TData, TVars>,
  payload: (data: TData) => TPayload | null | undefined,
) {
  // No field of the input is shown: every userError is a message for the whole action.
  const form = useMutationForm(document, { payload, fields: [] });
  const toast = useToast();
  const refusal = ref<string | null>(null);

  async function approve(variables: TVars, name: string): Promise<boolean> {
    refusal.value = null;
    const done = await form.submit(variables);
    if (done) {
      toast.add({ severity: 'success', summary: 'Approved', detail: `${name} is approved.`, life: 5000 });
      return true;
    }
    refusal.value = form.formError.value ?? 'Not approved.';
    return false;
  }

  return { approve, refusal, approving: form.submitting };
}
