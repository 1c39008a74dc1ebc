import { Migration } from '@mikro-orm/migrations';

/**
 * The job queue's worker heartbeats, and the staff action log.
 *
 * - `job_worker`: each job worker's last sign of life (api/src/jobs/worker.ts); the jobs of a
 *   worker that stopped beating are released instead of staying locked for four hours.
 * - `staff_action`: one row for every mutation an admin, a therapist or a partner calls, whatever
 *   its outcome (api/src/authz/staff-actions.ts): who (`actor_id`: the admin's account, the
 *   therapist or the partner), which mutation, on what, the non-identifier
 *   fields it changed before and after, the request. Append-only whoever connects: UPDATE,
 *   DELETE and TRUNCATE are refused by triggers (grants alone prove nothing to a superuser).
 */
export class JobsAndStaffActions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "job_worker" ("worker_id" text primary key, "seen_at" timestamptz not null default now())`);
    this.addSql(`create table "staff_action" (
      "id" uuid primary key,
      "at" timestamptz not null default clock_timestamp(),
      "actor_kind" text not null check ("actor_kind" in ('ADMIN', 'THERAPIST', 'PARTNER')),
      "actor_id" uuid not null,
      "actor_account_id" uuid null,
      "action" text not null,
      "outcome" text not null check ("outcome" in ('DONE', 'REFUSED', 'FAILED')),
      "subject_type" text null,
      "subject_id" uuid null,
      "group_id" uuid null,
      "changes" jsonb not null default '[]',
      "request_id" text not null,
      check (("actor_kind" = 'PARTNER') = ("actor_account_id" is null)))`);
    this.addSql(`create index "staff_action_actor_idx" on "staff_action" ("actor_id", "id")`);
    this.addSql(`create index "staff_action_subject_idx" on "staff_action" ("subject_id", "id")`);
    this.addSql(`create index "staff_action_group_idx" on "staff_action" ("group_id", "id")`);
    this.addSql(`create index "staff_action_at_idx" on "staff_action" ("at")`);
    this.addSql(
      `create function "append_only"() returns trigger language plpgsql as $$ begin raise exception '% is append-only', TG_TABLE_NAME; end $$`,
    );
    this.addSql(
      `create trigger "staff_action_no_update" before update or delete on "staff_action" for each row execute function "append_only"()`,
    );
    this.addSql(
      `create trigger "staff_action_no_truncate" before truncate on "staff_action" for each statement execute function "append_only"()`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table "staff_action"');
    this.addSql('drop function "append_only"()');
    this.addSql('drop table "job_worker"');
  }
}
