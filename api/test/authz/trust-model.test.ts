/**
 * The trust model (docs/personal-identifiers.md, "Trust model"), attacked as the four side roads
 * that once led around the identifier rule, each as a regression test:
 *
 * 1. an admin choosing a therapist's password, assigning it to a group and reading as it;
 * 2. a partner getting a member's sign-in (a password, a session or a link);
 * 3. someone registering with another person's address (and the answer telling taken from new);
 * 4. `members(groupId:)` telling a therapist about groups it does not lead.
 *
 * Then the rest of the model: assignments end access (and a group that ended keeps it for 90
 * days), passwords reset and sign-in addresses change only through the owner's inbox, a member's
 * own sign-in serves every record registered with its address. Mail goes through a real SMTP
 * server (support/mailbox.ts); the worker runs in the server, as in production.
 */
import { emailIndex } from '@kindred/crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchema } from '../../src/app/schema.js';
import { topLevelError as topLevel } from '../support/graphql-expect.js';
import { startMailbox } from '../support/mailbox.js';
import { addMember, startWorld, SUBJECT_IDENTITY } from '../support/world.js';
import { isObjectType, getNamedType } from 'graphql';

const mailbox = await startMailbox();
const { app, world } = await startWorld({ smtpUrl: mailbox.url });
afterAll(async () => {
  await app.close();
  await mailbox.stop();
});

const PASSWORD = 'a long enough password';
const MEMBER_FIELDS = 'id displayName legalName email';

/** Runs a mutation `name(input: $input) { <selection> userErrors { code field } }` and returns its payload. */
async function call(name: string, inputType: string, input: Record<string, unknown>, token?: string, selection = '') {
  const response = await app.gql(`mutation($input: ${inputType}!) { ${name}(input: $input) { ${selection} userErrors { code field } } }`, {
    token,
    variables: { input },
  });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data[name];
}

async function login(email: string, password = PASSWORD): Promise<{ token: string | null; codes: string[] }> {
  const payload = await call('login', 'LoginInput', { email, password }, undefined, 'token');
  return { token: payload.token, codes: payload.userErrors.map((e: { code: string }) => e.code) };
}

async function signedIn(email: string, password = PASSWORD): Promise<string> {
  const { token, codes } = await login(email, password);
  expect(codes).toEqual([]);
  return token!;
}

const readSubject = (token: string) =>
  app.gql(`query($id: ID!) { member(id: $id) { ${MEMBER_FIELDS} } }`, { token, variables: { id: world.members.subject.globalId } });

const SUBJECT_VALUES = {
  id: world.members.subject.globalId,
  displayName: 'Rowan',
  legalName: SUBJECT_IDENTITY.legalName,
  email: SUBJECT_IDENTITY.email,
};

const actionsOf = async (actorId: string) =>
  (
    await app.db.query<{ action: string; outcome: string }>(
      'select action, outcome from staff_action where actor_id = $1 order by at, id',
      [actorId],
    )
  ).map((r) => `${r.action}:${r.outcome}`);

