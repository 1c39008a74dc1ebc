/**
 * How seats move safely (docs/seat-rules.md), for every API process on one database.
 *
 * 1. Every seat change runs in one READ COMMITTED transaction that first takes the row lock of
 *    each group it touches (`SELECT … FOR UPDATE`, in id order so two groups never deadlock),
 *    with `lock_timeout` so a stuck lock fails fast instead of piling up requests. Everything
 *    read after the lock (seats taken, the waitlist) is the latest committed state, and no other
 *    transaction can change it until we commit: this is what makes "exactly N seats" and the
 *    FIFO waitlist hold. (Measured alternatives — SERIALIZABLE without locks, an unlocked
 *    conditional UPDATE — were slower or broke the waitlist under churn: docs/decisions/0001-raw-sql-for-seats.md.)
 * 2. Under the lock, due holds expire and free seats go to the first waitlisted members before
 *    the operation itself runs, so no request can take a seat someone is queued for (rule 4/5).
 * 3. Backstops in the database, for a code path that forgets the lock: `seats_taken` is kept by
 *    a trigger and CHECKed against capacity (rules 1 and 6), a partial unique index keeps one
 *    active reservation per member and group (rule 2), and a trigger writes the status history.
 * 4. Serialisation failures, deadlocks and lock timeouts are retried a bounded number of times
 *    with jitter; the idempotency row is written in the same transaction as the seat (rule 7),
 *    and nothing is acknowledged before COMMIT returns (rule 8).
 */
import { noteChange } from '../../authz/staff-actions.js';
import { keyedDigest } from '@kindred/crypto';
import type { Viewer } from '../../authz/viewer.js';
import type { Context } from '../../graphql/context.js';
import { empty, inTransaction, pooledSql, sql, type SqlClient } from '../../db/sql.js';
import { type UserError, UserErrorCode, UserErrors, userError } from '../../graphql/user-errors.js';
import { expireDueHolds, LATE_SQL, promoteWaitlist } from './seat-rules.js';

/** What a seat mutation produced (the reservation or signature id); stored as-is for idempotent replays. */
export interface SeatResult {
  objectId: string | null;
  userErrors: UserError[];
  /**
   * The reservation row as the transaction left it (`RESERVATION_COLUMNS`, on alias `r`), when the work produced one:
   * the payload is built from it instead of reading the row again. Never stored for replays.
   */
  row?: ReservationRow;
}

/** A reservation row as PostgreSQL returns it (snake_case columns). */
export type ReservationRow = Record<string, unknown> & { id: string };

/**
 * The columns a seat statement returns for the payload, named rather than `*`: a prepared
 * statement's result shape is fixed, so a column added by a migration while older processes run
 * would otherwise fail their statement ("cached plan must not change result type").
 */
export const RESERVATION_COLUMNS = sql`r.id, r.group_id, r.member_id, r.status, r.waitlist_seq, r.expires_at, r.created_at,
  r.updated_at, r.ended_at, r.ended_by, r.cancelled_late, r.removal_reason, r.moved_to_id,
  r.accepted_at, r.promoted_at`;

/** What a seat transaction's work produced: an object id, or a reservation row. */
export type SeatWorkResult = string | ReservationRow | null;

/** The group row as the seat engine reads it, under its lock. */
export interface LockedGroup {
  id: string;
  capacity: number;
  /** Kept current by the seat rules as they move seats in this transaction. */
  seatsTaken: number;
  /** Active waitlist places, kept current likewise. */
  waitlisted: number;
  /** Holds past their expiry when the lock was taken. */
  dueHolds: number;
  status: string;
  type: string;
  enrolmentDeadline: Date | null;
  holdMinutes: number;
  cancellationWindowHours: number;
  agreementId: string | null;
  /**
   * The operation's member in this group, read after the lock (when the operation names one):
   * whether it already has a seat or waitlist place, and whether it has signed the agreement.
   * Dropped when holds expire under the lock (one might have been the member's).
   */
  member?: { id: string; active: boolean; signed: boolean };
  /** Whether a cancellation now would be late (a session starts within the window); read when asked. */
  lateNow?: boolean;
}

