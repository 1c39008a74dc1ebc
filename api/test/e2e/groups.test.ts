/**
 * Groups end to end: creation with generated sessions, previews, updates (capacity, therapists,
 * schedule while DRAFT), opening and cancelling, the catalogue and its filters, seat figures,
 * the roster per role and waitlist positions.
 *
 * Reservations are arranged with SQL inserts: reserving is another module's subject.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawId, topLevelError as topLevel } from '../support/graphql-expect.js';
import { newId } from '../../src/db/ids.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { buildWorld, type World } from '../support/world.js';

let app: TestApp;
let world: World;

const SESSION = 'position startsAt endsAt startsAtLocal status module { id title }';
const GROUP = `id title status capacity type format location timeZone enrolmentDeadline cancellationWindowHours holdMinutes
  cancellationReason createdAt updatedAt
  program { id } leadTherapist { id } coTherapists { id }
  schedule { startsOn weekday startTime durationMinutes sessionCount }
  seatsTaken seatsAvailable seatsHeld waitlistLength
  nextSession { position startsAt }
  sessions { ${SESSION} }`;

const CREATE = `mutation Create($input: CreateGroupInput!) { createGroup(input: $input) { group { ${GROUP} } userErrors { code field message } } }`;
const UPDATE = `mutation Update($input: UpdateGroupInput!) { updateGroup(input: $input) { group { ${GROUP} } userErrors { code field message } } }`;
const OPEN = `mutation Open($id: ID!) { openGroup(input: { id: $id }) { group { id status } userErrors { code field message } } }`;
const CANCEL = `mutation Cancel($id: ID!, $reason: String!) {
  cancelGroup(input: { id: $id, reason: $reason }) { group { ${GROUP} } userErrors { code field message } }
}`;

const userError = (code: string, field: string[] | null) => ({ code, field, message: expect.any(String) });

let program: { id: string; modules: { id: string; title: string }[] };
let draftProgram: { id: string };

async function gqlOk(query: string, variables: Record<string, unknown>, token = world.admin.token) {
  const response = await app.gql(query, { token, variables });
  expect(response.body.errors).toBeUndefined();
  return response.body.data;
}

async function createProgram(title: string, publish: boolean) {
  const data = await gqlOk(
    `mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id modules { id title } } userErrors { code } } }`,
    {
      input: {
        title,
        summary: 'For group tests.',
        sessionCount: 4,
        sessionLengthMinutes: 90,
        modules: [{ title: 'Opening' }, { title: 'Middle' }, { title: 'Closing' }],
      },
    },
  );
  expect(data.createProgram.userErrors).toEqual([]);
  if (publish) {
    const published = await gqlOk(`mutation($id: ID!) { publishProgram(input: { id: $id }) { userErrors { code } } }`, {
      id: data.createProgram.program.id,
    });
    expect(published.publishProgram.userErrors).toEqual([]);
  }
  return data.createProgram.program;
}

const baseInput = (overrides: Record<string, unknown> = {}) => ({
  programId: program.id,
  title: 'Wednesday Circle',
  leadTherapistId: world.therapists.lead.globalId,
  coTherapistIds: [world.therapists.co.globalId],
  capacity: 8,
  type: 'CLOSED',
  format: 'ONLINE',
  schedule: { timeZone: 'Europe/Berlin', startsOn: '2027-01-04', weekday: 'WEDNESDAY', startTime: '18:30' },
  ...overrides,
});

async function createGroup(overrides: Record<string, unknown> = {}) {
  const data = await gqlOk(CREATE, { input: baseInput(overrides) });
  expect(data.createGroup.userErrors).toEqual([]);
  return data.createGroup.group;
}

async function registerMember(displayName: string, token: string) {
  const data = await gqlOk(
    `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { member { id } userErrors { code } } }`,
    {
      input: {
        displayName,
        timeZone: 'Europe/London',
        legalName: `${displayName} Person`,
        email: `${displayName.toLowerCase()}@example.org`,
      },
    },
    token,
  );
  expect(data.registerMember.userErrors).toEqual([]);
  return data.registerMember.member.id as string;
}

type Status = 'HELD' | 'CONFIRMED' | 'WAITLISTED' | 'CANCELLED' | 'EXPIRED';

/** Inserts a reservation as the reservations module would store it; ids are UUIDv7, so in insertion order. */
async function reserve(groupId: string, memberId: string, status: Status): Promise<string> {
  const id = newId();
  await app.db.query(
    `insert into reservation (id, group_id, member_id, status, waitlist_seq, expires_at, ended_at, ended_by, cancelled_late)
     values ($1, $2, $3, $4::text::reservation_status,
       case when $4::text = 'WAITLISTED' then nextval('reservation_waitlist_seq') end,
       case when $4::text = 'HELD' then now() + interval '30 minutes' end,
       case when $4::text in ('CANCELLED', 'EXPIRED') then now() end,
       case when $4::text = 'CANCELLED' then 'MEMBER' when $4::text = 'EXPIRED' then 'SYSTEM' end,
       case when $4::text = 'CANCELLED' then false end)`,
    [id, rawId(groupId), rawId(memberId), status],
  );
  return Buffer.from(`Reservation:${id}`).toString('base64url');
}

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  program = await createProgram('Group Program', true);
  draftProgram = await createProgram('Draft Program', false);
});
afterAll(() => app.close());

