/**
 * The job worker's supervisor (jobs/worker-supervisor.ts) with real graphile-worker runners on a
 * real database, reached through a TCP proxy that can be cut: a runner that ends is started
 * again, a runner that can't start is retried with backoff, a runner whose fetches keep failing
 * is replaced — each logged with why — and the state is ready only while jobs can be fetched.
 */
import { Writable } from 'node:stream';
import { freePort } from '@kindred/embedded-db';
import { Logger, type Runner, run, type WorkerEvents } from 'graphile-worker';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SupervisedRunner, superviseRunner } from '../../src/jobs/worker-supervisor.js';
import { type TcpProxy, tcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const silentWorkerLogger = new Logger(() => () => {});
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A supervisor of runners that reach the database through a proxy; its log lines and runners are kept. */
async function supervised(options: { proxyOpen: boolean; stuckAfterMs?: number }) {
  const proxy: TcpProxy = tcpProxy(await freePort(), new URL(db.url));
  if (options.proxyOpen) await proxy.open();
  cleanup.push(() => proxy.close());
  const url = new URL(db.url);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const runners: Runner[] = [];
  const start = async (events: WorkerEvents) => {
    const runner = await run({
      connectionString: url.toString(),
      concurrency: 1,
      maxPoolSize: 3,
      pollInterval: 100,
      noHandleSignals: true,
      taskList: { noop: async () => {} },
      events,
      logger: silentWorkerLogger,
    });
    runners.push(runner);
    return runner;
  };
  const supervisor: SupervisedRunner = await superviseRunner(pino({ level: 'info' }, sink), start, { stuckAfterMs: options.stuckAfterMs });
  cleanup.push(() => supervisor.stop());
  const said = (msg: string) => logs.filter((line) => line.msg === msg);
  return { proxy, supervisor, runners, said };
}

describe('job worker supervisor', () => {
  it('starts the runner again, saying why, when its pool ends on its own', async () => {
    const { supervisor, runners, said } = await supervised({ proxyOpen: true });
    await expect.poll(() => supervisor.state(), { timeout: 10_000 }).toBe('ready');
    await runners[0]!.stop();
    await expect.poll(() => runners.length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => supervisor.state(), { timeout: 10_000 }).toBe('ready');
    expect(said('job worker stopped: starting it again')).toEqual([
      expect.objectContaining({ reason: 'Error', attempt: 1, retryInMs: 250 }),
    ]);
  });

  it('keeps trying with backoff while the database cannot be reached, unready, and runs once it can', async () => {
    const { proxy, supervisor, runners, said } = await supervised({ proxyOpen: false });
    await expect.poll(() => said('job worker stopped: starting it again').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    expect(said('job worker stopped: starting it again').slice(0, 3)).toEqual([
      expect.objectContaining({ reason: 'ECONNREFUSED', attempt: 1, retryInMs: 250 }),
      expect.objectContaining({ reason: 'ECONNREFUSED', attempt: 2, retryInMs: 500 }),
      expect.objectContaining({ reason: 'ECONNREFUSED', attempt: 3, retryInMs: 1000 }),
    ]);
    expect(supervisor.state()).toBe('unavailable');
    expect(runners).toHaveLength(0);
    await proxy.open();
    await expect.poll(() => supervisor.state(), { timeout: 15_000 }).toBe('ready');
    expect(said('job worker running again')).toHaveLength(1);
  });

  it('replaces a runner whose job fetches keep failing, and is ready again once the database is back', async () => {
    const { proxy, supervisor, runners, said } = await supervised({ proxyOpen: true, stuckAfterMs: 500 });
    await expect.poll(() => supervisor.state(), { timeout: 10_000 }).toBe('ready');
    await proxy.close();
    await expect.poll(() => supervisor.state(), { timeout: 5_000 }).toBe('unavailable');
    await expect.poll(() => said('job worker cannot reach its queue: replacing it').length, { timeout: 10_000 }).toBe(1);
    await proxy.open();
    await expect.poll(() => supervisor.state(), { timeout: 15_000 }).toBe('ready');
    expect(runners.length).toBeGreaterThanOrEqual(2);
  });
});
