import { Migration } from '@mikro-orm/migrations';

/**
 * Who may read a member's identifiers follows therapists' current assignments, approved accounts,
 * and a grace period after a group ends (docs/personal-identifiers.md, "Trust model").
 *
 * - `group_therapist_assignment`: the history of who led or co-led each group, from when, until
 *   when, set by whom (the `kindred.actor` of the transaction). Triggers on the group's lead and
 *   its co-therapist list write it, so no code path can change an assignment without its trace.
 * - `therapy_group.ended_at`: when the group became COMPLETED or CANCELLED (a trigger sets it).
 * - `therapist_group_access` and `therapist_member`: the assigned-therapist rule. A therapist
 *   reads the identifiers of a group's members while its assignment is current, its account is
 *   activated, approved and not disabled, and the group has not ended more than
 *   `therapist_access_after_end()` (90 days) ago. `therapist_group` (migration 0007) stays the
 *   plain structure: who leads or co-leads now, for filters.
 */
export class AssignmentHistory extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "therapy_group" add column "ended_at" timestamptz null`);
    this.addSql(`update "therapy_group" set "ended_at" = "updated_at" where "status" in ('COMPLETED', 'CANCELLED')`);
    this.addSql(`create function "therapy_group_ended"() returns trigger language plpgsql as $$
      begin
        if new.status in ('COMPLETED', 'CANCELLED') and old.status not in ('COMPLETED', 'CANCELLED') then new.ended_at := now(); end if;
        return new;
      end $$`);
    this.addSql(
      `create trigger "therapy_group_ended" before update of "status" on "therapy_group" for each row execute function "therapy_group_ended"()`,
    );

    this.addSql(`create table "group_therapist_assignment" (
      "id" uuid primary key default gen_random_uuid(),
      "group_id" uuid not null references "therapy_group" ("id") on delete cascade,
      "therapist_id" uuid not null references "therapist" ("id") on delete cascade,
      "role" text not null check ("role" in ('LEAD', 'CO')),
      "started_at" timestamptz not null default now(),
      "started_by" text not null,
      "ended_at" timestamptz null,
      "ended_by" text null)`);
    this.addSql(
      `create unique index "group_therapist_assignment_current_key" on "group_therapist_assignment" ("group_id", "therapist_id", "role") where "ended_at" is null`,
    );
    this.addSql(
      `create index "group_therapist_assignment_therapist_idx" on "group_therapist_assignment" ("therapist_id") where "ended_at" is null`,
    );
    this.addSql(`insert into "group_therapist_assignment" ("group_id", "therapist_id", "role", "started_at", "started_by")
      select g."id", g."lead_therapist_id", 'LEAD', g."created_at", 'MIGRATION' from "therapy_group" g`);
    this.addSql(`insert into "group_therapist_assignment" ("group_id", "therapist_id", "role", "started_at", "started_by")
      select c."group_id", c."therapist_id", 'CO', g."created_at", 'MIGRATION' from "group_co_therapist" c join "therapy_group" g on g."id" = c."group_id"`);

    this.addSql(`create function "assignment_actor"() returns text language sql stable as $$
      select coalesce(nullif(current_setting('kindred.actor', true), ''), 'SYSTEM') $$`);
    this.addSql(`create function "record_lead_assignment"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          if new.lead_therapist_id is not distinct from old.lead_therapist_id then return null; end if;
          update group_therapist_assignment set ended_at = now(), ended_by = assignment_actor()
           where group_id = new.id and role = 'LEAD' and ended_at is null;
        end if;
        insert into group_therapist_assignment (group_id, therapist_id, role, started_at, started_by)
        values (new.id, new.lead_therapist_id, 'LEAD', now(), assignment_actor());
        return null;
      end $$`);
    this.addSql(
      `create trigger "record_lead_assignment" after insert or update of "lead_therapist_id" on "therapy_group" for each row execute function "record_lead_assignment"()`,
    );
    // A list replaced by deleting and inserting rows in one transaction keeps the unchanged
    // therapists' assignments open: an assignment ended in this very transaction is reopened.
    this.addSql(`create function "record_co_assignment"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          update group_therapist_assignment set ended_at = now(), ended_by = assignment_actor()
           where group_id = old.group_id and therapist_id = old.therapist_id and role = 'CO' and ended_at is null;
          return null;
        end if;
        update group_therapist_assignment set ended_at = null, ended_by = null
         where group_id = new.group_id and therapist_id = new.therapist_id and role = 'CO' and ended_at = now();
        if not found then
          insert into group_therapist_assignment (group_id, therapist_id, role, started_at, started_by)
          values (new.group_id, new.therapist_id, 'CO', now(), assignment_actor());
        end if;
        return null;
      end $$`);
    this.addSql(
      `create trigger "record_co_assignment" after insert or delete on "group_co_therapist" for each row execute function "record_co_assignment"()`,
    );

    this.addSql(
      `create function "therapist_access_after_end"() returns interval language sql immutable as $$ select interval '90 days' $$`,
    );
    this.addSql(`create view "therapist_group_access" as
      select a."therapist_id", a."group_id"
        from "group_therapist_assignment" a
        join "therapy_group" g on g."id" = a."group_id"
        join "account" acc on acc."therapist_id" = a."therapist_id"
       where a."ended_at" is null
         and acc."activated_at" is not null and acc."approved_at" is not null and acc."disabled_at" is null
         and (g."ended_at" is null or g."ended_at" > now() - "therapist_access_after_end"())`);
    this.addSql(`create or replace view "therapist_member" as
      select tga."therapist_id", r."member_id", r."group_id"
        from "therapist_group_access" tga join "reservation" r on r."group_id" = tga."group_id"`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace view "therapist_member" as
      select tg."therapist_id", r."member_id", r."group_id" from "therapist_group" tg join "reservation" r on r."group_id" = tg."group_id"`);
    this.addSql(`drop view "therapist_group_access"`);
    this.addSql(`drop function "therapist_access_after_end"()`);
    this.addSql(`drop trigger "record_co_assignment" on "group_co_therapist"`);
    this.addSql(`drop function "record_co_assignment"()`);
    this.addSql(`drop trigger "record_lead_assignment" on "therapy_group"`);
    this.addSql(`drop function "record_lead_assignment"()`);
    this.addSql(`drop function "assignment_actor"()`);
    this.addSql(`drop table "group_therapist_assignment"`);
    this.addSql(`drop trigger "therapy_group_ended" on "therapy_group"`);
    this.addSql(`drop function "therapy_group_ended"()`);
    this.addSql(`alter table "therapy_group" drop column "ended_at"`);
  }
}
