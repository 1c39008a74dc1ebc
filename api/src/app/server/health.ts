import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { pooledSql, sql } from '../../db/sql.js';
import type { JobWorker } from '../../jobs/worker.js';

/** What `/readyz` reports, part by part (`off`: this process runs no job worker). */
interface Readiness {
  status: 'ready' | 'not ready';
  database: 'ready' | 'unavailable';
  jobWorker: 'ready' | 'unavailable' | 'off';
}

/** Whether this process reaches PostgreSQL through its pool. */
async function databaseReady(orm: MikroORM): Promise<boolean> {
  try {
    await pooledSql(orm.em.fork()).query(sql`select 1`, { prepare: false });
    return true;
  } catch {
    return false;
  }
}

/** Each part's readiness (`/readyz`'s body, and `kindred_ready` in the metrics). */
export async function readiness(orm: MikroORM, jobWorker: Pick<JobWorker, 'state'> | null): Promise<Readiness> {
  const database = (await databaseReady(orm)) ? 'ready' : 'unavailable';
  const worker = jobWorker ? jobWorker.state() : 'off';
  const ready = database === 'ready' && worker !== 'unavailable';
  return { status: ready ? 'ready' : 'not ready', database, jobWorker: worker };
}

/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: PostgreSQL answers and,
 * when this process runs one, the job worker is running and reaches its queue; 503 otherwise, so
 * a load balancer stops sending it requests). The body names the part that is not ready.
 */
export function registerHealth(app: FastifyInstance, orm: MikroORM, jobWorker: Pick<JobWorker, 'state'> | null = null): void {
  // Never rate-limited: a probe must not fail because the rate limit's store (Redis) is down.
  const probe = { config: { rateLimit: false } };
  app.get('/healthz', probe, async () => ({ status: 'ok' }));
  app.get('/readyz', probe, async (_request, reply) => {
    const body = await readiness(orm, jobWorker);
    return reply.code(body.status === 'ready' ? 200 : 503).send(body);
  });
}
