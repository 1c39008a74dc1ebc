/**
 * Everything staff do is audited (docs/personal-identifiers.md, "Staff actions"): every call of
 * every mutation by an admin, a therapist or a partner appends exactly one `staff_action` row,
 * whatever came of it, and members' and anonymous calls none; the log is append-only whoever
 * connects; it records the fields an action changed, never a personal identifier's value; and
 * `staffActions` shows admins everything, a therapist what touched its own groups, nobody else
 * anything.
 */
import { emailIndex } from '@kindred/crypto';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { newSecret, SESSION_PREFIX, secretHash } from '../../src/authz/credentials.js';
import { createSchema } from '../../src/app/schema.js';
import { type NodeTypeName, toGlobalId } from '../../src/graphql/ids.js';
import { ANOTHER_IDENTITY, SUBJECT_IDENTITY, startWorld } from '../support/world.js';

const { app, world } = await startWorld();
afterAll(() => app.close());

/** The global ID of an object that does not exist: the call is refused, and still recorded. */
const ghost = (type: NodeTypeName) => toGlobalId(type, randomUUID());

interface Call {
  /** The input type, or null for a mutation without input. */
  inputType: string | null;
  input?: () => Record<string, unknown>;
}

/**
 * One call per mutation of the schema. Most name objects that do not exist (refused with
 * NOT_FOUND, or FORBIDDEN for a role that may not call it): what is asserted is the one row per
 * call, not the outcome. The test below fails when a mutation is missing here.
 */
