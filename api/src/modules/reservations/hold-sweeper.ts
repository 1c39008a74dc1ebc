import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { inTransaction, pooledSql, sql } from '../../db/sql.js';
import { lockGroups, settleGroup } from './seat-transaction.js';

/**
 * Expires due holds in every API process without double work: each group is taken with
 * `FOR UPDATE SKIP LOCKED`, so a group another process (or a request) is working on is skipped
 * — whoever holds its lock applies the same rules. Every seat transaction on a group expires its
 * due holds first, and reads count a due hold as a free seat (docs/decisions/0006-reads-never-write.md),
 * so correctness never waits for this timer; it moves the waitlist when nobody touches a group.
 */
export async function sweepDueHolds(orm: MikroORM, limit = 100): Promise<number> {
  const em = orm.em.fork();
  const due = await pooledSql(em).query<{ group_id: string }>(
    sql`select distinct group_id from reservation where status = 'HELD' and expires_at <= now() limit ${limit}`,
  );
  return settleDueGroups(
    em,
    due.map((r) => r.group_id),
  );
}

/** Expires due holds and promotes the waitlist of each group, one short transaction per group. */
async function settleDueGroups(em: EntityManager, groupIds: string[]): Promise<number> {
  let expired = 0;
  for (const groupId of groupIds) {
    expired += await inTransaction(em, async (tx) => {
      const actor = { name: 'SYSTEM', reason: 'hold expired' };
      const group = (await lockGroups(tx, [groupId], { skipLocked: true, actor })).get(groupId);
      return group ? settleGroup(tx, group) : 0;
    });
  }
  return expired;
}
