/**
 * The seat rules that every seat transaction applies under its group lock (see
 * seat-transaction.ts). Plain SQL: each is one statement, whatever the number of seats moved.
 */
import { sql, type SqlClient } from '../../db/sql.js';
import type { LockedGroup } from './seat-transaction.js';

/**
 * Rule 5: holds past `expires_at` end as EXPIRED and free their seats (promoted next). A hold
 * whose member has meanwhile signed (a signature racing the reservation) is confirmed instead:
 * a signed member never loses a seat to the clock.
 */
export async function expireDueHolds(tx: SqlClient, groupId: string): Promise<number> {
  const rows = await tx.query<{ expired: boolean }>(sql`with due as (
       select r.id, member_has_signed(r.member_id, p.required_agreement_id) as signed
         from reservation r join therapy_group g on g.id = r.group_id join program p on p.id = g.program_id
        where r.group_id = ${groupId} and r.status = 'HELD' and r.expires_at <= now()
     )
     update reservation r
        set status = (case when due.signed then 'CONFIRMED' else 'EXPIRED' end)::reservation_status,
            expires_at = case when due.signed then null else r.expires_at end,
            ended_at = case when due.signed then null else now() end,
            ended_by = case when due.signed then null else 'SYSTEM' end,
            updated_at = now()
       from due
      where r.id = due.id
     returning not due.signed as expired`);
  return rows.filter((r) => r.expired).length;
}

/** After a signature: the member's live holds in groups whose agreement it now satisfies become CONFIRMED. */
export async function confirmSignedHolds(tx: SqlClient, memberId: string, groupIds: string[]): Promise<number> {
  if (groupIds.length === 0) return 0;
  const rows = await tx.query<{ id: string }>(sql`update reservation r set status = 'CONFIRMED', expires_at = null, updated_at = now()
       from therapy_group g join program p on p.id = g.program_id
      where g.id = r.group_id and r.member_id = ${memberId} and r.group_id = any(${groupIds}::uuid[]) and r.status = 'HELD' and r.expires_at > now()
        and member_has_signed(r.member_id, p.required_agreement_id)
     returning r.id`);
  return rows.length;
}

/**
 * Rule 4: free seats go, in waitlist order (the sequence the database assigned on acceptance),
 * to the first waitlisted members — CONFIRMED when they have signed the group's required
 * agreement, HELD for the group's hold time otherwise.
 */
export async function promoteWaitlist(tx: SqlClient, group: LockedGroup): Promise<number> {
  const free = group.capacity - group.seatsTaken;
  if (free <= 0) return 0;
  const rows = await tx.query<{ id: string }>(sql`with next as (
       select id, member_has_signed(member_id, ${group.agreementId}::uuid) as signed
         from reservation
        where group_id = ${group.id} and status = 'WAITLISTED'
        order by waitlist_seq
        limit ${free}
     )
     update reservation r
        set status = (case when next.signed then 'CONFIRMED' else 'HELD' end)::reservation_status,
            expires_at = case when next.signed then null else now() + make_interval(mins => ${group.holdMinutes}::int) end,
            promoted_at = clock_timestamp(), updated_at = now()
       from next
      where r.id = next.id
     returning r.id`);
  return rows.length;
}

/** A session of the group starts within its cancellation window (on `therapy_group g`). */
export const LATE_SQL = sql`exists (select 1 from group_session s where s.group_id = g.id and s.status = 'SCHEDULED'
                                   and s.starts_at > now() and s.starts_at <= now() + make_interval(hours => g.cancellation_window_hours))`;

/** Whether a cancellation now falls inside the group's window before its next session. */
export async function isLateCancellation(tx: SqlClient, group: LockedGroup): Promise<boolean> {
  if (group.lateNow !== undefined) return group.lateNow; // read with the group figures
  const [row] = await tx.query<{ late: boolean }>(sql`select ${LATE_SQL} as late from therapy_group g where g.id = ${group.id}`);
  return row?.late ?? false;
}