const CALLS: Record<string, Call> = {
  login: { inputType: 'LoginInput', input: () => ({ email: 'nobody@example.org', password: 'not the password' }) },
  createProgram: {
    inputType: 'CreateProgramInput',
    input: () => ({ title: 'Audited', summary: 'S', sessionCount: 4, sessionLengthMinutes: 60 }),
  },
  updateProgram: { inputType: 'UpdateProgramInput', input: () => ({ id: ghost('Program'), title: 'T' }) },
  eraseMember: { inputType: 'EraseMemberInput', input: () => ({ memberId: ghost('Member') }) },
  publishProgram: { inputType: 'ProgramStatusInput', input: () => ({ id: ghost('Program') }) },
  archiveProgram: { inputType: 'ProgramStatusInput', input: () => ({ id: ghost('Program') }) },
  createGroup: {
    inputType: 'CreateGroupInput',
    input: () => ({
      programId: ghost('Program'),
      title: 'G',
      leadTherapistId: world.therapists.lead.globalId,
      capacity: 5,
      type: 'CLOSED',
      format: 'ONLINE',
      schedule: { timeZone: 'Europe/London', startsOn: '2030-01-07', weekday: 'MONDAY', startTime: '18:00' },
    }),
  },
  updateGroup: { inputType: 'UpdateGroupInput', input: () => ({ id: ghost('Group'), title: 'T' }) },
  openGroup: { inputType: 'OpenGroupInput', input: () => ({ id: ghost('Group') }) },
  cancelGroup: { inputType: 'CancelGroupInput', input: () => ({ id: ghost('Group'), reason: 'Audit test' }) },
  createTherapist: {
    inputType: 'CreateTherapistInput',
    input: () => ({
      email: `audit.${randomUUID()}@kindred.test`,
      displayName: 'Audited',
      credentials: 'LCSW',
      timeZone: 'Europe/London',
    }),
  },
  createPartner: { inputType: 'CreatePartnerInput', input: () => ({ name: 'Audited partner' }) },
  createPartnerApiKey: { inputType: 'CreatePartnerApiKeyInput', input: () => ({ partnerId: ghost('Partner'), label: 'audit' }) },
  revokePartnerApiKey: { inputType: 'RevokePartnerApiKeyInput', input: () => ({ apiKeyId: ghost('PartnerApiKey') }) },
  registerMember: {
    inputType: 'RegisterMemberInput',
    input: () => ({
      displayName: 'Audited',
      timeZone: 'Europe/London',
      legalName: 'Audit Person',
      email: `audit.${randomUUID()}@example.org`,
    }),
  },
  requestMemberSignIn: { inputType: 'RequestMemberSignInInput', input: () => ({ email: `audit.${randomUUID()}@example.org` }) },
  claimMemberSignIn: {
    inputType: 'ClaimMemberSignInInput',
    input: () => ({ token: 'kat_not-a-token', password: 'a long enough password' }),
  },
  verifyEmail: { inputType: 'ConfirmLinkInput', input: () => ({ token: 'kat_not-a-token' }) },
  requestPasswordReset: { inputType: 'RequestPasswordResetInput', input: () => ({ email: `audit.${randomUUID()}@example.org` }) },
  resetPassword: { inputType: 'ResetPasswordInput', input: () => ({ token: 'kat_not-a-token', password: 'a long enough password' }) },
  changeSignInEmail: {
    inputType: 'ChangeSignInEmailInput',
    input: () => ({ newEmail: `audit.${randomUUID()}@example.org`, password: 'not the password' }),
  },
  confirmSignInEmail: { inputType: 'ConfirmLinkInput', input: () => ({ token: 'kat_not-a-token' }) },
  acceptInvitation: { inputType: 'AcceptInvitationInput', input: () => ({ token: 'kat_not-a-token', password: 'a long enough password' }) },
  inviteAdmin: { inputType: 'InviteAdminInput', input: () => ({ email: `audit.${randomUUID()}@kindred.test` }) },
  approveAdmin: { inputType: 'ApproveAdminInput', input: () => ({ adminId: ghost('Admin') }) },
  resendInvitation: { inputType: 'ResendInvitationInput', input: () => ({ staffId: ghost('Therapist') }) },
  approveTherapist: { inputType: 'ApproveTherapistInput', input: () => ({ therapistId: ghost('Therapist') }) },
  createAgreement: { inputType: 'CreateAgreementInput', input: () => ({ kind: 'CONFIDENTIALITY', title: 'A', bodyMarkdown: 'B' }) },
  publishAgreementVersion: {
    inputType: 'PublishAgreementVersionInput',
    input: () => ({ agreementId: ghost('Agreement'), bodyMarkdown: 'B', requiresResign: false }),
  },
  signAgreement: {
    inputType: 'SignAgreementInput',
    input: () => ({ agreementId: ghost('Agreement'), memberId: ghost('Member'), typedName: 'X' }),
  },
  reserveSeat: { inputType: 'ReserveSeatInput', input: () => ({ groupId: ghost('Group'), memberId: ghost('Member') }) },
  cancelReservation: { inputType: 'CancelReservationInput', input: () => ({ reservationId: ghost('Reservation') }) },
  removeReservation: { inputType: 'RemoveReservationInput', input: () => ({ reservationId: ghost('Reservation'), reason: 'audit' }) },
  moveReservation: { inputType: 'MoveReservationInput', input: () => ({ reservationId: ghost('Reservation'), toGroupId: ghost('Group') }) },
  recordAttendance: {
    inputType: 'RecordAttendanceInput',
    input: () => ({ sessionId: ghost('Session'), memberId: ghost('Member'), status: 'PRESENT' }),
  },
  logout: { inputType: null },
  beginSecondFactorSetup: { inputType: null },
  confirmSecondFactorSetup: { inputType: 'OneTimeCodeInput', input: () => ({ oneTimeCode: '000000' }) },
  regenerateRecoveryCodes: { inputType: 'OneTimeCodeInput', input: () => ({ oneTimeCode: '000000' }) },
  removeSecondFactor: { inputType: 'RemoveSecondFactorInput', input: () => ({ password: 'not the password', oneTimeCode: '000000' }) },
  revokeSignInSession: { inputType: 'RevokeSignInSessionInput', input: () => ({ id: ghost('SignInSession') }) },
  revokeOtherSignInSessions: { inputType: null },
};

function documentOf(name: string, call: Call): string {
  return call.inputType
    ? `mutation Audited($input: ${call.inputType}!) { ${name}(input: $input) { userErrors { code } } }`
    : `mutation Audited { ${name} { userErrors { code } } }`;
}

/** A fresh session of the account with `email` (logout ends the session it is called with). */
async function sessionOf(email: string): Promise<string> {
  const token = newSecret(SESSION_PREFIX);
  await app.db.query(
    `insert into auth_session (id, account_id, token_hash, expires_at, created_at)
     select gen_random_uuid(), id, $2, now() + interval '1 hour', now() from account where email_index = $1`,
    [emailIndex(email), secretHash(token)],
  );
  return token;
}

