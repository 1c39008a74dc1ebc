import { afterAll, describe, expect, it } from 'vitest';
import { startWorld } from '../support/world.js';

const { app, world } = await startWorld();
afterAll(() => app.close());

describe('smoke', () => {
  it('answers viewer for each kind of caller', async () => {
    const q = '{ viewer { role } }';
    expect((await app.gql(q)).body).toEqual({ data: { viewer: { role: 'ANONYMOUS' } } });
    expect((await app.gql(q, { token: world.admin.token })).body).toEqual({ data: { viewer: { role: 'ADMIN' } } });
    expect((await app.gql(q, { token: world.partners.referring.token })).body).toEqual({ data: { viewer: { role: 'PARTNER' } } });
  });

  it('lets the member read its own email and audits it', async () => {
    const response = await app.gql(`query Me($id: ID!) { member(id: $id) { displayName email } }`, {
      variables: { id: world.members.subject.globalId },
      token: world.members.subject.token,
      operationName: 'Me',
    });
    expect(response.body).toEqual({ data: { member: { displayName: 'Rowan', email: world.members.subject.identity.email } } });
    const rows = await app.db.query('select actor_kind, member_id, fields, operation_name from identifier_audit');
    expect(rows).toEqual([{ actor_kind: 'MEMBER', member_id: world.members.subject.id, fields: ['email'], operation_name: 'Me' }]);
  });
});
