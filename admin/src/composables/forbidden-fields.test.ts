import { afterEach, describe, expect, it } from 'vitest';
import { clearForbiddenFields, isForbiddenField, recordForbiddenPaths } from './forbidden-fields';
import { pageErrorMessage } from './graphql-errors';

afterEach(() => clearForbiddenFields());

describe('forbidden fields', () => {
  it('resolves an error path through lists to the object owning the field', () => {
    const data = {
      group: {
        __typename: 'Group',
        id: 'g1',
        reservations: {
          nodes: [
            { member: { __typename: 'Member', id: 'm1', legalName: 'A' } },
            { member: { __typename: 'Member', id: 'm2', legalName: null } },
          ],
        },
      },
    };
    recordForbiddenPaths(data, [{ path: ['group', 'reservations', 'nodes', 1, 'member', 'legalName'], extensions: { code: 'FORBIDDEN' } }]);
    expect(isForbiddenField({ __typename: 'Member', id: 'm2' }, 'legalName')).toBe(true);
    expect(isForbiddenField({ id: 'm2' }, 'legalName')).toBe(true);
    expect(isForbiddenField({ __typename: 'Member', id: 'm1' }, 'legalName')).toBe(false);
  });

  it('ignores errors of other codes and top-level errors', () => {
    recordForbiddenPaths({ member: { id: 'm1' } }, [
      { path: ['member', 'email'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      { path: ['member'], extensions: { code: 'FORBIDDEN' } },
    ]);
    expect(isForbiddenField({ id: 'm1' }, 'email')).toBe(false);
  });

  it('does not turn field-level FORBIDDEN errors into a page error when data arrived', () => {
    const error = {
      graphQLErrors: [
        { message: 'Forbidden', path: ['group', 'reservations', 'nodes', 0, 'member', 'email'], extensions: { code: 'FORBIDDEN' } },
      ],
      networkError: undefined,
    } as never;
    expect(pageErrorMessage(error, true)).toBeNull();
    expect(pageErrorMessage(error, false)).toMatch(/not allowed/);
  });
});
