/**
 * Kindred's process-wide Prometheus series (deploy/README.md lists every one with its labels).
 * Code anywhere records into them through the small functions below; the metrics listener
 * (metrics/listener.ts) exposes them with each server's scrape-time gauges.
 *
 * Every label value comes from code, never from a client: an operation is a root field of the
 * schema (metrics/operation-label.ts), a seat function or a task is named by the code that calls
 * in. A client that could choose a label value could create series without bound.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The registry of the process-wide series. */
export const processRegistry = new Registry();

/** How a GraphQL request ended: no errors, errors the client caused, or a server failure. */
export type RequestOutcome = 'ok' | 'client_error' | 'error';

const requestDuration = new Histogram({
  name: 'kindred_graphql_request_duration_seconds',
  help: 'Time from the request arriving to its answer being sent, per operation (a root field of the schema) and outcome.',
  labelNames: ['operation', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processRegistry],
});

const seatFunctionDuration = new Histogram({
  name: 'kindred_seat_function_duration_seconds',
  help: 'Duration of a seat transaction (lock wait included), per seat function.',
  labelNames: ['function'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [processRegistry],
});

// lock_timeout is 5 s (app/mikro-orm.config.ts): the last bucket is a wait that timed out.
const seatLockWait = new Histogram({
  name: 'kindred_seat_lock_wait_seconds',
  help: "Time a seat transaction waited for its groups' row locks, per seat function.",
  labelNames: ['function'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  registers: [processRegistry],
});

const cacheLookups = new Counter({
  name: 'kindred_public_cache_lookups_total',
  help: 'Public catalogue cache lookups: served from the cache (hit), served with fresh seat figures spliced in (spliced), not cached (miss), or cached but changed since (stale).',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});

const staffActionLogFailures = new Counter({
  name: 'kindred_staff_action_log_failures_total',
  help: 'Staff and partner actions whose audit row could not be written (the mutation answered INTERNAL_SERVER_ERROR).',
  registers: [processRegistry],
});

const jobFailures = new Counter({
  name: 'kindred_job_failures_total',
  help: 'Failed job attempts in this process, per task (each is retried until its attempts run out).',
  labelNames: ['task'] as const,
  registers: [processRegistry],
});

let defaultMetrics = false;

/** Node's process series (CPU, memory, event loop lag, GC) under their standard names; once per process. */
export function collectProcessMetrics(): void {
  if (defaultMetrics) return;
  defaultMetrics = true;
  collectDefaultMetrics({ register: processRegistry });
}

/** Records one GraphQL request. */
export function observeRequest(operation: string, outcome: RequestOutcome, seconds: number): void {
  requestDuration.observe({ operation, outcome }, seconds);
}

/**
 * Records one seat transaction: `fn` names the seat function (`reserve`, `cancel`, …, fixed in
 * code), `seconds` its whole duration, `lockWaitSeconds` the part spent waiting for group locks.
 */
export function observeSeatCall(fn: string, seconds: number, lockWaitSeconds: number): void {
  seatFunctionDuration.observe({ function: fn }, seconds);
  seatLockWait.observe({ function: fn }, lockWaitSeconds);
}

/** Counts one lookup of the public catalogue cache. */
export function countCacheLookup(outcome: 'hit' | 'spliced' | 'miss' | 'stale'): void {
  cacheLookups.inc({ outcome });
}

/** Counts one staff action whose audit row could not be written ("staff action log write failed"). */
export function countStaffActionLogFailure(): void {
  staffActionLogFailures.inc();
}

/** Counts one failed attempt of a job of `task`. */
export function countJobFailure(task: string): void {
  jobFailures.inc({ task });
}