describe('createGroup', () => {
  it('creates a DRAFT group whose sessions follow the schedule in the group’s time zone, each with the module of its position', async () => {
    const data = await gqlOk(CREATE, { input: baseInput() });
    const [m1, m2, m3] = program.modules;
    const session = (position: number, day: string, module: { id: string; title: string } | null) => ({
      position,
      // 18:30 in Berlin in January (CET, UTC+1) is 17:30 UTC; the program's sessions last 90 minutes.
      startsAt: `2027-01-${day}T17:30:00.000Z`,
      endsAt: `2027-01-${day}T19:00:00.000Z`,
      startsAtLocal: `2027-01-${day}T18:30:00.000+01:00`,
      status: 'SCHEDULED',
      module,
    });
    expect(data.createGroup).toEqual({
      group: {
        id: expect.any(String),
        title: 'Wednesday Circle',
        status: 'DRAFT',
        capacity: 8,
        type: 'CLOSED',
        format: 'ONLINE',
        location: null,
        timeZone: 'Europe/Berlin',
        // A closed group's enrolment ends at its first session by default.
        enrolmentDeadline: '2027-01-06T17:30:00.000Z',
        cancellationWindowHours: 24,
        holdMinutes: 30,
        cancellationReason: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        program: { id: program.id },
        leadTherapist: { id: world.therapists.lead.globalId },
        coTherapists: [{ id: world.therapists.co.globalId }],
        // Duration and session count default to the program's.
        schedule: { startsOn: '2027-01-04', weekday: 'WEDNESDAY', startTime: '18:30', durationMinutes: 90, sessionCount: 4 },
        seatsTaken: 0,
        seatsAvailable: 8,
        seatsHeld: 0,
        waitlistLength: 0,
        nextSession: { position: 1, startsAt: '2027-01-06T17:30:00.000Z' },
        sessions: [session(1, '06', m1!), session(2, '13', m2!), session(3, '20', m3!), session(4, '27', null)],
      },
      userErrors: [],
    });
    const rows = await app.db.query('select count(*)::int as n from group_session where group_id = $1', [rawId(data.createGroup.group.id)]);
    expect(rows).toEqual([{ n: 4 }]);
  });

  it('takes the schedule’s own duration and session count, an in-person location and explicit policies', async () => {
    const group = await createGroup({
      title: 'In person',
      type: 'OPEN',
      format: 'IN_PERSON',
      location: '1 Example Street, Berlin',
      coTherapistIds: [],
      cancellationWindowHours: 48,
      holdMinutes: 60,
      schedule: {
        timeZone: 'America/New_York',
        startsOn: '2027-01-05',
        weekday: 'TUESDAY',
        startTime: '09:00',
        durationMinutes: 60,
        sessionCount: 2,
      },
    });
    expect({
      type: group.type,
      format: group.format,
      location: group.location,
      enrolmentDeadline: group.enrolmentDeadline,
      cancellationWindowHours: group.cancellationWindowHours,
      holdMinutes: group.holdMinutes,
      coTherapists: group.coTherapists,
      schedule: group.schedule,
      sessions: group.sessions.map((s: { position: number; startsAt: string; endsAt: string; startsAtLocal: string }) => [
        s.position,
        s.startsAt,
        s.endsAt,
        s.startsAtLocal,
      ]),
    }).toEqual({
      type: 'OPEN',
      format: 'IN_PERSON',
      location: '1 Example Street, Berlin',
      // An open (rolling) group has no enrolment deadline by default.
      enrolmentDeadline: null,
      cancellationWindowHours: 48,
      holdMinutes: 60,
      coTherapists: [],
      schedule: { startsOn: '2027-01-05', weekday: 'TUESDAY', startTime: '09:00', durationMinutes: 60, sessionCount: 2 },
      sessions: [
        [1, '2027-01-05T14:00:00.000Z', '2027-01-05T15:00:00.000Z', '2027-01-05T09:00:00.000-05:00'],
        [2, '2027-01-12T14:00:00.000Z', '2027-01-12T15:00:00.000Z', '2027-01-12T09:00:00.000-05:00'],
      ],
    });
  });

  it('refuses what cannot run, with user errors, and creates nothing', async () => {
    const before = await app.db.query('select count(*)::int as n from therapy_group');
    const cases: [Record<string, unknown>, ReturnType<typeof userError>[]][] = [
      [{ programId: draftProgram.id }, [userError('PROGRAM_NOT_PUBLISHED', ['input', 'programId'])]],
      [{ format: 'IN_PERSON' }, [userError('REQUIRED', ['input', 'location'])]],
      [{ location: 'Somewhere' }, [userError('INVALID_STATE', ['input', 'location'])]],
      [
        { schedule: { timeZone: 'Europe/Berlin', startsOn: '2026-11-01', weekday: 'WEDNESDAY', startTime: '18:30' } },
        [userError('INVALID_DATE', ['input', 'schedule', 'startsOn'])],
      ],
      [
        { schedule: { timeZone: 'Europe/Berlni', startsOn: '2027-13-01', weekday: 'WEDNESDAY', startTime: '24:00' } },
        [
          userError('INVALID_TIME_ZONE', ['input', 'schedule', 'timeZone']),
          userError('INVALID_DATE', ['input', 'schedule', 'startsOn']),
          userError('INVALID_TIME', ['input', 'schedule', 'startTime']),
        ],
      ],
      [{ coTherapistIds: [world.therapists.lead.globalId] }, [userError('DUPLICATE', ['input', 'coTherapistIds'])]],
      [{ capacity: 0 }, [userError('OUT_OF_RANGE', ['input', 'capacity'])]],
      [
        { leadTherapistId: Buffer.from('Therapist:00000000-0000-7000-8000-000000000000').toString('base64url') },
        [userError('NOT_FOUND', ['input', 'leadTherapistId'])],
      ],
    ];
    for (const [overrides, userErrors] of cases) {
      const data = await gqlOk(CREATE, { input: baseInput(overrides) });
      expect(data.createGroup).toEqual({ group: null, userErrors });
    }
    expect(await app.db.query('select count(*)::int as n from therapy_group')).toEqual(before);
  });

  it('is for admins only', async () => {
    for (const token of [world.therapists.lead.token, world.partners.referring.token, world.members.subject.token]) {
      expect((await app.gql(CREATE, { token, variables: { input: baseInput() } })).body).toEqual({
        data: null,
        errors: [topLevel('FORBIDDEN', ['createGroup'])],
      });
    }
  });
});

