/**
 * The metrics endpoint (metrics/listener.ts, app/server/request-metrics.ts) of a real server,
 * scraped over real HTTP after real requests: a catalogue query (run, then served by the public
 * cache), a reservation, refused documents; the pool, the job queue (jobs arranged in
 * graphile-worker's table), readiness, a real job worker's failures, and Node's process series.
 * A client-chosen operationName must never become a label value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobWorker } from '../../src/jobs/worker.js';
import { type Scrape, scrape } from '../support/metrics-scrape.js';
import { arrangeSeatFixture, createMembers, createOpenGroup, RESERVE_SEAT, type SeatFixture } from '../support/seat-fixture.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { captureLogs } from './helpers.js';

const REQUESTS = 'kindred_graphql_request_duration_seconds_count';
const CLIENT_CHOSEN = 'ClientChosenName_9f3a';
const CATALOGUE = `query ${CLIENT_CHOSEN} { groups(first: 5) { nodes { id title } } }`;

let app: TestApp;
let fixture: SeatFixture;

beforeAll(async () => {
  app = await startTestApp({ metrics: true });
  fixture = await arrangeSeatFixture(app.db);
});
afterAll(() => app?.close());

const metrics = (): Promise<Scrape> => scrape(app.metricsUrl!);

describe('metrics endpoint', () => {
  it('listens on 127.0.0.1 by default, on its own port, and answers only GET /metrics', async () => {
    const url = new URL(app.metricsUrl!);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).not.toBe(new URL(app.url).port);
    expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${url.origin}/graphql`)).status).toBe(404);
    expect((await fetch(app.metricsUrl!, { method: 'POST' })).status).toBe(404);
    const answer = await metrics();
    expect(answer.status).toBe(200);
  });

  it('labels requests by root field and outcome, never by the operationName a client chose', async () => {
    const group = await createOpenGroup(app.db, fixture, 3, 'Metrics Group');
    const [member, second] = await createMembers(app.db, fixture, 2);
    const before = await metrics();

    // Run, then served by the public cache (a hit is labelled from its query text).
    expect((await app.gql(CATALOGUE, { operationName: CLIENT_CHOSEN })).fromCache).toBe(false);
    expect((await app.gql(CATALOGUE, { operationName: CLIENT_CHOSEN })).fromCache).toBe(true);
    const reserved = await app.gql(RESERVE_SEAT, {
      variables: { input: { groupId: group.globalId, memberId: member!.globalId } },
      token: fixture.partner.apiKey,
    });
    expect(reserved.body.data.reserveSeat.reservation.status).toBe('CONFIRMED');
    // A server failure: the staff action log refuses its row, so the mutation answers INTERNAL_SERVER_ERROR.
    await app.db.query(`create function metrics_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$;
                        create trigger metrics_refuse before insert on staff_action for each row execute function metrics_refuse()`);
    try {
      const failed = await app.gql(RESERVE_SEAT, {
        variables: { input: { groupId: group.globalId, memberId: second!.globalId } },
        token: fixture.partner.apiKey,
      });
      expect(failed.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await app.db.query('drop trigger metrics_refuse on staff_action; drop function metrics_refuse()');
    }
    // An aliased root field is still its field; two root fields are `multiple`.
    await app.gql(`query Other_${CLIENT_CHOSEN} { mine: programs(first: 1) { totalCount } }`);
    await app.gql('{ groups(first: 1) { totalCount } programs(first: 1) { totalCount } }');
    // Refused documents: unknown field, parse error, an operationName naming no operation, a bad body.
    expect((await app.gql(`query ${CLIENT_CHOSEN}X { ${CLIENT_CHOSEN} }`)).status).toBe(400);
    expect((await app.gql('query {')).status).toBe(400);
    await app.gql(CATALOGUE, { operationName: `${CLIENT_CHOSEN}Y` });
    expect((await app.post('{not json')).status).toBe(400);
    // A top-level error the client caused in an otherwise valid answer.
    await app.gql('{ viewer { role } }', { token: 'kpk_not_a_real_key' });

    const after = await metrics();
    const added = (operation: string, outcome: string) =>
      (after.value(REQUESTS, { operation, outcome }) ?? 0) - (before.value(REQUESTS, { operation, outcome }) ?? 0);
    expect(added('groups', 'ok')).toBe(2);
    expect(added('reserveSeat', 'ok')).toBe(1);
    expect(added('reserveSeat', 'error')).toBe(1);
    expect(added('programs', 'ok')).toBe(1);
    expect(added('multiple', 'ok')).toBe(1);
    expect(added('invalid', 'client_error')).toBe(3);
    expect(added('none', 'client_error')).toBe(2);
    expect(after.text).not.toContain(CLIENT_CHOSEN);
    expect(after.text).not.toContain('mine');
    expect(after.labelValues(REQUESTS, 'outcome')).toEqual(new Set(['ok', 'client_error', 'error']));
    expect(after.value('kindred_graphql_request_duration_seconds_bucket', { operation: 'reserveSeat', outcome: 'ok', le: '+Inf' })).toBe(1);
    expect(after.value('kindred_graphql_request_duration_seconds_sum', { operation: 'reserveSeat', outcome: 'ok' })).toBeGreaterThan(0);

    // Recorded where they happen: both reservations ran their seat function (the second failed
    // after it, at the audit row), the catalogue missed then hit, the audit row failed once.
    const diff = (name: string, labels: Record<string, string> = {}) =>
      (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);
    expect(diff('kindred_seat_function_duration_seconds_count', { function: 'reserveSeat' })).toBe(2);
    expect(diff('kindred_seat_lock_wait_seconds_count', { function: 'reserveSeat' })).toBe(2);
    expect(diff('kindred_public_cache_lookups_total', { outcome: 'hit' })).toBe(1);
    expect(diff('kindred_public_cache_lookups_total', { outcome: 'miss' })).toBeGreaterThanOrEqual(1);
    expect(diff('kindred_staff_action_log_failures_total')).toBe(1);
  });

  it("reads the pool's use and readiness at scrape time", async () => {
    const answer = await metrics();
    expect(answer.value('kindred_db_pool_max')).toBe(5); // startTestApp's pool
    expect(answer.value('kindred_db_pool_connections', { state: 'used' })).toBeGreaterThanOrEqual(0);
    expect(answer.value('kindred_db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(1);
    expect(answer.value('kindred_db_pool_waiting')).toBe(0);
    expect(answer.value('kindred_ready')).toBe(1);
  });

  it("counts the job queue's ready, scheduled, locked and dead jobs, and how long the oldest ready one waited", async () => {
    await app.db.query(`delete from graphile_worker._private_jobs`);
    const add = (runAt: string, maxAttempts = 25) =>
      app.db.query<{ id: string }>(
        `select id from graphile_worker.add_job('metrics-probe', '{}', run_at => ${runAt}, max_attempts => $1)`,
        [maxAttempts],
      );
    await add(`now() - interval '90 seconds'`);
    await add('now()');
    await add(`now() + interval '1 hour'`);
    const [locked] = await add('now()');
    await app.db.query(`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'elsewhere' where id = $1`, [locked!.id]);
    const [dead] = await add('now()', 2);
    await app.db.query(`update graphile_worker._private_jobs set attempts = 2 where id = $1`, [dead!.id]);

    const answer = await metrics();
    expect(answer.value('kindred_jobs', { state: 'ready' })).toBe(2);
    expect(answer.value('kindred_jobs', { state: 'scheduled' })).toBe(1);
    expect(answer.value('kindred_jobs', { state: 'locked' })).toBe(1);
    expect(answer.value('kindred_jobs', { state: 'dead' })).toBe(1);
    expect(answer.value('kindred_jobs_oldest_ready_seconds')).toBeGreaterThanOrEqual(90);
    await app.db.query(`delete from graphile_worker._private_jobs`);
  });

  it("counts a job's failed attempts by task, as a real worker reports them", async () => {
    const worker = await startJobWorker({
      orm: app.orm,
      connectionString: app.db.url,
      logger: captureLogs().logger,
      tasks: {
        'metrics-fails': async () => {
          throw new Error('this task always fails');
        },
      },
      pollIntervalMs: 100,
    });
    try {
      await app.db.query(`select graphile_worker.add_job('metrics-fails', '{}', max_attempts => 1)`);
      let failures: number | undefined;
      for (let tries = 0; tries < 100 && failures === undefined; tries++) {
        failures = (await metrics()).value('kindred_job_failures_total', { task: 'metrics-fails' });
        if (failures === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(failures).toBe(1);
      expect((await metrics()).value('kindred_jobs', { state: 'dead' })).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it("exposes Node's process series under their standard names", async () => {
    const answer = await metrics();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(answer.value(name), name).toBeGreaterThanOrEqual(0);
    }
  });
});