export interface SeatOperation {
  /** Mutation name, part of the idempotency fingerprint. */
  operation: string;
  /** Groups whose rows are locked (missing ones are reported as NOT_FOUND by the work). */
  groupIds: string[];
  idempotencyKey?: string | null;
  /** The validated input, fingerprinted to refuse a reused key with other input. */
  input: unknown;
  /** Recorded in the status history, e.g. "PARTNER:<id>". */
  reason?: string | null;
  /** The member the work places, checked with the group figures (saves a statement). */
  memberId?: string;
  /** Read with the group figures whether a cancellation would be late (saves a statement). */
  lateness?: boolean;
}

const RETRYABLE = new Set(['40001', '40P01', '55P03']);
const MAX_ATTEMPTS = 5;

function actorOf(viewer: Viewer): string {
  switch (viewer.kind) {
    case 'PARTNER':
      return `PARTNER:${viewer.partnerId}`;
    case 'ANONYMOUS':
      return 'ANONYMOUS';
    default:
      return `${viewer.kind}:${viewer.accountId}`;
  }
}

function fingerprint(operation: string, input: unknown): string {
  return keyedDigest('idempotency-request', operation, JSON.stringify(input)).toString('hex');
}

const sqlState = (error: unknown): string | undefined => {
  const e = error as { code?: unknown; sqlState?: unknown; previous?: { code?: unknown } };
  for (const value of [e?.code, e?.sqlState, e?.previous?.code]) if (typeof value === 'string') return value;
  return undefined;
};

const isUniqueViolation = (error: unknown, constraint: string) =>
  sqlState(error) === '23505' && String((error as { constraint?: string }).constraint ?? (error as Error).message).includes(constraint);

export interface LockOptions {
  /** Skip rows another transaction holds (background work). */
  skipLocked?: boolean;
  /** Names who moves seats, set in the locking statement (see setSeatActor). */
  actor?: { name: string; reason: string | null };
  /** Also read this member's place and signature in each group (LockedGroup.member). */
  memberId?: string;
  /** Also read whether a cancellation now would be late (LockedGroup.lateNow). */
  lateness?: boolean;
}

/**
 * Locks the groups' rows in id order, then reads their waitlist and due holds in a second
 * statement. Not in the locking statement: in READ COMMITTED its snapshot is taken before it
 * waits for the lock, so counts read there miss what the lock holder committed (a waitlist
 * place, say) — the locked row itself is re-read, nothing else is
 * (test/concurrency/lock-snapshot.test.ts). Lock waits are bounded by the connection's
 * lock_timeout (app/mikro-orm.config.ts).
 */
