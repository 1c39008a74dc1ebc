/**
 * Attendance end to end: the group's lead and co-therapist record it per session and member
 * (recording again replaces it); everyone else is refused. Session.attendance is for admins and
 * the group's therapists; Member.attendance for the member, its partner and admins, and for a
 * therapist only in the therapist's own groups.
 *
 * The subject (CONFIRMED in group A) is also given a seat in group B, so its attendance spans two
 * groups with different therapists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/db/ids.js';
import { toGlobalId } from '../../src/graphql/ids.js';
import { recently, topLevel, userError } from '../support/reservation-shapes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addGroup, addMember, buildWorld, type World } from '../support/world.js';

let app: TestApp;
let world: World;
/** Session global IDs of groups A and B, in order. */
let sessionsA: string[];
let sessionsB: string[];

const RECORD = `mutation Record($input: RecordAttendanceInput!) {
  recordAttendance(input: $input) { attendance { status recordedAt session { id } member { id displayName } } userErrors { code field message } }
}`;
const SESSION_ATTENDANCE = `query SessionAttendance($id: ID!) {
  node(id: $id) { id ... on Session { attendance { status session { id } member { id displayName } } } }
}`;
const MEMBER_ATTENDANCE = `query MemberAttendance($id: ID!) { member(id: $id) { id attendance { status session { id } } } }`;

async function sessionsOf(groupId: string): Promise<string[]> {
  const response = await app.gql(`query($id: ID!) { group(id: $id) { sessions { id } } }`, {
    variables: { id: groupId },
    token: world.admin.token,
  });
  return response.body.data.group.sessions.map((s: { id: string }) => s.id);
}

async function record(sessionId: string, memberId: string, status: string, token: string) {
  return (await app.gql(RECORD, { variables: { input: { sessionId, memberId, status } }, token })).body;
}

const subject = () => ({ id: world.members.subject.globalId, displayName: 'Rowan' });
const recorded = (sessionId: string, status: string) => ({
  data: {
    recordAttendance: {
      attendance: { status, recordedAt: recently(), session: { id: sessionId }, member: subject() },
      userErrors: [],
    },
  },
});

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  sessionsA = await sessionsOf(world.groups.a.globalId);
  sessionsB = await sessionsOf(world.groups.b.globalId);
  const seat = await app.gql(
    `mutation($input: ReserveSeatInput!) { reserveSeat(input: $input) { reservation { status } userErrors { code } } }`,
    {
      variables: { input: { groupId: world.groups.b.globalId, memberId: world.members.subject.globalId } },
      token: world.partners.referring.token,
    },
  );
  expect(seat.body).toEqual({ data: { reserveSeat: { reservation: { status: 'CONFIRMED' }, userErrors: [] } } });
});
afterAll(() => app.close());

const attendanceRows = () => app.db.query('select session_id, member_id, status, recorded_by_id from attendance order by session_id');

