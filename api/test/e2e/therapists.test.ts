/**
 * Therapists end to end: an admin invites a therapist (no password of the admin's choosing), who
 * chooses its own password from the mailed link and signs in once a second admin approved it;
 * and the public professional profiles.
 */
import { emailIndex } from '@kindred/crypto';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.js';
import { topLevelError as topLevel } from '../support/graphql-expect.js';
import { startMailbox } from '../support/mailbox.js';
import { startWorld } from '../support/world.js';

const mailbox = await startMailbox();
const { app, world } = await startWorld({ smtpUrl: mailbox.url });
afterAll(async () => {
  await app.close();
  await mailbox.stop();
});

const THERAPIST = 'id displayName credentials bio timeZone createdAt';
const CREATE = `mutation Create($input: CreateTherapistInput!) {
  createTherapist(input: $input) { therapist { ${THERAPIST} } userErrors { code field message } }
}`;
const ACCEPT = `mutation Accept($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { done userErrors { code field } } }`;
const APPROVE = `mutation Approve($input: ApproveTherapistInput!) {
  approveTherapist(input: $input) { therapist { id } userErrors { code field } }
}`;
const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) { token viewer { role therapist { ${THERAPIST} } } userErrors { code } }
}`;

const input = (overrides: Record<string, unknown> = {}) => ({
  email: 'amara.okafor@kindred.test',
  displayName: 'Dr. Amara Okafor',
  credentials: 'Licensed Clinical Social Worker',
  bio: 'Twenty years of group work.',
  timeZone: 'America/Chicago',
  ...overrides,
});

const PASSWORD = 'a long enough password';
const login = (email: string, password = PASSWORD) => app.gql(LOGIN, { variables: { input: { email, password } } });
const accept = (token: string | null, password = PASSWORD) => app.gql(ACCEPT, { variables: { input: { token, password } } });

describe('createTherapist', () => {
  let created: Record<string, unknown>;

  it('creates the therapist and an account that cannot sign in yet, and mails the invitation', async () => {
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

    const [account] = await app.db.query(
      `select a.email_index, a.role, a.password_hash, a.activated_at, a.approved_at, a.invited_by_id
         from account a join therapist t on t.id = a.therapist_id where t.display_name = 'Dr. Amara Okafor'`,
    );
    expect(account).toEqual({
      email_index: emailIndex('amara.okafor@kindred.test'),
      role: 'THERAPIST',
      password_hash: null,
      activated_at: null,
      approved_at: null,
      invited_by_id: world.admin.id,
    });
    const mail = await mailbox.waitFor('amara.okafor@kindred.test');
    expect(mail).toEqual({
      to: 'amara.okafor@kindred.test',
      subject: 'You have been invited to Kindred',
      text: expect.stringContaining('as a member of staff'),
      token: expect.stringMatching(/^kat_/),
      path: '/account/invitation',
    });
    // The secret is stored only as its hash.
    const [stored] = await app.db.query<{ token_hash: string }>(
      `select token_hash from account_token where purpose = 'INVITATION' order by created_at desc limit 1`,
    );
    expect(stored!.token_hash).not.toContain(mail.token!.slice(4));
  });

  it('lets the therapist choose its password from the link, once; it signs in only after a second admin approved it', async () => {
    const mail = mailbox.to('amara.okafor@kindred.test').at(-1)!;
    expect((await login('amara.okafor@kindred.test')).body.data.login.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS' }]);
    expect((await accept(mail.token)).body.data.acceptInvitation).toEqual({ done: true, userErrors: [] });
    expect((await accept(mail.token, 'another long password')).body.data.acceptInvitation).toEqual({
      done: null,
      userErrors: [{ code: 'INVALID_TOKEN', field: ['input', 'token'] }],
    });
    expect((await login('amara.okafor@kindred.test')).body.data.login).toEqual({
      token: null,
      viewer: null,
      userErrors: [{ code: 'NOT_APPROVED' }],
    });

    const byInviter = await app.gql(APPROVE, { token: world.admin.token, variables: { input: { therapistId: created.id } } });
    expect(byInviter.body.data.approveTherapist).toEqual({
      therapist: null,
      userErrors: [{ code: 'SECOND_ADMIN_REQUIRED', field: ['input', 'therapistId'] }],
    });
    const bySecond = await app.gql(APPROVE, { token: world.secondAdmin.token, variables: { input: { therapistId: created.id } } });
    expect(bySecond.body.data.approveTherapist).toEqual({ therapist: { id: created.id }, userErrors: [] });

    const response = await login('Amara.Okafor@kindred.test');
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

  it('answers a taken address (any case) as any other; the invitation mailed there cannot take the address over', async () => {
    const response = await app.gql(CREATE, {
      token: world.admin.token,
      variables: { input: input({ email: 'AMARA.okafor@kindred.test', displayName: 'Second Invitation' }) },
    });
    expect(response.body.data.createTherapist).toEqual({
      therapist: expect.objectContaining({ displayName: 'Second Invitation' }),
      userErrors: [],
    });
    await expect.poll(() => mailbox.to('amara.okafor@kindred.test').length).toBe(2);
    const [first, second] = mailbox.to('amara.okafor@kindred.test');
    expect(second!.token).not.toBe(first!.token);
    expect((await accept(second!.token, 'a takeover password')).body.data.acceptInvitation).toEqual({
      done: null,
      userErrors: [{ code: 'EMAIL_TAKEN', field: ['input', 'token'] }],
    });
    expect((await login('amara.okafor@kindred.test', 'a takeover password')).body.data.login.userErrors).toEqual([
      { code: 'INVALID_CREDENTIALS' },
    ]);
    await app.db.query(`delete from account where therapist_id in (select id from therapist where display_name = 'Second Invitation')`);
    await app.db.query(`delete from therapist where display_name = 'Second Invitation'`);
  });

  it('lets exactly one of two invitations to the same address be accepted, even at the same instant', async () => {
    for (const i of [1, 2]) {
      const response = await app.gql(CREATE, {
        token: world.admin.token,
        variables: { input: input({ email: 'race@kindred.test', displayName: `Racer ${i}` }) },
      });
      expect(response.body.data.createTherapist.userErrors).toEqual([]);
    }
    await expect.poll(() => mailbox.to('race@kindred.test').length).toBe(2);
    const responses = await Promise.all(mailbox.to('race@kindred.test').map((mail) => accept(mail.token)));
    for (const response of responses) expect(response.body.errors).toBeUndefined();
    expect(responses.map((r) => r.body.data.acceptInvitation).sort((a, b) => Number(b.done) - Number(a.done))).toEqual([
      { done: true, userErrors: [] },
      { done: null, userErrors: [{ code: 'EMAIL_TAKEN', field: ['input', 'token'] }] },
    ]);
    expect(
      await app.db.query(`select count(*)::int as n from account where email_index = $1 and activated_at is not null`, [
        emailIndex('race@kindred.test'),
      ]),
    ).toEqual([{ n: 1 }]);
    // Tidy up so the list below stays as written.
    await app.db.query(`delete from account where email_index = $1`, [emailIndex('race@kindred.test')]);
    await app.db.query(`delete from therapist where display_name like 'Racer %'`);
  });

  it('refuses invalid input field by field, and a password in the input is not part of the schema', async () => {
    const response = await app.gql(CREATE, {
      token: world.admin.token,
      variables: { input: input({ email: 'not-an-email', displayName: '', timeZone: 'Mars/Olympus' }) },
    });
    expect(response.body).toEqual({
      data: {
        createTherapist: {
          therapist: null,
          userErrors: [
            { code: 'INVALID_EMAIL', field: ['input', 'email'], message: expect.any(String) },
            { code: 'REQUIRED', field: ['input', 'displayName'], message: expect.any(String) },
            { code: 'INVALID_TIME_ZONE', field: ['input', 'timeZone'], message: expect.any(String) },
          ],
        },
      },
    });
    const withPassword = await app.gql(CREATE, {
      token: world.admin.token,
      variables: { input: { ...input({ email: 'chosen@kindred.test' }), password: 'the admin chose this' } },
    });
    expect(withPassword.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(
      await app.db.query(`select count(*)::int as n from account where email_index = $1`, [emailIndex('chosen@kindred.test')]),
    ).toEqual([{ n: 0 }]);
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

describe('resendInvitation', () => {
  const RESEND = `mutation Resend($input: ResendInvitationInput!) { resendInvitation(input: $input) { done userErrors { code field } } }`;
  const resend = (staffId: string, token = world.admin.token) => app.gql(RESEND, { token, variables: { input: { staffId } } });

  it('mails a new link to an invitee that has not accepted; the older link stops working; accepted, it is refused', async () => {
    const email = 'late.invitee@kindred.test';
    const created = await app.gql(CREATE, { token: world.admin.token, variables: { input: input({ email, displayName: 'Dr. Late' }) } });
    const therapistId = created.body.data.createTherapist.therapist.id;
    const first = await mailbox.waitFor(email);

    expect((await resend(therapistId)).body).toEqual({ data: { resendInvitation: { done: true, userErrors: [] } } });
    await expect.poll(() => mailbox.to(email).length).toBe(2);
    const second = mailbox.to(email)[1]!;
    expect(second.subject).toBe('You have been invited to Kindred');
    expect((await accept(first.token)).body.data.acceptInvitation.userErrors).toEqual([
      { code: 'INVALID_TOKEN', field: ['input', 'token'] },
    ]);
    expect((await accept(second.token)).body.data.acceptInvitation).toEqual({ done: true, userErrors: [] });

    expect((await resend(therapistId)).body.data.resendInvitation).toEqual({
      done: null,
      userErrors: [{ code: 'INVALID_STATE', field: ['input', 'staffId'] }],
    });
    expect(mailbox.to(email)).toHaveLength(2);
    // Tidy up so the list below stays as written.
    await app.db.query(`delete from account where email_index = $1`, [emailIndex(email)]);
    await app.db.query(`delete from therapist where display_name = 'Dr. Late'`);
  });

  it('answers NOT_FOUND for an unknown staff ID and INVALID_ID for another kind of ID; admins only', async () => {
    expect((await resend(toGlobalId('Therapist', randomUUID()))).body.data.resendInvitation.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'staffId'] },
    ]);
    expect((await resend(world.members.subject.globalId)).body.data.resendInvitation.userErrors).toEqual([
      { code: 'INVALID_ID', field: ['input', 'staffId'] },
    ]);
    for (const token of [world.therapists.lead.token, world.partners.referring.token, world.members.subject.token]) {
      expect((await resend(world.therapists.lead.globalId, token)).body).toEqual({
        data: null,
        errors: [topLevel('FORBIDDEN', ['resendInvitation'])],
      });
    }
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
