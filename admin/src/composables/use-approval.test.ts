import { describe, expect, it } from 'vitest';
import { ApproveTherapistDocument } from '@/gql/graphql';
import { fakeClient } from '@/testing/fake-api';
import { withSetup } from '@/testing/mount';
import { useApproval } from './use-approval';

const REFUSAL = 'Another admin than the one who invited this account must approve it.';

function approvalAnswering(userErrors: { code: string; field: string[]; message: string }[]) {
  const { client, requests } = fakeClient(() => ({
    data: {
      approveTherapist: {
        __typename: 'ApproveTherapistPayload',
        therapist: userErrors.length ? null : { __typename: 'Therapist', id: 'T1', accountStatus: 'ACTIVE' },
        userErrors: userErrors.map((e) => ({ __typename: 'UserError', ...e })),
      },
    },
  }));
  const { result, unmount } = withSetup(() => useApproval(ApproveTherapistDocument, (data) => data.approveTherapist), client);
  return { approval: result, requests, unmount };
}

describe('useApproval', () => {
  it('keeps the API’s refusal of the inviting admin’s own approval, to show', async () => {
    const { approval, requests, unmount } = approvalAnswering([
      { code: 'SECOND_ADMIN_REQUIRED', field: ['input', 'therapistId'], message: REFUSAL },
    ]);
    expect(await approval.approve({ input: { therapistId: 'T1' } }, 'Dr. T')).toBe(false);
    expect(requests.map((r) => [r.operationName, r.variables])).toEqual([['ApproveTherapist', { input: { therapistId: 'T1' } }]]);
    expect(approval.refusal.value).toBe(REFUSAL);
    unmount();
  });

  it('clears an earlier refusal when an approval goes through', async () => {
    const { approval, unmount } = approvalAnswering([]);
    approval.refusal.value = REFUSAL;
    expect(await approval.approve({ input: { therapistId: 'T1' } }, 'Dr. T')).toBe(true);
    expect(approval.refusal.value).toBeNull();
    unmount();
  });
});
