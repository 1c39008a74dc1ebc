import { Migration } from '@mikro-orm/migrations';

/**
 * Credentials belong to their owner (docs/personal-identifiers.md, "Trust model").
 *
 * - An account may have no password yet (`password_hash` null) and is usable only once activated
 *   (`activated_at`): by accepting an invitation (staff), following the emailed link
 *   (self-registration, a member's own sign-in), or setting a password from a reset link.
 * - An address is unique among activated accounts only: inviting or registering an address that
 *   already signs in creates nothing anyone can observe (docs/personal-identifiers.md), and only
 *   the owner of that inbox, following the link, learns that it is taken.
 * - Staff accounts record who invited them and who approved them; a second admin's approval
 *   (`approved_at`, `approved_by_id`) is what lets a new admin or therapist in.
 * - A member's sign-in may serve several member records (each partner that referred the person
 *   registered its own): the link moves from `account.member_id` to `member.account_id`.
 * - `account_token`: the emailed links — invitation, address verification, password reset, a new
 *   sign-in address, a member's own sign-in. Only a hash of each secret is stored, written by the
 *   job that makes and mails it.
 * - Passwords someone else chose are voided: every therapist account (createTherapist took the
 *   admin's choice) and every member account of a member a partner referred (registerMember or
 *   createMemberAccount by the partner). Their sessions end, and each owner is mailed a link to set
 *   their own (a job per account, added here). A member account without a referring partner
 *   cannot be told apart from a self-registration, whose password was the owner's: it is kept.
 */
export class OwnCredentials extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "account" alter column "password_hash" drop not null`);
    this.addSql(`alter table "account" add column "activated_at" timestamptz null`);
    this.addSql(`update "account" set "activated_at" = "created_at"`);
    this.addSql(`alter table "account" drop constraint "account_email_unique"`);
    this.addSql(`create unique index "account_email_active_key" on "account" ("email") where "activated_at" is not null`);
    this.addSql(`create index "account_email_index" on "account" ("email")`);
    this.addSql(`alter table "account" add column "invited_by_id" uuid null references "account" ("id") on delete set null`);
    this.addSql(`alter table "account" add column "approved_at" timestamptz null`);
    this.addSql(`alter table "account" add column "approved_by_id" uuid null references "account" ("id") on delete set null`);
    // Staff accounts that exist predate approval; they count as approved (by the installation).
    this.addSql(`update "account" set "approved_at" = "created_at" where "role" in ('ADMIN', 'THERAPIST')`);

    this.addSql(`alter table "member" add column "account_id" uuid null references "account" ("id") on delete set null`);
    this.addSql(`update "member" m set "account_id" = a."id" from "account" a where a."member_id" = m."id"`);
    this.addSql(`create index "member_account_id_index" on "member" ("account_id")`);
    this.addSql(`alter table "account" drop constraint "account_role_link_check"`);
    this.addSql(`alter table "account" drop column "member_id"`);
    this.addSql(
      `alter table "account" add constraint "account_role_link_check" check (("role" = 'THERAPIST') = ("therapist_id" is not null))`,
    );

    this.addSql(`create table "account_token" (
      "id" uuid primary key,
      "purpose" text not null check ("purpose" in ('INVITATION', 'VERIFY_EMAIL', 'RESET_PASSWORD', 'CHANGE_EMAIL', 'MEMBER_SIGN_IN')),
      "account_id" uuid null references "account" ("id") on delete cascade,
      "email" text null,
      "token_hash" text null unique,
      "expires_at" timestamptz not null,
      "used_at" timestamptz null,
      "created_at" timestamptz not null default now(),
      check (("purpose" = 'MEMBER_SIGN_IN') = ("account_id" is null)),
      check (("purpose" in ('CHANGE_EMAIL', 'MEMBER_SIGN_IN')) = ("email" is not null)))`);
    this.addSql(`create index "account_token_account_idx" on "account_token" ("account_id", "purpose")`);

    // Passwords chosen by someone else: voided, sessions ended, a link to set one mailed.
    this.addSql(`create temporary table "voided" on commit drop as
      select a."id", a."role" from "account" a
       where a."role" = 'THERAPIST'
          or (a."role" = 'MEMBER' and exists (select 1 from "member" m where m."account_id" = a."id" and m."partner_id" is not null))`);
    this.addSql(`update "account" a set "password_hash" = null, "activated_at" = null from "voided" v where v."id" = a."id"`);
    this.addSql(
      `update "auth_session" s set "revoked_at" = now() from "voided" v where v."id" = s."account_id" and s."revoked_at" is null`,
    );
    this.addSql(`insert into "account_token" ("id", "purpose", "account_id", "expires_at")
      select gen_random_uuid(), case when v."role" = 'THERAPIST' then 'INVITATION' else 'RESET_PASSWORD' end, v."id", now() + interval '14 days'
        from "voided" v`);
    this.addSql(`select graphile_worker.add_job('account-mail', json_build_object('tokenId', t."id"))
      from "account_token" t join "voided" v on v."id" = t."account_id"`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "account_token"`);
    this.addSql(`drop index "account_email_index"`);
    this.addSql(`drop index "account_email_active_key"`);
    this.addSql(`delete from "account" where "activated_at" is null`);
    this.addSql(`alter table "account" add constraint "account_email_unique" unique ("email")`);
    this.addSql(`alter table "account" drop constraint "account_role_link_check"`);
    this.addSql(`alter table "account" add column "member_id" uuid null unique references "member" ("id") on delete set null`);
    this.addSql(
      `update "account" a set "member_id" = (select m."id" from "member" m where m."account_id" = a."id" order by m."created_at" limit 1)`,
    );
    this.addSql(`alter table "member" drop column "account_id"`);
    this.addSql(
      `alter table "account" drop column "approved_by_id", drop column "approved_at", drop column "invited_by_id", drop column "activated_at"`,
    );
    this.addSql(`update "account" set "password_hash" = '!' where "password_hash" is null`);
    this.addSql(`alter table "account" alter column "password_hash" set not null`);
    this.addSql(
      `alter table "account" add constraint "account_role_link_check" check (("role" = 'THERAPIST') = ("therapist_id" is not null))`,
    );
  }
}
