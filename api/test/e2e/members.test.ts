/**
 * Members end to end: registration by a partner, an admin or the person themself (whose sign-in
 * waits for the mailed link: see trust-model.test.ts for the links), and the members list per
 * role with its filters.
 */
import { emailIndex } from '@kindred/crypto';
import { storedIdentity } from '../support/sealed.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawId, topLevelError as topLevel } from '../support/graphql-expect.js';
import { newId } from '../../src/db/ids.js';
import { startWorld } from '../support/world.js';

const { app, world } = await startWorld();
afterAll(() => app.close());

const MEMBER = 'id displayName pronouns timeZone createdAt partner { id name }';
const REGISTER = `mutation Register($input: RegisterMemberInput!) {
  registerMember(input: $input) { member { ${MEMBER} } token userErrors { code field message } }
}`;
const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(input: { email: $email, password: $password }) { token viewer { role member { id displayName } } userErrors { code } }
}`;
const LIST = `query List($first: Int!, $after: String, $displayNameContains: String, $groupId: ID) {
  members(first: $first, after: $after, displayNameContains: $displayNameContains, groupId: $groupId) {
    totalCount
    nodes { id displayName }
    pageInfo { hasNextPage endCursor }
  }
}`;

const identity = (name: string, extra: Record<string, unknown> = {}) => ({
  displayName: name,
  timeZone: 'Europe/London',
  legalName: `${name} Legalname`,
  email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org`,
  ...extra,
});

const registered: Record<string, string> = {};

async function register(input: Record<string, unknown>, token?: string) {
  const response = await app.gql(REGISTER, { token, variables: { input } });
  expect(response.body.errors).toBeUndefined();
  return response.body.data.registerMember;
}

