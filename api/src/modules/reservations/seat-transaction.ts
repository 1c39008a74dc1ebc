/**
 * How seats move safely (docs/seat-rules.md), for every API process on one database.
 *
 * 1. The seat rules live in PostgreSQL functions (migration 0018, docs/decisions/0010-seat-functions.md).
 *    A seat mutation is ONE call — `select reserve_seat_v1(…)` — that claims the idempotency key,
 *    takes the row lock of each group it touches (`FOR UPDATE`, in id order so two groups never
 *    deadlock), expires due holds and promotes the waitlist (rules 4/5), decides, writes and
 *    stores the result for replays (rule 7), all in the statement's own transaction. The group's
 *    lock is held for the function's work only: never across a round trip to this process, whose
 *    event loop may be busy with other requests. `lock_timeout` (app/mikro-orm.config.ts) makes
 *    a stuck lock fail fast instead of piling requests up.
 * 2. Backstops in the database, for any path that forgets the lock: `seats_taken` is kept by a
 *    trigger and CHECKed against capacity (rules 1 and 6), a partial unique index keeps one active
 *    reservation per member and group (rule 2), and a trigger writes the status history.
 * 3. Lock timeouts, deadlocks and a concurrent claim of the same idempotency key are retried a
 *    bounded number of times with jitter; nothing is acknowledged before the statement's commit
 *    (rule 8).
 *
 * Mutations whose own work stays in TypeScript (signing an agreement, erasing a member) run in
 * `runSeatTransaction`: the same functions lock and settle the groups, the same key is claimed.
 */
import { keyedDigest } from '@kindred/crypto';
import { noteChange } from '../../authz/staff-actions.js';
import type { Viewer } from '../../authz/viewer.js';
import { inTransaction, pooledSql, type Statement, sql, type SqlClient } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { type UserError, UserErrors } from '../../graphql/user-errors.js';
import { observeSeatCall } from '../../metrics/series.js';

/** What a seat mutation produced (the reservation or signature id); stored as-is for idempotent replays. */
export interface SeatResult {
  objectId: string | null;
  userErrors: UserError[];
  /**
   * The reservation row as the function left it (snake_case columns), when the call produced one:
   * the payload is built from it instead of reading the row again. Never stored for replays.
   */
  row?: ReservationRow;
}

/** A reservation row as PostgreSQL returns it (snake_case columns). */
type ReservationRow = Record<string, unknown> & { id: string };

/** What a seat function answers (migration 0018). */
interface SeatAnswer {
  result: { objectId: string | null; userErrors: UserError[] };
  row?: ReservationRow & { previous?: string };
  replay?: boolean;
  lockWaitSeconds?: number;
}

/** The seat mutation being run: its name and validated input are the idempotency fingerprint. */
export interface SeatOperation {
  operation: string;
  idempotencyKey?: string | null;
  input: unknown;
}

/** Who calls, the key and the fingerprint, as the seat functions take them. */
export interface SeatCaller {
  caller: string;
  key: string | null;
  hash: string;
}

const RETRYABLE = new Set(['40001', '40P01', '55P03']);
const MAX_ATTEMPTS = 5;

/** The caller as the idempotency key and the status history name it, e.g. "PARTNER:<id>". */
export function actorOf(viewer: Viewer): string {
  switch (viewer.kind) {
    case 'PARTNER':
      return `PARTNER:${viewer.partnerId}`;
    case 'ANONYMOUS':
      return 'ANONYMOUS';
    default:
      return `${viewer.kind}:${viewer.accountId}`;
  }
}

function callerOf(ctx: Context, op: SeatOperation): SeatCaller {
  // Keyed: a plain digest of an input holding a typed name could be guessed (docs/encryption.md).
  const hash = keyedDigest('idempotency-request', op.operation, JSON.stringify(op.input)).toString('hex');
  return { caller: actorOf(ctx.viewer), key: op.idempotencyKey ?? null, hash };
}

const sqlState = (error: unknown): string | undefined => {
  const e = error as { code?: unknown; sqlState?: unknown; previous?: { code?: unknown } };
  for (const value of [e?.code, e?.sqlState, e?.previous?.code]) if (typeof value === 'string') return value;
  return undefined;
};

/** A lock timeout, a deadlock, or the same idempotency key claimed by a request still running. */
const isRetryable = (error: unknown) =>
  RETRYABLE.has(sqlState(error) ?? '') ||
  (sqlState(error) === '23505' &&
    String((error as { constraint?: string }).constraint ?? (error as Error).message).includes('idempotency_key_pkey'));

