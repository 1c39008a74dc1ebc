import type { MikroORM } from '@mikro-orm/postgresql';
import { deleteEnded, RETENTION } from '../../jobs/retention.js';

/** Purges idempotency keys once they are `RETENTION.idempotencyKeyHours` (48) old; returns how many went. */
export function purgeIdempotencyKeys(orm: MikroORM): Promise<number> {
  return deleteEnded(
    orm,
    { table: 'idempotency_key', key: 'caller, key', endedAt: 'created_at' },
    { hours: RETENTION.idempotencyKeyHours },
  );
}
