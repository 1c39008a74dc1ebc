/**
 * Staff sign in with a second factor (docs/personal-identifiers.md, "Trust model"). One server
 * requires it (KINDRED_STAFF_MFA=required, the production default), a second one on the same
 * database offers it (the demo). Codes are made with otplib from the secret the API handed over,
 * as an authenticator app would; the next 30-second step is made by asking for the code of 30
 * seconds ahead (the API accepts one step of clock drift), so nothing waits for the clock.
 */
import { emailIndex } from '@kindred/crypto';
import { generate } from 'otplib';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/authz/credentials.js';
import { topLevelError as topLevel } from '../support/graphql-expect.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startWorld } from '../support/world.js';

const { app, world } = await startWorld({ staffSecondFactor: 'required' });
const optional = await startTestApp({ database: app.db, staffSecondFactor: 'optional' });
afterAll(async () => {
  await optional.close();
  await app.close();
});

const PASSWORD = 'a long enough password';
const ADMIN = 'admin@kindred.test';
const THERAPIST = 'other.therapist@kindred.test';
await app.db.query(`update account set password_hash = $1 where email_index = any($2::bytea[])`, [
  await hashPassword(PASSWORD),
  [ADMIN, THERAPIST, 'second.admin@kindred.test'].map(emailIndex),
]);

const LOGIN = `mutation($input: LoginInput!) {
  login(input: $input) { token recoveryCodes secondFactorSetup { secret uri } userErrors { code field } }
}`;

async function login(server: TestApp, email: string, oneTimeCode?: string, password = PASSWORD) {
  const response = await server.gql(LOGIN, { variables: { input: { email, password, oneTimeCode } } });
  expect(response.body.errors).toBeUndefined();
  return response.body.data.login as {
    token: string | null;
    recoveryCodes: string[] | null;
    secondFactorSetup: { secret: string; uri: string } | null;
    userErrors: { code: string; field: string[] | null }[];
  };
}

/** The code an authenticator shows now, or `stepsAhead` 30-second steps later. */
const codeOf = (secret: string, stepsAhead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });

const refusal = (code: string) => ({
  token: null,
  recoveryCodes: null,
  secondFactorSetup: null,
  userErrors: [{ code, field: ['input', 'oneTimeCode'] }],
});

