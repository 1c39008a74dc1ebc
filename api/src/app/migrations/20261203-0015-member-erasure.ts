import { Migration } from '@mikro-orm/migrations';

/**
 * `member_erasure`: requests to erase a member by crypto-shredding (docs/encryption.md, "Erasure").
 * A member erases itself at once; an admin's request waits for a second admin, a partner's for an
 * admin. `member_id` is not a foreign key to anything that could go: the row stays as the record
 * of who asked and who approved.
 */
export class MemberErasure extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "member_erasure" (
      "id" uuid primary key,
      "member_id" uuid not null references "member" ("id"),
      "requested_by_kind" text not null check ("requested_by_kind" in ('MEMBER', 'ADMIN', 'PARTNER')),
      "requested_by_account_id" uuid null references "account" ("id") on delete set null,
      "requested_by_partner_id" uuid null references "partner" ("id") on delete set null,
      "requested_at" timestamptz not null default now(),
      "approved_by_account_id" uuid null references "account" ("id") on delete set null,
      "completed_at" timestamptz null)`);
    this.addSql(`create unique index "member_erasure_pending_key" on "member_erasure" ("member_id") where "completed_at" is null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "member_erasure"`);
  }
}
