/**
 * The metrics endpoint: `GET /metrics` in Prometheus' text format on its own port
 * (`METRICS_PORT`, on 127.0.0.1 unless `METRICS_HOST` says otherwise), apart from the API's port
 * so a proxy that publishes the API never publishes it.
 *
 * Besides the process-wide series (metrics/series.ts) each scrape reads, at that moment: the
 * ORM's connection pool, the job queue's depth (one indexed query on graphile-worker's table) and
 * readiness (the same check as `/readyz`). A read that fails or takes over 3 s leaves its series
 * out of the answer rather than holding the scrape, and readiness reads 0.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { Gauge, Registry } from 'prom-client';
import { pooledSql, sql } from '../db/sql.js';
import { safeErrorFields } from '../graphql/format-error.js';
import { collectProcessMetrics, processRegistry } from './series.js';

export interface MetricsListenerOptions {
  port: number;
  /** Default 127.0.0.1: only this machine (or a Prometheus beside it) can scrape. */
  host?: string;
  orm: MikroORM;
  logger: Logger;
  /** Whether this server can serve (the `/readyz` check). */
  ready: () => Promise<boolean>;
}

export interface MetricsListener {
  /** e.g. http://127.0.0.1:9464/metrics */
  url: string;
  close(): Promise<void>;
}

/** The parts of knex's pool (tarn) that tell its use. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

const READ_TIMEOUT_MS = 3000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** This server's scrape-time gauges and the function that reads them. */
function serverGauges(options: MetricsListenerOptions) {
  const { orm, logger } = options;
  const registry = new Registry();
  const registers = [registry];
  const poolConnections = new Gauge({
    name: 'kindred_db_pool_connections',
    help: "Connections of this process's database pool, in use (used) or open and free (idle).",
    labelNames: ['state'] as const,
    registers,
  });
  const poolWaiting = new Gauge({
    name: 'kindred_db_pool_waiting',
    help: 'Requests for a database connection waiting because the pool is at its limit.',
    registers,
  });
  const poolMax = new Gauge({ name: 'kindred_db_pool_max', help: "The pool's connection limit (DB_POOL_MAX).", registers });
  const jobs = new Gauge({
    name: 'kindred_jobs',
    help: 'Jobs in the queue (all processes): ready to run now, scheduled later (retries included), locked by a worker, or dead (attempts used up).',
    labelNames: ['state'] as const,
    registers,
  });
  const oldestReady = new Gauge({
    name: 'kindred_jobs_oldest_ready_seconds',
    help: 'How long the oldest job ready to run has waited (0 when none waits).',
    registers,
  });
  const ready = new Gauge({
    name: 'kindred_ready',
    help: 'Whether this process can serve: 1 when it reaches PostgreSQL (as /readyz).',
    registers,
  });

  const readPool = () => {
    const pool = (orm.em.getConnection().getKnex().client as { pool?: TarnPool }).pool;
    if (!pool) return;
    poolConnections.set({ state: 'used' }, pool.numUsed());
    poolConnections.set({ state: 'idle' }, pool.numFree());
    poolWaiting.set(pool.numPendingAcquires());
    poolMax.set(Number(orm.config.get('pool')?.max ?? 0));
  };
  // One statement over graphile-worker's own table (the view joins two more); `is_available`
  // is its generated column (not locked and attempts left), which its main index covers.
  const readJobs = async () => {
    const [row] = await pooledSql(orm.em.fork()).query<Record<'ready' | 'scheduled' | 'locked' | 'dead' | 'oldest', number>>(
      sql`select count(*) filter (where is_available and run_at <= now())::int as ready,
                 count(*) filter (where is_available and run_at > now())::int as scheduled,
                 count(*) filter (where locked_at is not null)::int as locked,
                 count(*) filter (where attempts >= max_attempts and locked_at is null)::int as dead,
                 coalesce(extract(epoch from now() - min(run_at) filter (where is_available and run_at <= now())), 0)::float8 as oldest
            from graphile_worker._private_jobs`,
    );
    for (const state of ['ready', 'scheduled', 'locked', 'dead'] as const) jobs.set({ state }, row![state]);
    oldestReady.set(row!.oldest);
  };

  return {
    registry,
    async read() {
      readPool();
      const [readiness, queue] = await Promise.allSettled([withTimeout(options.ready()), withTimeout(readJobs())]);
      ready.set(readiness.status === 'fulfilled' && readiness.value ? 1 : 0);
      if (queue.status === 'rejected') {
        jobs.reset();
        oldestReady.reset();
        logger.warn({ err: safeErrorFields(queue.reason) }, 'metrics: the job queue could not be read');
      }
    },
  };
}

/** Starts the metrics endpoint; `close()` stops it (after the API, so the last scrapes still answer). */
export async function startMetricsListener(options: MetricsListenerOptions): Promise<MetricsListener> {
  collectProcessMetrics();
  const gauges = serverGauges(options);
  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
      return;
    }
    try {
      await gauges.read();
      const registry = Registry.merge([processRegistry, gauges.registry]);
      response.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
    } catch (error) {
      options.logger.error({ err: safeErrorFields(error) }, 'metrics scrape failed');
      response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
    }
  };
  const server = createServer((request, response) => void answer(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
