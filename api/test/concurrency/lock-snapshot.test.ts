/**
 * A seat transaction that waited for a group's lock must see what the lock holder committed.
 * In READ COMMITTED a statement's snapshot is taken before it waits, so figures read in the
 * same statement as `FOR UPDATE` can be stale; the seat engine reads them after the lock.
 * Scenario: the group is full; another transaction holds the lock and puts the first member on
 * the waitlist; meanwhile a seat is cancelled through the API (it waits for the lock). When the
 * cancellation goes through, the waitlisted member must get the freed seat at once (rule 4).
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.js';
import {
  arrangeSeatFixture,
  CANCEL_RESERVATION,
  createMembers,
  createOpenGroup,
  RESERVE_SEAT,
  type Ref,
  type SeatFixture,
  seatMembers,
} from '../support/seat-fixture.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let fixture: SeatFixture;
let group: Ref;
let seated: Ref;
let waiting: Ref;

beforeAll(async () => {
  app = await startTestApp();
  fixture = await arrangeSeatFixture(app.db);
  group = await createOpenGroup(app.db, fixture, 1, 'Lock Group');
  const members = await createMembers(app.db, fixture, 2);
  seated = members[0]!;
  waiting = members[1]!;
  await seatMembers(app.db, group, [seated]);
});
afterAll(() => app?.close());

it('promotes a waitlist place committed while the cancellation waited for the lock', async () => {
  const [{ id: seatId }] = (await app.db.query<{ id: string }>(`select id from reservation where group_id = $1`, [group.id])) as [
    { id: string },
  ];
  const holder = new pg.Client({ connectionString: app.db.url });
  await holder.connect();
  try {
    await holder.query('begin');
    await holder.query('select id from therapy_group where id = $1 for update', [group.id]);
    await holder.query(
      `insert into reservation (id, group_id, member_id, status, waitlist_seq, created_at, updated_at)
       values (gen_random_uuid(), $1, $2, 'WAITLISTED', nextval('reservation_waitlist_seq'), now(), now())`,
      [group.id, waiting.id],
    );
    const cancelling = app.gql(CANCEL_RESERVATION, {
      variables: { input: { reservationId: toGlobalId('Reservation', seatId) } },
      token: fixture.partner.apiKey,
    });
    // Let the cancellation reach the lock and wait there, then commit the waitlist place.
    await waitUntil(async () => {
      const { rows } = await holder.query(
        `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
      );
      return rows[0].n > 0;
    });
    await holder.query('commit');
    const answer = await cancelling;
    expect(answer.body.data.cancelReservation.userErrors).toEqual([]);
  } finally {
    await holder.end();
  }
  const rows = await app.db.query<{ member_id: string; status: string }>(
    `select member_id, status from reservation where group_id = $1 order by created_at`,
    [group.id],
  );
  expect(rows).toEqual([
    { member_id: seated.id, status: 'CANCELLED' },
    { member_id: waiting.id, status: 'CONFIRMED' },
  ]);
});

it('lets a member whose own hold expired reserve again (the hold expires under the lock first)', async () => {
  const again = await createOpenGroup(app.db, fixture, 2, 'Expired Hold Group');
  const [member] = await createMembers(app.db, fixture, 1, { signed: false });
  await app.db.query(
    `insert into reservation (id, group_id, member_id, status, expires_at, created_at, updated_at)
     values (gen_random_uuid(), $1, $2, 'HELD', now() - interval '1 minute', now() - interval '1 hour', now() - interval '1 hour')`,
    [again.id, member!.id],
  );
  const answer = await app.gql(RESERVE_SEAT, {
    variables: { input: { groupId: again.globalId, memberId: member!.globalId } },
    token: fixture.partner.apiKey,
  });
  expect(answer.body.data.reserveSeat.userErrors).toEqual([]);
  expect(answer.body.data.reserveSeat.reservation.status).toBe('HELD');
  const rows = await app.db.query<{ status: string }>(`select status from reservation where group_id = $1 order by created_at`, [again.id]);
  expect(rows).toEqual([{ status: 'EXPIRED' }, { status: 'HELD' }]);
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the lock wait');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
