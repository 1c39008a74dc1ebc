/**
 * Three API processes on one database, started the way deploy/README.md runs them: the same
 * command at the same moment on an empty database, connecting as the app role of
 * deploy/postgres/app-role.sql (not a superuser), sharing Redis, each with its metrics endpoint.
 * They migrate once between them, and seats reserved through all three at once agree everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, type ApiProcesses, startApiProcesses } from '../support/api-processes.js';
import { type AppDatabase, createAppDatabase } from '../support/app-role.js';
import { scrape } from '../support/metrics-scrape.js';
import { arrangeSeatFixture, createMembers, createOpenGroup, RESERVE_SEAT, seatInvariantViolations } from '../support/seat-fixture.js';

const REPLICAS = 3;
const CAPACITY = 4;
const MEMBERS = 9;
const POOL_MAX = 4;
/** graphile-worker's own pool in each process: its concurrency (2) + 2 (api/src/jobs/worker.ts). */
const WORKER_POOL = 4;

let database: AppDatabase;
let api: ApiProcesses;

beforeAll(async () => {
  database = await createAppDatabase();
  api = await startApiProcesses({
    count: REPLICAS,
    database: { ...database.db, url: database.appUrl },
    poolMax: POOL_MAX,
    env: { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', METRICS_PORT: '0', TRUST_PROXY: 'true' },
  });
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await database?.drop();
});

/** The metrics URL a process printed when it started (METRICS_PORT=0 picks a free port). */
function metricsUrlOf(p: ApiProcess): string {
  const line = p.output.find((l) => l.trimStart().startsWith('Metrics'));
  const url = line?.match(/http:\/\/\S+\/metrics/)?.[0];
  if (!url) throw new Error(`api process ${p.index} printed no metrics URL:\n${p.output.join('\n')}`);
  return url;
}

describe('three API processes on one database', () => {
  it('connect only as the app role, which is no superuser and owns the schema it migrated', async () => {
    const sessions = await database.db.query<{ usename: string; rolsuper: boolean }>(
      `select distinct a.usename, r.rolsuper from pg_stat_activity a join pg_roles r on r.rolname = a.usename
        where a.datname = current_database() and a.pid <> pg_backend_pid() and a.usename <> current_user`,
    );
    expect(sessions).toEqual([{ usename: database.role, rolsuper: false }]);
    const owners = await database.db.query<{ owner: string }>(
      `select distinct tableowner as owner from pg_tables where schemaname in ('public', 'graphile_worker')`,
    );
    expect(owners).toEqual([{ owner: database.role }]);
    const [migrations] = await database.db.query<{ applied: number; distinct_names: number }>(
      `select count(*)::int as applied, count(distinct name)::int as distinct_names from mikro_orm_migrations`,
    );
    expect(migrations!.applied).toBe(migrations!.distinct_names);
  });

  it('reserves through every process at once, and every process then tells the same seat counts', async () => {
    const fixture = await arrangeSeatFixture(database.db);
    const group = await createOpenGroup(database.db, fixture, CAPACITY, 'Replica Group');
    const members = await createMembers(database.db, fixture, MEMBERS);
    const answers = await Promise.all(
      members.map((member, i) =>
        api.at(i).gql(RESERVE_SEAT, {
          variables: { input: { groupId: group.globalId, memberId: member.globalId } },
          token: fixture.partner.apiKey,
        }),
      ),
    );
    const statuses = answers.map((a) => a.body.data?.reserveSeat?.reservation?.status ?? JSON.stringify(a.body));
    expect(statuses.filter((s) => s === 'CONFIRMED')).toHaveLength(CAPACITY);
    expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(MEMBERS - CAPACITY);

    const counts = await Promise.all(
      api.processes.map(async (p) => {
        const answer = await p.gql('query Seats($id: ID!) { group(id: $id) { seatsTaken waitlistLength } }', {
          variables: { id: group.globalId },
          token: fixture.partner.apiKey,
        });
        return answer.body.data?.group;
      }),
    );
    expect(counts).toEqual(Array.from({ length: REPLICAS }, () => ({ seatsTaken: CAPACITY, waitlistLength: MEMBERS - CAPACITY })));
    expect(await seatInvariantViolations(database.db)).toEqual([]);

    // Each process counted the reservations it served, on its own metrics endpoint.
    const served = await Promise.all(
      api.processes.map(async (p) => {
        const metrics = await scrape(metricsUrlOf(p));
        expect(metrics.value('kindred_ready')).toBe(1);
        return metrics.value('kindred_graphql_request_duration_seconds_count', { operation: 'reserveSeat', outcome: 'ok' });
      }),
    );
    expect(served).toEqual([3, 3, 3]);

    // The connection budget of deploy/README.md: processes × (DB_POOL_MAX + the worker's pool).
    const [connections] = await database.db.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and usename = $1`,
      [database.role],
    );
    expect(connections!.n).toBeLessThanOrEqual(REPLICAS * (POOL_MAX + WORKER_POOL));
  });
});
