import type { MikroORM } from '@mikro-orm/postgresql';
import { pooledSql, sql } from '../../db/sql.js';

/** Idempotency keys are kept for 48 hours (the promise to partners is at least 24), then purged. */
const IDEMPOTENCY_RETENTION_HOURS = 48;

export async function purgeIdempotencyKeys(orm: MikroORM): Promise<number> {
  const rows = await pooledSql(orm.em.fork()).query<{ n: number }>(
    sql`with gone as (delete from idempotency_key where created_at < now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS}) returning 1)
        select count(*)::int as n from gone`,
  );
  return rows[0]?.n ?? 0;
}
