/**
 * The background work alone (app/server/background.ts) over a real database of its own: the hold
 * sweeper expires a due hold without any request, one run at a time, and its stop function waits
 * for a run in progress (held up here by a table lock taken in another session) before it
 * resolves, after which nothing runs any more; a disabled sweeper leaves due holds alone while
 * the group lifecycle still advances groups whose sessions have ended.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/app/orm.js';
import { startBackgroundWork } from '../../src/app/server/background.js';
import {
  arrangeSeatFixture,
  createMembers,
  createOpenGroup,
  type Ref,
  type SeatFixture,
  seatInvariantViolations,
} from '../support/seat-fixture.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { captureLogs, settlesWithin } from './helpers.js';

let db: TestDatabase;
let orm: MikroORM;
let fixture: SeatFixture;

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await openOrm(db.url, 3);
  fixture = await arrangeSeatFixture(db);
});
afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A HELD reservation (an unsigned member's seat) whose hold expired a second ago. */
async function dueHold(group: Ref, member: Ref): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `insert into reservation (id, group_id, member_id, status, expires_at)
     values (gen_random_uuid(), $1, $2, 'HELD', now() - interval '1 second') returning id`,
    [group.id, member.id],
  );
  return row!.id;
}

const statusOf = async (reservationId: string) =>
  (await db.query<{ status: string }>('select status from reservation where id = $1', [reservationId]))[0]?.status;

/** Sweeper statements of this database waiting for a lock. */
const waitingSweeps = async () =>
  (
    await db.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like '%from reservation where status = ''HELD''%'`,
    )
  )[0]!.n;

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

describe('hold sweeper', () => {
  it('expires a due hold with no request, one run at a time; stop waits for the run in progress, then nothing runs', async () => {
    const group = await createOpenGroup(db, fixture, 3, 'Sweep Group');
    const [first, second] = await createMembers(db, fixture, 2, { signed: false, prefix: 'Sweep' });
    const firstHold = await dueHold(group, first!);
    const logs = captureLogs();

    // Another session holds the reservation table, so the sweeper's first statement waits.
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    let stop: (() => Promise<void>) | undefined;
    try {
      await locker.query('begin');
      await locker.query('lock table reservation in access exclusive mode');
      stop = startBackgroundWork(orm, logs.logger, { holdSweepMs: 50, lifecycleMs: 0 });
      await until(async () => (await waitingSweeps()) === 1, 'a sweep waits for the lock');
      await sleep(250); // five more ticks: none starts a second run
      expect(await waitingSweeps()).toBe(1);

      const stopped = stop();
      expect(await settlesWithin(stopped, 300)).toBe(false);
      await locker.query('commit');
      expect(await settlesWithin(stopped, 5_000)).toBe(true);
    } finally {
      await locker.query('rollback').catch(() => {});
      await locker.end();
      await stop?.();
    }
    // The run stop waited for finished its work and said so.
    expect(await statusOf(firstHold)).toBe('EXPIRED');
    expect(logs.records()).toEqual([
      {
        level: 30,
        time: expect.any(Number),
        pid: process.pid,
        hostname: expect.any(String),
        task: 'hold sweep',
        count: 1,
        msg: 'hold sweep: done',
      },
    ]);

    // Stopped: a hold that falls due now stays as it is.
    const secondHold = await dueHold(group, second!);
    await sleep(300);
    expect(await statusOf(secondHold)).toBe('HELD');
    expect(logs.lines).toHaveLength(1);
    expect(await seatInvariantViolations(db)).toEqual([]);
  });
});

describe('group lifecycle', () => {
  it('completes a group whose sessions have ended, while a disabled sweeper leaves a due hold alone', async () => {
    const ended = await createOpenGroup(db, fixture, 3, 'Ended Group');
    await db.query(
      `update group_session set starts_at = now() - make_interval(days => 30 - 7 * position),
                                ends_at = now() - make_interval(days => 30 - 7 * position) + interval '1 hour'
        where group_id = $1`,
      [ended.id],
    );
    const upcoming = await createOpenGroup(db, fixture, 3, 'Upcoming Group');
    const [member] = await createMembers(db, fixture, 1, { signed: false, prefix: 'Lifecycle' });
    const hold = await dueHold(upcoming, member!);
    const logs = captureLogs();

    const stop = startBackgroundWork(orm, logs.logger, { holdSweepMs: 0, lifecycleMs: 50 });
    try {
      const groupStatus = async (group: Ref) =>
        (await db.query<{ status: string }>('select status from therapy_group where id = $1', [group.id]))[0]?.status;
      await until(async () => (await groupStatus(ended)) === 'COMPLETED', 'the ended group is completed');
      await sleep(300);
      expect({
        ended: await groupStatus(ended),
        upcoming: await groupStatus(upcoming),
        sessions: await db.query<{ status: string }>('select status from group_session where group_id = $1 order by position', [ended.id]),
        hold: await statusOf(hold),
      }).toEqual({
        ended: 'COMPLETED',
        upcoming: 'OPEN',
        sessions: [{ status: 'COMPLETED' }, { status: 'COMPLETED' }, { status: 'COMPLETED' }],
        hold: 'HELD',
      });
    } finally {
      await stop();
    }
    expect(logs.records().map((r) => ({ task: r.task, count: r.count, msg: r.msg }))).toEqual([
      { task: 'group lifecycle', count: 1, msg: 'group lifecycle: done' },
    ]);
  });
});
