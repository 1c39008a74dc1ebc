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

/** Seat rules 1, 2 and 4 over the storm's groups: counts agree, never oversold, nobody waits beside a free seat. */
export async function seatRuleViolations(pool: pg.Pool, groupIds: string[]): Promise<string[]> {
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
