import { Migration } from '@mikro-orm/migrations';

/**
 * Seat changes the system makes on its own are recorded as SYSTEM, whoever's transaction made
 * them happen: a hold expiring (→ EXPIRED) and a waitlist promotion (WAITLISTED → HELD or
 * CONFIRMED). Otherwise a promotion after X's removal would carry X's remover and reason.
 */
export class SystemSeatHistory extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function "reservation_history"() returns trigger language plpgsql as $$
      declare
        actor text := coalesce(nullif(current_setting('kindred.actor', true), ''), 'SYSTEM');
        why text := nullif(current_setting('kindred.reason', true), '');
      begin
        if tg_op = 'UPDATE' and old.status is not distinct from new.status then
          return null;
        end if;
        if tg_op = 'UPDATE' and new.status = 'EXPIRED' then
          actor := 'SYSTEM';
          if why is null or why not in ('group started', 'group completed') then why := 'hold expired'; end if;
        elsif tg_op = 'UPDATE' and old.status = 'WAITLISTED' and new.status in ('HELD', 'CONFIRMED') then
          actor := 'SYSTEM';
          why := 'promoted from the waitlist';
        end if;
        insert into reservation_event (reservation_id, from_status, to_status, actor, reason)
        values (new.id, case when tg_op = 'UPDATE' then old.status end, new.status, actor, why);
        return null;
      end $$;`);
  }
}
