import type { MikroORM } from '@mikro-orm/postgresql';

/** Idempotency keys are kept for 48 hours (the promise to partners is at least 24), then purged. */
export const IDEMPOTENCY_RETENTION_HOURS = 48;

export async function purgeIdempotencyKeys(orm: MikroORM): Promise<number> {
  const rows = await orm.em
    .fork()
    .execute<{ n: number }[]>(
      `with gone as (delete from idempotency_key where created_at < now() - make_interval(hours => ?) returning 1) select count(*)::int as n from gone`,
      [IDEMPOTENCY_RETENTION_HOURS],
    );
  return rows[0]?.n ?? 0;
}
