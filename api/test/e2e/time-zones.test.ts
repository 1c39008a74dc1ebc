/**
 * Daylight-saving correctness: a weekly group keeps its LOCAL start time across the change
 * while the UTC instant it is stored as moves by an hour; a zone without daylight saving stays
 * constant in UTC; and what `planSessions` does with a local time that does not exist (spring
 * forward) or exists twice (fall back).
 *
 * 2027 changes: Europe/Berlin on Sunday 28 March (02:00 → 03:00) and Sunday 31 October
 * (03:00 → 02:00); America/New_York on Sunday 14 March and Sunday 7 November. All sessions
 * below are after "now" (late November 2026).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Weekday } from '../../src/modules/groups/index.js';
import { planSessions } from '../../src/modules/groups/index.js';
import { startWorld } from '../support/world.js';

const { app, world } = await startWorld();
afterAll(() => app.close());

const CREATE = `mutation Create($input: CreateGroupInput!) {
  createGroup(input: $input) {
    group { timeZone schedule { startsOn weekday startTime durationMinutes sessionCount } sessions { position startsAt endsAt startsAtLocal } }
    userErrors { code field message }
  }
}`;
const PREVIEW = `query Preview($schedule: GroupScheduleInput!) { previewGroupSessions(schedule: $schedule) { position startsAt endsAt startsAtLocal } }`;

type Schedule = { timeZone: string; startsOn: string; weekday: string; startTime: string; durationMinutes: number; sessionCount: number };

/** Creates a group through the API and returns what it stored; checks the preview agrees. */
async function sessionsOf(schedule: Schedule) {
  const response = await app.gql(CREATE, {
    token: world.admin.token,
    variables: {
      input: {
        programId: world.program.globalId,
        title: `${schedule.timeZone} ${schedule.startsOn}`,
        leadTherapistId: world.therapists.lead.globalId,
        capacity: 6,
        type: 'CLOSED',
        format: 'ONLINE',
        schedule,
      },
    },
  });
  expect(response.body.errors).toBeUndefined();
  const { group, userErrors } = response.body.data.createGroup;
  expect(userErrors).toEqual([]);
  expect(group.timeZone).toBe(schedule.timeZone);
  const { timeZone: _zone, ...stored } = schedule;
  expect(group.schedule).toEqual(stored);
  const preview = await app.gql(PREVIEW, { variables: { schedule } });
  expect(preview.body).toEqual({ data: { previewGroupSessions: group.sessions } });
  return group.sessions as { position: number; startsAt: string; endsAt: string; startsAtLocal: string }[];
}

const s = (position: number, startsAt: string, endsAt: string, startsAtLocal: string) => ({ position, startsAt, endsAt, startsAtLocal });

