import { Migration } from '@mikro-orm/migrations';

/**
 * Staff sign in with a second factor (docs/personal-identifiers.md, "Trust model"): a TOTP
 * authenticator and single-use recovery codes; and every account can see and end its sessions.
 *
 * - `account.totp_secret`: the authenticator's shared secret (base32) once set up;
 *   `totp_pending_secret` while a setup waits for its first code; `totp_last_step`: the last
 *   30-second step accepted, so a code is never accepted twice (replay).
 * - `account_recovery_code`: SHA-256 of each recovery code (they are random, 50 bits), single-use.
 * - `auth_session.client`: the user agent the session signed in from, so a person can tell its
 *   sessions apart; `second_factor`: whether the sign-in passed a second factor.
 * - `staff_action` rows may name an OPERATOR: a person at the server running an operator command
 *   (`pnpm kindred admin:create`), with the account it made as `actor_id`.
 */
export class StaffSecondFactor extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "account" add column "totp_secret" text null`);
    this.addSql(`alter table "account" add column "totp_pending_secret" text null`);
    this.addSql(`alter table "account" add column "totp_enabled_at" timestamptz null`);
    this.addSql(`alter table "account" add column "totp_last_step" bigint null`);
    this.addSql(`create table "account_recovery_code" (
      "id" uuid primary key default gen_random_uuid(),
      "account_id" uuid not null references "account" ("id") on delete cascade,
      "code_hash" text not null unique,
      "created_at" timestamptz not null default now(),
      "used_at" timestamptz null)`);
    this.addSql(`create index "account_recovery_code_account_idx" on "account_recovery_code" ("account_id") where "used_at" is null`);
    this.addSql(`alter table "auth_session" add column "client" text null`);
    this.addSql(`alter table "auth_session" add column "second_factor" boolean not null default false`);
    this.addSql(`alter table "staff_action" drop constraint "staff_action_actor_kind_check"`);
    this.addSql(
      `alter table "staff_action" add constraint "staff_action_actor_kind_check" check ("actor_kind" in ('ADMIN', 'THERAPIST', 'PARTNER', 'OPERATOR'))`,
    );
    this.addSql(`alter table "staff_action" drop constraint "staff_action_check"`);
    this.addSql(
      `alter table "staff_action" add constraint "staff_action_check" check (("actor_kind" in ('PARTNER', 'OPERATOR')) = ("actor_account_id" is null))`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "staff_action" drop constraint "staff_action_check"`);
    this.addSql(
      `alter table "staff_action" add constraint "staff_action_check" check (("actor_kind" = 'PARTNER') = ("actor_account_id" is null))`,
    );
    this.addSql(`alter table "staff_action" drop constraint "staff_action_actor_kind_check"`);
    this.addSql(
      `alter table "staff_action" add constraint "staff_action_actor_kind_check" check ("actor_kind" in ('ADMIN', 'THERAPIST', 'PARTNER'))`,
    );
    this.addSql(`alter table "auth_session" drop column "second_factor"`);
    this.addSql(`alter table "auth_session" drop column "client"`);
    this.addSql(`drop table "account_recovery_code"`);
    this.addSql(
      `alter table "account" drop column "totp_last_step", drop column "totp_enabled_at", drop column "totp_pending_secret", drop column "totp_secret"`,
    );
  }
}