describe('previewGroupSessions', () => {
  const PREVIEW = `query Preview($schedule: GroupScheduleInput!) { previewGroupSessions(schedule: $schedule) { position startsAt endsAt startsAtLocal } }`;

  it('plans the sessions without creating anything (default 90 minutes, 8 sessions), for anyone', async () => {
    const before = await app.db.query('select count(*)::int as n from group_session');
    const response = await app.gql(PREVIEW, {
      variables: { schedule: { timeZone: 'Asia/Kolkata', startsOn: '2027-05-01', weekday: 'FRIDAY', startTime: '07:15' } },
    });
    expect(response.body).toEqual({
      data: {
        previewGroupSessions: [7, 14, 21, 28, 35, 42, 49, 56].map((offset, i) => {
          const date = new Date(Date.UTC(2027, 4, offset));
          const iso = date.toISOString().slice(0, 10);
          return {
            position: i + 1,
            // 07:15 in India (UTC+5:30) is 01:45 UTC.
            startsAt: `${iso}T01:45:00.000Z`,
            endsAt: `${iso}T03:15:00.000Z`,
            startsAtLocal: `${iso}T07:15:00.000+05:30`,
          };
        }),
      },
    });
    expect(await app.db.query('select count(*)::int as n from group_session')).toEqual(before);
  });

  it('honours duration and session count', async () => {
    const response = await app.gql(PREVIEW, {
      variables: {
        schedule: { timeZone: 'UTC', startsOn: '2027-06-07', weekday: 'MONDAY', startTime: '23:30', durationMinutes: 45, sessionCount: 2 },
      },
    });
    expect(response.body).toEqual({
      data: {
        previewGroupSessions: [
          {
            position: 1,
            startsAt: '2027-06-07T23:30:00.000Z',
            endsAt: '2027-06-08T00:15:00.000Z',
            startsAtLocal: '2027-06-07T23:30:00.000Z',
          },
          {
            position: 2,
            startsAt: '2027-06-14T23:30:00.000Z',
            endsAt: '2027-06-15T00:15:00.000Z',
            startsAtLocal: '2027-06-14T23:30:00.000Z',
          },
        ],
      },
    });
  });

  it('answers an invalid schedule with BAD_USER_INPUT, not an internal error', async () => {
    const response = await app.gql(PREVIEW, {
      variables: { schedule: { timeZone: 'Mars/Olympus', startsOn: '2027-01-01', weekday: 'MONDAY', startTime: '18:00' } },
    });
    expect(response.body).toEqual({
      data: null,
      errors: [
        { ...topLevel('BAD_USER_INPUT', ['previewGroupSessions']), extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_TIME_ZONE' } },
      ],
    });
    expect(response.body.errors?.[0]?.message).toContain('schedule.timeZone');
    expect(response.text).not.toContain('Mars/Olympus');
  });
});

describe('updateGroup, openGroup and cancelGroup', () => {
  it('changes title, capacity, therapists and (while DRAFT) the schedule, regenerating sessions', async () => {
    const group = await createGroup({ title: 'To change' });
    const data = await gqlOk(UPDATE, {
      input: {
        id: group.id,
        title: 'Changed',
        capacity: 12,
        leadTherapistId: world.therapists.other.globalId,
        coTherapistIds: [world.therapists.lead.globalId, world.therapists.co.globalId],
        cancellationWindowHours: 12,
        schedule: { timeZone: 'Europe/Berlin', startsOn: '2027-02-01', weekday: 'MONDAY', startTime: '19:00', sessionCount: 2 },
      },
    });
    const [m1, m2] = program.modules;
    expect(data.updateGroup).toEqual({
      group: {
        ...group,
        title: 'Changed',
        capacity: 12,
        seatsAvailable: 12,
        cancellationWindowHours: 12,
        // The default deadline of a closed group (its first session) follows the new schedule.
        enrolmentDeadline: '2027-02-01T18:00:00.000Z',
        updatedAt: expect.any(String),
        leadTherapist: { id: world.therapists.other.globalId },
        // Co-therapists read by display name.
        coTherapists: [{ id: world.therapists.co.globalId }, { id: world.therapists.lead.globalId }],
        schedule: { startsOn: '2027-02-01', weekday: 'MONDAY', startTime: '19:00', durationMinutes: 90, sessionCount: 2 },
        nextSession: { position: 1, startsAt: '2027-02-01T18:00:00.000Z' },
        sessions: [
          {
            position: 1,
            startsAt: '2027-02-01T18:00:00.000Z',
            endsAt: '2027-02-01T19:30:00.000Z',
            startsAtLocal: '2027-02-01T19:00:00.000+01:00',
            status: 'SCHEDULED',
            module: m1,
          },
          {
            position: 2,
            startsAt: '2027-02-08T18:00:00.000Z',
            endsAt: '2027-02-08T19:30:00.000Z',
            startsAtLocal: '2027-02-08T19:00:00.000+01:00',
            status: 'SCHEDULED',
            module: m2,
          },
        ],
      },
      userErrors: [],
    });
    expect(await app.db.query('select count(*)::int as n from group_session where group_id = $1', [rawId(group.id)])).toEqual([{ n: 2 }]);
  });

  it('keeps an enrolment deadline the admin chose when the schedule changes', async () => {
    const group = await createGroup({ title: 'Own deadline', enrolmentDeadline: '2027-01-01T12:00:00.000Z' });
    expect(group.enrolmentDeadline).toBe('2027-01-01T12:00:00.000Z');
    const data = await gqlOk(UPDATE, {
      input: { id: group.id, schedule: { timeZone: 'Europe/Berlin', startsOn: '2027-02-01', weekday: 'MONDAY', startTime: '19:00' } },
    });
    expect(data.updateGroup.group.enrolmentDeadline).toBe('2027-01-01T12:00:00.000Z');
    const moved = await gqlOk(UPDATE, { input: { id: group.id, enrolmentDeadline: '2027-01-30T12:00:00.000Z' } });
    expect(moved.updateGroup.group.enrolmentDeadline).toBe('2027-01-30T12:00:00.000Z');
  });

  it('opens a draft once; after that the schedule is fixed but capacity and therapists still change', async () => {
    const group = await createGroup({ title: 'To open' });
    expect((await gqlOk(OPEN, { id: group.id })).openGroup).toEqual({ group: { id: group.id, status: 'OPEN' }, userErrors: [] });
    expect((await gqlOk(OPEN, { id: group.id })).openGroup).toEqual({
      group: null,
      userErrors: [userError('INVALID_STATE', ['input', 'id'])],
    });

    const refused = await gqlOk(UPDATE, {
      input: { id: group.id, schedule: { timeZone: 'Europe/Berlin', startsOn: '2027-03-01', weekday: 'MONDAY', startTime: '18:00' } },
    });
    expect(refused.updateGroup).toEqual({ group: null, userErrors: [userError('INVALID_STATE', ['input', 'schedule'])] });

    const changed = await gqlOk(UPDATE, { input: { id: group.id, capacity: 3, coTherapistIds: [] } });
    expect(changed.updateGroup.userErrors).toEqual([]);
    expect(changed.updateGroup.group).toMatchObject({ status: 'OPEN', capacity: 3, coTherapists: [], sessions: group.sessions });
  });

  it('refuses to open a group whose first session has started', async () => {
    const group = await createGroup({ title: 'Too late' });
    await app.db.query(
      `update group_session set starts_at = now() - interval '1 hour', ends_at = now() + interval '1 hour' where group_id = $1 and position = 1`,
      [rawId(group.id)],
    );
    expect((await gqlOk(OPEN, { id: group.id })).openGroup).toEqual({
      group: null,
      userErrors: [userError('INVALID_STATE', ['input', 'id'])],
    });
  });

  it('never lowers capacity below the seats taken (CAPACITY_BELOW_TAKEN)', async () => {
    const group = await createGroup({ title: 'Capacity', capacity: 5 });
    await gqlOk(OPEN, { id: group.id });
    const members = await Promise.all(['Cap1', 'Cap2', 'Cap3', 'Cap4', 'Cap5'].map((n) => registerMember(n, world.admin.token)));
    await reserve(group.id, members[0]!, 'CONFIRMED');
    await reserve(group.id, members[1]!, 'CONFIRMED');
    await reserve(group.id, members[2]!, 'HELD');
    await reserve(group.id, members[3]!, 'CANCELLED');
    await reserve(group.id, members[4]!, 'EXPIRED');

    const figures = `query($id: ID!) { group(id: $id) { capacity seatsTaken seatsHeld seatsAvailable waitlistLength } }`;
    expect((await gqlOk(figures, { id: group.id })).group).toEqual({
      capacity: 5,
      seatsTaken: 3,
      seatsHeld: 1,
      seatsAvailable: 2,
      waitlistLength: 0,
    });

    expect((await gqlOk(UPDATE, { input: { id: group.id, capacity: 2 } })).updateGroup).toEqual({
      group: null,
      userErrors: [userError('CAPACITY_BELOW_TAKEN', ['input', 'capacity'])],
    });
    expect((await app.db.query('select capacity from therapy_group where id = $1', [rawId(group.id)]))[0]).toEqual({ capacity: 5 });

    expect((await gqlOk(UPDATE, { input: { id: group.id, capacity: 3 } })).updateGroup.userErrors).toEqual([]);
    expect((await gqlOk(figures, { id: group.id })).group).toEqual({
      capacity: 3,
      seatsTaken: 3,
      seatsHeld: 1,
      seatsAvailable: 0,
      waitlistLength: 0,
    });
  });

  it('gives seats freed by a capacity increase at once to the waitlist, first come first served (seat rule 4)', async () => {
    // The world's program requires the world's agreement, which only Rowan (subject) has signed.
    const group = await createGroup({ programId: world.program.globalId, title: 'Growing', capacity: 2 });
    await gqlOk(OPEN, { id: group.id });
    const [first, second, unsigned, last] = await Promise.all(
      ['Grow1', 'Grow2', 'Grow3', 'Grow4'].map((n) => registerMember(n, world.admin.token)),
    );
    await reserve(group.id, first!, 'CONFIRMED');
    await reserve(group.id, second!, 'CONFIRMED');
    const toHold = await reserve(group.id, unsigned!, 'WAITLISTED');
    const toConfirm = await reserve(group.id, world.members.subject.globalId, 'WAITLISTED');
    const stillWaiting = await reserve(group.id, last!, 'WAITLISTED');

    const data = await gqlOk(UPDATE, { input: { id: group.id, capacity: 4 } });
    expect(data.updateGroup.userErrors).toEqual([]);
    expect(data.updateGroup.group).toMatchObject({ capacity: 4, seatsTaken: 4, seatsHeld: 1, seatsAvailable: 0, waitlistLength: 1 });

    const roster = await gqlOk(
      `query($id: ID!) { group(id: $id) { reservations(statuses: [HELD, CONFIRMED, WAITLISTED]) { nodes { id status expiresAt waitlistPosition } } } }`,
      { id: group.id },
    );
    expect(roster.group.reservations.nodes.slice(2)).toEqual([
      { id: toHold, status: 'HELD', expiresAt: expect.any(String), waitlistPosition: null },
      { id: toConfirm, status: 'CONFIRMED', expiresAt: null, waitlistPosition: null },
      { id: stillWaiting, status: 'WAITLISTED', expiresAt: null, waitlistPosition: 1 },
    ]);
    // An unsigned member's seat is held for the group's hold time (30 minutes by default).
    const holdMinutes = (Date.parse(roster.group.reservations.nodes[2].expiresAt) - Date.now()) / 60_000;
    expect(holdMinutes).toBeGreaterThan(29);
    expect(holdMinutes).toBeLessThanOrEqual(30);
  });

  it('cancels a group: sessions and active reservations CANCELLED, ended reservations untouched', async () => {
    const group = await createGroup({ title: 'To cancel' });
    await gqlOk(OPEN, { id: group.id });
    const members = await Promise.all(['Can1', 'Can2', 'Can3', 'Can4'].map((n) => registerMember(n, world.admin.token)));
    const confirmed = await reserve(group.id, members[0]!, 'CONFIRMED');
    const held = await reserve(group.id, members[1]!, 'HELD');
    const waitlisted = await reserve(group.id, members[2]!, 'WAITLISTED');
    const expired = await reserve(group.id, members[3]!, 'EXPIRED');

    const data = await gqlOk(CANCEL, { id: group.id, reason: 'The therapist is unavailable.' });
    expect(data.cancelGroup).toEqual({
      group: {
        ...group,
        status: 'CANCELLED',
        cancellationReason: 'The therapist is unavailable.',
        updatedAt: expect.any(String),
        nextSession: null,
        sessions: group.sessions.map((s: Record<string, unknown>) => ({ ...s, status: 'CANCELLED' })),
      },
      userErrors: [],
    });

    const roster = await gqlOk(
      `query($id: ID!) { group(id: $id) { reservations { nodes { id status endedBy cancelledLate endedAt expiresAt waitlistPosition } } } }`,
      { id: group.id },
    );
    const cancelledBySystem = (id: string) => ({
      id,
      status: 'CANCELLED',
      endedBy: 'SYSTEM',
      cancelledLate: false,
      endedAt: expect.any(String),
      expiresAt: null,
      waitlistPosition: null,
    });
    expect(roster.group.reservations.nodes).toEqual([
      cancelledBySystem(confirmed),
      cancelledBySystem(held),
      cancelledBySystem(waitlisted),
      {
        id: expired,
        status: 'EXPIRED',
        endedBy: 'SYSTEM',
        cancelledLate: null,
        endedAt: expect.any(String),
        expiresAt: null,
        waitlistPosition: null,
      },
    ]);

    const invalid = { group: null, userErrors: [userError('INVALID_STATE', ['input', 'id'])] };
    expect((await gqlOk(CANCEL, { id: group.id, reason: 'Again.' })).cancelGroup).toEqual(invalid);
    expect((await gqlOk(UPDATE, { input: { id: group.id, capacity: 10 } })).updateGroup).toEqual(invalid);
    expect((await gqlOk(OPEN, { id: group.id })).openGroup).toEqual(invalid);

    // A cancelled group stays readable (members need to know), but leaves the default catalogue.
    expect(
      (await app.gql(`query($id: ID!) { group(id: $id) { status cancellationReason } }`, { variables: { id: group.id } })).body,
    ).toEqual({
      data: { group: { status: 'CANCELLED', cancellationReason: 'The therapist is unavailable.' } },
    });
  });

  it('requires a reason to cancel, and admins to change groups', async () => {
    const group = await createGroup({ title: 'Guarded' });
    expect((await gqlOk(CANCEL, { id: group.id, reason: '  ' })).cancelGroup).toEqual({
      group: null,
      userErrors: [userError('REQUIRED', ['input', 'reason'])],
    });
    for (const token of [world.therapists.lead.token, world.partners.referring.token]) {
      for (const [query, variables, name] of [
        [UPDATE, { input: { id: group.id, capacity: 1 } }, 'updateGroup'],
        [OPEN, { id: group.id }, 'openGroup'],
        [CANCEL, { id: group.id, reason: 'x' }, 'cancelGroup'],
      ] as const) {
        expect((await app.gql(query, { token, variables })).body).toEqual({ data: null, errors: [topLevel('FORBIDDEN', [name])] });
      }
    }
  });
});

describe('catalogue and filters', () => {
  const LIST = `query List($filter: GroupFilter, $first: Int!, $after: String) {
    groups(filter: $filter, first: $first, after: $after) { totalCount nodes { title } pageInfo { hasNextPage endCursor } }
  }`;
  let filterProgram: { id: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    filterProgram = await createProgram('Filter Program', true);
    const make = async (key: string, overrides: Record<string, unknown>) => {
      const group = await createGroup({ programId: filterProgram.id, title: key, coTherapistIds: [], ...overrides });
      ids[key] = group.id;
      return group;
    };
    // F1: full (capacity 1, one confirmed seat), Berlin, closed, online, led by lead.
    await make('F1', {
      capacity: 1,
      schedule: { timeZone: 'Europe/Berlin', startsOn: '2027-02-01', weekday: 'MONDAY', startTime: '18:00' },
    });
    // F2: New York, open, in person, led by other with co as co-therapist.
    await make('F2', {
      type: 'OPEN',
      format: 'IN_PERSON',
      location: '5th Avenue',
      leadTherapistId: world.therapists.other.globalId,
      coTherapistIds: [world.therapists.co.globalId],
      schedule: { timeZone: 'America/New_York', startsOn: '2027-02-08', weekday: 'MONDAY', startTime: '18:00' },
    });
    // F3: a draft led by co, Berlin, open, online.
    await make('F3', {
      type: 'OPEN',
      leadTherapistId: world.therapists.co.globalId,
      schedule: { timeZone: 'Europe/Berlin', startsOn: '2027-02-15', weekday: 'MONDAY', startTime: '18:00' },
    });
    // F4: Tokyo, cancelled.
    await make('F4', { schedule: { timeZone: 'Asia/Tokyo', startsOn: '2027-02-22', weekday: 'MONDAY', startTime: '18:00' } });
    for (const key of ['F1', 'F2', 'F4']) await gqlOk(OPEN, { id: ids[key] });
    await gqlOk(CANCEL, { id: ids.F4, reason: 'Not enough interest.' });
    await reserve(ids.F1!, world.members.another.globalId, 'CONFIRMED');
  });

  async function titles(filter: Record<string, unknown>, token?: string) {
    const response = await app.gql(LIST, { token, variables: { first: 100, filter: { programId: filterProgram.id, ...filter } } });
    expect(response.body.errors).toBeUndefined();
    const { nodes, totalCount } = response.body.data.groups;
    expect(totalCount).toBe(nodes.length);
    return nodes.map((n: { title: string }) => n.title);
  }

  it('shows the public OPEN and IN_PROGRESS groups by default, never drafts', async () => {
    for (const token of [undefined, world.partners.referring.token, world.members.subject.token]) {
      expect(await titles({}, token)).toEqual(['F1', 'F2']);
      expect(await titles({ statuses: ['DRAFT'] }, token)).toEqual([]);
      expect(await titles({ statuses: ['DRAFT', 'OPEN', 'CANCELLED'] }, token)).toEqual(['F1', 'F2', 'F4']);
    }
  });

  it('shows admins every status, and therapists every non-draft plus their own drafts', async () => {
    expect(await titles({}, world.admin.token)).toEqual(['F1', 'F2', 'F3', 'F4']);
    expect(await titles({}, world.therapists.co.token)).toEqual(['F1', 'F2', 'F3', 'F4']);
    expect(await titles({}, world.therapists.lead.token)).toEqual(['F1', 'F2', 'F4']);
    expect(await titles({ statuses: ['DRAFT'] }, world.therapists.lead.token)).toEqual([]);
    expect(await titles({ statuses: ['DRAFT'] }, world.therapists.co.token)).toEqual(['F3']);
  });

  it('filters by status, program, therapist, time zone, type and format', async () => {
    const admin = world.admin.token;
    expect(await titles({ statuses: ['OPEN'] }, admin)).toEqual(['F1', 'F2']);
    expect(await titles({ statuses: ['CANCELLED', 'DRAFT'] }, admin)).toEqual(['F3', 'F4']);
    expect(await titles({ programId: draftProgram.id }, admin)).toEqual([]);
    expect(await titles({ therapistId: world.therapists.co.globalId }, admin)).toEqual(['F2', 'F3']);
    expect(await titles({ therapistId: world.therapists.other.globalId }, admin)).toEqual(['F2']);
    expect(await titles({ therapistId: world.therapists.lead.globalId }, admin)).toEqual(['F1', 'F4']);
    expect(await titles({ timeZone: 'Europe/Berlin' }, admin)).toEqual(['F1', 'F3']);
    expect(await titles({ timeZone: 'Asia/Tokyo' }, admin)).toEqual(['F4']);
    expect(await titles({ type: 'OPEN' }, admin)).toEqual(['F2', 'F3']);
    expect(await titles({ format: 'IN_PERSON' }, admin)).toEqual(['F2']);
    expect(await titles({ type: 'CLOSED', format: 'ONLINE', timeZone: 'Europe/Berlin' }, admin)).toEqual(['F1']);
    expect(await titles({ therapistId: world.therapists.co.globalId })).toEqual(['F2']);
  });

  it('filters by seat availability', async () => {
    expect(await titles({ hasSeatsAvailable: false }, world.admin.token)).toEqual(['F1']);
    expect(await titles({ hasSeatsAvailable: true }, world.admin.token)).toEqual(['F2', 'F3', 'F4']);
    expect(await titles({ hasSeatsAvailable: true })).toEqual(['F2']);
    expect(await titles({ hasSeatsAvailable: false })).toEqual(['F1']);
  });

  it('paginates and counts with the seat-availability filter', async () => {
    const vars = (after: string | null) => ({ first: 2, after, filter: { programId: filterProgram.id, hasSeatsAvailable: true } });
    const first = (await app.gql(LIST, { token: world.admin.token, variables: vars(null) })).body;
    expect(first).toEqual({
      data: {
        groups: {
          totalCount: 3,
          nodes: [{ title: 'F2' }, { title: 'F3' }],
          pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
        },
      },
    });
    const second = (await app.gql(LIST, { token: world.admin.token, variables: vars(first.data.groups.pageInfo.endCursor) })).body;
    expect(second).toEqual({
      data: { groups: { totalCount: 3, nodes: [{ title: 'F4' }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } } },
    });
  });

  it('paginates by first session date', async () => {
    const first = (await app.gql(LIST, { token: world.admin.token, variables: { first: 3, filter: { programId: filterProgram.id } } })).body
      .data.groups;
    expect(first.nodes).toEqual([{ title: 'F1' }, { title: 'F2' }, { title: 'F3' }]);
    expect(first.totalCount).toBe(4);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (
      await app.gql(LIST, {
        token: world.admin.token,
        variables: { first: 3, after: first.pageInfo.endCursor, filter: { programId: filterProgram.id } },
      })
    ).body.data.groups;
    expect(second).toEqual({ totalCount: 4, nodes: [{ title: 'F4' }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });
  });

  it('hides a draft group (and its sessions) from everyone but admins and its therapists', async () => {
    const ONE = `query($id: ID!) { group(id: $id) { title status } }`;
    const session = (
      await app.db.query<{ id: string }>('select id from group_session where group_id = $1 and position = 1', [rawId(ids.F3!)])
    )[0]!.id;
    const sessionId = Buffer.from(`Session:${session}`).toString('base64url');
    for (const token of [undefined, world.partners.referring.token, world.members.subject.token, world.therapists.lead.token]) {
      expect((await app.gql(ONE, { token, variables: { id: ids.F3 } })).body).toEqual({
        data: { group: null },
        errors: [topLevel('NOT_FOUND', ['group'])],
      });
      expect((await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { token, variables: { id: sessionId } })).body).toEqual({
        data: { node: null },
        errors: [topLevel('NOT_FOUND', ['node'])],
      });
    }
    for (const token of [world.admin.token, world.therapists.co.token]) {
      expect((await app.gql(ONE, { token, variables: { id: ids.F3 } })).body).toEqual({
        data: { group: { title: 'F3', status: 'DRAFT' } },
      });
    }
  });

  it('rejects an ID of the wrong type in a filter', async () => {
    const response = await app.gql(LIST, { variables: { first: 10, filter: { programId: world.groups.a.globalId } } });
    expect(response.body).toEqual({
      data: null,
      errors: [{ ...topLevel('BAD_USER_INPUT', ['groups']), extensions: { code: 'BAD_USER_INPUT', reason: 'WRONG_ID_TYPE' } }],
    });
  });
});

