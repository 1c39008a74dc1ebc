/**
 * Erasure by crypto-shredding (docs/encryption.md, "Erasure"): who may ask, who must approve, and
 * what an erasure leaves — identifiers null for everyone, the wrapped key gone (nothing the KEK
 * can open), the seat given to the first waitlisted member, pending mails cancelled, audits kept.
 */
import { keyring, open, sealedPlaces } from '@kindred/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.js';
import { addGroup, addMember, startWorld } from '../support/world.js';

const { app, world } = await startWorld();
afterAll(() => app.close());

const ERASE = `mutation($input: EraseMemberInput!) { eraseMember(input: $input) { erasure { status requestedBy completedAt } userErrors { code field } } }`;
const erase = (memberId: string, token: string | undefined) => app.gql(ERASE, { token, variables: { input: { memberId } } });
const RESERVE = `mutation($input: ReserveSeatInput!) { reserveSeat(input: $input) { reservation { id status } userErrors { code } } }`;
const READ = `query($id: ID!) { member(id: $id) { displayName erasedAt legalName email phone emergencyContact { name } signatures { typedName } } }`;

const subject = world.members.subject;
let group: { id: string; globalId: string };
let waiting: { id: string; globalId: string };
let waitingReservation: string;

beforeAll(async () => {
  // A one-seat group: the subject holds the seat, another member waits for it.
  group = await addGroup(app, world, { title: 'One seat', capacity: 1 });
  const partner = world.partners.referring.token;
  const seat = await app.gql(RESERVE, { token: partner, variables: { input: { groupId: group.globalId, memberId: subject.globalId } } });
  expect(seat.body.data.reserveSeat.reservation.status).toBe('CONFIRMED');
  waiting = await addMember(app, world, { displayName: 'Next In Line', signed: true });
  const queued = await app.gql(RESERVE, { token: partner, variables: { input: { groupId: group.globalId, memberId: waiting.globalId } } });
  expect(queued.body.data.reserveSeat.reservation.status).toBe('WAITLISTED');
  waitingReservation = queued.body.data.reserveSeat.reservation.id;
  // The lead therapist reads the subject's identifiers (audited), then a sign-in link is asked for its address.
  const read = await app.gql(READ, { token: world.therapists.lead.token, variables: { id: subject.globalId } });
  expect(read.body.data.member.legalName).toBe(subject.identity.legalName);
  await app.gql(`mutation($e: String!) { requestPasswordReset(input: { email: $e }) { accepted } }`, {
    variables: { e: subject.identity.email },
  });
});

const pendingMails = async () =>
  (await app.db.query<{ n: number }>(`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'account-mail'`))[0]!.n;

