/**
 * The storm's floor: Kindred's seat transactions (seat-transaction.ts, reserve.service.ts,
 * release.service.ts) written as raw SQL with pg — same locks, same statements, same rules
 * (group row FOR UPDATE, due holds expired and the waitlist promoted under the lock, triggers
 * keeping seats_taken and the history), without GraphQL, HTTP, auth or an ORM. Like Kindred, each
 * call by a partner then appends its row to the staff action log (api/src/authz/staff-actions.ts).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

interface Locked {
  capacity: number;
  seats_taken: number;
  status: string;
  type: string;
  hold_minutes: number;
  required_agreement_id: string | null;
  waitlisted: number;
  due: number;
  /** The member's place in the group and signature, read with the figures (null: unknown). */
  active: boolean | null;
  signed: boolean;
  /** A cancellation now would be late. */
  late: boolean;
}

/**
 * Every statement prepared once per connection, then only bound and executed — as Kindred's
 * seat engine does (api/src/db/sql.ts).
 */
const names = new Map<string, string>();
function run<R extends pg.QueryResultRow>(client: pg.Pool | pg.PoolClient, text: string, values: unknown[]) {
  let name = names.get(text);
  if (!name) {
    name = `floor_${names.size + 1}`;
    names.set(text, name);
  }
  return client.query<R>({ name, text, values });
}

async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Kindred's lockGroups: the row lock (naming the actor), then the figures read after the lock. */
async function lockGroup(client: pg.PoolClient, groupId: string, actor: string, memberId?: string): Promise<Locked> {
  const { rows } = await run<Locked>(
    client,
    `select set_config('kindred.actor', $2, true), set_config('kindred.reason', '', true),
            g.capacity, g.seats_taken, g.status, g.type, g.hold_minutes, p.required_agreement_id
       from therapy_group g join program p on p.id = g.program_id where g.id = $1 for update of g`,
    [groupId, actor],
  );
  const group = rows[0];
  if (!group) throw new Error('no such group');
  const figures = await run(
    client,
    `select count(r.id) filter (where r.status = 'WAITLISTED')::int as waitlisted,
            count(r.id) filter (where r.status = 'HELD' and r.expires_at <= now())::int as due,
            coalesce(bool_or(r.member_id = $2::uuid), false) as active, member_has_signed($2::uuid, p.required_agreement_id) as signed,
            exists (select 1 from group_session s where s.group_id = g.id and s.status = 'SCHEDULED' and s.starts_at > now()
                       and s.starts_at <= now() + make_interval(hours => g.cancellation_window_hours)) as late
       from therapy_group g join program p on p.id = g.program_id
       left join reservation r on r.group_id = g.id and r.status in ('WAITLISTED', 'HELD', 'CONFIRMED')
      where g.id = $1 group by g.id, p.required_agreement_id`,
    [groupId, memberId ?? null],
  );
  Object.assign(group, figures.rows[0]);
  if (group.due > 0) {
    const expired = await run(
      client,
      `with due as (
         select r.id, member_has_signed(r.member_id, $2::uuid) as signed from reservation r
          where r.group_id = $1 and r.status = 'HELD' and r.expires_at <= now())
       update reservation r set status = (case when due.signed then 'CONFIRMED' else 'EXPIRED' end)::reservation_status,
              expires_at = case when due.signed then null else r.expires_at end,
              ended_at = case when due.signed then null else now() end,
              ended_by = case when due.signed then null else 'SYSTEM' end, updated_at = now()
         from due where r.id = due.id returning not due.signed as expired`,
      [groupId, group.required_agreement_id],
    );
    const count = expired.rows.filter((r) => r.expired).length;
    group.seats_taken -= count;
    if (count > 0) group.active = null; // the member's own hold may have been one: check again
  }
  await promote(client, groupId, group);
  return group;
}

async function promote(client: pg.PoolClient, groupId: string, group: Locked): Promise<void> {
  const free = group.capacity - group.seats_taken;
  if (free <= 0 || group.waitlisted === 0) return;
  const { rowCount } = await run(
    client,
    `with next as (
       select id, member_has_signed(member_id, $1::uuid) as signed from reservation
        where group_id = $2 and status = 'WAITLISTED' order by waitlist_seq limit $3)
     update reservation r set status = (case when next.signed then 'CONFIRMED' else 'HELD' end)::reservation_status,
            expires_at = case when next.signed then null else now() + make_interval(mins => $4) end, updated_at = now()
       from next where r.id = next.id`,
    [group.required_agreement_id, groupId, free, group.hold_minutes],
  );
  group.seats_taken += rowCount ?? 0;
  group.waitlisted -= rowCount ?? 0;
}

