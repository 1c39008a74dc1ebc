/**
 * The storm's floor: what Kindred's seat mutations do for a partner (reserve.service.ts,
 * release.service.ts, seat-transaction.ts), as raw SQL with pg — without GraphQL, HTTP, auth or
 * an ORM. The seat rules run in the same PostgreSQL functions Kindred calls (migration 0018,
 * docs/decisions/0010-seat-functions.md): the lookup Kindred makes to decide who may act, ONE
 * statement calling `reserve_seat_v1` / `end_reservation_v1` (its own transaction: lock, settle,
 * decide, write), then the staff action row Kindred appends after a partner's call
 * (api/src/authz/staff-actions.ts). Same writes — reservation, history, staff action — so the
 * ratio to Kindred measures Kindred's request stack alone.
 */
import { randomUUID } from 'node:crypto';
import { keyedDigest } from '@kindred/crypto';
import type pg from 'pg';

/**
 * Every statement prepared once per connection, then only bound and executed — as Kindred's
 * SQL gateway does (api/src/db/sql.ts).
 */
const names = new Map<string, string>();
function run<R extends pg.QueryResultRow>(pool: pg.Pool, text: string, values: unknown[]) {
  let name = names.get(text);
  if (!name) {
    name = `floor_${names.size + 1}`;
    names.set(text, name);
  }
  return pool.query<R>({ name, text, values });
}

interface SeatAnswer {
  result: { objectId: string | null; userErrors: { code: string }[] };
  row?: { id: string; group_id: string; status: string; previous?: string };
}

/** Kindred's idempotency fingerprint of a call (computed even without a key, as Kindred does). */
const fingerprint = (operation: string, input: unknown) =>
  keyedDigest('idempotency-request', operation, JSON.stringify(input)).toString('hex');

/** The partner's staff action row for a seat call that succeeded (one statement, after the call). */
async function logAction(pool: pg.Pool, partnerId: string, action: string, row: NonNullable<SeatAnswer['row']>) {
  const changes = [
    { type: 'Reservation', id: row.id, ...(row.previous ? { before: { status: row.previous } } : {}), after: { status: row.status } },
  ];
  await run(
    pool,
    `insert into staff_action (id, actor_kind, actor_id, actor_account_id, action, outcome, subject_type, subject_id, group_id, changes, request_id)
     values ($1, 'PARTNER', $2, null, $3, 'DONE', 'Reservation', $4, $5, $6::jsonb, $7)`,
    [randomUUID(), partnerId, action, row.id, row.group_id, JSON.stringify(changes), randomUUID()],
  );
}

function settled(answer: SeatAnswer): NonNullable<SeatAnswer['row']> {
  if (answer.result.userErrors.length || !answer.row) throw new Error(answer.result.userErrors.map((e) => e.code).join() || 'no row');
  return answer.row;
}

/** Reserves a seat (or a waitlist place) for a partner's member; returns the reservation id. */
export async function reserveSql(pool: pg.Pool, partnerId: string, groupId: string, memberId: string): Promise<string> {
  const owner = await run(pool, 'select id, partner_id from member where id = $1', [memberId]);
  if (owner.rows[0]?.partner_id !== partnerId) throw new Error('not this partner’s member');
  const hash = fingerprint('reserveSeat', { groupId, memberId });
  const { rows } = await run<{ answer: SeatAnswer }>(
    pool,
    'select reserve_seat_v1($1, $2, $3, $4::uuid, $5::uuid, $6::uuid, $7) as answer',
    [`PARTNER:${partnerId}`, null, hash, groupId, memberId, randomUUID(), false],
  );
  const row = settled(rows[0]!.answer);
  await logAction(pool, partnerId, 'reserveSeat', row);
  return row.id;
}

/** Cancels a reservation as its member's partner; a freed seat goes to the waitlist at once. */
export async function cancelSql(pool: pg.Pool, partnerId: string, reservationId: string): Promise<void> {
  const found = await run(
    pool,
    'select r.id, r.group_id, r.member_id, r.status, m.partner_id from reservation r join member m on m.id = r.member_id where r.id = $1',
    [reservationId],
  );
  const row = found.rows[0];
  if (!row || row.partner_id !== partnerId) throw new Error('no such reservation');
  const hash = fingerprint('cancelReservation', { reservationId });
  const { rows } = await run<{ answer: SeatAnswer }>(
    pool,
    `select end_reservation_v1($1, $2, $3, $4, $5::uuid, $6::uuid, 'CANCELLED', 'PARTNER', null) as answer`,
    [`PARTNER:${partnerId}`, null, 'cancelReservation', hash, reservationId, row.group_id],
  );
  await logAction(pool, partnerId, 'cancelReservation', settled(rows[0]!.answer));
}