async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetryable(error) || n >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** n * (0.5 + Math.random())));
    }
  }
}

/**
 * Runs one seat function: `call` builds its `select <function>(…) as answer` from the caller,
 * key and fingerprint. One statement, one round trip; retried as the header says.
 */
export async function callSeatFunction(ctx: Context, op: SeatOperation, call: (who: SeatCaller) => Statement): Promise<SeatResult> {
  const statement = call(callerOf(ctx, op));
  const answer = await withRetries(async () => {
    const started = performance.now();
    const [first] = await pooledSql(ctx.em).query<{ answer: SeatAnswer }>(statement);
    observeSeatCall(op.operation, (performance.now() - started) / 1000, first!.answer.lockWaitSeconds ?? 0);
    return first!.answer;
  });
  const { objectId, userErrors } = answer.result;
  if (answer.row && userErrors.length === 0) noteReservation(answer.row);
  return answer.row ? { objectId, userErrors, row: answer.row } : { objectId, userErrors };
}

/** The staff action log's record of the reservation a seat function changed (plain SQL: the ORM did not see it). */
function noteReservation(row: ReservationRow & { previous?: string }): void {
  noteChange({
    type: 'Reservation',
    id: row.id,
    ...(row.previous ? { before: { status: row.previous } } : {}),
    after: { status: row.status },
    groupId: row.group_id as string,
  });
}

/**
 * Locks the groups (id order) and settles each — due holds expire, free seats go to the waitlist —
 * in one call (`seat_lock_v1`), naming the actor the status history records. With `skipLocked`,
 * groups another transaction holds are left out. Returns the groups locked.
 */
async function lockGroups(
  tx: SqlClient,
  groupIds: string[],
  actor: { name: string; reason: string | null },
  skipLocked = false,
): Promise<Set<string>> {
  const [row] = await tx.query<{ locked: string[] }>(
    sql`select seat_lock_v1(${groupIds}::uuid[], ${actor.name}, ${actor.reason}, ${skipLocked}) as locked`,
  );
  return new Set(row!.locked);
}

/**
 * Names who moves seats in this transaction (read by the history trigger), for ORM transactions
 * that change reservations without a seat function.
 */
export async function setSeatActor(tx: SqlClient, viewer: Viewer | 'SYSTEM', reason: string | null): Promise<void> {
  await tx.query(
    sql`select set_config('kindred.actor', ${viewer === 'SYSTEM' ? 'SYSTEM' : actorOf(viewer)}, true), set_config('kindred.reason', ${reason ?? ''}, true)`,
  );
}

class Refusal extends Error {
  constructor(readonly errors: UserError[]) {
    super('refused');
  }
}

/**
 * A seat mutation whose own work is TypeScript (signing, erasure): in one transaction, the key is
 * claimed (`seat_claim_v1`), the groups locked and settled (`seat_lock_v1`), then `work` runs
 * with the set of groups locked and its result is stored for replays. A refusal (`UserErrors`)
 * rolls the work back and keeps only the idempotency record.
 */
export async function runSeatTransaction(
  ctx: Context,
  op: SeatOperation & { groupIds: string[]; reason?: string | null },
  work: (tx: SqlClient, locked: Set<string>) => Promise<string | null>,
): Promise<SeatResult> {
  const who = callerOf(ctx, op);
  try {
    return await withRetries(() =>
      inTransaction(ctx.em, async (tx) => {
        const [claim] = await tx.query<{ stored: SeatAnswer['result'] | null }>(
          sql`select seat_claim_v1(${who.caller}, ${who.key}, ${op.operation}, ${who.hash}) as stored`,
        );
        if (claim!.stored) return claim!.stored;
        const locked = await lockGroups(tx, op.groupIds, { name: who.caller, reason: op.reason ?? null });
        let objectId: string | null;
        try {
          objectId = await work(tx, locked);
        } catch (error) {
          if (error instanceof UserErrors) throw new Refusal(error.errors);
          throw error;
        }
        const result: SeatResult = { objectId, userErrors: [] };
        await tx.query(sql`select seat_done_v1(${who.caller}, ${who.key}, ${JSON.stringify(result)}::jsonb, null, null)`);
        return result;
      }),
    );
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const result: SeatResult = { objectId: null, userErrors: error.errors };
    if (who.key) {
      await pooledSql(ctx.em).query(
        sql`insert into idempotency_key (caller, key, operation, request_hash, result)
            values (${who.caller}, ${who.key}, ${op.operation}, ${who.hash}, ${JSON.stringify(result)}::jsonb)
            on conflict (caller, key) do nothing`,
      );
    }
    return result;
  }
}