describe('registerMember', () => {
  it('by a partner: the member is referred by that partner, no token, identifiers not readable back', async () => {
    const payload = await register(
      identity('Willow', { pronouns: 'she/her', phone: '+44 20 7946 0958', dateOfBirth: '1992-03-04' }),
      world.partners.referring.token,
    );
    expect(payload).toEqual({
      member: {
        id: expect.any(String),
        displayName: 'Willow',
        pronouns: 'she/her',
        timeZone: 'Europe/London',
        createdAt: expect.any(String),
        partner: { id: world.partners.referring.globalId, name: 'Referring Clinic' },
      },
      token: null,
      userErrors: [],
    });
    registered.Willow = payload.member.id;

    expect(await storedIdentity(app.db, rawId(payload.member.id))).toEqual({
      legal_name: 'Willow Legalname',
      email: 'willow@example.org',
      phone: '+442079460958',
      date_of_birth: '1992-03-04',
    });
    expect(await app.db.query('select account_id from member where id = $1', [rawId(payload.member.id)])).toEqual([{ account_id: null }]);
  });

  it('by a partner, selecting identifiers: they come back null with FORBIDDEN and are not echoed', async () => {
    const response = await app.gql(
      `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { member { displayName email legalName } userErrors { code } } }`,
      { token: world.partners.referring.token, variables: { input: identity('Echo') } },
    );
    expect(response.body).toEqual({
      data: { registerMember: { member: { displayName: 'Echo', email: null, legalName: null }, userErrors: [] } },
      errors: [
        topLevel('FORBIDDEN', ['registerMember', 'member', 'email']),
        topLevel('FORBIDDEN', ['registerMember', 'member', 'legalName']),
      ],
    });
    expect(response.text).not.toContain('echo@example.org');
    expect(response.text).not.toContain('Echo Legalname');
    registered.Echo = (await app.db.query<{ id: string }>(`select id from member where display_name = 'Echo'`))[0]!.id;
  });

  it('by a partner with a password: refused (INVALID_STATE), nothing stored — a partner never gets the member a sign-in', async () => {
    const before = await app.db.query(
      'select (select count(*) from member)::int as members, (select count(*) from account)::int as accounts',
    );
    expect(await register(identity('Partnered Login', { password: 'partnered-password' }), world.partners.referring.token)).toEqual({
      member: null,
      token: null,
      userErrors: [{ code: 'INVALID_STATE', field: ['input', 'password'], message: expect.any(String) }],
    });
    expect(
      await app.db.query('select (select count(*) from member)::int as members, (select count(*) from account)::int as accounts'),
    ).toEqual(before);
    const login = await app.gql(LOGIN, { variables: { email: 'partnered.login@example.org', password: 'partnered-password' } });
    expect(login.body.data.login.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS' }]);
  });

  it('by an admin: no partner', async () => {
    const payload = await register(identity('Admin Added'), world.admin.token);
    expect(payload).toEqual({
      member: {
        id: expect.any(String),
        displayName: 'Admin Added',
        pronouns: null,
        timeZone: 'Europe/London',
        createdAt: expect.any(String),
        partner: null,
      },
      token: null,
      userErrors: [],
    });
    registered['Admin Added'] = payload.member.id;
  });

  it('by the person themself, with a password: no member, no session — the account waits for the mailed link', async () => {
    const payload = await register(identity('Self Starter', { password: 'self-starter-password' }));
    expect(payload).toEqual({ member: null, token: null, userErrors: [] });
    const [pending] = await app.db.query<{ id: string; activated_at: string | null }>(
      `select m.id, a.activated_at from member m join account a on a.id = m.account_id where a.email_index = $1`,
      [emailIndex('self.starter@example.org')],
    );
    expect(pending).toEqual({ id: expect.any(String), activated_at: null });
    registered['Self Starter'] = pending!.id;
    const login = await app.gql(LOGIN, { variables: { email: 'self.starter@example.org', password: 'self-starter-password' } });
    expect(login.body.data.login).toEqual({ token: null, viewer: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] });
  });

  it('by the person themself without a password: REQUIRED, nothing stored', async () => {
    const before = await app.db.query('select count(*)::int as n from member');
    expect(await register(identity('No Password'))).toEqual({
      member: null,
      token: null,
      userErrors: [{ code: 'REQUIRED', field: ['input', 'password'], message: expect.any(String) }],
    });
    expect(await app.db.query('select count(*)::int as n from member')).toEqual(before);
  });

  it('answers an address that already signs in exactly as a new one, and stores nothing', async () => {
    const count = 'select (select count(*) from member)::int as members, (select count(*) from account)::int as accounts';
    const before = await app.db.query(count);
    const taken = world.members.subject.identity.email.toUpperCase();
    expect(await register(identity('Copycat', { email: taken, password: 'another-password-1' }))).toEqual({
      member: null,
      token: null,
      userErrors: [],
    });
    expect(await app.db.query(count)).toEqual(before);
  });

  it('refuses invalid identifiers without echoing them', async () => {
    const response = await app.gql(REGISTER, {
      token: world.partners.referring.token,
      variables: { input: identity('Invalid', { email: 'bad-email-xyz', phone: '12', dateOfBirth: '2999-01-01', timeZone: 'Nowhere' }) },
    });
    expect(response.body).toEqual({
      data: {
        registerMember: {
          member: null,
          token: null,
          userErrors: [
            { code: 'INVALID_TIME_ZONE', field: ['input', 'timeZone'], message: expect.any(String) },
            { code: 'INVALID_EMAIL', field: ['input', 'email'], message: expect.any(String) },
            { code: 'INVALID_PHONE', field: ['input', 'phone'], message: expect.any(String) },
            { code: 'INVALID_DATE_OF_BIRTH', field: ['input', 'dateOfBirth'], message: expect.any(String) },
          ],
        },
      },
    });
    expect(response.text).not.toContain('bad-email-xyz');
  });

  it('is refused to therapists and members', async () => {
    for (const token of [world.therapists.lead.token, world.members.subject.token]) {
      expect((await app.gql(REGISTER, { token, variables: { input: identity('Nope') } })).body).toEqual({
        data: null,
        errors: [topLevel('FORBIDDEN', ['registerMember'])],
      });
    }
  });
});

