/**
 * Sign-in end to end: login for every kind of person, `viewer` for every kind of caller,
 * logout revoking the token, and expired or revoked sessions refused outright (401).
 */
import { emailIndex } from '@kindred/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, secretHash } from '../../src/authz/credentials.js';
import { toGlobalId } from '../../src/graphql/ids.js';
import { type Mailbox, startMailbox } from '../support/mailbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { buildWorld, type World } from '../support/world.js';

let app: TestApp;
let world: World;

const ADMIN_PASSWORD = 'admin-password-long-enough';
const THERAPIST_PASSWORD = 'therapist-password-123';
const MEMBER_PASSWORD = 'member-password-12345';

const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) {
    token
    expiresAt
    viewer { role member { id displayName } therapist { id displayName } partner { id name } }
    userErrors { code field message }
  }
}`;

const VIEWER = `{ viewer { role member { id displayName } therapist { id displayName } partner { id name } } }`;

const unauthenticated = {
  errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }],
};

const noOne = { member: null, therapist: null, partner: null };

let therapist: { id: string; email: string };
let member: { id: string; email: string };
let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
  app = await startTestApp({ smtpUrl: mailbox.url });
  world = await buildWorld(app);
  // The world's admin has no usable password; give it one, hashed as the API hashes them.
  await app.db.query(`update account set password_hash = $1 where role = 'ADMIN'`, [await hashPassword(ADMIN_PASSWORD)]);

  // A therapist: invited by one admin, its own password from the mailed link, approved by another.
  const created = await app.gql(
    `mutation($input: CreateTherapistInput!) { createTherapist(input: $input) { therapist { id } userErrors { code } } }`,
    {
      token: world.admin.token,
      variables: { input: { email: 'Dr.Login@Kindred.test', displayName: 'Dr. Login', credentials: 'PhD', timeZone: 'Europe/Paris' } },
    },
  );
  expect(created.body.data.createTherapist.userErrors).toEqual([]);
  therapist = { id: created.body.data.createTherapist.therapist.id, email: 'dr.login@kindred.test' };
  const invitation = await mailbox.waitFor(therapist.email);
  expect(await done('acceptInvitation', 'AcceptInvitationInput', { token: invitation.token, password: THERAPIST_PASSWORD })).toEqual([]);
  const approved = await app.gql(`mutation($input: ApproveTherapistInput!) { approveTherapist(input: $input) { userErrors { code } } }`, {
    token: world.secondAdmin.token,
    variables: { input: { therapistId: therapist.id } },
  });
  expect(approved.body.data.approveTherapist.userErrors).toEqual([]);

  // A member who registered itself and followed the link mailed to its address.
  const registered = await app.gql(
    `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { member { id } userErrors { code } } }`,
    {
      variables: {
        input: {
          displayName: 'Juniper',
          timeZone: 'Europe/Dublin',
          legalName: 'Juniper Login',
          email: 'juniper.login@example.org',
          password: MEMBER_PASSWORD,
        },
      },
    },
  );
  expect(registered.body.data.registerMember).toEqual({ member: null, userErrors: [] });
  const verification = await mailbox.waitFor('juniper.login@example.org');
  expect(await done('verifyEmail', 'ConfirmLinkInput', { token: verification.token })).toEqual([]);
  const [row] = await app.db.query<{ id: string }>(
    `select m.id from member m join account a on a.id = m.account_id where a.email_index = $1`,
    [emailIndex('juniper.login@example.org')],
  );
  member = { id: toGlobalId('Member', row!.id), email: 'juniper.login@example.org' };
});
afterAll(async () => {
  await app.close();
  await mailbox.stop();
});

/** Runs a link-following mutation anonymously; its userErrors. */
async function done(mutation: string, inputType: string, input: Record<string, unknown>) {
  const response = await app.gql(`mutation($input: ${inputType}!) { ${mutation}(input: $input) { userErrors { code field } } }`, {
    variables: { input },
  });
  return response.body.data[mutation].userErrors;
}

async function login(email: string, password: string) {
  return app.gql(LOGIN, { variables: { input: { email, password } } });
}

function expectTwelveHours(expiresAt: string) {
  const hours = (Date.parse(expiresAt) - Date.now()) / 3600_000;
  expect(hours).toBeGreaterThan(11.9);
  expect(hours).toBeLessThanOrEqual(12);
}

describe('login', () => {
  it('signs an admin in', async () => {
    const response = await login('admin@kindred.test', ADMIN_PASSWORD);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: {
        login: {
          token: expect.stringMatching(/^kss_[A-Za-z0-9_-]{40,}$/),
          expiresAt: expect.any(String),
          viewer: { role: 'ADMIN', ...noOne },
          userErrors: [],
        },
      },
    });
    expectTwelveHours(response.body.data.login.expiresAt);
    const token = response.body.data.login.token;
    expect((await app.gql(VIEWER, { token })).body).toEqual({ data: { viewer: { role: 'ADMIN', ...noOne } } });
  });

  it('signs a therapist invited through createTherapist in, whatever the case of the email', async () => {
    const response = await login('DR.LOGIN@kindred.TEST', THERAPIST_PASSWORD);
    const viewer = { role: 'THERAPIST', ...noOne, therapist: { id: therapist.id, displayName: 'Dr. Login' } };
    expect(response.body).toEqual({
      data: { login: { token: expect.stringMatching(/^kss_/), expiresAt: expect.any(String), viewer, userErrors: [] } },
    });
    expectTwelveHours(response.body.data.login.expiresAt);
    expect((await app.gql(VIEWER, { token: response.body.data.login.token })).body).toEqual({ data: { viewer } });
  });

  it('signs a self-registered member in', async () => {
    const response = await login(member.email, MEMBER_PASSWORD);
    const viewer = { role: 'MEMBER', ...noOne, member: { id: member.id, displayName: 'Juniper' } };
    expect(response.body).toEqual({
      data: { login: { token: expect.stringMatching(/^kss_/), expiresAt: expect.any(String), viewer, userErrors: [] } },
    });
    expect((await app.gql(VIEWER, { token: response.body.data.login.token })).body).toEqual({ data: { viewer } });
  });

  it('refuses a wrong password and an unknown email alike, without a token', async () => {
    const refused = {
      data: {
        login: {
          token: null,
          expiresAt: null,
          viewer: null,
          userErrors: [{ code: 'INVALID_CREDENTIALS', field: null, message: 'The email or password is not correct.' }],
        },
      },
    };
    expect((await login(therapist.email, 'not-the-right-password')).body).toEqual(refused);
    expect((await login('nobody@kindred.test', THERAPIST_PASSWORD)).body).toEqual(refused);
    // The world's accounts carry a placeholder hash: no password opens them.
    expect((await login('lead.therapist@kindred.test', 'nopassword')).body).toEqual(refused);
  });

  it('refuses a disabled account', async () => {
    await app.db.query(`update account set disabled_at = now() where email_index = $1`, [emailIndex(therapist.email)]);
    try {
      expect((await login(therapist.email, THERAPIST_PASSWORD)).body.data.login.userErrors).toEqual([
        { code: 'INVALID_CREDENTIALS', field: null, message: expect.any(String) },
      ]);
    } finally {
      await app.db.query(`update account set disabled_at = null where email_index = $1`, [emailIndex(therapist.email)]);
    }
  });

  it('stores only the hash of the session token', async () => {
    const { token } = (await login(member.email, MEMBER_PASSWORD)).body.data.login;
    const rows = await app.db.query<{ token_hash: string }>(`select token_hash from auth_session where token_hash = $1`, [
      secretHash(token),
    ]);
    expect(rows).toEqual([{ token_hash: secretHash(token) }]);
    const everything = JSON.stringify(await app.db.query('select * from auth_session'));
    expect(everything).not.toContain(token);
  });
});

describe('viewer', () => {
  it('is ANONYMOUS without credentials', async () => {
    expect((await app.gql(VIEWER)).body).toEqual({ data: { viewer: { role: 'ANONYMOUS', ...noOne } } });
  });

  it('names the therapist behind a therapist session', async () => {
    expect((await app.gql(VIEWER, { token: world.therapists.lead.token })).body).toEqual({
      data: { viewer: { role: 'THERAPIST', ...noOne, therapist: { id: world.therapists.lead.globalId, displayName: 'Lead Therapist' } } },
    });
  });

  it('names the partner behind an API key', async () => {
    expect((await app.gql(VIEWER, { token: world.partners.referring.token })).body).toEqual({
      data: { viewer: { role: 'PARTNER', ...noOne, partner: { id: world.partners.referring.globalId, name: 'Referring Clinic' } } },
    });
  });

  it('names the member behind a member session, and lets it read its own record', async () => {
    const response = await app.gql(`{ viewer { role member { id displayName email } therapist { id } partner { id } } }`, {
      token: world.members.subject.token,
    });
    expect(response.body).toEqual({
      data: {
        viewer: {
          role: 'MEMBER',
          member: { id: world.members.subject.globalId, displayName: 'Rowan', email: world.members.subject.identity.email },
          therapist: null,
          partner: null,
        },
      },
    });
  });

  it('is ADMIN for an admin session', async () => {
    expect((await app.gql(VIEWER, { token: world.admin.token })).body).toEqual({ data: { viewer: { role: 'ADMIN', ...noOne } } });
  });
});

describe('logout and refused sessions', () => {
  const LOGOUT = 'mutation { logout { loggedOut userErrors { code } } }';

  it('revokes the token: the next request is UNAUTHENTICATED with 401', async () => {
    const { token } = (await login(therapist.email, THERAPIST_PASSWORD)).body.data.login;
    const other = (await login(therapist.email, THERAPIST_PASSWORD)).body.data.login.token;
    expect((await app.gql(VIEWER, { token })).body.data.viewer.role).toBe('THERAPIST');

    expect((await app.gql(LOGOUT, { token })).body).toEqual({ data: { logout: { loggedOut: true, userErrors: [] } } });

    const after = await app.gql(VIEWER, { token });
    expect(after.status).toBe(401);
    expect(after.body).toEqual(unauthenticated);
    // A revoked token cannot log out again either.
    const again = await app.gql(LOGOUT, { token });
    expect(again.status).toBe(401);
    expect(again.body).toEqual(unauthenticated);
    // Only that session ended: the same person's other session still works.
    expect((await app.gql(VIEWER, { token: other })).body.data.viewer.role).toBe('THERAPIST');

    const [row] = await app.db.query<{ revoked_at: Date | null }>('select revoked_at from auth_session where token_hash = $1', [
      secretHash(token),
    ]);
    expect(row?.revoked_at).toBeInstanceOf(Date);
  });

  it('is UNAUTHENTICATED for anonymous callers and a no-op for an API key', async () => {
    const anonymous = await app.gql(LOGOUT);
    expect(anonymous.body).toEqual({
      data: null,
      errors: [{ message: expect.any(String), locations: expect.any(Array), path: ['logout'], extensions: { code: 'UNAUTHENTICATED' } }],
    });
    // An API key is not a session: logout ends nothing and the key keeps working.
    expect((await app.gql(LOGOUT, { token: world.partners.other.token })).body).toEqual({
      data: { logout: { loggedOut: false, userErrors: [] } },
    });
    expect((await app.gql(VIEWER, { token: world.partners.other.token })).body.data.viewer.role).toBe('PARTNER');
  });

  it('refuses an expired session with 401', async () => {
    const { token } = (await login(member.email, MEMBER_PASSWORD)).body.data.login;
    expect((await app.gql(VIEWER, { token })).status).toBe(200);
    await app.db.query(`update auth_session set expires_at = now() - interval '1 second' where token_hash = $1`, [secretHash(token)]);
    const response = await app.gql(VIEWER, { token });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(unauthenticated);
    expect(response.text).not.toContain(token);
  });

  it('refuses unknown, malformed and non-Bearer credentials with 401 rather than treating them as anonymous', async () => {
    for (const headers of [
      { authorization: 'Bearer kss_doesnotexistdoesnotexistdoesnotexist' },
      { authorization: 'Bearer kpk_doesnotexistdoesnotexistdoesnotexist' },
      { authorization: 'Bearer not a token' },
      { authorization: 'Basic YWRtaW46cGFzc3dvcmQ=' },
    ]) {
      const response = await app.gql(VIEWER, { headers });
      expect(response.status).toBe(401);
      expect(response.body).toEqual(unauthenticated);
    }
  });

  it('refuses the session of a disabled account at once', async () => {
    const { token } = (await login(member.email, MEMBER_PASSWORD)).body.data.login;
    await app.db.query(`update account set disabled_at = now() where email_index = $1`, [emailIndex(member.email)]);
    try {
      const response = await app.gql(VIEWER, { token });
      expect(response.status).toBe(401);
      expect(response.body).toEqual(unauthenticated);
    } finally {
      await app.db.query(`update account set disabled_at = null where email_index = $1`, [emailIndex(member.email)]);
    }
  });
});
