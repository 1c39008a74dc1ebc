/**
 * Writes the reservations by replaying their changes through Kindred's own triggers: each
 * reservation is inserted with its first status and then updated through every later one, so
 * `reservation_seat_count` keeps `therapy_group.seats_taken` (and its CHECK against capacity
 * refuses any overflow along the way) and `reservation_history` writes the history rows.
 *
 * Changes are grouped into statements that keep each group's changes in order. Within one
 * statement the row order is not guaranteed, so a statement only holds changes of one kind per
 * group: inserts (seats only fill up), changes that free a seat, or changes that take one
 * (promotions). Statement slots cycle insert → free → take; changes that leave the seat count
 * alone (HELD → CONFIRMED, a waitlist place ending) go in either update slot. The history rows
 * are then given the instant, actor and reason Kindred recorded (its trigger stamps the
 * seeding transaction's clock).
 */
import type pg from 'pg';
import type { Reservation, Step } from './model.js';
import { takesSeat } from './model.js';
import { BATCH_ROWS, type Column, columnArrays, insertRows, unnestFrom, type Value } from './sql.js';
import { iso, isoOrNull } from './time.js';

interface Change {
  reservation: Reservation;
  step: number;
}

type Kind = 'insert' | 'free' | 'take' | 'neutral';

const SLOTS_OF: Record<Kind, readonly number[]> = { insert: [0], free: [1], take: [2], neutral: [1, 2] };

function kindOf(reservation: Reservation, step: number): Kind {
  if (step === 0) return 'insert';
  const was = takesSeat(reservation.steps[step - 1]!.status);
  const is = takesSeat(reservation.steps[step]!.status);
  return was && !is ? 'free' : !was && is ? 'take' : 'neutral';
}

/** The statements, in execution order: slot `i` inserts when `i % 3 === 0`, updates otherwise. */
function planStatements(reservations: Reservation[]): Change[][] {
  const byGroup = new Map<number, Change[]>();
  for (const reservation of reservations) {
    const changes = byGroup.get(reservation.group.index) ?? [];
    for (let step = 0; step < reservation.steps.length; step++) changes.push({ reservation, step });
    byGroup.set(reservation.group.index, changes);
  }
  const slots: Change[][] = [];
  for (const changes of byGroup.values()) {
    changes.sort((a, b) => a.reservation.steps[a.step]!.order - b.reservation.steps[b.step]!.order);
    const lastSlotOf = new Map<Reservation, number>();
    let slot = 0;
    for (const change of changes) {
      const allowed = SLOTS_OF[kindOf(change.reservation, change.step)];
      // One change per reservation per statement: an UPDATE … FROM applies only one source row.
      const after = lastSlotOf.get(change.reservation) ?? -1;
      while (!allowed.includes(slot % 3) || slot <= after) slot++;
      const statement = slots[slot] ?? [];
      statement.push(change);
      slots[slot] = statement;
      lastSlotOf.set(change.reservation, slot);
    }
  }
  return Array.from(slots, (s) => s ?? []);
}

const INSERT_COLUMNS: Column[] = [
  { name: 'id', type: 'uuid' },
  { name: 'group_id', type: 'uuid' },
  { name: 'member_id', type: 'uuid' },
  { name: 'status', type: 'reservation_status' },
  { name: 'waitlist_seq', type: 'bigint' },
  { name: 'expires_at', type: 'timestamptz' },
  { name: 'created_at', type: 'timestamptz' },
  { name: 'updated_at', type: 'timestamptz' },
  { name: 'ended_at', type: 'timestamptz' },
  { name: 'ended_by', type: 'text' },
  { name: 'cancelled_late', type: 'boolean' },
  { name: 'removal_reason', type: 'text' },
];

const UPDATE_COLUMNS: Column[] = [
  { name: 'id', type: 'uuid' },
  { name: 'status', type: 'reservation_status' },
  { name: 'expires_at', type: 'timestamptz' },
  { name: 'updated_at', type: 'timestamptz' },
  { name: 'ended_at', type: 'timestamptz' },
  { name: 'ended_by', type: 'text' },
  { name: 'cancelled_late', type: 'boolean' },
  { name: 'removal_reason', type: 'text' },
];