describe('eraseMember', () => {
  it('is refused to therapists, and NOT_FOUND for a partner that did not refer the member', async () => {
    expect((await erase(subject.globalId, world.therapists.lead.token)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await erase(subject.globalId, undefined)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await erase(subject.globalId, world.partners.other.token)).body.data.eraseMember).toEqual({
      erasure: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['input', 'memberId'] }],
    });
  });

  it("an admin's request waits for a second admin: the same admin cannot approve it", async () => {
    const asked = await erase(subject.globalId, world.admin.token);
    expect(asked.body.data.eraseMember).toEqual({
      erasure: { status: 'PENDING', requestedBy: 'ADMIN', completedAt: null },
      userErrors: [],
    });
    expect((await erase(subject.globalId, world.admin.token)).body.data.eraseMember).toEqual({
      erasure: null,
      userErrors: [{ code: 'INVALID_STATE', field: ['input', 'memberId'] }],
    });
    const still = await app.gql(READ, { token: subject.token, variables: { id: subject.globalId } });
    expect(still.body.data.member.legalName).toBe(subject.identity.legalName);
  });

  it('approved by a second admin: identifiers null for everyone, key gone, seat to the waitlist, mails cancelled, audits kept', async () => {
    const [before] = await app.db.query<{ data_key_id: string; legal_name: Buffer }>(
      'select m.data_key_id, i.legal_name from member m join member_identity i on i.member_id = m.id where m.id = $1',
      [subject.id],
    );
    const auditsBefore = await app.db.query('select * from identifier_audit where member_id = $1 order by id', [subject.id]);
    expect(auditsBefore.length).toBeGreaterThan(0);
    expect(await pendingMails()).toBeGreaterThan(0);

    const done = await erase(subject.globalId, world.secondAdmin.token);
    expect(done.body.data.eraseMember).toEqual({
      erasure: { status: 'DONE', requestedBy: 'ADMIN', completedAt: expect.any(String) },
      userErrors: [],
    });

    // Null for everyone who could read them before; the member's own sign-in is gone.
    const read = await app.gql(READ, { token: world.therapists.lead.token, variables: { id: subject.globalId } });
    expect(read.body.data.member).toEqual({
      displayName: 'Former member',
      erasedAt: expect.any(String),
      legalName: null,
      email: null,
      phone: null,
      emergencyContact: null,
      signatures: [{ typedName: null }],
    });
    expect((await app.gql('{ viewer { role } }', { token: subject.token })).status).toBe(401);

    // The wrapped key is gone; the sealed value is still there and nothing the KEK opens opens it.
    expect(await app.db.query('select id from data_key where id = $1', [before!.data_key_id])).toEqual([]);
    expect(await app.db.query('select data_key_id from member where id = $1', [subject.id])).toEqual([{ data_key_id: null }]);
    const [after] = await app.db.query<{ legal_name: Buffer }>('select legal_name from member_identity where member_id = $1', [subject.id]);
    expect(after!.legal_name).toEqual(before!.legal_name);
    expect(() => open(keyring().kek.key, after!.legal_name, sealedPlaces.member(subject.id).legalName)).toThrow();

    // The seat went to the first waitlisted member.
    const next = await app.gql(`query($id: ID!) { node(id: $id) { ... on Reservation { status } } }`, {
      token: world.partners.referring.token,
      variables: { id: waitingReservation },
    });
    expect(next.body.data.node.status).toMatch(/^(HELD|CONFIRMED)$/);
    const seats = await app.db.query(`select status from reservation where member_id = $1 and group_id = $2`, [subject.id, group.id]);
    expect(seats).toEqual([{ status: 'CANCELLED' }]);

    // Mails waiting to go to the person are cancelled; the audits are untouched.
    expect(await pendingMails()).toBe(0);
    const auditsAfter = await app.db.query('select * from identifier_audit where member_id = $1 order by id', [subject.id]);
    expect(auditsAfter.slice(0, auditsBefore.length)).toEqual(auditsBefore);
    expect((await erase(subject.globalId, world.admin.token)).body.data.eraseMember.userErrors).toEqual([
      { code: 'INVALID_STATE', field: ['input', 'memberId'] },
    ]);
  });

  it('a member erases itself at once', async () => {
    const self = await addMember(app, world, { displayName: 'Leaving' });
    // A partner's request still waiting is settled by the member's own erasure.
    expect((await erase(self.globalId, world.partners.referring.token)).body.data.eraseMember.erasure.status).toBe('PENDING');
    const done = await erase(self.globalId, self.token);
    expect(done.body.data.eraseMember).toEqual({
      erasure: { status: 'DONE', requestedBy: 'MEMBER', completedAt: expect.any(String) },
      userErrors: [],
    });
    expect(
      await app.db.query('select count(*)::int as n from member_erasure where member_id = $1 and completed_at is null', [self.id]),
    ).toEqual([{ n: 0 }]);
    const seen = await app.gql(READ, { token: world.admin.token, variables: { id: self.globalId } });
    expect(seen.body.data.member).toMatchObject({ displayName: 'Former member', erasedAt: expect.any(String) });
  });

  it("a partner's request for its member waits for an admin, who approves it", async () => {
    const referred = await addMember(app, world, { displayName: 'Referred' });
    const asked = await erase(referred.globalId, world.partners.referring.token);
    expect(asked.body.data.eraseMember.erasure).toEqual({ status: 'PENDING', requestedBy: 'PARTNER', completedAt: null });
    const approved = await erase(referred.globalId, world.admin.token);
    expect(approved.body.data.eraseMember.erasure).toEqual({ status: 'DONE', requestedBy: 'PARTNER', completedAt: expect.any(String) });
    expect(toGlobalId('Member', referred.id)).toBe(referred.globalId);
  });
});
