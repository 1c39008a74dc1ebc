import type { MikroORM } from '@mikro-orm/postgresql';
import { pooledSql, sql } from '../../db/sql.js';

/**
 * Expires due holds in every API process without double work: `sweep_group_v1` takes each group
 * with `FOR UPDATE SKIP LOCKED`, so a group another process (or a request) is working on is
 * skipped — whoever holds its lock applies the same rules. Every seat call on a group expires its
 * due holds first, and reads count a due hold as a free seat (docs/decisions/0006-reads-never-write.md),
 * so correctness never waits for this timer; it moves the waitlist when nobody touches a group.
 * One short statement (its own transaction) per group.
 */
export async function sweepDueHolds(orm: MikroORM, limit = 100): Promise<number> {
  const db = pooledSql(orm.em.fork());
  const due = await db.query<{ group_id: string }>(
    sql`select distinct group_id from reservation where status = 'HELD' and expires_at <= now() limit ${limit}`,
  );
  let expired = 0;
  for (const { group_id } of due) {
    const [row] = await db.query<{ expired: number | null }>(sql`select sweep_group_v1(${group_id}::uuid) as expired`);
    expired += row?.expired ?? 0;
  }
  return expired;
}
