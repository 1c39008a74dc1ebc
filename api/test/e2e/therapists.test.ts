/**
 * Therapists end to end: an admin adds a therapist with a sign-in account (who can then sign
 * in), and the public professional profiles.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { topLevelError as topLevel } from '../support/graphql-expect.js';
import { startWorld } from '../support/world.js';

const { app, world } = await startWorld();
afterAll(() => app.close());

const THERAPIST = 'id displayName credentials bio timeZone createdAt';
const CREATE = `mutation Create($input: CreateTherapistInput!) {
  createTherapist(input: $input) { therapist { ${THERAPIST} } userErrors { code field message } }
}`;
const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) { token viewer { role therapist { ${THERAPIST} } } userErrors { code } }
}`;

const input = (overrides: Record<string, unknown> = {}) => ({
  email: 'amara.okafor@kindred.test',
  password: 'a long enough password',
  displayName: 'Dr. Amara Okafor',
  credentials: 'Licensed Clinical Social Worker',
  bio: 'Twenty years of group work.',
  timeZone: 'America/Chicago',
  ...overrides,
});

describe('createTherapist', () => {
  let created: Record<string, unknown>;

  it('creates the therapist and its account', async () => {
    const response = await app.gql(CREATE, {
      token: world.admin.token,
      variables: { input: input({ email: '  Amara.Okafor@Kindred.TEST ' }) },
    });
    expect(response.body).toEqual({
      data: {
        createTherapist: {
          therapist: {
            id: expect.any(String),
            displayName: 'Dr. Amara Okafor',
            credentials: 'Licensed Clinical Social Worker',
            bio: 'Twenty years of group work.',
            timeZone: 'America/Chicago',
            createdAt: expect.any(String),
          },
          userErrors: [],
        },
      },
    });
    created = response.body.data.createTherapist.therapist;
    expect(response.text).not.toContain('a long enough password');

    const [account] = await app.db.query<{ email: string; role: string; password_hash: string }>(
      `select a.email, a.role, a.password_hash from account a join therapist t on t.id = a.therapist_id where t.display_name = 'Dr. Amara Okafor'`,
    );
    expect(account).toEqual({
      email: 'amara.okafor@kindred.test',
      role: 'THERAPIST',
      password_hash: expect.stringMatching(/^\$argon2id\$/),
    });
  });

  it('lets the new therapist sign in and see itself as viewer', async () => {
    const response = await app.gql(LOGIN, {
      variables: { input: { email: 'amara.okafor@kindred.test', password: 'a long enough password' } },
    });
    expect(response.body).toEqual({
      data: { login: { token: expect.stringMatching(/^kss_/), viewer: { role: 'THERAPIST', therapist: created }, userErrors: [] } },
    });
    const viewer = await app.gql(`{ viewer { role therapist { ${THERAPIST} } } }`, { token: response.body.data.login.token });
    expect(viewer.body).toEqual({ data: { viewer: { role: 'THERAPIST', therapist: created } } });
  });

  it('defaults the bio to empty', async () => {
    const response = await app.gql(CREATE, {
      token: world.admin.token,
      variables: { input: input({ email: 'no.bio@kindred.test', displayName: 'Dr. No Bio', bio: undefined }) },
    });
    expect(response.body.data.createTherapist.therapist.bio).toBe('');
  });

  it('refuses a taken email (any case) with EMAIL_TAKEN', async () => {
    const response = await app.gql(CREATE, {
      token: world.admin.token,
      variables: { input: input({ email: 'AMARA.okafor@kindred.test', displayName: 'Impostor' }) },
    });
    expect(response.body).toEqual({
      data: {
        createTherapist: { therapist: null, userErrors: [{ code: 'EMAIL_TAKEN', field: ['input', 'email'], message: expect.any(String) }] },
      },
    });
    expect(await app.db.query(`select count(*)::int as n from therapist where display_name = 'Impostor'`)).toEqual([{ n: 0 }]);
  });

  it('gives one of two concurrent creations with the same email EMAIL_TAKEN, never an internal error', async () => {
    const responses = await Promise.all(
      [1, 2, 3].map((i) =>
        app.gql(CREATE, {
          token: world.admin.token,
          variables: { input: input({ email: 'race@kindred.test', displayName: `Racer ${i}` }) },
        }),
      ),
    );
    for (const response of responses) expect(response.body.errors).toBeUndefined();
    const errors = responses.map((r) => r.body.data.createTherapist.userErrors);
    expect(errors.filter((e) => e.length === 0)).toHaveLength(1);
    expect(errors.filter((e) => e.length > 0)).toEqual([
      [{ code: 'EMAIL_TAKEN', field: ['input', 'email'], message: expect.any(String) }],
      [{ code: 'EMAIL_TAKEN', field: ['input', 'email'], message: expect.any(String) }],
    ]);
    expect(await app.db.query(`select count(*)::int as n from therapist where display_name like 'Racer %'`)).toEqual([{ n: 1 }]);
    // Tidy up so the list below stays as written.
    await app.db.query(`delete from account where email = 'race@kindred.test'`);
    await app.db.query(`delete from therapist where display_name like 'Racer %'`);
  });

  it('refuses invalid input field by field', async () => {
    const response = await app.gql(CREATE, {
      token: world.admin.token,
      variables: { input: input({ email: 'not-an-email', password: 'short', displayName: '', timeZone: 'Mars/Olympus' }) },
    });
    expect(response.body).toEqual({
      data: {
        createTherapist: {
          therapist: null,
          userErrors: [
            { code: 'INVALID_EMAIL', field: ['input', 'email'], message: expect.any(String) },
            { code: 'WEAK_PASSWORD', field: ['input', 'password'], message: expect.any(String) },
            { code: 'REQUIRED', field: ['input', 'displayName'], message: expect.any(String) },
            { code: 'INVALID_TIME_ZONE', field: ['input', 'timeZone'], message: expect.any(String) },
          ],
        },
      },
    });
    expect(response.text).not.toContain('short');
  });

  it('is for admins only', async () => {
    for (const token of [world.therapists.lead.token, world.partners.referring.token, world.members.subject.token]) {
      expect((await app.gql(CREATE, { token, variables: { input: input({ email: 'x@kindred.test' }) } })).body).toEqual({
        data: null,
        errors: [topLevel('FORBIDDEN', ['createTherapist'])],
      });
    }
    expect((await app.gql(CREATE, { variables: { input: input({ email: 'x@kindred.test' }) } })).body).toEqual({
      data: null,
      errors: [topLevel('UNAUTHENTICATED', ['createTherapist'])],
    });
  });
});

describe('therapists list', () => {
  const LIST = `query($first: Int!, $after: String) {
    therapists(first: $first, after: $after) { totalCount nodes { id displayName credentials } pageInfo { hasNextPage endCursor } }
  }`;

  it('is public: every therapist by display name, with professional fields only', async () => {
    const response = await app.gql(LIST, { variables: { first: 100 } });
    expect(response.body).toEqual({
      data: {
        therapists: {
          totalCount: 5,
          nodes: [
            { id: world.therapists.co.globalId, displayName: 'Co Therapist', credentials: 'LCSW' },
            { id: expect.any(String), displayName: 'Dr. Amara Okafor', credentials: 'Licensed Clinical Social Worker' },
            { id: expect.any(String), displayName: 'Dr. No Bio', credentials: 'Licensed Clinical Social Worker' },
            { id: world.therapists.lead.globalId, displayName: 'Lead Therapist', credentials: 'LCSW' },
            { id: world.therapists.other.globalId, displayName: 'Other Therapist', credentials: 'LCSW' },
          ],
          pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
        },
      },
    });
  });

  it('reads the same for every role and pages', async () => {
    const all = (await app.gql(LIST, { variables: { first: 100 } })).body.data.therapists.nodes;
    for (const token of [world.admin.token, world.partners.referring.token, world.members.subject.token, world.therapists.other.token]) {
      expect((await app.gql(LIST, { token, variables: { first: 100 } })).body.data.therapists.nodes).toEqual(all);
    }
    const first = (await app.gql(LIST, { variables: { first: 3 } })).body.data.therapists;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await app.gql(LIST, { variables: { first: 3, after: first.pageInfo.endCursor } })).body.data.therapists;
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect([...first.nodes, ...second.nodes]).toEqual(all);
  });

  it('has no sign-in email on the public profile', async () => {
    const response = await app.gql('{ therapists { nodes { email } } }');
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.text).not.toContain('@kindred.test');
  });

  it('reads one therapist publicly by ID', async () => {
    const response = await app.gql(`query($id: ID!) { therapist(id: $id) { ${THERAPIST} } }`, {
      variables: { id: world.therapists.lead.globalId },
    });
    expect(response.body).toEqual({
      data: {
        therapist: {
          id: world.therapists.lead.globalId,
          displayName: 'Lead Therapist',
          credentials: 'LCSW',
          bio: '',
          timeZone: 'Europe/London',
          createdAt: expect.any(String),
        },
      },
    });
  });
});