export async function lockGroups(tx: SqlClient, groupIds: string[], options: LockOptions = {}): Promise<Map<string, LockedGroup>> {
  const ids = [...new Set(groupIds)].sort();
  if (ids.length === 0) return new Map();
  const { actor, memberId } = options;
  // One group (every operation but a move) is matched with `=`: PostgreSQL then settles on a
  // generic plan for the prepared statement, where `= any(array)` made it plan afresh on every
  // execution (0.3 ms per bind, measured with log_min_duration_statement).
  const single = ids.length === 1;
  const matchIds = (value: readonly string[]) => (single ? sql`g.id = ${value[0]}::uuid` : sql`g.id = any(${value}::uuid[])`);
  const rows = await tx.query(
    sql`select ${actor ? sql`set_config('kindred.actor', ${actor.name}, true) as actor, set_config('kindred.reason', ${actor.reason ?? ''}, true) as reason,` : empty}
            g.id, g.capacity, g.seats_taken, g.status, g.type, g.enrolment_deadline, g.hold_minutes,
            g.cancellation_window_hours, p.required_agreement_id
       from therapy_group g join program p on p.id = g.program_id
      where ${matchIds(ids)} order by g.id for update of g${options.skipLocked ? sql` skip locked` : empty}`,
  );
  if (rows.length === 0) return new Map();
  const figures = await tx.query<{
    id: string;
    waitlisted: number;
    due: number;
    active: boolean | null;
    signed: boolean | null;
    late: boolean | null;
  }>(
    sql`select g.id,
            count(r.id) filter (where r.status = 'WAITLISTED')::int as waitlisted,
            count(r.id) filter (where r.status = 'HELD' and r.expires_at <= now())::int as due,
            ${memberId ? sql`bool_or(r.member_id = ${memberId}::uuid) as active, member_has_signed(${memberId}::uuid, p.required_agreement_id) as signed` : sql`null as active, null as signed`},
            ${options.lateness ? LATE_SQL : sql`null`} as late
       from therapy_group g join program p on p.id = g.program_id
       left join reservation r on r.group_id = g.id and r.status in ('WAITLISTED', 'HELD', 'CONFIRMED')
      where ${matchIds(rows.map((r) => r.id as string))} group by g.id, p.required_agreement_id`,
  );
  const figuresOf = new Map(figures.map((f) => [f.id, f]));
  return new Map(
    rows.map((r) => {
      const f = figuresOf.get(r.id as string);
      const group: LockedGroup = {
        id: r.id as string,
        capacity: r.capacity as number,
        seatsTaken: r.seats_taken as number,
        waitlisted: f?.waitlisted ?? 0,
        dueHolds: f?.due ?? 0,
        status: r.status as string,
        type: r.type as string,
        enrolmentDeadline: r.enrolment_deadline ? new Date(r.enrolment_deadline as string) : null,
        holdMinutes: r.hold_minutes as number,
        cancellationWindowHours: r.cancellation_window_hours as number,
        agreementId: (r.required_agreement_id as string | null) ?? null,
      };
      if (memberId && f) group.member = { id: memberId, active: f.active === true, signed: f.signed === true };
      if (options.lateness && f) group.lateNow = f.late === true;
      return [group.id, group];
    }),
  );
}

/**
 * Names who moves seats in this transaction (read by the history trigger). Call first in any
 * transaction that changes reservations, unless lockGroups sets it (`actor`).
 */
export async function setSeatActor(tx: SqlClient, viewer: Viewer | 'SYSTEM', reason: string | null): Promise<void> {
  await tx.query(
    sql`select set_config('kindred.actor', ${viewer === 'SYSTEM' ? 'SYSTEM' : actorOf(viewer)}, true), set_config('kindred.reason', ${reason ?? ''}, true)`,
  );
}

/**
 * Under a group's lock: expire its due holds, then give free seats to its waitlist. The group's
 * figures are updated in place (the trigger keeps the same count in the row and CHECKs it).
 * Returns the holds expired.
 */
export async function settleGroup(tx: SqlClient, group: LockedGroup): Promise<number> {
  let expired = 0;
  if (group.dueHolds > 0) {
    expired = await expireDueHolds(tx, group.id);
    group.seatsTaken -= expired;
    group.dueHolds = 0;
    if (expired > 0) delete group.member; // the member's own hold may have been one
  }
  await fillFreeSeats(tx, group);
  return expired;
}

/** Rule 4 under the lock: free seats go to the first waitlisted members, if any are waiting. */
export async function fillFreeSeats(tx: SqlClient, group: LockedGroup): Promise<void> {
  if (group.seatsTaken >= group.capacity || group.waitlisted === 0) return;
  const promoted = await promoteWaitlist(tx, group);
  group.seatsTaken += promoted;
  group.waitlisted -= promoted;
}

/**
 * Runs `work` as one seat transaction (see the header): idempotency, group locks, hold expiry and
 * waitlist promotion first, then the work, retried on serialisation failures.
 */
