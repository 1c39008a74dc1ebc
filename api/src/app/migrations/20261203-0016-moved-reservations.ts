import { Migration } from '@mikro-orm/migrations';

/**
 * A move ends the old reservation as `MOVED` with a link to the new one (`moved_to_id`), so a
 * partner can tell a move from a removal. Moves made before this migration stay REMOVED (their
 * reason says "Moved by an admin to another group."): which reservation they became was not kept.
 */
export class MovedReservations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "reservation_status" add value if not exists 'MOVED'`);
    this.addSql(`alter table "reservation" add column "moved_to_id" uuid null references "reservation" ("id")`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "reservation" drop column "moved_to_id"`);
  }
}
