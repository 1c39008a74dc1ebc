import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { pooledSql, sql } from '../../db/sql.js';

/** Whether this process reaches PostgreSQL through its pool (`/readyz`, and `kindred_ready` in the metrics). */
export async function databaseReady(orm: MikroORM): Promise<boolean> {
  try {
    await pooledSql(orm.em.fork()).query(sql`select 1`, { prepare: false });
    return true;
  } catch {
    return false;
  }
}

/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: it can reach
 * PostgreSQL; 503 otherwise, so a load balancer stops sending it requests).
 */
export function registerHealth(app: FastifyInstance, orm: MikroORM): void {
  // Never rate-limited: a probe must not fail because the rate limit's store (Redis) is down.
  const probe = { config: { rateLimit: false } };
  app.get('/healthz', probe, async () => ({ status: 'ok' }));
  app.get('/readyz', probe, async (_request, reply) =>
    (await databaseReady(orm)) ? { status: 'ready' } : reply.code(503).send({ status: 'database unavailable' }),
  );
}