describe('seat figures, roster and waitlist', () => {
  const ROSTER = `query Roster($id: ID!, $statuses: [ReservationStatus!]) {
    group(id: $id) {
      reservations(first: 100, statuses: $statuses) {
        totalCount
        nodes { id status waitlistPosition expiresAt member { id displayName } }
      }
    }
  }`;
  let group: { id: string };
  const r: Record<string, string> = {};
  const m: Record<string, string> = {};

  beforeAll(async () => {
    group = await createGroup({ title: 'Roster', capacity: 3 });
    await gqlOk(OPEN, { id: group.id });
    m.rowan = world.members.subject.globalId;
    m.referred = await registerMember('Referred', world.partners.referring.token);
    m.others = await registerMember('Others', world.partners.other.token);
    m.direct = await registerMember('Direct', world.admin.token);
    m.late = await registerMember('Late', world.partners.referring.token);
    m.gone = await registerMember('Gone', world.partners.other.token);
    r.rowan = await reserve(group.id, m.rowan, 'CONFIRMED');
    r.referred = await reserve(group.id, m.referred, 'HELD');
    r.others = await reserve(group.id, m.others, 'CONFIRMED');
    r.direct = await reserve(group.id, m.direct, 'WAITLISTED');
    r.late = await reserve(group.id, m.late, 'WAITLISTED');
    r.gone = await reserve(group.id, m.gone, 'CANCELLED');
  });

  const entry = (key: string, status: Status, displayName: string, waitlistPosition: number | null = null) => ({
    id: r[key],
    status,
    waitlistPosition,
    expiresAt: status === 'HELD' ? expect.any(String) : null,
    member: { id: m[key], displayName },
  });

  it('derives seatsTaken, seatsHeld, seatsAvailable, waitlistLength and nextSession', async () => {
    const data = await gqlOk(
      `query($id: ID!) { group(id: $id) { capacity seatsTaken seatsHeld seatsAvailable waitlistLength nextSession { position startsAt } } }`,
      { id: group.id },
    );
    expect(data).toEqual({
      group: {
        capacity: 3,
        seatsTaken: 3,
        seatsHeld: 1,
        seatsAvailable: 0,
        waitlistLength: 2,
        nextSession: { position: 1, startsAt: '2027-01-06T17:30:00.000Z' },
      },
    });
    // Once the first session has started, the next one is the second.
    await app.db.query(`update group_session set starts_at = now() - interval '10 minutes' where group_id = $1 and position = 1`, [
      rawId(group.id),
    ]);
    const later = await gqlOk(`query($id: ID!) { group(id: $id) { nextSession { position } } }`, { id: group.id });
    expect(later).toEqual({ group: { nextSession: { position: 2 } } });
  });

  it('shows admins and the group’s therapists the whole roster, oldest first, with waitlist positions', async () => {
    const all = [
      entry('rowan', 'CONFIRMED', 'Rowan'),
      entry('referred', 'HELD', 'Referred'),
      entry('others', 'CONFIRMED', 'Others'),
      entry('direct', 'WAITLISTED', 'Direct', 1),
      entry('late', 'WAITLISTED', 'Late', 2),
      entry('gone', 'CANCELLED', 'Gone'),
    ];
    for (const token of [world.admin.token, world.therapists.lead.token, world.therapists.co.token]) {
      expect((await app.gql(ROSTER, { token, variables: { id: group.id } })).body).toEqual({
        data: { group: { reservations: { totalCount: 6, nodes: all } } },
      });
    }
    expect((await app.gql(ROSTER, { token: world.admin.token, variables: { id: group.id, statuses: ['WAITLISTED'] } })).body).toEqual({
      data: {
        group: {
          reservations: { totalCount: 2, nodes: [entry('direct', 'WAITLISTED', 'Direct', 1), entry('late', 'WAITLISTED', 'Late', 2)] },
        },
      },
    });
  });

  it('shows a partner only its own members’ reservations, and a member only its own', async () => {
    expect((await app.gql(ROSTER, { token: world.partners.referring.token, variables: { id: group.id } })).body).toEqual({
      data: {
        group: {
          reservations: {
            totalCount: 3,
            nodes: [entry('rowan', 'CONFIRMED', 'Rowan'), entry('referred', 'HELD', 'Referred'), entry('late', 'WAITLISTED', 'Late', 2)],
          },
        },
      },
    });
    expect((await app.gql(ROSTER, { token: world.partners.other.token, variables: { id: group.id } })).body).toEqual({
      data: {
        group: { reservations: { totalCount: 2, nodes: [entry('others', 'CONFIRMED', 'Others'), entry('gone', 'CANCELLED', 'Gone')] } },
      },
    });
    expect((await app.gql(ROSTER, { token: world.members.subject.token, variables: { id: group.id } })).body).toEqual({
      data: { group: { reservations: { totalCount: 1, nodes: [entry('rowan', 'CONFIRMED', 'Rowan')] } } },
    });
  });

  it('refuses the roster to other therapists (FORBIDDEN) and anonymous callers (UNAUTHENTICATED), keeping the group', async () => {
    // Anonymous callers are told to sign in, as everywhere else in the API (auth-checker convention).
    for (const [token, code] of [
      [world.therapists.other.token, 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const response = await app.gql(ROSTER, { token, variables: { id: group.id } });
      expect(response.body).toEqual({
        data: { group: { reservations: null } },
        errors: [topLevel(code, ['group', 'reservations'])],
      });
      expect(response.text).not.toContain('Referred');
    }
  });

  it('moves waitlist positions up when an earlier waitlisted reservation ends', async () => {
    await app.db.query(
      `update reservation set status = 'CANCELLED', ended_at = now(), ended_by = 'MEMBER', cancelled_late = false where id = $1`,
      [rawId(r.direct!)],
    );
    const response = await app.gql(`query($id: ID!) { node(id: $id) { ... on Reservation { status waitlistPosition } } }`, {
      token: world.partners.referring.token,
      variables: { id: r.late },
    });
    expect(response.body).toEqual({ data: { node: { status: 'WAITLISTED', waitlistPosition: 1 } } });
    const figures = await gqlOk(`query($id: ID!) { group(id: $id) { waitlistLength seatsAvailable } }`, { id: group.id });
    expect(figures).toEqual({ group: { waitlistLength: 1, seatsAvailable: 0 } });
  });
});