describe('where staff must use a second factor', () => {
  let secret: string;
  let recoveryCodes: string[];

  it('answers a staff sign-in without one with the setup to add, and no session', async () => {
    const first = await login(app, ADMIN);
    expect(first).toEqual({
      token: null,
      recoveryCodes: null,
      secondFactorSetup: {
        secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
        uri: expect.stringMatching(/^otpauth:\/\/totp\/Kindred:admin%40kindred\.test\?/),
      },
      userErrors: [{ code: 'SECOND_FACTOR_SETUP_REQUIRED', field: ['input', 'oneTimeCode'] }],
    });
    secret = first.secondFactorSetup!.secret;
    expect(first.secondFactorSetup!.uri).toContain(`secret=${secret}`);
    // Asking again shows the same setup (a phone that scanned it keeps working).
    expect((await login(app, ADMIN)).secondFactorSetup!.secret).toBe(secret);
  });

  it('refuses a wrong code, then turns the second factor on with a right one and answers the recovery codes once', async () => {
    expect(await login(app, ADMIN, '000000')).toEqual(refusal('INVALID_ONE_TIME_CODE'));
    const done = await login(app, ADMIN, await codeOf(secret));
    expect(done).toEqual({
      token: expect.stringMatching(/^kss_/),
      recoveryCodes: expect.any(Array),
      secondFactorSetup: null,
      userErrors: [],
    });
    recoveryCodes = done.recoveryCodes!;
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(new Set(recoveryCodes).size).toBe(10);
    const me = await app.gql(`{ viewer { secondFactor { enabled required recoveryCodesLeft } } }`, { token: done.token! });
    expect(me.body).toEqual({ data: { viewer: { secondFactor: { enabled: true, required: true, recoveryCodesLeft: 10 } } } });
  });

  it('asks for the code at every sign-in, and never accepts the same code twice', async () => {
    expect(await login(app, ADMIN)).toEqual(refusal('ONE_TIME_CODE_REQUIRED'));
    // The code that turned it on was spent: replaying it fails, the next step's code works.
    expect(await login(app, ADMIN, await codeOf(secret))).toEqual(refusal('INVALID_ONE_TIME_CODE'));
    const next = await codeOf(secret, 1);
    expect((await login(app, ADMIN, next)).userErrors).toEqual([]);
    expect(await login(app, ADMIN, next)).toEqual(refusal('INVALID_ONE_TIME_CODE'));
    // A wrong password with a right code is still the same INVALID_CREDENTIALS as ever.
    expect((await login(app, ADMIN, await codeOf(secret, 1), 'not the password')).userErrors).toEqual([
      { code: 'INVALID_CREDENTIALS', field: null },
    ]);
  });

  it('takes each recovery code once, in any case and spacing', async () => {
    const code = recoveryCodes[0]!;
    expect((await login(app, ADMIN, ` ${code.toUpperCase()} `)).userErrors).toEqual([]);
    expect(await login(app, ADMIN, code)).toEqual(refusal('INVALID_ONE_TIME_CODE'));
    const token = (await login(app, ADMIN, recoveryCodes[1]!)).token!;
    const me = await app.gql(`{ viewer { secondFactor { recoveryCodesLeft } } }`, { token });
    expect(me.body.data.viewer.secondFactor).toEqual({ recoveryCodesLeft: 8 });
  });

  it('refuses to remove it where it is required', async () => {
    const token = (await login(app, ADMIN, recoveryCodes[2]!)).token!;
    const response = await app.gql(
      `mutation($input: RemoveSecondFactorInput!) { removeSecondFactor(input: $input) { done userErrors { code } } }`,
      { token, variables: { input: { password: PASSWORD, oneTimeCode: recoveryCodes[3] } } },
    );
    expect(response.body).toEqual({ data: { removeSecondFactor: { done: null, userErrors: [{ code: 'INVALID_STATE' }] } } });
  });

  it('does not honour a staff session that signed in without a second factor', async () => {
    const response = await app.gql('{ viewer { role } }', { token: world.therapists.other.token });
    expect(response.status).toBe(401);
    // The same session on the server where the second factor is optional works.
    expect((await optional.gql('{ viewer { role } }', { token: world.therapists.other.token })).body).toEqual({
      data: { viewer: { role: 'THERAPIST' } },
    });
  });

  it('asks nothing more of members', async () => {
    expect((await app.gql('{ viewer { role secondFactor { enabled } } }', { token: world.members.subject.token })).body).toEqual({
      data: { viewer: { role: 'MEMBER', secondFactor: null } },
    });
  });

  it('keeps the secret and the codes out of the staff action log and the server log', async () => {
    const log = await app.db.query<{ text: string }>("select string_agg(changes::text, ' ') as text from staff_action");
    const everything = `${log[0]!.text ?? ''} ${app.logs.join('\n')}`;
    expect(everything).not.toContain(secret);
    for (const code of recoveryCodes) expect(everything).not.toContain(code);
  });
});

describe('where the second factor is optional (the demo)', () => {
  it('lets staff sign in without one, set one up while signed in, and then asks for it', async () => {
    const first = await login(optional, THERAPIST);
    expect(first.userErrors).toEqual([]);
    const token = first.token!;
    const begun = await optional.gql(`mutation { beginSecondFactorSetup { secondFactorSetup { secret } userErrors { code } } }`, { token });
    const secret = begun.body.data.beginSecondFactorSetup.secondFactorSetup.secret;
    const confirm = `mutation($input: OneTimeCodeInput!) { confirmSecondFactorSetup(input: $input) { recoveryCodes userErrors { code } } }`;
    expect(
      (await optional.gql(confirm, { token, variables: { input: { oneTimeCode: '123456' } } })).body.data.confirmSecondFactorSetup,
    ).toEqual({
      recoveryCodes: null,
      userErrors: [{ code: 'INVALID_ONE_TIME_CODE' }],
    });
    const confirmed = await optional.gql(confirm, { token, variables: { input: { oneTimeCode: await codeOf(secret) } } });
    expect(confirmed.body.data.confirmSecondFactorSetup.recoveryCodes).toHaveLength(10);
    // Both calls are in the staff action log, which shows that the account changed but not how.
    const [logged] = await app.db.query<{ actions: string[]; text: string }>(
      `select array_agg(action order by id) as actions, string_agg(changes::text, ' ') as text from staff_action where action like '%SecondFactorSetup'`,
    );
    expect(logged!.actions).toEqual(['beginSecondFactorSetup', 'confirmSecondFactorSetup', 'confirmSecondFactorSetup']);
    expect(logged!.text).toContain('[redacted]');
    expect(logged!.text).not.toContain(secret);
    for (const code of confirmed.body.data.confirmSecondFactorSetup.recoveryCodes) expect(logged!.text).not.toContain(code);

    expect(await login(optional, THERAPIST)).toEqual(refusal('ONE_TIME_CODE_REQUIRED'));
    const signedIn = (await login(optional, THERAPIST, await codeOf(secret, 1))).token!;

    const removed = await optional.gql(
      `mutation($input: RemoveSecondFactorInput!) { removeSecondFactor(input: $input) { done userErrors { code } } }`,
      {
        token: signedIn,
        variables: { input: { password: PASSWORD, oneTimeCode: confirmed.body.data.confirmSecondFactorSetup.recoveryCodes[0] } },
      },
    );
    expect(removed.body.data.removeSecondFactor).toEqual({ done: true, userErrors: [] });
    expect((await login(optional, THERAPIST)).userErrors).toEqual([]);
  });

  it('is each account’s own: members and partners cannot start a setup', async () => {
    for (const token of [world.members.subject.token, world.partners.referring.token]) {
      expect((await optional.gql(`mutation { beginSecondFactorSetup { userErrors { code } } }`, { token })).body).toEqual({
        data: null,
        errors: [topLevel('FORBIDDEN', ['beginSecondFactorSetup'])],
      });
    }
  });
});