describe('a weekly group across the daylight-saving change keeps its local start time', () => {
  it('Europe/Berlin, spring forward (28 March 2027): 18:00 local, 17:00Z then 16:00Z', async () => {
    const sessions = await sessionsOf({
      timeZone: 'Europe/Berlin',
      startsOn: '2027-03-15',
      weekday: 'THURSDAY',
      startTime: '18:00',
      durationMinutes: 90,
      sessionCount: 4,
    });
    expect(sessions).toEqual([
      s(1, '2027-03-18T17:00:00.000Z', '2027-03-18T18:30:00.000Z', '2027-03-18T18:00:00.000+01:00'),
      s(2, '2027-03-25T17:00:00.000Z', '2027-03-25T18:30:00.000Z', '2027-03-25T18:00:00.000+01:00'),
      s(3, '2027-04-01T16:00:00.000Z', '2027-04-01T17:30:00.000Z', '2027-04-01T18:00:00.000+02:00'),
      s(4, '2027-04-08T16:00:00.000Z', '2027-04-08T17:30:00.000Z', '2027-04-08T18:00:00.000+02:00'),
    ]);
    // Not 7 × 24 hours apart across the change: one hour less.
    expect(Date.parse(sessions[2]!.startsAt) - Date.parse(sessions[1]!.startsAt)).toBe((7 * 24 - 1) * 3600_000);
  });

  it('Europe/Berlin, fall back (31 October 2027): 18:00 local, 16:00Z then 17:00Z', async () => {
    const sessions = await sessionsOf({
      timeZone: 'Europe/Berlin',
      startsOn: '2027-10-21',
      weekday: 'THURSDAY',
      startTime: '18:00',
      durationMinutes: 60,
      sessionCount: 4,
    });
    expect(sessions).toEqual([
      s(1, '2027-10-21T16:00:00.000Z', '2027-10-21T17:00:00.000Z', '2027-10-21T18:00:00.000+02:00'),
      s(2, '2027-10-28T16:00:00.000Z', '2027-10-28T17:00:00.000Z', '2027-10-28T18:00:00.000+02:00'),
      s(3, '2027-11-04T17:00:00.000Z', '2027-11-04T18:00:00.000Z', '2027-11-04T18:00:00.000+01:00'),
      s(4, '2027-11-11T17:00:00.000Z', '2027-11-11T18:00:00.000Z', '2027-11-11T18:00:00.000+01:00'),
    ]);
    expect(Date.parse(sessions[2]!.startsAt) - Date.parse(sessions[1]!.startsAt)).toBe((7 * 24 + 1) * 3600_000);
  });

  it('America/New_York, fall back (7 November 2027): 18:00 local, 22:00Z then 23:00Z', async () => {
    const sessions = await sessionsOf({
      timeZone: 'America/New_York',
      startsOn: '2027-10-25',
      weekday: 'MONDAY',
      startTime: '18:00',
      durationMinutes: 90,
      sessionCount: 4,
    });
    expect(sessions).toEqual([
      s(1, '2027-10-25T22:00:00.000Z', '2027-10-25T23:30:00.000Z', '2027-10-25T18:00:00.000-04:00'),
      s(2, '2027-11-01T22:00:00.000Z', '2027-11-01T23:30:00.000Z', '2027-11-01T18:00:00.000-04:00'),
      s(3, '2027-11-08T23:00:00.000Z', '2027-11-09T00:30:00.000Z', '2027-11-08T18:00:00.000-05:00'),
      s(4, '2027-11-15T23:00:00.000Z', '2027-11-16T00:30:00.000Z', '2027-11-15T18:00:00.000-05:00'),
    ]);
  });

  it('America/New_York, spring forward (14 March 2027): 18:00 local, 23:00Z then 22:00Z', async () => {
    const sessions = await sessionsOf({
      timeZone: 'America/New_York',
      startsOn: '2027-03-01',
      weekday: 'WEDNESDAY',
      startTime: '18:00',
      durationMinutes: 60,
      sessionCount: 4,
    });
    expect(sessions).toEqual([
      s(1, '2027-03-03T23:00:00.000Z', '2027-03-04T00:00:00.000Z', '2027-03-03T18:00:00.000-05:00'),
      s(2, '2027-03-10T23:00:00.000Z', '2027-03-11T00:00:00.000Z', '2027-03-10T18:00:00.000-05:00'),
      s(3, '2027-03-17T22:00:00.000Z', '2027-03-17T23:00:00.000Z', '2027-03-17T18:00:00.000-04:00'),
      s(4, '2027-03-24T22:00:00.000Z', '2027-03-24T23:00:00.000Z', '2027-03-24T18:00:00.000-04:00'),
    ]);
  });

  it('stores the instants in UTC in the database', async () => {
    const rows = await app.db.query<{ position: number; starts_at: string; local: string }>(
      `select s.position, to_char(s.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as starts_at,
              to_char(s.starts_at at time zone g.time_zone, 'HH24:MI') as local
         from group_session s join therapy_group g on g.id = s.group_id
        where g.title = 'Europe/Berlin 2027-03-15' order by s.position`,
    );
    expect(rows).toEqual([
      { position: 1, starts_at: '2027-03-18T17:00', local: '18:00' },
      { position: 2, starts_at: '2027-03-25T17:00', local: '18:00' },
      { position: 3, starts_at: '2027-04-01T16:00', local: '18:00' },
      { position: 4, starts_at: '2027-04-08T16:00', local: '18:00' },
    ]);
  });
});

describe('a zone without daylight saving', () => {
  it('Asia/Tokyo stays at the same UTC instant through the European and American changes', async () => {
    const sessions = await sessionsOf({
      timeZone: 'Asia/Tokyo',
      startsOn: '2027-03-08',
      weekday: 'MONDAY',
      startTime: '18:00',
      durationMinutes: 90,
      sessionCount: 6,
    });
    expect(sessions).toEqual(
      ['03-08', '03-15', '03-22', '03-29', '04-05', '04-12'].map((day, i) =>
        s(i + 1, `2027-${day}T09:00:00.000Z`, `2027-${day}T10:30:00.000Z`, `2027-${day}T18:00:00.000+09:00`),
      ),
    );
  });
});