export async function runSeatTransaction(
  ctx: Context,
  op: SeatOperation,
  work: (tx: SqlClient, groups: Map<string, LockedGroup>) => Promise<SeatWorkResult>,
): Promise<SeatResult> {
  const caller = actorOf(ctx.viewer);
  const hash = fingerprint(op.operation, op.input);
  for (let attempt = 1; ; attempt++) {
    try {
      const committed = await inTransaction(ctx.em, async (tx) => {
        if (op.idempotencyKey) {
          const replay = await claimKey(tx, caller, op.idempotencyKey, op.operation, hash);
          if (replay) return replay;
        }
        const groups = await lockGroups(tx, op.groupIds, {
          actor: { name: caller, reason: op.reason ?? null },
          ...(op.memberId ? { memberId: op.memberId } : {}),
          lateness: op.lateness ?? false,
        });
        for (const group of groups.values()) await settleGroup(tx, group);
        let result: SeatResult;
        try {
          const done = await work(tx, groups);
          result = typeof done === 'object' && done ? { objectId: done.id, userErrors: [], row: done } : { objectId: done, userErrors: [] };
        } catch (error) {
          if (!(error instanceof UserErrors)) throw error;
          // A refusal writes nothing: undo the work, keep only the idempotency record.
          throw new Refusal(error.errors);
        }
        if (op.idempotencyKey) await storeResult(tx, caller, op.idempotencyKey, result);
        return result;
      });
      noteReservation(committed.row);
      return committed;
    } catch (error) {
      if (error instanceof Refusal) {
        const result: SeatResult = { objectId: null, userErrors: error.errors };
        if (op.idempotencyKey) await storeRefusal(ctx, caller, op, hash, result);
        return result;
      }
      const retryable = RETRYABLE.has(sqlState(error) ?? '') || isUniqueViolation(error, 'idempotency_key_pkey');
      if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/** The staff action log's record of the reservation a seat transaction produced (plain SQL: the ORM did not see it). */
function noteReservation(row: ReservationRow | undefined): void {
  if (!row) return;
  noteChange({
    type: 'Reservation',
    id: row.id,
    ...(row.previous ? { before: { status: row.previous } } : {}),
    after: { status: row.status },
    groupId: row.group_id as string,
  });
}

class Refusal extends Error {
  constructor(readonly errors: UserError[]) {
    super('refused');
  }
}

/**
 * Claims an idempotency key inside the transaction. A concurrent request with the same key
 * waits on the primary key until the first commits, then fails with a unique violation and is
 * retried — and on the retry finds the stored result here.
 */
async function claimKey(tx: SqlClient, caller: string, key: string, operation: string, hash: string): Promise<SeatResult | null> {
  const [existing] = await tx.query<{ request_hash: string; operation: string; result: SeatResult | null }>(
    sql`select request_hash, operation, result from idempotency_key where caller = ${caller} and key = ${key}`,
  );
  if (existing) {
    if (existing.request_hash !== hash || existing.operation !== operation || !existing.result) {
      return {
        objectId: null,
        userErrors: [
          userError(
            UserErrorCode.IDEMPOTENCY_KEY_REUSED,
            ['input', 'idempotencyKey'],
            'This idempotency key was already used for a different request.',
          ),
        ],
      };
    }
    return existing.result;
  }
  await tx.query(sql`insert into idempotency_key (caller, key, operation, request_hash) values (${caller}, ${key}, ${operation}, ${hash})`);
  return null;
}

async function storeResult(tx: SqlClient, caller: string, key: string, result: SeatResult): Promise<void> {
  const stored: SeatResult = { objectId: result.objectId, userErrors: result.userErrors };
  await tx.query(sql`update idempotency_key set result = ${JSON.stringify(stored)}::jsonb where caller = ${caller} and key = ${key}`);
}

async function storeRefusal(ctx: Context, caller: string, op: SeatOperation, hash: string, result: SeatResult): Promise<void> {
  await pooledSql(ctx.em).query(
    sql`insert into idempotency_key (caller, key, operation, request_hash, result)
        values (${caller}, ${op.idempotencyKey}, ${op.operation}, ${hash}, ${JSON.stringify(result)}::jsonb)
        on conflict (caller, key) do nothing`,
  );
}
