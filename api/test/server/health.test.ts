/**
 * Liveness and readiness alone (app/server/health.ts) on a bare Fastify instance, over a real
 * database of their own: `/healthz` answers whatever the database does; `/readyz` is ready while
 * PostgreSQL answers and 503 when it cannot be reached (an ORM pointed at a port nobody listens
 * on, an ORM whose pool was closed), and ready again once the database is back; with a job
 * worker, only while that worker reaches its queue too, the body naming the part that is not ready.
 */
import { createServer } from 'node:net';
import { freePort } from '@kindred/embedded-db';
import type { MikroORM } from '@mikro-orm/postgresql';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { openOrm } from '../../src/app/orm.js';
import { registerHealth } from '../../src/app/server/health.js';
import { registerRateLimit } from '../../src/app/server/rate-limit.js';
import { type JobWorker, startJobWorker } from '../../src/jobs/worker.js';
import { tcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { send } from './helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const running: { app: FastifyInstance; orm: MikroORM }[] = [];
afterEach(async () => {
  for (const { app, orm } of running.splice(0)) {
    await app.close();
    await orm.close(true);
  }
});

async function start(orm: MikroORM, options: { rateLimitPerMinute?: number; jobWorker?: JobWorker } = {}) {
  const app = Fastify();
  if (options.rateLimitPerMinute) await registerRateLimit(app, { perMinute: options.rateLimitPerMinute });
  registerHealth(app, orm, options.jobWorker);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  running.push({ app, orm });
  const probe = async (path: '/healthz' | '/readyz') => {
    const answer = await send(`${url}${path}`);
    return { status: answer.status, body: JSON.parse(answer.text) };
  };
  return { probe };
}

/** A local port with nothing listening on it (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const OK = { status: 200, body: { status: 'ok' } };
const READY = { status: 200, body: { status: 'ready', database: 'ready', jobWorker: 'off' } };
const UNAVAILABLE = { status: 503, body: { status: 'not ready', database: 'unavailable', jobWorker: 'off' } };

describe('health and readiness', () => {
  it('is never rate-limited: a probe keeps answering past any client limit', async () => {
    const { probe } = await start(await openOrm(db.url, 2), { rateLimitPerMinute: 1 });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await probe('/healthz'), await probe('/readyz'));
    expect(answers).toEqual([OK, READY, OK, READY, OK, READY]);
  });

  it('is live and ready while PostgreSQL answers', async () => {
    const { probe } = await start(await openOrm(db.url, 2));
    expect({ live: await probe('/healthz'), ready: await probe('/readyz') }).toEqual({ live: OK, ready: READY });
  });

  it('is live but not ready when PostgreSQL cannot be reached', async () => {
    const url = new URL(db.url);
    url.port = String(await closedPort());
    const { probe } = await start(await openOrm(url.toString(), 2));
    expect({ live: await probe('/healthz'), ready: await probe('/readyz'), again: await probe('/readyz') }).toEqual({
      live: OK,
      ready: UNAVAILABLE,
      again: UNAVAILABLE,
    });
  });

  it('turns not ready when the connection pool closes, and ready again once it reconnects', async () => {
    const orm = await openOrm(db.url, 2);
    const { probe } = await start(orm);
    expect(await probe('/readyz')).toEqual(READY);
    await orm.close(true);
    expect({ live: await probe('/healthz'), ready: await probe('/readyz') }).toEqual({ live: OK, ready: UNAVAILABLE });
    await orm.connect();
    expect(await probe('/readyz')).toEqual(READY);
  });

  it("turns not ready when PostgreSQL ends the pool's connections and refuses new ones", async () => {
    const orm = await openOrm(db.url, 2);
    const { probe } = await start(orm);
    expect(await probe('/readyz')).toEqual(READY);
    const name = new URL(db.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    try {
      await admin.query(`alter database ${name} allow_connections false`);
      const ended = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
      expect(ended.rowCount).toBeGreaterThan(0);
      expect(await probe('/readyz')).toEqual(UNAVAILABLE);
    } finally {
      await admin.query(`alter database ${name} allow_connections true`);
      await admin.end();
    }
    // The pool replaces the connections PostgreSQL ended; readiness comes back by itself.
    expect(await probe('/readyz')).toEqual(READY);
  });

  it('is not ready while its job worker cannot reach the queue, says which part, and is ready again once it can', async () => {
    // The worker reaches PostgreSQL through a proxy that can be cut; the ORM goes directly.
    const proxy = tcpProxy(await freePort(), new URL(db.url));
    await proxy.open();
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const orm = await openOrm(db.url, 2);
    const worker = await startJobWorker({
      orm,
      connectionString: viaProxy.toString(),
      logger: pino({ level: 'silent' }),
      tasks: { noop: async () => {} },
      pollIntervalMs: 100,
    });
    try {
      const { probe } = await start(orm, { jobWorker: worker });
      const ready = { status: 200, body: { status: 'ready', database: 'ready', jobWorker: 'ready' } };
      await expect.poll(() => probe('/readyz'), { timeout: 10_000 }).toEqual(ready);
      await proxy.close();
      await expect
        .poll(() => probe('/readyz'), { timeout: 10_000 })
        .toEqual({ status: 503, body: { status: 'not ready', database: 'ready', jobWorker: 'unavailable' } });
      await proxy.open();
      await expect.poll(() => probe('/readyz'), { timeout: 10_000 }).toEqual(ready);
    } finally {
      await worker.stop();
      await proxy.close();
    }
  });
});