describe('viewer.signInEmail', () => {
  it('gives staff their own address and nobody else any: null for a member, a partner and anonymous', async () => {
    const ask = (token?: string) => optional.gql(`{ viewer { role signInEmail } }`, { token }).then((r) => r.body);
    expect(await ask(world.admin.token)).toEqual({ data: { viewer: { role: 'ADMIN', signInEmail: 'admin@kindred.test' } } });
    expect((await ask(world.therapists.lead.token)).data.viewer.signInEmail).toBe('lead.therapist@kindred.test');
    for (const token of [world.members.subject.token, world.partners.referring.token, undefined]) {
      expect((await ask(token)).data.viewer.signInEmail).toBeNull();
    }
  });
});

describe('sessions', () => {
  const SESSIONS = `{ viewer { signInSessions { id signedInAt expiresAt lastUsedAt client secondFactor current } } }`;
  const REVOKE = `mutation($input: RevokeSignInSessionInput!) { revokeSignInSession(input: $input) { done userErrors { code field } } }`;

  it('lists the caller’s own sessions, marking the current one, with the browser they came from; ends one at once', async () => {
    const signIn = async (userAgent: string) =>
      (
        await optional.gql(LOGIN, {
          variables: { input: { email: 'second.admin@kindred.test', password: PASSWORD } },
          headers: { 'user-agent': userAgent },
        })
      ).body.data.login.token as string;
    const a = await signIn('Safari/18');
    const b = await signIn('Firefox/140');
    const listed = (await optional.gql(SESSIONS, { token: b })).body.data.viewer.signInSessions;
    const shape = (client: string | null, current: boolean, lastUsedAt: unknown) => ({
      id: expect.any(String),
      signedInAt: expect.any(String),
      expiresAt: expect.any(String),
      lastUsedAt,
      client,
      secondFactor: false,
      current,
    });
    // Newest first: b (in use: this very request), a (not used since it signed in), then the
    // world's own session of this admin (made without a user agent, used or not by other tests).
    expect(listed).toEqual([
      shape('Firefox/140', true, expect.any(String)),
      shape('Safari/18', false, null),
      shape(null, false, listed[2].lastUsedAt),
    ]);

    expect((await optional.gql(REVOKE, { token: b, variables: { input: { id: listed[1].id } } })).body.data.revokeSignInSession).toEqual({
      done: true,
      userErrors: [],
    });
    expect((await optional.gql('{ viewer { role } }', { token: a })).status).toBe(401);
    expect((await optional.gql('{ viewer { role } }', { token: b })).status).toBe(200);
    expect((await optional.gql('{ viewer { role } }', { token: world.secondAdmin.token })).status).toBe(200);
  });

  it('answers another account’s session as one that does not exist, and leaves it working', async () => {
    const admin = (await login(optional, 'second.admin@kindred.test')).token!;
    const therapistSessions = (await optional.gql(SESSIONS, { token: world.therapists.co.token })).body.data.viewer.signInSessions;
    const theirs = therapistSessions[0].id;
    expect((await optional.gql(REVOKE, { token: admin, variables: { input: { id: theirs } } })).body.data.revokeSignInSession).toEqual({
      done: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'] }],
    });
    expect((await optional.gql('{ viewer { role } }', { token: world.therapists.co.token })).status).toBe(200);
  });

  it('ends every other session at once', async () => {
    const keep = (await login(optional, 'second.admin@kindred.test')).token!;
    const response = await optional.gql(`mutation { revokeOtherSignInSessions { revoked userErrors { code } } }`, { token: keep });
    expect(response.body.data.revokeOtherSignInSessions.revoked).toBeGreaterThanOrEqual(1);
    expect((await optional.gql('{ viewer { role } }', { token: world.secondAdmin.token })).status).toBe(401);
    expect((await optional.gql(SESSIONS, { token: keep })).body.data.viewer.signInSessions).toEqual([
      expect.objectContaining({ current: true }),
    ]);
  });
});