describe('road 1: an admin cannot make itself a therapist', () => {
  const email = 'controlled.therapist@kindred.test';
  let therapistId: string;

  it('has no way to choose a therapist’s password: the input has no such field', async () => {
    const response = await app.gql(
      `mutation($input: CreateTherapistInput!) { createTherapist(input: $input) { therapist { id } userErrors { code } } }`,
      {
        token: world.admin.token,
        variables: { input: { email, password: PASSWORD, displayName: 'Dr. Controlled', credentials: 'PhD', timeZone: 'UTC' } },
      },
    );
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await app.db.query('select count(*)::int as n from account where email_index = $1', [emailIndex(email)])).toEqual([{ n: 0 }]);
  });

  it('invites, assigns and tries to approve its own invitee: refused, and nothing signs in or reads', async () => {
    const created = await call(
      'createTherapist',
      'CreateTherapistInput',
      { email, displayName: 'Dr. Controlled', credentials: 'PhD', timeZone: 'UTC' },
      world.admin.token,
      'therapist { id }',
    );
    therapistId = created.therapist.id;
    const assigned = await call(
      'updateGroup',
      'UpdateGroupInput',
      { id: world.groups.a.globalId, coTherapistIds: [world.therapists.co.globalId, therapistId] },
      world.admin.token,
    );
    expect(assigned.userErrors).toEqual([]);

    // A password reset asked by the admin goes to the therapist's inbox, and answers nothing.
    const reset = await call('requestPasswordReset', 'RequestPasswordResetInput', { email }, world.admin.token, 'accepted');
    expect(reset).toEqual({ accepted: true, userErrors: [] });

    const ownApproval = await call('approveTherapist', 'ApproveTherapistInput', { therapistId }, world.admin.token, 'therapist { id }');
    expect(ownApproval).toEqual({ therapist: null, userErrors: [{ code: 'SECOND_ADMIN_REQUIRED', field: ['input', 'therapistId'] }] });

    // The invitation is the only way in, and it is in the therapist's inbox.
    const invitation = await mailbox.waitFor(email, { subject: /invited/ });
    expect(
      await call('acceptInvitation', 'AcceptInvitationInput', { token: invitation.token, password: PASSWORD }, undefined, 'done'),
    ).toEqual({
      done: true,
      userErrors: [],
    });
    expect((await login(email)).codes).toEqual(['NOT_APPROVED']);
    expect(await actionsOf(world.admin.id)).toEqual(
      expect.arrayContaining(['createTherapist:DONE', 'updateGroup:DONE', 'requestPasswordReset:DONE', 'approveTherapist:REFUSED']),
    );
  });

  it('reads identifiers only once a second admin approved it', async () => {
    const approval = await call('approveTherapist', 'ApproveTherapistInput', { therapistId }, world.secondAdmin.token, 'therapist { id }');
    expect(approval).toEqual({ therapist: { id: therapistId }, userErrors: [] });
    const token = await signedIn(email);
    expect((await readSubject(token)).body).toEqual({ data: { member: SUBJECT_VALUES } });
    expect(await actionsOf(world.secondAdmin.id)).toEqual(['approveTherapist:DONE']);
  });

  it('loses access when the assignment ends, and the history says who ended it', async () => {
    const token = await signedIn(email);
    const ended = await call(
      'updateGroup',
      'UpdateGroupInput',
      { id: world.groups.a.globalId, coTherapistIds: [world.therapists.co.globalId] },
      world.admin.token,
    );
    expect(ended.userErrors).toEqual([]);
    expect((await readSubject(token)).body).toEqual({ data: { member: null }, errors: [topLevel('NOT_FOUND', ['member'])] });

    const history = await app.gql(
      `query($id: ID!) { group(id: $id) { assignments { role therapist { id } startedBy startedByAdmin { id } endedAt endedBy endedByAdmin { id } } } }`,
      { token: world.secondAdmin.token, variables: { id: world.groups.a.globalId } },
    );
    const mine = history.body.data.group.assignments.filter((a: { therapist: { id: string } }) => a.therapist.id === therapistId);
    expect(mine).toEqual([
      {
        role: 'CO',
        therapist: { id: therapistId },
        startedBy: 'ADMIN',
        startedByAdmin: { id: world.admin.globalId },
        endedAt: expect.any(String),
        endedBy: 'ADMIN',
        endedByAdmin: { id: world.admin.globalId },
      },
    ]);
  });

  it('keeps the group it left in its own history, read by admins and by itself only', async () => {
    const HISTORY = `query($id: ID!) { therapist(id: $id) { assignments { role group { id } endedAt endedBy } } }`;
    const expected = [{ role: 'CO', group: { id: world.groups.a.globalId }, endedAt: expect.any(String), endedBy: 'ADMIN' }];
    const asAdmin = await app.gql(HISTORY, { token: world.secondAdmin.token, variables: { id: therapistId } });
    expect(asAdmin.body).toEqual({ data: { therapist: { assignments: expected } } });
    const asItself = await app.gql(HISTORY, { token: await signedIn(email), variables: { id: therapistId } });
    expect(asItself.body).toEqual({ data: { therapist: { assignments: expected } } });
    for (const token of [world.therapists.lead.token, world.partners.referring.token, world.members.subject.token, undefined]) {
      const refused = await app.gql(HISTORY, { token, variables: { id: therapistId } });
      expect(refused.body).toEqual({
        data: { therapist: { assignments: null } },
        errors: [topLevel(token ? 'FORBIDDEN' : 'UNAUTHENTICATED', ['therapist', 'assignments'])],
      });
    }
  });
});