describe('planSessions at the edges of the change (unit)', () => {
  const plan = (timeZone: string, startsOn: string, weekday: Weekday, startTime: string, sessionCount = 3) =>
    planSessions({ timeZone, startsOn, weekday, startTime, durationMinutes: 60, sessionCount }).map((p) => ({
      position: p.position,
      startsAt: p.startsAt.toISOString(),
      endsAt: p.endsAt.toISOString(),
    }));

  it('spring forward gap: 02:30 on 28 March 2027 in Berlin does not exist; it is read with the offset before the gap (03:30 CEST)', () => {
    expect(plan('Europe/Berlin', '2027-03-21', Weekday.SUNDAY, '02:30')).toEqual([
      // 02:30 CET
      { position: 1, startsAt: '2027-03-21T01:30:00.000Z', endsAt: '2027-03-21T02:30:00.000Z' },
      // 02:30 + 01:00 = 01:30Z, which the clocks show as 03:30 CEST: moved forward by the gap.
      { position: 2, startsAt: '2027-03-28T01:30:00.000Z', endsAt: '2027-03-28T02:30:00.000Z' },
      // 02:30 CEST again afterwards.
      { position: 3, startsAt: '2027-04-04T00:30:00.000Z', endsAt: '2027-04-04T01:30:00.000Z' },
    ]);
  });

  it('spring forward gap in New York: 02:30 on 14 March 2027 becomes 03:30 EDT', () => {
    expect(plan('America/New_York', '2027-03-14', Weekday.SUNDAY, '02:30', 2)).toEqual([
      { position: 1, startsAt: '2027-03-14T07:30:00.000Z', endsAt: '2027-03-14T08:30:00.000Z' },
      { position: 2, startsAt: '2027-03-21T06:30:00.000Z', endsAt: '2027-03-21T07:30:00.000Z' },
    ]);
  });

  it('fall back overlap: 02:30 on 31 October 2027 in Berlin happens twice; the first occurrence (CEST) is used', () => {
    expect(plan('Europe/Berlin', '2027-10-24', Weekday.SUNDAY, '02:30')).toEqual([
      { position: 1, startsAt: '2027-10-24T00:30:00.000Z', endsAt: '2027-10-24T01:30:00.000Z' },
      // 02:30 CEST (+02:00), not the second 02:30 CET an hour later.
      { position: 2, startsAt: '2027-10-31T00:30:00.000Z', endsAt: '2027-10-31T01:30:00.000Z' },
      { position: 3, startsAt: '2027-11-07T01:30:00.000Z', endsAt: '2027-11-07T02:30:00.000Z' },
    ]);
  });

  it('a session that spans the change lasts its duration in elapsed time', () => {
    // 01:30 CET + 60 minutes is 03:30 CEST on the night of the change.
    const [first] = planSessions({
      timeZone: 'Europe/Berlin',
      startsOn: '2027-03-28',
      weekday: Weekday.SUNDAY,
      startTime: '01:30',
      durationMinutes: 60,
      sessionCount: 1,
    });
    expect(first).toEqual({ position: 1, startsAt: new Date('2027-03-28T00:30:00.000Z'), endsAt: new Date('2027-03-28T01:30:00.000Z') });
  });

  it('shows the gap time through the API as the local time it became', async () => {
    const response = await app.gql(PREVIEW, {
      variables: {
        schedule: {
          timeZone: 'Europe/Berlin',
          startsOn: '2027-03-28',
          weekday: 'SUNDAY',
          startTime: '02:30',
          durationMinutes: 60,
          sessionCount: 2,
        },
      },
    });
    expect(response.body).toEqual({
      data: {
        previewGroupSessions: [
          s(1, '2027-03-28T01:30:00.000Z', '2027-03-28T02:30:00.000Z', '2027-03-28T03:30:00.000+02:00'),
          s(2, '2027-04-04T00:30:00.000Z', '2027-04-04T01:30:00.000Z', '2027-04-04T02:30:00.000+02:00'),
        ],
      },
    });
  });

  it('starts on the first requested weekday on or after startsOn, whatever the zone', () => {
    // 2027-01-04 is a Monday. Kiritimati (UTC+14) and Pago Pago (UTC-11) are a whole day apart.
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC']) {
      const [monday] = planSessions({
        timeZone: zone,
        startsOn: '2027-01-04',
        weekday: Weekday.MONDAY,
        startTime: '12:00',
        durationMinutes: 60,
        sessionCount: 1,
      });
      const [sunday] = planSessions({
        timeZone: zone,
        startsOn: '2027-01-04',
        weekday: Weekday.SUNDAY,
        startTime: '12:00',
        durationMinutes: 60,
        sessionCount: 1,
      });
      expect([zone, localDate(monday!.startsAt, zone), localDate(sunday!.startsAt, zone)]).toEqual([zone, '2027-01-04', '2027-01-10']);
    }
  });
});

function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
