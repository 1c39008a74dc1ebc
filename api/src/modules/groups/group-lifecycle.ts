import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { inTransaction, pooledSql, sql } from '../../db/sql.js';
import { lockGroups, settleGroup } from '../reservations/index.js';

/**
 * Moves groups along their lifecycle as time passes, under each group's seat lock (so it obeys
 * the same rules as any seat change, and `SKIP LOCKED` keeps several API processes from doing
 * the same work):
 * - a session whose end has passed is COMPLETED;
 * - an OPEN group whose first session has started is IN_PROGRESS. A CLOSED cohort is then fixed:
 *   its waitlist is cancelled and unsigned holds expire (members had to sign before the start).
 *   A rolling (OPEN type) group keeps taking reservations and its waitlist keeps moving;
 * - a group whose last session has ended is COMPLETED; places still waiting are cancelled.
 */
export async function advanceGroupLifecycles(orm: MikroORM): Promise<number> {
  const em = orm.em.fork();
  const db = pooledSql(em);
  await db.query(sql`update group_session set status = 'COMPLETED' where status = 'SCHEDULED' and ends_at <= now()`);
  const due = await db.query<{ id: string; next: 'IN_PROGRESS' | 'COMPLETED' }>(
    sql`select g.id,
            case when not exists (select 1 from group_session s where s.group_id = g.id and s.ends_at > now())
                 then 'COMPLETED' else 'IN_PROGRESS' end as next
       from therapy_group g
      where g.status in ('OPEN', 'IN_PROGRESS')
        and exists (select 1 from group_session s where s.group_id = g.id)
        and (   (g.status = 'OPEN' and exists (select 1 from group_session s where s.group_id = g.id and s.starts_at <= now()))
             or not exists (select 1 from group_session s where s.group_id = g.id and s.ends_at > now()))
      limit 100`,
  );
  let moved = 0;
  for (const { id, next } of due) moved += await advance(em, id, next);
  return moved;
}

async function advance(em: EntityManager, groupId: string, next: 'IN_PROGRESS' | 'COMPLETED'): Promise<number> {
  return inTransaction(em, async (tx) => {
    const actor = { name: 'SYSTEM', reason: next === 'COMPLETED' ? 'group completed' : 'group started' };
    const group = (await lockGroups(tx, [groupId], { skipLocked: true, actor })).get(groupId);
    if (!group || (group.status !== 'OPEN' && group.status !== 'IN_PROGRESS')) return 0;
    // Free seats still go to the waitlist at the start; at the end nothing is promoted any more.
    if (next === 'IN_PROGRESS') await settleGroup(tx, group);
    if (next === 'COMPLETED' || group.type === 'CLOSED') {
      await tx.query(sql`update reservation
            set status = (case when status = 'HELD' then 'EXPIRED' else 'CANCELLED' end)::reservation_status,
                ended_at = now(), ended_by = 'SYSTEM', updated_at = now()
          where group_id = ${groupId} and status in ('WAITLISTED', 'HELD')`);
    }
    await tx.query(sql`update therapy_group set status = ${next}::group_status, updated_at = now() where id = ${groupId}`);
    return 1;
  });
}
