import { emailProblem } from '@/composables/email';
import { constraintOf } from '@/composables/input-constraints';
import { useApproval } from '@/composables/use-approval';
import { useConnection } from '@/composables/use-connection';
import { useMutationForm } from '@/composables/use-mutation-form';
import { AdminListDocument, ApproveAdminDocument, InviteAdminDocument } from '@/gql/graphql';

/** Checks the invitation's address before it is sent, as the API would. */
function validateInviteEmail(email: string): { email: string | undefined } {
  return { email: emailProblem(email, constraintOf('InviteAdminInput', 'email').maxLength) };
}

export function useAdminList() {
  return useConnection({ query: AdminListDocument, connection: (data) => data.admins, pageSize: 20 });
}

export function useInviteAdmin() {
  return useMutationForm(InviteAdminDocument, {
    payload: (data) => data.inviteAdmin,
    fields: ['email'],
    validate: (variables) => validateInviteEmail(variables.input.email),
  });
}

export function useApproveAdmin() {
  return useApproval(ApproveAdminDocument, (data) => data.approveAdmin);
}