describe('road 2: a partner never holds a member’s sign-in', () => {
  it('cannot give the member a password: refused, nothing stored', async () => {
    const input = { displayName: 'Puppet', timeZone: 'UTC', legalName: 'Puppet Person', email: 'puppet@example.org', password: PASSWORD };
    const payload = await call('registerMember', 'RegisterMemberInput', input, world.partners.referring.token, 'member { id } token');
    expect(payload).toEqual({ member: null, token: null, userErrors: [{ code: 'INVALID_STATE', field: ['input', 'password'] }] });
    expect((await login('puppet@example.org')).codes).toEqual(['INVALID_CREDENTIALS']);
  });

  it('asking for its member’s sign-in gets the same answer as anyone, and the link goes only to the member’s inbox', async () => {
    const input = { displayName: 'Referred', timeZone: 'UTC', legalName: 'Referred Person', email: 'referred.person@example.org' };
    const registered = await call('registerMember', 'RegisterMemberInput', input, world.partners.referring.token, 'member { id } token');
    expect(registered.token).toBeNull();
    const asked = await call(
      'requestMemberSignIn',
      'RequestMemberSignInInput',
      { email: input.email },
      world.partners.referring.token,
      'accepted',
    );
    expect(asked).toEqual({ accepted: true, userErrors: [] });
    const mail = await mailbox.waitFor(input.email);
    expect(mail.path).toBe('/account/sign-in');
    expect(mailbox.received.filter((m) => m.token === mail.token).map((m) => m.to)).toEqual([input.email]);
  });

  it('has no mutation payload that carries a session, a password or an account link (the schema, walked)', async () => {
    const schema = await createSchema();
    const secretish = /token|secret|password|session|link/i;
    const found: string[] = [];
    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      const payload = getNamedType(field.type);
      if (!isObjectType(payload)) continue;
      for (const name of Object.keys(payload.getFields())) if (secretish.test(name)) found.push(`${payload.name}.${name}`);
    }
    // login: the caller's own session. RegisterMemberPayload.token: deprecated, always null (above).
    // CreatePartnerApiKeyPayload.secret: a partner's API key, for the partner (it reads no identifier).
    expect(found.sort()).toEqual(['CreatePartnerApiKeyPayload.secret', 'LoginPayload.token', 'RegisterMemberPayload.token']);
  });
});

describe('road 3: nobody takes another person’s address', () => {
  const REGISTER_SELF = `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { member { id } token userErrors { code field } } }`;
  const self = (email: string) => ({ displayName: 'Claimer', timeZone: 'UTC', legalName: 'Claimer Person', email, password: PASSWORD });

  it('answers a taken address byte for byte as a new one, gives no session, and tells the owner (once an hour)', async () => {
    const taken = await app.gql(REGISTER_SELF, { variables: { input: self(SUBJECT_IDENTITY.email) } });
    const fresh = await app.gql(REGISTER_SELF, { variables: { input: self('brand.new@example.org') } });
    expect(taken.text).toBe(fresh.text);
    expect(fresh.body).toEqual({ data: { registerMember: { member: null, token: null, userErrors: [] } } });
    expect((await login(SUBJECT_IDENTITY.email)).codes).toEqual(['INVALID_CREDENTIALS']); // the claimer's password does not open the subject's account

    const notice = await mailbox.waitFor(SUBJECT_IDENTITY.email, { subject: /tried to register/ });
    expect(notice.token).toBeNull();
    await app.gql(REGISTER_SELF, { variables: { input: self(SUBJECT_IDENTITY.email) } });
    await mailbox.waitFor('brand.new@example.org');
    // The second attempt within the hour sends no second notice (throttled per address).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(mailbox.to(SUBJECT_IDENTITY.email).filter((m) => /tried to register/.test(m.subject))).toHaveLength(1);
  });

  it('lets the new address sign in only after its link was followed', async () => {
    expect((await login('brand.new@example.org')).codes).toEqual(['INVALID_CREDENTIALS']);
    const link = await mailbox.waitFor('brand.new@example.org');
    expect(await call('verifyEmail', 'ConfirmLinkInput', { token: link.token }, undefined, 'done')).toEqual({ done: true, userErrors: [] });
    await signedIn('brand.new@example.org');
    expect(await call('verifyEmail', 'ConfirmLinkInput', { token: link.token }, undefined, 'done')).toEqual({
      done: null,
      userErrors: [{ code: 'INVALID_TOKEN', field: ['input', 'token'] }],
    });
  });

  it('gives a partner registering a taken address its own new record, never the other one or a hint of it', async () => {
    const input = { displayName: 'Echo of Rowan', timeZone: 'UTC', legalName: 'Someone Else', email: SUBJECT_IDENTITY.email };
    const payload = await call('registerMember', 'RegisterMemberInput', input, world.partners.other.token, 'member { id displayName }');
    expect(payload).toEqual({ member: { id: expect.any(String), displayName: 'Echo of Rowan' }, userErrors: [] });
    expect(payload.member.id).not.toBe(world.members.subject.globalId);
  });
});