const rowCount = async () => (await app.db.query<{ n: number }>('select count(*)::int as n from staff_action'))[0]!.n;
const newest = async () =>
  (
    await app.db.query<{ action: string; actor_kind: string; outcome: string }>(
      'select action, actor_kind, outcome from staff_action order by id desc limit 1',
    )
  )[0];

describe('the staff action log', () => {
  it('has a recorded call for every mutation of the schema (a new mutation must add one here)', async () => {
    const schema = await createSchema();
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual(Object.keys(CALLS).sort());
  });

  const STAFF = [
    // Accounts the later tests do not use: revokeOtherSignInSessions ends their other sessions.
    ['ADMIN', () => sessionOf('second.admin@kindred.test')],
    ['THERAPIST', () => sessionOf('co.therapist@kindred.test')],
    ['PARTNER', async () => world.partners.referring.token],
  ] as const;

  for (const [name, call] of Object.entries(CALLS)) {
    it(`${name}: one row for each call by an admin, a therapist or a partner; none for a member or anonymous`, async () => {
      const rows: { role: string; added: number; newest: unknown }[] = [];
      for (const [role, tokenOf] of STAFF) {
        const before = await rowCount();
        const response = await app.gql(documentOf(name, call), {
          variables: call.input ? { input: call.input() } : {},
          token: await tokenOf(),
        });
        expect(response.status).toBeLessThan(500);
        rows.push({ role, added: (await rowCount()) - before, newest: await newest() });
      }
      for (const token of [await sessionOf(ANOTHER_IDENTITY.email), undefined]) {
        const before = await rowCount();
        await app.gql(documentOf(name, call), { variables: call.input ? { input: call.input() } : {}, token });
        rows.push({ role: token ? 'MEMBER' : 'ANONYMOUS', added: (await rowCount()) - before, newest: null });
      }
      const outcome = expect.stringMatching(/^(DONE|REFUSED|FAILED)$/);
      expect(rows).toEqual([
        { role: 'ADMIN', added: 1, newest: { action: name, actor_kind: 'ADMIN', outcome } },
        { role: 'THERAPIST', added: 1, newest: { action: name, actor_kind: 'THERAPIST', outcome } },
        { role: 'PARTNER', added: 1, newest: { action: name, actor_kind: 'PARTNER', outcome } },
        { role: 'MEMBER', added: 0, newest: null },
        { role: 'ANONYMOUS', added: 0, newest: null },
      ]);
    });
  }

  it('refuses UPDATE, DELETE and TRUNCATE on both audit tables, whoever connects', async () => {
    // A row in each (row triggers fire on rows): an admin's action, a therapist's identifier read.
    await app.gql('mutation { createPartner(input: { name: "Append-only check" }) { userErrors { code } } }', { token: world.admin.token });
    const read = await app.gql('query($id: ID!) { member(id: $id) { legalName } }', {
      variables: { id: world.members.subject.globalId },
      token: world.therapists.lead.token,
    });
    expect(read.body.data.member).toEqual({ legalName: SUBJECT_IDENTITY.legalName });
    const attempts = [
      'update staff_action set outcome = outcome',
      'delete from staff_action',
      'truncate staff_action',
      'update identifier_audit set fields = fields',
      'delete from identifier_audit',
      'truncate identifier_audit',
    ];
    const refused = [];
    for (const statement of attempts)
      refused.push(
        await app.db.query(statement).then(
          () => 'allowed',
          (error: Error) => error.message,
        ),
      );
    expect(refused).toEqual([
      'staff_action is append-only',
      'staff_action is append-only',
      'staff_action is append-only',
      'identifier_audit is append-only',
      'identifier_audit is append-only',
      'identifier_audit is append-only',
    ]);
  });
});

