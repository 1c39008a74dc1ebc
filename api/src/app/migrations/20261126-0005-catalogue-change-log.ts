import { Migration } from '@mikro-orm/migrations';

/**
 * The change log behind the public catalogue cache (graphql/public-cache.ts): every
 * transaction that changes a table the public group fields read records its transaction id,
 * once. A cached answer remembers the snapshot it was computed after; it is fresh while no
 * change committed outside that snapshot. Rows are purged once no cache entry can need them.
 */
const WATCHED = ['therapy_group', 'program', 'therapist', 'group_session', 'group_co_therapist', 'reservation'];

export class CatalogueChangeLog extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "catalogue_change" ("txid" xid8 primary key, "finished_by" timestamptz null);`);
    this.addSql(`create function "note_catalogue_change"() returns trigger language plpgsql as $$
      begin
        insert into catalogue_change (txid) values (pg_current_xact_id()) on conflict do nothing;
        return null;
      end $$;`);
    // The cache's time bound (next session start, hold expiry, enrolment deadline) is read on every
    // miss: these keep it an index lookup instead of two table scans.
    this.addSql(`create index "group_session_scheduled_starts_idx" on "group_session" ("starts_at") where status = 'SCHEDULED';`);
    this.addSql(
      `create index "therapy_group_enrolment_deadline_idx" on "therapy_group" ("enrolment_deadline") where enrolment_deadline is not null;`,
    );
    for (const table of WATCHED) {
      this.addSql(
        `create trigger "${table}_catalogue_change" after insert or update or delete or truncate on "${table}" for each statement execute function "note_catalogue_change"();`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const table of WATCHED) this.addSql(`drop trigger "${table}_catalogue_change" on "${table}";`);
    this.addSql(`drop function "note_catalogue_change"();`);
    this.addSql(`drop index "therapy_group_enrolment_deadline_idx";`);
    this.addSql(`drop index "group_session_scheduled_starts_idx";`);
    this.addSql(`drop table "catalogue_change";`);
  }
}