/** The staff action row Kindred writes after a partner's seat call (one statement, after the transaction). */
async function logAction(pool: pg.Pool, partnerId: string, action: string, reservation: { id: string; groupId: string; status: string }) {
  const changes = [{ type: 'Reservation', id: reservation.id, before: null, after: { status: reservation.status } }];
  await run(
    pool,
    `insert into staff_action (id, actor_kind, actor_id, actor_account_id, action, outcome, subject_type, subject_id, group_id, changes, request_id)
     values ($1, 'PARTNER', $2, null, $3, 'DONE', 'Reservation', $4, $5, $6::jsonb, $7)`,
    [randomUUID(), partnerId, action, reservation.id, reservation.groupId, JSON.stringify(changes), randomUUID()],
  );
}

/** Reserves a seat (or a waitlist place) for a partner's member; returns the reservation id. */
export async function reserveSql(pool: pg.Pool, partnerId: string, groupId: string, memberId: string): Promise<string> {
  const owner = await run(pool, 'select partner_id from member where id = $1', [memberId]);
  if (owner.rows[0]?.partner_id !== partnerId) throw new Error('not this partner’s member');
  const reserved = await transaction(pool, async (client) => {
    const group = await lockGroup(client, groupId, `PARTNER:${partnerId}`, memberId);
    const open = group.status === 'OPEN' || (group.status === 'IN_PROGRESS' && group.type === 'OPEN');
    if (!open) throw new Error('group not open');
    if (group.active === null) {
      const check = await run(
        client,
        `select exists (select 1 from reservation where group_id = $1 and member_id = $2 and status in ('HELD', 'CONFIRMED', 'WAITLISTED')) as active`,
        [groupId, memberId],
      );
      group.active = check.rows[0]!.active;
    }
    if (group.active) throw new Error('already reserved');
    const status = group.seats_taken < group.capacity ? (group.signed ? 'CONFIRMED' : 'HELD') : 'WAITLISTED';
    const { rows } = await run(
      client,
      `insert into reservation (id, group_id, member_id, status, expires_at, waitlist_seq, created_at, updated_at)
       values ($1, $2, $3, $4::reservation_status, case when $4::text = 'HELD' then now() + make_interval(mins => $5) end,
               case when $4::text = 'WAITLISTED' then nextval('reservation_waitlist_seq') end, now(), now())
       returning id, group_id, member_id, status, waitlist_seq, expires_at, created_at, updated_at, ended_at, ended_by,
                 cancelled_late, removal_reason`,
      [randomUUID(), groupId, memberId, status, group.hold_minutes],
    );
    return { id: rows[0]!.id as string, groupId, status };
  });
  await logAction(pool, partnerId, 'reserveSeat', reserved);
  return reserved.id;
}

/** Cancels a reservation as its member's partner; a freed seat goes to the waitlist at once. */
export async function cancelSql(pool: pg.Pool, partnerId: string, reservationId: string): Promise<void> {
  const found = await run(pool, 'select r.group_id, m.partner_id from reservation r join member m on m.id = r.member_id where r.id = $1', [
    reservationId,
  ]);
  const row = found.rows[0];
  if (!row || row.partner_id !== partnerId) throw new Error('no such reservation');
  await transaction(pool, async (client) => {
    const group = await lockGroup(client, row.group_id, `PARTNER:${partnerId}`);
    const ended = await run(
      client,
      `with prev as (select id, status from reservation where id = $1 for update)
       update reservation r set status = 'CANCELLED', ended_at = now(), ended_by = 'PARTNER', expires_at = null, updated_at = now(),
              cancelled_late = case when prev.status = 'WAITLISTED' then false else $2::boolean end
         from prev where r.id = prev.id and prev.status in ('HELD', 'CONFIRMED', 'WAITLISTED')
       returning r.id, r.group_id, r.member_id, r.status, r.waitlist_seq, r.expires_at, r.created_at, r.updated_at,
                 r.ended_at, r.ended_by, r.cancelled_late, r.removal_reason, prev.status as previous`,
      [reservationId, group.late],
    );
    const previous = ended.rows[0]?.previous;
    if (!previous) throw new Error('reservation not active');
    if (previous === 'WAITLISTED') group.waitlisted -= 1;
    else group.seats_taken -= 1;
    await promote(client, row.group_id, group);
  });
  await logAction(pool, partnerId, 'cancelReservation', { id: reservationId, groupId: row.group_id, status: 'CANCELLED' });
}