describe('what a row says', () => {
  const ACTIONS = `query Actions($groupId: ID, $actorId: ID) {
    staffActions(first: 5, groupId: $groupId, actorId: $actorId) {
      nodes { action actorKind outcome subjectType subjectId changes { type id before after } actor { __typename } }
    }
  }`;

  it('records the fields an action changed, before and after, and shows it to admins and the group’s therapists only', async () => {
    const update = await app.gql(
      'mutation($input: UpdateGroupInput!) { updateGroup(input: $input) { group { capacity } userErrors { code } } }',
      { variables: { input: { id: world.groups.a.globalId, capacity: 12, title: 'Renamed by the audit test' } }, token: world.admin.token },
    );
    expect(update.body.data.updateGroup).toEqual({ group: { capacity: 12 }, userErrors: [] });

    const asAdmin = await app.gql(ACTIONS, { variables: { groupId: world.groups.a.globalId }, token: world.admin.token });
    expect(asAdmin.body.data.staffActions.nodes[0]).toEqual({
      action: 'updateGroup',
      actorKind: 'ADMIN',
      outcome: 'DONE',
      subjectType: 'Group',
      subjectId: world.groups.a.globalId,
      changes: [
        {
          type: 'Group',
          id: world.groups.a.id,
          before: { title: expect.any(String), capacity: 10, updatedAt: expect.any(String) },
          after: { title: 'Renamed by the audit test', capacity: 12, updatedAt: expect.any(String) },
        },
      ],
      actor: { __typename: 'Admin' },
    });
    // The group's therapist sees the action, but not the admin account behind it (admin accounts
    // are for admins' eyes: `actorKind` says an admin acted, `actor` is null).
    const lead = await app.gql(ACTIONS, { variables: { groupId: world.groups.a.globalId }, token: world.therapists.lead.token });
    expect(lead.body.data.staffActions.nodes[0]).toEqual({ ...asAdmin.body.data.staffActions.nodes[0], actor: null });
    const adminFields = await app.gql(
      `query($groupId: ID) { staffActions(first: 1, groupId: $groupId) { nodes { actor { ... on Admin { id email status } } } } }`,
      { variables: { groupId: world.groups.a.globalId }, token: world.therapists.lead.token },
    );
    expect(adminFields.body).toEqual({ data: { staffActions: { nodes: [{ actor: null }] } } });
    const other = await app.gql(ACTIONS, { variables: { groupId: world.groups.a.globalId }, token: world.therapists.other.token });
    expect(other.body.data.staffActions.nodes).toEqual([]);
    for (const token of [world.partners.referring.token, world.members.subject.token]) {
      const refused = await app.gql(ACTIONS, { variables: {}, token });
      expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });

  it('files a refused call under the object its input named, so the attempt shows on that object', async () => {
    const therapistId = randomUUID();
    const refused = await app.gql(
      'mutation($input: ApproveTherapistInput!) { approveTherapist(input: $input) { therapist { id } userErrors { code } } }',
      { variables: { input: { therapistId: toGlobalId('Therapist', therapistId) } }, token: world.admin.token },
    );
    expect(refused.body.data.approveTherapist).toEqual({ therapist: null, userErrors: [{ code: 'NOT_FOUND' }] });
    const rows = await app.db.query('select outcome, subject_type, subject_id from staff_action where subject_id = $1', [therapistId]);
    expect(rows).toEqual([{ outcome: 'REFUSED', subject_type: 'Therapist', subject_id: therapistId }]);
  });

  it('never records the value of a personal identifier, only that it was written', async () => {
    const email = `audit.${randomUUID()}@example.org`;
    const registered = await app.gql(
      'mutation($input: RegisterMemberInput!) { registerMember(input: $input) { member { id } userErrors { code } } }',
      {
        variables: {
          input: {
            displayName: 'Identity Audit',
            timeZone: 'Europe/London',
            legalName: SUBJECT_IDENTITY.legalName,
            email,
            phone: SUBJECT_IDENTITY.phone,
          },
        },
        token: world.partners.referring.token,
      },
    );
    expect(registered.body.data.registerMember.userErrors).toEqual([]);
    const [row] = await app.db.query<{ changes: unknown; text: string }>(
      `select changes, changes::text as text from staff_action where action = 'registerMember' and outcome = 'DONE' order by id desc limit 1`,
    );
    expect(row!.text).not.toContain(SUBJECT_IDENTITY.legalName);
    expect(row!.text).not.toContain(email);
    expect(row!.text).not.toContain(SUBJECT_IDENTITY.phone);
    expect(row!.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'MemberIdentity',
          after: expect.objectContaining({ legalName: '[redacted]', email: '[redacted]' }),
        }),
      ]),
    );
  });
});
