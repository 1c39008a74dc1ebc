import { describe, expect, it } from 'vitest';
import { UpdateGroupCapacityDocument } from '@/gql/graphql';
import { fakeClient } from '@/testing/fake-api';
import { withSetup } from '@/testing/mount';
import { fieldKey, mapUserErrors, useMutationForm } from './use-mutation-form';

describe('mapUserErrors', () => {
  it('puts each userError next to its field, by path without the leading "input"', () => {
    const { fieldErrors, other } = mapUserErrors([
      { code: 'INVALID_TIME', field: ['input', 'schedule', 'startTime'], message: 'Not a valid local time.' },
      { code: 'TOO_LONG', field: ['input', 'modules', '2', 'title'], message: 'Too long.' },
      { code: 'INVALID_STATE', field: null, message: 'The group is cancelled.' },
    ]);
    expect(fieldErrors).toEqual({ 'schedule.startTime': 'Not a valid local time.', 'modules.2.title': 'Too long.' });
    expect(other).toEqual(['The group is cancelled.']);
  });

  it('sends errors on fields the form does not show to the form-level message', () => {
    const { fieldErrors, other } = mapUserErrors(
      [{ code: 'NOT_FOUND', field: ['input', 'id'], message: 'No group with this ID.' }],
      ['capacity'],
    );
    expect(fieldErrors).toEqual({});
    expect(other).toEqual(['No group with this ID.']);
  });

  it('reads a bare ["input"] path as the whole input', () => {
    expect(fieldKey(['input'])).toBeNull();
    expect(fieldKey(['input', 'email'])).toBe('email');
  });
});

describe('useMutationForm', () => {
  const payload = (userErrors: unknown[]) => ({ data: { updateGroup: { __typename: 'GroupPayload', group: null, userErrors } } });

  it('maps the payload’s userErrors to field messages and returns null', async () => {
    const { client } = fakeClient(() =>
      payload([{ __typename: 'UserError', code: 'CAPACITY_BELOW_TAKEN', field: ['input', 'capacity'], message: '6 seats are taken.' }]),
    );
    const { result: form } = withSetup(
      () => useMutationForm(UpdateGroupCapacityDocument, { payload: (d) => d.updateGroup, fields: ['capacity'] }),
      client,
    );
    const outcome = await form.submit({ input: { id: 'R3JvdXA6MQ==', capacity: 2 } });
    expect(outcome).toBeNull();
    expect(form.errors).toEqual({ capacity: '6 seats are taken.' });
    expect(form.formError.value).toBeNull();
  });

  it('does not send when validation fails', async () => {
    const { client, requests } = fakeClient(() => payload([]));
    const { result: form } = withSetup(
      () =>
        useMutationForm(UpdateGroupCapacityDocument, {
          payload: (d) => d.updateGroup,
          validate: ({ input }) => ({ capacity: (input.capacity ?? 0) < 1 ? 'At least 1 seat.' : undefined }),
        }),
      client,
    );
    expect(await form.submit({ input: { id: 'R3JvdXA6MQ==', capacity: 0 } })).toBeNull();
    expect(form.errors.capacity).toBe('At least 1 seat.');
    expect(requests).toHaveLength(0);
  });

  it('surfaces a top-level error (RATE_LIMITED) as the form message', async () => {
    const { client } = fakeClient(() => ({
      data: null,
      errors: [{ message: 'Too many attempts; try again in 40 s.', extensions: { code: 'RATE_LIMITED' } }],
    }));
    const { result: form } = withSetup(() => useMutationForm(UpdateGroupCapacityDocument, { payload: (d) => d.updateGroup }), client);
    expect(await form.submit({ input: { id: 'R3JvdXA6MQ==', capacity: 9 } })).toBeNull();
    expect(form.formError.value).toBe('Too many attempts; try again in 40 s.');
  });

  it('returns the payload when there are no userErrors, and sends POST', async () => {
    const { client, requests } = fakeClient(() => payload([]));
    const { result: form } = withSetup(() => useMutationForm(UpdateGroupCapacityDocument, { payload: (d) => d.updateGroup }), client);
    expect(await form.submit({ input: { id: 'R3JvdXA6MQ==', capacity: 9 } })).toMatchObject({ group: null, userErrors: [] });
    expect(requests[0]?.method).toBe('POST');
  });
});
