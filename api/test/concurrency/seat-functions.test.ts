/**
 * The seat rules tested where they live: the PostgreSQL functions of migration 0018, called the
 * way the API calls them (one statement each, its own transaction) but straight over SQL from
 * many connections — no API process in between. The GraphQL tests (seats, holds, storm, churn)
 * prove the same rules through the API.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  arrangeSeatFixture,
  createMembers,
  createOpenGroup,
  type Ref,
  reservationsOf,
  type SeatFixture,
  seatInvariantViolations,
  seatMembers,
} from '../support/seat-fixture.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
let pool: pg.Pool;
let fixture: SeatFixture;

interface Answer {
  result: { objectId: string | null; userErrors: { code: string; field: string[]; message: string }[] };
  row?: Record<string, unknown> & { id: string; status: string; previous?: string };
  replay?: boolean;
  lockWaitSeconds?: number;
}

const CALLER = 'PARTNER:seat-function-test';

async function reserve(group: Ref, member: Ref, key: string | null = null, hash = 'h'): Promise<Answer> {
  const { rows } = await pool.query<{ answer: Answer }>('select reserve_seat_v1($1, $2, $3, $4, $5, $6, false) as answer', [
    CALLER,
    key,
    hash,
    group.id,
    member.id,
    randomUUID(),
  ]);
  return rows[0]!.answer;
}

async function cancel(group: Ref, reservationId: string): Promise<Answer> {
  const { rows } = await pool.query<{ answer: Answer }>(
    `select end_reservation_v1($1, null, 'cancelReservation', 'h', $2, $3, 'CANCELLED', 'PARTNER', null) as answer`,
    [CALLER, reservationId, group.id],
  );
  return rows[0]!.answer;
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 16 });
  pool.on('error', () => {}); // the database's drop at the end terminates idle clients on purpose
  fixture = await arrangeSeatFixture(db);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('reserve_seat_v1', () => {
  it('seats exactly the capacity and waitlists the rest in acceptance order when 60 members call at once from 16 connections', async () => {
    const group = await createOpenGroup(db, fixture, 5, 'SQL Storm');
    const members = await createMembers(db, fixture, 60);
    const answers = await Promise.all(members.map((member) => reserve(group, member)));
    expect(answers.every((a) => a.result.userErrors.length === 0 && a.row)).toBe(true);
    expect(answers.filter((a) => a.row!.status === 'CONFIRMED')).toHaveLength(5);
    expect(answers.filter((a) => a.row!.status === 'WAITLISTED')).toHaveLength(55);
    // Waitlist order is acceptance order: sequence and accepted_at rank agree, and every seat was
    // decided before every waitlist place.
    const rows = await db.query<{ status: string; seq_rank: number | null; accepted_rank: number }>(
      `select status,
              case when status = 'WAITLISTED' then rank() over (partition by status order by waitlist_seq) end::int as seq_rank,
              rank() over (partition by status order by accepted_at)::int as accepted_rank,
              accepted_at
         from reservation where group_id = $1 order by accepted_at`,
      [group.id],
    );
    expect(rows.slice(0, 5).every((r) => r.status === 'CONFIRMED')).toBe(true);
    expect(rows.slice(5).every((r) => r.seq_rank === r.accepted_rank)).toBe(true);
    expect(await seatInvariantViolations(db)).toEqual([]);
  });

  it('refuses with a stable code, writing nothing but the key, when the group is not open', async () => {
    const group = await createOpenGroup(db, fixture, 2, 'SQL Draft');
    await db.query(`update therapy_group set status = 'DRAFT' where id = $1`, [group.id]);
    const [member] = await createMembers(db, fixture, 1);
    const key = randomUUID();
    expect(await reserve(group, member!, key)).toEqual({
      result: { objectId: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'groupId'], message: 'No group with this ID.' }] },
      lockWaitSeconds: expect.any(Number),
    });
    expect(await db.query(`select id from reservation where group_id = $1`, [group.id])).toEqual([]);
    // The refusal is what the key replays.
    expect(await reserve(group, member!, key)).toEqual({
      result: { objectId: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'groupId'], message: 'No group with this ID.' }] },
      replay: true,
    });
  });

  it('replays a key, refuses the key with other input, and lets two concurrent calls with one key make one reservation', async () => {
    const group = await createOpenGroup(db, fixture, 3, 'SQL Keys');
    const [first, second] = await createMembers(db, fixture, 2);
    const key = randomUUID();
    const made = await reserve(group, first!, key, 'one');
    expect(await reserve(group, first!, key, 'one')).toEqual({ result: { objectId: made.row!.id, userErrors: [] }, replay: true });
    expect((await reserve(group, second!, key, 'two')).result.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);

    // Two connections, one new key: the second waits on the key's primary key and fails with a
    // unique violation (the API retries it), and the retry replays the first's result.
    const racingKey = randomUUID();
    const [third] = await createMembers(db, fixture, 1);
    const outcomes = await Promise.allSettled([reserve(group, third!, racingKey, 'three'), reserve(group, third!, racingKey, 'three')]);
    const made3 = outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<Answer>;
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect((outcome.reason as { code: string }).code).toBe('23505');
    }
    expect((await reserve(group, third!, racingKey, 'three')).result.objectId).toBe(made3.value.result.objectId);
    expect(await db.query(`select count(*)::int as n from reservation where member_id = $1`, [third!.id])).toEqual([{ n: 1 }]);
  });
});

describe('end_reservation_v1', () => {
  it('gives a cancelled seat to the head of the waitlist in the same call, and refuses a second cancellation', async () => {
    const group = await createOpenGroup(db, fixture, 1, 'SQL Cancel');
    const [seated, waiting] = await createMembers(db, fixture, 2);
    const seat = await reserve(group, seated!);
    const place = await reserve(group, waiting!);
    expect(place.row!.status).toBe('WAITLISTED');
    const ended = await cancel(group, seat.row!.id);
    expect(ended.row).toMatchObject({ id: seat.row!.id, status: 'CANCELLED', previous: 'CONFIRMED', cancelled_late: false });
    expect((await reservationsOf(db, group)).find((r) => r.id === place.row!.id)?.status).toBe('CONFIRMED');
    expect((await cancel(group, seat.row!.id)).result.userErrors.map((e) => e.code)).toEqual(['RESERVATION_NOT_ACTIVE']);
    expect(await seatInvariantViolations(db)).toEqual([]);
  });

  it('keeps the seats right under churn: 40 reserve/cancel pairs racing on a 3-seat group', async () => {
    const group = await createOpenGroup(db, fixture, 3, 'SQL Churn');
    const members = await createMembers(db, fixture, 40);
    await Promise.all(
      members.map(async (member, i) => {
        const made = await reserve(group, member);
        if (i % 2 === 0) await cancel(group, made.row!.id);
      }),
    );
    const rows = await reservationsOf(db, group);
    expect(rows.filter((r) => r.status === 'CONFIRMED')).toHaveLength(3);
    expect(rows.filter((r) => r.status === 'WAITLISTED').map((r) => r.position)).toEqual(Array.from({ length: 20 - 3 }, (_, i) => i + 1));
    expect(await seatInvariantViolations(db)).toEqual([]);
  });
});

describe('move_reservation_v1', () => {
  it('changes nothing when the target refuses, and moves with the freed seat promoted when it accepts', async () => {
    const from = await createOpenGroup(db, fixture, 1, 'SQL From');
    const to = await createOpenGroup(db, fixture, 2, 'SQL To');
    const closed = await createOpenGroup(db, fixture, 2, 'SQL Closed');
    await db.query(`update therapy_group set status = 'CANCELLED' where id = $1`, [closed.id]);
    const [mover, waiting] = await createMembers(db, fixture, 2);
    const seat = await reserve(from, mover!);
    const place = await reserve(from, waiting!);
    const move = (target: Ref) =>
      pool.query<{ answer: Answer }>('select move_reservation_v1($1, null, $2, $3, $4, $5, $6, $7) as answer', [
        'ADMIN:test',
        'h',
        seat.row!.id,
        from.id,
        target.id,
        mover!.id,
        randomUUID(),
      ]);
    const before = await reservationsOf(db, from);
    const refused = (await move(closed)).rows[0]!.answer;
    expect(refused.result.userErrors).toEqual([
      { code: 'GROUP_NOT_OPEN', field: ['input', 'toGroupId'], message: 'This group does not take reservations.' },
    ]);
    expect(await reservationsOf(db, from)).toEqual(before);
    expect(await reservationsOf(db, closed)).toEqual([]);

    const moved = (await move(to)).rows[0]!.answer;
    expect(moved.row).toMatchObject({ group_id: to.id, member_id: mover!.id, status: 'CONFIRMED' });
    const old = await db.query(`select status, moved_to_id from reservation where id = $1`, [seat.row!.id]);
    expect(old).toEqual([{ status: 'MOVED', moved_to_id: moved.row!.id }]);
    expect((await reservationsOf(db, from)).find((r) => r.id === place.row!.id)?.status).toBe('CONFIRMED');
    expect(await seatInvariantViolations(db)).toEqual([]);
  });
});

describe('sweep_group_v1', () => {
  it('expires a due hold and promotes the waitlist, and skips a group whose lock another transaction holds', async () => {
    const group = await createOpenGroup(db, fixture, 1, 'SQL Sweep');
    const [unsigned] = await createMembers(db, fixture, 1, { signed: false, prefix: 'Unsigned' });
    const [waiting] = await createMembers(db, fixture, 1);
    const hold = await reserve(group, unsigned!);
    expect(hold.row!.status).toBe('HELD');
    await reserve(group, waiting!);
    await db.query(`update reservation set expires_at = now() - interval '1 minute' where id = $1`, [hold.row!.id]);

    const holder = await pool.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from therapy_group where id = $1 for update', [group.id]);
      expect((await pool.query('select sweep_group_v1($1) as expired', [group.id])).rows).toEqual([{ expired: null }]);
      await holder.query('rollback');
    } finally {
      holder.release();
    }
    expect((await pool.query('select sweep_group_v1($1) as expired', [group.id])).rows).toEqual([{ expired: 1 }]);
    expect((await reservationsOf(db, group)).map((r) => r.status).sort()).toEqual(['CONFIRMED', 'EXPIRED']);
    expect(await seatInvariantViolations(db)).toEqual([]);
  });
});

it('seats members placed before are counted: a full group waitlists the next caller', async () => {
  const group = await createOpenGroup(db, fixture, 2, 'SQL Full');
  const members = await createMembers(db, fixture, 3);
  await seatMembers(db, group, members.slice(0, 2));
  expect((await reserve(group, members[2]!)).row!.status).toBe('WAITLISTED');
});

describe('set_capacity_v1 and cancel_group_v1', () => {
  it('refuses a capacity below the seats taken, gives raised capacity to the waitlist, and cancels every place with the group', async () => {
    const group = await createOpenGroup(db, fixture, 2, 'SQL Capacity');
    const members = await createMembers(db, fixture, 4);
    for (const member of members) await reserve(group, member);
    const capacity = async (value: number) =>
      (await pool.query<{ answer: Answer }>(`select set_capacity_v1($1, $2, 'ADMIN:test') as answer`, [group.id, value])).rows[0]!.answer;

    expect((await capacity(1)).result.userErrors).toEqual([
      { code: 'CAPACITY_BELOW_TAKEN', field: ['input', 'capacity'], message: '2 seats are taken; capacity cannot go below that.' },
    ]);
    expect(await capacity(3)).toEqual({ result: { objectId: group.id, userErrors: [] }, previous: 2 });
    expect((await reservationsOf(db, group)).map((r) => [r.status, r.position])).toEqual([
      ['CONFIRMED', null],
      ['CONFIRMED', null],
      ['CONFIRMED', null],
      ['WAITLISTED', 1],
    ]);

    const cancelGroup = async () =>
      (await pool.query<{ answer: Answer }>(`select cancel_group_v1($1, 'ADMIN:test', 'No therapist') as answer`, [group.id])).rows[0]!
        .answer;
    expect(await cancelGroup()).toEqual({ result: { objectId: group.id, userErrors: [] }, previous: 'OPEN' });
    expect(new Set((await reservationsOf(db, group)).map((r) => r.status))).toEqual(new Set(['CANCELLED']));
    expect(await db.query(`select distinct status from group_session where group_id = $1`, [group.id])).toEqual([{ status: 'CANCELLED' }]);
    expect((await cancelGroup()).result.userErrors.map((e) => e.code)).toEqual(['INVALID_STATE']);
    expect(await seatInvariantViolations(db)).toEqual([]);
  });
});