describe('recordAttendance', () => {
  it("lets the group's lead and co-therapist record every status, recording again replacing the last", async () => {
    const { lead, co } = world.therapists;
    const [first, second, third] = sessionsA as [string, string, string];
    expect(await record(first, world.members.subject.globalId, 'PRESENT', lead.token)).toEqual(recorded(first, 'PRESENT'));
    expect(await record(first, world.members.subject.globalId, 'LATE', co.token)).toEqual(recorded(first, 'LATE'));
    expect(await record(second, world.members.subject.globalId, 'ABSENT', lead.token)).toEqual(recorded(second, 'ABSENT'));
    expect(await record(third, world.members.subject.globalId, 'EXCUSED', co.token)).toEqual(recorded(third, 'EXCUSED'));

    const response = await app.gql(SESSION_ATTENDANCE, { variables: { id: first }, token: world.admin.token });
    expect(response.body).toEqual({
      data: { node: { id: first, attendance: [{ status: 'LATE', session: { id: first }, member: subject() }] } },
    });
    // One row per session and member, naming who recorded it last.
    expect(
      await app.db.query(
        'select s.position, a.status, a.recorded_by_id from attendance a join group_session s on s.id = a.session_id order by s.position',
      ),
    ).toEqual([
      { position: 1, status: 'LATE', recorded_by_id: co.id },
      { position: 2, status: 'ABSENT', recorded_by_id: lead.id },
      { position: 3, status: 'EXCUSED', recorded_by_id: co.id },
    ]);
  });

  it("answers another group's therapist with NOT_FOUND, as for a session that does not exist", async () => {
    const before = await attendanceRows();
    const missing = await record(toGlobalId('Session', newId()), world.members.subject.globalId, 'PRESENT', world.therapists.other.token);
    expect(missing).toEqual({
      data: { recordAttendance: { attendance: null, userErrors: [userError('NOT_FOUND', ['input', 'sessionId'])] } },
    });
    expect(await record(sessionsA[0]!, world.members.subject.globalId, 'ABSENT', world.therapists.other.token)).toEqual(missing);
    expect(await attendanceRows()).toEqual(before);
  });

  it('refuses admins, partners and members with FORBIDDEN, and anonymous callers with UNAUTHENTICATED', async () => {
    const before = await attendanceRows();
    const tokens = [world.admin.token, world.partners.referring.token, world.members.subject.token];
    for (const token of tokens) {
      expect(await record(sessionsA[0]!, world.members.subject.globalId, 'ABSENT', token)).toEqual(
        topLevel('recordAttendance', 'FORBIDDEN'),
      );
    }
    expect(
      (
        await app.gql(RECORD, {
          variables: { input: { sessionId: sessionsA[0], memberId: world.members.subject.globalId, status: 'ABSENT' } },
        })
      ).body,
    ).toEqual(topLevel('recordAttendance', 'UNAUTHENTICATED'));
    expect(await attendanceRows()).toEqual(before);
  });

  it('refuses a member who never had a seat in the group with NOT_IN_GROUP, one waiting or who gave up waiting included', async () => {
    const before = await attendanceRows();
    const notInGroup = { data: { recordAttendance: { attendance: null, userErrors: [userError('NOT_IN_GROUP', ['input', 'memberId'])] } } };
    expect(await record(sessionsA[0]!, world.members.another.globalId, 'PRESENT', world.therapists.lead.token)).toEqual(notInGroup);

    const full = await addGroup(app, world, { title: 'Full', capacity: 1 });
    const [seated, waiting] = [
      await addMember(app, world, { displayName: 'Seated' }),
      await addMember(app, world, { displayName: 'Waiting' }),
    ];
    const places: string[] = [];
    for (const who of [seated, waiting]) {
      const reserved = await app.gql(
        `mutation($input: ReserveSeatInput!) { reserveSeat(input: $input) { reservation { id } userErrors { code } } }`,
        { variables: { input: { groupId: full.globalId, memberId: who.globalId } }, token: world.partners.referring.token },
      );
      expect(reserved.body.data.reserveSeat.userErrors).toEqual([]);
      places.push(reserved.body.data.reserveSeat.reservation.id);
    }
    const [session] = await sessionsOf(full.globalId);
    expect(await record(session!, waiting.globalId, 'PRESENT', world.therapists.co.token)).toEqual(notInGroup);
    const cancelled = await app.gql(`mutation($id: ID!) { cancelReservation(input: { reservationId: $id }) { userErrors { code } } }`, {
      variables: { id: places[1] },
      token: world.partners.referring.token,
    });
    expect(cancelled.body).toEqual({ data: { cancelReservation: { userErrors: [] } } });
    expect(await record(session!, waiting.globalId, 'EXCUSED', world.therapists.co.token)).toEqual(notInGroup);
    expect(await attendanceRows()).toEqual(before);
  });

  it('records a member whose seat has since ended, such as one who cancelled', async () => {
    const where = await addGroup(app, world, { title: 'Cancelled seat' });
    const who = await addMember(app, world, { displayName: 'Left', signed: true });
    const reserved = await app.gql(
      `mutation($input: ReserveSeatInput!) { reserveSeat(input: $input) { reservation { id status } userErrors { code } } }`,
      { variables: { input: { groupId: where.globalId, memberId: who.globalId } }, token: world.partners.referring.token },
    );
    expect(reserved.body.data.reserveSeat.reservation.status).toBe('CONFIRMED');
    await app.gql(`mutation($id: ID!) { cancelReservation(input: { reservationId: $id }) { userErrors { code } } }`, {
      variables: { id: reserved.body.data.reserveSeat.reservation.id },
      token: world.partners.referring.token,
    });
    const [session] = await sessionsOf(where.globalId);
    expect(await record(session!, who.globalId, 'EXCUSED', world.therapists.lead.token)).toEqual({
      data: {
        recordAttendance: {
          attendance: {
            status: 'EXCUSED',
            recordedAt: recently(),
            session: { id: session },
            member: { id: who.globalId, displayName: 'Left' },
          },
          userErrors: [],
        },
      },
    });
  });
});

