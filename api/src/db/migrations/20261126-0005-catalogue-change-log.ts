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
    for (const table of WATCHED) {
      this.addSql(
        `create trigger "${table}_catalogue_change" after insert or update or delete or truncate on "${table}" for each statement execute function "note_catalogue_change"();`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const table of WATCHED) this.addSql(`drop trigger "${table}_catalogue_change" on "${table}";`);
    this.addSql(`drop function "note_catalogue_change"();`);
    this.addSql(`drop table "catalogue_change";`);
  }
}
