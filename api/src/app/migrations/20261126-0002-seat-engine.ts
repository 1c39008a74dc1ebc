import { Migration } from '@mikro-orm/migrations';

/**
 * Seat engine: database backstops for the seat rules, reservation history, idempotency keys.
 *
 * - `therapy_group.seats_taken` is maintained by a trigger on every reservation change and
 *   checked against capacity. The row update serialises concurrent writers on the group row,
 *   so even a code path that forgot the group lock cannot oversell (rule 1), nor lower
 *   capacity below the seats taken (rule 6).
 * - `reservation_event` is written by a trigger on every status change, so no code path can
 *   move a seat without leaving history; the actor comes from `kindred.actor` (set per
 *   transaction by the service).
 * - `idempotency_key` stores the first result of a seat mutation per caller and key.
 */
export class SeatEngine extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "therapy_group" add column "seats_taken" int not null default 0;`);
    this.addSql(
      `update "therapy_group" g set "seats_taken" = (select count(*) from "reservation" r where r.group_id = g.id and r.status in ('HELD', 'CONFIRMED'));`,
    );
    this.addSql(
      `alter table "therapy_group" add constraint "therapy_group_seats_taken_check" check ("seats_taken" between 0 and "capacity");`,
    );

    this.addSql(`create function "reservation_seat_count"() returns trigger language plpgsql as $$
      declare
        was_taken boolean := tg_op <> 'INSERT' and old.status in ('HELD', 'CONFIRMED');
        is_taken boolean := tg_op <> 'DELETE' and new.status in ('HELD', 'CONFIRMED');
      begin
        if tg_op = 'UPDATE' and old.group_id <> new.group_id then
          raise exception 'a reservation cannot change group';
        end if;
        if was_taken and not is_taken then
          update therapy_group set seats_taken = seats_taken - 1 where id = old.group_id;
        elsif is_taken and not was_taken then
          update therapy_group set seats_taken = seats_taken + 1 where id = new.group_id;
        end if;
        return null;
      end $$;`);
    this.addSql(
      `create trigger "reservation_seat_count" after insert or update of status or delete on "reservation" for each row execute function "reservation_seat_count"();`,
    );

    this.addSql(`create table "reservation_event" (
      "id" bigserial primary key,
      "reservation_id" uuid not null references "reservation" ("id") on delete cascade,
      "from_status" "reservation_status" null,
      "to_status" "reservation_status" not null,
      "at" timestamptz not null default clock_timestamp(),
      "actor" text not null,
      "reason" text null);`);
    this.addSql(`create index "reservation_event_reservation_idx" on "reservation_event" ("reservation_id", "id");`);
    this.addSql(`create function "reservation_history"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' or old.status is distinct from new.status then
          insert into reservation_event (reservation_id, from_status, to_status, actor, reason)
          values (new.id, case when tg_op = 'UPDATE' then old.status end, new.status,
                  coalesce(nullif(current_setting('kindred.actor', true), ''), 'SYSTEM'),
                  nullif(current_setting('kindred.reason', true), ''));
        end if;
        return null;
      end $$;`);
    this.addSql(
      `create trigger "reservation_history" after insert or update of status on "reservation" for each row execute function "reservation_history"();`,
    );

    // "Has signed" lives in one place: a signature on the latest version that requires signing
    // again (or any later one). No required agreement means nothing to sign.
    this.addSql(`create function "member_has_signed"(p_member uuid, p_agreement uuid) returns boolean language sql stable as $$
      select p_agreement is null or exists (
        select 1 from signature s join agreement_version v on v.id = s.agreement_version_id
         where s.member_id = p_member and v.agreement_id = p_agreement
           and v.version >= (select coalesce(max(version), 1) from agreement_version
                              where agreement_id = p_agreement and requires_resign))
      $$;`);

    this.addSql(`create index "reservation_hold_expiry_idx" on "reservation" ("expires_at") where status = 'HELD';`);

    this.addSql(`create table "idempotency_key" (
      "caller" text not null,
      "key" text not null,
      "operation" text not null,
      "request_hash" text not null,
      "result" jsonb null,
      "created_at" timestamptz not null default now(),
      constraint "idempotency_key_pkey" primary key ("caller", "key"));`);
    this.addSql(`create index "idempotency_key_created_idx" on "idempotency_key" ("created_at");`);
  }
}
