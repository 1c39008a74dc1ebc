import type { MikroORM } from '@mikro-orm/postgresql';
import { pooledSql, sql } from '../../db/sql.js';

/**
 * Moves groups along their lifecycle as time passes, each in one call of `advance_group_v1`
 * under the group's seat lock (so it obeys the same rules as any seat change, and `SKIP LOCKED`
 * keeps several API processes from doing the same work):
 * - a session whose end has passed is COMPLETED;
 * - an OPEN group whose first session has started is IN_PROGRESS. A CLOSED cohort is then fixed:
 *   its waitlist is cancelled and unsigned holds expire (members had to sign before the start).
 *   A rolling (OPEN type) group keeps taking reservations and its waitlist keeps moving;
 * - a group whose last session has ended is COMPLETED; places still waiting are cancelled.
 */
export async function advanceGroupLifecycles(orm: MikroORM): Promise<number> {
  const db = pooledSql(orm.em.fork());
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
  for (const { id, next } of due) {
    const [row] = await db.query<{ moved: boolean }>(sql`select advance_group_v1(${id}::uuid, ${next}) as moved`);
    if (row?.moved) moved += 1;
  }
  return moved;
}