describe('members list', () => {
  async function names(token: string | undefined, variables: Record<string, unknown> = {}) {
    const response = await app.gql(LIST, { token, variables: { first: 100, ...variables } });
    expect(response.body.errors).toBeUndefined();
    const { nodes, totalCount } = response.body.data.members;
    expect(totalCount).toBe(nodes.length);
    return nodes.map((n: { displayName: string }) => n.displayName);
  }

  beforeAll(async () => {
    // Willow cancelled a seat in group A (its therapists keep access); Admin Added waits in it.
    await app.db.query(
      `insert into reservation (id, group_id, member_id, status, ended_at, ended_by, cancelled_late) values ($1, $2, $3, 'CANCELLED', now(), 'MEMBER', false)`,
      [newId(), world.groups.a.id, rawId(registered.Willow!)],
    );
    await app.db.query(
      `insert into reservation (id, group_id, member_id, status, waitlist_seq) values ($1, $2, $3, 'WAITLISTED', nextval('reservation_waitlist_seq'))`,
      [newId(), world.groups.a.id, rawId(registered['Admin Added']!)],
    );
  });

  it('shows admins every member, by display name', async () => {
    expect(await names(world.admin.token)).toEqual(['Admin Added', 'Echo', 'Rowan', 'Sam', 'Self Starter', 'Willow']);
  });

  it('shows a partner only the members it referred', async () => {
    expect(await names(world.partners.referring.token)).toEqual(['Echo', 'Rowan', 'Willow']);
    expect(await names(world.partners.other.token)).toEqual(['Sam']);
  });

  it('shows a therapist the members of its groups (held, confirmed, waitlisted or once held)', async () => {
    expect(await names(world.therapists.lead.token)).toEqual(['Admin Added', 'Rowan', 'Willow']);
    expect(await names(world.therapists.co.token)).toEqual(['Admin Added', 'Rowan', 'Willow']);
    expect(await names(world.therapists.other.token)).toEqual(['Sam']);
  });

  it('shows a member only itself', async () => {
    const response = await app.gql(LIST, { token: world.members.subject.token, variables: { first: 100 } });
    expect(response.body).toEqual({
      data: {
        members: {
          totalCount: 1,
          nodes: [{ id: world.members.subject.globalId, displayName: 'Rowan' }],
          pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
        },
      },
    });
  });

  it('is UNAUTHENTICATED for anonymous callers', async () => {
    expect((await app.gql(LIST, { variables: { first: 10 } })).body).toEqual({
      data: null,
      errors: [topLevel('UNAUTHENTICATED', ['members'])],
    });
  });

  it('filters by display name, case-insensitively, treating wildcards literally', async () => {
    expect(await names(world.admin.token, { displayNameContains: 'OW' })).toEqual(['Rowan', 'Willow']);
    expect(await names(world.admin.token, { displayNameContains: 'star' })).toEqual(['Self Starter']);
    expect(await names(world.partners.referring.token, { displayNameContains: 'a' })).toEqual(['Rowan']);
    expect(await names(world.admin.token, { displayNameContains: '%' })).toEqual([]);
    expect(await names(world.admin.token, { displayNameContains: '_' })).toEqual([]);
  });

  it('filters by group: members with an active reservation in it, within what the caller may see', async () => {
    expect(await names(world.admin.token, { groupId: world.groups.a.globalId })).toEqual(['Admin Added', 'Rowan']);
    expect(await names(world.admin.token, { groupId: world.groups.b.globalId })).toEqual(['Sam']);
    expect(await names(world.therapists.lead.token, { groupId: world.groups.a.globalId })).toEqual(['Admin Added', 'Rowan']);
    expect(await names(world.partners.referring.token, { groupId: world.groups.a.globalId })).toEqual(['Rowan']);
    expect(await names(world.partners.referring.token, { groupId: world.groups.b.globalId })).toEqual([]);
    expect(await names(world.admin.token, { groupId: world.groups.a.globalId, displayNameContains: 'row' })).toEqual(['Rowan']);
  });

  it('answers a therapist asking about a group it does not lead exactly as for a group that does not exist (NOT_FOUND)', async () => {
    const ask = async (groupId: string) =>
      (await app.gql(LIST, { token: world.therapists.lead.token, variables: { first: 10, groupId } })).body;
    const foreign = await ask(world.groups.b.globalId);
    const missing = await ask(Buffer.from('Group:00000000-0000-7000-8000-000000000000').toString('base64url'));
    expect(foreign).toEqual({ data: null, errors: [topLevel('NOT_FOUND', ['members'])] });
    expect(foreign).toEqual(missing);
  });

  it('paginates', async () => {
    const page1 = (await app.gql(LIST, { token: world.admin.token, variables: { first: 4 } })).body.data.members;
    expect(page1.nodes.map((n: { displayName: string }) => n.displayName)).toEqual(['Admin Added', 'Echo', 'Rowan', 'Sam']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page1.totalCount).toBe(6);
    const page2 = (await app.gql(LIST, { token: world.admin.token, variables: { first: 4, after: page1.pageInfo.endCursor } })).body.data
      .members;
    expect(page2.nodes.map((n: { displayName: string }) => n.displayName)).toEqual(['Self Starter', 'Willow']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a group filter that is not a group ID', async () => {
    const response = await app.gql(LIST, { token: world.admin.token, variables: { first: 10, groupId: world.program.globalId } });
    expect(response.body).toEqual({
      data: null,
      errors: [{ ...topLevel('BAD_USER_INPUT', ['members']), extensions: { code: 'BAD_USER_INPUT', reason: 'WRONG_ID_TYPE' } }],
    });
  });
});