describe('road 4: filters tell nothing about groups the caller may not see', () => {
  it('members(groupId:) on another therapist’s group answers as for a group that does not exist', async () => {
    const LIST = `query($g: ID) { members(first: 10, groupId: $g) { nodes { id } } }`;
    const foreign = await app.gql(LIST, { token: world.therapists.lead.token, variables: { g: world.groups.b.globalId } });
    const missing = await app.gql(LIST, {
      token: world.therapists.lead.token,
      variables: { g: Buffer.from('Group:00000000-0000-7000-8000-000000000000').toString('base64url') },
    });
    expect(foreign.body).toEqual({ data: null, errors: [topLevel('NOT_FOUND', ['members'])] });
    expect(foreign.text).toBe(missing.text);
  });
});

describe('access after a group ends', () => {
  it('continues for 90 days after the group is COMPLETED or CANCELLED, then ends', async () => {
    await app.db.query(`update therapy_group set status = 'COMPLETED' where id = $1`, [world.groups.a.id]);
    const lead = world.therapists.lead.token;
    await app.db.query(`update therapy_group set ended_at = now() - interval '89 days' where id = $1`, [world.groups.a.id]);
    expect((await readSubject(lead)).body).toEqual({ data: { member: SUBJECT_VALUES } });
    await app.db.query(`update therapy_group set ended_at = now() - interval '91 days' where id = $1`, [world.groups.a.id]);
    expect((await readSubject(lead)).body).toEqual({ data: { member: null }, errors: [topLevel('NOT_FOUND', ['member'])] });
    await app.db.query(`update therapy_group set status = 'OPEN', ended_at = null where id = $1`, [world.groups.a.id]);
    expect((await readSubject(lead)).body).toEqual({ data: { member: SUBJECT_VALUES } });
  });
});