const rowAfter = (s: Step): Value[] => [
  s.status,
  isoOrNull(s.expiresAt),
  iso(s.updatedAt),
  isoOrNull(s.endedAt),
  s.endedBy,
  s.cancelledLate,
  s.removalReason,
];

async function updateRows(client: pg.ClientBase, changes: Change[]): Promise<void> {
  const { from, select } = unnestFrom(UPDATE_COLUMNS);
  const set = UPDATE_COLUMNS.slice(1)
    .map((c, i) => `"${c.name}" = v.c${i + 1}`)
    .join(', ');
  const sql = `update reservation r set ${set} from (select ${select} from ${from}) as v(${UPDATE_COLUMNS.map((_, i) => `c${i}`).join(', ')}) where r.id = v.c0`;
  for (let start = 0; start < changes.length; start += BATCH_ROWS) {
    const batch = changes.slice(start, start + BATCH_ROWS);
    const rows = batch.map(({ reservation, step }) => [reservation.id, ...rowAfter(reservation.steps[step]!)]);
    const result = await client.query(sql, columnArrays(UPDATE_COLUMNS, rows));
    if (result.rowCount !== batch.length) throw new Error(`Replay updated ${result.rowCount} reservations, expected ${batch.length}.`);
  }
}

/** Replays every change; reports progress in changes applied. */
export async function replayReservations(
  client: pg.ClientBase,
  reservations: Reservation[],
  onChanges: (n: number) => void,
): Promise<void> {
  // The history trigger names the transaction's actor; the real ones are written afterwards.
  await client.query(`select set_config('kindred.actor', 'SYSTEM', true), set_config('kindred.reason', '', true)`);
  const statements = planStatements(reservations);
  for (const [slot, changes] of statements.entries()) {
    if (changes.length === 0) continue;
    if (slot % 3 === 0) {
      const rows = changes.map(({ reservation: r, step }) => {
        const s = r.steps[step]!;
        return [
          r.id,
          r.group.id,
          r.member.id,
          s.status,
          r.waitlistSeq,
          isoOrNull(s.expiresAt),
          iso(r.createdAt),
          iso(s.updatedAt),
          isoOrNull(s.endedAt),
          s.endedBy,
          s.cancelledLate,
          s.removalReason,
        ];
      });
      await insertRows(client, 'reservation', INSERT_COLUMNS, rows, onChanges);
    } else {
      await updateRows(client, changes);
      onChanges(changes.length);
    }
  }
}

const HISTORY_COLUMNS: Column[] = [
  { name: 'reservation_id', type: 'uuid' },
  { name: 'k', type: 'int' },
  { name: 'at', type: 'timestamptz' },
  { name: 'actor', type: 'text' },
  { name: 'reason', type: 'text' },
];

/** Gives each history row (the k-th of its reservation, by id) the instant, actor and reason of the k-th change. */
export async function restoreHistory(client: pg.ClientBase, reservations: Reservation[], onRows: (n: number) => void): Promise<void> {
  const { from, select } = unnestFrom(HISTORY_COLUMNS);
  const sql = `update reservation_event e set "at" = v.c2, actor = v.c3, reason = v.c4
      from (select id, reservation_id, row_number() over (partition by reservation_id order by id)::int as k
              from reservation_event where reservation_id = any($1::uuid[])) as n,
           (select ${select} from ${from}) as v(c0, c1, c2, c3, c4)
     where e.id = n.id and n.reservation_id = v.c0 and n.k = v.c1`;
  let batch: Value[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await client.query(sql, columnArrays(HISTORY_COLUMNS, batch));
    if (result.rowCount !== batch.length) throw new Error(`History: matched ${result.rowCount} events, expected ${batch.length}.`);
    onRows(batch.length);
    batch = [];
  };
  for (const r of reservations) {
    for (const [i, s] of r.steps.entries()) batch.push([r.id, i + 1, iso(s.at), s.actor, s.reason]);
    if (batch.length >= BATCH_ROWS) await flush();
  }
  await flush();
}
