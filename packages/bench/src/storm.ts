/**
 * The reservation storm: `connections` clients, each with its own members, reserve a seat in one
 * of many groups and cancel it again, round after round, for a fixed time. Every reserve and
 * every cancel is one seat transaction; the figures are transactions per second and their
 * latency. Afterwards the seat rules are checked in SQL.
 */
import type pg from 'pg';
import { type CpuPerTransaction, countCpu } from './cpu.js';

export interface SeatClient {
  reserve(memberId: string, groupId: string): Promise<string>;
  cancel(reservationId: string): Promise<void>;
}

export interface StormResult {
  connections: number;
  transactionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** The first failure's message, to tell a broken client from a refused seat. */
  firstError?: string;
  /** CPU per transaction (Linux only). */
  cpu?: CpuPerTransaction;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : 0;
const round = (ms: number) => Math.round(ms * 10) / 10;

export async function runStorm(
  client: SeatClient,
  groupIds: string[],
  memberIds: string[],
  connections: number,
  seconds: number,
  /** The server process answering `client`, if any, for its share of the CPU. */
  serverPid?: number,
  /** At most this many transactions per second per client (a fixed background rate); unpaced if absent. */
  perClientRate?: number,
): Promise<StormResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const deadline = performance.now() + seconds * 1000;
  const timed = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    const started = performance.now();
    try {
      const value = await work();
      latencies.push(performance.now() - started);
      return value;
    } catch (error) {
      errors++;
      firstError ??= String(error);
      return undefined;
    }
  };
  const started = performance.now();
  const cpu = countCpu(serverPid);
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      // Members are partitioned between clients, so no two clients ever reserve for one member.
      const mine = memberIds.filter((_, i) => i % connections === worker);
      for (let round = 0; performance.now() < deadline; round++) {
        const memberId = mine[round % mine.length]!;
        const groupId = groupIds[(worker * 7 + round * 13) % groupIds.length]!;
        const reservationId = await timed(() => client.reserve(memberId, groupId));
        if (reservationId) await timed(() => client.cancel(reservationId));
        if (perClientRate) {
          const due = started + ((round + 1) * 2 * 1000) / perClientRate;
          if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuPerTransaction = cpu(latencies.length);
  latencies.sort((a, b) => a - b);
  return {
    connections,
    transactionsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
    errors,
    ...(firstError ? { firstError } : {}),
    ...(cpuPerTransaction ? { cpu: cpuPerTransaction } : {}),
  };
}

/** A pool, or one client inside a transaction (the checks' own attacker test runs them in one it rolls back). */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** Seat rules 1, 2 and 4 over the storm's groups: counts agree, never oversold, nobody waits beside a free seat. */
export async function seatRuleViolations(pool: Queryable, groupIds: string[]): Promise<string[]> {
  const { rows } = await pool.query(
    `select g.id, g.capacity, g.seats_taken,
            count(*) filter (where r.status in ('HELD', 'CONFIRMED'))::int as active,
            count(*) filter (where r.status = 'WAITLISTED')::int as waiting,
            count(r.id) - count(distinct r.member_id) as doubles
       from therapy_group g left join reservation r on r.group_id = g.id and r.status in ('HELD', 'CONFIRMED', 'WAITLISTED')
      where g.id = any($1) group by g.id`,
    [groupIds],
  );
  const violations: string[] = [];
  for (const g of rows) {
    if (g.seats_taken !== g.active) violations.push(`${g.id}: seats_taken ${g.seats_taken} but ${g.active} active`);
    if (g.active > g.capacity) violations.push(`${g.id}: ${g.active} active over capacity ${g.capacity}`);
    if (g.waiting > 0 && g.active < g.capacity) violations.push(`${g.id}: ${g.waiting} waiting beside a free seat`);
    if (Number(g.doubles) > 0) violations.push(`${g.id}: a member holds two places`);
  }
  return violations;
}

/** What one group should hold at a moment of the hot-group scenario: seated (HELD + CONFIRMED) and waitlisted. */
export interface ExpectedSeats {
  seated: number;
  waiting: number;
}

/**
 * Seat rules 3 and 4 on one group, by `reservation.accepted_at` (clock_timestamp() under the
 * group's lock): the expected numbers seated and waiting; every seated reservation accepted before
 * every waitlisted one; waitlist positions (rank by waitlist_seq) in acceptance order; promotions
 * given in acceptance order (first come, first served). Plus `seatRuleViolations`' rules.
 */
export async function acceptanceViolations(pool: Queryable, groupId: string, expected: ExpectedSeats): Promise<string[]> {
  const { rows } = await pool.query(
    `with active as (
       select status, waitlist_seq, accepted_at, promoted_at from reservation
        where group_id = $1 and status in ('HELD', 'CONFIRMED', 'WAITLISTED')),
     waiting as (select accepted_at, lag(accepted_at) over (order by waitlist_seq) as before from active where status = 'WAITLISTED'),
     promoted as (select accepted_at, lag(accepted_at) over (order by promoted_at) as before from active where promoted_at is not null)
     select (select count(*) from active where status <> 'WAITLISTED')::int as seated,
            (select count(*) from active where status = 'WAITLISTED')::int as waiting,
            (select max(accepted_at) from active where status <> 'WAITLISTED') >= (select min(accepted_at) from active where status = 'WAITLISTED')
              as seated_after_waiting,
            (select count(*) from waiting where accepted_at <= before)::int as waitlist_out_of_order,
            (select count(*) from promoted where accepted_at <= before)::int as promotions_out_of_order`,
    [groupId],
  );
  const r = rows[0]!;
  const violations = await seatRuleViolations(pool, [groupId]);
  if (r.seated !== expected.seated || r.waiting !== expected.waiting)
    violations.push(`${groupId}: ${r.seated} seated and ${r.waiting} waiting, expected ${expected.seated} and ${expected.waiting}`);
  if (r.seated_after_waiting) violations.push(`${groupId}: a seated reservation was accepted after a waitlisted one`);
  if (r.waitlist_out_of_order) violations.push(`${groupId}: ${r.waitlist_out_of_order} waitlist positions out of acceptance order`);
  if (r.promotions_out_of_order) violations.push(`${groupId}: ${r.promotions_out_of_order} promotions out of acceptance order`);
  return violations;
}