describe('credentials change only through their owner’s inbox', () => {
  const email = 'brand.new@example.org';

  it('resets a password from the mailed link, once; every earlier session ends', async () => {
    const before = await signedIn(email);
    expect(await call('requestPasswordReset', 'RequestPasswordResetInput', { email }, undefined, 'accepted')).toEqual({
      accepted: true,
      userErrors: [],
    });
    const link = await mailbox.waitFor(email, { subject: /password/ });
    expect(link.path).toBe('/account/reset');
    expect(
      await call('resetPassword', 'ResetPasswordInput', { token: link.token, password: 'the new long password' }, undefined, 'done'),
    ).toEqual({
      done: true,
      userErrors: [],
    });
    expect((await app.gql('{ viewer { role } }', { token: before })).status).toBe(401);
    expect((await login(email)).codes).toEqual(['INVALID_CREDENTIALS']);
    await signedIn(email, 'the new long password');
    expect(
      (await call('resetPassword', 'ResetPasswordInput', { token: link.token, password: PASSWORD }, undefined, 'done')).userErrors,
    ).toEqual([{ code: 'INVALID_TOKEN', field: ['input', 'token'] }]);
    // Back to the usual password for the tests below.
    await app.db.query(
      `update account set password_hash = (select password_hash from account where email_index = $1) where email_index = $2`,
      [emailIndex('controlled.therapist@kindred.test'), emailIndex(email)],
    );
  });

  it('answers a reset request for an unknown address exactly as for a known one, and mails nobody', async () => {
    const known = await app.gql(`mutation { requestPasswordReset(input: { email: "${email}" }) { accepted userErrors { code } } }`);
    const unknown = await app.gql(
      `mutation { requestPasswordReset(input: { email: "nobody.here@example.org" }) { accepted userErrors { code } } }`,
    );
    expect(unknown.text).toBe(known.text);
    await mailbox.waitFor(email, { subject: /password/ });
    expect(mailbox.to('nobody.here@example.org')).toEqual([]);
  });

  it('changes the sign-in address only when the new address confirms, and tells the old one', async () => {
    const token = await signedIn(email);
    const refused = await call(
      'changeSignInEmail',
      'ChangeSignInEmailInput',
      { newEmail: 'moved@example.org', password: 'not my password' },
      token,
      'accepted',
    );
    expect(refused.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS', field: ['input', 'password'] }]);
    const asked = await call(
      'changeSignInEmail',
      'ChangeSignInEmailInput',
      { newEmail: 'moved@example.org', password: PASSWORD },
      token,
      'accepted',
    );
    expect(asked).toEqual({ accepted: true, userErrors: [] });
    const notice = await mailbox.waitFor(email, { subject: /being changed/ });
    expect(notice.token).toBeNull();
    await signedIn(email); // nothing changed yet
    const link = await mailbox.waitFor('moved@example.org');
    expect(link.path).toBe('/account/confirm-email');
    expect(await call('confirmSignInEmail', 'ConfirmLinkInput', { token: link.token }, undefined, 'done')).toEqual({
      done: true,
      userErrors: [],
    });
    expect((await login(email)).codes).toEqual(['INVALID_CREDENTIALS']);
    await signedIn('moved@example.org');
  });

  it('is not possible for anyone else: changeSignInEmail needs the account’s own session and password', async () => {
    const response = await app.gql(
      `mutation($input: ChangeSignInEmailInput!) { changeSignInEmail(input: $input) { accepted userErrors { code } } }`,
      { token: world.partners.referring.token, variables: { input: { newEmail: 'hijack@example.org', password: PASSWORD } } },
    );
    expect(response.body).toEqual({ data: null, errors: [topLevel('FORBIDDEN', ['changeSignInEmail'])] });
  });
});

describe('a member’s own sign-in', () => {
  it('serves every record registered with its address (one per referring partner), and only those', async () => {
    const email = 'two.partners@example.org';
    const input = { displayName: 'Twice', timeZone: 'UTC', legalName: 'Twice Referred', email };
    const first = await call('registerMember', 'RegisterMemberInput', input, world.partners.referring.token, 'member { id }');
    const second = await call('registerMember', 'RegisterMemberInput', input, world.partners.other.token, 'member { id }');
    await addMember(app, world, { displayName: 'Unrelated' });
    await call('requestMemberSignIn', 'RequestMemberSignInInput', { email }, undefined, 'accepted');
    const link = await mailbox.waitFor(email);
    expect(await call('claimMemberSignIn', 'ClaimMemberSignInInput', { token: link.token, password: PASSWORD }, undefined, 'done')).toEqual(
      {
        done: true,
        userErrors: [],
      },
    );
    const token = await signedIn(email);
    const mine = await app.gql(`{ members(first: 10) { nodes { id legalName } } }`, { token });
    expect(mine.body.data.members.nodes.map((n: { id: string }) => n.id).sort()).toEqual([first.member.id, second.member.id].sort());
    expect(mine.body.data.members.nodes.map((n: { legalName: string }) => n.legalName)).toEqual(['Twice Referred', 'Twice Referred']);
  });
});