describe('Session.attendance', () => {
  it("is shown to admins and the group's therapists", async () => {
    for (const token of [world.admin.token, world.therapists.lead.token, world.therapists.co.token]) {
      const response = await app.gql(SESSION_ATTENDANCE, { variables: { id: sessionsA[1] }, token });
      expect(response.body).toEqual({
        data: { node: { id: sessionsA[1], attendance: [{ status: 'ABSENT', session: { id: sessionsA[1] }, member: subject() }] } },
      });
    }
  });

  it('is null with FORBIDDEN for everyone else (UNAUTHENTICATED when anonymous)', async () => {
    const tokens = [
      world.therapists.other.token,
      world.partners.referring.token,
      world.partners.other.token,
      world.members.subject.token,
      world.members.another.token,
      undefined,
    ];
    for (const token of tokens) {
      const response = await app.gql(SESSION_ATTENDANCE, { variables: { id: sessionsA[1] }, token });
      expect(response.body).toEqual({
        data: { node: { id: sessionsA[1], attendance: null } },
        errors: [
          {
            message: expect.any(String),
            locations: expect.any(Array),
            path: ['node', 'attendance'],
            extensions: { code: token ? 'FORBIDDEN' : 'UNAUTHENTICATED' },
          },
        ],
      });
    }
  });
});

describe('Member.attendance', () => {
  beforeAll(async () => {
    const response = await record(sessionsB[0]!, world.members.subject.globalId, 'PRESENT', world.therapists.other.token);
    expect(response).toEqual(recorded(sessionsB[0]!, 'PRESENT'));
  });

  const inGroupA = () => [
    { status: 'LATE', session: { id: sessionsA[0] } },
    { status: 'ABSENT', session: { id: sessionsA[1] } },
    { status: 'EXCUSED', session: { id: sessionsA[2] } },
  ];
  const inGroupB = () => [{ status: 'PRESENT', session: { id: sessionsB[0] } }];
  const read = (token?: string) => app.gql(MEMBER_ATTENDANCE, { variables: { id: world.members.subject.globalId }, token });
  const attendance = (list: unknown[]) => ({ data: { member: { id: world.members.subject.globalId, attendance: list } } });

  it('shows all of it to the member itself, its referring partner and admins', async () => {
    for (const token of [world.members.subject.token, world.partners.referring.token, world.admin.token]) {
      expect((await read(token)).body).toEqual(attendance([...inGroupA(), ...inGroupB()]));
    }
  });

  it("shows a therapist only the attendance in the therapist's own groups", async () => {
    for (const token of [world.therapists.lead.token, world.therapists.co.token]) {
      expect((await read(token)).body).toEqual(attendance(inGroupA()));
    }
    expect((await read(world.therapists.other.token)).body).toEqual(attendance(inGroupB()));
  });

  it('answers everyone else with NOT_FOUND for the member', async () => {
    for (const token of [world.partners.other.token, world.members.another.token, undefined]) {
      expect((await read(token)).body).toEqual({
        data: { member: null },
        errors: [{ message: expect.any(String), locations: expect.any(Array), path: ['member'], extensions: { code: 'NOT_FOUND' } }],
      });
    }
  });
});
